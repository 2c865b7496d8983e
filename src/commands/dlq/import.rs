//! `dlq import FILE`: the entries of a `dlq purge --export` file back onto the DLQ, byte for
//! byte. Each batch records how far the import got in the same atomic step, so importing a
//! file twice (or again after an interruption) adds nothing twice.

use std::collections::HashSet;
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
use crate::signals::Interrupts;

/// One export (a header line and the entry lines after it).
struct Segment {
    id: String,
    entries: u64,
    not_deleted: HashSet<u64>,
    /// Entry lines a previous import already pushed (from Redis).
    done: u64,
}

enum Line {
    Header(String),
    Entry { n: u64, bytes: Vec<u8> },
    NotDeleted(Vec<u64>),
    Blank,
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
    // Pass 1: every line checked before anything is pushed.
    let mut segments: Vec<Segment> = Vec::new();
    for (i, line) in open()?.split(b'\n').enumerate() {
        let line = line.map_err(|e| Failure::invalid_input(format!("cannot read {shown}: {e}")))?;
        let bad = |why: &str| Failure::invalid_input(format!("{shown} line {}: {why}; nothing was imported", i + 1));
        match parse_line(&line).map_err(|w| bad(&w))? {
            Line::Blank => {}
            Line::Header(id) => segments.push(Segment { id, entries: 0, not_deleted: HashSet::new(), done: 0 }),
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
            }
            Line::NotDeleted(ns) => {
                let seg = segments.last_mut().ok_or_else(|| bad("a not_deleted record before any export header"))?;
                seg.not_deleted.extend(ns);
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
    for seg in &mut segments {
        seg.done = q.get_string(&progress_key(&seg.id))?.and_then(|s| s.parse().ok()).unwrap_or(0);
    }
    let pending: u64 =
        segments.iter().map(|s| (s.done + 1..=s.entries).filter(|n| !s.not_deleted.contains(n)).count() as u64).sum();
    let already: u64 = segments.iter().map(|s| s.done).sum();
    let ok = confirm(&args.write, &format!("import into {dlq}"), || Ok(pending))?;
    if !ok {
        output::line("nothing imported")?;
        return Ok(());
    }
    let mut imported = 0u64;
    let interrupts = Interrupts::install()?;
    let pace = Pace::new(args.write.rate);
    let want = pace.batch(args.write.batch_size);
    let result = (|| -> Result<()> {
        if args.write.dry_run {
            return Ok(());
        }
        let mut seg_index: Option<usize> = None;
        let mut batch: Vec<Vec<u8>> = Vec::new();
        let mut last_n = 0u64;
        let mut flush = |q: &mut Queue, seg: &mut Segment, batch: &mut Vec<Vec<u8>>, last_n: u64| -> Result<()> {
            if batch.is_empty() {
                return Ok(());
            }
            let expected = (seg.done > 0).then(|| seg.done.to_string());
            if !q.dlq_push_marked(batch, &progress_key(&seg.id), &last_n.to_string(), expected.as_deref())? {
                return Err(Failure::failed(format!(
                    "another import of export {} is running (its progress moved under this one); nothing of this batch was pushed; \
                     run the import again when it is done to add what is missing",
                    seg.id
                ))
                .into());
            }
            imported += batch.len() as u64;
            seg.done = last_n;
            batch.clear();
            pace.after(imported);
            Ok(())
        };
        for line in open()?.split(b'\n') {
            let line = line?;
            match parse_line(&line).map_err(|w| Failure::invalid_input(format!("{shown}: {w} (the file changed?)")))? {
                Line::Header(_) => {
                    if let Some(s) = seg_index {
                        flush(&mut q, &mut segments[s], &mut batch, last_n)?;
                    }
                    seg_index = Some(seg_index.map_or(0, |s| s + 1));
                }
                Line::Entry { n, bytes } => {
                    let s = seg_index.expect("checked in pass 1");
                    let seg = &segments[s];
                    if n <= seg.done || seg.not_deleted.contains(&n) {
                        continue;
                    }
                    batch.push(bytes);
                    last_n = n;
                    if batch.len() >= want {
                        flush(&mut q, &mut segments[s], &mut batch, last_n)?;
                        if interrupts.count() > 0 {
                            return Ok(());
                        }
                    }
                }
                Line::NotDeleted(_) | Line::Blank => {}
            }
        }
        if let Some(s) = seg_index {
            flush(&mut q, &mut segments[s], &mut batch, last_n)?;
        }
        Ok(())
    })();
    let interrupted = interrupts.count() > 0;
    let v = json!({
        "dlq": dlq,
        "dry_run": args.write.dry_run,
        "file": shown,
        "exports": segments.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
        "imported": imported,
        "pending": if args.write.dry_run { pending } else { pending - imported.min(pending) },
        "already_imported": already,
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
