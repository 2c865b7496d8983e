//! message inspect / delete / dead-letter / requeue against a real redis-server each: a message
//! found by id in main, processing (with its lease), the tool's retry set and the DLQ; every
//! change moves the exact bytes and leaves nothing behind, says `gone` when there is nothing to
//! change, changes nothing in a dry run or without confirmation; ambiguity is refused. Mint: the
//! audit record of a delete, the deployer's dead-letter shape, and a requeued retry member that
//! the deployer's own consumer (the model in `support::deployer`) takes next.

use serde_json::{Value, json};

use crate::support::deployer::{self, Deployer, Outcome, Step, example_request_with, js_stringify};
use crate::support::*;

const PROCESSING: &str = "hokusai:model_ready_queue:processing";
const DLQ: &str = "hokusai:model_ready_queue:dlq";
const RETRY: &str = "hokusai:model_ready_queue:hokusai-queue:retry";
const LEASES: &str = "hokusai:model_ready_queue:hokusai-queue:leases";
const NONCE: &str = "0123456789abcdef0123456789abcdef";
const HOUR_MS: i64 = 3_600_000;

const MINT: &str = "hokusai:mint_requests";
const MINT_PROCESSING: &str = "hokusai:mint_requests:processing";
const MINT_DLQ: &str = "hokusai:mint_requests:dlq";
const MINT_RETRY: &str = "hokusai:mint_requests:retry";
const MINT_AUDIT: &str = "hokusai:mint_requests:dlq:audit";
const MINT_LEASES: &str = "hokusai:mint_requests:hokusai-queue:leases";
const OPERATOR: &str = "ops-tester";

// ---- building state -------------------------------------------------------------------------

fn id(n: u64) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// Envelope `n`, compact, as the platform's producer writes it (keys in its order).
fn env(n: u64) -> Vec<u8> {
    json!({"message_id": id(n), "message_type": "model_ready_to_deploy",
        "payload": {"model_id": format!("m-{n}"), "token_symbol": "msg-ai", "metric_name": "accuracy",
            "baseline_value": 0.85, "current_value": 0.88, "model_name": "clf", "model_version": "3"},
        "timestamp": "2025-01-27T15:30:00.123456", "retry_count": 1, "max_retries": 3})
    .to_string()
    .into_bytes()
}

/// One of the tool's own retry members: a 32-hex nonce, ':', the element.
fn member(el: &[u8]) -> Vec<u8> {
    let mut m = format!("{NONCE}:").into_bytes();
    m.extend_from_slice(el);
    m
}

/// The platform publisher's dead-letter wrapper around `el`.
fn wrap(el: &[u8], error: &str) -> Vec<u8> {
    json!({"original_message": String::from_utf8_lossy(el), "error": error, "failed_at": "2025-01-27T15:31:00.000001",
        "original_queue": QUEUE})
    .to_string()
    .into_bytes()
}

fn zadd(server: &RedisServer, key: &str, score: i64, m: &[u8]) {
    redis::cmd("ZADD").arg(key).arg(score).arg(m).exec(&mut server.client()).unwrap();
}

fn zrange(server: &RedisServer, key: &str) -> Vec<Vec<u8>> {
    redis::cmd("ZRANGE").arg(key).arg(0).arg(-1).query(&mut server.client()).unwrap()
}

fn zscore(server: &RedisServer, key: &str, m: &[u8]) -> Option<f64> {
    redis::cmd("ZSCORE").arg(key).arg(m).query(&mut server.client()).unwrap()
}

/// A list from its consumer end (the tail) first.
fn tail_first(server: &RedisServer, key: &str) -> Vec<Vec<u8>> {
    let mut v = server.lrange(key);
    v.reverse();
    v
}

/// Every key and its exact content (for "nothing changed").
fn snapshot(server: &RedisServer) -> Vec<(String, Vec<u8>)> {
    let mut con = server.client();
    server.keys().into_iter().map(|k| (k.clone(), redis::cmd("DUMP").arg(&k).query(&mut con).unwrap())).collect()
}

