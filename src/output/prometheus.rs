//! The Prometheus series of the tool, in one place: the queue series (shared by `depth -o
//! prometheus`, its `--textfile`, and the exporter) and the exporter's server series, rendered as
//! the text format 0.0.4 or OpenMetrics 1.0.0.

use std::fmt::Write as _;

use crate::queue::Depth;
use crate::queue::metrics::ServerStats;

/// The Content-Type of each format.
pub const TEXT_CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";
pub const OPENMETRICS_CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Gauge,
    Counter,
}

/// One metric family: its name (a counter's without `_total`), help, type and samples (the
/// label pairs and the value).
#[derive(Debug, Clone)]
pub struct Family {
    pub name: &'static str,
    pub help: &'static str,
    pub kind: Kind,
    pub samples: Vec<(Vec<(&'static str, String)>, f64)>,
}

impl Family {
    fn new(name: &'static str, kind: Kind, help: &'static str) -> Self {
        Self { name, help, kind, samples: Vec::new() }
    }

    fn add(&mut self, labels: Vec<(&'static str, String)>, value: f64) {
        self.samples.push((labels, value));
    }
}

/// The exporter's own series (it remembers between scrapes): how long the oldest processing
/// element has stayed the same.
pub fn unchanged_family(unchanged: &[(String, &'static str, &'static str, f64)]) -> Family {
    let mut f = Family::new(
        "hokusai_queue_oldest_unchanged_seconds",
        Kind::Gauge,
        "How long the same element has been the oldest of the list (main: the next to be consumed; processing: the longest held), as this exporter saw it; 0 when it changed since the last read.",
    );
    for (queue, profile, list, secs) in unchanged {
        f.add(vec![("queue", queue.clone()), ("profile", (*profile).to_owned()), ("list", (*list).to_owned())], *secs);
    }
    f
}

/// The queue series, for every queue measured. Every series carries `queue` and `profile`.
pub fn queue_families(depths: &[(String, Depth)]) -> Vec<Family> {
    let mut depth = Family::new(
        "hokusai_queue_depth",
        Kind::Gauge,
        "Number of elements in each list of the queue (main, processing, dlq, retry).",
    );
    let mut due = Family::new(
        "hokusai_queue_retry_due",
        Kind::Gauge,
        "Delayed retries due now (mint: as the deployer promotes them, 0 <= score <= now).",
    );
    let mut leases = Family::new("hokusai_queue_leases", Kind::Gauge, "Leases the tool's consumers hold on processing elements.");
    let mut age = Family::new(
        "hokusai_queue_oldest_age_seconds",
        Kind::Gauge,
        "Age, by its timestamp, of the oldest message in the main list (next out) and in the processing list (held longest); NaN when the list is empty or the message has no readable timestamp.",
    );
    let mut processed = Family::new(
        "hokusai_queue_mint_processed",
        Kind::Gauge,
        "Settled idempotency keys in the deployer's processed set (mint).",
    );
    let mut settlements =
        Family::new("hokusai_queue_mint_settlements", Kind::Gauge, "Length of the deployer's settlement list (mint).");
    let mut classes = Family::new(
        "hokusai_queue_mint_dlq_class",
        Kind::Gauge,
        "Dead-letter entries by the deployer's failure tag (mint; over the newest 10000 entries).",
    );
    for (queue, d) in depths {
        let base = || vec![("queue", queue.clone()), ("profile", d.profile.as_str().to_owned())];
        let with = |k: &'static str, v: &str| {
            let mut l = base();
            l.push((k, v.to_owned()));
            l
        };
        for (list, n) in [("main", d.main), ("processing", d.processing), ("dlq", d.dlq), ("retry", d.retry)] {
            depth.add(with("list", list), n as f64);
        }
        due.add(base(), d.mint.as_ref().map_or(d.retry_due, |m| m.retry_due) as f64);
        leases.add(base(), d.leases as f64);
        age.add(with("list", "main"), super::oldest_age(d).unwrap_or(f64::NAN));
        let processing_age = d.oldest_processing.as_ref().and_then(|e| super::age_seconds(e, d.now_ms));
        age.add(with("list", "processing"), processing_age.unwrap_or(f64::NAN));
        if let Some(m) = &d.mint {
            processed.add(base(), m.processed as f64);
            settlements.add(base(), m.settlements as f64);
            for tag in crate::queue::mint::FailureTag::ALL {
                classes.add(with("class", tag.as_str()), m.dlq_by_tag.get(tag.as_str()).copied().unwrap_or(0) as f64);
            }
        }
    }
    vec![depth, due, leases, age, processed, settlements, classes]
}

/// What one scrape of the exporter saw of the server.
pub struct Scrape<'a> {
    pub up: bool,
    pub stats: Option<&'a ServerStats>,
    pub duration_seconds: f64,
    pub errors_total: u64,
}

/// The exporter's own series: whether Redis answered, what the scrape cost, the server's health.
pub fn server_families(s: &Scrape<'_>) -> Vec<Family> {
    let one = |name, kind, help, v: f64| {
        let mut f = Family::new(name, kind, help);
        f.add(Vec::new(), v);
        f
    };
    let mut out = vec![
        one(
            "hokusai_queue_up",
            Kind::Gauge,
            "Whether the last scrape reached Redis (1) or not (0).",
            if s.up { 1.0 } else { 0.0 },
        ),
        one("hokusai_queue_scrape_duration_seconds", Kind::Gauge, "How long the last scrape of Redis took.", s.duration_seconds),
        one(
            "hokusai_queue_scrape_errors",
            Kind::Counter,
            "Scrapes that could not reach Redis, and queue reads that failed, since the exporter started.",
            s.errors_total as f64,
        ),
    ];
    if let Some(st) = s.stats {
        out.push(one("hokusai_queue_redis_ping_seconds", Kind::Gauge, "Round trip of a PING to Redis.", st.ping.as_secs_f64()));
        let optional = [
            (
                "hokusai_queue_redis_memory_used_bytes",
                Kind::Gauge,
                "Memory Redis has allocated (INFO used_memory).",
                st.used_memory_bytes,
            ),
            (
                "hokusai_queue_redis_connected_clients",
                Kind::Gauge,
                "Client connections open on Redis (INFO connected_clients).",
                st.connected_clients,
            ),
            (
                "hokusai_queue_redis_ops_per_second",
                Kind::Gauge,
                "Commands per second Redis reports (INFO instantaneous_ops_per_sec).",
                st.ops_per_sec,
            ),
            (
                "hokusai_queue_redis_commands_processed",
                Kind::Counter,
                "Commands Redis has processed since it started (INFO total_commands_processed).",
                st.commands_processed,
            ),
        ];
        for (name, kind, help, v) in optional {
            if let Some(v) = v {
                out.push(one(name, kind, help, v));
            }
        }
    }
    out
}

/// The families as text: the format 0.0.4, or OpenMetrics 1.0.0 (counter families named without
/// `_total`, `# EOF` at the end). Families without samples are left out.
pub fn render(families: &[Family], openmetrics: bool) -> String {
    let mut s = String::new();
    for f in families.iter().filter(|f| !f.samples.is_empty()) {
        let sample_name = match f.kind {
            Kind::Counter => format!("{}_total", f.name),
            Kind::Gauge => f.name.to_owned(),
        };
        let family_name = if openmetrics { f.name } else { &sample_name };
        let kind = match f.kind {
            Kind::Gauge => "gauge",
            Kind::Counter => "counter",
        };
        let _ = writeln!(s, "# HELP {family_name} {}", f.help);
        let _ = writeln!(s, "# TYPE {family_name} {kind}");
        for (labels, v) in &f.samples {
            s.push_str(&sample_name);
            if !labels.is_empty() {
                let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{}\"", escape(v))).collect();
                let _ = write!(s, "{{{}}}", pairs.join(","));
            }
            let _ = writeln!(s, " {}", value(*v));
        }
    }
    if openmetrics {
        s.push_str("# EOF\n");
    }
    s
}

fn value(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf".into() } else { "-Inf".into() }
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A label value as the exposition formats want it: backslash, double quote and newline escaped.
pub fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_named_for_each_format() {
        let s = Scrape { up: true, stats: None, duration_seconds: 0.25, errors_total: 2 };
        let text = render(&server_families(&s), false);
        assert!(
            text.contains("# TYPE hokusai_queue_scrape_errors_total counter\nhokusai_queue_scrape_errors_total 2\n"),
            "{text}"
        );
        assert!(text.contains("hokusai_queue_scrape_duration_seconds 0.25\n"));
        let om = render(&server_families(&s), true);
        assert!(om.contains("# TYPE hokusai_queue_scrape_errors counter\nhokusai_queue_scrape_errors_total 2\n"), "{om}");
        assert!(om.ends_with("# EOF\n"));
    }

    #[test]
    fn values_and_labels() {
        assert_eq!(value(f64::NAN), "NaN");
        assert_eq!(value(3.0), "3");
        assert_eq!(value(0.5), "0.5");
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
