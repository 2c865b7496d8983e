//! depth: exact counts in every format, oldest age from the envelope, health gates.

use predicates::prelude::*;
use serde_json::{Value, json};

use crate::support::*;

fn envelope_at(ts: &str) -> String {
    format!(
        r#"{{"message_id":"550e8400-e29b-41d4-a716-446655440000","message_type":"model_ready_to_deploy","payload":{{}},"timestamp":"{ts}","retry_count":0,"max_retries":3}}"#
    )
}

/// A naive ISO time `secs` ago on the test server's clock.
fn ago(server: &RedisServer, secs: i64) -> String {
    let t: Vec<String> = redis::cmd("TIME").query(&mut server.client()).unwrap();
    let now: i64 = t[0].parse().unwrap();
    let dt = time::OffsetDateTime::from_unix_timestamp(now - secs).unwrap();
    dt.format(time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].000000")).unwrap()
}

#[test]
fn counts_and_age_in_json() {
    let server = RedisServer::start();
    let empty = json_out(hq(&server).args(["depth", "-o", "json"]));
    assert_eq!(
        empty,
        json!({"queue": QUEUE, "profile": "envelope", "main": 0, "processing": 0, "dlq": 0, "retry": 0, "retry_due": 0, "leases": 0, "oldest_age_seconds": null})
    );
    server.lpush(QUEUE, envelope_at(&ago(&server, 3600)).as_bytes());
    server.lpush(QUEUE, envelope_at(&ago(&server, 5)).as_bytes());
    server.lpush(QUEUE, b"garbage");
    for _ in 0..2 {
        server.lpush(&format!("{QUEUE}:processing"), b"x");
    }
    for _ in 0..4 {
        server.lpush(&format!("{QUEUE}:dlq"), b"y");
    }
    let v = json_out(hq(&server).args(["depth", "-o", "json"]));
    assert_eq!((v["main"].as_u64(), v["processing"].as_u64(), v["dlq"].as_u64()), (Some(3), Some(2), Some(4)));
    let age = v["oldest_age_seconds"].as_f64().unwrap();
    assert!((3599.0..3700.0).contains(&age), "oldest age {age}");

    // An oldest element without a readable timestamp: age unknown, not an error.
    let other = "other:queue";
    server.lpush(other, b"not json");
    let v = json_out(hq(&server).args(["depth", "-o", "json", "--queue", other]));
    assert_eq!(v["main"], 1);
    assert_eq!(v["oldest_age_seconds"], Value::Null);
}

#[test]
fn prometheus_and_table() {
    let server = RedisServer::start();
    server.lpush(QUEUE, envelope_at(&ago(&server, 10)).as_bytes());
    server.lpush(&format!("{QUEUE}:dlq"), b"y");
    let out = hq(&server).args(["depth", "-o", "prometheus"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("# HELP hokusai_queue_depth "));
    assert!(text.contains("# TYPE hokusai_queue_depth gauge"));
    assert!(text.contains(&format!("hokusai_queue_depth{{queue=\"{QUEUE}\",profile=\"envelope\",list=\"main\"}} 1\n")));
    assert!(text.contains(&format!("hokusai_queue_depth{{queue=\"{QUEUE}\",profile=\"envelope\",list=\"dlq\"}} 1\n")));
    assert!(text.contains("# TYPE hokusai_queue_oldest_age_seconds gauge"));
    let age_line = text.lines().find(|l| l.starts_with("hokusai_queue_oldest_age_seconds{")).unwrap();
    let age: f64 = age_line.rsplit(' ').next().unwrap().parse().unwrap();
    assert!((9.0..100.0).contains(&age), "{age_line}");
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        assert!(line.rsplit(' ').next().unwrap().parse::<f64>().is_ok(), "bad sample line {line}");
    }
    hq(&server)
        .arg("depth")
        .assert()
        .success()
        .stdout(predicate::str::contains(QUEUE).and(predicate::str::contains("processing")));
}

