//! The commands on Amazon SQS, against moto's emulator (tests/support/sqs.rs): emit, depth, peek,
//! drain, dlq list|replay|purge, and the errors.

use std::io::Write;

use predicates::prelude::*;
use serde_json::Value;

use crate::support::sqs;
use crate::support::*;

#[test]
fn emit_sends_the_platform_envelope_as_the_body() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let url = sqs.create("model-ready", &[]);
    let out = json_out(hq_sqs(&redis, &sqs, &url).args(emit_flags()).args(["-o", "json"]));
    let got = sqs.take_all(&url);
    assert_eq!(got.len(), 1, "{}", sqs.log());
    assert_platform_accepts(&got[0].body);
    assert_eq!(envelope(&got[0].body)["message_id"], out["message_id"]);
    assert_eq!(out["queue_url"], url.as_str());
    // Nothing went to Redis.
    assert!(redis.lrange(QUEUE).is_empty());
}

#[test]
fn emit_file_to_fifo_sets_group_and_dedupe_ids_and_a_rerun_is_not_duplicated() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let url = sqs.create("model-ready.fifo", &[]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("envelopes.jsonl");
    let mut f = std::fs::File::create(&file).unwrap();
    let mut ids = Vec::new();
    for i in 0..25 {
        let id = uuid::Uuid::new_v4().to_string();
        let model = if i % 2 == 0 { "model-a" } else { "model-b" };
        let payload = payload_json(model);
        writeln!(
            f,
            r#"{{"message_id": "{id}", "message_type": "model_ready_to_deploy", "payload": {payload}, "timestamp": "2025-01-27T15:30:00.123456", "retry_count": 0, "max_retries": 3}}"#
        )
        .unwrap();
        ids.push(id);
    }
    drop(f);
    for _ in 0..2 {
        hq_sqs(&redis, &sqs, &url).args(["emit", "--envelopes", "--file"]).arg(&file).assert().success();
    }
    let got = sqs.take_all(&url);
    assert_eq!(got.len(), 25, "the second run was deduplicated by message_id");
    let lines: Vec<String> = std::fs::read_to_string(&file).unwrap().lines().map(str::to_owned).collect();
    for g in &got {
        let env = envelope(&g.body);
        let id = env["message_id"].as_str().unwrap();
        assert_eq!(g.dedupe_id.as_deref(), Some(id));
        assert_eq!(g.group_id.as_deref(), env["payload"]["model_id"].as_str());
        // The line's exact bytes are the body.
        assert!(lines.iter().any(|l| l.as_bytes() == g.body.as_slice()));
    }
    // Within one group, the file's order.
    let order_a: Vec<&str> =
        got.iter().filter(|g| g.group_id.as_deref() == Some("model-a")).map(|g| std::str::from_utf8(&g.body).unwrap()).collect();
    let file_a: Vec<&str> = lines.iter().map(String::as_str).filter(|l| l.contains("\"model-a\"")).collect();
    assert_eq!(order_a, file_a);
}

#[test]
fn emit_validates_everything_before_sending_anything() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let url = sqs.create("model-ready", &[]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payloads.jsonl");
    std::fs::write(&file, format!("{}\n{{\"model_id\": \"x\"}}\n", payload_json("m"))).unwrap();
    hq_sqs(&redis, &sqs, &url)
        .args(["emit", "--file"])
        .arg(&file)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("line 2").and(predicate::str::contains("nothing was pushed")));
    assert_eq!(sqs.counts(&url), (0, 0, 0));
}

#[test]
fn opaque_bytes_that_sqs_cannot_carry_travel_as_base64_and_come_back_exact() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let url = sqs.create("jobs", &[]);
    hq_sqs(&redis, &sqs, &url).args(["-q", "jobs", "emit", "--raw", "--payload", "a\u{1}b"]).assert().success();
    let got = sqs.take_all(&url);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].body, b"a\x01b");
}

