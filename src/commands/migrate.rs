//! `migrate`: move a queue between Redis and SQS, either way, each message exactly once.
#![cfg_attr(not(feature = "sqs"), allow(dead_code, unused_imports))]
//!
//! Each batch is taken on the source under a lease (Redis: claimed into processing as drain
//! claims; SQS: received, invisible), sent to the target, and acknowledged on the source only
//! after the target confirmed it. A crash anywhere leaves the batch leased on the source; the
//! rerun takes it again once the lease ran out and the target drops what this migration already
//! put there, by the message's token ([`crate::backend::Taken::token`]): SQS FIFO gets it as the
//! dedupe id; Redis pushes a token once. Equal bytes or ids under two tokens are two messages.
//!
//! Before anything moves: a Redis source's delayed retries are promoted to the back of main
//! (their delay is not kept), and every message is checked against an SQS target's
//! MaximumMessageSize.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Result;
use serde_json::json;

use crate::backend::{Backend, Left, RedisBackend, identity};
use crate::cli::{MigrateArgs, MigrateTo, OutputFormat};
use crate::config::Config;
use crate::exit::{Failure, Quiet};
use crate::output;
use crate::queue::Queue;
use crate::queue::keys::Keys;
use crate::queue::profile::Profile;
use crate::signals::Interrupts;

