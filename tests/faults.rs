//! Regressions from the fault campaign (issue 12): each test failed before its fix.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::*;

const PROCESSING: &str = "hokusai:model_ready_queue:processing";
const DLQ: &str = "hokusai:model_ready_queue:dlq";
const RETRY: &str = "hokusai:model_ready_queue:hokusai-queue:retry";

/// Emits `n` messages with model ids m-0.. and returns them in consumption order.
fn emit_n(server: &RedisServer, n: usize) -> Vec<String> {
    let f = tempfile::NamedTempFile::new().unwrap();
    let lines: String = (0..n).map(|i| payload_json(&format!("m-{i}")) + "\n").collect();
    std::fs::write(f.path(), lines).unwrap();
    hq(server).args(["emit", "--no-publish", "--file"]).arg(f.path()).assert().success();
    (0..n).map(|i| format!("m-{i}")).collect()
}

/// The model ids left in main, in consumption order.
fn main_in_order(server: &RedisServer) -> Vec<String> {
    server.lrange(QUEUE).iter().rev().map(|r| envelope(r)["payload"]["model_id"].as_str().unwrap().to_owned()).collect()
}

fn drain_process(server: &RedisServer, args: &[&str]) -> Command {
    let mut c = hq_process(server);
    c.arg("drain").args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    c
}

fn zrange(server: &RedisServer, key: &str) -> Vec<Vec<u8>> {
    redis::cmd("ZRANGE").arg(key).arg(0).arg(-1).query(&mut server.client()).unwrap()
}

#[test]
fn a_pipe_reader_that_stops_early_costs_only_what_it_took() {
    // Case 1: `drain | head -1` acknowledged the whole batch; the rest came back reversed.
    for n in [50, 1000] {
        let server = RedisServer::start();
        let ids = emit_n(&server, n);
        let mut child = drain_process(&server, &[]).spawn().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        out.read_line(&mut first).unwrap();
        drop(out); // the reader goes away after one line
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(1), "a reader that stops early is not a complete drain");
        assert_eq!(envelope(first.trim_end().as_bytes())["payload"]["model_id"], "m-0");
        let left = main_in_order(&server);
        assert_eq!(server.llen(PROCESSING), 0);
        // The reader took one line (the tool wrote at most a window it could see taken): the
        // rest is back, in its order, and nothing it never saw was acknowledged.
        // The first line goes out alone: the reader's one read() took exactly it.
        assert_eq!(left.len(), n - 1, "{n}: the reader took one line; {} are left", left.len());
        assert_eq!(left, ids[n - left.len()..], "{n}: the returned messages keep their order");
    }
}

#[test]
fn a_slow_pipe_reader_keeps_the_leases_alive() {
    // Case 8: with a slow reader and a short visibility timeout, reap-stale requeued what drain
    // was still writing: every message was delivered twice.
    let server = RedisServer::start();
    emit_n(&server, 300);
    let mut child = drain_process(&server, &["--visibility-timeout", "1s"]).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reaper = {
        let stop = stop.clone();
        let url = server.url();
        std::thread::spawn(move || {
            let mut runs = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let mut c = bare();
                c.args(["--redis-url", &url, "reap-stale", "--visibility-timeout", "1s"]).assert().success();
                runs += 1;
                std::thread::sleep(Duration::from_millis(200));
            }
            runs
        })
    };
    std::thread::sleep(Duration::from_secs(3)); // the reader is away for 3 visibility timeouts
    let lines: Vec<String> = BufReader::new(stdout).lines().map(Result::unwrap).collect();
    let status = child.wait().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let runs = reaper.join().unwrap();
    assert!(status.success());
    assert!(runs >= 5, "reap-stale ran {runs} times meanwhile");
    let unique: std::collections::BTreeSet<&String> = lines.iter().collect();
    assert_eq!((lines.len(), unique.len()), (300, 300), "each message exactly once");
    assert_eq!((server.llen(QUEUE), server.llen(PROCESSING)), (0, 0));
}

