//! reap-stale: expired leases reclaimed (as an attempt), unleased elements adopted, live
//! consumers never robbed, due retries promoted.

use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::*;

const PROCESSING: &str = "hokusai:model_ready_queue:processing";
const DLQ: &str = "hokusai:model_ready_queue:dlq";
const RETRY: &str = "hokusai:model_ready_queue:hokusai-queue:retry";
const LEASES: &str = "hokusai:model_ready_queue:hokusai-queue:leases";

fn zcard(server: &RedisServer, key: &str) -> u64 {
    redis::cmd("ZCARD").arg(key).query(&mut server.client()).unwrap()
}

/// An envelope as the platform writes it (Python's json.dumps spacing).
fn platform_envelope(retry_count: u32) -> String {
    format!(
        r#"{{"message_id": "550e8400-e29b-41d4-a716-446655440000", "message_type": "model_ready_to_deploy", "payload": {{"model_id": "m"}}, "timestamp": "2025-01-27T15:30:00.123456", "retry_count": {retry_count}, "max_retries": 3}}"#
    )
}

#[test]
fn unleased_elements_are_adopted_then_reclaimed() {
    let server = RedisServer::start();
    // A platform consumer took it (BRPOPLPUSH) and crashed: no lease.
    server.lpush(PROCESSING, platform_envelope(0).as_bytes());

    let dry = json_out(hq(&server).args(["reap-stale", "--dry-run", "--visibility-timeout", "300ms", "-o", "json"]));
    assert_eq!(dry["adopted"], 1);
    assert_eq!(zcard(&server, LEASES), 0, "a dry run starts no clock");

    let first = json_out(hq(&server).args(["reap-stale", "--visibility-timeout", "300ms", "-o", "json"]));
    assert_eq!((first["adopted"].as_u64(), first["requeued"].as_u64()), (Some(1), Some(0)));
    assert_eq!(server.llen(PROCESSING), 1, "first seen now: not reclaimed yet");
    std::thread::sleep(Duration::from_millis(500));

    let dry = json_out(hq(&server).args(["reap-stale", "--dry-run", "--visibility-timeout", "300ms", "-o", "json"]));
    assert_eq!(dry["requeued"], 1);
    assert_eq!(server.llen(PROCESSING), 1, "a dry run moves nothing");

    let second = json_out(hq(&server).args(["reap-stale", "--visibility-timeout", "300ms", "-o", "json"]));
    assert_eq!(second["requeued"], 1);
    assert_eq!(second["moved"][0]["message_id"], "550e8400-e29b-41d4-a716-446655440000");
    assert_eq!(server.llen(PROCESSING), 0);
    assert_eq!(zcard(&server, LEASES), 0);
    // Requeued with the attempt counted, every byte as the platform wrote it but the digits.
    assert_eq!(server.lrange(QUEUE)[0], platform_envelope(1).into_bytes(), "only retry_count's digits change");
}

/// A clock reap-stale started for an element a lease-unaware consumer then acknowledged is
/// dropped at the next full scan, also when processing is longer than one scan window (1000):
/// the next delivery of the same bytes starts a clock of its own, never reclaimed at once.
#[test]
fn a_clock_left_by_an_acknowledged_element_is_dropped_on_a_long_list() {
    let server = RedisServer::start();
    let mut con = server.client();
    let far = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64 + 3_600_000;
    let mut pipe = redis::pipe();
    for i in 0..1500 {
        let filler = format!(
            r#"{{"message_id":"filler-{i}","message_type":"t","payload":{{}},"timestamp":"2026-01-01T00:00:00","retry_count":0,"max_retries":3}}"#
        );
        pipe.cmd("LPUSH").arg(PROCESSING).arg(&filler).ignore();
        pipe.cmd("ZADD").arg(LEASES).arg(far).arg(&filler).ignore();
    }
    pipe.query::<()>(&mut con).unwrap();
    let e = platform_envelope(0);
    // A platform consumer takes it (no lease); reap-stale starts its clock.
    server.lpush(PROCESSING, e.as_bytes());
    let v = json_out(hq(&server).args(["reap-stale", "--visibility-timeout", "300ms", "-o", "json"]));
    assert_eq!(v["adopted"], 1, "{v}");
    // The consumer acknowledges it (LREM, no lease to drop); the next full scan drops the clock.
    server.cmd(&["LREM", PROCESSING, "1", &e]);
    let v = json_out(hq(&server).args(["reap-stale", "--visibility-timeout", "300ms", "-o", "json"]));
    assert_eq!(v["stale_clocks_dropped"], 1, "{v}");
    let score: Option<f64> = redis::cmd("ZSCORE").arg(LEASES).arg(&e).query(&mut con).unwrap();
    assert_eq!(score, None, "the acknowledged element's clock is gone");
    // The same bytes delivered again, after the old clock would have run out: a new clock.
    std::thread::sleep(Duration::from_millis(500));
    server.lpush(PROCESSING, e.as_bytes());
    let v = json_out(hq(&server).args(["reap-stale", "--visibility-timeout", "300ms", "-o", "json"]));
    assert_eq!((v["adopted"].as_u64(), v["requeued"].as_u64()), (Some(1), Some(0)), "never reclaimed at once: {v}");
    assert_eq!((server.llen(PROCESSING), server.llen(QUEUE)), (1501, 0));
    assert_eq!(zcard(&server, LEASES), 1501, "the fillers' leases stay");
}

