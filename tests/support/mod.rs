//! Test support: a real redis-server per test and the real binary, run like an operator would.

pub mod cluster;
pub mod deployer;
pub mod server;
#[cfg(feature = "sqs")]
pub mod sqs;

pub use self::server::RedisServer;
#[cfg(feature = "sqs")]
pub use self::sqs::SqsServer;

use assert_cmd::Command;
use serde_json::Value;

/// The environment variables the tool reads; cleared so the developer's shell cannot leak in.
const TOOL_ENV: [&str; 24] = [
    "HOKUSAI_CONTEXT",
    "HOKUSAI_CONFIG",
    "HOKUSAI_REDIS_URL",
    "REDIS_URL",
    "REDIS_HOST",
    "REDIS_PORT",
    "REDIS_AUTH_TOKEN",
    "HOKUSAI_QUEUE",
    "NO_COLOR",
    "HOKUSAI_REDIS_CLUSTER",
    "REDIS_USERNAME",
    "HOKUSAI_REDIS_PASSWORD_FILE",
    "HOKUSAI_TLS_CA_CERT",
    "HOKUSAI_PROFILE",
    "MINT_REQUEST_QUEUE",
    "MINT_REQUEST_PROCESSING_QUEUE",
    "MINT_REQUEST_DLQ",
    "MINT_DLQ_AUDIT_KEY",
    "MINT_REQUEST_PROCESSED_SET",
    "MINT_REQUEST_RETRY_QUEUE",
    "MINT_REQUEST_SETTLEMENT_QUEUE",
    "MINT_RECORD_KEY_PREFIX",
    "HOKUSAI_SQS_QUEUE_URL",
    "HOKUSAI_SQS_ENDPOINT_URL",
];

pub const QUEUE: &str = "hokusai:model_ready_queue";

/// The binary with a clean environment and nothing else.
pub fn bare() -> Command {
    let mut c = Command::cargo_bin("hokusai-queue").unwrap();
    for k in TOOL_ENV {
        c.env_remove(k);
    }
    // No contexts file of the developer's own (~/.config/hokusai-queue) may leak in either.
    c.env("HOKUSAI_CONFIG", "/nonexistent/hokusai-queue-tests/config.toml");
    c.timeout(std::time::Duration::from_secs(120));
    c
}

/// The binary aimed at `server`, failing fast on connection errors.
pub fn hq(server: &RedisServer) -> Command {
    let mut c = bare();
    c.arg("--redis-url").arg(server.url()).args(["--connect-retries", "0"]);
    c
}

/// The binary aimed at `server` as a plain `std::process::Command`, for tests that run it in
/// the background (kill Redis under it, stream its stdin).
#[allow(dead_code)]
pub fn hq_process(server: &RedisServer) -> std::process::Command {
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("hokusai-queue"));
    for k in TOOL_ENV {
        c.env_remove(k);
    }
    // No contexts file of the developer's own (~/.config/hokusai-queue) may leak in either.
    c.env("HOKUSAI_CONFIG", "/nonexistent/hokusai-queue-tests/config.toml");
    c.arg("--redis-url").arg(server.url()).args(["--connect-retries", "0"]);
    c
}

/// Runs and parses stdout as JSON, asserting success.
pub fn json_out(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "command failed ({}):\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Runs and parses stdout as JSON, asserting exit status 1 (e.g. `drain --exec` when some
/// message failed: the summary is still printed).
#[allow(dead_code)]
pub fn json_out_failed(cmd: &mut Command) -> Value {
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected exit 1:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Arguments for a valid `emit` from flags.
pub fn emit_flags() -> Vec<&'static str> {
    vec![
        "emit",
        "--model-id",
        "model-123",
        "--token-symbol",
        "msg-ai",
        "--metric-name",
        "accuracy",
        "--baseline-value",
        "0.85",
        "--current-value",
        "0.88",
        "--model-name",
        "msg-ai-classifier",
        "--model-version",
        "3",
    ]
}

/// A valid payload object as JSON text.
pub fn payload_json(model_id: &str) -> String {
    serde_json::json!({
        "model_id": model_id,
        "token_symbol": "msg-ai",
        "metric_name": "accuracy",
        "baseline_value": 0.85,
        "current_value": 0.88,
        "model_name": "msg-ai-classifier",
        "model_version": "3"
    })
    .to_string()
}

/// Parses a list element as a JSON envelope.
pub fn envelope(raw: &[u8]) -> Value {
    serde_json::from_slice(raw).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(raw)))
}

