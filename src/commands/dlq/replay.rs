//! `dlq replay`: matching entries back to their queue, unwrapped, retry_count reset; each
//! moved by an atomic step that first checks it is still in the DLQ; a replay counter per
//! message refuses poison that would cycle forever.

use std::collections::BTreeMap;

use anyhow::Result;
use serde_json::json;

use super::{Entry, GONE_NOTE, Pace, Scanner, confirm};
use crate::cli::{DlqReplayArgs, OutputFormat};
use crate::commands::ensure_replicated;
use crate::config::Config;
use crate::exit::{Failure, Quiet};
use crate::output;
use crate::queue::Queue;
use crate::queue::dlq::{Mode, Move, Moved};
use crate::queue::keys::slot;
use crate::queue::message::Shape;
use crate::signals::Interrupts;
use crate::ui;

/// What one entry would become.
enum Plan {
    /// Push `element` onto `dest`.
    Replay { dest: String, element: Vec<u8>, counter: String },
    /// Leave it in the DLQ, for this reason (a key of the summary's `skipped`).
    Skip(&'static str),
}

#[derive(Default)]
struct Summary {
    replayed: u64,
    destinations: BTreeMap<String, u64>,
    skipped: BTreeMap<&'static str, u64>,
    /// message_ids refused by --max-replays (the first 1000).
    refused: Vec<String>,
    gone: u64,
}

const REFUSED_SHOWN: usize = 1000;

pub fn run(cfg: &Config, args: &DlqReplayArgs, format: OutputFormat) -> Result<()> {
    let keys = &cfg.keys;
    if let Some(to) = &args.to {
        if to.is_empty() {
            return Err(Failure::usage("--to needs a queue name").into());
        }
        if *to == keys.dlq {
            return Err(Failure::usage(format!("--to {to} is the dead-letter list itself: name the queue to replay onto")).into());
        }
        if cfg.target.cluster.is_some() && slot(to) != slot(&keys.dlq) {
            return Err(Failure::usage(format!(
                "--to {to} hashes to cluster slot {}, the DLQ {} to slot {}: a replay moves both in one step, so they \
                 must share a slot; give the queue the same {{hash tag}}",
                slot(to),
                keys.dlq,
                slot(&keys.dlq)
            ))
            .into());
        }
    }
    let mut q = Queue::connect(&cfg.target, keys.clone())?;
    let cluster = cfg.target.cluster.is_some();
    let plan = |e: &Entry| plan(e, args, &keys.main, &keys.dlq, cluster);
    let counts = |e: &Entry| destination(e, args, &keys.main, &keys.dlq, cluster).is_ok();
    let ok = confirm(&args.write, &format!("replay dead letters from {}", keys.dlq), || {
        let mut s = Scanner::new(&args.filter);
        let mut n = 0;
        loop {
            let batch = s.next_batch(&mut q, 10_000, &counts)?;
            n += batch.iter().filter(|e| counts(e)).count() as u64;
            if batch.is_empty() && s.finished() {
                return Ok(n);
            }
        }
    })?;
    if !ok {
        output::line("nothing replayed")?;
        return Ok(());
    }
    let interrupts = Interrupts::install()?;
    let pace = Pace::new(args.write.rate);
    let want = pace.batch(args.write.batch_size);
    let mut scanner = Scanner::new(&args.filter);
    let mut sum = Summary::default();
    let mut preview: Vec<(Entry, String)> = Vec::new();
    let bar = ui::progress(0, "replaying");
    let result = (|| -> Result<()> {
        loop {
            if interrupts.count() > 0 {
                return Ok(());
            }
            let batch = scanner.next_batch(&mut q, want, &counts)?;
            bar.set_length(scanner.len.max(scanner.scanned));
            bar.set_position(scanner.scanned);
            if batch.is_empty() && scanner.finished() {
                return Ok(());
            }
            let plans: Vec<Plan> = batch.iter().map(&plan).collect();
            if args.write.dry_run {
                for (e, p) in batch.into_iter().zip(plans) {
                    match p {
                        Plan::Replay { dest, .. } => {
                            sum.replayed += 1;
                            *sum.destinations.entry(dest.clone()).or_default() += 1;
                            if preview.len() < 20 {
                                preview.push((e, dest));
                            }
                        }
                        Plan::Skip(why) => *sum.skipped.entry(why).or_default() += 1,
                    }
                }
                continue;
            }
            // One script call per run of consecutive entries with the same destination.
            let mut removed = 0;
            let mut i = 0;
            while i < batch.len() {
                let Plan::Replay { dest, .. } = &plans[i] else {
                    if let Plan::Skip(why) = plans[i] {
                        *sum.skipped.entry(why).or_default() += 1;
                    }
                    i += 1;
                    continue;
                };
                let (mut at, mut moves) = (Vec::new(), Vec::new());
                let mut j = i;
                while j < batch.len() {
                    match &plans[j] {
                        Plan::Replay { dest: d, element, counter } if d == dest => {
                            at.push(j);
                            moves.push(Move { hint: batch[j].position, entry: batch[j].raw(), new: element, counter });
                        }
                        Plan::Replay { .. } => break,
                        Plan::Skip(why) => *sum.skipped.entry(why).or_default() += 1,
                    }
                    j += 1;
                }
                let mode = Mode::Replay { dest, max_replays: args.max_replays, force: args.force };
                let outcomes = q.dlq_move(&mode, &moves)?;
                for (k, o) in at.into_iter().zip(outcomes) {
                    match o {
                        Moved::Done => {
                            sum.replayed += 1;
                            removed += 1;
                            *sum.destinations.entry(dest.clone()).or_default() += 1;
                        }
                        Moved::Gone => {
                            // Removed by someone else: the unread entries moved up all the same.
                            sum.gone += 1;
                            removed += 1;
                        }
                        Moved::Limit => {
                            *sum.skipped.entry("max_replays").or_default() += 1;
                            if sum.refused.len() < REFUSED_SHOWN {
                                sum.refused.push(batch[k].message_id().unwrap_or("-").to_owned());
                            }
                        }
                    }
                }
                i = j;
            }
            scanner.removed(removed);
            pace.after(sum.replayed);
        }
    })();
    bar.finish_and_clear();
    let interrupted = interrupts.count() > 0;
    if result.is_ok() || sum.replayed > 0 {
        report(&sum, &preview, args, &q.keys.dlq, scanner.matched, interrupted, format)?;
    }
    result?;
    if !args.write.dry_run && sum.replayed > 0 {
        let n = sum.replayed;
        ensure_replicated(&mut q, &args.write.durability, || format!("{n} entries were replayed"))?;
    }
    if interrupted {
        return Err(Quiet(interrupts.exit_code()).into());
    }
    Ok(())
}

/// What to do with one matching entry.
fn plan(e: &Entry, args: &DlqReplayArgs, main: &str, dlq: &str, cluster: bool) -> Plan {
    let dest = match destination(e, args, main, dlq, cluster) {
        Ok(d) => d,
        Err(why) => return Plan::Skip(why),
    };
    let (element, counter): (Vec<u8>, String) = match (&e.el.shape, e.envelope()) {
        (shape, Some(env)) => {
            let stored: &[u8] = match shape {
                Shape::Wrapped { wrapper, .. } => wrapper.original_message.as_bytes(),
                _ => e.raw(),
            };
            let element =
                if args.keep_retry_count || env.retry_count() == Some(0) { stored.to_vec() } else { env.with_retry_count(0) };
            (element, env.message_id().unwrap_or_default().to_owned())
        }
        (Shape::Wrapped { wrapper, .. }, None) => {
            (wrapper.original_message.clone().into_bytes(), format!("sha1:{}", sha1_hex(e.raw())))
        }
        (_, None) => (e.raw().to_vec(), format!("sha1:{}", sha1_hex(e.raw()))),
    };
    Plan::Replay { dest, element, counter }
}

/// Where an entry would go, or why it stays (cheap: builds no element).
fn destination(e: &Entry, args: &DlqReplayArgs, main: &str, dlq: &str, cluster: bool) -> Result<String, &'static str> {
    if e.envelope().is_none() && !args.include_raw {
        return Err("not_envelope");
    }
    let dest = args.to.as_deref().or_else(|| e.original_queue()).unwrap_or(main);
    if dest == dlq {
        return Err("original_queue_is_dlq");
    }
    if cluster && slot(dest) != slot(dlq) {
        return Err("original_queue_other_slot");
    }
    Ok(dest.to_owned())
}

