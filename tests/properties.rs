//! Bad input never panics, and what emit writes reads back exactly: property tests over
//! arbitrary bytes, arbitrary JSON, DLQ wrappers and valid payloads; a 100 MB line on stdin.

use std::io::Write;
use std::process::Stdio;

use hokusai_queue::output;
use hokusai_queue::queue::message::{self, Element, MODEL_READY};
use predicates::prelude::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{Map, Value};

use crate::support::*;

fn arb_number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        (-1e6f64..1e6).prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
    ]
}

/// Timestamps in every form readers meet: naive ISO, with Z or offsets, odd fractions, junk.
fn arb_timestamp() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,12})?(Z|[+-][0-9]{2}:?[0-9]{2})?.{0,2}"
            .prop_map(Value::String),
        ".{0,30}".prop_map(Value::String),
        arb_number(),
    ]
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        arb_number(),
        "(?s).{0,20}".prop_map(Value::String),
        arb_timestamp(),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("(?s).{0,8}", inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Objects that look like envelopes, with any value in any envelope field.
fn arb_envelope_like() -> impl Strategy<Value = Value> {
    let field = |name: &'static str| prop::option::of(arb_json()).prop_map(move |v| (name, v));
    (
        prop_oneof!["[0-9a-f-]{36}".prop_map(Value::String), arb_json()],
        field("message_type"),
        field("payload"),
        prop::option::of(arb_timestamp()),
        field("retry_count"),
        field("max_retries"),
        prop::collection::vec(("[a-z_]{1,10}", arb_json()), 0..3),
    )
        .prop_map(|(id, ty, payload, ts, rc, mr, extra)| {
            let mut m = Map::new();
            m.insert("message_id".into(), id);
            for (k, v) in [ty, payload, ("timestamp", ts), rc, mr] {
                if let Some(v) = v {
                    m.insert(k.into(), v);
                }
            }
            m.extend(extra);
            Value::Object(m)
        })
}

/// DLQ entries in the publisher's wrapper shape, around anything.
fn arb_wrapper() -> impl Strategy<Value = Value> {
    (
        prop_oneof![arb_envelope_like().prop_map(|v| v.to_string()), "(?s).{0,40}"],
        arb_json(),
        arb_json(),
        arb_json(),
    )
        .prop_map(|(original, error, failed_at, queue)| {
            serde_json::json!({"original_message": original, "error": error, "failed_at": failed_at, "original_queue": queue})
        })
}

/// Everything a reader does with an element: classify it, describe it, render it.
fn read_everything(raw: Vec<u8>) -> Element {
    let e = Element::parse(raw.clone());
    assert_eq!(e.raw, raw, "the element's bytes were changed");
    let _ = (e.shape_name(), e.unusable_reason());
    if let Some(env) = e.envelope() {
        let _ = (env.message_id(), env.message_type(), env.timestamp_unix(), env.retry_count(), env.max_retries());
        let _ = (env.payload_str("model_id"), env.with_retry_count(1));
    }
    for now in [0, 1_737_991_800_000, i64::MAX, i64::MIN] {
        let v = output::element_json(7, &e, now);
        if let Some(b64) = v.get("raw_base64").and_then(Value::as_str) {
            use base64::Engine;
            assert_eq!(base64::engine::general_purpose::STANDARD.decode(b64).unwrap(), raw, "raw_base64 is not the bytes");
        }
        let _ = output::human_age(output::age_seconds(&e, now));
    }
    let peeked = hokusai_queue::queue::Peeked { len: 8, now_ms: 0, elements: vec![(7, e.clone())] };
    let _ = output::peek_table(&peeked).to_string();
    e
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_are_read_without_panic(raw in prop::collection::vec(any::<u8>(), 0..256)) {
        read_everything(raw);
    }

    #[test]
    fn any_json_is_read_without_panic(v in arb_json()) {
        read_everything(v.to_string().into_bytes());
    }

    #[test]
    fn envelope_like_objects_are_read_without_panic(v in arb_envelope_like()) {
        let e = read_everything(v.to_string().into_bytes());
        prop_assert_eq!(e.envelope().is_some(), v["message_id"].is_string());
    }

    #[test]
    fn dlq_wrappers_are_read_without_panic(v in arb_wrapper(), cut in 0usize..400) {
        let text = v.to_string();
        let e = read_everything(text.clone().into_bytes());
        prop_assert_eq!(e.shape_name(), "wrapped");
        // Truncated and corrupted wrappers too.
        read_everything(text.as_bytes()[..cut.min(text.len())].to_vec());
        let mut bad = text.into_bytes();
        if let Some(b) = bad.get_mut(cut) { *b = 0xff; }
        read_everything(bad);
    }

    /// What emit builds, a reader gets back exactly: every given payload field unchanged
    /// (strings, numbers to the bit, key order), plus only the fields the platform derives.
    #[test]
    fn valid_payloads_round_trip(p in arb_valid_payload()) {
        let Ok(completed) = message::complete_model_payload(p.clone()) else {
            // The only refusal of a schema-valid payload: a derived percentage that overflows.
            prop_assume!(false);
            unreachable!()
        };
        assert_extends(&p, &completed);
        let raw = message::new_envelope(&uuid::Uuid::new_v4().to_string(), MODEL_READY, completed.clone(), 3);
        let v: Value = serde_json::from_slice(&raw).unwrap();
        prop_assert!(message::validate_envelope(&v).is_ok(), "{:?}", message::validate_envelope(&v));
        let e = read_everything(raw);
        prop_assert_eq!(e.envelope().and_then(|x| x.payload()), Some(&Value::Object(completed)));
    }
}

/// `out` holds every key of `given` with the very same value, in the same order, and only
/// derived keys besides.
fn assert_extends(given: &Map<String, Value>, out: &Map<String, Value>) {
    for (k, v) in given {
        assert_eq!(out.get(k), Some(v), "payload field {k} changed");
    }
    let order: Vec<&String> = out.keys().filter(|k| given.contains_key(*k)).collect();
    assert_eq!(order, given.keys().collect::<Vec<_>>(), "key order changed");
    for k in out.keys().filter(|k| !given.contains_key(*k)) {
        assert!(
            ["status", "message_version", "timestamp", "proposal_identifier", "improvement_percentage"].contains(&k.as_str()),
            "unexpected key {k}"
        );
    }
}

/// Payloads the platform accepts, with every optional field sometimes present.
fn arb_valid_payload() -> impl Strategy<Value = Map<String, Value>> {
    let text = || "(?s).{1,24}".prop_map(Value::String);
    let opt_text = || prop::option::of(text());
    let naive = (1970u32..2100, 1u32..13, 1u32..29, 0u32..24, 0u32..60, 0u32..60, prop::option::of(0u32..1_000_000)).prop_map(
        |(y, mo, d, h, mi, s, us)| {
            let base = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}");
            Value::String(us.map_or(base.clone(), |us| format!("{base}.{us:06}")))
        },
    );
    (
        (text(), "[a-z0-9-]{1,64}", text(), arb_number(), arb_number(), text(), text()),
        (
            prop::option::of(prop_oneof![text(), Just(Value::Null)]),
            opt_text(),
            prop::option::of(arb_number()),
            prop::option::of("0x[a-fA-F0-9]{40}".prop_map(Value::String)),
            prop::option::of(prop::collection::btree_map("(?s).{0,8}", "(?s).{0,8}", 0..4)),
            prop::option::of(arb_json().prop_map(|v| serde_json::json!({"schema": v}))),
            (opt_text(), opt_text(), opt_text(), opt_text()),
            prop::option::of(naive),
        ),
    )
        .prop_map(|((model_id, token, metric, baseline, current, name, version), optional)| {
            let (run_id, proposal, pct, address, tags, api_schema, (eval, scorer, primary, bench), ts) = optional;
            let mut m = Map::new();
            m.insert("model_id".into(), model_id);
            m.insert("token_symbol".into(), Value::String(token));
            m.insert("metric_name".into(), metric);
            m.insert("baseline_value".into(), baseline);
            m.insert("current_value".into(), current);
            m.insert("model_name".into(), name);
            m.insert("model_version".into(), version);
            let tags = tags.map(|t| Value::Object(t.into_iter().map(|(k, v)| (k, Value::String(v))).collect()));
            for (k, v) in [
                ("mlflow_run_id", run_id),
                ("proposal_identifier", proposal),
                ("improvement_percentage", pct),
                ("contributor_address", address),
                ("tags", tags),
                ("api_schema", api_schema),
                ("eval_spec", eval),
                ("scorer_ref", scorer),
                ("primary_metric", primary),
                ("benchmark_spec_id", bench),
                ("timestamp", ts),
            ] {
                if let Some(v) = v {
                    m.insert(k.into(), v);
                }
            }
            m
        })
}