#[test]
fn depth_shows_visible_in_flight_and_the_dlq_and_gates_like_redis() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let (url, dlq) = sqs.create_with_dlq("model-ready", 3);
    sqs.send(&url, &["a", "b", "c"]);
    sqs.send(&dlq, &["dead"]);
    let v = json_out(hq_sqs(&redis, &sqs, &url).args(["depth", "-o", "json"]));
    assert_eq!(v["visible"], 3);
    assert_eq!(v["in_flight"], 0);
    assert_eq!(v["max_receive_count"], 3);
    assert_eq!(v["dlq"]["queue_url"], dlq.as_str());
    assert_eq!(v["dlq"]["visible"], 1);
    hq_sqs(&redis, &sqs, &url).args(["depth", "--fail-above", "3"]).assert().success();
    hq_sqs(&redis, &sqs, &url)
        .args(["depth", "--fail-above", "2"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("visible messages 3 > 2"));
    hq_sqs(&redis, &sqs, &url).args(["depth", "--dlq-fail-above", "0"]).assert().code(5);
    hq_sqs(&redis, &sqs, &url)
        .args(["depth", "--max-age", "1h"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ApproximateAgeOfOldestMessage"));
}

#[test]
fn peek_is_refused_without_receive_and_with_it_shows_receive_counts() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let url = sqs.create("jobs", &[]);
    sqs.send(&url, &["one", "two"]);
    hq_sqs(&redis, &sqs, &url)
        .args(["-q", "jobs", "peek"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("maxReceiveCount").and(predicate::str::contains("--receive")));
    let first = json_out(hq_sqs(&redis, &sqs, &url).args(["-q", "jobs", "peek", "--receive", "-o", "json"]));
    let first = first.as_array().unwrap();
    assert_eq!(first.len(), 2);
    assert!(first.iter().all(|m| m["receive_count"] == 1), "{first:?}");
    let again = json_out(hq_sqs(&redis, &sqs, &url).args(["-q", "jobs", "peek", "--receive", "-o", "json"]));
    let mut raws: Vec<&str> = again.as_array().unwrap().iter().map(|m| m["raw"].as_str().unwrap()).collect();
    raws.sort();
    assert_eq!(raws, ["one", "two"], "visibility 0: still there");
    assert!(again.as_array().unwrap().iter().all(|m| m["receive_count"] == 2));
}

#[test]
fn commands_without_an_sqs_path_say_so() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let url = sqs.create("jobs", &[]);
    hq_sqs(&redis, &sqs, &url).args(["reap-stale"]).assert().code(2).stderr(predicate::str::contains("no SQS path"));
}

#[test]
fn drain_to_stdout_deletes_what_it_wrote() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let url = sqs.create("jobs", &[]);
    sqs.send(&url, &["one", "two", "three"]);
    let out = hq_sqs(&redis, &sqs, &url).args(["-q", "jobs", "drain"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    lines.sort();
    assert_eq!(lines, ["one", "three", "two"]);
    assert_eq!(sqs.counts(&url), (0, 0, 0));
}

/// `drain | head -1`: the reader took one line; the nine it never took are not deleted but
/// visible again at once, and the run says so with exit 1 (as on Redis).
#[test]
fn drain_into_a_pipe_deletes_only_what_the_reader_took() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let url = sqs.create("jobs", &[]);
    let bodies: Vec<String> = (0..10).map(|i| format!("message-{i}")).collect();
    sqs.send(&url, &bodies.iter().map(String::as_str).collect::<Vec<_>>());
    let mut drain = hq_sqs_process(&redis, &sqs, &url)
        .args(["-q", "jobs", "drain", "--wait", "1s"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let head = std::process::Command::new("head").arg("-1").stdin(drain.stdout.take().unwrap()).output().unwrap();
    let out = drain.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let printed = String::from_utf8(head.stdout).unwrap();
    assert_eq!(printed.lines().count(), 1, "{printed}");
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("stdout's reader stopped reading") && err.contains("9 it did not take"), "{err}");
    assert!(err.contains("returned unstarted"), "{err}");
    assert_eq!(sqs.counts(&url), (9, 0, 0), "visible again at once, nothing in flight: {err}");
    let mut left: Vec<String> = sqs.take_all(&url).into_iter().map(|g| String::from_utf8(g.body).unwrap()).collect();
    left.push(printed.trim_end().to_owned());
    left.sort();
    let mut all = bodies.clone();
    all.sort();
    assert_eq!(left, all, "every message is either the one the reader took or back on the queue");
}

#[test]
fn drain_exec_deletes_on_success_and_the_redrive_policy_dead_letters_failures() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let (url, dlq) = sqs.create_with_dlq("jobs", 2);
    sqs.send(&url, &["good", "bad"]);
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("seen");
    let handler = format!("body=$(cat); echo \"$body $HOKUSAI_SQS_RECEIVE_COUNT\" >> {}; [ \"$body\" = good ]", seen.display());
    hq_sqs(&redis, &sqs, &url)
        .args(["-q", "jobs", "drain", "--exec", &handler, "--retry-base", "1s", "--retry-cap", "1s", "--wait", "4s"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("attempt 1 failed"));
    let seen = std::fs::read_to_string(&seen).unwrap();
    assert!(seen.contains("good 1\n"), "{seen}");
    assert!(seen.contains("bad 1\n") && seen.contains("bad 2\n"), "{seen}");
    assert!(!seen.contains("bad 3"), "maxReceiveCount 2: no third attempt: {seen}");
    assert_eq!(sqs.counts(&url), (0, 0, 0));
    let dead = sqs.take_all(&dlq);
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].body, b"bad", "dead-lettered by SQS, byte for byte");
}