/// Envelope `n` in each place: main (1, between 10 and 11), processing (2, leased for an hour,
/// beside 20), the tool's retry set (3, due in an hour, beside 30) and the DLQ (4, wrapped,
/// beside 40). Positions count from the consumer end: 1 is at 1 in main, 2 at 0 in processing.
fn seed(server: &RedisServer) {
    server.lpush(QUEUE, &env(10));
    server.lpush(QUEUE, &env(1));
    server.lpush(QUEUE, &env(11));
    server.lpush(PROCESSING, &env(2));
    server.lpush(PROCESSING, &env(20));
    let now = deployer::now_ms();
    zadd(server, LEASES, now + HOUR_MS, &env(2));
    zadd(server, LEASES, now + HOUR_MS, &env(20));
    zadd(server, RETRY, now + HOUR_MS, &member(&env(3)));
    zadd(server, RETRY, now + 2 * HOUR_MS, &member(&env(30)));
    server.lpush(DLQ, &wrap(&env(40), "older failure"));
    server.lpush(DLQ, &wrap(&env(4), "handler exited 1"));
}

// ---- running --------------------------------------------------------------------------------

/// Runs a command that must exit with `code`; returns stdout and stderr.
fn exits(cmd: &mut assert_cmd::Command, code: i32) -> (String, String) {
    let out = cmd.output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert_eq!(out.status.code(), Some(code), "stdout: {stdout}\nstderr: {stderr}");
    (stdout, stderr)
}

/// stdout as JSON, the exit code being `code`.
fn json_exit(cmd: &mut assert_cmd::Command, code: i32) -> Value {
    let (stdout, stderr) = exits(cmd, code);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {stderr}"))
}

fn msg(server: &RedisServer, args: &[&str]) -> assert_cmd::Command {
    let mut c = hq(server);
    c.arg("message").args(args);
    c
}

/// `message inspect ID -o json`, which must find something.
fn inspect(server: &RedisServer, args: &[&str]) -> Value {
    json_out(&mut msg(server, &[&["inspect"][..], args, &["-o", "json"][..]].concat()))
}

/// A change's refusals and dry run first (each must leave every key as it was), then the change
/// itself with --yes (its JSON report); a second run must find nothing: `gone`, exit 1.
fn change(server: &RedisServer, args: &[&str]) -> Value {
    let before = snapshot(server);
    let (_, err) = exits(&mut msg(server, args), 2);
    assert!(err.contains("--yes"), "not on a terminal, no --yes: {err}");
    let dry = json_out(&mut msg(server, &[args, &["--dry-run", "-o", "json"][..]].concat()));
    assert_eq!(dry["dry_run"], true);
    assert!(dry["outcome"].as_str().unwrap().starts_with("would_"), "{dry}");
    assert_eq!(snapshot(server), before, "a refusal and a dry run change nothing");
    let done = json_out(&mut msg(server, &[args, &["--yes", "-o", "json"][..]].concat()));
    assert_eq!(done["dry_run"], false);
    assert_eq!((&done["from"], &done["to"]), (&dry["from"], &dry["to"]), "as the dry run said");
    let again = json_exit(&mut msg(server, &[args, &["--yes", "-o", "json"][..]].concat()), 1);
    assert_eq!((&again["outcome"], &again["from"]), (&json!("gone"), &Value::Null), "{again}");
    done
}

// ---- inspect --------------------------------------------------------------------------------