#[test]
fn exhausted_and_unparseable_elements_are_dead_lettered() {
    let server = RedisServer::start();
    server.lpush(PROCESSING, platform_envelope(3).as_bytes());
    server.lpush(PROCESSING, b"\xc3\x28 not utf-8");
    server.lpush(PROCESSING, b"{broken json");
    hq(&server).args(["reap-stale", "--visibility-timeout", "10ms"]).assert().success();
    std::thread::sleep(Duration::from_millis(50));
    let out = hq(&server).args(["reap-stale", "--visibility-timeout", "10ms"]).output().unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("dead-lettered") && table.contains("reclaimed 3"), "{table}");
    assert_eq!(server.llen(PROCESSING), 0);
    let dlq = server.lrange(DLQ);
    assert_eq!(dlq.len(), 3);
    assert!(dlq.contains(&b"\xc3\x28 not utf-8".to_vec()));
    let reasons: Vec<String> = dlq
        .iter()
        .filter_map(|e| serde_json::from_slice::<Value>(e).ok())
        .map(|w| w["error"].as_str().unwrap().to_owned())
        .collect();
    assert!(reasons.iter().any(|r| r.contains("retries exhausted")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("unparseable")), "{reasons:?}");
    assert_eq!(zcard(&server, LEASES), 0);
}

#[test]
fn a_live_consumer_is_never_robbed() {
    let server = RedisServer::start();
    hq(&server).args(["emit", "--no-publish", "--payload", &payload_json("alive")]).assert().success();
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!("touch '{d}/started'; sleep 1.5; echo $HOKUSAI_MESSAGE_ID >> '{d}/handled'", d = dir.path().display());
    let mut drain = Command::new(assert_cmd::cargo::cargo_bin("hokusai-queue"))
        .args(["--redis-url", &server.url(), "drain", "--visibility-timeout", "300ms", "--exec", &cmd])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while !dir.path().join("started").exists() {
        std::thread::sleep(Duration::from_millis(10));
    }
    // Reap again and again, with the same short timeout, while the handler runs 5x longer.
    let mut requeued = 0;
    while drain.try_wait().unwrap().is_none() {
        let v = json_out(hq(&server).args(["reap-stale", "--visibility-timeout", "300ms", "-o", "json"]));
        requeued += v["requeued"].as_u64().unwrap();
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(drain.wait().unwrap().success());
    assert_eq!(requeued, 0, "reap-stale stole a message whose consumer was alive");
    let handled = std::fs::read_to_string(dir.path().join("handled")).unwrap();
    assert_eq!(handled.lines().count(), 1);
    assert_eq!((server.llen(QUEUE), server.llen(PROCESSING), zcard(&server, LEASES)), (0, 0, 0));
}

#[test]
fn due_retries_are_promoted_and_stale_leases_dropped() {
    let server = RedisServer::start();
    let member = format!("{}:{}", "0".repeat(32), platform_envelope(1));
    server.cmd(&["ZADD", RETRY, "1", &member]);
    server.cmd(&["ZADD", RETRY, "99999999999999", &format!("{}:later", "1".repeat(32))]);
    // A lease whose element a lease-unaware consumer acked (LREM) long ago.
    server.cmd(&["ZADD", LEASES, "1", "0123456789abcdef0123456789abcdef01234567"]);
    let v = json_out(hq(&server).args(["reap-stale", "-o", "json"]));
    assert_eq!(v["promoted"], 1);
    assert_eq!(server.lrange(QUEUE), vec![platform_envelope(1).into_bytes()]);
    assert_eq!(zcard(&server, RETRY), 1, "the retry not yet due stays");
    assert_eq!(zcard(&server, LEASES), 0, "the orphan lease is dropped");
    let d = json_out(hq(&server).args(["depth", "-o", "json"]));
    assert_eq!((d["retry"].as_u64(), d["retry_due"].as_u64()), (Some(1), Some(0)));
}

#[test]
fn duplicate_bytes_in_processing_are_both_reclaimed() {
    let server = RedisServer::start();
    server.lpush(PROCESSING, platform_envelope(0).as_bytes());
    server.lpush(PROCESSING, platform_envelope(0).as_bytes());
    hq(&server).args(["reap-stale", "--visibility-timeout", "10ms"]).assert().success();
    std::thread::sleep(Duration::from_millis(50));
    let v = json_out(hq(&server).args(["reap-stale", "--visibility-timeout", "10ms", "-o", "json"]));
    assert_eq!(v["requeued"], 2);
    assert_eq!(server.llen(QUEUE), 2);
    assert_eq!((server.llen(PROCESSING), zcard(&server, LEASES)), (0, 0));
}

#[test]
fn wrong_types_are_refused_before_any_write() {
    let server = RedisServer::start();
    server.lpush(PROCESSING, platform_envelope(0).as_bytes());
    server.cmd(&["SET", LEASES, "oops"]);
    hq(&server).args(["reap-stale"]).assert().code(1);
    assert_eq!(server.llen(PROCESSING), 1);
    server.cmd(&["DEL", LEASES]);
    server.cmd(&["SET", RETRY, "oops"]);
    hq(&server).args(["drain"]).assert().code(1);
    hq(&server).args(["emit", "--payload", &payload_json("x")]).assert().success();
    hq(&server).args(["drain"]).assert().code(1);
    assert_eq!(server.llen(QUEUE), 1, "nothing moved");
}
