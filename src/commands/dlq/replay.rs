//! `dlq replay`: matching entries back to their queue, unwrapped, retry_count reset; each
//! moved by an atomic step that first checks it is still in the DLQ; a replay counter per
//! message refuses poison that would cycle forever.

use std::collections::BTreeMap;

use anyhow::Result;
use serde_json::json;

use super::{Call, Entry, GONE_NOTE, Pace, Rest, Scanner, Steps, confirm};
use crate::cli::{DlqReplayArgs, OutputFormat};
use crate::commands::ensure_replicated;
use crate::config::Config;
use crate::exit::{Failure, Quiet};
use crate::output;
use crate::queue::Queue;
use crate::queue::dlq::{Mode, Moved};
use crate::queue::keys::{Keys, slot};
use crate::queue::message::reset_retry_count;
use crate::queue::profile::Profile;
use crate::signals::Interrupts;
use crate::ui;

/// What one entry would become.
pub(crate) enum Plan {
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

/// A dry run's table row: position, message_id, model_id, token_symbol, shape, destination.
type PreviewRow = (u64, Option<String>, Option<String>, Option<String>, &'static str, String);

pub fn run(cfg: &Config, args: &DlqReplayArgs, format: OutputFormat) -> Result<()> {
    let keys = &cfg.keys;
    if let Some(to) = &args.to {
        if to.is_empty() {
            return Err(Failure::usage("--to needs a queue name").into());
        }
        if *to == keys.dlq {
            return Err(Failure::usage(format!("--to {to} is the dead-letter list itself: name the queue to replay onto")).into());
        }
        if Profile::for_queue(to) == Profile::Mint {
            return Err(Failure::usage(format!(
                "--to {to} has the mint profile: its consumer (the contract deployer) takes MintRequests, not envelopes, \
                 and would dead-letter every one; replay mint dead letters with `--queue {to} dlq replay`"
            ))
            .into());
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
    let plan = |e: &Entry| plan(e, args, keys, cluster);
    let counts = |e: &Entry| destination(e, args, keys, cluster).is_ok();
    let sum_dry: std::cell::RefCell<BTreeMap<String, u64>> = Default::default();
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
        return Err(super::not_confirmed("nothing was replayed"));
    }
    let interrupts = Interrupts::install()?;
    let pace = Pace::new(args.write.rate);
    let sum_cell = std::cell::RefCell::new(Summary::default());
    let mut preview: Vec<PreviewRow> = Vec::new();
    let bar = ui::progress(0, "replaying");
    let dry = args.write.dry_run;
    let batch = pace.batch(args.write.batch_size);
    let skipped: std::cell::RefCell<BTreeMap<&'static str, u64>> = Default::default();
    let limited = std::cell::Cell::new(0u64);
    let refused_dry: std::cell::RefCell<Vec<String>> = Default::default();
    let mut plan_page = |entries: &[Entry]| -> Result<Vec<Call>> {
        let mut calls: Vec<Call> = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            match plan(e) {
                Plan::Skip(why) => *skipped.borrow_mut().entry(why).or_default() += 1,
                Plan::Replay { dest, element, counter } => {
                    if dry && e.replays.is_some_and(|n| n >= args.max_replays()) && !args.force {
                        limited.set(limited.get() + 1);
                        if refused_dry.borrow().len() < REFUSED_SHOWN {
                            refused_dry.borrow_mut().push(e.message_id().unwrap_or("-").to_owned());
                        }
                        continue;
                    }
                    if dry {
                        if preview.len() < 20 {
                            let env = e.envelope();
                            let field = |k: &str| env.and_then(|x| x.payload_str(k)).map(str::to_owned);
                            preview.push((
                                e.position,
                                e.message_id().map(str::to_owned),
                                field("model_id"),
                                field("token_symbol"),
                                e.shape_name(),
                                dest.clone(),
                            ));
                        }
                        *sum_dry.borrow_mut().entry(dest).or_default() += 1;
                        continue;
                    }
                    let same = matches!(calls.last(), Some(Call { mode: Mode::Replay { dest: d, .. }, items }) if *d == dest && items.len() < batch);
                    if !same {
                        calls.push(Call {
                            mode: Mode::Replay { dest, max_replays: args.max_replays(), force: args.force },
                            items: Vec::new(),
                        });
                    }
                    calls.last_mut().expect("just pushed").items.push((i, element, counter));
                }
            }
        }
        Ok(calls)
    };
    let mut on_done = |entries: &[Entry], call: &Call, outcomes: &[Moved]| -> Result<()> {
        let Mode::Replay { dest, .. } = &call.mode else { return Ok(()) };
        let mut sum = sum_cell.borrow_mut();
        for ((i, _, _), o) in call.items.iter().zip(outcomes) {
            match o {
                Moved::Done => {
                    sum.replayed += 1;
                    *sum.destinations.entry(dest.clone()).or_default() += 1;
                }
                Moved::Gone => sum.gone += 1,
                Moved::Limit => {
                    *sum.skipped.entry("max_replays").or_default() += 1;
                    if sum.refused.len() < REFUSED_SHOWN {
                        sum.refused.push(entries[*i].message_id().unwrap_or("-").to_owned());
                    }
                }
            }
        }
        Ok(())
    };
    let mut on_send = |_: &[Entry], _: &mut [Call], _: usize| -> Result<()> { Ok(()) };
    let stop = || interrupts.count() > 0;
    let page = (2 * batch).clamp(1000, 10_000);
    // Another operator removing entries meanwhile can slide some past the cursor: go over the
    // DLQ again (a few times at most) until a pass finds it undisturbed.
    let mut filter = args.filter.clone();
    let mut matched = 0;
    let mut limit_reached = false;
    let mut result;
    let mut pass = 0;
    loop {
        pass += 1;
        skipped.borrow_mut().clear();
        let refused_before = sum_cell.borrow().refused.len();
        let limit_refusals = sum_cell.borrow_mut().skipped.remove("max_replays").unwrap_or(0);
        let steps = Steps { counts: &counts, plan: &mut plan_page, send: &mut on_send, done: &mut on_done };
        result = super::sweep(&mut q, &filter, page, (dry, !args.force), &pace, &stop, &bar, steps);
        let Ok(swept) = &result else { break };
        matched = if pass == 1 { swept.matched } else { matched + swept.acted };
        limit_reached = swept.limit_reached;
        if pass > 1 {
            // Entries refused again were reported by the first pass.
            let mut sum = sum_cell.borrow_mut();
            sum.refused.truncate(refused_before);
            sum.skipped.insert("max_replays", limit_refusals);
        }
        if !swept.disturbed || stop() || pass == 3 {
            break;
        }
        if let Some(l) = &mut filter.limit {
            *l = l.saturating_sub(swept.acted);
            if *l == 0 {
                break;
            }
        }
    }
    let mut sum = sum_cell.into_inner();
    for (why, n) in skipped.into_inner() {
        *sum.skipped.entry(why).or_default() += n;
    }
    if dry {
        if limited.get() > 0 {
            sum.skipped.insert("max_replays", limited.get());
            sum.refused = refused_dry.into_inner();
        }
        for (dest, n) in sum_dry.into_inner() {
            sum.replayed += n;
            sum.destinations.insert(dest, n);
        }
    }
    bar.finish_and_clear();
    let interrupted = interrupts.count() > 0;
    let rest = if result.is_ok() {
        Rest::find(&mut q, &args.filter, limit_reached, interrupted, &counts, &|| interrupts.count() > 1)
    } else {
        Rest::default()
    };
    if result.is_ok() || sum.replayed > 0 {
        report(&sum, &preview, args, &q.keys.dlq, (matched, &rest), interrupted, format)?;
    }
    result?;
    if !args.write.dry_run && sum.replayed > 0 {
        let n = sum.replayed;
        ensure_replicated(&mut q, &args.write.durability, || format!("{n} entries were replayed"))?;
    }
    if interrupted {
        return Err(Quiet(interrupts.exit_code()).into());
    }
    super::no_entry_for_ids(&args.filter, matched, interrupted, &q.keys.dlq)?;
    // Entries matched and none went (each skipped or over --max-replays): the replay did
    // nothing, and a script must see it (exit 1, as the mint profile's replay).
    let skipped: u64 = sum.skipped.values().sum();
    if sum.replayed == 0 && sum.gone == 0 && skipped > 0 {
        return Err(Failure::failed(format!(
            "nothing {}: every matching entry was skipped (see above)",
            if args.write.dry_run { "would be replayed" } else { "replayed" }
        ))
        .into());
    }
    Ok(())
}

/// What to do with one matching entry.
pub(crate) fn plan(e: &Entry, args: &DlqReplayArgs, keys: &Keys, cluster: bool) -> Plan {
    let dest = match destination(e, args, keys, cluster) {
        Ok(d) => d,
        Err(why) => return Plan::Skip(why),
    };
    let (element, counter) = if e.has_envelope() {
        let stored = e.stored();
        let element = if args.keep_retry_count || e.retry_count() == Some(0) {
            stored.to_vec()
        } else if let Some(reset) = e.reset() {
            reset.to_vec()
        } else {
            std::str::from_utf8(stored)
                .ok()
                .and_then(|s| reset_retry_count(s, 0))
                .or_else(|| e.envelope().map(|env| env.with_retry_count(0)))
                .unwrap_or_else(|| stored.to_vec())
        };
        (element, e.message_id().unwrap_or_default().to_owned())
    } else {
        // Not an envelope (only with --include-raw): pushed unchanged, counted by its bytes.
        (e.stored().to_vec(), format!("sha1:{}", sha1_hex(e.raw())))
    };
    Plan::Replay { dest, element, counter }
}

/// Where an entry would go, or why it stays (cheap: builds no element).
fn destination(e: &Entry, args: &DlqReplayArgs, keys: &Keys, cluster: bool) -> Result<String, &'static str> {
    let (main, dlq) = (keys.main.as_str(), keys.dlq.as_str());
    if !e.has_envelope() && !args.include_raw {
        return Err("not_envelope");
    }
    let dest = args.to.as_deref().or_else(|| e.original_queue()).unwrap_or(main);
    if dest == dlq {
        return Err("original_queue_is_dlq");
    }
    // Bytes that are not an envelope would sit in the platform consumer's :processing forever
    // (its decode / json.loads raises): --include-raw replays them only onto a queue of another
    // profile (--to), as emit --raw is refused here.
    let dest_profile = if dest == main { keys.profile } else { Profile::for_queue(dest) };
    if !e.has_envelope() && dest_profile == Profile::Envelope {
        return Err("raw_onto_envelope_queue");
    }
    // An envelope on a mint queue would be dead-lettered by the deployer as a schema reject.
    if Profile::for_queue(dest) == Profile::Mint {
        return Err("destination_mint_profile");
    }
    if cluster && slot(dest) != slot(dlq) {
        return Err("original_queue_other_slot");
    }
    Ok(dest.to_owned())
}

fn sha1_hex(b: &[u8]) -> String {
    sha1_smol::Sha1::from(b).digest().to_string()
}

pub(crate) fn reason_text(key: &str, args: &DlqReplayArgs) -> String {
    match key {
        "not_envelope" => "not an envelope (raw bytes or other JSON; --include-raw replays them unchanged)".into(),
        "max_replays" => format!("already replayed --max-replays {} times (--force replays them anyway)", args.max_replays()),
        "original_queue_is_dlq" => "original_queue is the DLQ itself (use --to QUEUE)".into(),
        "raw_onto_envelope_queue" => "not an envelope, and its destination takes envelopes only (the platform's consumer cannot \
                                      read it): --to a queue of another profile, or `dlq purge --id` it"
            .into(),
        "destination_mint_profile" => {
            "destination has the mint profile (the contract deployer's queue takes MintRequests, never envelopes)".into()
        }
        "original_queue_other_slot" => {
            "original_queue is in another cluster slot than the DLQ (use --to with a queue of the same {hash tag})".into()
        }
        other => other.into(),
    }
}

fn report(
    sum: &Summary,
    preview: &[PreviewRow],
    args: &DlqReplayArgs,
    dlq: &str,
    (matched, rest): (u64, &Rest),
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
            "limit_reached": rest.limit.is_some(),
            "more_matching": rest.limit.flatten(),
            "dlq_left": rest.interrupted_left,
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
        for (position, id, model, symbol, shape, dest) in preview {
            let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
            t.add_row(vec![position.to_string(), dash(id), dash(model), dash(symbol), shape.to_string(), dest.clone()]);
        }
        output::print_table(&t)?;
        if sum.replayed > preview.len() as u64 {
            output::note(&format!("(first {} of {} shown)", preview.len(), sum.replayed))?;
        }
    }
    let verb = if dry { "would replay" } else { "replayed" };
    let to: Vec<String> = sum.destinations.iter().map(|(d, n)| format!("{n} to {d}")).collect();
    let to = if to.is_empty() { String::new() } else { format!(" ({})", to.join(", ")) };
    output::line(&format!(
        "{}{to}",
        rest.summary(verb, sum.replayed, matched, dry, args.filter.limit, &format!("from {dlq}"), dlq)
    ))?;
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