#[test]
fn inspect_finds_a_message_in_each_of_the_four_places() {
    let server = RedisServer::start();
    seed(&server);
    let before = snapshot(&server);

    let v = inspect(&server, &[&id(1)]);
    assert_eq!(v["profile"], "envelope");
    assert_eq!(v["searched"], json!(["main", "processing", "retry", "dlq"]));
    let m = &v["matches"][0];
    assert_eq!(v["matches"].as_array().unwrap().len(), 1);
    assert_eq!((&m["place"], &m["key"], &m["position"], &m["copies"]), (&json!("main"), &json!(QUEUE), &json!(1), &json!(1)));
    assert_eq!(m["raw"].as_str().unwrap().as_bytes(), env(1), "the element whole, exactly");
    assert_eq!(m["json"]["payload"]["model_id"], "m-1");
    assert_eq!((&m["fields"]["shape"], &m["fields"]["retry_count"]), (&json!("envelope"), &json!(1)));

    let m = &inspect(&server, &[&id(2)])["matches"][0];
    assert_eq!((&m["place"], &m["key"], &m["position"]), (&json!("processing"), &json!(PROCESSING), &json!(0)));
    assert_eq!((&m["lease"]["state"], &m["lease"]["consumer_may_hold"]), (&json!("alive"), &json!(true)));
    let left = m["lease"]["expires_in_seconds"].as_f64().unwrap();
    assert!(left > 3000.0 && left <= 3600.0, "{left}");

    let m = &inspect(&server, &[&id(3)])["matches"][0];
    assert_eq!((&m["place"], &m["key"], &m["position"]), (&json!("retry"), &json!(RETRY), &json!(0)));
    assert_eq!((&m["member_format"], &m["nonce"], &m["due"]), (&json!("tool"), &json!(NONCE), &json!(false)));
    assert_eq!(m["raw"].as_str().unwrap().as_bytes(), member(&env(3)), "the member as stored");
    assert_eq!(m["json"]["message_id"], id(3), "the element inside it, parsed");

    let m = &inspect(&server, &[&id(4)])["matches"][0];
    assert_eq!((&m["place"], &m["key"], &m["position"]), (&json!("dlq"), &json!(DLQ), &json!(1)));
    assert_eq!((&m["fields"]["shape"], &m["fields"]["error"]), (&json!("wrapped"), &json!("handler exited 1")));
    assert_eq!(m["fields"]["original_queue"], QUEUE);

    // For people: where, the lease, and the element indented with every token kept.
    let (out, _) = exits(&mut msg(&server, &["inspect", &id(2)]), 0);
    assert!(out.contains("processing (hokusai:model_ready_queue:processing)") && out.contains("alive"), "{out}");
    assert!(out.contains("\n  \"message_id\": \"00000000-0000-4000-8000-000000000002\",\n"), "{out}");
    assert!(out.contains("\"baseline_value\": 0.85"), "{out}");

    // --in narrows the search; nothing found exits 1.
    let (_, err) = exits(&mut msg(&server, &["inspect", &id(2), "--in", "main", "--in", "dlq"]), 1);
    assert!(err.contains("no message") && err.contains("main, dlq"), "{err}");
    exits(&mut msg(&server, &["inspect", &id(99)]), 1);
    assert_eq!(snapshot(&server), before, "inspect reads only");
}

#[test]
fn inspect_on_an_opaque_queue_searches_the_bytes_and_changes_are_refused() {
    let server = RedisServer::start();
    server.lpush("jobs", b"order-17 \xff\xfe tail");
    server.lpush("jobs", b"order-18");
    let v = json_out(hq(&server).args(["-q", "jobs", "message", "inspect", "order-17", "-o", "json"]));
    assert_eq!(v["match"], "substring");
    let m = &v["matches"][0];
    assert_eq!((&m["place"], &m["position"]), (&json!("main"), &json!(0)));
    assert_eq!(m["raw"], "order-17 \\xff\\xfe tail");
    assert_eq!(m["raw_base64"], "b3JkZXItMTcg//4gdGFpbA==");
    let (out, _) = exits(hq(&server).args(["-q", "jobs", "message", "inspect", "order-17"]), 0);
    assert!(out.contains("order-17 \\xff\\xfe tail") && out.contains("b3JkZXItMTcg//4gdGFpbA=="), "{out}");
    for verb in [&["delete"][..], &["dead-letter", "--reason", "x"], &["requeue"]] {
        let (_, err) = exits(hq(&server).args(["-q", "jobs", "message"]).args(verb).args(["order-17", "--yes"]), 2);
        assert!(err.contains("--profile"), "{err}");
    }
    assert_eq!(server.llen("jobs"), 2);
}

// ---- delete ---------------------------------------------------------------------------------

#[test]
fn delete_removes_the_exact_bytes_from_each_place() {
    let server = RedisServer::start();
    seed(&server);
    let (_, err) = exits(&mut msg(&server, &["delete", &id(1), "--reason", "x", "--yes"]), 2);
    assert!(err.contains("mint profile"), "--reason is refused, not ignored: {err}");

    let v = change(&server, &["delete", &id(1)]);
    assert_eq!((&v["outcome"], &v["from"]["place"], &v["from"]["position"]), (&json!("deleted"), &json!("main"), &json!(1)));
    assert_eq!((&v["to"], &v["copies_left"]), (&Value::Null, &json!(0)));
    assert_eq!(tail_first(&server, QUEUE), [env(10), env(11)]);

    // From processing only with --force while a consumer may hold it (a live lease here).
    let before = snapshot(&server);
    let (_, err) = exits(&mut msg(&server, &["delete", &id(2), "--yes"]), 1);
    assert!(err.contains("lease is alive") && err.contains("--force") && err.lines().count() == 1, "{err}");
    assert_eq!(snapshot(&server), before, "a held message is not deleted");
    let v = change(&server, &["delete", &id(2), "--force"]);
    assert_eq!((&v["from"]["place"], &v["lease"]["state"]), (&json!("processing"), &json!("alive")));
    assert_eq!(tail_first(&server, PROCESSING), [env(20)]);
    assert_eq!(zscore(&server, LEASES, &env(2)), None, "its lease is gone with it");
    assert!(zscore(&server, LEASES, &env(20)).is_some(), "the other lease stays");

    change(&server, &["delete", &id(3)]);
    assert_eq!(zrange(&server, RETRY), [member(&env(30))]);

    change(&server, &["delete", &id(4)]);
    assert_eq!(tail_first(&server, DLQ), [wrap(&env(40), "older failure")]);
    assert_eq!(server.keys(), [QUEUE, DLQ, LEASES, RETRY, PROCESSING], "nothing else was written");
}

