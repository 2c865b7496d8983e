//! `dlq import FILE`: the entries of a `dlq purge --export` file back onto the DLQ, byte for
//! byte: those their purge deleted, never one it did not. The file's `deleted` / `not_deleted`
//! records say which is which; for a batch whose outcome the file lacks (the purge died
//! between writing it and hearing its reply) the purge's record key in Redis says; where
//! neither knows, an entry is pushed only if the DLQ does not still hold it. Each batch
//! records how far the import got in the same atomic step, so importing a file twice (or
//! again after an interruption) adds nothing twice.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};

use anyhow::Result;
use serde_json::{Value, json};

use super::purge::EXPORT_FORMAT;
use super::{Pace, confirm};
use crate::cli::{DlqImportArgs, OutputFormat};
use crate::commands::ensure_replicated;
use crate::config::Config;
use crate::exit::{Failure, Quiet};
use crate::output;
use crate::queue::Queue;
use crate::queue::dlq::ImportEntry;
use crate::signals::Interrupts;

/// What an import does with one entry line.
const UNKNOWN: u8 = 0;
/// Deleted by its purge (the file says so, or the purge's record key): pushed.
const DELETED: u8 = 1;
/// Not deleted by its purge (someone else took it, or its batch was never sent): left out.
const KEPT: u8 = 2;
/// Neither the file nor Redis knows (an export whose record key expired, or one written by a
/// purge without confirmations): pushed only if the DLQ does not hold it already (see
/// [`Segment::copies`]).
const CHECK: u8 = 3;

/// One export (a header line and the entry lines after it).
struct Segment {
    id: String,
    entries: u64,
    /// What to do with each entry line (index n - 1).
    status: Vec<u8>,
    /// Entry lines a previous import already pushed (from Redis).
    done: u64,
    /// For the CHECK lines: how many of them hold each bytes (by SHA1). A CHECK line is pushed
    /// only while the DLQ holds fewer copies of its bytes than these plus the DELETED lines of
    /// the same bytes before it: the copies its purge did not delete are still in the DLQ, so
    /// exactly the deleted ones are pushed back, however many times the same bytes occur.
    copies: HashMap<[u8; 20], u64>,
}

impl Segment {
    fn count(&self, what: u8, after: u64) -> u64 {
        self.status.iter().skip(after as usize).filter(|s| **s == what).count() as u64
    }
}

enum Line {
    Header(String),
    Entry { n: u64, bytes: Vec<u8> },
    Deleted(Vec<u64>),
    NotDeleted(Vec<u64>),
    Blank,
}

fn digest(b: &[u8]) -> [u8; 20] {
    sha1_smol::Sha1::from(b).digest().bytes()
}

