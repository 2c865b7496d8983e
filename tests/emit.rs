//! emit: every flag path, the schema one rule at a time, bulk files, envelopes, pub/sub.

use std::io::Write;
use std::time::Duration;

use predicates::prelude::*;
use serde_json::{Value, json};

use crate::support::*;

fn only_element(server: &RedisServer, key: &str) -> Value {
    let items = server.lrange(key);
    assert_eq!(items.len(), 1, "expected exactly one element in {key}");
    assert_platform_accepts(&items[0]);
    envelope(&items[0])
}

#[test]
fn from_flags_builds_the_platform_envelope() {
    let server = RedisServer::start();
    let out = hq(&server).args(emit_flags()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let id = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let env = only_element(&server, QUEUE);
    assert_eq!(env["message_id"], id.as_str());
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 4);
    assert_eq!(env["message_type"], "model_ready_to_deploy");
    assert_eq!(env["retry_count"], 0);
    assert_eq!(env["max_retries"], 3);
    let p = &env["payload"];
    assert_eq!(p["model_id"], "model-123");
    assert_eq!(p["baseline_value"], 0.85);
    assert_eq!(p["model_version"], "3");
    assert_eq!(p["status"], "registered");
    assert_eq!(p["message_version"], "1.0");
    assert_eq!(p["proposal_identifier"], "msg-ai");
    let pct = p["improvement_percentage"].as_f64().unwrap();
    assert!((pct - (0.88 - 0.85) / 0.85 * 100.0).abs() < 1e-12, "derived improvement {pct}");
    assert_naive_iso(p["timestamp"].as_str().unwrap());
    // Only the tool's own keys were written: the list itself.
    assert_eq!(server.keys(), vec![QUEUE.to_owned()]);
}