#[test]
fn drain_heartbeats_keep_a_slow_handler_s_message_invisible() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let url = sqs.create("jobs", &[]);
    sqs.send(&url, &["slow"]);
    let dir = tempfile::tempdir().unwrap();
    let started = dir.path().join("started");
    let release = dir.path().join("release");
    let handler = format!("touch {}; while [ ! -e {} ]; do sleep 0.1; done", started.display(), release.display());
    let mut drain = hq_sqs_process(&redis, &sqs, &url)
        .args(["-q", "jobs", "drain", "--exec", &handler, "--visibility-timeout", "2s"])
        .spawn()
        .unwrap();
    while !started.exists() {
        assert!(drain.try_wait().unwrap().is_none(), "drain ended early");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Past the 2 s visibility the message was received with: only the heartbeats hide it now.
    std::thread::sleep(std::time::Duration::from_secs(4));
    assert_eq!(sqs.counts(&url), (0, 1, 0), "still in flight, never visible again");
    std::fs::write(&release, "").unwrap();
    assert!(drain.wait().unwrap().success());
    assert_eq!(sqs.counts(&url), (0, 0, 0));
}

#[test]
fn drain_killed_mid_handler_delivers_the_message_again() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let url = sqs.create("jobs", &[]);
    sqs.send(&url, &["precious"]);
    let dir = tempfile::tempdir().unwrap();
    let started = dir.path().join("started");
    let mut drain = hq_sqs_process(&redis, &sqs, &url)
        .args(["-q", "jobs", "drain", "--visibility-timeout", "2s", "--exec"])
        .arg(format!("touch {}; sleep 60", started.display()))
        .spawn()
        .unwrap();
    while !started.exists() {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    drain.kill().unwrap(); // SIGKILL
    drain.wait().unwrap();
    let done = dir.path().join("done");
    hq_sqs(&redis, &sqs, &url)
        .args(["-q", "jobs", "drain", "--wait", "10s", "--max", "1", "--exec"])
        .arg(format!("cat > {}", done.display()))
        .assert()
        .success();
    assert_eq!(std::fs::read(&done).unwrap(), b"precious", "at least once: handled after the crash");
    assert_eq!(sqs.counts(&url), (0, 0, 0));
}

