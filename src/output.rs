//! Rendering: tables for people, JSON / JSON lines for scripts, Prometheus text for exporters.
//! The only module that writes to stdout; every write error (a closed pipe) is returned.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde_json::{Value, json};

use crate::queue::doctor::{Check, Status};
use crate::queue::message::{Element, Shape};
use crate::queue::{Depth, Peeked};

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

/// A table with the project's look: condensed borders, no colour, wraps to the terminal.
pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_header(header.to_vec());
    t
}

pub fn print_table(t: &Table) -> io::Result<()> {
    line(&t.to_string())
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

/// `3d 4h`, `12m 5s`, `42s`: the age column.
pub fn human_age(secs: Option<f64>) -> String {
    let Some(s) = secs else { return "-".into() };
    let s = s as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m {}s", s / 60, s % 60),
        3600..86400 => format!("{}h {}m", s / 3600, (s % 3600) / 60),
        _ => format!("{}d {}h", s / 86400, (s % 86400) / 3600),
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

pub fn peek_table(p: &Peeked) -> Table {
    let mut t = table(&["position", "message_id", "type", "model_id", "token_symbol", "retry_count", "age"]);
    for (pos, e) in &p.elements {
        match e.envelope() {
            Some(env) => t.add_row(vec![
                pos.to_string(),
                env.message_id().unwrap_or("-").to_owned(),
                env.message_type().unwrap_or("-").to_owned(),
                env.payload_str("model_id").unwrap_or("-").to_owned(),
                env.payload_str("token_symbol").unwrap_or("-").to_owned(),
                env.retry_count().map_or("-".into(), |n| n.to_string()),
                human_age(age_seconds(e, p.now_ms)),
            ]),
            None => t.add_row(vec![
                pos.to_string(),
                format!("({}) {}", e.shape_name(), shorten(&display_bytes(&e.raw), 60)),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
            ]),
        };
    }
    t
}

/// The oldest main-list message's age, when it has a readable timestamp.
pub fn oldest_age(d: &Depth) -> Option<f64> {
    d.oldest.as_ref().and_then(|e| age_seconds(e, d.now_ms))
}

pub fn depth_json(queue: &str, d: &Depth) -> Value {
    json!({
        "queue": queue,
        "main": d.main,
        "processing": d.processing,
        "dlq": d.dlq,
        "retry": d.retry,
        "retry_due": d.retry_due,
        "leases": d.leases,
        "oldest_age_seconds": oldest_age(d),
    })
}

pub fn depth_table(depths: &[(String, Depth)]) -> Table {
    let mut t = table(&["queue", "main", "processing", "retry", "dlq", "oldest"]);
    for (queue, d) in depths {
        t.add_row(vec![
            queue.to_owned(),
            d.main.to_string(),
            d.processing.to_string(),
            if d.retry_due > 0 { format!("{} ({} due)", d.retry, d.retry_due) } else { d.retry.to_string() },
            d.dlq.to_string(),
            human_age(oldest_age(d)),
        ]);
    }
    t
}

/// Prometheus text exposition (node_exporter textfile collector format).
pub fn depth_prometheus(depths: &[(String, Depth)]) -> String {
    let mut s = String::new();
    s.push_str("# HELP hokusai_queue_depth Number of elements in each list of the queue.\n");
    s.push_str("# TYPE hokusai_queue_depth gauge\n");
    for (queue, d) in depths {
        let q = prom_escape(queue);
        for (list, n) in [("main", d.main), ("processing", d.processing), ("dlq", d.dlq), ("retry", d.retry)] {
            s.push_str(&format!("hokusai_queue_depth{{queue=\"{q}\",list=\"{list}\"}} {n}\n"));
        }
    }
    s.push_str(
        "# HELP hokusai_queue_oldest_age_seconds Age of the oldest message in the main list (NaN when empty or unreadable).\n",
    );
    s.push_str("# TYPE hokusai_queue_oldest_age_seconds gauge\n");
    for (queue, d) in depths {
        let age = oldest_age(d).map_or("NaN".to_owned(), |a| format!("{a:.3}"));
        s.push_str(&format!("hokusai_queue_oldest_age_seconds{{queue=\"{}\"}} {age}\n", prom_escape(queue)));
    }
    s
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

fn prom_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
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
        assert_eq!(human_age(Some(3661.0)), "1h 1m");
        assert_eq!(human_age(None), "-");
    }
}
