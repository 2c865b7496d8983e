//! migrate: Redis <-> SQS (moto's emulator), in consumption order, each message exactly once,
//! also through a SIGKILL and a rerun.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::support::*;

/// `n` opaque messages on the Redis list `jobs`, pushed like a producer (LPUSH): m-00000 is the
/// first a consumer takes. Returns them in consumption order.
fn fill_redis(redis: &RedisServer, key: &str, n: usize) -> Vec<String> {
    let bodies: Vec<String> = (0..n).map(|i| format!("{{\"job\": \"m-{i:05}\", \"bytes\": \"\\u00e9\"}}")).collect();
    let mut con = redis.client();
    for chunk in bodies.chunks(1000) {
        let mut cmd = redis::cmd("LPUSH");
        cmd.arg(key);
        for b in chunk {
            cmd.arg(b.as_bytes());
        }
        cmd.exec(&mut con).unwrap();
    }
    bodies
}

/// The Redis list in consumption order (the right end first).
fn consumption_order(redis: &RedisServer, key: &str) -> Vec<String> {
    let mut v: Vec<String> = redis.lrange(key).into_iter().map(|b| String::from_utf8(b).unwrap()).collect();
    v.reverse();
    v
}

fn bodies(got: &[sqs::Got]) -> Vec<String> {
    got.iter().map(|g| String::from_utf8(g.body.clone()).unwrap()).collect()
}

/// Each body exactly once: a map of any body seen more than once (and its count).
fn duplicates(all: &[String]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for b in all {
        *counts.entry(b.clone()).or_insert(0) += 1;
    }
    counts.retain(|_, n| *n > 1);
    counts
}

use crate::support::sqs;

#[test]
fn redis_to_sqs_fifo_moves_everything_in_consumption_order_and_verifies() {
    let redis = RedisServer::start();
    let s = SqsServer::start();
    let url = s.create("jobs.fifo", &[]);
    let sent = fill_redis(&redis, "jobs", 45);
    let v = json_out(hq_sqs(&redis, &s, &url).args([
        "-q",
        "jobs",
        "migrate",
        "--to",
        "sqs",
        "--group-id",
        "g",
        "--batch",
        "7",
        "-o",
        "json",
    ]));
    assert_eq!(v["legs"][0]["moved"], 45, "{v}");
    assert_eq!(v["legs"][0]["verified"], true, "{v}");
    assert_eq!(v["legs"][0]["target_after"], 45);
    assert_eq!(redis.llen("jobs"), 0);
    assert_eq!(redis.llen("jobs:processing"), 0);
    let got = s.take_all(&url);
    assert_eq!(bodies(&got), sent, "exact bytes, in the order a consumer would have taken them");
}

