//! peek: any element is shown, positions follow consumption order, nothing is modified.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::*;

fn snapshot(server: &RedisServer) -> Vec<(String, Vec<Vec<u8>>)> {
    ["", ":processing", ":dlq"].iter().map(|s| format!("{QUEUE}{s}")).map(|k| (k.clone(), server.lrange(&k))).collect()
}

#[test]
fn shows_any_element_and_changes_nothing() {
    let server = RedisServer::start();
    hq(&server).args(["emit", "--payload", &payload_json("first")]).assert().success();
    server.lpush(QUEUE, b"not json at all");
    server.lpush(QUEUE, b"\xff\xfe\x00binary");
    server.lpush(QUEUE, br#"{"no_message_id": true}"#);
    hq(&server).args(["emit", "--payload", &payload_json("last")]).assert().success();
    server.lpush(&format!("{QUEUE}:processing"), b"in flight");
    let before = snapshot(&server);

    let v = json_out(hq(&server).args(["peek", "-o", "json"]));
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 5);
    let positions: Vec<u64> = items.iter().map(|i| i["position"].as_u64().unwrap()).collect();
    assert_eq!(positions, [0, 1, 2, 3, 4]);
    assert_eq!(items[0]["payload"]["model_id"], "first");
    assert_eq!(items[0]["message_type"], "model_ready_to_deploy");
    assert!(items[0]["age_seconds"].as_f64().unwrap() >= 0.0);
    assert!(items[0].get("raw").is_none());
    assert_eq!(items[1]["raw"], "not json at all");
    assert_eq!(items[1]["message_id"], Value::Null);
    assert_eq!(items[2]["raw"], "\\xff\\xfe\u{0}binary");
    assert_eq!(items[2]["raw_base64"], "//4AYmluYXJ5");
    assert_eq!(items[3]["raw"], r#"{"no_message_id": true}"#);
    assert_eq!(items[4]["payload"]["model_id"], "last");

    let table = hq(&server).args(["peek"]).output().unwrap();
    assert!(table.status.success());
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("not json at all") && text.contains("\\xff\\xfe") && text.contains("msg-ai"), "{text}");

    let newest = json_out(hq(&server).args(["peek", "--from", "newest", "--limit", "2", "-o", "json"]));
    let newest = newest.as_array().unwrap();
    assert_eq!(newest.len(), 2);
    assert_eq!(newest[0]["position"], 4);
    assert_eq!(newest[0]["payload"]["model_id"], "last");
    assert_eq!(newest[1]["position"], 3);

    let jsonl = hq(&server).args(["peek", "-o", "jsonl", "-n", "3"]).output().unwrap();
    assert_eq!(String::from_utf8(jsonl.stdout).unwrap().lines().count(), 3);

    let processing = json_out(hq(&server).args(["peek", "--list", "processing", "-o", "json"]));
    assert_eq!(processing[0]["raw"], "in flight");

    assert_eq!(snapshot(&server), before, "peek modified a list");
}

#[test]
fn limit_and_empty_lists() {
    let server = RedisServer::start();
    hq(&server).args(["peek"]).assert().success().stdout(predicate::str::contains("is empty"));
    assert_eq!(json_out(hq(&server).args(["peek", "-o", "json"])), Value::Array(vec![]));
    for i in 0..15 {
        hq(&server).args(["emit", "--no-publish", "--payload", &payload_json(&format!("m-{i}"))]).assert().success();
    }
    let v = json_out(hq(&server).args(["peek", "-o", "json"]));
    assert_eq!(v.as_array().unwrap().len(), 10, "default limit is 10");
    hq(&server).args(["peek"]).assert().success().stdout(predicate::str::contains("10 of 15 shown"));
    let v = json_out(hq(&server).args(["peek", "-o", "json", "--limit", "100"]));
    assert_eq!(v.as_array().unwrap().len(), 15);
}

#[test]
fn dlq_entries_of_every_shape() {
    let server = RedisServer::start();
    let dlq = format!("{QUEUE}:dlq");
    let env = r#"{"message_id":"550e8400-e29b-41d4-a716-446655440000","message_type":"model_ready_to_deploy","payload":{"model_id":"m-9","token_symbol":"msg-ai"},"timestamp":"2025-01-27T15:30:00.123456","retry_count":3,"max_retries":3}"#;
    let wrapped = serde_json::json!({"original_message": env, "error": "handler exploded", "failed_at": "2025-01-27T15:31:00.000001", "original_queue": QUEUE});
    server.lpush(&dlq, wrapped.to_string().as_bytes());
    server.lpush(&dlq, env.as_bytes());
    server.lpush(&dlq, b"\x80raw");
    let v = json_out(hq(&server).args(["peek", "--list", "dlq", "-o", "json"]));
    let items = v.as_array().unwrap();
    assert_eq!(items[0]["shape"], "wrapped");
    assert_eq!(items[0]["message_id"], "550e8400-e29b-41d4-a716-446655440000");
    assert_eq!(items[0]["error"], "handler exploded");
    assert_eq!(items[0]["payload"]["model_id"], "m-9");
    assert_eq!(items[1]["shape"], "envelope");
    assert_eq!(items[1]["retry_count"], 3);
    assert_eq!(items[2]["shape"], "raw");
    assert_eq!(items[2]["raw_base64"], "gHJhdw==");
}
