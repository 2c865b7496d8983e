//! `dlq list | replay | purge` on SQS ([`crate::backend::QueueOps::dlq`]): the DLQ is the one
//! the source queue's RedrivePolicy names. SQS cannot show a message without receiving it, so
//! every scan receives the DLQ's messages (hidden for the scan's length) and makes the ones it
//! leaves visible again at the end. A replay sends to the source first and deletes from the DLQ
//! only what the source confirmed.

use std::io::Write;
use std::time::Duration;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::cli::{DlqCommand, DlqFilter, OutputFormat};
use crate::commands::dlq::{self as command, Entry};
use crate::config::SqsTarget;
use crate::exit::Failure;
use crate::output;
use crate::sqs::{Received, Sent, Sqs};

/// How long a scan hides what it received: long enough to receive the rest without repeats.
const SCAN_VISIBILITY: Duration = Duration::from_secs(120);

pub(super) fn run(target: &SqsTarget, cmd: &DlqCommand, format: OutputFormat) -> Result<()> {
    let source = Sqs::connect(target)?;
    let dlq = source.dead_letter_queue()?.ok_or_else(|| {
        Failure::usage(format!("{} has no RedrivePolicy, so no dead-letter queue: SQS dead-letters only through one", source.url))
    })?;
    let filter = match cmd {
        DlqCommand::List(a) => &a.filter,
        DlqCommand::Replay(a) => &a.filter,
        DlqCommand::Purge(a) => &a.filter,
        _ => unreachable!("dispatch sends only list, replay and purge"),
    };
    if !filter.classes.is_empty() {
        return Err(Failure::usage("--class is for the mint profile's Redis DLQ").into());
    }
    match cmd {
        DlqCommand::List(_) => list(&dlq, filter, format),
        DlqCommand::Replay(a) => {
            if a.to.is_some() || a.keep_retry_count || a.write.rate.is_some() || a.write.durability.wait_replicas.is_some() {
                return Err(Failure::usage(
                    "on SQS, replay sends each dead letter back to the source queue as it is: no --to, \
                     --keep-retry-count, --rate or --wait-replicas",
                )
                .into());
            }
            let what = format!("replay dead letters from {} to {}{}", dlq.url, source.url, approximate(filter));
            if !command::confirm(&a.write, &what, || count(&dlq, filter))? {
                return Err(command::not_confirmed(&what));
            }
            replay(&source, &dlq, filter, a.write.dry_run, format)
        }
        DlqCommand::Purge(a) => {
            let what = if a.export.is_some() {
                format!("delete (after exporting them) dead letters from {}{}", dlq.url, approximate(filter))
            } else {
                format!(
                    "delete for good (no --export: this cannot be undone) dead letters from {}{}",
                    dlq.url,
                    approximate(filter)
                )
            };
            if !command::confirm(&a.write, &what, || count(&dlq, filter))? {
                return Err(command::not_confirmed(&what));
            }
            purge(&dlq, filter, a.export.as_deref(), a.write.dry_run, format)
        }
        _ => unreachable!(),
    }
}

fn unfiltered(f: &DlqFilter) -> bool {
    f.ids.is_empty()
        && f.matches.is_empty()
        && f.error.is_none()
        && f.older_than.is_none()
        && f.newer_than.is_none()
        && f.shape.is_none()
        && f.limit.is_none()
}

/// Whether only --limit (or nothing) narrows the selection: then SQS's counters tell how many.
fn counted_by_attributes(f: &DlqFilter) -> bool {
    unfiltered(&DlqFilter { limit: None, ..f.clone() })
}

fn approximate(f: &DlqFilter) -> &'static str {
    if counted_by_attributes(f) { " (SQS's approximate count)" } else { "" }
}

/// How many entries the confirmation prompt names, leaving the DLQ as it was. Unfiltered, SQS's
/// counters (visible + in flight + delayed: approximate, and nothing is received). A filter
/// needs the bodies: a scan, whose messages are made visible again at once, so the real pass
/// that follows the answer finds them (a scan hides what it received for 2 minutes).
fn count(dlq: &Sqs, f: &DlqFilter) -> Result<u64> {
    if counted_by_attributes(f) {
        let a = dlq.attributes()?;
        let n = a.visible + a.in_flight + a.delayed;
        return Ok(f.limit.map_or(n, |l| n.min(l)));
    }
    let (hits, others) = scan(dlq, f)?;
    let n = hits.len() as u64;
    release(dlq, hits.into_iter().map(|(_, m)| m).chain(others))?;
    Ok(n)
}