#[test]
fn delete_of_one_copy_of_bytes_stored_twice_says_one_is_left() {
    let server = RedisServer::start();
    server.lpush(QUEUE, &env(1));
    server.lpush(QUEUE, &env(10));
    server.lpush(QUEUE, &env(1));
    let m = &inspect(&server, &[&id(1)])["matches"][0];
    assert_eq!((&m["copies"], &m["positions"]), (&json!(2), &json!([0, 2])));
    let v = json_out(&mut msg(&server, &["delete", &id(1), "--yes", "-o", "json"]));
    assert_eq!((&v["outcome"], &v["copies_left"]), (&json!("deleted"), &json!(1)));
    assert_eq!(tail_first(&server, QUEUE), [env(10), env(1)], "the copy nearest the consumer end went");
}

// ---- dead-letter ----------------------------------------------------------------------------

/// The DLQ's newest entry, parsed: the platform's wrapper, checked.
fn newest_wrapper(server: &RedisServer, original: &[u8], error: &str) {
    let entry: Value = serde_json::from_slice(&server.lrange(DLQ)[0]).unwrap();
    let keys: Vec<&str> = entry.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["original_message", "error", "failed_at", "original_queue"]);
    assert_eq!(entry["original_message"].as_str().unwrap().as_bytes(), original, "the exact element");
    assert_eq!((&entry["error"], &entry["original_queue"]), (&json!(error), &json!(QUEUE)));
    assert_naive_iso(entry["failed_at"].as_str().unwrap());
}

#[test]
fn dead_letter_wraps_the_exact_element_from_main_processing_and_retry() {
    let server = RedisServer::start();
    seed(&server);
    exits(&mut msg(&server, &["dead-letter", &id(1)]), 2); // --reason is required
    let v = change(&server, &["dead-letter", &id(1), "--in", "main", "--reason", "poison"]);
    assert_eq!((&v["outcome"], &v["to"]["key"]), (&json!("dead_lettered"), &json!(DLQ)));
    assert_eq!(tail_first(&server, QUEUE), [env(10), env(11)]);
    newest_wrapper(&server, &env(1), "poison");
    assert_eq!(v["pushed"].as_str().unwrap().as_bytes(), server.lrange(DLQ)[0], "it reports what it pushed");

    // Processing: a live lease (or none) means a consumer may hold it.
    let before = snapshot(&server);
    let (_, err) = exits(&mut msg(&server, &["dead-letter", &id(2), "--reason", "stuck", "--yes"]), 1);
    assert!(err.contains("--force") && err.contains("alive"), "{err}");
    assert_eq!(snapshot(&server), before);
    zadd(&server, LEASES, deployer::now_ms() - 1000, &env(2));
    change(&server, &["dead-letter", &id(2), "--in", "processing", "--reason", "stuck"]);
    assert_eq!(tail_first(&server, PROCESSING), [env(20)]);
    assert_eq!(zscore(&server, LEASES, &env(2)), None);
    newest_wrapper(&server, &env(2), "stuck");
    let v = json_out(&mut msg(&server, &["dead-letter", &id(20), "--reason", "taken", "--force", "--yes", "-o", "json"]));
    assert_eq!(v["outcome"], "dead_lettered", "--force takes it from a live consumer");
    assert_eq!((server.llen(PROCESSING), zscore(&server, LEASES, &env(20))), (0, None));

    // Retry: the element inside the tool's member.
    change(&server, &["dead-letter", &id(3), "--in", "retry", "--reason", "give up"]);
    assert_eq!(zrange(&server, RETRY), [member(&env(30))]);
    newest_wrapper(&server, &env(3), "give up");

    // Already a dead letter: refused.
    let (_, err) = exits(&mut msg(&server, &["dead-letter", &id(4), "--reason", "x", "--yes"]), 2);
    assert!(err.contains("already in the DLQ"), "{err}");
    assert_eq!(server.llen(DLQ), 6, "the two seeded and the four dead-lettered");
}