fn sha1_hex(b: &[u8]) -> String {
    sha1_smol::Sha1::from(b).digest().to_string()
}

fn reason_text(key: &str, args: &DlqReplayArgs) -> String {
    match key {
        "not_envelope" => "not an envelope (raw bytes or other JSON; --include-raw replays them unchanged)".into(),
        "max_replays" => format!("already replayed --max-replays {} times (--force replays them anyway)", args.max_replays),
        "original_queue_is_dlq" => "original_queue is the DLQ itself (use --to QUEUE)".into(),
        "original_queue_other_slot" => {
            "original_queue is in another cluster slot than the DLQ (use --to with a queue of the same {hash tag})".into()
        }
        other => other.into(),
    }
}

fn report(
    sum: &Summary,
    preview: &[(Entry, String)],
    args: &DlqReplayArgs,
    dlq: &str,
    matched: u64,
    interrupted: bool,
    format: OutputFormat,
) -> Result<()> {
    let dry = args.write.dry_run;
    if matches!(format, OutputFormat::Json | OutputFormat::Jsonl) {
        let v = json!({
            "dlq": dlq,
            "dry_run": dry,
            "matched": matched,
            "replayed": sum.replayed,
            "destinations": sum.destinations,
            "skipped": sum.skipped,
            "refused_ids": sum.refused,
            "gone": sum.gone,
            "interrupted": interrupted,
        });
        if format == OutputFormat::Json {
            output::json(&v)?
        } else {
            output::line(&v.to_string())?
        }
        return Ok(());
    }
    if dry && !preview.is_empty() {
        let mut t = output::table(&["position", "message_id", "model_id", "token_symbol", "shape", "to"]);
        for (e, dest) in preview {
            let env = e.envelope();
            t.add_row(vec![
                e.position.to_string(),
                e.message_id().unwrap_or("-").to_owned(),
                env.and_then(|x| x.payload_str("model_id")).unwrap_or("-").to_owned(),
                env.and_then(|x| x.payload_str("token_symbol")).unwrap_or("-").to_owned(),
                e.shape_name().to_owned(),
                dest.clone(),
            ]);
        }
        output::print_table(&t)?;
        if sum.replayed > preview.len() as u64 {
            output::line(&format!("(first {} of {} shown)", preview.len(), sum.replayed))?;
        }
    }
    let verb = if dry { "would replay" } else { "replayed" };
    let to: Vec<String> = sum.destinations.iter().map(|(d, n)| format!("{n} to {d}")).collect();
    let to = if to.is_empty() { String::new() } else { format!(" ({})", to.join(", ")) };
    output::line(&format!("{verb} {} of {matched} matching entries from {dlq}{to}", sum.replayed))?;
    for (key, n) in &sum.skipped {
        output::line(&format!("skipped {n}: {}", reason_text(key, args)))?;
    }
    if !sum.refused.is_empty() {
        let shown: Vec<&str> = sum.refused.iter().take(10).map(String::as_str).collect();
        let more = if sum.refused.len() > 10 { " ..." } else { "" };
        output::line(&format!("refused message_ids: {}{more}", shown.join(", ")))?;
    }
    if sum.gone > 0 {
        output::line(&format!("gone {}: {GONE_NOTE}", sum.gone))?;
    }
    if interrupted {
        output::line("interrupted: stopped after the last whole batch; run the same command again to go on")?;
    }
    Ok(())
}