/// Receives the whole DLQ (hidden for [`SCAN_VISIBILITY`]): the matching messages (up to
/// --limit) and the others, which the caller makes visible again.
/// What a scan received: the matching entries, and the rest.
type Scanned = (Vec<(Entry, Received)>, Vec<Received>);

fn scan(dlq: &Sqs, f: &DlqFilter) -> Result<Scanned> {
    let now_ms = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let (mut hits, mut others) = (Vec::new(), Vec::new());
    loop {
        let got = dlq.receive(crate::sqs::BATCH, SCAN_VISIBILITY, Duration::ZERO)?;
        if got.is_empty() {
            break;
        }
        for m in got {
            let entry = Entry::parse(hits.len() as u64, m.body.clone());
            if entry.matches(f, now_ms) && f.limit.is_none_or(|l| (hits.len() as u64) < l) {
                hits.push((entry, m));
            } else {
                others.push(m);
            }
        }
    }
    Ok((hits, others))
}

/// Makes received messages visible again (the ones a command leaves on the DLQ).
fn release(dlq: &Sqs, msgs: impl IntoIterator<Item = Received>) -> Result<()> {
    for m in msgs {
        dlq.change_visibility(&m.receipt, Duration::ZERO)?;
    }
    Ok(())
}

fn entry_json(e: &Entry, m: &Received) -> Value {
    json!({
        "position": e.position,
        "message_id": e.message_id(),
        "shape": e.shape_name(),
        "error": e.error(),
        "receive_count": m.receive_count,
        "sqs_message_id": m.sqs_message_id,
        "sent_at_ms": m.sent_at_ms,
        "raw": String::from_utf8_lossy(&m.body),
    })
}

fn list(dlq: &Sqs, f: &DlqFilter, format: OutputFormat) -> Result<()> {
    let (hits, others) = scan(dlq, f)?;
    let items: Vec<Value> = hits.iter().map(|(e, m)| entry_json(e, m)).collect();
    release(dlq, hits.into_iter().map(|(_, m)| m).chain(others))?;
    match format {
        OutputFormat::Json => output::json(&Value::Array(items))?,
        OutputFormat::Jsonl => {
            for v in &items {
                output::line(&v.to_string())?;
            }
        }
        _ => {
            let mut t = output::table(&["#", "message_id", "shape", "receives", "error"]);
            for v in &items {
                let cell = |k: &str| v[k].as_str().unwrap_or("-").to_owned();
                t.add_row(vec![
                    v["position"].to_string(),
                    cell("message_id"),
                    cell("shape"),
                    v["receive_count"].to_string(),
                    cell("error"),
                ]);
            }
            output::print_table(&t)?;
            output::note(&format!("{} · {} entries (received to be shown, then visible again)", dlq.url, items.len()))?;
        }
    }
    Ok(())
}