#[test]
fn dlq_list_shows_the_redrive_dlq_and_leaves_it_as_it_was() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let (url, dlq) = sqs.create_with_dlq("jobs", 3);
    let wrapped = r#"{"original_message": "{\"message_id\": \"m-1\"}", "error": "boom", "failed_at": "2025-01-27T15:30:00.123456", "original_queue": "jobs"}"#;
    sqs.send(&dlq, &[wrapped, "raw bytes"]);
    let v = json_out(hq_sqs(&redis, &sqs, &url).args(["-q", "jobs", "dlq", "list", "-o", "json"]));
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().any(|e| e["error"] == "boom" && e["shape"] == "wrapped"), "{v}");
    assert_eq!(sqs.counts(&dlq), (2, 0, 0), "visible again after the listing");
    let v = json_out(hq_sqs(&redis, &sqs, &url).args(["-q", "jobs", "dlq", "list", "--error", "boom", "-o", "json"]));
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[test]
fn dlq_replay_sends_to_the_source_before_deleting_and_needs_yes() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let (url, dlq) = sqs.create_with_dlq("jobs", 3);
    let wrapped = r#"{"original_message": "{\"message_id\": \"m-1\"}", "error": "boom", "failed_at": "2025-01-27T15:30:00.123456", "original_queue": "jobs"}"#;
    sqs.send(&dlq, &[wrapped, "keep me"]);
    hq_sqs(&redis, &sqs, &url)
        .args(["-q", "jobs", "dlq", "replay", "--error", "boom"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(sqs.counts(&dlq), (2, 0, 0));
    hq_sqs(&redis, &sqs, &url).args(["-q", "jobs", "dlq", "replay", "--error", "boom", "--yes"]).assert().success();
    let back = sqs.take_all(&url);
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].body, br#"{"message_id": "m-1"}"#, "the wrapped envelope goes back unwrapped");
    let left = sqs.take_all(&dlq);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].body, b"keep me");
}

#[test]
fn dlq_purge_exports_before_deleting_and_unfiltered_uses_purge_queue() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let (url, dlq) = sqs.create_with_dlq("jobs", 3);
    sqs.send(&dlq, &["a", "b"]);
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("dlq.jsonl");
    hq_sqs(&redis, &sqs, &url).args(["-q", "jobs", "dlq", "purge", "--yes", "--export"]).arg(&export).assert().success();
    let text = std::fs::read_to_string(&export).unwrap();
    let mut raws: Vec<String> =
        text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["raw"].as_str().unwrap().to_owned()).collect();
    raws.sort();
    assert_eq!(raws, ["a", "b"]);
    assert_eq!(sqs.counts(&dlq), (0, 0, 0));
    sqs.send(&dlq, &["c"]);
    let v = json_out(hq_sqs(&redis, &sqs, &url).args(["-q", "jobs", "dlq", "purge", "--yes", "-o", "json"]));
    assert_eq!(v["purge_queue"], true);
    assert_eq!(sqs.counts(&dlq), (0, 0, 0));
}