pub fn run(cfg: &Config, args: &DlqImportArgs, format: OutputFormat) -> Result<()> {
    let path = &args.file;
    if path.as_os_str() == "-" {
        return Err(Failure::usage("dlq import reads its file twice (check, then push): give a file, not -").into());
    }
    let shown = path.display().to_string();
    let open = || {
        std::fs::File::open(path)
            .map(|f| BufReader::with_capacity(1 << 20, f))
            .map_err(|e| Failure::invalid_input(format!("cannot read {shown}: {e}")))
    };
    let ends_in_newline = {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = std::fs::File::open(path).map_err(|e| Failure::invalid_input(format!("cannot read {shown}: {e}")))?;
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        let mut last = [b'\n'];
        if len > 0 {
            f.seek(SeekFrom::Start(len - 1))
                .and_then(|_| f.read_exact(&mut last))
                .map_err(|e| Failure::invalid_input(format!("cannot read {shown}: {e}")))?;
        }
        last[0] == b'\n'
    };
    // Pass 1: every line checked before anything is pushed. A last line cut short is decided
    // once Redis says whether its batch was ever sent (a purge killed while writing it).
    let mut segments: Vec<Segment> = Vec::new();
    let mut torn: Option<(usize, String)> = None;
    let mut lines = open()?.split(b'\n').enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let line = line.map_err(|e| Failure::invalid_input(format!("cannot read {shown}: {e}")))?;
        let bad = |why: &str| Failure::invalid_input(format!("{shown} line {}: {why}; nothing was imported", i + 1));
        let parsed = match parse_line(&line) {
            Ok(l) => l,
            Err(why) if lines.peek().is_none() && !ends_in_newline && !segments.is_empty() => {
                torn = Some((i, why));
                continue;
            }
            Err(why) => return Err(bad(&why).into()),
        };
        match parsed {
            Line::Blank => {}
            Line::Header(id) => segments.push(Segment { id, entries: 0, status: Vec::new(), done: 0, copies: HashMap::new() }),
            Line::Entry { n, .. } => {
                let seg = segments
                    .last_mut()
                    .ok_or_else(|| bad("an entry before any export header: not a `dlq purge --export` file"))?;
                if n != seg.entries + 1 {
                    return Err(
                        bad(&format!("entry number {n} where {} was expected (the file was edited?)", seg.entries + 1)).into()
                    );
                }
                seg.entries = n;
                seg.status.push(UNKNOWN);
            }
            Line::Deleted(ns) => {
                mark(segments.last_mut().ok_or_else(|| bad("a deleted record before any export header"))?, &ns, DELETED)
            }
            Line::NotDeleted(ns) => {
                mark(segments.last_mut().ok_or_else(|| bad("a not_deleted record before any export header"))?, &ns, KEPT)
            }
        }
    }
    if segments.is_empty() {
        return Err(Failure::invalid_input(format!("{shown} holds no export (no `{EXPORT_FORMAT}` header line)")).into());
    }
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    let dlq = q.keys.dlq.clone();
    let tool = q.keys.tool.clone();
    let progress_key = |id: &str| format!("{tool}:import:{id}");
    let mut records = Vec::with_capacity(segments.len());
    for seg in &mut segments {
        seg.done = q.get_string(&progress_key(&seg.id))?.and_then(|s| s.parse().ok()).unwrap_or(0);
        // Lines the file has no record of: the purge's own record (its last batch) decides.
        let record = q.purge_record(&format!("{tool}:purge:{}", seg.id))?;
        for (i, s) in seg.status.iter_mut().enumerate() {
            if *s == UNKNOWN {
                *s = match record.as_ref().map(|r| r.deleted(i as u64 + 1)) {
                    Some(Some(true)) => DELETED,
                    Some(Some(false)) => KEPT,
                    _ => CHECK,
                };
            }
        }
        records.push(record);
    }
    if let Some((i, why)) = torn {
        // Harmless only when its batch was never sent: the purge's record says so.
        let s = segments.len() - 1;
        let next = segments[s].entries + 1;
        let never_sent = records[s].as_ref().is_some_and(|r| next >= r.first + r.deleted.len() as u64);
        if !never_sent {
            return Err(Failure::invalid_input(format!("{shown} line {}: {why}; nothing was imported", i + 1)).into());
        }
        eprintln!(
            "note: {shown} line {} is cut short (a purge killed while writing it, before its batch was sent): ignored",
            i + 1
        );
    }
    if segments.iter().any(|s| s.status.contains(&CHECK)) {
        // Pass 2: how many copies of each bytes the lines to check hold.
        let mut s: Option<usize> = None;
        for line in open()?.split(b'\n') {
            let line = line?;
            match parse_line(&line) {
                Ok(Line::Header(_)) => s = Some(s.map_or(0, |s| s + 1)),
                Ok(Line::Entry { n, bytes }) => {
                    let seg = &mut segments[s.expect("checked in pass 1")];
                    if seg.status[n as usize - 1] == CHECK {
                        *seg.copies.entry(digest(&bytes)).or_default() += 1;
                    }
                }
                _ => {}
            }
        }
    }
    let pending: u64 = segments.iter().map(|s| s.count(DELETED, s.done) + s.count(CHECK, s.done)).sum();
    let not_deleted: u64 = segments.iter().map(|s| s.count(KEPT, 0)).sum();
    let already: u64 = segments.iter().map(|s| s.done).sum();
    let ok = confirm(&args.write, &format!("import into {dlq}"), || Ok(pending))?;
    if !ok {
        return Err(super::not_confirmed("nothing was imported"));
    }
    let mut imported = 0u64;
    let mut still_there = 0u64;
    let interrupts = Interrupts::install()?;
    let stop = || interrupts.count() > 0;
    let pace = Pace::new(args.write.rate);
    let want = pace.batch(args.write.batch_size);
    let result = (|| -> Result<()> {
        if args.write.dry_run {
            return Ok(());
        }
        q.load_dlq_scripts()?;
        let mut seg_index: Option<usize> = None;
        // (bytes, check) of the batch being built, and the last line in it.
        let mut batch: Vec<(Vec<u8>, u64)> = Vec::new();
        let mut last_n = 0u64;
        // DELETED lines of the current segment so far, by bytes (only bytes that also have
        // lines to check).
        let mut pushed_before: HashMap<[u8; 20], u64> = HashMap::new();
        let mut flush = |q: &mut Queue, seg: &mut Segment, batch: &mut Vec<(Vec<u8>, u64)>, last_n: u64| -> Result<bool> {
            if batch.is_empty() {
                return Ok(true);
            }
            if !pace.wait(batch.len() as u64, &stop) {
                // A signal: this batch is not sent.
                return Ok(false);
            }
            let expected = (seg.done > 0).then(|| seg.done.to_string());
            let entries: Vec<ImportEntry<'_>> = batch.iter().map(|(b, c)| ImportEntry { bytes: b, check: *c }).collect();
            let Some(pushed) = q.dlq_import(&entries, &progress_key(&seg.id), &last_n.to_string(), expected.as_deref())? else {
                return Err(Failure::failed(format!(
                    "another import of export {} is running (its progress moved under this one); nothing of this batch was pushed; \
                     run the import again when it is done to add what is missing",
                    seg.id
                ))
                .into());
            };
            let n = pushed.iter().filter(|p| **p).count() as u64;
            imported += n;
            still_there += pushed.len() as u64 - n;
            seg.done = last_n;
            batch.clear();
            Ok(!stop())
        };
        for line in open()?.split(b'\n') {
            let line = line?;
            let Ok(parsed) = parse_line(&line) else {
                // Only the torn last line fails here (pass 1 let nothing else through).
                continue;
            };
            match parsed {
                Line::Header(_) => {
                    if let Some(s) = seg_index
                        && !flush(&mut q, &mut segments[s], &mut batch, last_n)?
                    {
                        return Ok(());
                    }
                    seg_index = Some(seg_index.map_or(0, |s| s + 1));
                    pushed_before.clear();
                }
                Line::Entry { n, bytes } => {
                    let s = seg_index.expect("checked in pass 1");
                    let seg = &segments[s];
                    let status = seg.status[n as usize - 1];
                    let check = match status {
                        DELETED => {
                            if !seg.copies.is_empty() {
                                let d = digest(&bytes);
                                if seg.copies.contains_key(&d) {
                                    *pushed_before.entry(d).or_default() += 1;
                                }
                            }
                            0
                        }
                        CHECK => {
                            let d = digest(&bytes);
                            seg.copies[&d] + pushed_before.get(&d).copied().unwrap_or(0)
                        }
                        _ => continue,
                    };
                    if n <= seg.done {
                        continue;
                    }
                    batch.push((bytes, check));
                    last_n = n;
                    if batch.len() >= want && !flush(&mut q, &mut segments[s], &mut batch, last_n)? {
                        return Ok(());
                    }
                }
                Line::Deleted(_) | Line::NotDeleted(_) | Line::Blank => {}
            }
        }
        if let Some(s) = seg_index {
            flush(&mut q, &mut segments[s], &mut batch, last_n)?;
        }
        Ok(())
    })();
    let interrupted = interrupts.count() > 0;
    let left = if args.write.dry_run { pending } else { pending.saturating_sub(imported + still_there) };
    let v = json!({
        "dlq": dlq,
        "dry_run": args.write.dry_run,
        "file": shown,
        "exports": segments.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
        "imported": imported,
        "pending": left,
        "already_imported": already,
        "not_deleted": not_deleted,
        "still_in_dlq": still_there,
        "interrupted": interrupted,
    });
    match format {
        OutputFormat::Json => output::json(&v)?,
        OutputFormat::Jsonl => output::line(&v.to_string())?,
        _ => {
            let verb = if args.write.dry_run { "would import" } else { "imported" };
            let n = if args.write.dry_run { pending } else { imported };
            let before =
                if already > 0 { format!(" ({already} were imported by an earlier run and skipped)") } else { String::new() };
            output::line(&format!("{verb} {n} entries from {shown} into {dlq}{before}"))?;
            if not_deleted > 0 {
                output::line(&format!(
                    "left out {not_deleted}: exported but never deleted by their purge (someone else took them, or the purge \
                     stopped before their batch)"
                ))?;
            }
            if still_there > 0 {
                output::line(&format!(
                    "left out {still_there}: the export does not say whether they were deleted, and the DLQ still holds them"
                ))?;
            }
        }
    }
    result?;
    if imported > 0 {
        ensure_replicated(&mut q, &args.write.durability, || format!("{imported} entries were imported"))?;
    }
    if interrupted {
        return Err(Quiet(interrupts.exit_code()).into());
    }
    Ok(())
}

