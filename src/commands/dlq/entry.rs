//! One dead-letter entry as read (any shape), and the filters.

use serde_json::Value;

use crate::cli::{DlqFilter, EntryShape};
use std::cell::OnceCell;

use crate::queue::message::{Element, Envelope, Quick, is_valid_json, parse_timestamp};

pub struct Entry {
    /// Index from the tail (0 = oldest) when it was read.
    pub position: u64,
    raw: Vec<u8>,
    /// The fields a sweep needs, read on first use (a purge without filters never needs them).
    quick_: OnceCell<Quick>,
    /// The full parse, built only when asked for (list output, payload filters).
    full: OnceCell<Element>,
    /// How many times it was replayed already (read for dry runs only).
    pub replays: Option<u64>,
}

impl Entry {
    pub fn parse(position: u64, raw: Vec<u8>) -> Self {
        Self { position, raw, quick_: OnceCell::new(), full: OnceCell::new(), replays: None }
    }

    /// The quick reader's fields when they are what the full reader would find, else the full
    /// reader's: one decision for `dlq list`, `replay` and `drain` (see [`same_as_full`]).
    fn quick(&self) -> &Quick {
        self.quick_.get_or_init(|| match Quick::parse(&self.raw) {
            Some(q) if same_as_full(&self.raw, &q) => q,
            _ => Quick::of(self.el()),
        })
    }

    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The full parse of the entry (built on first use).
    pub fn el(&self) -> &Element {
        self.full.get_or_init(|| Element::parse(self.raw.clone()))
    }

    pub fn envelope(&self) -> Option<&Envelope> {
        if !self.quick().has_envelope {
            return None;
        }
        self.el().envelope()
    }

    pub fn has_envelope(&self) -> bool {
        self.quick().has_envelope
    }

    pub fn message_id(&self) -> Option<&str> {
        self.quick().message_id.as_deref()
    }

    pub fn retry_count(&self) -> Option<i64> {
        self.quick().retry_count
    }

    /// The envelope with retry_count 0, when the reader made it already (always for the
    /// deployer's shape, whose envelope is a slice of the entry's own text: its numbers and
    /// every other member are kept token for token).
    pub fn reset(&self) -> Option<&[u8]> {
        self.quick().reset.as_deref()
    }

    /// The stored envelope bytes: the platform wrapper's original_message, the deployer's
    /// originalMessage (the entry's own slice, less the deployer's `_retryCount`), else the
    /// entry itself.
    pub fn stored(&self) -> &[u8] {
        self.quick().original.as_deref().map_or(&self.raw, str::as_bytes)
    }

    pub fn shape(&self) -> EntryShape {
        match self.quick().shape {
            "envelope" => EntryShape::Envelope,
            "wrapped" => EntryShape::Wrapped,
            "json" => EntryShape::Json,
            _ => EntryShape::Raw,
        }
    }

    pub fn shape_name(&self) -> &'static str {
        self.quick().shape
    }

    pub fn error(&self) -> Option<&str> {
        self.quick().error.as_deref()
    }

    pub fn failed_at(&self) -> Option<&str> {
        self.quick().failed_at.as_deref()
    }

    pub fn original_queue(&self) -> Option<&str> {
        self.quick().original_queue.as_deref().filter(|q| !q.is_empty())
    }

    /// When it failed (Unix seconds): `failed_at`, else the envelope's timestamp.
    pub fn failed_unix(&self) -> Option<f64> {
        self.failed_at().and_then(|s| parse_timestamp(&Value::String(s.to_owned()))).or_else(|| self.quick().timestamp_unix())
    }

    pub fn age_seconds(&self, now_ms: i64) -> Option<f64> {
        self.failed_unix().map(|t| (now_ms as f64 / 1000.0 - t).max(0.0))
    }

    /// Whether every filter holds (the limit is the scanner's business).
    pub fn matches(&self, f: &DlqFilter, now_ms: i64) -> bool {
        if let Some(s) = f.shape
            && self.shape() != s
        {
            return false;
        }
        if !f.ids.is_empty() && !self.message_id().is_some_and(|id| f.ids.iter().any(|x| x == id)) {
            return false;
        }
        if let Some(text) = &f.error {
            let needle = text.to_lowercase();
            if !self.error().is_some_and(|e| e.to_lowercase().contains(&needle)) {
                return false;
            }
        }
        if f.older_than.is_some() || f.newer_than.is_some() {
            let Some(age) = self.age_seconds(now_ms) else { return false };
            if f.older_than.is_some_and(|d| age <= d.as_secs_f64()) || f.newer_than.is_some_and(|d| age >= d.as_secs_f64()) {
                return false;
            }
        }
        if !f.matches.is_empty() {
            let Some(payload) = self.envelope().and_then(Envelope::payload) else { return false };
            // Values given for one key are alternatives; different keys must all hold.
            let mut keys: Vec<&str> = f.matches.iter().map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            for key in keys {
                let field = lookup(payload, key);
                if !f.matches.iter().filter(|(k, _)| k == key).any(|(_, want)| field.is_some_and(|v| value_equals(v, want))) {
                    return false;
                }
            }
        }
        true
    }
}

