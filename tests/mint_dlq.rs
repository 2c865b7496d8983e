//! dlq list / inspect / replay / discard / purge on the mint queue, against a real redis-server
//! each: dead letters made by the deployer's own consumer (modelled in `support::deployer`), the
//! official tool's tags, indexes and audit records, the refusals section 7 asks for, the deployer
//! accepting and settling what a replay put back, and two operators replaying the same 200
//! entries at once with each pushed exactly once.

use std::collections::HashSet;
use std::process::Stdio;

use serde_json::{Value, json};

use crate::support::deployer::{self, Deployer, Outcome, Step, accepts, example_request_with, js_stringify, pipeline_request};
use crate::support::*;

const MAIN: &str = "hokusai:mint_requests";
const DLQ: &str = "hokusai:mint_requests:dlq";
const AUDIT: &str = "hokusai:mint_requests:dlq:audit";
const PROCESSED: &str = "hokusai:mint_requests:processed";
const PROCESSING: &str = "hokusai:mint_requests:processing";
const RETRY: &str = "hokusai:mint_requests:retry";
const OPERATOR: &str = "ops-tester";

/// The tool aimed at the mint queue (its profile follows from the name), as operator `ops-tester`.
fn mint(server: &RedisServer) -> assert_cmd::Command {
    let mut c = hq(server);
    c.env("USER", OPERATOR).args(["--queue", MAIN]);
    c
}

fn key(n: u32) -> String {
    example_request_with(n)["idempotency_key"].as_str().unwrap().to_owned()
}

fn message_id(n: u32) -> String {
    example_request_with(n)["message_id"].as_str().unwrap().to_owned()
}

/// What the deployer does with the message on top of its inbound list, with this handler.
fn process(server: &RedisServer, raw: &[u8], outcome: Outcome) -> Step {
    server.lpush(MAIN, raw);
    let mut d = Deployer::new(server.client()).with_random(|| 0.0);
    let mut handler = move |_: &Value| outcome.clone();
    let steps = d.run_until_idle(&mut handler, 10);
    steps.last().cloned().expect("the deployer took the message")
}

fn fail(message: &str, permanent: bool) -> Outcome {
    Outcome::Fail { message: message.into(), permanent }
}

fn raw(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap()
}

/// Six dead letters, made the deployer's way, oldest first (positions 0..5; official indexes
/// #5..#0): a permanent failure, an exhausted transient one (with `_retryCount`), invalid JSON, a
/// schema reject, a signer_not_attester one, an outcome_unknown one. Returns the entries.
fn seed(server: &RedisServer) -> Vec<Vec<u8>> {
    let dead = |s: Step| assert!(matches!(s, Step::DeadLettered { .. }), "{s:?}");
    dead(process(server, &raw(&example_request_with(1)), fail("Model not registered", false)));
    dead(process(server, &raw(&pipeline_request(2)), fail("RPC timeout", false)));
    dead(process(server, br#"{"message_type":"mint_request","#, fail("unused", false)));
    let mut extra = example_request_with(4);
    extra["note"] = "hi".into();
    dead(process(server, &raw(&extra), fail("unused", false)));
    dead(process(server, &raw(&example_request_with(5)), fail("execution reverted: SignerNotAttester(0x3c44)", true)));
    dead(process(
        server,
        &raw(&example_request_with(6)),
        fail("MintRequest transaction outcome unknown after submit: ECONNRESET", true),
    ));
    let entries = oldest_first(server, DLQ);
    assert_eq!(entries.len(), 6);
    entries
}

fn oldest_first(server: &RedisServer, key: &str) -> Vec<Vec<u8>> {
    let mut v = server.lrange(key);
    v.reverse();
    v
}

fn list(server: &RedisServer, args: &[&str]) -> Vec<Value> {
    json_out(mint(server).args(["dlq", "list", "-o", "json"]).args(args)).as_array().expect("an array").clone()
}

fn positions(server: &RedisServer, args: &[&str]) -> Vec<u64> {
    list(server, args).iter().map(|i| i["position"].as_u64().unwrap()).collect()
}

/// Runs a command that must exit with `code`; returns stdout and stderr.
fn exits(cmd: &mut assert_cmd::Command, code: i32) -> (String, String) {
    let out = cmd.output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert_eq!(out.status.code(), Some(code), "stdout: {stdout}\nstderr: {stderr}");
    (stdout, stderr)
}

/// stdout as JSON, whatever the exit code (which must be `code`).
fn json_exit(cmd: &mut assert_cmd::Command, code: i32) -> Value {
    let (stdout, stderr) = exits(cmd, code);
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\nstderr: {stderr}"))
}

fn snapshot(server: &RedisServer) -> Vec<(String, Vec<u8>)> {
    let mut con = server.client();
    server.keys().into_iter().map(|k| (k.clone(), redis::cmd("DUMP").arg(&k).query(&mut con).unwrap())).collect()
}

fn smembers(server: &RedisServer, key: &str) -> HashSet<String> {
    redis::cmd("SMEMBERS").arg(key).query(&mut server.client()).unwrap()
}

/// Each audit record, oldest first, parsed.
fn audit(server: &RedisServer) -> Vec<Value> {
    oldest_first(server, AUDIT).iter().map(|r| serde_json::from_slice(r).unwrap()).collect()
}

/// The 5.4 shape: keys in order, the exact raw entry, the operator, an ISO-ms-Z time.
fn assert_audit(record: &Value, action: &str, key: Option<&str>, reason: &str, entry: &[u8]) {
    let keys: Vec<&str> = record.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["action", "idempotency_key", "operator", "reason", "dlq_entry", "at"], "{record}");
    assert_eq!(record["action"], action);
    assert_eq!(record["idempotency_key"], json!(key));
    assert_eq!(record["operator"], OPERATOR);
    assert_eq!(record["reason"], reason);
    assert_eq!(record["dlq_entry"].as_str().unwrap().as_bytes(), entry, "the exact raw entry");
    let at = record["at"].as_str().unwrap();
    assert!(at.len() == 24 && at.ends_with('Z') && at.as_bytes()[19] == b'.', "{at}");
    let at_ms = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).unwrap();
    let age = time::OffsetDateTime::now_utc() - at_ms;
    assert!(age.whole_seconds().abs() < 120, "audit time {at} is not now");
}