// ---- requeue --------------------------------------------------------------------------------

#[test]
fn requeue_moves_the_exact_element_to_the_consumer_end() {
    let server = RedisServer::start();
    seed(&server);
    let v = change(&server, &["requeue", &id(3), "--in", "retry"]);
    assert_eq!((&v["outcome"], &v["from"]["place"], &v["to"]["key"]), (&json!("requeued"), &json!("retry"), &json!(QUEUE)));
    assert_eq!(tail_first(&server, QUEUE), [env(3), env(10), env(1), env(11)], "the element inside the member, next out");
    assert_eq!(zrange(&server, RETRY), [member(&env(30))]);

    // Processing: refused while the lease is alive or when there is none; --force takes it.
    let (_, err) = exits(&mut msg(&server, &["requeue", &id(2), "--yes"]), 1);
    assert!(err.contains("--force"), "{err}");
    zadd(&server, LEASES, deployer::now_ms() - 1, &env(2));
    change(&server, &["requeue", &id(2), "--in", "processing"]);
    assert_eq!(tail_first(&server, QUEUE)[0], env(2));
    assert_eq!((tail_first(&server, PROCESSING), zscore(&server, LEASES, &env(2))), (vec![env(20)], None));
    server.lpush(PROCESSING, &env(21)); // a platform consumer's: no lease
    let (_, err) = exits(&mut msg(&server, &["requeue", &id(21), "--yes"]), 1);
    assert!(err.contains("none"), "{err}");
    let v = json_out(&mut msg(&server, &["requeue", &id(21), "--force", "--yes", "-o", "json"]));
    assert_eq!((&v["outcome"], &v["lease"]["state"]), (&json!("requeued"), &json!("none")));
    assert_eq!(tail_first(&server, QUEUE)[0], env(21));

    // The DLQ is `dlq replay`'s; main is where it is going already.
    let before = snapshot(&server);
    let (_, err) = exits(&mut msg(&server, &["requeue", &id(4), "--yes"]), 2);
    assert!(err.contains(&format!("dlq replay --id {}", id(4))), "{err}");
    let (_, err) = exits(&mut msg(&server, &["requeue", &id(10), "--yes"]), 2);
    assert!(err.contains("already in main"), "{err}");
    assert_eq!(snapshot(&server), before);
}

// ---- ambiguity ------------------------------------------------------------------------------

#[test]
fn the_same_id_in_two_places_is_listed_and_refused() {
    let server = RedisServer::start();
    seed(&server);
    server.lpush(DLQ, &wrap(&env(1), "an older attempt"));
    let before = snapshot(&server);
    let (out, err) = exits(&mut msg(&server, &["delete", &id(1), "--yes"]), 1);
    assert!(err.contains("2 messages match") && err.contains("--in"), "{err}");
    assert!(out.contains("main") && out.contains(QUEUE) && out.contains(DLQ), "both listed: {out}");
    assert!(out.contains("dead letter: an older attempt"), "{out}");
    let v = json_exit(&mut msg(&server, &["dead-letter", &id(1), "--reason", "x", "--yes", "-o", "json"]), 1);
    let places: Vec<&str> = v["matches"].as_array().unwrap().iter().map(|m| m["place"].as_str().unwrap()).collect();
    assert_eq!(places, ["main", "dlq"]);
    assert_eq!(snapshot(&server), before, "nothing changed");
    assert_eq!(inspect(&server, &[&id(1)])["matches"].as_array().unwrap().len(), 2, "inspect shows both");

    let v = json_out(&mut msg(&server, &["delete", &id(1), "--in", "dlq", "--yes", "-o", "json"]));
    assert_eq!((&v["from"]["place"], &v["from"]["position"]), (&json!("dlq"), &json!(2)));
    assert_eq!(tail_first(&server, QUEUE), [env(10), env(1), env(11)], "main untouched");
}

// ---- mint -----------------------------------------------------------------------------------

fn mint(server: &RedisServer, args: &[&str]) -> assert_cmd::Command {
    let mut c = hq(server);
    c.env("USER", OPERATOR).args(["--queue", MINT, "message"]).args(args);
    c
}