#[test]
fn every_optional_flag_lands_in_the_payload() {
    let server = RedisServer::start();
    let id = "550e8400-e29b-41d4-a716-446655440000";
    let addr = "0xAbCdEf0123456789abcdef0123456789ABCDEF01";
    hq(&server)
        .args(emit_flags())
        .args(["--mlflow-run-id", "run-9", "--proposal-identifier", "prop-1", "--improvement-percentage", "12.5"])
        .args(["--contributor-address", addr, "--experiment-name", "exp", "--tag", "team=ml", "--tag", "env=staging"])
        .args(["--api-schema", r#"{"type":"object"}"#, "--eval-spec", "spec", "--scorer-ref", "scorer", "--primary-metric", "f1"])
        .args(["--benchmark-spec-id", "bench-1", "--payload-timestamp", "2025-01-27T15:30:00.123456"])
        .args(["--message-id", id, "--max-retries", "7"])
        .assert()
        .success()
        .stdout(format!("{id}\n"));
    let env = only_element(&server, QUEUE);
    assert_eq!(env["message_id"], id);
    assert_eq!(env["max_retries"], 7);
    let p = &env["payload"];
    assert_eq!(p["mlflow_run_id"], "run-9");
    assert_eq!(p["proposal_identifier"], "prop-1");
    assert_eq!(p["improvement_percentage"], 12.5);
    assert_eq!(p["contributor_address"], addr);
    assert_eq!(p["experiment_name"], "exp");
    assert_eq!(p["tags"], json!({"team": "ml", "env": "staging"}));
    assert_eq!(p["api_schema"], json!({"type": "object"}));
    assert_eq!(p["eval_spec"], "spec");
    assert_eq!(p["scorer_ref"], "scorer");
    assert_eq!(p["primary_metric"], "f1");
    assert_eq!(p["benchmark_spec_id"], "bench-1");
    assert_eq!(p["timestamp"], "2025-01-27T15:30:00.123456");
}

#[test]
fn payload_inline_file_and_stdin() {
    let server = RedisServer::start();
    let v = json_out(hq(&server).args(["emit", "--payload", &payload_json("inline"), "-o", "json"]));
    assert_eq!(v["queue"], QUEUE);
    assert!(v["message_id"].is_string());

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.json");
    std::fs::write(&file, payload_json("from-file")).unwrap();
    hq(&server).args(["emit", "--payload"]).arg(format!("@{}", file.display())).assert().success();
    hq(&server).args(["emit", "--payload", "-"]).write_stdin(payload_json("from-stdin")).assert().success();

    let ids: Vec<String> =
        server.lrange(QUEUE).iter().rev().map(|r| envelope(r)["payload"]["model_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids, ["inline", "from-file", "from-stdin"]);
    for raw in server.lrange(QUEUE) {
        assert_platform_accepts(&raw);
    }
    assert_eq!(envelope(&server.lrange(QUEUE)[2])["message_id"], v["message_id"]);
}

/// Each broken rule exits 4, names the field, and pushes nothing.
#[test]
fn schema_violations_one_by_one() {
    let server = RedisServer::start();
    let good: Value = serde_json::from_str(&payload_json("m")).unwrap();
    let cases: Vec<(&str, Value)> = vec![
        ("model_id", json!(null)),
        ("model_id", json!("")),
        ("token_symbol", json!("MSG-AI")),
        ("token_symbol", json!("a".repeat(65))),
        ("token_symbol", json!("msg_ai")),
        ("metric_name", json!(3)),
        ("baseline_value", json!("0.85")),
        ("baseline_value", json!(true)),
        ("current_value", json!(null)),
        ("model_name", json!("")),
        ("model_version", json!(3)),
        ("status", json!("deployed")),
        ("contributor_address", json!("0x123")),
        ("tags", json!({"a": 1})),
        ("tags", json!(["a"])),
        ("api_schema", json!("text")),
        ("timestamp", json!("2025-01-27T15:30:00Z")),
        ("timestamp", json!("2025-01-27T15:30:00+00:00")),
        ("timestamp", json!(1737991800.0)),
        ("message_version", json!("2.0")),
        ("eval_spec", json!("")),
        ("improvement_percentage", json!("5")),
        ("mlflow_run_id", json!(5)),
        ("unknown_field", json!("x")),
    ];
    for (field, value) in cases {
        let mut p = good.clone();
        if value.is_null() {
            p.as_object_mut().unwrap().remove(field);
        } else {
            p[field] = value.clone();
        }
        hq(&server)
            .args(["emit", "--payload", &p.to_string()])
            .assert()
            .code(4)
            .stderr(predicate::str::contains(format!("`{field}")).and(predicate::str::contains("\n").count(1)));
        assert_eq!(server.llen(QUEUE), 0, "{field}={value} pushed something");
    }
    assert!(server.keys().is_empty());
}

#[test]
fn missing_flag_is_named() {
    let server = RedisServer::start();
    let mut args = emit_flags();
    args.truncate(args.len() - 2); // drop --model-version 3
    hq(&server)
        .args(&args)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("model_version").and(predicate::str::contains("--model-version")));
    hq(&server)
        .args(emit_flags())
        .args(["--message-id", "not-a-uuid"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("--message-id"));
    hq(&server)
        .args(emit_flags())
        .args(["--api-schema", "{nope"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("--api-schema"));
    hq(&server).args(["emit", "--payload", "[1]"]).assert().code(4).stderr(predicate::str::contains("JSON object"));
    hq(&server).args(["emit", "--payload", "{"]).assert().code(4).stderr(predicate::str::contains("not valid JSON"));
    hq(&server).args(emit_flags()).args(["--payload", "{}"]).assert().code(2);
    assert!(server.keys().is_empty());
}

fn write_lines(lines: impl IntoIterator<Item = String>) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    for l in lines {
        writeln!(f, "{l}").unwrap();
    }
    f.flush().unwrap();
    f
}

#[test]
fn bulk_ten_thousand_lines_in_order() {
    let server = RedisServer::start();
    let f = write_lines((0..10_000).map(|i| payload_json(&format!("m-{i}"))));
    let v = json_out(hq(&server).args(["emit", "--no-publish", "-o", "json", "--file"]).arg(f.path()));
    assert_eq!(v["emitted"], 10_000);
    assert_eq!(v["queue"], QUEUE);
    let d = json_out(hq(&server).args(["depth", "-o", "json"]));
    assert_eq!(d["main"], 10_000);
    let all = server.lrange(QUEUE);
    // The first line is the first consumed (the tail of the list).
    assert_eq!(envelope(&all[all.len() - 1])["payload"]["model_id"], "m-0");
    assert_eq!(envelope(&all[0])["payload"]["model_id"], "m-9999");
    assert_platform_accepts(&all[1234]);
    let ids: std::collections::HashSet<String> =
        all.iter().map(|r| envelope(r)["message_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 10_000, "message ids are unique");
}

#[test]
fn bad_line_in_the_middle_pushes_nothing() {
    let server = RedisServer::start();
    let mut lines: Vec<String> = (0..100).map(|i| payload_json(&format!("m-{i}"))).collect();
    lines[56] = payload_json("m").replace("msg-ai", "MSG");
    let f = write_lines(lines);
    hq(&server)
        .args(["emit", "--file"])
        .arg(f.path())
        .assert()
        .code(4)
        .stderr(predicate::str::contains("line 57").and(predicate::str::contains("token_symbol")));
    let f = write_lines(vec![payload_json("a"), "{not json".into()]);
    hq(&server).args(["emit", "--file"]).arg(f.path()).assert().code(4).stderr(predicate::str::contains("line 2"));
    assert!(server.keys().is_empty());
}

#[test]
fn stdin_file_blank_lines_skip_and_resume() {
    let server = RedisServer::start();
    let input = format!("{}\n\n{}\n{}\n", payload_json("a"), payload_json("b"), payload_json("c"));
    hq(&server)
        .args(["emit", "--file", "-", "--skip", "2"])
        .write_stdin(input.clone())
        .assert()
        .success()
        .stdout("emitted 2 messages to hokusai:model_ready_queue\n");
    let models: Vec<Value> = server.lrange(QUEUE).iter().rev().map(|r| envelope(r)["payload"]["model_id"].clone()).collect();
    assert_eq!(models, [json!("b"), json!("c")]);

    // A finished run's progress marker lets --resume continue after its last line: nothing left.
    let f = write_lines(vec![payload_json("x"), payload_json("y")]);
    let v = json_out(hq(&server).args(["emit", "-o", "json", "--file"]).arg(f.path()));
    assert_eq!(v["last_line"], 2);
    let run = v["run_id"].as_str().unwrap();
    let again = json_out(hq(&server).args(["emit", "-o", "json", "--resume", run, "--file"]).arg(f.path()));
    assert_eq!(again["emitted"], 0);
    assert_eq!(server.llen(QUEUE), 4);
    hq(&server)
        .args(["emit", "--resume", "no-such-run", "--file"])
        .arg(f.path())
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no progress"));
}

#[test]
fn oversized_line_is_refused() {
    let server = RedisServer::start();
    let big = format!("{{\"model_id\":\"{}\"}}", "x".repeat(5 * 1024 * 1024));
    hq(&server).args(["emit", "--file", "-"]).write_stdin(big).assert().code(4).stderr(predicate::str::contains("longer than"));
    assert!(server.keys().is_empty());
}

#[test]
fn envelopes_are_pushed_byte_for_byte() {
    let server = RedisServer::start();
    // Python's json.dumps spacing, kept exactly.
    let line = r#"{"message_id": "550e8400-e29b-41d4-a716-446655440000", "message_type": "model_ready_to_deploy", "payload": {"model_id": "m", "token_symbol": "msg-ai", "metric_name": "acc", "baseline_value": 0.8, "current_value": 0.9, "model_name": "n", "model_version": "1", "status": "registered", "proposal_identifier": "msg-ai", "improvement_percentage": 12.5, "timestamp": "2025-01-27T15:30:00", "message_version": "1.0"}, "timestamp": "2025-01-27T15:30:00.123456", "retry_count": 1, "max_retries": 3}"#;
    let f = write_lines(vec![line.to_owned()]);
    hq(&server).args(["emit", "--envelopes", "--file"]).arg(f.path()).assert().success();
    assert_eq!(server.lrange(QUEUE), vec![line.as_bytes().to_vec()]);

    let extra = line.replace("\"max_retries\": 3}", "\"max_retries\": 3, \"lease\": 1}");
    let f = write_lines(vec![extra]);
    hq(&server)
        .args(["emit", "--envelopes", "--file"])
        .arg(f.path())
        .assert()
        .code(4)
        .stderr(predicate::str::contains("`lease`"));
    let not_a_string = line.replace("\"2025-01-27T15:30:00.123456\"", "1737991800.123456");
    let f = write_lines(vec![not_a_string]);
    hq(&server)
        .args(["emit", "--envelopes", "--file"])
        .arg(f.path())
        .assert()
        .code(4)
        .stderr(predicate::str::contains("`timestamp`"));
    assert_eq!(server.llen(QUEUE), 1);
}

/// A drain backup of what the platform really wrote goes back byte for byte: an envelope whose
/// timestamp carries an offset (copied from its payload since May 2026), and an older producer's
/// payload that misses fields, has a float-epoch timestamp and an upper-case token_symbol. Only
/// the envelope's shape is checked, as `MessageEnvelope(**data)` takes it.
#[test]
fn envelopes_restore_real_platform_backups_byte_for_byte() {
    let server = RedisServer::start();
    // Python's json.dumps spacing, a payload timestamp copied into the envelope with its offset.
    let offset_payload = r#"{"model_id": "m-offset", "token_symbol": "msg-ai", "metric_name": "accuracy", "baseline_value": 0.850, "current_value": 0.88, "model_name": "clf", "model_version": "3", "status": "registered", "timestamp": "2026-05-05T12:00:00.123456+00:00", "message_version": "1.0"}"#;
    let offset = format!(
        r#"{{"message_id": "6f1c2b7e-9a4d-4c1e-8b2a-6d5e4f3a2b1c", "message_type": "model_ready_to_deploy", "payload": {offset_payload}, "timestamp": "2026-05-05T12:00:00.123456+00:00", "retry_count": 0, "max_retries": 3}}"#
    );
    // An older producer's dict: fields missing, a float-epoch timestamp, an upper-case symbol,
    // numbers no f64 holds as written.
    let legacy_payload = r#"{"model_id":"m-legacy","token_symbol":"MSG-AI","baseline_value":123456789012345678901234567890,"current_value":1E2,"timestamp":1737991800.123456}"#;
    let legacy = format!(
        r#"{{"message_id":"legacy-7","message_type":"model_ready_to_deploy","payload":{legacy_payload},"timestamp":"2025-01-27T15:30:00","retry_count":2,"max_retries":5}}"#
    );
    let f = write_lines(vec![offset.clone(), legacy.clone()]);
    let mut sub = server.client();
    sub.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut pubsub = sub.as_pubsub();
    pubsub.subscribe(format!("{QUEUE}:pubsub")).unwrap();

    let v = json_out(hq(&server).args(["emit", "--envelopes", "-o", "json", "--file"]).arg(f.path()));
    assert_eq!(v["emitted"], 2);
    // LRANGE is newest first: the file's first line is the next consumed (the tail).
    assert_eq!(server.lrange(QUEUE), vec![legacy.as_bytes().to_vec(), offset.as_bytes().to_vec()], "restored byte for byte");
    // Each notice is that envelope's payload, its text as the backup holds it.
    for payload in [offset_payload, legacy_payload] {
        assert_eq!(pubsub.get_message().unwrap().get_payload_bytes(), payload.as_bytes());
    }

    // A 7th envelope key would crash the platform's consumer: refused, naming the line, the key
    // and the rule; nothing of the file is pushed.
    let seventh = offset.replace("\"max_retries\": 3}", "\"max_retries\": 3, \"_retryCount\": 1}");
    let f = write_lines(vec![legacy.clone(), seventh]);
    hq(&server).args(["emit", "--envelopes", "--file"]).arg(f.path()).assert().code(4).stderr(
        predicate::str::contains("line 2")
            .and(predicate::str::contains("`_retryCount`"))
            .and(predicate::str::contains("not an envelope key"))
            .and(predicate::str::contains("nothing was pushed")),
    );
    // Not JSON, not an object, a key missing, a key of the wrong type: each refused by line.
    for (bad, rule) in [
        ("{\"message_id\": ".to_owned(), "not valid JSON"),
        ("[1, 2]".to_owned(), "must be a JSON object"),
        (legacy.replace(",\"max_retries\":5", ""), "`max_retries` is missing"),
        (legacy.replace("\"retry_count\":2", "\"retry_count\":\"2\""), "`retry_count` must be an integer"),
        (legacy.replace("\"retry_count\":2", "\"retry_count\":2.5"), "`retry_count` must be an integer"),
        (legacy.replace("\"message_id\":\"legacy-7\"", "\"message_id\":7"), "`message_id` must be a string"),
        // The platform's consumer runs datetime.fromisoformat on it.
        (legacy.replace("\"timestamp\":\"2025-01-27T15:30:00\"", "\"timestamp\":\"soon\""), "`timestamp` must be an ISO time"),
        (
            legacy.replace("\"message_type\":\"model_ready_to_deploy\"", "\"message_type\":null"),
            "`message_type` must be a string",
        ),
        (
            legacy.replace("\"payload\":{", "\"payload\":[{").replace("},\"timestamp\":\"2025", "}],\"timestamp\":\"2025"),
            "`payload` must be a JSON object",
        ),
        (legacy.replace("\"timestamp\":\"2025-01-27T15:30:00\"", "\"timestamp\":null"), "`timestamp` must be an ISO time"),
    ] {
        let f = write_lines(vec![offset.clone(), bad.clone()]);
        hq(&server)
            .args(["emit", "--envelopes", "--file"])
            .arg(f.path())
            .assert()
            .code(4)
            .stderr(predicate::str::contains("line 2").and(predicate::str::contains(rule)));
    }
    assert_eq!(server.llen(QUEUE), 2, "no refused file pushed anything");
}

/// The envelope's timestamp is the payload's own when it has one (as the platform's publisher
/// sets it), else now; from flags, --payload, and --file lines on both the fast and the full path.
#[test]
fn the_envelope_timestamp_is_the_payloads() {
    let server = RedisServer::start();
    let given = "2025-01-27T15:30:00.123456";
    let with_ts = |model_id: &str, ts: &str| {
        let mut p: Value = serde_json::from_str(&payload_json(model_id)).unwrap();
        p["timestamp"] = json!(ts);
        p.to_string()
    };
    hq(&server).args(emit_flags()).args(["--payload-timestamp", given]).assert().success();
    hq(&server).args(emit_flags()).assert().success();
    hq(&server).args(["emit", "--payload", &with_ts("payload", "2024-02-29T23:59:59")]).assert().success();
    // An escape in a string sends a line down the full path; the others take the fast one.
    let escaped = with_ts("escaped", "2025-01-27T15:30:01.654321").replace("\"escaped\"", r#""escap\u0065d""#);
    let f = write_lines(vec![with_ts("fast", "2025-01-27T15:30:02"), escaped, payload_json("no-ts")]);
    hq(&server).args(["emit", "--file"]).arg(f.path()).assert().success();
    hq(&server)
        .args([
            "emit",
            "--message-type",
            "model_retired",
            "--payload",
            r#"{"model_id": "x", "timestamp": "2025-01-27T15:30:03"}"#,
        ])
        .assert()
        .success();

    let all: Vec<Value> = server.lrange(QUEUE).iter().rev().map(|r| envelope(r)).collect();
    let stamps: Vec<(&str, &str)> =
        all.iter().map(|e| (e["timestamp"].as_str().unwrap(), e["payload"]["timestamp"].as_str().unwrap())).collect();
    assert_eq!(stamps[0], (given, given), "--payload-timestamp");
    assert_eq!(stamps[2], ("2024-02-29T23:59:59", "2024-02-29T23:59:59"), "--payload");
    assert_eq!(stamps[3], ("2025-01-27T15:30:02", "2025-01-27T15:30:02"), "a file line, fast path");
    assert_eq!(stamps[4], ("2025-01-27T15:30:01.654321", "2025-01-27T15:30:01.654321"), "a file line, full path");
    assert_eq!(all[4]["payload"]["model_id"], "escaped");
    assert_eq!(stamps[6], ("2025-01-27T15:30:03", "2025-01-27T15:30:03"), "another message type");
    // Without one, both get the same now.
    for i in [1, 5] {
        let (env_ts, payload_ts) = stamps[i];
        assert_naive_iso(env_ts);
        assert_eq!(env_ts, payload_ts, "message {i}");
        assert!(!env_ts.starts_with("2025-01-27") && !env_ts.starts_with("2024"), "now, not a given time: {env_ts}");
    }
    for raw in server.lrange(QUEUE) {
        assert_platform_accepts(&raw);
    }
    // What cannot be an envelope's timestamp is refused, for any message type.
    for payload in [r#"{"timestamp": 1737991800.5}"#, r#"{"timestamp": "2025-01-27T15:30:00+00:00"}"#] {
        hq(&server)
            .args(["emit", "--message-type", "model_retired", "--payload", payload])
            .assert()
            .code(4)
            .stderr(predicate::str::contains("`timestamp`"));
    }
    assert_eq!(server.llen(QUEUE), 7);
}

#[test]
fn other_message_types_on_other_queues() {
    let server = RedisServer::start();
    // Another envelope queue: named so with --profile (by name it would be opaque).
    let q = "hokusai:other_events";
    hq(&server)
        .args([
            "--profile",
            "envelope",
            "emit",
            "--queue",
            q,
            "--message-type",
            "mint_request",
            "--payload",
            r#"{"anything": [1, 2]}"#,
        ])
        .assert()
        .success();
    let env = envelope(&server.lrange(q)[0]);
    assert_eq!(env["message_type"], "mint_request");
    assert_eq!(env["payload"], json!({"anything": [1, 2]}));
    hq(&server)
        .args(["--profile", "envelope", "emit", "--queue", q, "--message-type", "mint_request", "--payload", "[1]"])
        .assert()
        .code(4);
    assert_eq!(server.llen(q), 1);
    assert_eq!(server.llen(QUEUE), 0);
}

#[test]
fn publishes_the_payload_not_the_envelope() {
    let server = RedisServer::start();
    let mut sub = server.client();
    sub.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut pubsub = sub.as_pubsub();
    pubsub.subscribe(format!("{QUEUE}:pubsub")).unwrap();
    hq(&server).args(["emit", "--payload", &payload_json("pub-1")]).assert().success();
    let msg = pubsub.get_message().unwrap();
    let body: Value = serde_json::from_slice(msg.get_payload_bytes()).unwrap();
    assert_eq!(body["model_id"], "pub-1");
    assert!(body.get("message_id").is_none(), "the notice is the payload, not the envelope");

    hq(&server).args(["emit", "--no-publish", "--payload", &payload_json("quiet")]).assert().success();
    hq(&server).args(["emit", "--payload", &payload_json("pub-2")]).assert().success();
    let next: Value = serde_json::from_slice(pubsub.get_message().unwrap().get_payload_bytes()).unwrap();
    assert_eq!(next["model_id"], "pub-2", "--no-publish published nothing");
}

/// The connection is killed again and again mid-run: emit reconnects, reads its progress
/// marker, and goes on; every line lands exactly once.
#[test]
fn broken_connections_neither_lose_nor_duplicate() {
    let server = RedisServer::start();
    let n = 60_000;
    let f = write_lines((0..n).map(|i| payload_json(&format!("m-{i}"))));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("hokusai-queue"))
        .args(["--redis-url", &server.url(), "--connect-retries", "5", "--connect-backoff-base", "10ms"])
        .args(["emit", "--no-publish", "--batch-size", "20", "--file"])
        .arg(f.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut admin = server.client();
    let mut kills = 0;
    while child.try_wait().unwrap().is_none() {
        let killed: i64 =
            redis::cmd("CLIENT").arg("KILL").arg("TYPE").arg("normal").arg("SKIPME").arg("yes").query(&mut admin).unwrap();
        kills += killed;
        std::thread::sleep(Duration::from_millis(30));
    }
    let out = child.wait_with_output().unwrap();
    assert!(kills >= 2, "the test did not break the connection ({kills} kills)");
    if !out.status.success() {
        // On a loaded machine the kills can outpace every reconnect: emit then gives up after
        // --connect-retries breaks in a row, saying how to resume. That is the documented
        // recovery, so take it: the outcome must still be every line exactly once.
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        let run = err.split("--resume ").nth(1).and_then(|r| r.split(['`', ' ']).next()).unwrap_or_else(|| panic!("{err}"));
        eprintln!("emit gave up under the kills ({}); resuming run {run}", err.trim());
        hq(&server)
            .args(["emit", "--no-publish", "--batch-size", "20", "--file"])
            .arg(f.path())
            .args(["--resume", run])
            .assert()
            .success();
    }
    let all = server.lrange(QUEUE);
    assert_eq!(all.len(), n);
    let models: std::collections::HashSet<String> =
        all.iter().map(|r| envelope(r)["payload"]["model_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(models.len(), n, "a line was pushed twice");
    // Still in file order.
    assert_eq!(envelope(&all[n - 1])["payload"]["model_id"], "m-0");
    assert_eq!(envelope(&all[0])["payload"]["model_id"], format!("m-{}", n - 1));
}