#[test]
fn a_bad_queue_url_is_a_usage_error_and_a_dead_endpoint_is_unreachable() {
    let redis = RedisServer::start();
    let mut c = hq(&redis);
    sqs::aws_env(&mut c);
    c.args(["--sqs-queue-url", "model-ready", "depth"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an SQS queue URL").and(predicate::str::contains("get-queue-url")));
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut c = hq(&redis);
    sqs::aws_env(&mut c);
    c.args(["--sqs-queue-url", &format!("http://127.0.0.1:{closed}/123456789012/q"), "--endpoint-url"])
        .arg(format!("http://127.0.0.1:{closed}"))
        .arg("depth")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("--endpoint-url"));
}

/// Runs `cmd` on a pseudo-terminal (util-linux `script`), answers `answer` once the confirmation
/// prompt ("... entries?") shows, and returns what the terminal showed and the exit code.
fn answer_on_a_terminal(cmd: std::process::Command, answer: &str) -> (String, Option<i32>) {
    use std::io::Read;
    let quote = |s: &std::ffi::OsStr| format!("'{}'", s.to_str().unwrap().replace('\'', r"'\''"));
    let line: Vec<String> = std::iter::once(cmd.get_program()).chain(cmd.get_args()).map(quote).collect();
    let mut term = std::process::Command::new("script");
    term.args(["-qec", &line.join(" "), "/dev/null"]);
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => term.env(k, v),
            None => term.env_remove(k),
        };
    }
    let mut child = term
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("util-linux script(1) runs the command on a pseudo-terminal");
    let shown = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut out = child.stdout.take().unwrap();
    let sink = shown.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !String::from_utf8_lossy(&shown.lock().unwrap()).contains("entries?") {
        assert!(std::time::Instant::now() < deadline, "no prompt: {}", String::from_utf8_lossy(&shown.lock().unwrap()));
        assert!(
            child.try_wait().unwrap().is_none(),
            "ended before the prompt: {}",
            String::from_utf8_lossy(&shown.lock().unwrap())
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(answer.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let status = child.wait().unwrap();
    drop(stdin);
    reader.join().unwrap();
    let text = String::from_utf8_lossy(&shown.lock().unwrap()).into_owned();
    (text, status.code())
}

/// Answered "y" at the prompt, a replay replays: counting the entries for the prompt must not
/// leave them received (hidden) so that the replay itself finds nothing.
#[test]
fn dlq_replay_confirmed_at_the_prompt_replays_every_dead_letter() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let (url, dlq) = sqs.create_with_dlq("jobs", 3);
    sqs.send(&dlq, &["d1", "d2", "d3", "d4", "d5"]);
    let mut cmd = hq_sqs_process(&redis, &sqs, &url);
    cmd.args(["-q", "jobs", "dlq", "replay"]);
    let (shown, code) = answer_on_a_terminal(cmd, "y");
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains("replayed 5 dead letters"), "{shown}");
    assert_eq!(sqs.counts(&dlq), (0, 0, 0), "{shown}");
    assert!(shown.contains("5 entries?") && shown.contains("approximate"), "counted from the attributes: {shown}");
    let mut back: Vec<String> = sqs.take_all(&url).into_iter().map(|g| String::from_utf8(g.body).unwrap()).collect();
    back.sort();
    assert_eq!(back, ["d1", "d2", "d3", "d4", "d5"]);
}

/// The same for a filtered purge --export: the count scans the bodies (a filter needs them) and
/// releases them, so the purge exports and deletes exactly the matches.
#[test]
fn dlq_purge_confirmed_at_the_prompt_exports_and_deletes_the_matches() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let (url, dlq) = sqs.create_with_dlq("jobs", 3);
    let wrapped = |m: &str| {
        format!(
            r#"{{"original_message": "{{\"message_id\": \"{m}\"}}", "error": "boom", "failed_at": "2025-01-27T15:30:00.123456", "original_queue": "jobs"}}"#
        )
    };
    let (a, b) = (wrapped("m-1"), wrapped("m-2"));
    sqs.send(&dlq, &[&a, "keep me", &b]);
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("dlq.jsonl");
    let mut cmd = hq_sqs_process(&redis, &sqs, &url);
    cmd.args(["-q", "jobs", "dlq", "purge", "--error", "boom", "--export"]).arg(&export);
    let (shown, code) = answer_on_a_terminal(cmd, "y");
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains("2 entries?") && shown.contains("purged 2 dead letters"), "{shown}");
    let text = std::fs::read_to_string(&export).unwrap();
    let mut ids: Vec<String> =
        text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["message_id"].as_str().unwrap().to_owned()).collect();
    ids.sort();
    assert_eq!(ids, ["m-1", "m-2"], "{text}");
    assert_eq!(sqs.counts(&dlq), (1, 0, 0), "the unmatched one is visible, nothing left in flight");
    assert_eq!(sqs.take_all(&dlq)[0].body, b"keep me");
}