/// What the platform's Python consumer does: `MessageEnvelope(**data)` then
/// `ModelReadyToDeployMessage(**payload)`, and `fromisoformat` on the timestamps. Panics with
/// the reason when the element would crash it.
pub fn assert_platform_accepts(raw: &[u8]) {
    let v = envelope(raw);
    let m = v.as_object().expect("an object");
    let keys: Vec<&str> = m.keys().map(String::as_str).collect();
    assert_eq!(keys, ["message_id", "message_type", "payload", "timestamp", "retry_count", "max_retries"], "envelope keys");
    assert!(uuid::Uuid::parse_str(m["message_id"].as_str().unwrap()).is_ok());
    assert_naive_iso(m["timestamp"].as_str().expect("timestamp is a string"));
    assert!(m["retry_count"].is_u64() && m["max_retries"].is_u64());
    if m["message_type"] == "model_ready_to_deploy" {
        let p = m["payload"].as_object().expect("payload object");
        const KNOWN: [&str; 21] = [
            "model_id",
            "token_symbol",
            "metric_name",
            "baseline_value",
            "current_value",
            "model_name",
            "model_version",
            "status",
            "mlflow_run_id",
            "proposal_identifier",
            "improvement_percentage",
            "contributor_address",
            "experiment_name",
            "tags",
            "api_schema",
            "eval_spec",
            "scorer_ref",
            "primary_metric",
            "benchmark_spec_id",
            "timestamp",
            "message_version",
        ];
        for k in p.keys() {
            assert!(KNOWN.contains(&k.as_str()), "unknown payload key {k}");
        }
        assert_eq!(p["status"], "registered");
        if let Some(ts) = p.get("timestamp").and_then(Value::as_str) {
            assert_naive_iso(ts);
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.ffffff]`, no `Z`, no offset.
pub fn assert_naive_iso(ts: &str) {
    let b = ts.as_bytes();
    assert!(ts.len() == 19 || ts.len() == 26, "timestamp {ts:?} has the wrong length");
    for (i, c) in b.iter().enumerate() {
        let ok = match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            _ => c.is_ascii_digit(),
        };
        assert!(ok, "timestamp {ts:?} is not naive ISO (at byte {i})");
    }
}

/// A primary (with `extra` arguments) and a replica of it, synced.
#[allow(dead_code)]
pub fn primary_and_replica(extra: &[&str]) -> (RedisServer, RedisServer) {
    // No 5 s pause before the first (diskless) sync.
    let mut args = vec!["--repl-diskless-sync-delay", "0"];
    args.extend_from_slice(extra);
    let primary = RedisServer::start_with(&args);
    let port = primary.port.to_string();
    let replica = RedisServer::start_with(&["--replicaof", "127.0.0.1", &port]);
    replica
        .wait_until("the replica to sync", |r| r.info("replication").get("master_link_status").map(String::as_str) == Some("up"));
    primary.wait_until("the primary to see its replica online", |p| {
        p.info("replication").get("slave0").is_some_and(|s| s.contains("state=online"))
    });
    (primary, replica)
}

/// The binary aimed at `server` (Redis) and at the SQS queue `url` of the emulator `sqs`.
#[cfg(feature = "sqs")]
pub fn hq_sqs(server: &RedisServer, sqs: &SqsServer, url: &str) -> Command {
    let mut c = hq(server);
    sqs::aws_env(&mut c);
    c.arg("--sqs-queue-url").arg(url).arg("--endpoint-url").arg(sqs.endpoint());
    c
}

/// The same as a `std::process::Command` (background runs, SIGKILL tests).
#[cfg(feature = "sqs")]
#[allow(dead_code)]
pub fn hq_sqs_process(server: &RedisServer, sqs: &SqsServer, url: &str) -> std::process::Command {
    let mut c = hq_process(server);
    sqs::aws_env_process(&mut c);
    c.arg("--sqs-queue-url").arg(url).arg("--endpoint-url").arg(sqs.endpoint());
    c
}
