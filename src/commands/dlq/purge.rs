//! `dlq purge`: delete matching entries, each batch only after it is exported (and fsynced)
//! when --export is given; each entry deleted by an atomic step that checks it is still there.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::{Call, Entry, GONE_NOTE, Pace, Scanner, confirm};
use crate::cli::{DlqPurgeArgs, OutputFormat};
use crate::commands::ensure_replicated;
use crate::config::Config;
use crate::exit::{Failure, Quiet};
use crate::output;
use crate::queue::Queue;
use crate::queue::dlq::{Mode, Moved};
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
    let ok = confirm(&args.write, &format!("delete dead letters from {dlq}"), || {
        let mut s = Scanner::new(&args.filter);
        loop {
            let batch = s.next_batch(&mut q, 10_000, &all)?;
            if batch.is_empty() && s.finished() {
                return Ok(s.matched);
            }
        }
    })?;
    if !ok {
        output::line("nothing deleted")?;
        return Ok(());
    }
    let mut export = match (&args.export, args.write.dry_run) {
        (Some(path), false) => Some(Export::open(path, &dlq)?),
        _ => None,
    };
    let interrupts = Interrupts::install()?;
    let pace = Pace::new(args.write.rate);
    let mut sum = Summary::default();
    let bar = ui::progress(0, "purging");
    let dry = args.write.dry_run;
    let batch = args.write.batch_size as usize;
    // Export line number of each entry of the page being planned / sent.
    let firsts: std::cell::RefCell<std::collections::VecDeque<u64>> = Default::default();
    let dry_count = std::cell::Cell::new(0u64);
    let export_cell = std::cell::RefCell::new(export.take());
    let mut plan_page = |entries: &[Entry]| -> Result<Vec<Call>> {
        if dry {
            dry_count.set(dry_count.get() + entries.len() as u64);
            return Ok(vec![]);
        }
        if entries.is_empty() {
            return Ok(vec![]);
        }
        // Written and on disk before anything is deleted.
        if let Some(x) = export_cell.borrow_mut().as_mut() {
            firsts.borrow_mut().push_back(x.write(entries)?);
        }
        Ok(entries
            .chunks(batch)
            .enumerate()
            .map(|(c, chunk)| Call {
                mode: Mode::Delete,
                items: (0..chunk.len()).map(|i| (c * batch + i, Vec::new(), String::new())).collect(),
            })
            .collect())
    };
    let mut sent_calls = 0usize;
    let mut not_deleted: Vec<u64> = Vec::new();
    let mut failure: Option<anyhow::Error> = None;
    let mut on_done = |entries: &[Entry], call: &Call, outcomes: &[Moved]| {
        let first = firsts.borrow().front().copied();
        for ((i, _, _), o) in call.items.iter().zip(outcomes) {
            match o {
                Moved::Done => sum.deleted += 1,
                _ => {
                    sum.gone += 1;
                    if let Some(f) = first {
                        not_deleted.push(f + *i as u64);
                    }
                }
            }
        }
        if first.is_some() {
            sum.exported += call.items.len() as u64;
        }
        // The last call of a page: its export record is complete.
        sent_calls += call.items.len();
        if sent_calls == entries.len() {
            sent_calls = 0;
            firsts.borrow_mut().pop_front();
            if !not_deleted.is_empty() {
                if let Some(x) = export_cell.borrow_mut().as_mut()
                    && let Err(e) = x.not_deleted(&not_deleted)
                {
                    failure.get_or_insert(e);
                }
                not_deleted.clear();
            }
        }
    };
    let stop = || interrupts.count() > 0;
    let page = (2 * batch).clamp(1000, 10_000);
    let all = |_: &Entry| true;
    // Another operator removing entries meanwhile can slide some past the cursor: go over the
    // DLQ again (a few times at most) until a pass finds it undisturbed.
    let mut filter = args.filter.clone();
    let mut matched = 0;
    let mut result;
    let mut pass = 0;
    loop {
        pass += 1;
        result = super::sweep(&mut q, &filter, page, (dry, false), &pace, &stop, &bar, &all, &mut plan_page, &mut on_done);
        let Ok(swept) = &result else { break };
        matched = if pass == 1 { swept.matched } else { matched + swept.acted };
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
    let result = match (result, failure) {
        (Ok(_), Some(e)) => Err(e),
        (r, _) => r,
    };
    if dry {
        sum.deleted = dry_count.get();
    }
    let export = export_cell.into_inner();
    bar.finish_and_clear();
    let interrupted = interrupts.count() > 0;
    if result.is_ok() || sum.deleted > 0 {
        report(&sum, args, &dlq, matched, interrupted, export.as_ref(), format)?;
    }
    result?;
    if !args.write.dry_run && sum.deleted > 0 {
        let n = sum.deleted;
        ensure_replicated(&mut q, &args.write.durability, || format!("{n} entries were deleted"))?;
    }
    if interrupted {
        return Err(Quiet(interrupts.exit_code()).into());
    }
    Ok(())
}

fn report(
    sum: &Summary,
    args: &DlqPurgeArgs,
    dlq: &str,
    matched: u64,
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
        });
        if format == OutputFormat::Json {
            output::json(&v)?
        } else {
            output::line(&v.to_string())?
        }
        return Ok(());
    }
    let verb = if dry { "would delete" } else { "deleted" };
    output::line(&format!("{verb} {} of {matched} matching entries from {dlq}", sum.deleted))?;
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

/// An export file being appended to: a header line, then one line per entry, fsynced per batch.
struct Export {
    file: BufWriter<File>,
    id: String,
    /// Entries written so far in this segment (entry lines are numbered from 1).
    written: u64,
    path: String,
}

impl Export {
    fn open(path: &Path, dlq: &str) -> Result<Self> {
        let shown = path.display().to_string();
        let cannot =
            |e: std::io::Error| Failure::failed(format!("cannot write the export file {shown}: {e}; nothing was deleted"));
        let existed = path.exists();
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(cannot)?;
        let id = uuid::Uuid::new_v4().to_string();
        let mut x = Self { file: BufWriter::with_capacity(1 << 20, file), id, written: 0, path: shown };
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
    fn write(&mut self, batch: &[Entry]) -> Result<u64> {
        let first = self.written + 1;
        for e in batch {
            self.written += 1;
            let mut v = json!({"n": self.written});
            match std::str::from_utf8(e.raw()) {
                Ok(text) => v["entry"] = Value::String(text.to_owned()),
                Err(_) => {
                    use base64::Engine;
                    v["entry_base64"] = Value::String(base64::engine::general_purpose::STANDARD.encode(e.raw()));
                }
            }
            self.append(&v)?;
        }
        self.sync()?;
        Ok(first)
    }

    /// Records entries that were exported but found gone (someone else took them): an import
    /// leaves them out.
    fn not_deleted(&mut self, ns: &[u64]) -> Result<()> {
        self.append(&json!({"not_deleted": ns, "reason": "gone before the delete"}))?;
        self.sync()
    }
}