/// Applies a `deleted` / `not_deleted` record to the segment's lines (numbers it does not hold
/// are ignored).
fn mark(seg: &mut Segment, ns: &[u64], what: u8) {
    for n in ns {
        if let Some(s) = n.checked_sub(1).and_then(|i| seg.status.get_mut(i as usize)) {
            *s = what;
        }
    }
}

fn parse_line(line: &[u8]) -> Result<Line, String> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Ok(Line::Blank);
    }
    let v: Value = serde_json::from_slice(line).map_err(|e| format!("not JSON ({e})"))?;
    let obj = v.as_object().ok_or("not a JSON object")?;
    if obj.contains_key(EXPORT_FORMAT) {
        let id = obj.get("export_id").and_then(Value::as_str).ok_or("an export header without export_id")?;
        return Ok(Line::Header(id.to_owned()));
    }
    if let Some(ns) = obj.get("not_deleted") {
        let ns = ns.as_array().ok_or("not_deleted is not a list")?;
        return Ok(Line::NotDeleted(ns.iter().filter_map(Value::as_u64).collect()));
    }
    if let Some(ns) = obj.get("deleted") {
        let ns = ns.as_array().ok_or("deleted is not a list")?;
        return Ok(Line::Deleted(ns.iter().filter_map(Value::as_u64).collect()));
    }
    let n = obj.get("n").and_then(Value::as_u64).ok_or("an entry line without its number `n`")?;
    let bytes = match (obj.get("entry"), obj.get("entry_base64")) {
        (Some(Value::String(t)), None) => t.clone().into_bytes(),
        (None, Some(Value::String(b))) => {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD.decode(b).map_err(|e| format!("entry_base64 is not base64 ({e})"))?
        }
        _ => return Err("an entry line needs exactly one of `entry` (text) or `entry_base64`".into()),
    };
    Ok(Line::Entry { n, bytes })
}
