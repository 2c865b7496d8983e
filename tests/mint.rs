//! The mint profile against the deployer's discipline: what the tool writes, the deployer's
//! model (tests/support/deployer.rs, written from the wire-format document) accepts; what the
//! deployer writes, the tool reads and moves whole.

use predicates::prelude::*;
use serde_json::{Value, json};

use crate::support::deployer::{self, Deployer, Outcome, Step};
use crate::support::{RedisServer, hq, json_out};

const MINT: &str = "hokusai:mint_requests";
const PROCESSING: &str = "hokusai:mint_requests:processing";
const RETRY: &str = "hokusai:mint_requests:retry";
const DLQ: &str = "hokusai:mint_requests:dlq";
const PROCESSED: &str = "hokusai:mint_requests:processed";

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap()
}

fn zrange(server: &RedisServer, key: &str) -> Vec<(Vec<u8>, i64)> {
    redis::cmd("ZRANGE").arg(key).arg(0).arg(-1).arg("WITHSCORES").query(&mut server.client()).unwrap()
}

fn settle_all(_: &Value) -> Outcome {
    Outcome::Settled("minted")
}

#[test]
fn a_deployer_retry_member_is_promoted_whole_never_cut() {
    // Issue 11, case 1: the deployer's retry member (the whole request with _retryCount) was
    // promoted with its first 33 bytes cut off, and the remains dead-lettered as not JSON.
    let server = RedisServer::start();
    let mut member = deployer::example_request_with(1);
    member["_retryCount"] = json!(1);
    let member = compact(&member);
    server.cmd(&["ZADD", RETRY, "1", &member]);
    // An envelope-profile run whose retry set is (wrongly) pointed at the deployer's: the
    // member is not in the tool's format, so it stays untouched and is reported.
    let out = hq(&server)
        .args(["--profile", "envelope", "--queue", "hokusai:model_ready_queue", "--retry-key", RETRY, "reap-stale"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("left 1 due retry member(s)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(zrange(&server, RETRY), vec![(member.clone().into_bytes(), 1)], "untouched");
    assert_eq!(server.llen("hokusai:model_ready_queue"), 0);
    // drain on the envelope queue with the same mistake: still untouched.
    hq(&server).args(["--profile", "envelope", "--retry-key", RETRY, "drain"]).assert().success();
    assert_eq!(zrange(&server, RETRY), vec![(member.clone().into_bytes(), 1)]);
    // The mint profile promotes it as the deployer does: whole, to the inbound head.
    let v = json_out(hq(&server).args(["--queue", MINT, "reap-stale", "--promote-retries", "-o", "json"]));
    assert_eq!(v["promoted"], 1, "{v}");
    assert_eq!(server.lrange(MINT), vec![member.clone().into_bytes()]);
    assert!(zrange(&server, RETRY).is_empty());
    // ... and the deployer processes it.
    let mut d = Deployer::new(server.client());
    let steps = d.run_until_idle(&mut settle_all, 10);
    assert!(matches!(&steps[..], [Step::Settled { .. }]), "{steps:?}");
}

#[test]
fn drain_promotes_deployer_members_whole_and_leaves_foreign_ones() {
    let server = RedisServer::start();
    let mut member = deployer::example_request_with(2);
    member["_retryCount"] = json!(2);
    let member = compact(&member);
    server.cmd(&["ZADD", RETRY, "5", &member]);
    // The tool's own old format, and a negative score: neither is the deployer's to promote.
    let foreign = format!("{}:{}", "a".repeat(32), compact(&deployer::example_request_with(3)));
    server.cmd(&["ZADD", RETRY, "6", &foreign]);
    server.cmd(&["ZADD", RETRY, "-5", &compact(&deployer::example_request_with(4))]);
    let out = hq(&server).args(["--queue", MINT, "drain"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, format!("{member}\n").into_bytes(), "the member, whole, drained like any request");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not in the mint profile's retry format"));
    let left: Vec<Vec<u8>> = zrange(&server, RETRY).into_iter().map(|(m, _)| m).collect();
    assert_eq!(left.len(), 2, "the foreign and the negative-score members stay");
    assert!(left.contains(&foreign.into_bytes()));
}

#[test]
fn emit_writes_requests_the_deployer_accepts() {
    // Issue 11, case 2.
    let server = RedisServer::start();
    let pretty = serde_json::to_string_pretty(&deployer::pipeline_request(1)).unwrap();
    let out = json_out(hq(&server).args(["--queue", MINT, "emit", "-o", "json", "--payload", &pretty]));
    assert_eq!(out["idempotency_key"], deployer::pipeline_request(1)["idempotency_key"]);
    let pushed = server.lrange(MINT);
    assert_eq!(pushed.len(), 1);
    assert!(!pushed[0].contains(&b'\n') && !pushed[0].contains(&b' '), "compact, as the producer pushes");
    assert_eq!(
        serde_json::from_slice::<Value>(&pushed[0]).unwrap(),
        deployer::pipeline_request(1),
        "nothing added, nothing lost"
    );
    deployer::accepts(&pushed[0]).expect("the deployer's validator accepts it");
    // Numbers are kept as written (not re-printed through f64).
    let text = compact(&deployer::example_request_with(9)).replace("\"baseline_score_bps\":7000", "\"baseline_score_bps\":7.0e3");
    hq(&server).args(["--queue", MINT, "emit", "--payload", &text]).assert().success();
    assert!(String::from_utf8_lossy(&server.lrange(MINT)[0]).contains("\"baseline_score_bps\":7.0e3"));
    // The deployer processes both.
    let steps = Deployer::new(server.client()).run_until_idle(&mut settle_all, 10);
    assert_eq!(steps.iter().filter(|s| matches!(s, Step::Settled { .. })).count(), 2, "{steps:?}");
}

#[test]
fn emit_refuses_what_the_deployer_would_dead_letter() {
    let server = RedisServer::start();
    let mut extra = deployer::example_request();
    extra["note"] = json!("hi");
    hq(&server)
        .args(["--queue", MINT, "emit", "--payload", &compact(&extra)])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("\"note\" is not allowed"));
    let mut weights = deployer::example_request();
    weights["contributors"][0]["weight_bps"] = json!(9999);
    hq(&server)
        .args(["--queue", MINT, "emit", "--payload", &compact(&weights)])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("\"contributors\" contains an invalid value"));
    // A file is all or nothing.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("requests.jsonl");
    let mut lines: Vec<String> = (0..50).map(|n| compact(&deployer::example_request_with(n))).collect();
    lines[37] = compact(&extra);
    std::fs::write(&file, lines.join("\n")).unwrap();
    hq(&server)
        .args(["--queue", MINT, "emit", "--file"])
        .arg(&file)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("line 38").and(predicate::str::contains("nothing was pushed")));
    assert_eq!(server.llen(MINT), 0);
    // Envelope flags are refused, naming the profile.
    hq(&server)
        .args(["--queue", MINT, "emit", "--message-type", "mint_request", "--payload", &compact(&deployer::example_request())])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mint profile"));
    lines[37] = compact(&deployer::example_request_with(37));
    std::fs::write(&file, lines.join("\n")).unwrap();
    hq(&server).args(["--queue", MINT, "emit", "--file"]).arg(&file).assert().success();
    assert_eq!(server.llen(MINT), 50);
    for raw in server.lrange(MINT) {
        deployer::accepts(&raw).expect("accepted");
    }
}

#[test]
fn a_failed_handler_retries_as_the_deployer_would_then_dead_letters_in_its_shape() {
    // Issue 11, case 3: no retry_count key added; the deployer's member and DLQ shape.
    let server = RedisServer::start();
    let request = deployer::example_request_with(5);
    server.lpush(MINT, compact(&request).as_bytes());
    // --max 1: one attempt (without it, drain waits for the pending retries and goes on).
    let out =
        hq(&server).args(["--queue", MINT, "drain", "--max", "1", "--exec", "echo 'RPC timeout' >&2; exit 1"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "a failed attempt exits 1: {}", String::from_utf8_lossy(&out.stderr));
    let members = zrange(&server, RETRY);
    assert_eq!(members.len(), 1);
    let (member, score) = &members[0];
    let m: Value = serde_json::from_slice(member).unwrap();
    assert_eq!(m["_retryCount"], 1);
    assert!(m.get("retry_count").is_none());
    let mut expected = request.clone();
    expected["_retryCount"] = json!(1);
    assert_eq!(m, expected, "the request, with _retryCount appended, nothing else");
    let now = deployer::now_ms();
    assert!((now - 5_000..=now + 1_500).contains(score), "score is epoch ms, due within the 1 s cap: {score} vs {now}");
    deployer::accepts(member).expect("the deployer accepts the retry member");
    assert_eq!(server.llen(PROCESSING), 0);
    // With no retries left (the deployer's own setting), the next failure dead-letters.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let out = hq(&server)
        .env("MINT_REQUEST_MAX_RETRIES", "1")
        .args(["--queue", MINT, "drain", "--max", "1", "--exec", "echo 'RPC timeout' >&2; exit 1"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("dead-lettered"), "{}", String::from_utf8_lossy(&out.stderr));
    let dlq = server.lrange(DLQ);
    assert_eq!(dlq.len(), 1);
    let (original, reason, class) = deployer::parse_dlq_entry(&dlq[0]).expect("the official tool can parse it");
    assert!(reason.starts_with("exhausted (retries=1): "), "{reason}");
    assert_eq!(class.as_deref(), Some("transient"));
    assert_eq!(original["_retryCount"], 1);
    let entry: Value = serde_json::from_slice(&dlq[0]).unwrap();
    let keys: Vec<&str> = entry.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["originalMessage", "error", "reason", "failureClass", "timestamp", "queue"]);
    assert_eq!(entry["queue"], MINT);
    assert_eq!((server.llen(MINT), server.llen(PROCESSING), zrange(&server, RETRY).len()), (0, 0, 0));
}

/// A handler failure whose text the deployer classifies as permanent (3.3 rule 5) is
/// dead-lettered at once, as the deployer's own consumer does with the same error, never retried.
#[test]
fn a_permanent_failure_is_dead_lettered_at_once_as_the_deployer_would() {
    let server = RedisServer::start();
    let request = deployer::example_request_with(6);
    server.lpush(MINT, compact(&request).as_bytes());
    let out = hq(&server)
        .args(["--queue", MINT, "drain", "--max", "1", "--exec", "echo 'Model not registered' >&2; exit 1"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(zrange(&server, RETRY).len(), 0, "not retried: {err}");
    let dlq = server.lrange(DLQ);
    assert_eq!(dlq.len(), 1, "{err}");
    let (original, reason, class) = deployer::parse_dlq_entry(&dlq[0]).expect("the official tool can parse it");
    assert!(reason.starts_with("permanent: ") && reason.contains("Model not registered"), "{reason}");
    assert_eq!(class.as_deref(), Some("permanent"));
    assert_eq!(original, request);
    // The deployer's consumer, given the same error, does the same.
    let other = RedisServer::start();
    other.lpush(MINT, compact(&request).as_bytes());
    let mut d = Deployer::new(other.client()).with_random(|| 0.0);
    let mut handler = |_: &Value| Outcome::Fail { message: "Model not registered".into(), permanent: false };
    assert!(matches!(d.process_one(0.0, &mut handler), Step::DeadLettered { .. }));
    let theirs: Value = serde_json::from_slice(&other.lrange(DLQ)[0]).unwrap();
    assert_eq!(theirs["failureClass"], "permanent");
    assert_eq!((server.llen(MINT), server.llen(PROCESSING)), (0, 0));
}

/// A mint element that is not UTF-8 never reaches a handler: a stream handler is promised one
/// UTF-8 JSON object a line (the README's Python example decodes strictly and would crash,
/// turning the whole window into failed attempts). It is dead-lettered as text.
#[test]
fn a_request_that_is_not_utf8_is_dead_lettered_before_any_handler() {
    let server = RedisServer::start();
    let good = compact(&deployer::example_request_with(7));
    let bad = compact(&deployer::example_request_with(8)).replace("demo-model", "demo-model\u{1}").into_bytes();
    let bad: Vec<u8> = bad.iter().map(|b| if *b == 1 { 0xff } else { *b }).collect();
    assert!(std::str::from_utf8(&bad).is_err());
    server.lpush(MINT, good.as_bytes());
    server.lpush(MINT, &bad);
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("seen");
    let handler = format!(
        "python3 -c 'import sys\nn=0\nfor line in sys.stdin:\n    n+=1\n    open(\"{}\",\"a\").write(line)\n    print(\"ok %d\" % n, flush=True)\n'",
        seen.display()
    );
    let out = hq(&server).args(["--queue", MINT, "drain", "--exec-stream", &handler, "-o", "json"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{err}"));
    assert_eq!((v["processed"].as_u64(), v["dead_lettered"].as_u64()), (Some(1), Some(1)), "{v} {err}");
    assert_eq!(std::fs::read_to_string(&seen).unwrap().lines().count(), 1, "the handler saw only the good one");
    let dlq = server.lrange(DLQ);
    let (_, reason, class) = deployer::parse_dlq_entry(&dlq[0]).expect("the official tool can parse it");
    assert!(reason.contains("not UTF-8"), "{reason}");
    assert_eq!(class.as_deref(), Some("permanent"));
    assert_eq!((server.llen(MINT), server.llen(PROCESSING)), (0, 0));
}

#[test]
fn drain_dead_letters_what_the_deployer_would_and_never_marks_processed() {
    let server = RedisServer::start();
    server.lpush(MINT, b"{not json");
    let mut bad = deployer::example_request_with(6);
    bad["attester_signatures"] = json!([]);
    server.lpush(MINT, compact(&bad).as_bytes());
    let settled = deployer::example_request_with(7);
    server.cmd(&["SADD", PROCESSED, settled["idempotency_key"].as_str().unwrap()]);
    server.lpush(MINT, compact(&settled).as_bytes());
    let good = deployer::example_request_with(8);
    server.lpush(MINT, compact(&good).as_bytes());
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("seen");
    let cmd = format!("cat >> '{}'; echo >> '{}'", seen.display(), seen.display());
    let v = crate::support::json_out_failed(hq(&server).args(["--queue", MINT, "-o", "json", "drain", "--exec", &cmd]));
    assert_eq!(
        (v["processed"].as_u64(), v["dead_lettered"].as_u64(), v["duplicates"].as_u64()),
        (Some(1), Some(2), Some(1)),
        "{v}"
    );
    assert_eq!(std::fs::read_to_string(&seen).unwrap(), format!("{}\n", compact(&good)), "only the fresh request was handled");
    let reasons: Vec<String> = server.lrange(DLQ).iter().map(|e| deployer::parse_dlq_entry(e).unwrap().1).collect();
    assert!(reasons.contains(&"Invalid JSON".to_owned()), "{reasons:?}");
    assert!(reasons.contains(&"\"attester_signatures\" must contain at least 1 items".to_owned()), "{reasons:?}");
    let members: Vec<String> = redis::cmd("SMEMBERS").arg(PROCESSED).query(&mut server.client()).unwrap();
    assert_eq!(members.len(), 1, "only a real settlement adds to the processed set");
    assert_eq!(server.llen(PROCESSING), 0);
}

#[test]
fn peek_shows_the_requests_fields_and_the_retry_set() {
    // Issue 11, case 5.
    let server = RedisServer::start();
    let mut r = deployer::example_request_with(10);
    r["deadline"] = json!(1_000_000_000);
    server.lpush(MINT, compact(&r).as_bytes());
    let v = json_out(hq(&server).args(["--queue", MINT, "peek", "-o", "json"]));
    let e = &v[0];
    assert_eq!(e["idempotency_key"], r["idempotency_key"]);
    assert_eq!(e["model_id"], "demo-model");
    assert_eq!(e["model_id_uint"], "42");
    assert_eq!(e["eval_id"], "eval-demo-0001");
    assert_eq!(e["totalSamples"], 200);
    assert_eq!(e["deadline_passed"], true);
    assert_eq!(e["contributors"], 1);
    assert_eq!(e["valid"], true);
    let table = hq(&server).args(["--queue", MINT, "peek"]).output().unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("demo-model") && text.contains("(passed)"), "{text}");
    let mut member = deployer::example_request_with(11);
    member["_retryCount"] = json!(2);
    let far = (deployer::now_ms() + 3_600_000).to_string();
    server.cmd(&["ZADD", RETRY, &far, &compact(&member)]);
    let v = json_out(hq(&server).args(["--queue", MINT, "peek", "--list", "retry", "-o", "json"]));
    assert_eq!(v[0]["_retryCount"], 2);
    assert_eq!(v[0]["due"], false);
    assert!(v[0]["due_in_seconds"].as_f64().unwrap() > 3500.0);
    assert_eq!(v[0]["idempotency_key"], member["idempotency_key"]);
}

#[test]
fn reap_returns_a_stuck_request_exactly_or_drops_a_settled_one() {
    let server = RedisServer::start();
    // The deployer took two requests (BRPOPLPUSH) and crashed before the acks.
    let stuck = compact(&deployer::pipeline_request(12));
    let settled = compact(&deployer::example_request_with(13));
    server.lpush(PROCESSING, stuck.as_bytes());
    server.lpush(PROCESSING, settled.as_bytes());
    server.cmd(&["SADD", PROCESSED, deployer::example_request_with(13)["idempotency_key"].as_str().unwrap()]);
    // First look: clocks start; nothing moves.
    let v = json_out(hq(&server).args(["--queue", MINT, "reap-stale", "--visibility-timeout", "200ms", "-o", "json"]));
    assert_eq!((v["adopted"].as_u64(), v["requeued"].as_u64()), (Some(2), Some(0)), "{v}");
    assert_eq!(server.llen(PROCESSING), 2);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let dry =
        json_out(hq(&server).args(["--queue", MINT, "reap-stale", "--visibility-timeout", "200ms", "--dry-run", "-o", "json"]));
    assert_eq!(server.llen(PROCESSING), 2, "a dry run moves nothing: {dry}");
    let v = json_out(hq(&server).args(["--queue", MINT, "reap-stale", "--visibility-timeout", "200ms", "-o", "json"]));
    assert_eq!((v["requeued"].as_u64(), v["removed_settled"].as_u64()), (Some(1), Some(1)), "{v}");
    assert_eq!(server.lrange(MINT), vec![stuck.clone().into_bytes()], "exact bytes, at the inbound head");
    assert_eq!(server.llen(PROCESSING), 0);
    assert_eq!(
        redis::cmd("ZCARD").arg("hokusai:mint_requests:hokusai-queue:leases").query::<u64>(&mut server.client()).unwrap(),
        0
    );
    let steps = Deployer::new(server.client()).run_until_idle(&mut settle_all, 10);
    assert!(matches!(&steps[..], [Step::Settled { .. }]), "{steps:?}");
}

#[test]
fn depth_shows_the_deployers_keys() {
    let server = RedisServer::start();
    let mut d = Deployer::new(server.client());
    for n in 0..3 {
        server.lpush(MINT, compact(&deployer::example_request_with(n)).as_bytes());
    }
    let mut k = 0;
    let mut handler = |_: &Value| {
        k += 1;
        match k {
            1 => Outcome::Settled("minted"),
            2 => Outcome::Fail { message: "Model not registered".into(), permanent: false },
            _ => Outcome::Fail { message: "socket hang up".into(), permanent: false },
        }
    };
    for _ in 0..3 {
        d.process_one(0.0, &mut handler);
    }
    let v = json_out(hq(&server).args(["--queue", MINT, "depth", "-o", "json"]));
    assert_eq!(v["profile"], "mint");
    assert_eq!(
        (v["processed"].as_u64(), v["settlements"].as_u64(), v["retry"].as_u64(), v["dlq"].as_u64()),
        (Some(1), Some(1), Some(1), Some(1)),
        "{v}"
    );
    assert_eq!(v["dlq_by_class"], json!({"model_inactive": 1}));
    let prom = hq(&server).args(["--queue", MINT, "depth", "-o", "prometheus"]).output().unwrap();
    let text = String::from_utf8_lossy(&prom.stdout);
    assert!(
        text.contains(r#"hokusai_queue_mint_dlq_class{queue="hokusai:mint_requests",profile="mint",class="model_inactive"} 1"#),
        "{text}"
    );
    // The platform's alarms: DLQ >= 1 and depth >= 50, as gates.
    hq(&server).args(["--queue", MINT, "depth", "--dlq-fail-above", "0"]).assert().code(5);
}

#[test]
fn an_opaque_queue_moves_exact_bytes_only() {
    let server = RedisServer::start();
    hq(&server)
        .args(["--queue", "jobs", "emit", "--payload", "{}"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--profile"));
    hq(&server).args(["--queue", "jobs", "emit", "--raw", "--payload", "anything \u{1} at all"]).assert().success();
    assert_eq!(server.lrange("jobs"), vec![b"anything \x01 at all".to_vec()]);
    hq(&server)
        .args(["--queue", "jobs", "drain", "--exec", "true"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--profile"));
    let out = hq(&server).args(["--queue", "jobs", "drain"]).output().unwrap();
    assert_eq!(out.stdout, b"anything \x01 at all\n");
    assert_eq!(server.llen("jobs"), 0);
}

#[test]
fn two_reapers_never_take_a_fresh_delivery_and_a_request_that_keeps_crashing_is_dead_lettered() {
    let server = RedisServer::start();
    let leases = "hokusai:mint_requests:hokusai-queue:leases";
    // 300 stale requests with expired clocks, as a crashed deployer leaves them.
    for n in 0..300 {
        let raw = compact(&deployer::example_request_with(100 + n));
        server.lpush(PROCESSING, raw.as_bytes());
        server.cmd(&["ZADD", leases, "1", &raw]);
    }
    // Two reapers at once while a "deployer" takes requests back into processing at once
    // (its BRPOPLPUSH writes no clock): a fresh delivery must never be reclaimed.
    let mut reapers: Vec<_> = (0..2)
        .map(|_| {
            crate::support::hq_process(&server)
                .args(["--queue", MINT, "reap-stale", "-o", "json"])
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut con = server.client();
    let mut taken = 0;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while taken < 300 && std::time::Instant::now() < deadline {
        let got: Option<Vec<u8>> = redis::cmd("RPOPLPUSH").arg(MINT).arg(PROCESSING).query(&mut con).unwrap();
        if got.is_some() {
            taken += 1;
        } else {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    }
    let mut requeued = 0;
    for r in reapers.drain(..) {
        let v: Value = serde_json::from_slice(&r.wait_with_output().unwrap().stdout).unwrap();
        requeued += v["requeued"].as_u64().unwrap();
    }
    assert_eq!(requeued, 300, "each stale request reclaimed exactly once, between the two reapers");
    assert_eq!(taken, 300);
    assert_eq!((server.llen(MINT), server.llen(PROCESSING)), (0, 300), "the fresh deliveries stay with their consumer");

    // One request that crashes every consumer: reclaimed --max-reclaims times, then dead-lettered.
    let server = RedisServer::start();
    let raw = compact(&deployer::example_request_with(7));
    for round in 0..3 {
        server.lpush(PROCESSING, raw.as_bytes());
        server.cmd(&["ZADD", leases, "1", &raw]);
        let v = json_out(hq(&server).args(["--queue", MINT, "reap-stale", "-o", "json"]));
        assert_eq!(v["requeued"], 1, "round {round}: {v}");
        server.cmd(&["DEL", MINT]); // the next consumer takes it and crashes again
    }
    server.lpush(PROCESSING, raw.as_bytes());
    server.cmd(&["ZADD", leases, "1", &raw]);
    let v = json_out(hq(&server).args(["--queue", MINT, "reap-stale", "-o", "json"]));
    assert_eq!(v["dead_lettered"], 1, "{v}");
    let dlq = server.lrange(DLQ);
    let (original, reason, class) = deployer::parse_dlq_entry(&dlq[0]).expect("the deployer's shape");
    assert!(reason.starts_with("exhausted (retries=3): stuck in processing"), "{reason}");
    assert_eq!(class.as_deref(), Some("transient"));
    assert_eq!(original, deployer::example_request_with(7));
    assert_eq!((server.llen(MINT), server.llen(PROCESSING)), (0, 0));
}

#[test]
fn a_mint_drain_leaves_the_deployers_retries_and_writes_only_its_dead_letter_shape() {
    let server = RedisServer::start();
    // A retry due in a minute: a drain without --wait does not sit and wait for it.
    let mut member = deployer::example_request_with(8);
    member["_retryCount"] = json!(1);
    let later = (deployer::now_ms() + 60_000).to_string();
    server.cmd(&["ZADD", RETRY, &later, &compact(&member)]);
    // Bytes that are not UTF-8: dead-lettered in the deployer's shape, as its client reads them.
    server.lpush(MINT, b"\xff\xfe not utf8");
    let started = std::time::Instant::now();
    let out = hq(&server).args(["--queue", MINT, "drain"]).output().unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "waited for the deployer's retry");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(zrange(&server, RETRY).len(), 1, "the deployer's retry is left to it");
    let (original, reason, class) = deployer::parse_dlq_entry(&server.lrange(DLQ)[0]).expect("the deployer's shape");
    assert_eq!(reason, "Invalid JSON");
    assert_eq!(class.as_deref(), Some("permanent"));
    assert_eq!(original, json!("\u{fffd}\u{fffd} not utf8"));
    // A bad MINT_* variable is no business of a drain on another queue.
    hq(&server).env("MINT_BACKOFF_BASE_MS", "abc").args(["--queue", "jobs", "drain"]).assert().success();
    hq(&server).env("MINT_BACKOFF_BASE_MS", "abc").args(["--queue", MINT, "drain"]).assert().code(2);
}
