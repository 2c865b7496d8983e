//! The contract deployer's mint-request consumer, modelled in `support::deployer`, checked
//! against the wire-format document: its validator (Joi texts, conversion), and its Redis
//! discipline (ack, retry zset, promotion, DLQ entries, records) against a real redis-server.

use serde_json::{Value, json};

use crate::support::RedisServer;
use crate::support::deployer::*;

fn raw(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap()
}

fn rejected(v: &Value) -> String {
    accepts(&raw(v)).expect_err("the deployer rejects it")
}

/// A handler that always throws `message`.
fn failing(message: &str, permanent: bool) -> impl FnMut(&Value) -> Outcome + use<> {
    let message = message.to_owned();
    move |_| Outcome::Fail { message: message.clone(), permanent }
}

fn dead(reason: &str, class: &str) -> Step {
    Step::DeadLettered { reason: reason.into(), failure_class: class.into() }
}

fn server_and_deployer() -> (RedisServer, Deployer) {
    let server = RedisServer::start();
    let deployer = Deployer::new(server.client());
    (server, deployer)
}

fn ttl(server: &RedisServer, key: &str) -> i64 {
    redis::cmd("TTL").arg(key).query(&mut server.client()).unwrap()
}

fn get_json(server: &RedisServer, key: &str) -> Value {
    let s: String = redis::cmd("GET").arg(key).query(&mut server.client()).unwrap();
    serde_json::from_str(&s).unwrap()
}

fn retry_members(server: &RedisServer, keys: &Keys) -> Vec<(String, i64)> {
    redis::cmd("ZRANGE").arg(&keys.retry).arg(0).arg(-1).arg("WITHSCORES").query(&mut server.client()).unwrap()
}

// ---- the validator (2.2) ----------------------------------------------------------------------