#[test]
fn retries_and_reaps_change_the_count_and_no_other_byte() {
    // Case 2: big and exponent numbers were re-printed through f64.
    let server = RedisServer::start();
    let env = r#"{"message_id":"00000000-0000-4000-8000-000000000001","message_type":"other","payload":{"amount":123456789012345678901234567890,"e":1E2,"f":0.10},"timestamp":"2026-01-01T00:00:00","retry_count":0,"max_retries":3}"#;
    server.lpush(QUEUE, env.as_bytes());
    hq(&server).args(["drain", "--max", "1", "--retry-base", "1h", "--exec", "exit 3"]).assert().code(1);
    let members = zrange(&server, RETRY);
    assert_eq!(members.len(), 1);
    assert_eq!(&members[0][33..], env.replace("\"retry_count\":0", "\"retry_count\":1").as_bytes(), "only the count changed");
    // A reap of an expired lease rewrites the same way.
    let server = RedisServer::start();
    server.lpush(PROCESSING, env.as_bytes());
    hq(&server).args(["reap-stale", "--visibility-timeout", "100ms"]).assert().success();
    std::thread::sleep(Duration::from_millis(200));
    hq(&server).args(["reap-stale", "--visibility-timeout", "100ms"]).assert().success();
    assert_eq!(server.lrange(QUEUE), vec![env.replace("\"retry_count\":0", "\"retry_count\":1").into_bytes()]);
    // An envelope as the platform writes it (json.dumps: ", " and ": "): only the digits change.
    let server = RedisServer::start();
    let spaced = r#"{"message_id": "00000000-0000-4000-8000-000000000002", "message_type": "other", "payload": {"a": 1}, "timestamp": "2026-01-01T00:00:00", "retry_count": 0, "max_retries": 3}"#;
    server.lpush(QUEUE, spaced.as_bytes());
    hq(&server).args(["drain", "--max", "1", "--retry-base", "1h", "--exec", "exit 3"]).assert().code(1);
    assert_eq!(&zrange(&server, RETRY)[0][33..], spaced.replace("\"retry_count\": 0", "\"retry_count\": 1").as_bytes());
    // emit of another message type keeps such numbers as given too.
    let server = RedisServer::start();
    hq(&server)
        .args(["emit", "--message-type", "other", "--payload", r#"{"amount":123456789012345678901234567890,"e":1E2}"#])
        .assert()
        .success();
    let text = String::from_utf8(server.lrange(QUEUE)[0].clone()).unwrap();
    assert!(text.contains(r#""amount":123456789012345678901234567890"#) && text.contains(r#""e":1E2"#), "{text}");
}

#[test]
fn a_negative_retry_count_is_dead_lettered_after_max() {
    // Case 7: i64::MIN was retried forever.
    let server = RedisServer::start();
    let env = r#"{"message_id":"00000000-0000-4000-8000-000000000002","message_type":"other","payload":{},"timestamp":"2026-01-01T00:00:00","retry_count":-9223372036854775808,"max_retries":1}"#;
    server.lpush(QUEUE, env.as_bytes());
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!("echo x >> '{}/attempts'; exit 1", dir.path().display());
    let started = Instant::now();
    hq(&server).args(["drain", "--retry-base", "1ms", "--retry-cap", "5ms", "--exec", &cmd]).assert().code(1);
    let attempts = std::fs::read_to_string(dir.path().join("attempts")).unwrap().lines().count();
    assert_eq!(attempts, 2, "a first attempt and max_retries (1) retry");
    assert_eq!(server.llen(DLQ), 1);
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn a_message_no_handler_can_take_is_dead_lettered_and_the_consumer_goes_on() {
    // Case 4: a NUL byte or a 200 KiB message_id crashed every consumer that took it.
    let server = RedisServer::start();
    let nul = r#"{"message_id":"a\u0000b","message_type":"t","payload":{},"timestamp":"2026-01-01T00:00:00","retry_count":0,"max_retries":3}"#;
    let big = format!(
        r#"{{"message_id":"{}","message_type":"t","payload":{{}},"timestamp":"2026-01-01T00:00:00","retry_count":0,"max_retries":3}}"#,
        "x".repeat(200 * 1024)
    );
    server.lpush(QUEUE, nul.as_bytes());
    server.lpush(QUEUE, big.as_bytes());
    emit_n(&server, 1);
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!("cat > '{}/handled'", dir.path().display());
    let out = hq(&server).args(["drain", "--exec", &cmd, "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["processed"].as_u64(), v["dead_lettered"].as_u64()), (Some(1), Some(2)), "{v}");
    let errors: Vec<String> = server.lrange(DLQ).iter().map(|e| envelope(e)["error"].as_str().unwrap().to_owned()).collect();
    assert!(errors.iter().any(|e| e.contains("NUL byte")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("128 KiB")), "{errors:?}");
    assert_eq!(envelope(&std::fs::read(dir.path().join("handled")).unwrap())["payload"]["model_id"], "m-0");
}

#[test]
fn a_handler_that_cannot_start_stops_the_drain_before_the_next_message() {
    // Case 11: a typo in --exec dead-lettered the whole queue, exit 0.
    let server = RedisServer::start();
    let ids = emit_n(&server, 5);
    let out = hq(&server).args(["drain", "--exec", "no-such-handler-xyz --flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("could not be started (exit 127)"), "{err}");
    assert_eq!(main_in_order(&server), ids, "every message back, in order, no attempt counted");
    assert!(server.lrange(QUEUE).iter().all(|r| envelope(r)["retry_count"] == 0));
    assert_eq!((server.llen(DLQ), zrange(&server, RETRY).len()), (0, 0));
    // Any failed message makes the exit status 1; all succeeded: 0.
    // (A short retry: the last drain waits for the pending retry and handles it.)
    hq(&server).args(["drain", "--max", "1", "--retry-base", "1ms", "--retry-cap", "5ms", "--exec", "exit 1"]).assert().code(1);
    hq(&server).args(["drain", "--exec", "cat > /dev/null"]).assert().success();
    assert_eq!((server.llen(QUEUE), zrange(&server, RETRY).len(), server.llen(DLQ)), (0, 0, 0));
}

#[test]
fn a_dry_run_counts_the_retries_the_real_run_promotes() {
    // Case 12: `reap-stale --dry-run` said "promoted 0" with one retry due.
    let server = RedisServer::start();
    server.cmd(&["ZADD", RETRY, "1", &format!("{}:{}", "0".repeat(32), r#"{"message_id":"x"}"#)]);
    let dry = json_out(hq(&server).args(["reap-stale", "--dry-run", "-o", "json"]));
    assert_eq!(dry["promoted"], 1);
    assert_eq!(zrange(&server, RETRY).len(), 1, "a dry run moves nothing");
    let real = json_out(hq(&server).args(["reap-stale", "-o", "json"]));
    assert_eq!(real["promoted"], 1);
    let text = hq(&server).args(["reap-stale", "--dry-run"]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("would promote 0 due retries"));
}

#[test]
fn handlers_see_no_secret_and_their_output_is_scrubbed() {
    // Case 15: handlers inherited REDIS_AUTH_TOKEN and HOKUSAI_REDIS_URL, their output relayed as is.
    let server = RedisServer::start_with(&["--requirepass", "s3cr3t-T0ken"]);
    let mut c = bare();
    c.env("REDIS_AUTH_TOKEN", "s3cr3t-T0ken")
        .env("HOKUSAI_REDIS_URL", format!("redis://127.0.0.1:{}", server.port))
        .env("LEAKED_COPY", "s3cr3t-T0ken")
        .args(["--profile", "envelope", "emit", "--no-publish", "--payload", &payload_json("m")])
        .assert()
        .success();
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!("env > '{}/env'; echo \"stdout $LEAKED_COPY\"; echo \"stderr $LEAKED_COPY\" >&2", dir.path().display());
    let mut c = bare();
    let out = c
        .env("REDIS_AUTH_TOKEN", "s3cr3t-T0ken")
        .env("HOKUSAI_REDIS_URL", format!("redis://127.0.0.1:{}", server.port))
        .env("LEAKED_COPY", "s3cr3t-T0ken")
        .args(["drain", "--exec", &cmd])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let env = std::fs::read_to_string(dir.path().join("env")).unwrap();
    assert!(!env.contains("REDIS_AUTH_TOKEN") && !env.contains("HOKUSAI_REDIS_URL"), "{env}");
    assert!(env.contains("HOKUSAI_MESSAGE_ID="));
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!all.contains("s3cr3t-T0ken"), "{all}");
    assert!(all.contains("stdout ***") && all.contains("stderr ***"), "{all}");
}

#[test]
fn a_killed_drain_takes_its_handler_with_it() {
    // Case 5: after drain was killed its handler ran on, and the message was handled twice.
    let server = RedisServer::start();
    emit_n(&server, 1);
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("started");
    let done = dir.path().join("finished");
    let cmd = format!("touch '{}'; sleep 2; touch '{}'", marker.display(), done.display());
    let mut child = drain_process(&server, &["--exec", &cmd]).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !marker.exists() {
        assert!(Instant::now() < deadline, "the handler never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert!(!done.exists(), "the handler was killed with drain, not left to finish unsupervised");
    assert_eq!(server.llen(PROCESSING), 1, "the message waits in processing for reap-stale");
}

#[test]
fn a_following_drain_rides_through_a_redis_restart() {
    // Case 5: a restart that is back within a second killed every --follow consumer (exit 3).
    let mut server = RedisServer::start_with(&["--appendonly", "yes"]);
    let dir = tempfile::tempdir().unwrap();
    let handled = dir.path().join("handled");
    let cmd = format!("cat >> '{}'; echo >> '{}'", handled.display(), handled.display());
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("hokusai-queue"));
    for k in ["HOKUSAI_REDIS_URL", "REDIS_URL", "HOKUSAI_QUEUE", "HOKUSAI_PROFILE", "REDIS_AUTH_TOKEN"] {
        child.env_remove(k);
    }
    let mut child = child
        .args(["--redis-url", &server.url(), "--connect-retries", "5", "--connect-backoff-base", "100ms"])
        .args(["drain", "--follow", "--exec", &cmd])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let count = || std::fs::read_to_string(&handled).unwrap_or_default().lines().count();
    let wait = |n: usize| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while count() < n {
            assert!(Instant::now() < deadline, "only {} of {n} handled", count());
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    emit_n(&server, 3);
    wait(3);
    server.restart();
    assert!(child.try_wait().unwrap().is_none(), "drain is still running after the restart");
    hq(&server).args(["emit", "--no-publish", "--payload", &payload_json("after")]).assert().success();
    wait(4);
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), nix::sys::signal::Signal::SIGTERM).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{err}");
    assert!(err.contains("reconnecting"), "{err}");
    assert_eq!((server.llen(QUEUE), server.llen(PROCESSING)), (0, 0));
}

#[test]
fn what_a_reader_printed_is_never_handed_out_again() {
    // A reader that takes 300 lines and stops: every line it took is acknowledged (no
    // duplicate later), and what it never saw is back in order.
    let server = RedisServer::start();
    let ids = emit_n(&server, 1000);
    let bin = assert_cmd::cargo::cargo_bin("hokusai-queue");
    let script = format!("'{}' --redis-url {} drain 2>/dev/null | head -n 300", bin.display(), server.url());
    let out = Command::new("bash").arg("-c").arg(script).output().unwrap();
    let printed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| envelope(l.as_bytes())["payload"]["model_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(printed, ids[..300]);
    let left = main_in_order(&server);
    assert!(left.len() <= 700, "{} left: lines the reader printed were not acknowledged", left.len());
    // head reads in blocks: the lines of its last block that it did not print are charged to it
    // (it took them); at most one 8 KiB block of ~190-byte lines.
    assert!(left.len() >= 650, "only {} left: the reader was charged for far more than it took", left.len());
    assert_eq!(left, ids[1000 - left.len()..], "the rest is back in its order");
    assert_eq!(server.llen(PROCESSING), 0);
}

#[test]
fn a_drain_blocked_on_a_stalled_reader_stops_on_a_signal_and_acks_a_trickle_promptly() {
    let server = RedisServer::start();
    let ids = emit_n(&server, 300);
    // The reader takes one line, then stalls for a minute.
    let bin = assert_cmd::cargo::cargo_bin("hokusai-queue");
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(format!("exec '{}' --redis-url {} drain 2>/dev/null | {{ read l; sleep 60; }}", bin.display(), server.url()))
        .process_group(0)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.llen(PROCESSING) == 0 {
        assert!(Instant::now() < deadline, "drain never claimed");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let pgid = nix::unistd::Pid::from_raw(child.id() as i32);
    // SIGTERM to drain only (the pipeline's first process): find it by its parent.
    let drain_pid = std::fs::read_to_string(format!("/proc/{}/task/{}/children", child.id(), child.id())).unwrap_or_default();
    let drain_pid: i32 = drain_pid.split_whitespace().next().and_then(|p| p.parse().ok()).unwrap_or(0);
    assert!(drain_pid > 0);
    let signalled = Instant::now();
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(drain_pid), nix::sys::signal::Signal::SIGTERM).unwrap();
    while std::path::Path::new(&format!("/proc/{drain_pid}/stat")).exists()
        && !std::fs::read_to_string(format!("/proc/{drain_pid}/stat")).unwrap_or_default().contains(") Z")
    {
        assert!(signalled.elapsed() < Duration::from_secs(10), "drain ignored SIGTERM while the reader stalled");
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = nix::sys::signal::killpg(pgid, nix::sys::signal::Signal::SIGKILL);
    let _ = child.wait();
    // Nothing left half-moved: what the reader took is acknowledged, the rest is back in order.
    assert_eq!(server.llen(PROCESSING), 0);
    let left = main_in_order(&server);
    assert_eq!(left, ids[300 - left.len()..]);
    assert!(left.len() >= 298, "{} left", left.len());

    // --follow with a trickle: lines taken are acknowledged within about a second, not held
    // until 256 pile up.
    let server = RedisServer::start();
    let mut follow = Command::new("bash")
        .arg("-c")
        .arg(format!("exec '{}' --redis-url {} drain --follow 2>/dev/null | cat > /dev/null", bin.display(), server.url()))
        .process_group(0)
        .spawn()
        .unwrap();
    for i in 0..20 {
        hq(&server).args(["emit", "--no-publish", "--payload", &payload_json(&format!("t-{i}"))]).assert().success();
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.llen(PROCESSING) > 0 || server.llen(QUEUE) > 0 {
        assert!(Instant::now() < deadline, "delivered lines were left unacknowledged in processing");
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(follow.id() as i32), nix::sys::signal::Signal::SIGKILL);
    let _ = follow.wait();
}
