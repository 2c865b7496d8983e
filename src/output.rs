//! Rendering: tables for people, JSON / JSON lines for scripts, Prometheus text for exporters.
//! The only module that writes to stdout; every write error (a closed pipe) is returned.

use std::io::{self, Write};
use std::sync::OnceLock;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::{Value, json};

use crate::queue::doctor::{Check, Status};
use crate::queue::message::{Element, Shape};
use crate::queue::{Depth, Peeked};

pub mod prometheus;

/// Writes `s` and a newline to stdout and flushes.
pub fn line(s: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(s.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Pretty JSON for one document (`-o json`).
pub fn json(v: &Value) -> io::Result<()> {
    line(&serde_json::to_string_pretty(v).expect("a Value serialises"))
}

/// How tables come out, chosen once per process from `--output` and `--no-headers`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Bordered, wrapped to the terminal (`-o table`, the default).
    Table,
    /// The table with more columns (`-o wide`).
    Wide,
    /// Tab-separated columns, no borders, never wrapped, for awk and cut (`-o plain`).
    Plain,
}

#[derive(Debug, Clone, Copy)]
struct Style {
    layout: Layout,
    headers: bool,
}

static STYLE: OnceLock<Style> = OnceLock::new();

fn style() -> Style {
    *STYLE.get_or_init(|| Style { layout: Layout::Table, headers: true })
}

/// Sets the table layout for this process (from the global flags; first call wins).
pub fn set_layout(layout: Layout, headers: bool) {
    let _ = STYLE.set(Style { layout, headers });
}

/// Whether `-o wide` asked for the extra columns.
pub fn wide() -> bool {
    style().layout == Layout::Wide
}

/// Whether rows go out for people (a bordered table with its header, captions and notes on
/// stdout) rather than for a script reading the rows (`-o plain`, `--no-headers`).
pub fn for_people() -> bool {
    let s = style();
    s.headers && s.layout != Layout::Plain
}

/// A line about the rows rather than a row (the caption naming the server and queue, "(10 of
/// 42 shown)"): on stdout under a table for people, on stderr when a script reads the rows, so
/// that every stdout line of `-o plain` or `--no-headers` is a row.
pub fn note(s: &str) -> io::Result<()> {
    if for_people() {
        line(s)
    } else {
        eprintln!("{s}");
        Ok(())
    }
}

/// A table with the project's look: condensed borders, no colour, wraps to the terminal.
pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_header(header.to_vec());
    t
}

/// Prints a table in the process's layout: bordered (with its header unless `--no-headers`,
/// then as aligned columns like kubectl's), or, with `-o plain`, one line per row with cells
/// separated by tabs (a tab or line break inside a cell becomes a space; an empty cell is `-`).
pub fn print_table(t: &Table) -> io::Result<()> {
    let s = style();
    if s.layout != Layout::Plain && s.headers {
        return line(&t.to_string());
    }
    let cells = |row: &comfy_table::Row| -> Vec<String> { row.cell_iter().map(|c| plain_cell(&c.content())).collect() };
    let mut rows: Vec<Vec<String>> = Vec::new();
    if s.headers
        && let Some(h) = t.header()
    {
        rows.push(cells(h));
    }
    rows.extend(t.row_iter().map(cells));
    let mut out = String::new();
    if s.layout == Layout::Plain {
        for r in &rows {
            out.push_str(&r.join("\t"));
            out.push('\n');
        }
    } else {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> =
            (0..columns).map(|i| rows.iter().filter_map(|r| r.get(i)).map(|c| c.chars().count()).max().unwrap_or(0)).collect();
        for r in &rows {
            let mut l = String::new();
            for (i, c) in r.iter().enumerate() {
                if i + 1 == r.len() {
                    l.push_str(c);
                } else {
                    l.push_str(&format!("{c:<w$}   ", w = widths[i]));
                }
            }
            out.push_str(&l);
            out.push('\n');
        }
    }
    let mut stdout = io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()
}

fn plain_cell(s: &str) -> String {
    let s: String = s.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }).collect();
    if s.trim().is_empty() { "-".to_owned() } else { s }
}

