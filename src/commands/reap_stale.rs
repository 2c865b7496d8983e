//! `reap-stale`: reclaim the work of crashed consumers (expired leases), adopt unleased
//! elements, promote due retries. Each move re-checks the lease inside its script, so a live
//! consumer's heartbeat always wins the race.

use anyhow::Result;
use serde_json::{Value, json};

use crate::cli::{OutputFormat, ReapArgs};
use crate::config::Config;
use crate::output;
use crate::queue::Queue;
use crate::queue::consume::{Dest, Reclaimed, Settled};
use crate::queue::message::{self, Element, Shape, dlq_wrapper};
use crate::queue::mint_dlq;
use crate::queue::profile::Profile;
use std::time::Duration;

/// One element reclaimed (or that would be, in a dry run).
struct Moved {
    message_id: Option<String>,
    action: &'static str,
    retry_count: Option<i64>,
    reason: String,
}

#[derive(Default)]
struct Report {
    moved: Vec<Moved>,
    adopted: u64,
    promoted: u64,
    skipped_alive: u64,
    gone: u64,
    processing: u64,
    foreign_retries: u64,
    stale_clocks_dropped: u64,
}

pub fn run(cfg: &Config, args: &ReapArgs, format: OutputFormat) -> Result<()> {
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    loop {
        let report = reap_once(&mut q, args)?;
        render(&report, args.dry_run, format)?;
        match args.watch {
            Some(every) => std::thread::sleep(every),
            None => return Ok(()),
        }
    }
}

fn reap_once(q: &mut Queue, args: &ReapArgs) -> Result<Report> {
    let profile = q.keys.profile;
    let visibility = args.visibility_timeout.unwrap_or(Duration::from_secs(profile.default_visibility_secs()));
    let scan = q.scan_processing(visibility, args.dry_run)?;
    let mut report = Report { adopted: scan.adopted, processing: scan.len, ..Report::default() };
    if profile == Profile::Mint {
        reclaim_mint(q, scan.expired, args.dry_run, args.max_reclaims, &mut report)?;
        if args.promote_retries {
            promote(q, args.dry_run, &mut report)?;
        }
        gc_clocks(q, args.dry_run, &mut report);
        return Ok(report);
    }
    for raw in scan.expired {
        let (new, dest, moved) = if profile == Profile::Opaque {
            // Exact bytes back to the front: no count can be kept inside an unknown format.
            let moved = Moved {
                message_id: None,
                action: "requeued",
                retry_count: None,
                reason: "stale in processing: returned unchanged (opaque profile)".into(),
            };
            (raw.clone(), Dest::Front, moved)
        } else {
            decide(raw.clone(), &q.keys.main)
        };
        if args.dry_run {
            report.moved.push(moved);
            continue;
        }
        match q.settle(&raw, &new, dest, true)? {
            Settled::Moved => report.moved.push(moved),
            Settled::Alive => report.skipped_alive += 1,
            Settled::Gone => report.gone += 1,
        }
    }
    promote(q, args.dry_run, &mut report)?;
    gc_clocks(q, args.dry_run, &mut report);
    Ok(report)
}

/// After the reclaims: drops the clocks of elements gone from a long processing list. Best
/// effort: a failure (an ACL without ZSCAN, a timeout) is a warning, never a reason to leave
/// stale work unreclaimed; the next run tries again.
fn gc_clocks(q: &mut Queue, dry_run: bool, report: &mut Report) {
    if dry_run || !crate::queue::consume::needs_lease_gc(report.processing) {
        return;
    }
    match q.gc_leases() {
        Ok(n) => report.stale_clocks_dropped = n,
        Err(e) => eprintln!(
            "hokusai-queue: warning: the clocks of elements gone from processing were not cleaned up ({}); the next run \
             tries again (doctor checks the permissions it needs)",
            crate::config::scrub(&e.to_string())
        ),
    }
}

/// Promotes every due retry the profile understands, in steps of 1000; in a dry run, counts
/// the due ones instead.
fn promote(q: &mut Queue, dry_run: bool, report: &mut Report) -> Result<()> {
    if dry_run {
        let d = q.depth()?;
        report.promoted = d.mint.as_ref().map_or(d.retry_due, |m| m.retry_due);
        return Ok(());
    }
    loop {
        let (n, foreign) = q.promote_due(1000)?;
        report.promoted += n;
        report.foreign_retries = report.foreign_retries.max(foreign);
        if n < 1000 {
            return Ok(());
        }
    }
}

