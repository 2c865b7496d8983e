//! The fast path of `emit --file`: checks and completes a `model_ready_to_deploy` payload
//! straight from its JSON text, without building a `serde_json::Value` tree for it.
//!
//! [`message::complete_model_payload_at`] is the rule; this is an accelerator for the common
//! case, measured at about a third of its cost per line (most of which was building and freeing
//! an `IndexMap` of `String`s per payload). It answers only when it is sure: for a payload the
//! rule accepts, it returns exactly the bytes `serde_json::to_vec` writes for the completed
//! map; on anything unusual (an escape in a key or a string, a duplicate key, a value of a type
//! the rule refuses, any schema violation) it returns `None` and the caller runs the rule itself,
//! which gives the error message. A property test checks the two agree byte for byte.

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

use super::message::{PAYLOAD_KEYS, is_naive_iso};

const N: usize = PAYLOAD_KEYS.len();

/// The top-level fields, borrowed from the text: key index in `PAYLOAD_KEYS`, and the value's
/// JSON text.
struct Fields<'a>(Vec<(usize, &'a RawValue)>);

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a payload object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut fields = Vec::with_capacity(N);
                let mut seen = [false; N];
                // A borrowed &str key fails on an escaped key: the rule handles those.
                while let Some(k) = m.next_key::<&'de str>()? {
                    let Some(i) = PAYLOAD_KEYS.iter().position(|p| *p == k) else {
                        return Err(serde::de::Error::custom("unknown key"));
                    };
                    if std::mem::replace(&mut seen[i], true) {
                        return Err(serde::de::Error::custom("duplicate key"));
                    }
                    fields.push((i, m.next_value::<&'de RawValue>()?));
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(V)
    }
}

/// What a value is, as far as the schema cares.
enum Kind<'a> {
    Null,
    /// A string with no escape: its text is its content, and serde_json writes it back as is.
    Str(&'a str),
    Num(Number),
    Obj,
}

fn kind(raw: &RawValue) -> Option<Kind<'_>> {
    let s = raw.get().trim_ascii();
    match s.as_bytes().first()? {
        b'n' => Some(Kind::Null),
        b'"' => {
            let inner = &s[1..s.len() - 1];
            (!inner.contains('\\')).then_some(Kind::Str(inner))
        }
        b'{' => Some(Kind::Obj),
        b'-' | b'0'..=b'9' => serde_json::from_str(s).ok().map(Kind::Num),
        _ => None, // booleans and arrays: no payload field takes one
    }
}

/// One field of the completed payload, as it will be written.
enum Out<'a> {
    /// The value's own text (strings without escapes, null).
    Raw(&'a str),
    /// Re-serialised (numbers, objects) or derived.
    Owned(Vec<u8>),
}

/// The completed payload's JSON, or `None` when the rule must decide (see the module docs).
/// `now` is the naive ISO time a missing `timestamp` gets.
pub fn complete(text: &[u8], now: &str) -> Option<Vec<u8>> {
    complete_with_timestamp(text, now).map(|(json, _)| json)
}