/// Bytes as text: UTF-8 as is, every byte of an invalid sequence as `\xNN` (like redis-cli).
pub fn display_bytes(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    for chunk in b.utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

/// Seconds between an element's envelope timestamp and the server's clock.
pub fn age_seconds(e: &Element, now_ms: i64) -> Option<f64> {
    let ts = e.envelope()?.timestamp_unix()?;
    Some(((now_ms as f64 / 1000.0) - ts).max(0.0))
}

/// `3d4h`, `12m5s`, `42s` (as kubectl's AGE: one word, for awk): the age column.
pub fn human_age(secs: Option<f64>) -> String {
    let Some(s) = secs else { return "-".into() };
    let s = s as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{}s", s / 60, s % 60),
        3600..86400 => format!("{}h{}m", s / 3600, (s % 3600) / 60),
        _ => format!("{}d{}h", s / 86400, (s % 86400) / 3600),
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The JSON view of one element (peek's `-o json` item).
pub fn element_json(position: u64, e: &Element, now_ms: i64) -> Value {
    let env = e.envelope();
    let mut v = json!({
        "position": position,
        "message_id": env.and_then(|x| x.message_id()),
        "message_type": env.and_then(|x| x.message_type()),
        "timestamp": env.and_then(|x| x.timestamp()).cloned(),
        "age_seconds": age_seconds(e, now_ms),
        "retry_count": env.and_then(|x| x.retry_count()),
        "max_retries": env.and_then(|x| x.max_retries()),
        "payload": env.and_then(|x| x.payload()).cloned(),
        "shape": e.shape_name(),
    });
    if let Shape::Wrapped { wrapper, .. } = &e.shape {
        v["error"] = json!(wrapper.error);
        v["failed_at"] = json!(wrapper.failed_at);
        v["original_queue"] = json!(wrapper.original_queue);
    }
    if env.is_none() {
        v["raw"] = Value::String(display_bytes(&e.raw));
        if std::str::from_utf8(&e.raw).is_err() {
            use base64::Engine;
            v["raw_base64"] = Value::String(base64::engine::general_purpose::STANDARD.encode(&e.raw));
        }
        v["problem"] = json!(e.unusable_reason());
    }
    v
}

/// The fields of a MintRequest an operator looks for, read leniently from any JSON value
/// (missing or odd fields are null), with whether its deadline has passed on `now_ms`.
pub fn mint_fields(v: &Value, now_ms: i64) -> Value {
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let deadline = v.get("deadline").and_then(Value::as_i64);
    json!({
        "idempotency_key": text("idempotency_key"),
        "message_id": text("message_id"),
        "model_id": text("model_id"),
        "model_id_uint": text("model_id_uint"),
        "eval_id": text("eval_id"),
        "totalSamples": v.get("totalSamples").cloned(),
        "deadline": deadline,
        "deadline_passed": deadline.map(|d| d.saturating_mul(1000) <= now_ms),
        "_retryCount": v.get("_retryCount").cloned(),
        "contributors": v.get("contributors").and_then(Value::as_array).map(Vec::len),
    })
}

/// The JSON view of one mint-queue element: its request fields, and whether the deployer's
/// validator accepts it (with the reason it would dead-letter it otherwise).
pub fn mint_element_json(position: u64, raw: &[u8], now_ms: i64) -> Value {
    let verdict = crate::queue::mint::parse_and_validate(raw);
    let parsed: Option<Value> = serde_json::from_slice(raw).ok();
    let mut v = json!({"position": position});
    if let Some(p) = &parsed
        && let (Value::Object(out), Value::Object(fields)) = (&mut v, mint_fields(p, now_ms))
    {
        out.extend(fields);
    }
    v["valid"] = json!(verdict.is_ok());
    if let Err(reject) = &verdict {
        v["problem"] = json!(reject.reason());
    }
    if parsed.is_none() {
        v["raw"] = Value::String(display_bytes(raw));
        if std::str::from_utf8(raw).is_err() {
            use base64::Engine;
            v["raw_base64"] = Value::String(base64::engine::general_purpose::STANDARD.encode(raw));
        }
    }
    v
}

/// Mint elements for people: the request's key, model, evaluation, samples, deadline, retries.
pub fn mint_table(rows: &[(String, Vec<u8>)], now_ms: i64) -> Table {
    let mut t = table(&[
        "position",
        "idempotency_key",
        "model_id",
        "model_id_uint",
        "eval_id",
        "samples",
        "deadline",
        "retries",
        "contributors",
    ]);
    if wide() {
        t.set_header(vec![
            "position",
            "idempotency_key",
            "model_id",
            "model_id_uint",
            "eval_id",
            "samples",
            "deadline",
            "retries",
            "contributors",
            "message_id",
            "bytes",
            "problem",
        ]);
    }
    for (pos, raw) in rows {
        let v = mint_element_json(0, raw, now_ms);
        let cell = |k: &str| match &v[k] {
            Value::Null => "-".to_owned(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if v["idempotency_key"].is_null() && v["model_id"].is_null() {
            let what = v["problem"].as_str().unwrap_or("not a mint request");
            t.add_row(vec![pos.clone(), format!("({what}) {}", shorten(&display_bytes(raw), 60))]);
            continue;
        }
        let deadline = match (v["deadline"].as_i64(), v["deadline_passed"].as_bool()) {
            (Some(d), Some(true)) => format!("{d} (passed)"),
            (Some(d), _) => d.to_string(),
            _ => "-".into(),
        };
        let mut key = cell("idempotency_key");
        if v["valid"] == json!(false) {
            key.push_str(" (invalid)");
        }
        t.add_row(vec![
            pos.clone(),
            key,
            cell("model_id"),
            cell("model_id_uint"),
            cell("eval_id"),
            cell("totalSamples"),
            deadline,
            cell("_retryCount"),
            cell("contributors"),
        ]);
        if wide() {
            let last = t.row_count() - 1;
            if let Some(row) = t.row_mut(last) {
                row.add_cell(cell("message_id").into());
                row.add_cell(raw.len().to_string().into());
                row.add_cell(cell("problem").into());
            }
        }
    }
    t
}

pub fn peek_table(p: &Peeked) -> Table {
    let wide = wide();
    let mut header = vec!["position", "message_id", "type", "model_id", "token_symbol", "retry_count", "age"];
    if wide {
        header.extend(["max_retries", "timestamp", "bytes", "shape"]);
    }
    let mut t = table(&header);
    for (pos, e) in &p.elements {
        let mut row = match e.envelope() {
            Some(env) => vec![
                pos.to_string(),
                env.message_id().unwrap_or("-").to_owned(),
                env.message_type().unwrap_or("-").to_owned(),
                env.payload_str("model_id").unwrap_or("-").to_owned(),
                env.payload_str("token_symbol").unwrap_or("-").to_owned(),
                env.retry_count().map_or("-".into(), |n| n.to_string()),
                human_age(age_seconds(e, p.now_ms)),
            ],
            None => vec![
                pos.to_string(),
                format!("({}) {}", e.shape_name(), shorten(&display_bytes(&e.raw), if wide { 200 } else { 60 })),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
            ],
        };
        if wide {
            let env = e.envelope();
            row.extend([
                env.and_then(|x| x.max_retries()).map_or("-".into(), |n| n.to_string()),
                env.and_then(|x| x.timestamp()).map_or("-".into(), |v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)),
                e.raw.len().to_string(),
                e.shape_name().to_owned(),
            ]);
        }
        t.add_row(row);
    }
    t
}

/// The oldest main-list message's age, when it has a readable timestamp.
pub fn oldest_age(d: &Depth) -> Option<f64> {
    d.oldest.as_ref().and_then(|e| age_seconds(e, d.now_ms))
}

pub fn depth_json(queue: &str, d: &Depth) -> Value {
    let mut v = json!({
        "queue": queue,
        "profile": d.profile.as_str(),
        "main": d.main,
        "processing": d.processing,
        "dlq": d.dlq,
        "retry": d.retry,
        "retry_due": d.mint.as_ref().map_or(d.retry_due, |m| m.retry_due),
        "leases": d.leases,
        "oldest_age_seconds": oldest_age(d),
    });
    if let Some(m) = &d.mint {
        v["retry_next_due_ms"] = json!(m.next_due_ms);
        v["processed"] = json!(m.processed);
        v["settlements"] = json!(m.settlements);
        v["audit"] = json!(m.audit);
        v["dlq_by_class"] = json!(m.dlq_by_tag);
        v["dlq_by_class_partial"] = json!(m.dlq_tags_partial);
    }
    v
}

pub fn depth_table(depths: &[(String, Depth)]) -> Table {
    if wide() {
        return depth_table_wide(depths);
    }
    let mut t = table(&["queue", "profile", "main", "processing", "retry", "dlq", "oldest"]);
    for (queue, d) in depths {
        let (due, next) = match &d.mint {
            Some(m) => (m.retry_due, m.next_due_ms),
            None => (d.retry_due, None),
        };
        let mut retry = if due > 0 { format!("{} ({due} due)", d.retry) } else { d.retry.to_string() };
        if let Some(n) = next.filter(|_| due == 0) {
            retry.push_str(&format!(" (next in {})", human_age(Some(((n - d.now_ms) as f64 / 1000.0).max(0.0)))));
        }
        let mut dlq = d.dlq.to_string();
        if let Some(m) = d.mint.as_ref().filter(|m| !m.dlq_by_tag.is_empty()) {
            let tags: Vec<String> = m.dlq_by_tag.iter().map(|(t, n)| format!("{t} {n}")).collect();
            dlq.push_str(&format!(" ({})", tags.join(", ")));
        }
        t.add_row(vec![
            queue.to_owned(),
            d.profile.as_str().to_owned(),
            d.main.to_string(),
            d.processing.to_string(),
            retry,
            dlq,
            human_age(oldest_age(d)),
        ]);
    }
    t
}

/// `-o wide`: one value per column (no parenthesised extras), the leases and the mint
/// profile's other keys as columns; `-` where a profile has no such key.
fn depth_table_wide(depths: &[(String, Depth)]) -> Table {
    let mut t = table(&[
        "queue",
        "profile",
        "main",
        "processing",
        "leases",
        "retry",
        "retry_due",
        "next_due_in",
        "dlq",
        "dlq_by_class",
        "oldest",
        "oldest_seconds",
        "processed",
        "settlements",
        "audit",
    ]);
    for (queue, d) in depths {
        let m = d.mint.as_ref();
        let due = m.map_or(d.retry_due, |m| m.retry_due);
        let next = m.and_then(|m| m.next_due_ms).map(|n| human_age(Some(((n - d.now_ms) as f64 / 1000.0).max(0.0))));
        let tags: Vec<String> = m.map(|m| m.dlq_by_tag.iter().map(|(t, n)| format!("{t}={n}")).collect()).unwrap_or_default();
        let or_dash = |v: Option<u64>| v.map_or("-".to_owned(), |n| n.to_string());
        t.add_row(vec![
            queue.to_owned(),
            d.profile.as_str().to_owned(),
            d.main.to_string(),
            d.processing.to_string(),
            d.leases.to_string(),
            d.retry.to_string(),
            due.to_string(),
            next.unwrap_or_else(|| "-".into()),
            d.dlq.to_string(),
            if tags.is_empty() { "-".into() } else { tags.join(",") },
            human_age(oldest_age(d)),
            oldest_age(d).map_or("-".into(), |a| format!("{a:.0}")),
            or_dash(m.map(|m| m.processed)),
            or_dash(m.map(|m| m.settlements)),
            or_dash(m.map(|m| m.audit)),
        ]);
    }
    t
}

/// The mint profile's other keys, under the depth table: the processed set and settlements.
pub fn mint_depth_line(d: &Depth) -> Option<String> {
    let m = d.mint.as_ref()?;
    Some(format!(
        "processed (settled keys): {}; settlements: {}; audit records: {}{}",
        m.processed,
        m.settlements,
        m.audit,
        if m.dlq_tags_partial { "; dlq classes counted over the newest 10000 entries" } else { "" }
    ))
}

/// Prometheus text exposition (node_exporter textfile collector format): the exporter's queue
/// series, same names (see `prometheus`).
pub fn depth_prometheus(depths: &[(String, Depth)]) -> String {
    prometheus::render(&prometheus::queue_families(depths), false)
}

/// doctor's report for people: one line per check (status, check, finding), and under each
/// WARN or FAIL its fix.
pub fn doctor_text(checks: &[Check]) -> String {
    let width = checks.iter().map(|c| c.name.chars().count()).max().unwrap_or(0);
    let mut s = String::new();
    for c in checks {
        s.push_str(&format!("{:<4}  {:<width$}  {}\n", c.status.as_str(), c.name, c.detail));
        if let Some(fix) = &c.fix {
            s.push_str(&format!("{:<4}  {:<width$}  fix: {fix}\n", "", ""));
        }
    }
    let count = |st: Status| checks.iter().filter(|c| c.status == st).count();
    s.push_str(&format!("{} OK, {} WARN, {} FAIL", count(Status::Ok), count(Status::Warn), count(Status::Fail)));
    s
}

/// doctor's report for scripts: `{"ok": bool, "checks": [{check, status, detail, fix}]}`.
pub fn doctor_json(checks: &[Check]) -> Value {
    let items: Vec<Value> = checks
        .iter()
        .map(|c| json!({"check": c.name, "status": c.status.as_str().to_ascii_lowercase(), "detail": c.detail, "fix": c.fix}))
        .collect();
    json!({"ok": !checks.iter().any(|c| c.status == Status::Fail), "checks": items})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_escaped_not_lost() {
        assert_eq!(display_bytes(b"ok\xff\xfe!"), "ok\\xff\\xfe!");
        assert_eq!(display_bytes("é".as_bytes()), "é");
    }

    #[test]
    fn ages() {
        assert_eq!(human_age(Some(59.0)), "59s");
        assert_eq!(human_age(Some(3661.0)), "1h1m");
        assert_eq!(human_age(Some(90061.0)), "1d1h");
        assert_eq!(human_age(None), "-");
    }
}