// ---- list ------------------------------------------------------------------------------------

#[test]
fn list_shows_the_official_tags_indexes_and_filters() {
    let server = RedisServer::start();
    let entries = seed(&server);
    // One entry no deployer wrote: unparseable for the official tool.
    server.lpush(DLQ, b"\xffgarbage");

    let items = list(&server, &[]);
    assert_eq!(items.len(), 7);
    let tags: Vec<&str> = items.iter().map(|i| i["failureTag"].as_str().unwrap()).collect();
    assert_eq!(
        tags,
        ["model_inactive", "other", "other", "schema_reject", "signer_not_attester", "outcome_unknown", "schema_reject"]
    );
    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["#6", "#5", "#4", "#3", "#2", "#1", "#0"], "oldest first; #0 is the newest, as the official tool counts");
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["position"], i);
        assert_eq!(item["securitySensitive"], i == 4);
        if i < 6 {
            assert_eq!(item["entry"].as_str().unwrap().as_bytes(), entries[i], "the raw entry");
            assert_eq!(item["parseable"], true);
        }
    }
    let first = &items[0];
    assert_eq!(first["idempotencyKey"], key(1));
    assert_eq!(first["modelId"], "demo-model");
    assert_eq!(first["rewardHint"], "250000", "the official tool's (misnamed) evaluation cost");
    assert_eq!(first["failureClass"], "permanent");
    assert_eq!(first["reason"], "permanent: Model not registered");
    assert_eq!(first["retryCount"], Value::Null);
    assert!(first["ageHours"].as_f64().unwrap() < 0.1, "{first}");
    assert_eq!(first["request"]["idempotency_key"], key(1));
    assert_eq!(first["request"]["deadline_passed"], false);
    let exhausted = &items[1];
    assert_eq!((&exhausted["retryCount"], &exhausted["failureClass"]), (&json!(3), &json!("transient")));
    assert_eq!(exhausted["reason"], "exhausted (retries=3): RPC timeout");
    assert_eq!(exhausted["request"]["_retryCount"], 3);
    assert_eq!(items[2]["reason"], "Invalid JSON");
    assert_eq!(items[2]["request"], Value::Null);
    let garbage = &items[6];
    assert_eq!((&garbage["parseable"], &garbage["idempotencyKey"]), (&json!(false), &Value::Null));
    assert_eq!(garbage["entry"], "\\xffgarbage");
    assert_eq!(garbage["entry_base64"], "/2dhcmJhZ2U=");

    assert_eq!(positions(&server, &["--class", "signer_not_attester"]), [4]);
    assert_eq!(positions(&server, &["--class", "schema_reject", "--class", "outcome_unknown"]), [3, 5, 6]);
    assert_eq!(positions(&server, &["--id", &key(2)]), [1], "--id by idempotency key");
    assert_eq!(positions(&server, &["--id", &message_id(6), "--id", &key(1)]), [0, 5], "--id by message_id");
    assert_eq!(positions(&server, &["--error", "NOT REGISTERED"]), [0]);
    assert_eq!(positions(&server, &["--match", "evaluation.metric_name=accuracy", "--match", "_retryCount=3"]), [1]);
    assert_eq!(positions(&server, &["--class", "other", "--limit", "1"]), [1]);
    assert_eq!(positions(&server, &["--older-than", "1h"]), Vec::<u64>::new());
    assert_eq!(positions(&server, &["--newer-than", "1h"]).len(), 6, "the garbage has no timestamp");
    let lines: Vec<Value> = String::from_utf8(mint(&server).args(["dlq", "list", "-o", "jsonl"]).output().unwrap().stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let without_age = |v: &[Value]| -> Vec<Value> {
        v.iter()
            .map(|i| {
                let mut i = i.clone();
                i.as_object_mut().unwrap().remove("ageHours");
                i
            })
            .collect()
    };
    assert_eq!(without_age(&lines), without_age(&items), "jsonl: the same objects, one a line");

    let (table, _) = exits(mint(&server).args(["dlq", "list"]), 0);
    assert!(table.contains("SECURITY signer_not_attester") && table.contains("#0") && table.contains(&key(1)), "{table}");
    assert!(table.contains("7 shown of 7 entries"), "{table}");

    // --class belongs to the mint profile; --shape to the envelope one.
    let (_, err) = exits(hq(&server).args(["dlq", "list", "--class", "other"]), 2);
    assert!(err.contains("mint profile"), "{err}");
    let (_, err) = exits(mint(&server).args(["dlq", "list", "--shape", "raw"]), 2);
    assert!(err.contains("--class"), "{err}");
}