/// Mint: each element whose first-seen clock expired goes back to the inbound head as it is,
/// unless its idempotency key is settled (then only its lost ack is made good).
fn reclaim_mint(q: &mut Queue, expired: Vec<Vec<u8>>, dry_run: bool, max_reclaims: u32, report: &mut Report) -> Result<()> {
    for raw in expired {
        let v: Option<serde_json::Value> = serde_json::from_slice(&raw).ok();
        let field = |k: &str| v.as_ref().and_then(|v| v.get(k)).and_then(Value::as_str).map(str::to_owned);
        let key = field("idempotency_key").unwrap_or_default();
        let id = field("message_id");
        let reason = format!(
            "exhausted (retries={max}): stuck in processing {max} times without an acknowledgement (its consumer \
             crashed or hung each time); dead-lettered by hokusai-queue reap-stale",
            max = max_reclaims
        );
        let entry = mint_dlq::dead_letter_entry(&raw, &reason, "transient", &q.keys.main);
        match q.reclaim_mint(&raw, &key, dry_run, max_reclaims, &entry)? {
            Reclaimed::DeadLettered => {
                report.moved.push(Moved { message_id: id, action: "dead-lettered", retry_count: None, reason })
            }
            Reclaimed::Requeued => report.moved.push(Moved {
                message_id: id,
                action: "requeued",
                retry_count: None,
                reason: "stale in processing (no consumer acknowledged it): exact bytes back to the inbound head".into(),
            }),
            Reclaimed::Settled => report.moved.push(Moved {
                message_id: id,
                action: "removed",
                retry_count: None,
                reason: format!("idempotency key {key} is in {}: it settled, only its ack was lost", q.keys.processed),
            }),
            Reclaimed::Alive => report.skipped_alive += 1,
            Reclaimed::Gone => report.gone += 1,
        }
    }
    Ok(())
}

/// What to do with an element whose consumer died: the reclaim counts as an attempt.
fn decide(raw: Vec<u8>, queue: &str) -> (Vec<u8>, Dest, Moved) {
    let el = Element::parse(raw);
    let Shape::Envelope(env) = &el.shape else {
        let reason = format!(
            "reclaimed from processing, unparseable: {}",
            el.unusable_reason().unwrap_or_else(|| "not an envelope".into())
        );
        let entry = dlq_wrapper(&el.raw, &reason, queue).unwrap_or_else(|| el.raw.clone());
        let moved = Moved { message_id: None, action: "dead-lettered", retry_count: None, reason };
        return (entry, Dest::DeadLetter, moved);
    };
    let (tries, max) = env.attempts();
    let id = env.message_id().map(str::to_owned);
    if tries < max {
        let moved = Moved {
            message_id: id,
            action: "requeued",
            retry_count: Some(tries + 1),
            reason: "lease expired: its consumer stopped without acking".into(),
        };
        (message::rewrite_retry_count(&el.raw, env, tries + 1), Dest::Front, moved)
    } else {
        let reason = format!("lease expired on attempt {} of {}; retries exhausted", tries + 1, max + 1);
        let entry = dlq_wrapper(&el.raw, &reason, queue).unwrap_or_else(|| el.raw.clone());
        (entry, Dest::DeadLetter, Moved { message_id: id, action: "dead-lettered", retry_count: Some(tries), reason })
    }
}

fn render(r: &Report, dry_run: bool, format: OutputFormat) -> Result<()> {
    let count = |a: &str| r.moved.iter().filter(|m| m.action == a).count();
    match format {
        OutputFormat::Json | OutputFormat::Jsonl => {
            let moved: Vec<Value> = r
                .moved
                .iter()
                .map(
                    |m| json!({"message_id": m.message_id, "action": m.action, "retry_count": m.retry_count, "reason": m.reason}),
                )
                .collect();
            let v = json!({
                "dry_run": dry_run,
                "processing": r.processing,
                "requeued": count("requeued"),
                "dead_lettered": count("dead-lettered"),
                "adopted": r.adopted,
                "promoted": r.promoted,
                "removed_settled": count("removed"),
                "foreign_retries": r.foreign_retries,
                "stale_clocks_dropped": r.stale_clocks_dropped,
                "skipped_alive": r.skipped_alive,
                "gone": r.gone,
                "moved": moved,
            });
            if format == OutputFormat::Json { output::json(&v)? } else { output::line(&v.to_string())? }
        }
        _ => {
            if !r.moved.is_empty() {
                let mut t = output::table(&["message_id", "action", "retry_count", "reason"]);
                for m in &r.moved {
                    let action = if dry_run { format!("would be {}", m.action) } else { m.action.to_owned() };
                    t.add_row(vec![
                        m.message_id.clone().unwrap_or_else(|| "-".into()),
                        action,
                        m.retry_count.map_or("-".into(), |n| n.to_string()),
                        m.reason.clone(),
                    ]);
                }
                output::print_table(&t)?;
            }
            let verb = if dry_run { "would reclaim" } else { "reclaimed" };
            let adopted = if dry_run { "would start the clock of" } else { "started the clock of" };
            let promoted = if dry_run { "would promote" } else { "promoted" };
            let mut line = format!(
                "{verb} {} ({} requeued, {} dead-lettered); {adopted} {} unleased; {promoted} {} due retries",
                r.moved.len(),
                count("requeued"),
                count("dead-lettered"),
                r.adopted,
                r.promoted
            );
            if count("removed") > 0 {
                line.push_str(&format!("; removed {} already settled", count("removed")));
            }
            if r.foreign_retries > 0 {
                line.push_str(&format!(
                    "; left {} due retry member(s) not in this profile's format untouched",
                    r.foreign_retries
                ));
            }
            if r.skipped_alive + r.gone > 0 {
                line.push_str(&format!("; {} kept by a live consumer, {} already gone", r.skipped_alive, r.gone));
            }
            if r.stale_clocks_dropped > 0 {
                line.push_str(&format!("; dropped {} clocks of elements no longer in processing", r.stale_clocks_dropped));
            }
            output::line(&line)?;
        }
    }
    Ok(())
}