fn key(n: u32) -> String {
    example_request_with(n)["idempotency_key"].as_str().unwrap().to_owned()
}

fn request(n: u32) -> Vec<u8> {
    serde_json::to_vec(&example_request_with(n)).unwrap()
}

/// The deployer's retry member of request `n` after `count` failed attempts.
fn retry_member(n: u32, count: u64) -> Vec<u8> {
    let mut v = example_request_with(n);
    v["_retryCount"] = json!(count);
    js_stringify(&v).into_bytes()
}

fn audit(server: &RedisServer) -> Vec<Value> {
    tail_first(server, MINT_AUDIT).iter().map(|r| serde_json::from_slice(r).unwrap()).collect()
}

#[test]
fn mint_delete_requires_a_reason_and_audits_the_element() {
    let server = RedisServer::start();
    zadd(&server, MINT_RETRY, deployer::now_ms() + HOUR_MS, &retry_member(1, 2));
    server.lpush(MINT_PROCESSING, &request(2));
    let entry = br#"{"originalMessage":{"message_id":"x","idempotency_key":"0xdead"},"error":"boom","reason":"boom","failureClass":"permanent","timestamp":"2026-07-01T09:30:00.000Z","queue":"hokusai:mint_requests"}"#;
    server.lpush(MINT_DLQ, entry);
    let before = snapshot(&server);
    let k1 = key(1);
    for blank in [&[][..], &["--reason", "  "][..]] {
        let (_, err) = exits(&mut mint(&server, &[&["delete", k1.as_str(), "--yes"][..], blank].concat()), 2);
        assert!(err.contains("requires --reason"), "{err}");
    }
    assert_eq!(snapshot(&server), before);

    let v = json_out(&mut mint(&server, &["delete", &key(1), "--reason", "superseded", "--yes", "-o", "json"]));
    assert_eq!((&v["outcome"], &v["from"]["place"], &v["to"]["key"]), (&json!("deleted"), &json!("retry"), &json!(MINT_AUDIT)));
    assert_eq!(zrange(&server, MINT_RETRY), Vec::<Vec<u8>>::new());
    // By message_id too, from processing: refused while the deployer may be minting it (it
    // writes no lease), then with --force.
    let mid = example_request_with(2)["message_id"].as_str().unwrap().to_owned();
    let (_, err) = exits(&mut mint(&server, &["delete", &mid, "--reason", "bad eval", "--yes"]), 1);
    assert!(err.contains("no lease") && err.contains("--force"), "{err}");
    assert_eq!(server.llen(MINT_PROCESSING), 1);
    json_out(&mut mint(&server, &["delete", &mid, "--reason", "bad eval", "--force", "--yes", "-o", "json"]));
    assert_eq!(server.llen(MINT_PROCESSING), 0);
    json_out(&mut mint(&server, &["delete", "0xdead", "--reason", "junk", "--yes", "-o", "json"]));
    assert_eq!(server.llen(MINT_DLQ), 0);

    let records = audit(&server);
    let expect =
        [(key(1), "superseded", retry_member(1, 2)), (key(2), "bad eval", request(2)), ("0xdead".into(), "junk", entry.to_vec())];
    assert_eq!(records.len(), 3);
    for (r, (k, reason, element)) in records.iter().zip(expect) {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["action", "idempotency_key", "operator", "reason", "dlq_entry", "at"], "the official shape");
        assert_eq!((&r["action"], &r["idempotency_key"], &r["operator"]), (&json!("discard"), &json!(k), &json!(OPERATOR)));
        assert_eq!(r["reason"], reason);
        let dlq_entry = r["dlq_entry"].as_str().unwrap().as_bytes();
        if element == entry {
            assert_eq!(dlq_entry, element, "a dead letter's exact bytes");
        } else {
            // A request deleted from retry or processing is recorded in the DLQ entry shape (4.1),
            // the request as its originalMessage, as the official tooling parses dlq_entry.
            let e: Value = serde_json::from_slice(dlq_entry).unwrap();
            let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(keys, ["originalMessage", "error", "reason", "failureClass", "timestamp", "queue"], "{e}");
            assert_eq!(e["originalMessage"], serde_json::from_slice::<Value>(&element).unwrap());
            assert!(e["reason"].as_str().unwrap().ends_with(&format!("by an operator: {reason}")), "{e}");
        }
        assert!(r["at"].as_str().unwrap().ends_with('Z'));
    }
    let again = json_exit(&mut mint(&server, &["delete", &key(1), "--reason", "again", "--yes", "-o", "json"]), 1);
    assert_eq!(again["outcome"], "gone");
    assert_eq!(server.llen(MINT_AUDIT), 3, "nothing audited twice");
}