/// Whether the quick reader's view of `raw` is the full reader's (`Element::parse`), which is
/// what `drain` goes by: an element is an envelope only if it is JSON serde_json reads whole
/// (`is_valid_json`: no number out of f64's range such as `1e400`, no lone surrogate, no bad
/// UTF-8 inside a string, no nesting past serde_json's limit), and so is a wrapper's
/// original_message. The quick reader skips over values without checking them, so it would
/// call such an entry an envelope that `drain` dead-letters again on sight: a replay loop.
/// A wrapper it found no envelope in is left to the full reader too (rare, and it decides).
fn same_as_full(raw: &[u8], q: &Quick) -> bool {
    if !is_valid_json(raw) {
        return false;
    }
    match q.shape {
        "wrapped" => q.has_envelope && q.original.as_deref().is_some_and(|o| is_valid_json(o.as_bytes())),
        _ => true,
    }
}

/// A dotted path into a JSON object: `tags.team`.
pub(crate) fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(x) = v.get(path) {
        return Some(x);
    }
    path.split('.').try_fold(v, |cur, part| cur.get(part))
}

/// A string compares as text; a number, boolean or null by value (`0.85` matches `0.850`).
pub(crate) fn value_equals(v: &Value, want: &str) -> bool {
    match v {
        Value::String(s) => s == want,
        Value::Number(n) => match (n.as_f64(), want.trim().parse::<f64>()) {
            (Some(a), Ok(b)) => a == b,
            _ => n.to_string() == want,
        },
        Value::Bool(b) => want.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
        Value::Null => want == "null",
        other => serde_json::from_str::<Value>(want).is_ok_and(|w| &w == other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter() -> DlqFilter {
        DlqFilter::default()
    }

    fn wrapped(id: &str, symbol: &str, error: &str) -> Entry {
        let env = serde_json::json!({"message_id": id, "message_type": "model_ready_to_deploy",
            "payload": {"token_symbol": symbol, "baseline_value": 0.85, "tags": {"team": "ml"}},
            "timestamp": "2025-01-27T15:30:00.123456", "retry_count": 3, "max_retries": 3});
        let w = serde_json::json!({"original_message": env.to_string(), "error": error,
            "failed_at": "2025-01-27T15:31:00.000000", "original_queue": "q"});
        Entry::parse(0, w.to_string().into_bytes())
    }

    #[test]
    fn filters_combine() {
        let e = wrapped("a", "msg-ai", "Handler TIMEOUT after 30s");
        let now = 1_737_992_000_000; // 2025-01-27T15:33:20Z
        let mut f = filter();
        assert!(e.matches(&f, now));
        f.matches = vec![("token_symbol".into(), "other".into()), ("token_symbol".into(), "msg-ai".into())];
        assert!(e.matches(&f, now), "values of one key are alternatives");
        f.matches.push(("baseline_value".into(), "0.850".into()));
        f.matches.push(("tags.team".into(), "ml".into()));
        assert!(e.matches(&f, now));
        f.error = Some("timeout".into());
        assert!(e.matches(&f, now), "the error matches case-insensitively");
        f.older_than = Some(std::time::Duration::from_secs(60));
        assert!(e.matches(&f, now), "failed 140 s before now");
        f.older_than = Some(std::time::Duration::from_secs(600));
        assert!(!e.matches(&f, now));
        f.older_than = None;
        f.newer_than = Some(std::time::Duration::from_secs(60));
        assert!(!e.matches(&f, now));
        f.newer_than = None;
        f.ids = vec!["b".into()];
        assert!(!e.matches(&f, now));
        f.ids.push("a".into());
        assert!(e.matches(&f, now));
        f.shape = Some(EntryShape::Raw);
        assert!(!e.matches(&f, now));
    }

    /// The contract deployer's `{originalMessage, error, timestamp, queue}`: a wrapped entry,
    /// found by every filter, its envelope replayed from the entry's own bytes.
    #[test]
    fn deployer_entries_are_wrapped_and_filtered_like_the_platforms() {
        let env = r#"{"message_id":"a","message_type":"model_ready_to_deploy","payload":{"token_symbol": "msg-ai", "baseline_value": 123456789012345678901234567890, "current_value": 1E2},"timestamp":"2025-01-27T15:30:00.123456","retry_count":3,"max_retries":3}"#;
        let raw = format!(
            r#"{{"originalMessage": {env}, "error": "Contract deployment TIMEOUT", "timestamp": "2025-01-27T15:31:00.000Z", "queue": "hokusai:model_ready_queue"}}"#
        );
        let e = Entry::parse(0, raw.into_bytes());
        assert_eq!((e.shape(), e.shape_name(), e.message_id()), (EntryShape::Wrapped, "wrapped", Some("a")));
        assert_eq!((e.error(), e.failed_at()), (Some("Contract deployment TIMEOUT"), Some("2025-01-27T15:31:00.000Z")));
        assert_eq!(e.original_queue(), Some("hokusai:model_ready_queue"));
        assert_eq!(e.stored(), env.as_bytes(), "the originalMessage object's own bytes");
        assert_eq!(e.reset(), Some(env.replace("\"retry_count\":3", "\"retry_count\":0").as_bytes()));
        let now = 1_737_992_000_000;
        let mut f = filter();
        f.shape = Some(EntryShape::Wrapped);
        f.error = Some("timeout".into());
        f.ids = vec!["a".into()];
        f.matches = vec![("token_symbol".into(), "msg-ai".into()), ("current_value".into(), "100".into())];
        f.older_than = Some(std::time::Duration::from_secs(60));
        assert!(e.matches(&f, now));
        f.error = Some("gas".into());
        assert!(!e.matches(&f, now));

        let reason_only =
            Entry::parse(0, br#"{"originalMessage":"x","reason":"Invalid JSON","failureClass":"permanent"}"#.to_vec());
        assert_eq!(
            (reason_only.error(), reason_only.has_envelope(), reason_only.stored()),
            (Some("Invalid JSON"), false, &b"x"[..])
        );
    }

    /// Entries the quick reader would call envelopes but `Element::parse` (and so `drain`)
    /// refuses: not envelopes here either, wrapped or bare.
    #[test]
    fn poison_the_full_reader_refuses_is_no_envelope() {
        let env = |v: &str| format!(r#"{{"message_id":"a","payload":{{"v":{v}}},"retry_count":1}}"#);
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        for v in ["1e400", r#""\ud800""#, deep.as_str()] {
            let bare = Entry::parse(0, env(v).into_bytes());
            let wrapped = Entry::parse(0, serde_json::json!({"original_message": env(v), "error": "x"}).to_string().into_bytes());
            for e in [&bare, &wrapped] {
                assert!(!e.has_envelope() && e.message_id().is_none() && e.envelope().is_none(), "{}", &v[..v.len().min(9)]);
            }
            assert_eq!(wrapped.shape_name(), "wrapped");
            assert_ne!(bare.shape_name(), "envelope");
        }
        let mut bad = env(r#""abc""#).into_bytes();
        let at = bad.windows(3).position(|w| w == b"abc").unwrap();
        bad[at + 1] = 0xff;
        let e = Entry::parse(0, bad);
        assert!(!e.has_envelope() && e.shape_name() == "raw");
        // The sound ones still take the quick path and are envelopes.
        let good = Entry::parse(0, env("1.5e300").into_bytes());
        assert!(good.has_envelope() && good.message_id() == Some("a") && good.full.get().is_none());
    }

    #[test]
    fn raw_entries_match_only_filters_that_need_nothing() {
        let e = Entry::parse(0, b"\xffnot json".to_vec());
        assert_eq!(e.shape_name(), "raw");
        assert!(e.matches(&filter(), 0));
        assert!(!e.matches(&DlqFilter { matches: vec![("a".into(), "b".into())], ..filter() }, 0));
        assert!(!e.matches(&DlqFilter { error: Some("x".into()), ..filter() }, 0));
        assert!(!e.matches(&DlqFilter { older_than: Some(std::time::Duration::from_secs(1)), ..filter() }, 0));
        assert!(e.matches(&DlqFilter { shape: Some(EntryShape::Raw), ..filter() }, 0));
    }
}