/// [`complete`], with the completed payload's `timestamp` (the given one, or `now`): what
/// [`super::message::envelope_timestamp`] makes the envelope's timestamp.
pub fn complete_with_timestamp<'a>(text: &'a [u8], now: &'a str) -> Option<(Vec<u8>, &'a str)> {
    let Fields(fields) = serde_json::from_slice::<Fields<'_>>(text).ok()?;
    // A RawValue is skipped without serde_json's nesting limit, and re-parsed alone it would
    // get a fresh one: deeply nested values go to the rule, which parses the line as a whole.
    if fields.iter().any(|(_, raw)| raw.get().bytes().filter(|b| matches!(b, b'{' | b'[')).count() > 64) {
        return None;
    }
    let mut at = [usize::MAX; N];
    let mut kinds = Vec::with_capacity(fields.len());
    for (pos, (i, raw)) in fields.iter().enumerate() {
        at[*i] = pos;
        kinds.push(kind(raw)?);
    }
    let idx = |name: &str| PAYLOAD_KEYS.iter().position(|p| *p == name).expect("a payload key");
    let get = |name: &str| kinds.get(at[idx(name)]);
    let str_of = |name: &str| match get(name) {
        Some(Kind::Str(s)) => Some(*s),
        _ => None,
    };
    let absent_or_null = |name: &str| matches!(get(name), None | Some(Kind::Null));

    for f in ["model_id", "metric_name", "model_name", "model_version"] {
        if str_of(f)?.is_empty() {
            return None;
        }
    }
    let token = str_of("token_symbol")?;
    if token.is_empty() || token.len() > 64 || !token.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-') {
        return None;
    }
    let number = |name: &str| match get(name) {
        Some(Kind::Num(n)) => n.as_f64(),
        _ => None,
    };
    let baseline = number("baseline_value")?;
    let current = number("current_value")?;
    if !(absent_or_null("status") || str_of("status") == Some("registered")) {
        return None;
    }
    for f in ["mlflow_run_id", "experiment_name"] {
        if !(absent_or_null(f) || str_of(f).is_some()) {
            return None;
        }
    }
    for f in ["proposal_identifier", "eval_spec", "scorer_ref", "primary_metric", "benchmark_spec_id"] {
        if !(absent_or_null(f) || str_of(f).is_some_and(|s| !s.is_empty())) {
            return None;
        }
    }
    let derived_pct = if absent_or_null("improvement_percentage") {
        if baseline > 0.0 { Some(Number::from_f64((current - baseline) / baseline * 100.0)?) } else { None }
    } else if matches!(get("improvement_percentage"), Some(Kind::Num(_))) {
        None
    } else {
        return None;
    };
    if !(absent_or_null("contributor_address") || str_of("contributor_address").is_some_and(is_eth_address)) {
        return None;
    }
    // tags and api_schema are small: parsed and written back by serde_json, as the rule does.
    let tags = match get("tags") {
        None | Some(Kind::Null) => None,
        Some(Kind::Obj) => {
            let m: Map<String, Value> = serde_json::from_str(fields[at[idx("tags")]].1.get()).ok()?;
            if !m.values().all(Value::is_string) {
                return None;
            }
            Some(serde_json::to_vec(&m).ok()?)
        }
        Some(_) => return None,
    };
    let api_schema = match get("api_schema") {
        None | Some(Kind::Null) => None,
        Some(Kind::Obj) => {
            Some(serde_json::to_vec(&serde_json::from_str::<Value>(fields[at[idx("api_schema")]].1.get()).ok()?).ok()?)
        }
        Some(_) => return None,
    };
    let timestamp = match str_of("timestamp") {
        Some(given) if is_naive_iso(given) => given,
        None if absent_or_null("timestamp") => now,
        _ => return None,
    };
    if !(absent_or_null("message_version") || str_of("message_version") == Some("1.0")) {
        return None;
    }

    // Accepted. The fields as written, in the caller's order, then what the rule appends.
    let quoted = |s: &str| {
        let mut v = Vec::with_capacity(s.len() + 2);
        v.push(b'"');
        v.extend_from_slice(s.as_bytes());
        v.push(b'"');
        v
    };
    let mut out: Vec<(usize, Out<'_>)> = Vec::with_capacity(N);
    let mut tags = tags;
    let mut api_schema = api_schema;
    for ((i, raw), k) in fields.iter().zip(&kinds) {
        let v = match k {
            Kind::Num(n) => Out::Owned(serde_json::to_vec(n).ok()?),
            Kind::Obj if PAYLOAD_KEYS[*i] == "tags" => Out::Owned(tags.take()?),
            Kind::Obj => Out::Owned(api_schema.take()?),
            Kind::Null | Kind::Str(_) => Out::Raw(raw.get().trim_ascii()),
        };
        out.push((*i, v));
    }
    // In the rule's order: a null field is replaced where it stands, a missing one appended.
    let mut set = |name: &str, v: Vec<u8>| {
        let i = idx(name);
        match out.iter_mut().find(|(j, _)| *j == i) {
            Some(slot) => slot.1 = Out::Owned(v),
            None => out.push((i, Out::Owned(v))),
        }
    };
    if absent_or_null("status") {
        set("status", quoted("registered"));
    }
    if let Some(pct) = derived_pct {
        set("improvement_percentage", serde_json::to_vec(&pct).ok()?);
    }
    if absent_or_null("timestamp") {
        set("timestamp", quoted(now));
    }
    if absent_or_null("message_version") {
        set("message_version", quoted("1.0"));
    }
    if absent_or_null("proposal_identifier") {
        set("proposal_identifier", quoted(token));
    }

    let mut json = Vec::with_capacity(text.len() + 160);
    json.push(b'{');
    for (n, (i, v)) in out.iter().enumerate() {
        if n > 0 {
            json.push(b',');
        }
        json.push(b'"');
        json.extend_from_slice(PAYLOAD_KEYS[*i].as_bytes());
        json.extend_from_slice(b"\":");
        json.extend_from_slice(match v {
            Out::Raw(s) => s.as_bytes(),
            Out::Owned(b) => b,
        });
    }
    json.push(b'}');
    Some((json, timestamp))
}

