//! `dlq list`: every shape shown, oldest first, read in bounded pages.

use std::io::Write;

use anyhow::Result;
use serde_json::{Value, json};

use super::{Entry, Scanner};
use crate::cli::{DlqListArgs, OutputFormat};
use crate::config::Config;
use crate::output;
use crate::queue::Queue;

/// Rows a table shows when no --limit is given (a table of a million rows helps nobody).
const TABLE_ROWS: u64 = 100;

pub fn run(cfg: &Config, args: &DlqListArgs, format: OutputFormat) -> Result<()> {
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    let mut filter = args.filter.clone();
    let table = !matches!(format, OutputFormat::Json | OutputFormat::Jsonl);
    if table && filter.limit.is_none() {
        filter.limit = Some(TABLE_ROWS);
    }
    let mut scanner = Scanner::new(&filter);
    let all = |_: &Entry| true;
    let stdout = std::io::stdout();
    match format {
        OutputFormat::Json | OutputFormat::Jsonl => {
            // Streamed: one page in memory at a time, whatever the DLQ's size.
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            let jsonl = format == OutputFormat::Jsonl;
            let mut first = true;
            if !jsonl {
                out.write_all(b"[")?;
            }
            loop {
                let batch = scanner.next_batch(&mut q, 1000, &all)?;
                if batch.is_empty() && scanner.finished() {
                    break;
                }
                for e in &batch {
                    if !jsonl {
                        out.write_all(if first { b"\n  " } else { b",\n  " })?;
                    }
                    first = false;
                    serde_json::to_writer(&mut out, &entry_json(e, scanner.now_ms))?;
                    if jsonl {
                        out.write_all(b"\n")?;
                    }
                }
            }
            if !jsonl {
                out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
            }
            out.flush()?;
        }
        _ => {
            let mut header = vec!["position", "message_id", "model_id", "token_symbol", "error", "failed_at", "age", "shape"];
            if output::wide() {
                header.extend(["retry_count", "queue", "bytes"]);
            }
            let mut t = output::table(&header);
            let mut shown = 0u64;
            loop {
                let batch = scanner.next_batch(&mut q, 1000, &all)?;
                if batch.is_empty() && scanner.finished() {
                    break;
                }
                for e in &batch {
                    shown += 1;
                    t.add_row(row(e, scanner.now_ms));
                }
            }
            if shown == 0 {
                let what = if filter_is_empty(args) { "is empty" } else { "has no entry matching these filters" };
                output::note(&format!("{} {what} ({} entries)", q.keys.dlq, scanner.len))?;
                output::note(&crate::config::caption(cfg))?;
                return Ok(());
            }
            output::print_table(&t)?;
            let more = if args.filter.limit.is_none() && shown == TABLE_ROWS && scanner.scanned < scanner.len {
                "; --limit N or -o jsonl for more".to_owned()
            } else {
                String::new()
            };
            output::note(&format!("{shown} shown of {} entries in {}{more}", scanner.len, q.keys.dlq))?;
            output::note(&crate::config::caption(cfg))?;
        }
    }
    Ok(())
}

fn filter_is_empty(args: &DlqListArgs) -> bool {
    let f = &args.filter;
    f.ids.is_empty()
        && f.matches.is_empty()
        && f.error.is_none()
        && f.older_than.is_none()
        && f.newer_than.is_none()
        && f.shape.is_none()
}

fn row(e: &Entry, now_ms: i64) -> Vec<String> {
    let env = e.envelope();
    let dash = || "-".to_owned();
    let wide = output::wide();
    // -o wide: the whole error (the table wraps it; plain keeps it on one line).
    let width = if wide { usize::MAX } else { 48 };
    let id = match e.message_id() {
        Some(id) => id.to_owned(),
        None => shorten(&output::display_bytes(e.raw()), 40),
    };
    let mut row = vec![
        e.position.to_string(),
        id,
        env.and_then(|x| x.payload_str("model_id")).map_or_else(dash, str::to_owned),
        env.and_then(|x| x.payload_str("token_symbol")).map_or_else(dash, str::to_owned),
        e.error().map_or_else(dash, |s| shorten(s, width)),
        e.failed_at().map_or_else(dash, str::to_owned),
        output::human_age(e.age_seconds(now_ms)),
        e.shape_name().to_owned(),
    ];
    if wide {
        row.extend([
            env.and_then(|x| x.retry_count()).map_or_else(dash, |n| n.to_string()),
            e.original_queue().map_or_else(dash, str::to_owned),
            e.raw().len().to_string(),
        ]);
    }
    row
}

fn shorten(s: &str, max: usize) -> String {
    let one_line = s.replace(['\n', '\r'], " ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut t: String = one_line.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

/// The `-o json` object of one entry (README: dlq list).
pub fn entry_json(e: &Entry, now_ms: i64) -> Value {
    let env = e.envelope();
    let mut v = json!({
        "position": e.position,
        "shape": e.shape_name(),
        "message_id": e.message_id(),
        "error": e.error(),
        "failed_at": e.failed_at(),
        "age_seconds": e.age_seconds(now_ms),
        "original_queue": e.original_queue(),
        "envelope": env.map(|x| Value::Object(x.fields.clone())),
        "raw": Value::Null,
    });
    if env.is_none() {
        v["raw"] = Value::String(output::display_bytes(e.raw()));
        if std::str::from_utf8(e.raw()).is_err() {
            use base64::Engine;
            v["raw_base64"] = Value::String(base64::engine::general_purpose::STANDARD.encode(e.raw()));
        }
        v["problem"] = json!(e.el().unusable_reason());
    }
    v
}