fn replay(source: &Sqs, dlq: &Sqs, f: &DlqFilter, dry_run: bool, format: OutputFormat) -> Result<()> {
    let (hits, others) = scan(dlq, f)?;
    release(dlq, others)?;
    if dry_run {
        let n = hits.len();
        let ids: Vec<Value> = hits.iter().map(|(e, m)| entry_json(e, m)).collect();
        release(dlq, hits.into_iter().map(|(_, m)| m))?;
        return report(
            format,
            json!({"dry_run": true, "would_replay": n, "entries": ids}),
            &format!("would replay {n} dead letters"),
        );
    }
    let total = hits.len();
    let (mut replayed, mut kept, mut unknown) = (0u64, 0u64, 0u64);
    let mut first_problem: Option<String> = None;
    let mut chunks = hits.chunks(crate::sqs::BATCH);
    for chunk in chunks.by_ref() {
        // A platform wrapper goes back as the envelope it wraps; anything else as it is.
        let out: Vec<crate::sqs::Outgoing> = chunk
            .iter()
            .map(|(e, m)| {
                let body = if e.shape() == crate::cli::EntryShape::Wrapped { e.stored().to_vec() } else { m.body.clone() };
                let id = crate::backend::identity(crate::queue::profile::Profile::Envelope, &body);
                crate::sqs::Outgoing {
                    group_id: source.fifo.then(|| m.group_id.clone().unwrap_or_else(|| "hokusai-queue".into())),
                    // A new dedupe id: the original's may still be inside SQS's 5-minute window.
                    dedupe_id: source.fifo.then(|| crate::backend::dedupe_id(&format!("replay:{}:{id}", m.sqs_message_id))),
                    body,
                }
            })
            .collect();
        let report = source.send_each(&out, 1, &mut |_| {});
        // Deleted from the DLQ: exactly the entries the source confirmed, whichever they are.
        // The others stay, visible again: refused or not attempted ones are not on the source;
        // one with no answer may be (kept rather than risk losing it, and said).
        let mut sent = Vec::new();
        for ((_, m), status) in chunk.iter().zip(&report.status) {
            match status {
                Sent::Confirmed => sent.push(m.receipt.as_str()),
                other => {
                    dlq.change_visibility(&m.receipt, Duration::ZERO)?;
                    kept += 1;
                    if let Sent::Refused(r) | Sent::Unknown(r) = other {
                        unknown += u64::from(matches!(other, Sent::Unknown(_)));
                        first_problem.get_or_insert_with(|| format!("{}: {r}", m.sqs_message_id));
                    }
                }
            }
        }
        let failed = dlq.delete(&sent)?;
        replayed += sent.len() as u64;
        if !failed.is_empty() {
            return Err(Failure::failed(format!(
                "{replayed} dead letters were replayed to {}, but SQS did not delete {} of them from the DLQ (their \
                 visibility ran out?): they are on both queues now",
                source.url,
                failed.len()
            ))
            .into());
        }
        if let Some(e) = report.fatal {
            // The send stopped (unreachable, refused): the rest stay on the DLQ, visible again.
            let rest: Vec<Received> = chunks.flat_map(|c| c.iter().map(|(_, m)| m.clone())).collect();
            kept += rest.len() as u64;
            release(dlq, rest)?;
            return Err(e.context(format!("{replayed} of {total} dead letters were replayed; the other {kept} stay on the DLQ")));
        }
    }
    if kept > 0 {
        let maybe = if unknown > 0 {
            format!(" ({unknown} got no answer from SQS and may be on the source too: check before replaying them again)")
        } else {
            String::new()
        };
        return Err(Failure::failed(format!(
            "{replayed} of {total} dead letters were replayed to {}; {kept} could not be sent and stay on the DLQ{maybe}; \
             the first: {}",
            source.url,
            first_problem.unwrap_or_default()
        ))
        .into());
    }
    report(
        format,
        json!({"replayed": replayed, "to": source.url}),
        &format!("replayed {replayed} dead letters to {}", source.url),
    )
}

fn purge(dlq: &Sqs, f: &DlqFilter, export: Option<&std::path::Path>, dry_run: bool, format: OutputFormat) -> Result<()> {
    if export.is_none() && unfiltered(f) && !dry_run {
        // Everything, nothing kept: SQS's own PurgeQueue (one a minute per queue).
        let before = dlq.attributes()?;
        dlq.purge()?;
        let n = before.visible + before.in_flight + before.delayed;
        return report(
            format,
            json!({"purged": n, "queue_url": dlq.url, "purge_queue": true}),
            &format!("purged {} ({n} entries)", dlq.url),
        );
    }
    let (hits, others) = scan(dlq, f)?;
    release(dlq, others)?;
    if dry_run {
        let n = hits.len();
        release(dlq, hits.into_iter().map(|(_, m)| m))?;
        return report(format, json!({"dry_run": true, "would_purge": n}), &format!("would purge {n} dead letters"));
    }
    if let Some(path) = export {
        // Every entry is in the file and on disk before any is deleted.
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("opening --export {}", path.display()))?;
        for (e, m) in &hits {
            let mut line = json!({"queue_url": dlq.url, "sqs_message_id": m.sqs_message_id, "message_id": e.message_id()});
            match std::str::from_utf8(&m.body) {
                Ok(text) => line["raw"] = Value::String(text.to_owned()),
                Err(_) => {
                    use base64::Engine;
                    line["raw_base64"] = Value::String(base64::engine::general_purpose::STANDARD.encode(&m.body));
                }
            }
            writeln!(file, "{line}").with_context(|| format!("writing --export {}", path.display()))?;
        }
        file.sync_all().with_context(|| format!("syncing --export {}", path.display()))?;
    }
    let receipts: Vec<&str> = hits.iter().map(|(_, m)| m.receipt.as_str()).collect();
    let failed = dlq.delete(&receipts)?;
    let n = receipts.len() - failed.len();
    report(format, json!({"purged": n, "queue_url": dlq.url, "exported_to": export}), &format!("purged {n} dead letters"))
}

fn report(format: OutputFormat, v: Value, text: &str) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(&v)?,
        OutputFormat::Jsonl => output::line(&v.to_string())?,
        _ => output::line(text)?,
    }
    Ok(())
}