fn is_eth_address(s: &str) -> bool {
    s.len() == 42 && s.starts_with("0x") && s[2..].bytes().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queue::message::{complete_model_payload_at, envelope_timestamp};
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;

    const NOW: &str = "2026-11-27T01:02:03.456789";

    /// What the rule writes, or None when it refuses.
    fn rule(text: &str) -> Option<Vec<u8>> {
        rule_with_timestamp(text).map(|(json, _)| json)
    }

    /// What the rule writes, and the envelope timestamp it gives.
    fn rule_with_timestamp(text: &str) -> Option<(Vec<u8>, String)> {
        let Ok(Value::Object(m)) = serde_json::from_str::<Value>(text) else { return None };
        let m = complete_model_payload_at(m, NOW).ok()?;
        let ts = envelope_timestamp(&m, "not the time of a completed payload").expect("a completed payload's timestamp passes");
        Some((serde_json::to_vec(&m).unwrap(), ts.to_owned()))
    }

    const BENCH: &str = r#"{"model_id":"model-00000001","token_symbol":"msg-ai","metric_name":"accuracy","baseline_value":0.85,"current_value":0.88,"model_name":"msg-ai-classifier","model_version":"3","mlflow_run_id":"run-0123","experiment_name":"baseline-validation-2025-q1","tags":{"team":"ml-platform","env":"staging"},"contributor_address":"0xabcdefabcdefabcdefabcdefabcdefabcdefabcd","eval_spec":"evals/spec.yaml","primary_metric":"accuracy"}"#;

    #[test]
    fn the_platforms_shape_takes_the_fast_path_and_matches_the_rule() {
        let fast = complete(BENCH.as_bytes(), NOW).expect("the common shape is decided here");
        assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(rule(BENCH).unwrap()).unwrap());
    }

    #[test]
    fn the_envelope_timestamp_is_the_payloads_own_else_now() {
        let given = BENCH.replacen('{', "{\"timestamp\":\"2025-01-27T15:30:00.5\",", 1);
        assert_eq!(complete_with_timestamp(given.as_bytes(), NOW).unwrap().1, "2025-01-27T15:30:00.5");
        assert_eq!(rule_with_timestamp(&given).unwrap().1, "2025-01-27T15:30:00.5");
        assert_eq!(complete_with_timestamp(BENCH.as_bytes(), NOW).unwrap().1, NOW);
        assert_eq!(rule_with_timestamp(BENCH).unwrap().1, NOW);
        let null = BENCH.replacen('{', "{\"timestamp\":null,", 1);
        assert_eq!(complete_with_timestamp(null.as_bytes(), NOW).unwrap().1, NOW);
        assert_eq!(rule_with_timestamp(&null).unwrap().1, NOW);
    }

    #[test]
    fn nesting_is_limited_as_the_rule_limits_it() {
        let with_schema = |depth: usize| {
            let schema = format!("{}{{}}{}", "{\"a\":".repeat(depth), "}".repeat(depth));
            BENCH.replacen('{', &format!("{{\"api_schema\":{schema},"), 1)
        };
        let shallow = with_schema(5);
        assert_eq!(complete(shallow.as_bytes(), NOW), rule(&shallow));
        assert!(rule(&shallow).is_some());
        for depth in [100, 126, 127, 200] {
            let deep = with_schema(depth);
            assert_eq!(complete(deep.as_bytes(), NOW), None, "depth {depth} is left to the rule");
        }
        assert!(rule(&with_schema(200)).is_none(), "the rule refuses what serde_json cannot nest");
    }

    #[test]
    fn unusual_inputs_go_to_the_rule() {
        for text in [
            r#"{"model_id":"a","model_id":"b"}"#,
            r#"{"mod\u0065l_id":"a"}"#,
            r#"{"model_id":"a\nb","token_symbol":"t","metric_name":"m","baseline_value":1,"current_value":2,"model_name":"n","model_version":"1"}"#,
            r#"{"extra":1}"#,
            r#"[1]"#,
            r#"not json"#,
            r#"{"model_id":"","token_symbol":"t","metric_name":"m","baseline_value":1,"current_value":2,"model_name":"n","model_version":"1"}"#,
        ] {
            assert_eq!(complete(text.as_bytes(), NOW), None, "{text}");
        }
    }

    fn string_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            Just(Value::from("")),
            "[a-z0-9-]{1,70}".prop_map(Value::from),
            "[ -~é\"\\\\\n]{0,12}".prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
        ]
    }

    fn number_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            (-1e6f64..1e6).prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            Just(Value::from(0)),
            Just(Value::from("1.0")),
        ]
    }

    /// Text of an arbitrary object: values of each field in and out of the schema, numbers in
    /// non-canonical spellings, spaces, keys in any order.
    fn payload_text() -> impl Strategy<Value = String> {
        let field = prop_oneof![
            string_value().prop_map(|v| ("model_id", v)),
            string_value().prop_map(|v| ("token_symbol", v)),
            string_value().prop_map(|v| ("metric_name", v)),
            number_value().prop_map(|v| ("baseline_value", v)),
            number_value().prop_map(|v| ("current_value", v)),
            string_value().prop_map(|v| ("model_name", v)),
            string_value().prop_map(|v| ("model_version", v)),
            prop_oneof![Just(Value::from("registered")), string_value()].prop_map(|v| ("status", v)),
            string_value().prop_map(|v| ("mlflow_run_id", v)),
            string_value().prop_map(|v| ("proposal_identifier", v)),
            number_value().prop_map(|v| ("improvement_percentage", v)),
            prop_oneof![Just(Value::from("0xABCDEFabcdef0123456789abcdef0123456789ab")), string_value()]
                .prop_map(|v| ("contributor_address", v)),
            string_value().prop_map(|v| ("experiment_name", v)),
            prop_oneof![
                Just(serde_json::json!({"a": "b", "c": "d"})),
                Just(serde_json::json!({"a": 1})),
                Just(serde_json::json!({})),
                string_value()
            ]
            .prop_map(|v| ("tags", v)),
            prop_oneof![Just(serde_json::json!({"type": "object", "n": [1.50, 2]})), string_value()]
                .prop_map(|v| ("api_schema", v)),
            string_value().prop_map(|v| ("eval_spec", v)),
            string_value().prop_map(|v| ("primary_metric", v)),
            prop_oneof![
                Just(Value::from("2025-01-27T15:30:00.123456")),
                Just(Value::from("2025-01-27T15:30:00Z")),
                string_value()
            ]
            .prop_map(|v| ("timestamp", v)),
            prop_oneof![Just(Value::from("1.0")), string_value()].prop_map(|v| ("message_version", v)),
        ];
        let required = (
            "[a-z0-9-]{1,10}",
            "[a-z0-9-]{1,10}",
            prop_oneof![Just("0.85"), Just("1.50"), Just("1e2"), Just("-0"), Just("0"), Just("12345678901234567890")],
            prop_oneof![Just("0.88"), Just("2.0E-3"), Just("7"), Just("-3.25")],
        );
        (required, proptest::collection::vec(field, 0..12), proptest::collection::vec(any::<bool>(), 16), any::<bool>()).prop_map(
            |((id, token, base, cur), extra, drop, spaced)| {
                let sep = if spaced { ", " } else { "," };
                let colon = if spaced { ": " } else { ":" };
                let mut parts = vec![
                    format!("\"model_id\"{colon}\"{id}\""),
                    format!("\"token_symbol\"{colon}\"{token}\""),
                    format!("\"metric_name\"{colon}\"accuracy\""),
                    format!("\"baseline_value\"{colon}{base}"),
                    format!("\"current_value\"{colon}{cur}"),
                    format!("\"model_name\"{colon}\"m\""),
                    format!("\"model_version\"{colon}\"3\""),
                ];
                for (k, v) in extra {
                    parts.push(format!("\"{k}\"{colon}{v}"));
                }
                // Drop some required ones now and then, to see refusals too.
                let mut kept: Vec<String> = parts
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| !(drop[*i % 16] && *i < 7 && drop[15]))
                    .map(|(_, p)| p)
                    .collect();
                if !kept.is_empty() {
                    kept.rotate_left(usize::from(drop[3]));
                }
                format!("{{{}}}", kept.join(sep))
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Whenever the fast path answers, the rule accepts and writes the same bytes, and the
        /// envelope gets the same timestamp.
        #[test]
        fn agrees_with_the_rule(text in payload_text()) {
            if let Some((fast, fast_ts)) = complete_with_timestamp(text.as_bytes(), NOW) {
                let slow = rule_with_timestamp(&text);
                prop_assert!(slow.is_some(), "fast path accepted what the rule refuses: {}", text);
                let (slow, slow_ts) = slow.unwrap();
                prop_assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(slow).unwrap(), "{}", text);
                prop_assert_eq!(fast_ts, slow_ts.as_str(), "{}", text);
            }
        }
    }

    /// (distinct top-level keys, key occurrences) of an object's text.
    fn rule_keys(text: &str) -> Option<(usize, usize)> {
        let m: Map<String, Value> = serde_json::from_str(text).ok()?;
        let all = PAYLOAD_KEYS.iter().map(|k| text.matches(&format!("\"{k}\"")).count()).sum();
        Some((m.len(), all))
    }

    /// And it does answer for most accepted inputs (otherwise it accelerates nothing).
    #[test]
    fn answers_for_accepted_inputs_without_escapes() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut accepted, mut fast) = (0, 0);
        for _ in 0..3000 {
            let text = payload_text().new_tree(&mut runner).unwrap().current();
            let keys = rule_keys(&text);
            if rule(&text).is_some() && !text.contains('\\') && keys.is_some_and(|(distinct, all)| distinct == all) {
                accepted += 1;
                fast += usize::from(complete(text.as_bytes(), NOW).is_some());
            }
        }
        assert!(accepted > 100, "the generator makes accepted payloads ({accepted})");
        // Duplicate keys are the one other reason to defer; they are rare in the generator.
        assert!(fast * 10 >= accepted * 8, "fast path answered {fast} of {accepted}");
    }
}