#[test]
fn mint_dead_letter_writes_the_deployers_shape() {
    let server = RedisServer::start();
    server.lpush(MINT, &request(1));
    server.lpush(MINT_PROCESSING, &request(2));
    zadd(&server, MINT_LEASES, deployer::now_ms() - 1000, &request(2)); // the tool's clock: expired
    json_out(&mut mint(&server, &["dead-letter", &key(1), "--reason", "lineage advanced", "--yes", "-o", "json"]));
    json_out(&mut mint(&server, &["dead-letter", &key(2), "--reason", "stuck mint", "--yes", "-o", "json"]));
    assert_eq!((server.llen(MINT), server.llen(MINT_PROCESSING)), (0, 0));
    assert_eq!(zscore(&server, MINT_LEASES, &request(2)), None);
    let entries = tail_first(&server, MINT_DLQ);
    for (entry, (n, reason)) in entries.iter().zip([(1, "lineage advanced"), (2, "stuck mint")]) {
        let (original, got_reason, class) = deployer::parse_dlq_entry(entry).expect("the official tool parses it");
        assert_eq!((original, got_reason.as_str(), class.as_deref()), (example_request_with(n), reason, Some("permanent")));
        let v: Value = serde_json::from_slice(entry).unwrap();
        assert_eq!((&v["error"], &v["queue"]), (&json!(reason), &json!(MINT)));
    }
    // The tool's own `dlq list` classifies them.
    let listed = json_out(hq(&server).args(["--queue", MINT, "dlq", "list", "-o", "json"]));
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

/// Bytes that are not UTF-8 go into the deployer's DLQ as an entry its tools can read (with
/// replacement characters), never bare, as drain and reap-stale write them.
#[test]
fn mint_dead_letter_of_bytes_that_are_not_utf8_is_an_entry_the_official_tool_reads() {
    let server = RedisServer::start();
    server.lpush(MINT, b"{\"message_id\":\"bad1\",\"model_id\":\"x\xff\"}");
    json_out(&mut mint(&server, &["dead-letter", "bad1", "--reason", "unreadable", "--yes", "-o", "json"]));
    let dlq = server.lrange(MINT_DLQ);
    assert_eq!((dlq.len(), server.llen(MINT)), (1, 0));
    assert!(std::str::from_utf8(&dlq[0]).is_ok(), "an entry is JSON text");
    let (original, reason, class) = deployer::parse_dlq_entry(&dlq[0]).expect("the official tool can parse it");
    assert_eq!(
        (original["message_id"].as_str(), reason.as_str(), class.as_deref()),
        (Some("bad1"), "unreadable", Some("permanent"))
    );
    assert_eq!(original["model_id"], "x\u{fffd}");
}

#[test]
fn mint_requeue_of_a_retry_member_goes_to_the_newest_end_as_the_deployer_promotes() {
    let server = RedisServer::start();
    server.lpush(MINT, &request(1));
    server.lpush(MINT, &request(2));
    let waiting = retry_member(3, 1);
    zadd(&server, MINT_RETRY, deployer::now_ms() + HOUR_MS, &waiting);
    let v = json_out(&mut mint(&server, &["requeue", &key(3), "--dry-run", "-o", "json"]));
    assert_eq!(v["pushed"].as_str().unwrap().as_bytes(), waiting, "the member whole");
    let v = json_out(&mut mint(&server, &["requeue", &key(3), "--yes", "-o", "json"]));
    assert_eq!((&v["outcome"], &v["to"]["key"]), (&json!("requeued"), &json!(MINT)));
    // LPUSH, the newest end: the only push the deployer's inbound list takes (7.2), as its own
    // promotion of a due retry does; it does not jump the requests already waiting.
    assert_eq!(tail_first(&server, MINT), [request(1), request(2), waiting.clone()], "LPUSH: the newest end");
    assert_eq!(zrange(&server, MINT_RETRY), Vec::<Vec<u8>>::new());

    let mut d = Deployer::new(server.client()).with_random(|| 0.0);
    let mut handler = |_: &Value| Outcome::Settled("minted");
    assert_eq!(d.process_one(0.0, &mut handler), Step::Settled { key: key(1), status: "minted".into() });
    assert_eq!(d.process_one(0.0, &mut handler), Step::Settled { key: key(2), status: "minted".into() });
    assert_eq!(d.process_one(0.0, &mut handler), Step::Settled { key: key(3), status: "minted".into() }, "then it");
}

// ---- the script alone -------------------------------------------------------------------------

/// `msg_move.lua` as the tool loads it (the prelude first), run by hand: what a change meets when
/// another client got there between the search and the step.
fn move_script(server: &RedisServer, keys: [&str; 3], args: [&[u8]; 6]) -> redis::RedisResult<redis::Value> {
    let text = [include_str!("../src/queue/scripts/prelude.lua"), include_str!("../src/queue/scripts/msg_move.lua")].concat();
    let mut cmd = redis::cmd("EVAL");
    cmd.arg(text).arg(3).arg(&keys[..]).arg(&args[..]);
    cmd.query(&mut server.client())
}

#[test]
fn the_step_reports_gone_and_held_and_never_half_moves() {
    use redis::Value as R;
    let server = RedisServer::start();
    let status = |v: redis::RedisResult<R>| -> (String, i64) {
        let v: Vec<R> = redis::from_redis_value(v.unwrap()).unwrap();
        (redis::from_redis_value(v[0].clone()).unwrap(), redis::from_redis_value(v[1].clone()).unwrap())
    };
    // Gone: acked by its consumer between the search and the step. Nothing is pushed.
    let r = move_script(&server, [PROCESSING, LEASES, DLQ], [b"dead-letter", b"list", &env(1), b"x", b"1", b"0"]);
    assert_eq!(status(r), ("gone".into(), 0));
    let r = move_script(&server, [RETRY, LEASES, QUEUE], [b"requeue", b"zset", &member(&env(1)), &env(1), b"0", b"0"]);
    assert_eq!(status(r), ("gone".into(), 0));
    assert!(server.keys().is_empty(), "nothing written");

    // Held: a heartbeat renewed the lease meanwhile.
    server.lpush(PROCESSING, &env(2));
    let deadline = deployer::now_ms() + HOUR_MS;
    zadd(&server, LEASES, deadline, &env(2));
    let r = move_script(&server, [PROCESSING, LEASES, QUEUE], [b"requeue", b"list", &env(2), &env(2), b"1", b"1"]);
    assert_eq!(status(r), ("held".into(), deadline));
    assert_eq!((server.llen(PROCESSING), server.llen(QUEUE)), (1, 0));

    // A destination of the wrong type is refused before anything is written.
    server.cmd(&["SET", DLQ, "not a list"]);
    let before = snapshot(&server);
    let err = move_script(&server, [PROCESSING, LEASES, DLQ], [b"dead-letter", b"list", &env(2), b"x", b"1", b"0"]).unwrap_err();
    assert!(err.to_string().contains("WRONGTYPE"), "{err}");
    assert_eq!(snapshot(&server), before, "the source still holds it, its lease too");
}

#[test]
fn the_commands_run_on_a_cluster() {
    let cluster = crate::support::cluster::RedisCluster::start(false);
    let q = "hokusai:{model_ready_queue}";
    let hqc = |args: &[&str]| {
        let mut c = bare();
        c.args(["--cluster", "--connect-retries", "1", "--queue", q]);
        for url in cluster.urls() {
            c.arg("--redis-url").arg(url);
        }
        c.arg("message").args(args);
        c
    };
    let master = cluster.master_for(q);
    master.lpush(q, &env(1));
    master.lpush(q, &env(2));
    let processing = format!("{q}:processing");
    master.cmd(&["RPOPLPUSH", q, &processing]); // env(1), unleased
    let v = json_out(&mut hqc(&["inspect", &id(1), "-o", "json"]));
    assert_eq!((&v["matches"][0]["place"], &v["matches"][0]["lease"]["state"]), (&json!("processing"), &json!("none")));
    json_out(&mut hqc(&["requeue", &id(1), "--force", "--yes", "-o", "json"]));
    json_out(&mut hqc(&["dead-letter", &id(2), "--reason", "x", "--yes", "-o", "json"]));
    let dlq = format!("{q}:dlq");
    assert_eq!((master.lrange(q), master.llen(&processing), master.llen(&dlq)), (vec![env(1)], 0, 1));
    json_out(&mut hqc(&["delete", &id(2), "--yes", "-o", "json"]));
    assert_eq!(master.llen(&dlq), 0);
}