/// One leg to move: its name, the source, the target.
type Step = (&'static str, Box<dyn Backend>, Box<dyn Backend>);

/// What one leg (main, or DLQ) of the move did.
#[derive(Debug, Default)]
struct Leg {
    name: &'static str,
    moved: u64,
    /// Taken again after a crash and already on the target: acknowledged without sending.
    already_there: u64,
    source_before: Left,
    source_after: Left,
    target_before: Option<u64>,
    target_after: Option<u64>,
    /// Redis target: ids moved that are not on the target at the end (should be none).
    missing: Vec<String>,
    /// Redis source: delayed retries moved to the back of main first (their delay dropped).
    retries_promoted: u64,
    /// Redis source: retry members not in the profile's format, left in the retry set.
    retries_foreign: u64,
    /// Taken again from a run that died: these may already be on the target, where an SQS FIFO
    /// queue drops the second copy (so the target grows by less than `moved`).
    retaken: u64,
}

pub fn run(cfg: &Config, args: &MigrateArgs, format: OutputFormat) -> Result<()> {
    #[cfg(not(feature = "sqs"))]
    {
        let _ = (cfg, args, format);
        Err(crate::backend::no_sqs())
    }
    #[cfg(feature = "sqs")]
    run_sqs(cfg, args, format)
}

#[cfg(feature = "sqs")]
fn run_sqs(cfg: &Config, args: &MigrateArgs, format: OutputFormat) -> Result<()> {
    use crate::backend::SqsBackend;
    let Some(target) = cfg.sqs.as_ref() else {
        return Err(Failure::usage("migrate needs the SQS side: give --sqs-queue-url (and the Redis side as usual)").into());
    };
    let profile = cfg.keys.profile;
    let sqs = crate::sqs::Sqs::connect(target)?;
    if args.to == MigrateTo::Sqs && !sqs.fifo && !args.dry_run {
        eprintln!(
            "hokusai-queue: warning: {} is a standard queue, which has no deduplication: a crash between a send and \
             its acknowledgement sends that batch again on the rerun. A FIFO queue makes the move exactly once",
            sqs.url
        );
    }
    let dlq_sqs = if args.include_dlq {
        Some(sqs.dead_letter_queue()?.ok_or_else(|| {
            Failure::usage(format!(
                "--include-dlq: {} has no RedrivePolicy, so no DLQ to move dead letters to or from; give it one first",
                sqs.url
            ))
        })?)
    } else {
        None
    };
    let redis = |keys: Keys| -> Result<RedisBackend> { Ok(RedisBackend::new(Queue::connect(&cfg.target, keys)?)) };
    let sqs_side = |s: crate::sqs::Sqs| SqsBackend { sqs: s, profile, group_id: args.group_id.clone(), retaken: 0 };
    let mut legs = Vec::new();
    let stop = Interrupts::install()?;
    let mut plan: Vec<Step> = Vec::new();
    let dlq_keys = dlq_as_main(&cfg.keys);
    match args.to {
        MigrateTo::Sqs => {
            plan.push(("main", Box::new(redis(cfg.keys.clone())?), Box::new(sqs_side(sqs))));
            if let Some(d) = dlq_sqs {
                plan.push(("dlq", Box::new(redis(dlq_keys)?), Box::new(sqs_side(d))));
            }
        }
        MigrateTo::Redis => {
            plan.push(("main", Box::new(sqs_side(sqs)), Box::new(redis(cfg.keys.clone())?)));
            if let Some(d) = dlq_sqs {
                plan.push(("dlq", Box::new(sqs_side(d)), Box::new(redis(dlq_keys)?)));
            }
        }
    }
    // Nothing moves (and --dry-run says so) while a message is larger than the target takes:
    // SQS would refuse its batch on every rerun and leave it stuck in processing.
    for (name, source, target) in plan.iter_mut() {
        if let Some(max) = target.max_message_size()?
            && let Some(o) = source.oversized(max, &crate::sqs::wire_size)?
        {
            return Err(Failure::invalid_input(format!(
                "{name}: {} message(s) on {} are larger than {}'s MaximumMessageSize of {max} bytes once encoded for SQS \
                 (first: {}); nothing was moved: take them off the queue (or raise MaximumMessageSize, at most 1048576), then \
                 run migrate again",
                o.count,
                source.describe(),
                target.describe(),
                o.first
            ))
            .into());
        }
    }
    for (name, mut source, mut target) in plan {
        let leg = if args.dry_run {
            Leg { name, source_before: source.left()?, retries_foreign: source.foreign_parked()?, ..Leg::default() }
        } else {
            move_all(name, source.as_mut(), target.as_mut(), profile, args, &stop)?
        };
        if !args.dry_run || format.is_table() {
            report_leg(&leg, source.as_ref(), target.as_ref(), args, format)?;
        }
        legs.push(leg);
        if stop.count() > 0 {
            break;
        }
    }
    if matches!(format, OutputFormat::Json | OutputFormat::Jsonl) {
        let v = json!({
            "to": if args.to == MigrateTo::Sqs { "sqs" } else { "redis" },
            "dry_run": args.dry_run,
            "legs": legs.iter().map(leg_json).collect::<Vec<_>>(),
        });
        if format == OutputFormat::Json { output::json(&v)? } else { output::line(&v.to_string())? }
    }
    if stop.count() > 0 {
        eprintln!("hokusai-queue: stopped by a signal after the batch in flight; run the same command again to go on");
        return Err(Quiet(stop.exit_code()).into());
    }
    let failed: Vec<String> = legs.iter().filter_map(verify_problem).collect();
    if !args.dry_run && !failed.is_empty() {
        return Err(Failure::failed(format!("verification failed: {}", failed.join("; "))).into());
    }
    Ok(())
}

/// The DLQ list seen as a main list, so that the claim/ack scripts move it like a queue: its
/// in-flight elements and leases in keys of the tool's own.
fn dlq_as_main(k: &Keys) -> Keys {
    let mut d = k.clone();
    d.profile = Profile::Opaque;
    d.main = k.dlq.clone();
    d.processing = format!("{}:migrate-dlq:processing", k.tool);
    d.leases = format!("{}:migrate-dlq:leases", k.tool);
    d.retry = format!("{}:migrate-dlq:retry", k.tool);
    d.tool = format!("{}:migrate-dlq", k.tool);
    d.dlq = format!("{}:migrate-dlq:dlq", k.tool);
    d
}

fn move_all(
    name: &'static str,
    source: &mut dyn Backend,
    target: &mut dyn Backend,
    profile: Profile,
    args: &MigrateArgs,
    stop: &Interrupts,
) -> Result<Leg> {
    let mut leg = Leg { name, source_before: source.left()?, ..Leg::default() };
    // Delayed retries first to the back of main, all of them, whatever their due time: once
    // the source is retired nobody would promote them.
    (leg.retries_promoted, leg.retries_foreign) = source.promote_parked()?;
    let present = target.present()?;
    leg.target_before = target.left()?.total().into();
    let bar = crate::ui::progress(leg.source_before.total(), &format!("migrating {name}"));
    let mut sent_ids: HashMap<String, u64> = HashMap::new();
    let mut idle_since: Option<Instant> = None;
    let lease = args.visibility_timeout;
    while stop.count() == 0 {
        let taken = source.take(args.batch as usize, lease)?;
        if taken.is_empty() {
            let left = source.left()?;
            if left.ready == 0 && left.held == 0 {
                break;
            }
            // Held by a lease (a run that died, or a consumer still running): wait for it to
            // run out, but not for ever.
            let since = *idle_since.get_or_insert_with(Instant::now);
            if since.elapsed() > lease + Duration::from_secs(10) {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
            continue;
        }
        idle_since = None;
        let put = target.send(&taken).map_err(|e| {
            e.context(format!(
                "sending to {}: the batch stays leased on {} and the rerun sends it again once the lease ran out",
                target.describe(),
                source.describe()
            ))
        })?;
        source.ack(&taken)?;
        target.forget(&taken)?;
        for (t, now) in taken.iter().zip(&put) {
            if *now {
                leg.moved += 1;
                *sent_ids.entry(identity(profile, &t.body)).or_insert(0) += 1;
            } else {
                // This very message was put there by a run that died before its ack.
                leg.already_there += 1;
            }
        }
        bar.inc(taken.len() as u64);
    }
    bar.finish_and_clear();
    leg.retaken = source.retaken();
    // SQS's counts are approximate and lag the sends and deletes (about a minute on AWS): where
    // one side is SQS, counts that do not add up are read again for up to SQS_SETTLE before
    // the verification calls them wrong.
    let approximate = (source.counts_approximate(), target.counts_approximate());
    let started = std::time::Instant::now();
    loop {
        leg.source_after = source.left()?;
        leg.target_after = Some(target.left()?.total());
        if !may_settle(&leg, approximate) || started.elapsed() >= SQS_SETTLE || stop.count() > 0 {
            break;
        }
        std::thread::sleep(Duration::from_secs(2));
    }
    // The verification: every message this run put on the target is there (where the target
    // can be listed: as many of each identity as before plus those put), and the counts add up.
    if let (Some(before), Some(now)) = (present, target.present()?) {
        let mut missing: Vec<String> = sent_ids
            .into_iter()
            .filter(|(id, n)| now.get(id).copied().unwrap_or(0) < before.get(id).copied().unwrap_or(0) + n)
            .map(|(id, _)| id)
            .collect();
        missing.sort();
        leg.missing = missing;
    }
    if leg.source_after.total() == 0 {
        // Nothing left to retake: what was kept for a rerun goes.
        source.done(true)?;
        target.done(false)?;
    }
    Ok(leg)
}

/// How long the end of a leg waits for SQS's approximate counts to settle.
const SQS_SETTLE: Duration = Duration::from_secs(60);

/// Whether the leg's problem is a count read from an approximate side (SQS), which a later
/// read may correct: messages still on an SQS source, or an SQS target's total. Never for
/// missing ids or parked retries (exact, on Redis).
fn may_settle(leg: &Leg, (source_approx, target_approx): (bool, bool)) -> bool {
    if verify_problem(leg).is_none() || !leg.missing.is_empty() || leg.source_after.parked > 0 {
        return false;
    }
    if leg.source_after.total() > 0 {
        return source_approx;
    }
    target_approx
}

impl Left {
    fn total(self) -> u64 {
        self.ready + self.held + self.parked
    }
}

/// What is wrong at the end of a leg, if anything.
fn verify_problem(leg: &Leg) -> Option<String> {
    if !leg.missing.is_empty() {
        return Some(format!(
            "{}: {} moved messages are not on the target (first: {})",
            leg.name,
            leg.missing.len(),
            leg.missing[0]
        ));
    }
    if leg.source_after.parked > 0 {
        return Some(format!(
            "{}: {} delayed retries are still in the source's retry set ({} not in the profile's format, so the tool \
             cannot tell which message they stand for: see `doctor`, move them by hand, and run migrate again)",
            leg.name, leg.source_after.parked, leg.retries_foreign
        ));
    }
    if leg.source_after.total() > 0 {
        return Some(format!(
            "{}: {} messages are still on the source ({} held by a lease or in flight: a consumer still running? \
             stop it and run migrate again)",
            leg.name,
            leg.source_after.total(),
            leg.source_after.held
        ));
    }
    if let (Some(before), Some(after)) = (leg.target_before, leg.target_after)
        && (after + leg.retaken < before + leg.moved || after > before + leg.moved)
    {
        return Some(format!(
            "{}: the target holds {after} messages, not the {before} before plus the {} moved (a consumer or producer on the \
             target meanwhile? then compare again once it settles)",
            leg.name, leg.moved
        ));
    }
    None
}

fn leg_json(leg: &Leg) -> serde_json::Value {
    json!({
        "list": leg.name,
        "moved": leg.moved,
        "already_on_target": leg.already_there,
        "source_before": {"ready": leg.source_before.ready, "held": leg.source_before.held, "retry": leg.source_before.parked},
        "source_after": {"ready": leg.source_after.ready, "held": leg.source_after.held, "retry": leg.source_after.parked},
        "retries_promoted": leg.retries_promoted,
        "retries_left_foreign": leg.retries_foreign,
        "target_before": leg.target_before,
        "target_after": leg.target_after,
        "missing_on_target": leg.missing,
        "retaken_after_a_crash": leg.retaken,
        "verified": verify_problem(leg).is_none(),
    })
}

fn report_leg(leg: &Leg, source: &dyn Backend, target: &dyn Backend, args: &MigrateArgs, format: OutputFormat) -> Result<()> {
    if !format.is_table() {
        return Ok(());
    }
    if args.dry_run {
        let foreign = match leg.retries_foreign {
            0 => String::new(),
            n => format!(
                "; {n} retry members are not in the profile's format and would be left behind (the verification would fail)"
            ),
        };
        let retries = match leg.source_before.parked - leg.retries_foreign {
            0 => String::new(),
            n => format!(", {n} delayed retries moved to the back first, their delay dropped"),
        };
        return output::line(&format!(
            "would move {} {} messages ({} ready, {} held by a lease or in flight{retries}) from {} to {}{foreign}",
            leg.source_before.total() - leg.retries_foreign,
            leg.name,
            leg.source_before.ready,
            leg.source_before.held,
            source.describe(),
            target.describe()
        ))
        .map_err(Into::into);
    }
    let verdict = match verify_problem(leg) {
        None => "verified".to_owned(),
        Some(p) => format!("NOT verified: {p}"),
    };
    output::line(&format!(
        "{}: moved {} ({} already on the target; {} were delayed retries, moved without their delay) from {} to {}; \
         source left {}, target now {}; {verdict}",
        leg.name,
        leg.moved,
        leg.already_there,
        leg.retries_promoted,
        source.describe(),
        target.describe(),
        leg.source_after.total(),
        leg.target_after.map_or("?".to_owned(), |n| n.to_string()),
    ))?;
    Ok(())
}