/// The same property through the real binary and a real Redis: generated payloads go in with
/// `emit --file`, come out with `peek -o json` and as the raw list elements, unchanged.
#[test]
fn emit_then_read_round_trips_generated_payloads() {
    const N: usize = 120;
    let server = RedisServer::start();
    let mut runner = TestRunner::deterministic();
    let strategy = arb_valid_payload();
    let mut given = Vec::new();
    while given.len() < N {
        let p = strategy.new_tree(&mut runner).unwrap().current();
        if message::complete_model_payload(p.clone()).is_ok() {
            given.push(p);
        }
    }
    let mut f = tempfile::NamedTempFile::new().unwrap();
    for p in &given {
        writeln!(f, "{}", Value::Object(p.clone())).unwrap();
    }
    f.flush().unwrap();
    hq(&server).args(["emit", "--no-publish", "--batch-size", "7", "--file"]).arg(f.path()).assert().success();

    let shown = json_out(hq(&server).args(["peek", "-o", "json", "-n", &N.to_string()]));
    let shown = shown.as_array().unwrap();
    let stored = server.lrange(QUEUE);
    assert_eq!(shown.len(), N);
    for (i, p) in given.iter().enumerate() {
        assert_eq!(shown[i]["position"], i);
        assert_extends(p, shown[i]["payload"].as_object().expect("peek shows the payload"));
        let raw = &stored[N - 1 - i];
        assert_platform_accepts(raw);
        let e = Element::parse(raw.clone());
        assert_extends(p, e.envelope().unwrap().payload().unwrap().as_object().unwrap());
    }
}