// ---- inspect ---------------------------------------------------------------------------------

#[test]
fn inspect_shows_the_record_the_processed_flag_and_what_replay_would_do() {
    let server = RedisServer::start();
    let entries = seed(&server);
    let before = snapshot(&server);

    let v = json_out(mint(&server).args(["dlq", "inspect", &key(1), "-o", "json"]));
    assert_eq!((&v["id"], &v["position"], &v["failureTag"]), (&json!("#5"), &json!(0), &json!("model_inactive")));
    assert_eq!(v["entry_raw"].as_str().unwrap().as_bytes(), entries[0]);
    assert_eq!(v["entry"], serde_json::from_slice::<Value>(&entries[0]).unwrap());
    assert_eq!(v["record_key"], format!("hokusai:mint_record:{}", key(1)));
    assert_eq!(v["record"]["status"], "error", "the deployer's record: {v}");
    assert_eq!(v["record"]["failure_class"], "permanent");
    assert_eq!(v["record"]["error"], "permanent: Model not registered");
    assert_eq!((&v["processed"], &v["deadline"], &v["deadline_passed"]), (&json!(false), &json!(4102444800u64), &json!(false)));
    assert_eq!((&v["valid"], &v["problem"]), (&json!(true), &Value::Null));
    assert_eq!(v["replay"]["allowed"], true);
    let payload = v["replay"]["payload"].as_str().unwrap();
    assert_eq!(accepts(payload.as_bytes()).unwrap(), example_request_with(1));

    // Settled meanwhile: a replay is refused unless --force.
    server.cmd(&["SADD", PROCESSED, &key(1)]);
    let v = json_out(mint(&server).args(["dlq", "inspect", &format!("#{}", 5), "-o", "json"]));
    assert_eq!(v["processed"], true);
    assert_eq!((&v["replay"]["allowed"], &v["replay"]["refused"]), (&json!(false), &json!("processed")));
    assert_eq!(v["replay"]["allowed_with"], json!(["--force"]));
    server.cmd(&["SREM", PROCESSED, &key(1)]);

    let v = json_out(mint(&server).args(["dlq", "inspect", "0", "-o", "json"]));
    assert_eq!((&v["failureTag"], &v["replay"]["refused"]), (&json!("outcome_unknown"), &json!("outcome_unknown")));
    assert_eq!(v["replay"]["allowed_with"], json!(["--confirm-not-minted"]));
    let v = json_out(mint(&server).args(["dlq", "inspect", &message_id(5), "-o", "json"]));
    assert_eq!(
        (&v["id"], &v["securitySensitive"], &v["replay"]["refused"]),
        (&json!("#1"), &json!(true), &json!("signer_not_attester"))
    );
    assert_eq!(v["replay"]["allowed_with"], Value::Null, "no flag replays a security event");
    let v = json_out(mint(&server).args(["dlq", "inspect", "#3", "-o", "json"]));
    assert_eq!((&v["reason"], &v["request"], &v["record"]), (&json!("Invalid JSON"), &Value::Null, &Value::Null));
    assert_eq!(v["replay"]["refused"], "not_an_object");
    let v = json_out(mint(&server).args(["dlq", "inspect", "#2", "-o", "json"]));
    assert_eq!(
        (&v["valid"], &v["problem"], &v["replay"]["refused"]),
        (&json!(false), &json!("\"note\" is not allowed"), &json!("schema"))
    );
    assert_eq!(v["record"], Value::Null, "no record for a schema reject");

    let (text, _) = exits(mint(&server).args(["dlq", "inspect", "#1"]), 0);
    assert!(text.starts_with("SECURITY signer_not_attester"), "{text}");
    let (text, _) = exits(mint(&server).args(["dlq", "inspect", &key(2)]), 0);
    assert!(text.contains("entry #4") && text.contains("exhausted (retries=3): RPC timeout"), "{text}");
    assert!(text.contains("hokusai:mint_record:") && text.contains("allowed"), "{text}");

    let (_, err) = exits(mint(&server).args(["dlq", "inspect", "#6"]), 1);
    assert!(err.contains("no entry #6") && err.contains("6 entries"), "{err}");
    let (_, err) = exits(mint(&server).args(["dlq", "inspect", &key(9)]), 1);
    assert!(err.contains("no entry"), "{err}");
    assert_eq!(snapshot(&server), before, "inspect wrote something");

    // The same key dead-lettered twice: listed, exit 1, asking for an index.
    process(&server, &raw(&example_request_with(1)), fail("Model is deactivated", false));
    let (out, err) = exits(mint(&server).args(["dlq", "inspect", &key(1)]), 1);
    assert!(err.contains("2 entries") && err.contains("#0, #6") && err.contains("index"), "{err}");
    assert!(out.contains("#0") && out.contains("#6") && out.contains("Model is deactivated"), "{out}");

    // Other profiles refuse it.
    let (_, err) = exits(hq(&server).args(["dlq", "inspect", "#0"]), 2);
    assert!(err.contains("mint profile"), "{err}");
}