/// A line over the queue's MaximumMessageSize is refused before anything is sent (exit 4, the
/// queue stays empty); it used to send the batches around it and report a wrong prefix.
#[test]
fn emit_refuses_a_line_over_the_queue_s_maximum_message_size_before_sending() {
    use aws_sdk_sqs::types::QueueAttributeName;
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let url = sqs.create("jobs", &[(QueueAttributeName::MaximumMessageSize, "1024".into())]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f8.txt");
    let lines: Vec<String> = (1..=100).map(|i| if i == 25 { "x".repeat(2000) } else { format!("line-{i}") }).collect();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    hq_sqs(&redis, &sqs, &url).args(["-q", "jobs", "emit", "--raw", "--file"]).arg(&file).assert().code(4).stderr(
        predicate::str::contains("line 25")
            .and(predicate::str::contains("MaximumMessageSize of 1024"))
            .and(predicate::str::contains("nothing was sent")),
    );
    assert_eq!(sqs.counts(&url), (0, 0, 0), "nothing was sent");
    // Without the long line, all 99 go.
    let fine: Vec<&str> = lines.iter().filter(|l| l.len() < 100).map(String::as_str).collect();
    std::fs::write(&file, fine.join("\n") + "\n").unwrap();
    hq_sqs(&redis, &sqs, &url).args(["-q", "jobs", "emit", "--raw", "--file"]).arg(&file).assert().success();
    assert_eq!(sqs.counts(&url), (99, 0, 0));
}

/// A replay where one dead letter cannot be sent (over the source's MaximumMessageSize, which
/// SQS refuses for its whole batch): exactly that one stays on the DLQ, every other one is on the
/// source exactly once, and the run says so with exit 1.
#[test]
fn dlq_replay_deletes_from_the_dlq_exactly_what_the_source_took() {
    use aws_sdk_sqs::types::QueueAttributeName;
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let dlq = sqs.create("jobs-dlq", &[]);
    let arn = sqs.attribute(&dlq, QueueAttributeName::QueueArn);
    let policy = format!(r#"{{"deadLetterTargetArn":"{arn}","maxReceiveCount":"3"}}"#);
    let url = sqs
        .create("jobs", &[(QueueAttributeName::RedrivePolicy, policy), (QueueAttributeName::MaximumMessageSize, "1024".into())]);
    let big = "b".repeat(2000);
    let mut dead: Vec<String> = (0..24).map(|i| format!("dead-{i}")).collect();
    dead.insert(13, big.clone());
    sqs.send(&dlq, &dead.iter().map(String::as_str).collect::<Vec<_>>());
    let out = hq_sqs(&redis, &sqs, &url).args(["-q", "jobs", "dlq", "replay", "--yes"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("24 of 25 dead letters were replayed") && err.contains("1 could not be sent"), "{err}");
    let left = sqs.take_all(&dlq);
    assert_eq!(left.len(), 1, "{err}");
    assert_eq!(left[0].body, big.as_bytes(), "exactly the one that could not be sent stays");
    let mut back: Vec<String> = sqs.take_all(&url).into_iter().map(|g| String::from_utf8(g.body).unwrap()).collect();
    back.sort();
    let mut want: Vec<String> = dead.iter().filter(|d| **d != big).cloned().collect();
    want.sort();
    assert_eq!(back, want, "every other dead letter is on the source exactly once");
}

/// No credentials anywhere (environment, profile files, instance metadata): a configuration
/// error (exit 2) that says where credentials come from, not a wrong endpoint (exit 3).
#[test]
fn missing_credentials_are_a_configuration_error_not_a_wrong_endpoint() {
    let redis = RedisServer::start();
    let sqs = SqsServer::start();
    let url = sqs.create("jobs", &[]);
    let home = tempfile::tempdir().unwrap();
    let mut c = hq(&redis);
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_SQS",
        "HOKUSAI_SQS_QUEUE_URL",
    ] {
        c.env_remove(k);
    }
    c.env("HOME", home.path()).env("AWS_EC2_METADATA_DISABLED", "true").env("AWS_REGION", "us-east-1");
    c.args(["--sqs-queue-url", &url, "--endpoint-url", &sqs.endpoint(), "depth"]).assert().code(2).stderr(
        predicate::str::contains("no AWS credentials found")
            .and(predicate::str::contains("AWS_PROFILE"))
            .and(predicate::str::contains("--endpoint-url").not()),
    );
}