#[test]
fn health_gates() {
    let server = RedisServer::start();
    for _ in 0..3 {
        server.lpush(QUEUE, envelope_at(&ago(&server, 600)).as_bytes());
    }
    hq(&server).args(["depth", "--fail-above", "3"]).assert().code(0);
    hq(&server)
        .args(["depth", "--fail-above", "2"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("--fail-above"))
        .stdout(predicate::str::contains("TRIPPED"));
    let out = hq(&server).args(["depth", "--fail-above", "2", "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["tripped"][0].as_str().unwrap().contains("main depth 3 > 2"));
    hq(&server).args(["depth", "--max-age", "20m"]).assert().code(0);
    hq(&server).args(["depth", "--max-age", "5m"]).assert().code(5).stderr(predicate::str::contains("--max-age"));
    hq(&server).args(["depth", "--dlq-fail-above", "0"]).assert().code(0);
    server.lpush(&format!("{QUEUE}:dlq"), b"dead");
    hq(&server).args(["depth", "--dlq-fail-above", "0"]).assert().code(5).stderr(predicate::str::contains("--dlq-fail-above"));
}

#[test]
fn all_queues_side_by_side() {
    let server = RedisServer::start();
    server.lpush(QUEUE, envelope_at(&ago(&server, 30)).as_bytes());
    // A queue whose main list is empty is still found through its DLQ.
    server.lpush("hokusai:mint_requests:dlq", b"dead");
    server.lpush("other:thing", b"x");
    server.cmd(&["SET", "hokusai:not-a-queue", "v"]);
    server.cmd(&["ZADD", "hokusai:quiet:hokusai-queue:retry", "1", "m"]);
    // The deployer's settlement list grows by design and has no consumer: not a queue.
    server.lpush("hokusai:mint_request_settlements", br#"{"status":"minted"}"#);
    let v = json_out(hq(&server).args(["depth", "--all-queues", "--match", "hokusai:*", "-o", "json"]));
    let names: Vec<&str> = v["queues"].as_array().unwrap().iter().map(|q| q["queue"].as_str().unwrap()).collect();
    assert_eq!(names, ["hokusai:mint_requests", QUEUE, "hokusai:quiet"]);
    assert_eq!(v["queues"][0]["dlq"], 1);
    assert_eq!(v["queues"][1]["main"], 1);
    assert_eq!(v["queues"][2]["retry"], 1);
    let all = json_out(hq(&server).args(["depth", "--all-queues", "-o", "json"]));
    assert_eq!(all["queues"].as_array().unwrap().len(), 4);
    let out = hq(&server).args(["depth", "--all-queues", "-o", "prometheus"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("# TYPE hokusai_queue_depth gauge").count(), 1);
    assert!(text.contains("hokusai_queue_depth{queue=\"hokusai:mint_requests\",profile=\"mint\",list=\"dlq\"} 1"));
    hq(&server)
        .args(["depth", "--all-queues", "--dlq-fail-above", "0"])
        .assert()
        .code(5)
        .stderr(predicates::str::contains("hokusai:mint_requests: dlq depth 1 > 0"));
}

/// `--all-queues` invents no queue from a list that merely ends in `:dlq` (or a `:retry` sorted
/// set): the evaluation scheduler's `hokusai:eval:v1:dlq` of bare job ids is not a queue. A
/// name seen only through such a key counts when its main list or processing list exists, or
/// its newest DLQ entries include a JSON object (a dead letter), or it is a known queue.
#[test]
fn all_queues_lists_no_queue_made_up_from_a_list_of_job_ids() {
    let server = RedisServer::start();
    // The evaluation scheduler's keys (shared/wire-format.md): not queues of this tool's kind.
    server.lpush("hokusai:eval:v1:dlq", b"job-123");
    server.lpush("hokusai:eval:v1:dlq", b"job-456");
    server.cmd(&["ZADD", "hokusai:eval:v1:delayed", "1", "job-789"]);
    server.cmd(&["ZADD", "hokusai:eval:v1:retry", "1", "job-790"]);
    server.cmd(&["HSET", "hokusai:eval:v1:job:job-123", "state", "failed"]);
    server.cmd(&["SADD", "hokusai:eval:v1:running", "job-1"]);
    server.cmd(&["ZADD", "eval:queue", "1", "job-2"]);
    // Queues seen only through one of their other keys.
    let wrapped = r#"{"original_message": "{}", "error": "boom", "failed_at": "2025-01-27T15:31:00.000000", "original_queue": "jobs:dead"}"#;
    server.lpush("jobs:dead:dlq", b"raw bytes, not JSON");
    server.lpush("jobs:dead:dlq", wrapped.as_bytes());
    server.lpush("jobs:busy:processing", b"x");
    server.lpush("jobs:main", b"x");
    server.lpush("jobs:main:dlq", b"job-1");
    server.cmd(&["ZADD", "jobs:later:retry", "1", "m"]);
    server.lpush("jobs:later:dlq", br#"{"message_id": "m"}"#);
    server.cmd(&["ZADD", "jobs:lonely:retry", "1", "m"]);
    server.lpush("hokusai:mint_requests:dlq", b"not json, but this is the mint queue");

    let names = |pattern: &str| -> Vec<String> {
        let v = json_out(hq(&server).args(["depth", "--all-queues", "--match", pattern, "-o", "json"]));
        v["queues"].as_array().unwrap().iter().map(|q| q["queue"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(names("*eval*"), Vec::<String>::new());
    assert_eq!(names("jobs:*"), ["jobs:busy", "jobs:dead", "jobs:later", "jobs:main"]);
    assert_eq!(names("hokusai:*"), ["hokusai:mint_requests"]);
    let v = json_out(hq(&server).args(["depth", "--all-queues", "--match", "jobs:dead*", "-o", "json"]));
    assert_eq!(v["queues"][0]["dlq"], 2, "{v}");
    // The table shows no eval row either.
    hq(&server).args(["depth", "--all-queues"]).assert().success().stdout(predicate::str::contains("hokusai:eval").not());
}