// ---- replay ----------------------------------------------------------------------------------

#[test]
fn replay_puts_the_exhausted_request_back_and_the_deployer_settles_it() {
    let server = RedisServer::start();
    let entries = seed(&server);
    let exhausted = entries[1].clone();
    assert!(String::from_utf8_lossy(&exhausted).contains(r#""_retryCount":3}"#), "the deployer's retry member");

    let v = json_out(mint(&server).args(["dlq", "replay", "--id", &key(2), "--dry-run", "-o", "json"]));
    assert_eq!((&v["replayed"], &v["dry_run"], &v["entries"][0]["outcome"]), (&json!(1), &json!(true), &json!("would_replay")));
    assert_eq!((server.llen(MAIN), server.llen(DLQ), server.llen(AUDIT)), (0, 6, 0), "a dry run changes nothing");

    let v = json_out(mint(&server).args(["dlq", "replay", "--id", &key(2), "--yes", "-o", "json"]));
    assert_eq!((&v["matched"], &v["replayed"], &v["refused"], &v["gone"]), (&json!(1), &json!(1), &json!(0), &json!(0)), "{v}");
    assert_eq!(
        v["entries"][0],
        json!({"index": 4, "position": 1, "idempotency_key": key(2), "message_id": message_id(2),
        "failure_tag": "other", "outcome": "replayed"})
    );

    // On the inbound list: the request as the validator converts it, without _retryCount.
    let main = server.lrange(MAIN);
    assert_eq!(main.len(), 1);
    let expected = js_stringify(&accepts(&raw(&pipeline_request(2))).unwrap());
    assert_eq!(String::from_utf8(main[0].clone()).unwrap(), expected);
    assert!(!expected.contains("_retryCount") && expected.contains(r#""timestamp":"2026-07-01T09:30:00.123Z""#));
    // Out of the DLQ, exactly that entry; audited with the exact raw entry.
    let mut rest = entries.clone();
    rest.remove(1);
    assert_eq!(oldest_first(&server, DLQ), rest);
    let records = audit(&server);
    assert_eq!(records.len(), 1);
    assert_audit(&records[0], "replay", Some(&key(2)), "exhausted (retries=3): RPC timeout", &exhausted);
    assert_eq!(
        deployer::parse_dlq_entry(records[0]["dlq_entry"].as_str().unwrap().as_bytes()).unwrap().1,
        "exhausted (retries=3): RPC timeout"
    );
    assert_eq!((server.llen(PROCESSING), server.llen(RETRY)), (0, 0));
    assert!(smembers(&server, PROCESSED).is_empty(), "replay never touches the processed set");

    // The deployer takes it with a full retry budget and settles it.
    let mut d = Deployer::new(server.client());
    let steps = d.run_until_idle(&mut |_| Outcome::Settled("minted"), 10);
    assert_eq!(steps, [Step::Settled { key: key(2), status: "minted".into() }]);
    assert_eq!(smembers(&server, PROCESSED), HashSet::from([key(2)]));
    assert_eq!((server.llen(MAIN), server.llen(PROCESSING), server.llen("hokusai:mint_request_settlements")), (0, 0, 1));

    // Gone from the DLQ: a second replay finds nothing, and an --id that matches nothing is a
    // failure (exit 1), as the official tool's: a typo never looks like a replay.
    let v = json_exit(mint(&server).args(["dlq", "replay", "--id", &key(2), "--yes", "-o", "json"]), 1);
    assert_eq!((&v["matched"], &v["replayed"]), (&json!(0), &json!(0)));
    assert_eq!(server.llen(MAIN), 0);
    let (_, err) = exits(mint(&server).args(["dlq", "discard", "--id", "0xnope", "--reason", "typo", "--yes"]), 1);
    assert!(err.contains("no entry of hokusai:mint_requests:dlq matches --id 0xnope") && err.lines().count() == 1, "{err}");
    assert_eq!(audit(&server).len(), 1, "nothing audited");
}

/// Two dead letters of one request (one idempotency key): one run puts one back, never both
/// (the second mint would revert on-chain and land in the DLQ again); --max-replays, a count the
/// deployer's DLQ does not keep, is refused rather than ignored.
#[test]
fn one_replay_run_puts_back_one_request_per_key() {
    let server = RedisServer::start();
    let entries = seed(&server);
    let mut twin: Value = serde_json::from_slice(&entries[1]).unwrap();
    twin["originalMessage"]["message_id"] = json!("dup-2");
    server.lpush(DLQ, &raw(&twin));
    let before = snapshot(&server);
    let (_, err) = exits(mint(&server).args(["dlq", "replay", "--id", &key(2), "--max-replays", "5", "--yes"]), 2);
    assert!(err.contains("--max-replays is not for the mint profile") && err.lines().count() == 1, "{err}");
    assert_eq!(snapshot(&server), before, "a refused flag changes nothing");

    let v = json_exit(mint(&server).args(["dlq", "replay", "--id", &key(2), "--yes", "-o", "json"]), 0);
    assert_eq!((&v["matched"], &v["replayed"], &v["refused"]), (&json!(2), &json!(1), &json!(1)), "{v}");
    assert!(v.to_string().contains("duplicate_key"), "{v}");
    assert_eq!(server.llen(MAIN), 1, "one request for the key");
    assert_eq!(server.llen(DLQ), 6, "the other dead letter stays");
    assert_eq!(audit(&server).len(), 1);
}

/// A dead letter whose request is already waiting or in flight (a replay run before that one
/// settled, or the producer published it again) is not put back a second time: the second mint
/// would revert on-chain. --force does it anyway.
#[test]
fn replay_refuses_a_key_already_queued_or_in_flight() {
    let server = RedisServer::start();
    let entries = seed(&server);
    // The exhausted request (key 2) waits on the inbound list again, as a first replay left it.
    server.lpush(MAIN, &raw(&pipeline_request(2)));
    let before = snapshot(&server);
    let v = json_exit(mint(&server).args(["dlq", "replay", "--id", &key(2), "--yes", "-o", "json"]), 1);
    assert_eq!((&v["replayed"], &v["refused"]), (&json!(0), &json!(1)), "{v}");
    assert!(v.to_string().contains("queued"), "{v}");
    assert_eq!(snapshot(&server), before, "nothing changed");
    // In flight (processing) or waiting as a retry: the same.
    server.cmd(&["DEL", MAIN]);
    server.lpush(PROCESSING, &raw(&pipeline_request(2)));
    json_exit(mint(&server).args(["dlq", "replay", "--id", &key(2), "--yes", "-o", "json"]), 1);
    server.cmd(&["DEL", PROCESSING]);
    let mut member = pipeline_request(2);
    member["_retryCount"] = json!(1);
    server.cmd(&["ZADD", RETRY, "99999999999999", std::str::from_utf8(&raw(&member)).unwrap()]);
    json_exit(mint(&server).args(["dlq", "replay", "--id", &key(2), "--yes", "-o", "json"]), 1);
    assert_eq!(oldest_first(&server, DLQ), entries, "the DLQ untouched");
    let v = json_out(mint(&server).args(["dlq", "replay", "--id", &key(2), "--force", "--yes", "-o", "json"]));
    assert_eq!(v["replayed"], 1, "{v}");
    assert_eq!(server.llen(MAIN), 1);
}

#[test]
fn replay_refuses_what_section_7_says_to_refuse() {
    let server = RedisServer::start();
    let entries = seed(&server);
    // A request whose signatures expired (deadline in 2020), dead-lettered as permanent.
    let mut expired = example_request_with(7);
    expired["deadline"] = json!(1_600_000_000u64);
    process(&server, &raw(&expired), fail("Model is deactivated", false));
    // Request 1 settled meanwhile (the processed set has its key).
    server.cmd(&["SADD", PROCESSED, &key(1)]);

    // Flags of the envelope profile mean nothing here.
    for flags in [&["--to", "hokusai:elsewhere"][..], &["--keep-retry-count"], &["--include-raw"]] {
        let (_, err) = exits(mint(&server).args(["dlq", "replay", "--yes"]).args(flags), 2);
        assert!(err.contains("not for the mint profile"), "{err}");
    }

    let before = snapshot(&server);
    let v = json_out(mint(&server).args(["dlq", "replay", "--dry-run", "-o", "json"]));
    assert_eq!((&v["matched"], &v["replayed"], &v["refused"]), (&json!(7), &json!(1), &json!(6)), "{v}");
    assert_eq!(snapshot(&server), before, "a dry run changes nothing");

    let v = json_out(mint(&server).args(["dlq", "replay", "--yes", "-o", "json"]));
    assert_eq!((&v["matched"], &v["replayed"], &v["refused"], &v["gone"]), (&json!(7), &json!(1), &json!(6), &json!(0)), "{v}");
    assert_eq!(
        v["refusals"],
        json!({"processed": 1, "not_an_object": 1, "schema": 1, "signer_not_attester": 1, "outcome_unknown": 1, "deadline_passed": 1})
    );
    let outcome = |v: &Value, pos: u64| -> (String, String) {
        let e = v["entries"].as_array().unwrap().iter().find(|e| e["position"] == pos).unwrap_or_else(|| panic!("{pos}: {v}"));
        (e["outcome"].as_str().unwrap().to_owned(), e["refused"].as_str().unwrap_or("").to_owned())
    };
    assert_eq!(outcome(&v, 0), ("refused".into(), "processed".into()));
    assert_eq!(outcome(&v, 1), ("replayed".into(), String::new()));
    assert_eq!(outcome(&v, 2), ("refused".into(), "not_an_object".into()));
    assert_eq!(outcome(&v, 3), ("refused".into(), "schema".into()));
    assert_eq!(outcome(&v, 4), ("refused".into(), "signer_not_attester".into()));
    assert_eq!(outcome(&v, 5), ("refused".into(), "outcome_unknown".into()));
    assert_eq!(outcome(&v, 6), ("refused".into(), "deadline_passed".into()));
    let why = v["entries"].as_array().unwrap().iter().find(|e| e["refused"] == "schema").unwrap()["why"].as_str().unwrap();
    assert_eq!(why, "Schema validation failed: \"note\" is not allowed");
    assert_eq!(server.llen(MAIN), 1);
    assert_eq!(server.llen(DLQ), 6);

    // --force: the processed key and the passed deadline go; the security event and the unknown
    // outcome stay.
    let v = json_out(mint(&server).args(["dlq", "replay", "--yes", "--force", "-o", "json"]));
    assert_eq!((&v["replayed"], &v["refused"]), (&json!(2), &json!(4)), "{v}");
    assert_eq!(v["refusals"], json!({"not_an_object": 1, "schema": 1, "signer_not_attester": 1, "outcome_unknown": 1}));
    // --confirm-not-minted: the unknown outcome goes too; the security event never.
    let v = json_out(mint(&server).args(["dlq", "replay", "--yes", "--force", "--confirm-not-minted", "-o", "json"]));
    assert_eq!((&v["replayed"], &v["refusals"]["signer_not_attester"]), (&json!(1), &json!(1)), "{v}");
    // Only refusals left: exit 1, nothing written.
    let before = snapshot(&server);
    let v = json_exit(mint(&server).args(["dlq", "replay", "--yes", "--force", "--confirm-not-minted", "-o", "json"]), 1);
    assert_eq!((&v["replayed"], &v["refused"]), (&json!(0), &json!(3)), "{v}");
    let (text, err) = exits(mint(&server).args(["dlq", "replay", "--yes", "--force", "--confirm-not-minted"]), 1);
    assert!(text.contains("refused 1: signer_not_attester (security events: never replayed)"), "{text}");
    assert!(err.contains("every matching entry was refused"), "{err}");
    assert_eq!(snapshot(&server), before);

    assert_eq!(
        oldest_first(&server, DLQ),
        [entries[2].clone(), entries[3].clone(), entries[4].clone()],
        "left: invalid JSON, schema reject, signer_not_attester"
    );
    let replayed: HashSet<String> =
        server.lrange(MAIN).iter().map(|m| accepts(m).unwrap()["idempotency_key"].as_str().unwrap().to_owned()).collect();
    assert_eq!(replayed, HashSet::from([key(1), key(2), key(6), key(7)]));
    let audited: Vec<Value> = audit(&server);
    assert_eq!(audited.len(), 4);
    assert!(audited.iter().all(|r| r["action"] == "replay"));
    assert_eq!(smembers(&server, PROCESSED), HashSet::from([key(1)]), "the processed set is never written");
    assert_eq!((server.llen(PROCESSING), server.llen(RETRY)), (0, 0));
}

#[test]
fn concurrent_replays_push_each_entry_exactly_once() {
    let server = RedisServer::start();
    let n = 200;
    for i in 0..n {
        server.lpush(MAIN, &raw(&example_request_with(1000 + i)));
    }
    let mut d = Deployer::new(server.client());
    let steps = d.run_until_idle(&mut |_| Outcome::Fail { message: "Model not registered".into(), permanent: false }, 1000);
    assert_eq!(steps.len(), n as usize);
    assert_eq!(server.llen(DLQ), u64::from(n));

    let spawn = || {
        hq_process(&server)
            .env("USER", OPERATOR)
            // Small batches, paced over ~0.4 s, so the two runs overlap.
            .args(["--queue", MAIN, "dlq", "replay", "--yes", "-o", "json", "--batch-size", "3", "--rate", "500"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
    let mut replayed = 0;
    for out in &outs {
        assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        replayed += v["replayed"].as_u64().unwrap();
        // Every entry a run matched was replayed by it or found gone (the other run got it).
        assert_eq!(v["replayed"].as_u64().unwrap() + v["gone"].as_u64().unwrap(), v["matched"].as_u64().unwrap(), "{v}");
        assert_eq!(v["refused"], 0);
    }
    assert_eq!(replayed, u64::from(n), "{outs:?}");
    assert_eq!((server.llen(DLQ), server.llen(MAIN), server.llen(AUDIT)), (0, u64::from(n), u64::from(n)));
    let pushed: HashSet<String> =
        server.lrange(MAIN).iter().map(|m| accepts(m).unwrap()["idempotency_key"].as_str().unwrap().to_owned()).collect();
    assert_eq!(pushed, (1000..1000 + n).map(key).collect::<HashSet<_>>(), "each request once");
    let audited: HashSet<String> = audit(&server).iter().map(|r| r["idempotency_key"].as_str().unwrap().to_owned()).collect();
    assert_eq!(audited.len(), n as usize, "one audit record per request");
}

// ---- discard and purge -----------------------------------------------------------------------

#[test]
fn discard_requires_a_reason_and_audits_what_it_removes() {
    let server = RedisServer::start();
    let entries = seed(&server);
    let before = snapshot(&server);
    let (_, err) = exits(mint(&server).args(["dlq", "discard", "--yes"]), 2);
    assert!(err.contains("discard requires --reason"), "{err}");
    let (_, err) = exits(mint(&server).args(["dlq", "discard", "--yes", "--reason", "  "]), 2);
    assert!(err.contains("discard requires --reason"), "{err}");
    let (_, err) = exits(mint(&server).args(["dlq", "discard", "--reason", "x"]), 2);
    assert!(err.contains("--yes"), "not on a terminal: {err}");
    let v =
        json_out(mint(&server).args(["dlq", "discard", "--reason", "x", "--class", "schema_reject", "--dry-run", "-o", "json"]));
    assert_eq!((&v["discarded"], &v["dry_run"]), (&json!(1), &json!(true)));
    assert_eq!(snapshot(&server), before, "refusals and dry runs change nothing");

    let v = json_out(mint(&server).args([
        "dlq",
        "discard",
        "--class",
        "schema_reject",
        "--reason",
        "bad producer build",
        "--yes",
        "-o",
        "json",
    ]));
    assert_eq!((&v["matched"], &v["discarded"], &v["gone"]), (&json!(1), &json!(1), &json!(0)), "{v}");
    let v =
        json_out(mint(&server).args(["dlq", "discard", "--error", "invalid json", "--reason", "garbage", "--yes", "-o", "json"]));
    assert_eq!(v["discarded"], 1, "{v}");
    assert_eq!(oldest_first(&server, DLQ), [entries[0].clone(), entries[1].clone(), entries[4].clone(), entries[5].clone()]);
    let records = audit(&server);
    assert_eq!(records.len(), 2);
    assert_audit(&records[0], "discard", Some(&key(4)), "bad producer build", &entries[3]);
    assert_audit(&records[1], "discard", None, "garbage", &entries[2]);

    // A selection that is gone already: nothing audited twice.
    let v =
        json_out(mint(&server).args(["dlq", "discard", "--class", "schema_reject", "--reason", "again", "--yes", "-o", "json"]));
    assert_eq!((&v["matched"], &v["discarded"]), (&json!(0), &json!(0)));
    assert_eq!(server.llen(AUDIT), 2);

    // The envelope profile has no discard.
    let (_, err) = exits(hq(&server).args(["dlq", "discard", "--reason", "x", "--yes"]), 2);
    assert!(err.contains("mint profile"), "{err}");
}

#[test]
fn purge_requires_a_reason_exports_exact_bytes_and_audits_every_entry() {
    let server = RedisServer::start();
    let entries = seed(&server);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mint-dlq.jsonl");

    let (_, err) = exits(mint(&server).args(["dlq", "purge", "--yes", "--export"]).arg(&file), 2);
    assert!(err.contains("purge requires --reason"), "{err}");
    assert!(!file.exists());

    let v = json_out(
        mint(&server).args(["dlq", "purge", "--yes", "--reason", "archived: Q3 cleanup", "-o", "json", "--export"]).arg(&file),
    );
    assert_eq!((&v["matched"], &v["deleted"], &v["exported"], &v["gone"]), (&json!(6), &json!(6), &json!(6), &json!(0)), "{v}");
    assert_eq!(server.llen(DLQ), 0);
    let records = audit(&server);
    assert_eq!(records.len(), 6);
    for (r, e) in records.iter().zip(&entries) {
        let key = serde_json::from_slice::<Value>(e)
            .ok()
            .and_then(|v| v["originalMessage"]["idempotency_key"].as_str().map(str::to_owned));
        assert_audit(r, "discard", key.as_deref(), "archived: Q3 cleanup", e);
    }

    // The export: the purge format, every entry's exact text, oldest first.
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines[0]["hokusai_dlq_export"], 1);
    assert_eq!(lines[0]["export_id"], v["export_id"]);
    assert_eq!(lines[0]["dlq"], DLQ);
    assert_eq!(lines.len(), 7);
    for (i, (line, e)) in lines[1..].iter().zip(&entries).enumerate() {
        assert_eq!(line["n"], i + 1);
        assert_eq!(line["entry"].as_str().unwrap().as_bytes(), e, "byte for byte");
    }
    // And `dlq import` puts them back as they were.
    json_out(mint(&server).args(["dlq", "import", "--yes", "-o", "json"]).arg(&file));
    assert_eq!(oldest_first(&server, DLQ), entries);

    // The envelope profile has no audit: --reason there is refused, not ignored.
    let (_, err) = exits(hq(&server).args(["dlq", "purge", "--yes", "--reason", "x"]), 2);
    assert!(err.contains("mint profile"), "{err}");
}

/// A mint discard that stopped at --limit says how many more match, not "2 of 2 matching".
#[test]
fn a_limited_mint_discard_says_how_many_more_match() {
    let server = RedisServer::start();
    seed(&server);
    let out = mint(&server).args(["dlq", "discard", "--dry-run", "--limit", "2", "--reason", "test"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        text.contains(&format!(
            "would discard 2 of 6 matching entries from {DLQ} (each with an audit record in {AUDIT}) (--limit 2)"
        )),
        "{text}"
    );
    let v = json_exit(mint(&server).args(["dlq", "discard", "--yes", "--limit", "2", "--reason", "test", "-o", "json"]), 0);
    assert_eq!((v["limit_reached"].as_bool(), v["more_matching"].as_u64()), (Some(true), Some(4)), "{v}");
    assert_eq!(server.llen(DLQ), 4);
}