/// Streams `total` bytes of one endless line into `cmd`'s stdin; returns how many bytes the
/// process took before it closed its end, and its output.
fn feed_endless_line(mut cmd: std::process::Command, total: usize) -> (usize, std::process::Output) {
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'x'; 1 << 20];
        let mut written = 0;
        let _ = stdin.write_all(b"{\"model_id\": \"");
        while written < total {
            match stdin.write(&chunk) {
                Ok(n) => written += n,
                Err(_) => break, // the reader is gone: it refused the line
            }
        }
        written
    });
    let out = child.wait_with_output().unwrap();
    (writer.join().unwrap(), out)
}

#[test]
fn hundred_megabyte_line_on_stdin_is_refused_without_buffering_it() {
    const HUNDRED_MB: usize = 100 * 1024 * 1024;
    let server = RedisServer::start();
    for mode in [&["emit", "--file", "-"][..], &["emit", "--payload", "-"][..]] {
        let mut cmd = hq_process(&server);
        cmd.args(mode);
        let (taken, out) = feed_endless_line(cmd, HUNDRED_MB);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{mode:?}: {err}");
        assert!(err.contains("4194304 bytes (--max-message-bytes)") && err.contains("nothing was pushed"), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        // It stopped reading a little past the limit instead of swallowing 100 MB.
        assert!(taken < 16 * 1024 * 1024, "{mode:?}: read {taken} bytes of the line before refusing it");
    }
    assert!(server.keys().is_empty());
}

#[test]
fn max_message_bytes_is_a_flag() {
    let server = RedisServer::start();
    let line = payload_json("small");
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), format!("{line}\n{}\n", payload_json(&"y".repeat(300)))).unwrap();
    let limit = line.len().to_string();
    // Exactly at the limit passes; one line over it is refused with its line number.
    hq(&server)
        .args(["emit", "--max-message-bytes", &limit, "--file"])
        .arg(f.path())
        .assert()
        .code(4)
        .stderr(predicate::str::contains("line 2: longer than"));
    hq(&server).args(["emit", "--max-message-bytes", &limit, "--payload", &line]).assert().success();
    hq(&server)
        .args(["emit", "--max-message-bytes", "100", "--payload", &line])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("larger than 100 bytes"));
    hq(&server).args(["emit", "--max-message-bytes", "1KiB", "--file"]).arg(f.path()).assert().success();
    for bad in ["0", "lots", "1GiB"] {
        hq(&server).args(["emit", "--max-message-bytes", bad, "--payload", &line]).assert().code(2);
    }
    assert_eq!(server.llen(QUEUE), 3);
}
