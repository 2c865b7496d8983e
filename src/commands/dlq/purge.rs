//! `dlq purge`: delete matching entries, each batch only after it is exported (and fsynced)
//! when --export is given; each entry deleted by an atomic step that checks it is still there,
//! and that records which of the batch's export lines it deleted. After its reply the export
//! says so too (`deleted` / `not_deleted` records), so `dlq import` puts back exactly what was
//! deleted, even after the purge was killed between writing a batch and hearing its reply.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::{Call, Entry, GONE_NOTE, Pace, Rest, Scanner, Steps, confirm, not_confirmed};
use crate::cli::{DlqPurgeArgs, OutputFormat};
use crate::commands::ensure_replicated;
use crate::config::Config;
use crate::exit::{Failure, Quiet};
use crate::output;
use crate::queue::Queue;
use crate::queue::dlq::{Mode, Moved, Record};
use crate::queue::message::now_naive_iso;
use crate::signals::Interrupts;
use crate::ui;

/// The first line of every export segment (README: dlq purge --export).
pub const EXPORT_FORMAT: &str = "hokusai_dlq_export";

#[derive(Default)]
struct Summary {
    deleted: u64,
    exported: u64,
    gone: u64,
}

pub fn run(cfg: &Config, args: &DlqPurgeArgs, format: OutputFormat) -> Result<()> {
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    let dlq = q.keys.dlq.clone();
    let all = |_: &Entry| true;
    let what = if args.export.is_some() {
        format!("delete (after exporting them) dead letters from {dlq}")
    } else {
        format!("delete for good (no --export: this cannot be undone) dead letters from {dlq}")
    };
    let ok = confirm(&args.write, &what, || {
        let mut s = Scanner::new(&args.filter);
        loop {
            let batch = s.next_batch(&mut q, 10_000, &all)?;
            if batch.is_empty() && s.finished() {
                return Ok(s.matched);
            }
        }
    })?;
    if !ok {
        return Err(not_confirmed("nothing was deleted"));
    }
    let mut export = match (&args.export, args.write.dry_run) {
        (Some(path), false) => Some(Export::open(path, &dlq, &q.keys.tool)?),
        _ => None,
    };
    if let Some(x) = &export {
        // Before the first batch: an import can tell "never sent" from "record lost".
        x.start_record(&mut q)?;
    }
    let interrupts = Interrupts::install()?;
    let pace = Pace::new(args.write.rate);
    let mut sum = Summary::default();
    let bar = ui::progress(0, "purging");
    let dry = args.write.dry_run;
    let batch = pace.batch(args.write.batch_size);
    let dry_count = std::cell::Cell::new(0u64);
    let sum_exported = std::cell::Cell::new(0u64);
    let export_cell = std::cell::RefCell::new(export.take());
    let mut plan_page = |entries: &[Entry]| -> Result<Vec<Call>> {
        if dry {
            dry_count.set(dry_count.get() + entries.len() as u64);
            return Ok(vec![]);
        }
        Ok(entries
            .chunks(batch)
            .enumerate()
            .map(|(c, chunk)| Call {
                mode: Mode::Delete { record: None },
                items: (0..chunk.len()).map(|i| (c * batch + i, Vec::new(), String::new())).collect(),
            })
            .collect())
    };
    // Each batch is in the export and on disk before it is sent (the page's batches not
    // written yet are written and synced together, one sync per page); the script records what
    // it deleted in the export's record key, and the reply is written down after it. Batches
    // run in order, one at a time, so the record of the last one that ran also says which lines
    // were never sent.
    let mut on_send = |entries: &[Entry], calls: &mut [Call], i: usize| -> Result<()> {
        let mut export = export_cell.borrow_mut();
        let Some(x) = export.as_mut() else { return Ok(()) };
        if matches!(calls[i].mode, Mode::Delete { record: Some(_) }) {
            return Ok(());
        }
        let mut first = x.write(calls[i..].iter().flat_map(|c| c.items.iter().map(|(k, _, _)| entries[*k].raw())))?;
        for call in &mut calls[i..] {
            call.mode = Mode::Delete { record: Some(Record { key: x.record_key.clone(), first }) };
            first += call.items.len() as u64;
            sum_exported.set(sum_exported.get() + call.items.len() as u64);
        }
        Ok(())
    };
    let mut on_done = |_: &[Entry], call: &Call, outcomes: &[Moved]| -> Result<()> {
        let mut deleted = Vec::new();
        let mut not_deleted = Vec::new();
        let first = match &call.mode {
            Mode::Delete { record: Some(r) } => Some(r.first),
            _ => None,
        };
        for (k, o) in outcomes.iter().enumerate().take(call.items.len()) {
            let line = first.map(|f| f + k as u64);
            match o {
                Moved::Done => {
                    sum.deleted += 1;
                    deleted.extend(line);
                }
                _ => {
                    sum.gone += 1;
                    not_deleted.extend(line);
                }
            }
        }
        if let Some(x) = export_cell.borrow_mut().as_mut()
            && first.is_some()
        {
            x.outcome(&deleted, &not_deleted)?;
        }
        Ok(())
    };
    let stop = || interrupts.count() > 0;
    let page = (2 * batch).clamp(1000, 10_000);
    let all = |_: &Entry| true;
    // Another operator removing entries meanwhile can slide some past the cursor: go over the
    // DLQ again (a few times at most) until a pass finds it undisturbed.
    let mut filter = args.filter.clone();
    let mut matched = 0;
    let mut limit_reached = false;
    let mut result;
    let mut pass = 0;
    loop {
        pass += 1;
        let steps = Steps { counts: &all, plan: &mut plan_page, send: &mut on_send, done: &mut on_done };
        result = super::sweep(&mut q, &filter, page, (dry, false), &pace, &stop, &bar, steps);
        let Ok(swept) = &result else { break };
        matched = if pass == 1 { swept.matched } else { matched + swept.acted };
        limit_reached = swept.limit_reached;
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
    // The last outcome on disk too (each batch's own sync covers the ones before it).
    let synced = match export_cell.borrow_mut().as_mut() {
        Some(x) => x.sync(),
        None => Ok(()),
    };
    let failure = synced.err();
    let result = match (result, failure) {
        (Ok(_), Some(e)) => Err(e),
        (r, _) => r,
    };
    if dry {
        sum.deleted = dry_count.get();
    }
    sum.exported = sum_exported.get();
    let export = export_cell.into_inner();
    bar.finish_and_clear();
    let interrupted = interrupts.count() > 0;
    let rest = if result.is_ok() {
        Rest::find(&mut q, &args.filter, limit_reached, interrupted, &all, &|| interrupts.count() > 1)
    } else {
        Rest::default()
    };
    if result.is_ok() || sum.deleted > 0 {
        report(&sum, args, &dlq, (matched, &rest), interrupted, export.as_ref(), format)?;
    }
    result?;
    if !args.write.dry_run && sum.deleted > 0 {
        let n = sum.deleted;
        ensure_replicated(&mut q, &args.write.durability, || format!("{n} entries were deleted"))?;
    }
    if interrupted {
        return Err(Quiet(interrupts.exit_code()).into());
    }
    super::no_entry_for_ids(&args.filter, matched, interrupted, &dlq)
}

fn report(
    sum: &Summary,
    args: &DlqPurgeArgs,
    dlq: &str,
    (matched, rest): (u64, &Rest),
    interrupted: bool,
    export: Option<&Export>,
    format: OutputFormat,
) -> Result<()> {
    let dry = args.write.dry_run;
    if matches!(format, OutputFormat::Json | OutputFormat::Jsonl) {
        let v = json!({
            "dlq": dlq,
            "dry_run": dry,
            "matched": matched,
            "deleted": sum.deleted,
            "exported": sum.exported,
            "export_file": args.export.as_ref().map(|p| p.display().to_string()),
            "export_id": export.map(|x| x.id.clone()),
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
    let verb = if dry { "would delete" } else { "deleted" };
    output::line(&rest.summary(verb, sum.deleted, matched, dry, args.filter.limit, &format!("from {dlq}"), dlq))?;
    if let (Some(x), Some(path)) = (export, &args.export) {
        output::line(&format!(
            "exported {} entries to {} (export {}); `hokusai-queue dlq import {}` puts them back",
            sum.exported,
            path.display(),
            x.id,
            path.display()
        ))?;
    }
    if sum.gone > 0 {
        output::line(&format!("gone {}: {GONE_NOTE}", sum.gone))?;
    }
    if interrupted {
        output::line("interrupted: stopped after the last whole batch; run the same command again to go on")?;
    }
    Ok(())
}

/// An export file being appended to: a header line, then one line per entry, each batch on
/// disk (fsynced) before it is sent, and after its reply what it did:
/// `{"deleted": [n...]}` and `{"not_deleted": [n...], "reason"}` (the mint profile's writer uses
/// the same records). A batch whose reply never came (the process died, Redis went away) has no
/// such record: the purge's record key, written by the delete script itself, says what it did.
struct Export {
    file: BufWriter<File>,
    id: String,
    /// `<tool>:purge:<export_id>`.
    record_key: String,
    /// Entries written so far in this segment (entry lines are numbered from 1).
    written: u64,
    path: String,
}

impl Export {
    fn open(path: &Path, dlq: &str, tool: &str) -> Result<Self> {
        let shown = path.display().to_string();
        let cannot =
            |e: std::io::Error| Failure::failed(format!("cannot write the export file {shown}: {e}; nothing was deleted"));
        let existed = path.exists();
        let file = std::fs::OpenOptions::new().create(true).read(true).append(true).open(path).map_err(cannot)?;
        drop_torn_tail(&file, &shown).map_err(cannot)?;
        let id = uuid::Uuid::new_v4().to_string();
        let record_key = format!("{tool}:purge:{id}");
        let mut x = Self { file: BufWriter::with_capacity(1 << 20, file), id, record_key, written: 0, path: shown };
        let header = json!({EXPORT_FORMAT: 1, "export_id": x.id, "dlq": dlq, "exported_at": now_naive_iso()});
        x.append(&header)?;
        x.sync()?;
        if !existed {
            // Make the new file's directory entry durable too.
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(x)
    }

    /// Creates the purge's record key before its first batch.
    fn start_record(&self, q: &mut Queue) -> Result<()> {
        q.start_purge_record(&self.record_key)
    }

    fn append(&mut self, v: &Value) -> Result<()> {
        serde_json::to_writer(&mut self.file, v).with_context(|| format!("writing the export file {}", self.path))?;
        self.file.write_all(b"\n").with_context(|| format!("writing the export file {}", self.path))?;
        Ok(())
    }

    fn sync(&mut self) -> Result<()> {
        self.file.flush().with_context(|| format!("writing the export file {}", self.path))?;
        self.file.get_ref().sync_data().with_context(|| format!("syncing the export file {}", self.path))?;
        Ok(())
    }

    /// Appends a batch and syncs it; returns the number of its first entry line.
    fn write<'e>(&mut self, batch: impl Iterator<Item = &'e [u8]>) -> Result<u64> {
        let first = self.written + 1;
        for raw in batch {
            self.written += 1;
            let mut v = json!({"n": self.written});
            match std::str::from_utf8(raw) {
                Ok(text) => v["entry"] = Value::String(text.to_owned()),
                Err(_) => {
                    use base64::Engine;
                    v["entry_base64"] = Value::String(base64::engine::general_purpose::STANDARD.encode(raw));
                }
            }
            self.append(&v)?;
        }
        self.sync()?;
        Ok(first)
    }

    /// Records what a batch did: the lines it deleted, and those it found gone (someone else
    /// took them; an import leaves them out). Handed to the OS, not synced: the next batch's
    /// sync covers it, and the record key covers the last batch until then.
    fn outcome(&mut self, deleted: &[u64], not_deleted: &[u64]) -> Result<()> {
        if !deleted.is_empty() {
            self.append(&json!({"deleted": deleted}))?;
        }
        if !not_deleted.is_empty() {
            self.append(&json!({"not_deleted": not_deleted, "reason": "gone before the delete"}))?;
        }
        self.file.flush().with_context(|| format!("writing the export file {}", self.path))
    }
}

/// A purge killed in the middle of a write can leave a last line cut short (never synced
/// whole, so its batch was never sent). Before appending to an export file, that torn tail is
/// cut off, so the new header starts a line of its own. Only done to a file whose first line
/// is an export header: any other file just gets its missing line break.
fn drop_torn_tail(file: &File, shown: &str) -> std::io::Result<()> {
    use std::io::{BufRead, Read, Seek, SeekFrom};
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(());
    }
    let mut r = file;
    let mut last = [0u8];
    r.seek(SeekFrom::Start(len - 1))?;
    r.read_exact(&mut last)?;
    if last[0] == b'\n' {
        return Ok(());
    }
    r.seek(SeekFrom::Start(0))?;
    let mut first = Vec::new();
    std::io::BufReader::new(r).take(1 << 20).read_until(b'\n', &mut first)?;
    let ours = first.ends_with(b"\n") && serde_json::from_slice::<Value>(&first).is_ok_and(|v| v.get(EXPORT_FORMAT).is_some());
    if !ours {
        let mut w = file;
        return w.write_all(b"\n");
    }
    // The last line break: read backwards in chunks.
    let mut end = len;
    let mut buf = vec![0u8; 64 * 1024];
    while end > 0 {
        let from = end.saturating_sub(buf.len() as u64);
        let chunk = &mut buf[..(end - from) as usize];
        r.seek(SeekFrom::Start(from))?;
        r.read_exact(chunk)?;
        if let Some(i) = chunk.iter().rposition(|b| *b == b'\n') {
            let keep = from + i as u64 + 1;
            eprintln!(
                "note: {shown} ended in a line cut short ({} bytes, from a purge that was killed while writing it; its \
                 batch was never sent): removed before appending",
                len - keep
            );
            file.set_len(keep)?;
            file.sync_data()?;
            return Ok(());
        }
        end = from;
    }
    Ok(())
}