#[test]
fn validator_accepts_the_examples_and_rejects_with_joi_texts() {
    // The section 2.5 example passes unchanged.
    let example = example_request();
    assert_eq!(accepts(&raw(&example)).unwrap(), example);
    assert_eq!(accepts(&js_stringify(&example).into_bytes()).unwrap(), example);
    for n in [0, 1, 7, u32::MAX] {
        let v = example_request_with(n);
        assert_eq!(accepts(&raw(&v)).unwrap(), v, "example_request_with({n})");
        assert_ne!(v["idempotency_key"], example["idempotency_key"]);
    }
    assert_ne!(example_request_with(1)["idempotency_key"], example_request_with(2)["idempotency_key"]);
    assert_ne!(example_request_with(1)["attestation_hash"], example_request_with(2)["attestation_hash"]);
    assert_ne!(example_request_with(1)["message_id"], example_request_with(2)["message_id"]);

    // A pipeline message (null optionals, provenance keys, Python timestamp) passes; only the
    // timestamp is rewritten, in place.
    let published = pipeline_request(3);
    assert_eq!(published["evaluation"]["statistical_reason"], Value::Null);
    assert_eq!(published["contributors"][0]["recipientKind"], "wallet");
    let validated = accepts(&raw(&published)).unwrap();
    assert_eq!(validated["timestamp"], "2026-07-01T09:30:00.123Z");
    let mut expected = published.clone();
    expected["timestamp"] = "2026-07-01T09:30:00.123Z".into();
    assert_eq!(validated, expected);
    let keys: Vec<&String> = validated.as_object().unwrap().keys().collect();
    let published_keys: Vec<&String> = published.as_object().unwrap().keys().collect();
    assert_eq!(keys, published_keys, "the validated value keeps the input's key order");

    // An extra key anywhere.
    let mut v = example_request();
    v["note"] = "hi".into();
    assert_eq!(rejected(&v), r#""note" is not allowed"#);
    let mut v = example_request();
    v["evaluation"]["_replayedBy"] = "ops".into();
    v["contributors"][0]["extra"] = 1.into();
    assert_eq!(rejected(&v), r#""evaluation._replayedBy" is not allowed. "contributors[0].extra" is not allowed"#);

    // Empty statistical_method (allowed by the producer, refused by the consumer).
    let mut v = pipeline_request(1);
    v["evaluation"]["statistical_method"] = "".into();
    assert_eq!(rejected(&v), r#""evaluation.statistical_method" is not allowed to be empty"#);

    // Weights summing to 9999.
    let mut v = example_request();
    v["contributors"][0]["weight_bps"] = 9999.into();
    assert_eq!(rejected(&v), r#""contributors" contains an invalid value"#);

    // No signature (the producer's dev mode).
    let mut v = example_request();
    v["attester_signatures"] = json!([]);
    assert_eq!(rejected(&v), r#""attester_signatures" must contain at least 1 items"#);

    // Several errors at once, in schema order, joined with ". ".
    let mut v = example_request();
    v["message_type"] = 5.into();
    v["schema_version"] = 1.0.into();
    v["dataset_hash"] = "0xAB".into();
    v["attester_signatures"] = json!(vec!["0x00"; 9]);
    v["totalSamples"] = (-1.5).into();
    v.as_object_mut().unwrap().remove("deadline");
    v["evaluation"]["p_value"] = 1.5.into();
    v["contributors"][0]["recipientKind"] = "bank".into();
    v["zzz"] = Value::Null;
    let sig = "/^0x[0-9a-fA-F]{130}$/";
    let mut expected = vec![
        r#""message_type" must be [mint_request]"#.to_owned(),
        r#""message_type" must be a string"#.into(),
        r#""schema_version" must be [1.0]"#.into(),
        r#""schema_version" must be a string"#.into(),
        r#""dataset_hash" with value "0xAB" fails to match the required pattern: /^0x[0-9a-f]{64}$/"#.into(),
    ];
    for i in 0..9 {
        let fails = format!("with value \"0x00\" fails to match the required pattern: {sig}");
        expected.push(format!("\"attester_signatures[{i}]\" {fails}"));
    }
    expected.extend([
        r#""attester_signatures" must contain less than or equal to 8 items"#.into(),
        r#""totalSamples" must be an integer"#.into(),
        r#""totalSamples" must be greater than or equal to 1"#.into(),
        r#""deadline" is required"#.into(),
        r#""evaluation.p_value" must be less than or equal to 1"#.into(),
        r#""contributors[0].recipientKind" must be one of [wallet, escrow, null]"#.into(),
        r#""zzz" is not allowed"#.into(),
    ]);
    assert_eq!(rejected(&v), expected.join(". "));

    // Unsafe integers, strings where numbers go, numbers where strings go.
    let mut v = example_request();
    v["evaluation"]["max_cost_usd_micro"] = 9_007_199_254_740_993u64.into();
    v["deadline"] = "12345678901234567890".into();
    v["model_id"] = 7.into();
    v["eval_id"] = "".into();
    v["model_id_uint"] = "042".into();
    let expected = [
        r#""model_id" must be a string"#,
        r#""model_id_uint" with value "042" fails to match the required pattern: /^[1-9]\d*$/"#,
        r#""eval_id" is not allowed to be empty"#,
        r#""deadline" must be a safe number"#,
        r#""evaluation.max_cost_usd_micro" must be a safe number"#,
    ];
    assert_eq!(rejected(&v), expected.join(". "));

    // The cross-field rules (only reached when every field is valid).
    let mut v = example_request();
    v["evaluation"]["sample_size_candidate"] = 150.into();
    assert_eq!(rejected(&v), r#""totalSamples" (200) does not match evaluation.sample_size_candidate (150)"#);
    let mut v = example_request();
    v["evaluation"]["sample_size_candidate"] = 0.into();
    assert!(rejected(&v).contains(SAMPLE_SIZE_RULE));
    v["evaluation"]["sample_size_baseline"] = 10.into();
    assert!(accepts(&raw(&v)).is_ok(), "a positive baseline size is enough when the candidate size is 0");

    // Not JSON, not an object.
    assert_eq!(accepts(b"{not json").unwrap_err(), "Invalid JSON");
    assert_eq!(accepts(b"[]").unwrap_err(), r#""value" must be of type object"#);
    assert_eq!(accepts(b"null").unwrap_err(), r#""value" must be of type object"#);
}

#[test]
fn validator_converts_like_joi() {
    // Numeric strings become numbers; the timestamp becomes toISOString(); order is kept.
    let mut v = example_request();
    v["timestamp"] = "2026-05-05T12:00:00.000000+00:00".into();
    v["totalSamples"] = "200".into();
    v["evaluation"]["p_value"] = "0.03".into();
    v["evaluation"]["effect_size_bps"] = " 12 ".into();
    v["_retryCount"] = "2".into();
    let out = accepts(&raw(&v)).unwrap();
    assert_eq!(out["timestamp"], "2026-05-05T12:00:00.000Z");
    assert_eq!(out["totalSamples"], json!(200));
    assert_eq!(out["evaluation"]["p_value"], json!(0.03));
    assert_eq!(out["evaluation"]["effect_size_bps"], json!(12));
    assert_eq!(out["_retryCount"], json!(2));
    assert!(js_stringify(&out).ends_with(r#"}],"_retryCount":2}"#));

    for (input, iso) in [
        ("2026-05-05", Some("2026-05-05T00:00:00.000Z")),
        ("2026-05-05T12:00:00", Some("2026-05-05T12:00:00.000Z")),
        ("2026-05-05T12:00:00.123456789Z", Some("2026-05-05T12:00:00.123Z")),
        ("2026-05-05T12:00:00-05:30", Some("2026-05-05T17:30:00.000Z")),
        ("2026-05-05T12:00:00+01", Some("2026-05-05T11:00:00.000Z")),
        ("2026-05-05 12:00Z", Some("2026-05-05T12:00:00.000Z")),
        ("2026-02-30", Some("2026-03-02T00:00:00.000Z")),
        ("2026-05-05T24:00Z", Some("2026-05-06T00:00:00.000Z")),
        ("+010000-01-01", Some("+010000-01-01T00:00:00.000Z")),
        ("2026-05-05T12Z", None),
        ("20260505T120000Z", None),
        ("2026-W01", None),
        ("2026-05-05T12:00:00,5Z", None),
        ("2026-13-01", None),
        ("yesterday", None),
    ] {
        assert_eq!(iso_date(input).as_deref(), iso, "{input}");
    }
    let mut v = example_request();
    v["timestamp"] = "2026-05-05T12Z".into();
    assert_eq!(rejected(&v), r#""timestamp" must be in iso format"#);

    // JSON.stringify numbers and JavaScript property order.
    assert_eq!(js_number(1e21), "1e+21");
    assert_eq!(js_number(1e-7), "1e-7");
    assert_eq!(js_number(0.000001), "0.000001");
    assert_eq!(js_number(123456789012345680000.0), "123456789012345680000");
    assert_eq!(
        js_stringify(&serde_json::from_str(r#"{"b":1.0,"10":2,"a":[1e2,-0.0],"2":"\u0001"}"#).unwrap()),
        r#"{"2":"\u0001","10":2,"b":1,"a":[100,0]}"#
    );
}

#[test]
fn backoff_matches_the_pinned_values() {
    assert_eq!(compute_backoff_ms(1, 1000, 60000, 2.0, 0.5), 500);
    assert_eq!(compute_backoff_ms(3, 1000, 3000, 2.0, 0.5), 1500);
    assert_eq!(1000 + compute_backoff_ms(1, 60000, 1_800_000, 2.0, 0.5), 31000);
    assert_eq!(compute_backoff_ms(0, 1000, 60000, 2.0, 0.9), 0);
    assert_eq!(compute_backoff_ms(7, 1000, 60000, 2.0, 0.999_999_99), 60000);
    assert_eq!(compute_backoff_ms(6, 60000, 1_800_000, 2.0, 0.999_999_999), 1_800_000);
}

// ---- the consumer against a real Redis (3, 4, 6) ----------------------------------------------

#[test]
fn a_settled_message_is_acked_recorded_and_announced() {
    let (server, mut deployer) = server_and_deployer();
    let keys = Keys::default();
    let published = pipeline_request(1);
    server.lpush(&keys.inbound, &raw(&published));

    let mut seen = Vec::new();
    let step = deployer.process_one(0.1, &mut |m| {
        seen.push(m.clone());
        Outcome::Settled("minted")
    });
    let key = published["idempotency_key"].as_str().unwrap();
    assert_eq!(step, Step::Settled { key: key.into(), status: "minted".into() });
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["timestamp"], "2026-07-01T09:30:00.123Z", "the handler sees the normalised message");

    let members: Vec<String> = redis::cmd("SMEMBERS").arg(&keys.processed).query(&mut server.client()).unwrap();
    assert_eq!(members, [key]);
    assert_eq!(server.llen(&keys.processing), 0);
    assert_eq!(server.llen(&keys.inbound), 0);
    let settlements = server.lrange(&keys.settlements);
    assert_eq!(settlements.len(), 1);
    let s: Value = serde_json::from_slice(&settlements[0]).unwrap();
    let order: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        order,
        [
            "event_type",
            "message_version",
            "settled_at",
            "idempotency_key",
            "attestation_hash",
            "model_id",
            "model_id_uint",
            "eval_id",
            "tx_hash",
            "block_number",
            "status",
            "reward_amount",
            "gas_used"
        ]
    );
    assert_eq!((s["event_type"].as_str(), s["status"].as_str()), (Some("mint_request_settled"), Some("minted")));
    assert_eq!(s["idempotency_key"], key);

    let record_key = format!("{}{key}", keys.record_prefix);
    let record = get_json(&server, &record_key);
    assert_eq!(record["status"], "minted");
    assert_eq!(record["updated_at"], s["settled_at"]);
    assert!(record.get("failure_class").is_none());
    let t = ttl(&server, &record_key);
    assert!(t > 2_591_000 && t <= 2_592_000, "record TTL {t}");
    assert_eq!(server.keys(), {
        let mut k = vec![keys.processed.clone(), keys.settlements.clone(), record_key];
        k.sort();
        k
    });

    // Nothing left: the pop times out.
    assert_eq!(deployer.process_one(0.1, &mut |_| unreachable!()), Step::Empty);
}

#[test]
fn transient_failures_retry_then_exhaust_into_the_dlq() {
    let (server, deployer) = server_and_deployer();
    let keys = Keys::default();
    let mut deployer = deployer.with_random(|| 0.0);
    let published = pipeline_request(2);
    let key = published["idempotency_key"].as_str().unwrap().to_owned();
    server.lpush(&keys.inbound, &raw(&published));
    let mut fail = failing("socket hang up", false);

    // First failure: a retry member with _retryCount 1, scored in epoch ms (jitter 0 -> now).
    let before = now_ms();
    let step = deployer.process_one(0.1, &mut fail);
    let after = now_ms();
    let Step::Retried { key: k, retry_count, score_ms } = step else { panic!("not retried: {step:?}") };
    assert_eq!((k.as_str(), retry_count), (key.as_str(), 1));
    assert!((before..=after).contains(&score_ms));
    assert_eq!(server.llen(&keys.processing), 0);
    let members = retry_members(&server, &keys);
    assert_eq!(members.len(), 1);
    let (member, score) = &members[0];
    assert_eq!(*score, score_ms);
    assert!(member.ends_with(r#""recipientKind":"wallet"}],"_retryCount":1}"#), "{member}");
    let mut expected = accepts(&raw(&published)).unwrap();
    expected["_retryCount"] = 1.into();
    assert_eq!(member, &js_stringify(&expected), "the normalised message plus _retryCount, compact");
    let record = get_json(&server, &format!("{}{key}", keys.record_prefix));
    assert_eq!(
        (record["status"].as_str(), record["failure_class"].as_str(), record["error"].as_str()),
        (Some("error"), Some("transient"), Some("socket hang up"))
    );

    // The default jitter stays within the first cap (1000 ms).
    let mut jittered = Deployer::new(server.client());
    let member = members[0].0.clone();
    redis::cmd("DEL").arg(&keys.retry).exec(&mut server.client()).unwrap();
    server.lpush(&keys.inbound, member.as_bytes());
    let now = now_ms();
    let Step::Retried { retry_count: 2, score_ms, .. } = jittered.process_one(0.1, &mut fail) else { panic!() };
    assert!(score_ms >= now && score_ms <= now_ms() + 2000, "second retry within its 2000 ms cap");
    let (member, _) = retry_members(&server, &keys).remove(0);
    assert!(member.ends_with(r#","_retryCount":2}"#), "the counter is updated in place: {member}");
    assert_eq!(member.matches("_retryCount").count(), 1);
    redis::cmd("ZADD").arg(&keys.retry).arg(0).arg(&member).exec(&mut server.client()).unwrap();

    // Retry 3, then the fourth failure of 1 + 3 attempts dead-letters.
    let steps = deployer.run_until_idle(&mut fail, 10);
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert!(matches!(steps[0], Step::Retried { retry_count: 3, .. }));
    assert_eq!(steps[1], dead("exhausted (retries=3): socket hang up", "transient"));
    assert_eq!(server.llen(&keys.inbound), 0);
    assert_eq!(server.llen(&keys.processing), 0);
    assert!(retry_members(&server, &keys).is_empty());
    let dlq = server.lrange(&keys.dlq);
    assert_eq!(dlq.len(), 1);
    let entry: Value = serde_json::from_slice(&dlq[0]).unwrap();
    let order: Vec<&str> = entry.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(order, ["originalMessage", "error", "reason", "failureClass", "timestamp", "queue"]);
    let (original, reason, class) = parse_dlq_entry(&dlq[0]).expect("parseable by the official inspector");
    assert_eq!(reason, "exhausted (retries=3): socket hang up");
    assert_eq!(entry["error"], entry["reason"]);
    assert_eq!(class.as_deref(), Some("transient"));
    assert_eq!(original["_retryCount"], 3);
    assert_eq!(entry["queue"], keys.inbound);
    assert!(iso_date(entry["timestamp"].as_str().unwrap()).as_deref() == entry["timestamp"].as_str());
    let record = get_json(&server, &format!("{}{key}", keys.record_prefix));
    assert_eq!(
        (record["status"].as_str(), record["failure_class"].as_str(), record["error"].as_str()),
        (Some("error"), Some("transient"), Some("exhausted (retries=3): socket hang up"))
    );
    let processed: u64 = redis::cmd("SCARD").arg(&keys.processed).query(&mut server.client()).unwrap();
    assert_eq!(processed, 0);
}

#[test]
fn permanent_and_budget_failures() {
    let (server, mut deployer) = server_and_deployer();
    let keys = Keys::default();

    // An untagged "Model not registered" is permanent by its message.
    server.lpush(&keys.inbound, &raw(&example_request_with(1)));
    let step = deployer.process_one(0.1, &mut failing("Model not registered", false));
    assert_eq!(step, dead("permanent: Model not registered", "permanent"));

    // A budget error: budget backoff (first cap 60 s) and its own record status.
    server.lpush(&keys.inbound, &raw(&example_request_with(2)));
    let budget = "MintBudgetExceeded: modelId=42 required=5 remaining=1";
    let now = now_ms();
    let step = deployer.process_one(0.1, &mut failing(budget, false));
    let Step::Retried { retry_count: 1, score_ms, key } = step else { panic!("{step:?}") };
    assert!(score_ms >= now && score_ms <= now_ms() + 60_000);
    assert_eq!(get_json(&server, &format!("{}{key}", keys.record_prefix))["status"], "budget_exceeded_retry");

    // At the budget cap it dead-letters as budget_exhausted; below it an ordinary error with
    // the same counter exhausts at once (the cap follows the current error).
    let mut v = example_request_with(3);
    v["_retryCount"] = 24.into();
    server.lpush(&keys.inbound, &raw(&v));
    let step = deployer.process_one(0.1, &mut failing(budget, false));
    assert_eq!(step, dead(&format!("budget_exhausted (retries=24): {budget}"), "transient"));
    v["_retryCount"] = 5.into();
    server.lpush(&keys.inbound, &raw(&v));
    let step = deployer.process_one(0.1, &mut failing("timeout", true));
    assert_eq!(step, dead("permanent: timeout", "permanent"));
    server.lpush(&keys.inbound, &raw(&v));
    let step = deployer.process_one(0.1, &mut failing("timeout", false));
    assert_eq!(step, dead("exhausted (retries=5): timeout", "transient"));

    assert_eq!(server.llen(&keys.dlq), 4);
    assert_eq!(server.llen(&keys.processing), 0);
}

#[test]
fn invalid_json_and_schema_rejects_are_dead_lettered_without_a_record() {
    let (server, mut deployer) = server_and_deployer();
    let keys = Keys::default();
    server.lpush(&keys.inbound, b"not json {");
    let step = deployer.process_one(0.1, &mut |_| unreachable!("the handler never sees it"));
    assert_eq!(step, dead("Invalid JSON", "permanent"));
    let dlq = server.lrange(&keys.dlq);
    let entry: Value = serde_json::from_slice(&dlq[0]).unwrap();
    assert_eq!(entry["originalMessage"], "not json {");
    let text = String::from_utf8(dlq[0].clone()).unwrap();
    let ts = entry["timestamp"].as_str().unwrap();
    let expected = concat!(
        r#"{"originalMessage":"not json {","error":"Invalid JSON","reason":"Invalid JSON","#,
        r#""failureClass":"permanent","timestamp":"TS","queue":"hokusai:mint_requests"}"#
    );
    assert_eq!(text, expected.replace("TS", ts));
    assert_eq!(parse_dlq_entry(&dlq[0]), Some((json!("not json {"), "Invalid JSON".into(), Some("permanent".into()))));

    // A schema reject keeps the producer's parsed object (JSON.stringify numbers: 200.0 -> 200).
    let mut v = example_request();
    v["attester_signatures"] = json!([]);
    let producer_bytes = js_stringify(&v).replace(r#""totalSamples":200"#, r#""totalSamples":200.0"#);
    server.lpush(&keys.inbound, producer_bytes.as_bytes());
    let step = deployer.process_one(0.1, &mut |_| unreachable!());
    let reason = r#""attester_signatures" must contain at least 1 items"#;
    assert_eq!(step, dead(reason, "permanent"));
    let dlq = server.lrange(&keys.dlq);
    assert_eq!(dlq.len(), 2);
    let text = String::from_utf8(dlq[0].clone()).unwrap();
    assert!(text.starts_with(&format!(r#"{{"originalMessage":{},"error":"#, js_stringify(&v))), "{text}");
    let (original, r, class) = parse_dlq_entry(&dlq[0]).unwrap();
    assert_eq!((original, r.as_str(), class.as_deref()), (v, reason, Some("permanent")));

    assert_eq!(server.llen(&keys.processing), 0);
    assert_eq!(server.keys(), [keys.dlq.as_str()], "no record, no processed key");
    assert_eq!(parse_dlq_entry(br#"{"originalMessage":{},"error":"x","timestamp":"t","queue":"q"}"#), None);
    assert_eq!(parse_dlq_entry(b"[1]"), None);
}

#[test]
fn a_processed_key_is_dropped_silently() {
    let (server, mut deployer) = server_and_deployer();
    let keys = Keys::default();
    let v = pipeline_request(4);
    let key = v["idempotency_key"].as_str().unwrap();
    server.cmd(&["SADD", &keys.processed, key]);
    server.lpush(&keys.inbound, &raw(&v));
    let step = deployer.process_one(0.1, &mut |_| unreachable!("no handler call for a processed key"));
    assert_eq!(step, Step::Duplicate { key: key.into() });
    assert_eq!(server.keys(), [keys.processed.as_str()], "no settlement, record, DLQ entry or retry");
}

#[test]
fn promotion_moves_due_members_byte_for_byte_to_the_head() {
    let (server, mut deployer) = server_and_deployer();
    let keys = Keys::default();
    let queued = raw(&example_request_with(9));
    server.lpush(&keys.inbound, &queued);
    let mut due = accepts(&raw(&pipeline_request(5))).unwrap();
    due["_retryCount"] = 2.into();
    let due = js_stringify(&due);
    let later = js_stringify(&example_request_with(6));
    let now = now_ms();
    server.cmd(&["ZADD", &keys.retry, &(now - 1000).to_string(), &due]);
    server.cmd(&["ZADD", &keys.retry, &(now + 600_000).to_string(), &later]);
    server.cmd(&["ZADD", &keys.retry, "-5", "never"]);

    assert_eq!(deployer.promote_due(), 1);
    let inbound = server.lrange(&keys.inbound);
    assert_eq!(inbound, [due.as_bytes().to_vec(), queued.clone()], "the due member at the head, byte for byte");
    let left: Vec<String> = retry_members(&server, &keys).into_iter().map(|(m, _)| m).collect();
    assert_eq!(left, ["never".to_owned(), later]);
    assert_eq!(deployer.promote_due(), 0);

    // The consumer takes the oldest (tail) first, and the promoted member keeps its counter.
    let mut seen = Vec::new();
    let steps = deployer.run_until_idle(
        &mut |m| {
            seen.push(m["_retryCount"].clone());
            Outcome::Settled("no_delta")
        },
        10,
    );
    assert_eq!(steps.len(), 2);
    assert_eq!(seen, [Value::Null, json!(2)]);
}