#[test]
fn dry_run_changes_nothing() {
    let redis = RedisServer::start();
    let s = SqsServer::start();
    let url = s.create("jobs", &[]);
    fill_redis(&redis, "jobs", 12);
    let out = hq_sqs(&redis, &s, &url).args(["-q", "jobs", "migrate", "--to", "sqs", "--dry-run"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("would move 12 main messages"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(redis.llen("jobs"), 12);
    assert_eq!(s.counts(&url), (0, 0, 0));
}

#[test]
fn sqs_to_redis_is_the_way_back_in_order_and_keeps_an_equal_message_already_there() {
    let redis = RedisServer::start();
    let s = SqsServer::start();
    let url = s.create("jobs.fifo", &[]);
    let msgs: Vec<String> = (0..23).map(|i| format!("back-{i:03}")).collect();
    let refs: Vec<&str> = msgs.iter().map(String::as_str).collect();
    s.send(&url, &refs);
    // Equal bytes already on Redis are another message (a producer's, not this migration's):
    // both stay. Only what an earlier run of this migration pushed is skipped (the SIGKILL tests).
    redis.lpush("jobs", b"back-005");
    let v = json_out(hq_sqs(&redis, &s, &url).args(["-q", "jobs", "migrate", "--to", "redis", "-o", "json"]));
    assert_eq!(v["legs"][0]["moved"], 23, "{v}");
    assert_eq!(v["legs"][0]["already_on_target"], 0, "{v}");
    assert_eq!(v["legs"][0]["verified"], true, "{v}");
    let mut expected = vec!["back-005".to_owned()];
    expected.extend(msgs.iter().cloned());
    assert_eq!(consumption_order(&redis, "jobs"), expected);
    assert_eq!(s.counts(&url), (0, 0, 0));
}

/// How many times each body occurs.
fn multiset(all: &[String]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for b in all {
        *counts.entry(b.clone()).or_insert(0) += 1;
    }
    counts
}

#[test]
fn equal_bodies_are_distinct_messages_both_ways() {
    let redis = RedisServer::start();
    let s = SqsServer::start();
    let url = s.create("jobs.fifo", &[]);
    // 3 x ping, 12 x pong, interleaved, on Redis.
    let sent: Vec<String> = (0..15).map(|i| if i % 5 == 0 { "ping".to_owned() } else { "pong".to_owned() }).collect();
    for b in &sent {
        redis.lpush("jobs", b.as_bytes());
    }
    let v = json_out(hq_sqs(&redis, &s, &url).args([
        "-q",
        "jobs",
        "migrate",
        "--to",
        "sqs",
        "--group-id",
        "g",
        "--batch",
        "4",
        "-o",
        "json",
    ]));
    assert_eq!(v["legs"][0]["moved"], 15, "{v}");
    assert_eq!(v["legs"][0]["target_after"], 15, "every copy landed on the FIFO queue: {v}");
    assert_eq!(v["legs"][0]["verified"], true, "{v}");
    assert_eq!(redis.llen("jobs") + redis.llen("jobs:processing"), 0);
    // And back: every copy on Redis, none taken for one already there.
    let v = json_out(hq_sqs(&redis, &s, &url).args(["-q", "jobs", "migrate", "--to", "redis", "--batch", "4", "-o", "json"]));
    assert_eq!(v["legs"][0]["moved"], 15, "{v}");
    assert_eq!(v["legs"][0]["already_on_target"], 0, "{v}");
    assert_eq!(v["legs"][0]["verified"], true, "{v}");
    assert_eq!(consumption_order(&redis, "jobs"), sent, "each copy once, in order");
    assert_eq!(s.counts(&url), (0, 0, 0));
    // The tool's own migration keys are gone once the move is over.
    let mut con = redis.client();
    let left: Vec<String> = redis::cmd("KEYS").arg("jobs:hokusai-queue:migrate:*").query(&mut con).unwrap();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn an_envelope_pushed_twice_arrives_twice_on_a_fifo_queue() {
    let redis = RedisServer::start();
    let s = SqsServer::start();
    let url = s.create("q.fifo", &[]);
    hq(&redis).args(emit_flags()).assert().success();
    let q = "hokusai:model_ready_queue";
    let e = redis.lrange(q).remove(0);
    redis.lpush(q, &e); // a producer's retried LPUSH: the same message_id twice
    let v = json_out(hq_sqs(&redis, &s, &url).args(["migrate", "--to", "sqs", "-o", "json"]));
    assert_eq!(v["legs"][0]["target_after"], 2, "{v}");
    assert_eq!(s.take_all(&url).len(), 2);
}

#[test]
fn delayed_retries_move_to_sqs_after_main_and_foreign_ones_fail_the_verification() {
    let redis = RedisServer::start();
    let s = SqsServer::start();
    let url = s.create("q.fifo", &[]);
    let q = "hokusai:model_ready_queue";
    let retry = "hokusai:model_ready_queue:hokusai-queue:retry";
    for _ in 0..3 {
        hq(&redis).args(emit_flags()).assert().success();
    }
    hq(&redis).args(["drain", "--exec", "false", "--max", "1", "--retry-base", "60s"]).assert().code(1);
    let mut con = redis.client();
    let zcard = |con: &mut redis::Connection| -> u64 { redis::cmd("ZCARD").arg(retry).query(con).unwrap() };
    assert_eq!(zcard(&mut con), 1);
    assert_eq!(redis.llen(q), 2);
    let out = hq_sqs(&redis, &s, &url).args(["migrate", "--to", "sqs", "--dry-run"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(text.contains("would move 3 main messages") && text.contains("1 delayed retries"), "{text}");
    let v = json_out(hq_sqs(&redis, &s, &url).args(["migrate", "--to", "sqs", "-o", "json"]));
    assert_eq!(v["legs"][0]["moved"], 3, "{v}");
    assert_eq!(v["legs"][0]["retries_promoted"], 1, "{v}");
    assert_eq!(v["legs"][0]["verified"], true, "{v}");
    assert_eq!(zcard(&mut con), 0);
    assert_eq!(redis.llen(q), 0);
    let got = s.take_all(&url);
    assert_eq!(got.len(), 3);
    let last = envelope(&got[2].body);
    assert_eq!(last["retry_count"], 1, "the retried message goes last, with its retry_count: {last}");

    // A member the tool cannot read stays where it is, and the verification says so.
    let _: () = redis::cmd("ZADD").arg(retry).arg(1).arg("someone else's member").query(&mut con).unwrap();
    hq(&redis).args(emit_flags()).assert().success();
    let out = hq_sqs(&redis, &s, &url).args(["migrate", "--to", "sqs"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("verification failed") && err.contains("retry set") && err.contains("1 not in the profile"), "{err}");
    assert_eq!(zcard(&mut con), 1);
    assert_eq!(redis.llen(q), 0);
    assert_eq!(s.counts(&url).0, 1);
}

#[test]
fn a_message_larger_than_the_sqs_queue_takes_refuses_the_migration_before_anything_moves() {
    let redis = RedisServer::start();
    let s = SqsServer::start();
    let url = s.create("jobs.fifo", &[]);
    redis.lpush("jobs", b"first");
    redis.lpush("jobs", "x".repeat(1100 * 1024).as_bytes());
    redis.lpush("jobs", b"last");
    for extra in [&["--dry-run"][..], &[]] {
        let out = hq_sqs(&redis, &s, &url)
            .args(["-q", "jobs", "migrate", "--to", "sqs", "--group-id", "g"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stdout));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("1 message(s)") && err.contains("MaximumMessageSize of 1048576") && err.contains("jobs position 1"),
            "{err}"
        );
        assert!(err.contains("nothing was moved"), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
    assert_eq!(redis.llen("jobs"), 3);
    assert_eq!(redis.llen("jobs:processing"), 0);
    assert_eq!(s.counts(&url), (0, 0, 0));
    // Non-UTF-8 bytes count as the base64 they travel as, against the queue's own limit.
    let small = s.create("small", &[(aws_sdk_sqs::types::QueueAttributeName::MaximumMessageSize, "1024".into())]);
    redis::cmd("DEL").arg("jobs").exec(&mut redis.client()).unwrap();
    redis.lpush("jobs", &[0xffu8; 800]); // 1068 bytes as base64
    let out = hq_sqs(&redis, &s, &small).args(["-q", "jobs", "migrate", "--to", "sqs"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(redis.llen("jobs"), 1);
}

#[test]
fn large_messages_are_sent_in_batches_sqs_takes() {
    let redis = RedisServer::start();
    let s = SqsServer::start();
    let url = s.create("jobs.fifo", &[]);
    // Six of 300 KiB: one SendMessageBatch of them all would be 1.8 MB.
    let sent: Vec<String> = (0..6).map(|i| format!("{i}{}", "y".repeat(300 * 1024))).collect();
    for b in &sent {
        redis.lpush("jobs", b.as_bytes());
    }
    let v = json_out(hq_sqs(&redis, &s, &url).args(["-q", "jobs", "migrate", "--to", "sqs", "--group-id", "g", "-o", "json"]));
    assert_eq!(v["legs"][0]["moved"], 6, "{v}");
    assert_eq!(v["legs"][0]["verified"], true, "{v}");
    assert_eq!(bodies(&s.take_all(&url)), sent);
}

#[test]
fn include_dlq_moves_dead_letters_to_the_redrive_policy_dlq_and_back() {
    let redis = RedisServer::start();
    let s = SqsServer::start();
    let (url, dlq) = s.create_with_dlq("jobs", 3);
    fill_redis(&redis, "jobs", 5);
    let dead = r#"{"original_message": "not json", "error": "boom", "failed_at": "2025-01-27T15:30:00.123456", "original_queue": "jobs"}"#;
    redis.lpush("jobs:dlq", dead.as_bytes());
    redis.lpush("jobs:dlq", b"\xff raw bytes");
    hq_sqs(&redis, &s, &url).args(["-q", "jobs", "migrate", "--to", "sqs", "--include-dlq"]).assert().success();
    assert_eq!(redis.llen("jobs:dlq"), 0);
    assert_eq!(s.counts(&url).0, 5);
    assert_eq!(s.counts(&dlq).0, 2);
    // And back: the dead letters return to the Redis DLQ, byte for byte.
    hq_sqs(&redis, &s, &url).args(["-q", "jobs", "migrate", "--to", "redis", "--include-dlq"]).assert().success();
    let mut back = redis.lrange("jobs:dlq");
    back.sort();
    let mut want = vec![dead.as_bytes().to_vec(), b"\xff raw bytes".to_vec()];
    want.sort();
    assert_eq!(back, want);
    assert_eq!(redis.llen("jobs"), 5);
    assert_eq!(s.counts(&dlq), (0, 0, 0));
}

#[test]
fn migrate_needs_the_sqs_side() {
    let redis = RedisServer::start();
    hq(&redis).args(["migrate", "--to", "sqs"]).assert().code(2).stderr(predicates::str::contains("--sqs-queue-url"));
}

/// Starts a migrate, SIGKILLs it once `moved_enough` says it is under way, reruns it to the end.
fn kill_and_rerun(redis: &RedisServer, s: &SqsServer, url: &str, to: &str, moved_enough: impl Fn() -> bool) {
    let args = ["-q", "jobs", "migrate", "--to", to, "--batch", "10", "--visibility-timeout", "2s"];
    let mut child = hq_sqs_process(redis, s, url).args(args).stdout(std::process::Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while !moved_enough() {
        assert!(child.try_wait().unwrap().is_none(), "migrate ended before it could be killed: make the queue longer");
        assert!(Instant::now() < deadline, "migrate made no progress; moto log:\n{}", s.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: no cleanup of any kind
    child.wait().unwrap();
    let out = hq_sqs_process(redis, s, url).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "the rerun failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sigkill_mid_migrate_to_sqs_then_a_rerun_leaves_every_message_exactly_once() {
    let redis = RedisServer::start();
    let s = SqsServer::start();
    let url = s.create("jobs.fifo", &[]);
    let sent = fill_redis(&redis, "jobs", 300);
    kill_and_rerun(&redis, &s, &url, "sqs", || s.counts(&url).0 >= 40);
    assert_eq!(redis.llen("jobs") + redis.llen("jobs:processing"), 0);
    let all = bodies(&s.take_all(&url));
    assert!(duplicates(&all).is_empty(), "duplicated on SQS: {:?}", duplicates(&all));
    let mut all_sorted = all.clone();
    all_sorted.sort();
    let mut want = sent.clone();
    want.sort();
    assert_eq!(all_sorted, want, "every message, once");
}

#[test]
fn sigkill_mid_migrate_to_redis_then_a_rerun_leaves_every_message_exactly_once() {
    let redis = RedisServer::start();
    let s = SqsServer::start();
    let url = s.create("jobs", &[]);
    let msgs: Vec<String> = (0..400).map(|i| format!("{{\"n\": {i}}}")).collect();
    let refs: Vec<&str> = msgs.iter().map(String::as_str).collect();
    s.send(&url, &refs);
    kill_and_rerun(&redis, &s, &url, "redis", || redis.llen("jobs") >= 60);
    let all = consumption_order(&redis, "jobs");
    assert!(duplicates(&all).is_empty(), "duplicated on Redis: {:?}", duplicates(&all));
    let mut all_sorted = all.clone();
    all_sorted.sort();
    let mut want = msgs.clone();
    want.sort();
    assert_eq!(all_sorted, want, "every message, once");
    assert_eq!(s.counts(&url), (0, 0, 0));
}

#[test]
fn sigkill_mid_migrate_with_equal_bodies_keeps_every_copy_both_ways() {
    let redis = RedisServer::start();
    let s = SqsServer::start();
    let url = s.create("jobs.fifo", &[]);
    // 300 messages, 100 distinct bodies, each three times.
    let sent: Vec<String> = (0..300).map(|i| format!("dup-{:03}", i % 100)).collect();
    let mut con = redis.client();
    let mut cmd = redis::cmd("LPUSH");
    cmd.arg("jobs");
    for b in &sent {
        cmd.arg(b.as_bytes());
    }
    cmd.exec(&mut con).unwrap();
    kill_and_rerun(&redis, &s, &url, "sqs", || s.counts(&url).0 >= 40);
    assert_eq!(redis.llen("jobs") + redis.llen("jobs:processing"), 0);
    let all = bodies(&s.take_all(&url));
    assert_eq!(multiset(&all), multiset(&sent), "every copy on SQS exactly once");

    // The way back, from a standard queue, killed too.
    let std_url = s.create("jobs", &[]);
    let refs: Vec<&str> = sent.iter().map(String::as_str).collect();
    s.send(&std_url, &refs);
    kill_and_rerun(&redis, &s, &std_url, "redis", || redis.llen("jobs") >= 60);
    let all = consumption_order(&redis, "jobs");
    assert_eq!(multiset(&all), multiset(&sent), "every copy on Redis exactly once");
    assert_eq!(s.counts(&std_url), (0, 0, 0));
}
