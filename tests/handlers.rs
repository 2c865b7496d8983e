//! Handlers at scale (issue 16): `--concurrency N` for `--exec`, and long-lived
//! `--exec-stream` handlers with their line protocol: outcomes per message, signals, a handler
//! that dies, hangs or talks out of protocol, the README's example handlers, and SIGKILL at
//! random points with N = 8 followed by reap-stale and a second drain: nothing lost.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::*;

const PROCESSING: &str = "hokusai:model_ready_queue:processing";
const DLQ: &str = "hokusai:model_ready_queue:dlq";
const RETRY: &str = "hokusai:model_ready_queue:hokusai-queue:retry";
const LEASES: &str = "hokusai:model_ready_queue:hokusai-queue:leases";

/// Emits messages with model ids m-0.. (max_retries `max`).
fn emit_n(server: &RedisServer, n: usize, max: u32) {
    let f = tempfile::NamedTempFile::new().unwrap();
    let lines: String = (0..n).map(|i| payload_json(&format!("m-{i}")) + "\n").collect();
    std::fs::write(f.path(), lines).unwrap();
    hq(server).args(["emit", "--no-publish", "--max-retries", &max.to_string(), "--file"]).arg(f.path()).assert().success();
}

fn model_id(raw: &[u8]) -> String {
    envelope(raw)["payload"]["model_id"].as_str().unwrap_or_default().to_owned()
}

fn zrange(server: &RedisServer, key: &str) -> Vec<Vec<u8>> {
    redis::cmd("ZRANGE").arg(key).arg(0).arg(-1).query(&mut server.client()).unwrap()
}

/// The envelopes waiting in the retry set (each member is a 32-hex nonce, ':', the element).
fn retries(server: &RedisServer) -> Vec<Value> {
    zrange(server, RETRY).iter().map(|m| envelope(&m[33..])).collect()
}

/// The model ids of the DLQ's entries.
fn dead_letters(server: &RedisServer) -> Vec<String> {
    server.lrange(DLQ).iter().map(|e| model_id(envelope(e)["original_message"].as_str().unwrap_or_default().as_bytes())).collect()
}

fn lines_of(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap_or_default().lines().map(str::to_owned).collect()
}

fn spawn(server: &RedisServer, args: &[&str]) -> Child {
    let mut c = hq_process(server);
    c.args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
}

fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, sig: nix::sys::signal::Signal) {
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), sig).unwrap();
}

fn files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

#[test]
fn concurrency_runs_up_to_n_handlers_at_once_each_message_settled_on_its_own() {
    let server = RedisServer::start();
    emit_n(&server, 24, 3);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    std::fs::create_dir(dir.path().join("running")).unwrap();
    // A barrier: each handler waits until 8 have started (one at a time would time out at 20 s
    // and fail); it records how many run beside it; the m-1x messages fail.
    let cmd = format!(
        "id=$HOKUSAI_MESSAGE_ID; touch '{d}/running/'$id; echo $id >> '{d}/started'; \
         i=0; while [ $(wc -l < '{d}/started') -lt 8 ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; \
         ls '{d}/running' | wc -l >> '{d}/beside'; body=$(cat); rm '{d}/running/'$id; \
         [ $i -lt 400 ] || exit 9; case \"$body\" in *'\"m-1'[0-9]'\"'*) exit 1;; esac"
    );
    let out = hq(&server)
        // A day's base: full jitter puts a retry anywhere in [0, 1d), never due within the test.
        .args(["drain", "--concurrency", "8", "--max", "24", "--retry-base", "1d", "--exec", &cmd, "-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "failed attempts make exit 1: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["processed"].as_u64(), v["retried"].as_u64(), v["dead_lettered"].as_u64()),
        (Some(14), Some(10), Some(0)),
        "{v}"
    );
    let most = lines_of(&dir.path().join("beside")).iter().map(|l| l.trim().parse::<u32>().unwrap()).max().unwrap();
    assert!((2..=8).contains(&most), "{most} handlers ran at once with --concurrency 8");
    let retried: BTreeSet<String> =
        retries(&server).iter().map(|e| e["payload"]["model_id"].as_str().unwrap().to_owned()).collect();
    let expected: BTreeSet<String> = (10..20).map(|i| format!("m-{i}")).collect();
    assert_eq!(retried, expected, "exactly the failed ones wait as retries");
    assert!(retries(&server).iter().all(|e| e["retry_count"] == 1));
    // --retry-base alone raises the 30 s default cap: ten delays drawn from [0, 1d) are not all
    // under 30 s (they were, silently, before).
    let due: Vec<(Vec<u8>, f64)> =
        redis::cmd("ZRANGE").arg(RETRY).arg(0).arg(-1).arg("WITHSCORES").query(&mut server.client()).unwrap();
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as f64;
    let latest = due.iter().map(|(_, s)| *s).fold(0.0, f64::max);
    assert!(latest > now_ms + 60_000.0, "the latest retry is due in {} ms", latest - now_ms);
    assert_eq!((server.llen(QUEUE), server.llen(PROCESSING), server.llen(DLQ)), (0, 0, 0));
}

#[test]
fn concurrency_sigterm_lets_running_handlers_finish_and_a_second_kills_them_into_retries() {
    for second in [false, true] {
        let server = RedisServer::start();
        emit_n(&server, 20, 3);
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().display();
        let cmd = format!("touch '{d}/'$HOKUSAI_MESSAGE_ID; sleep 1.5; echo $HOKUSAI_MESSAGE_ID >> '{d}/handled'");
        let child = spawn(&server, &["drain", "--concurrency", "4", "--retry-base", "1h", "--exec", &cmd]);
        wait_for("4 handlers to start", || files_in(dir.path()) >= 4);
        signal(&child, nix::sys::signal::Signal::SIGTERM);
        if second {
            std::thread::sleep(Duration::from_millis(200));
            signal(&child, nix::sys::signal::Signal::SIGTERM);
        }
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(143), "{err}");
        let handled = lines_of(&dir.path().join("handled")).len();
        if second {
            assert_eq!(handled, 0, "the second signal killed them: {err}");
            assert_eq!(retries(&server).len(), 4, "each killed attempt waits as a retry: {err}");
            assert!(retries(&server).iter().all(|e| e["retry_count"] == 1));
        } else {
            assert_eq!(handled, 4, "the running handlers finished: {err}");
            assert!(err.contains("4 processed"), "{err}");
            assert!(retries(&server).is_empty());
        }
        assert_eq!((server.llen(QUEUE), server.llen(PROCESSING), zrange(&server, LEASES).len()), (16, 0, 0), "{err}");
    }
}

/// A stream handler in Python (stdlib only) that answers per message by its model id:
/// m-*7 always retry, m-*9 dead, the rest ok (recorded in DONE).
fn python_handler(dir: &Path) -> String {
    let script = dir.join("handler.py");
    std::fs::write(
        &script,
        r#"import json, os, sys
done = open(os.environ["DONE"], "a")
for n, line in enumerate(sys.stdin, 1):
    m = json.loads(line)["payload"]["model_id"]
    if m.endswith("7"):
        print(f"retry {n} seven is flaky", flush=True)
    elif m.endswith("9"):
        print(f"dead {n} nine is poison", flush=True)
    else:
        done.write(m + "\n"); done.flush()
        print(f"ok {n}", flush=True)
"#,
    )
    .unwrap();
    format!("DONE='{}' python3 '{}'", dir.join("done").display(), script.display())
}

#[test]
fn stream_answers_settle_each_message_on_its_own() {
    let server = RedisServer::start();
    emit_n(&server, 60, 1);
    let dir = tempfile::tempdir().unwrap();
    let cmd = python_handler(dir.path());
    let out = hq(&server)
        .args([
            "drain",
            "--exec-stream",
            &cmd,
            "--concurrency",
            "3",
            "--window",
            "4",
            "--retry-base",
            "1ms",
            "--retry-cap",
            "2ms",
        ])
        .args(["-o", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // 6 sevens: 2 attempts each (max_retries 1), then the DLQ; 6 nines: dead at once.
    assert_eq!(
        (v["processed"].as_u64(), v["retried"].as_u64(), v["dead_lettered"].as_u64()),
        (Some(48), Some(6), Some(12)),
        "{v}"
    );
    let mut done = lines_of(&dir.path().join("done"));
    done.sort();
    let mut want: Vec<String> = (0..60).filter(|i| i % 10 != 7 && i % 10 != 9).map(|i| format!("m-{i}")).collect();
    want.sort();
    assert_eq!(done, want, "each ok message handled once");
    let mut dead = dead_letters(&server);
    dead.sort();
    let mut want: Vec<String> = (0..60).filter(|i| i % 10 == 7 || i % 10 == 9).map(|i| format!("m-{i}")).collect();
    want.sort();
    assert_eq!(dead, want);
    let errors: Vec<String> = server.lrange(DLQ).iter().map(|e| envelope(e)["error"].as_str().unwrap().to_owned()).collect();
    assert!(errors.iter().any(|e| e == "nine is poison"), "{errors:?}");
    assert!(errors.iter().any(|e| e.starts_with("seven is flaky (attempt 2 of 2")), "{errors:?}");
    assert_eq!(
        (server.llen(QUEUE), server.llen(PROCESSING), zrange(&server, RETRY).len(), zrange(&server, LEASES).len()),
        (0, 0, 0, 0)
    );
}

#[test]
fn stream_a_pretty_printed_element_arrives_as_one_line() {
    let server = RedisServer::start();
    let pretty = "{\n  \"message_id\": \"00000000-0000-4000-8000-000000000001\",\n  \"message_type\": \"t\",\n  \"payload\": {\"note\": \"a b\"},\n  \"timestamp\": \"2026-01-01T00:00:00\",\n  \"retry_count\": 0,\n  \"max_retries\": 3\n}";
    server.lpush(QUEUE, pretty.as_bytes());
    let dir = tempfile::tempdir().unwrap();
    let got = dir.path().join("got");
    let cmd = format!("while IFS= read -r l; do printf '%s\\n' \"$l\" >> '{}'; echo ok 1; done", got.display());
    hq(&server).args(["drain", "--exec-stream", &cmd]).assert().success();
    let lines = lines_of(&got);
    assert_eq!(lines.len(), 1);
    assert_eq!(
        lines[0],
        r#"{"message_id":"00000000-0000-4000-8000-000000000001","message_type":"t","payload":{"note":"a b"},"timestamp":"2026-01-01T00:00:00","retry_count":0,"max_retries":3}"#
    );
    assert_eq!((server.llen(QUEUE), server.llen(PROCESSING)), (0, 0));
}

#[test]
fn stream_a_handler_that_dies_hangs_or_talks_out_of_protocol_is_restarted_and_its_unanswered_messages_retried() {
    let cases: [(&str, &str, &str); 4] = [
        // Answers the first 3, then dies with the 4th unanswered.
        ("dies", r#"awk '{ if (NR == 4) exit 3; print "ok " NR; fflush() }'"#, "exited with status 3"),
        // Answers the first 3, then says something that is not an answer.
        ("out of protocol", r#"awk '{ if (NR == 4) print "done"; else print "ok " NR; fflush() }'"#, "out of protocol"),
        // Answers for a line it was never sent.
        ("unknown line", r#"awk '{ if (NR == 4) print "ok 99"; else print "ok " NR; fflush() }'"#, "not awaiting an answer"),
        // Answers the first 3, then hangs.
        ("hangs", r#"awk '{ if (NR == 4) system("sleep 30"); print "ok " NR; fflush() }'"#, "--handler-timeout"),
    ];
    for (name, handler, reason) in cases {
        let server = RedisServer::start();
        emit_n(&server, 6, 3);
        let out = hq(&server)
            .args([
                "drain",
                "--exec-stream",
                handler,
                "--window",
                "1",
                "--handler-timeout",
                "500ms",
                "--retry-base",
                "1h",
                "--max",
                "6",
            ])
            .args(["-o", "json"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        // The first handler answered 3; the 4th message failed; a new handler took the other 2.
        assert_eq!((v["processed"].as_u64(), v["retried"].as_u64()), (Some(5), Some(1)), "{name}: {v} {err}");
        let r = retries(&server);
        assert_eq!(r.len(), 1, "{name}");
        assert_eq!((r[0]["payload"]["model_id"].as_str(), r[0]["retry_count"].as_u64()), (Some("m-3"), Some(1)), "{name}");
        assert!(err.contains(reason), "{name}: {err}");
        assert_eq!((server.llen(QUEUE), server.llen(PROCESSING), server.llen(DLQ)), (0, 0, 0), "{name}");
    }
}

#[test]
fn stream_nothing_is_acknowledged_before_its_answer() {
    // A handler that reads its 10 lines and exits without a word: every message it read is a
    // failed attempt, none acknowledged.
    let server = RedisServer::start();
    emit_n(&server, 10, 3);
    let out = hq(&server)
        .args(["drain", "--exec-stream", "head -n 10 > /dev/null", "--max", "10", "--retry-base", "1h", "-o", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["processed"].as_u64(), v["retried"].as_u64()), (Some(0), Some(10)), "{v}");
    assert_eq!(retries(&server).len(), 10);
    assert!(String::from_utf8_lossy(&out.stderr).contains("without answering"));
    // A handler that cannot start: nothing counted, everything back in order, exit 1.
    let server = RedisServer::start();
    emit_n(&server, 5, 3);
    let before = server.lrange(QUEUE);
    let out = hq(&server).args(["drain", "--exec-stream", "no-such-handler-xyz"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not be started (exit 127)"));
    assert_eq!(server.lrange(QUEUE), before, "every message back, in order, untouched");
    assert_eq!(server.llen(PROCESSING), 0);
}

#[test]
fn stream_signals_let_answers_come_and_a_second_kills_into_retries() {
    for second in [false, true] {
        let server = RedisServer::start();
        emit_n(&server, 20, 3);
        let dir = tempfile::tempdir().unwrap();
        let started = dir.path().join("started");
        // Slow: answers each message 1 s after reading it.
        let cmd =
            format!(r#"awk '{{ print NR >> "{}"; fflush(); system("sleep 1"); print "ok " NR; fflush() }}'"#, started.display());
        let child =
            spawn(&server, &["drain", "--exec-stream", &cmd, "--concurrency", "2", "--window", "2", "--retry-base", "1h"]);
        wait_for("both handlers to start", || lines_of(&started).len() >= 2);
        signal(&child, nix::sys::signal::Signal::SIGINT);
        if second {
            std::thread::sleep(Duration::from_millis(200));
            signal(&child, nix::sys::signal::Signal::SIGINT);
        }
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{err}");
        // 4 were in flight (2 handlers x window 2); the rest were never taken, or went back.
        if second {
            assert_eq!(retries(&server).len(), 4, "{err}");
            assert!(err.contains("0 processed"), "{err}");
        } else {
            assert!(retries(&server).is_empty(), "{err}");
            assert!(err.contains("4 processed"), "{err}");
        }
        assert_eq!((server.llen(QUEUE), server.llen(PROCESSING), zrange(&server, LEASES).len()), (16, 0, 0), "{err}");
    }
}

/// The README's example stream handlers, run as the README says, with a deploy command that
/// fails for m-3.
#[test]
fn the_readme_example_stream_handlers_work() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (file, run) in [
        ("examples/stream-handler.sh", "sh examples/stream-handler.sh"),
        ("examples/stream_handler.py", "python3 examples/stream_handler.py"),
    ] {
        let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
        assert!(readme.contains(source.trim_end()), "README.md shows {file} verbatim");
        assert!(readme.contains(&format!("--exec-stream '{run}'")), "README.md says how to run {file}");
        let server = RedisServer::start();
        emit_n(&server, 6, 0);
        server.lpush(QUEUE, br#"{"message_id":"00000000-0000-4000-8000-000000000009","message_type":"t","payload":{},"timestamp":"2026-01-01T00:00:00","retry_count":0,"max_retries":0}"#);
        let dir = tempfile::tempdir().unwrap();
        let deploy = dir.path().join("deploy");
        let log = dir.path().join("deployed");
        std::fs::write(
            &deploy,
            format!("#!/bin/sh\necho \"deploying $1\"\n[ \"$1\" = m-3 ] && exit 1\necho \"$1\" >> '{}'\n", log.display()),
        )
        .unwrap();
        std::fs::set_permissions(&deploy, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let out = hq(&server)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("DEPLOY_CMD", &deploy)
            .args(["drain", "--exec-stream", run, "-o", "json"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{file}: {err}"));
        assert_eq!((v["processed"].as_u64(), v["dead_lettered"].as_u64()), (Some(5), Some(2)), "{file}: {v} {err}");
        assert_eq!(lines_of(&log), ["m-0", "m-1", "m-2", "m-4", "m-5"], "{file}");
        assert!(err.contains("deploying m-0"), "the deploy's output reaches drain's stderr: {err}");
        let errors: BTreeMap<String, String> = server
            .lrange(DLQ)
            .iter()
            .map(|e| {
                let e = envelope(e);
                (model_id(e["original_message"].as_str().unwrap().as_bytes()), e["error"].as_str().unwrap().to_owned())
            })
            .collect();
        assert!(errors[""].contains("model_id"), "{file}: {errors:?}");
        assert!(errors["m-3"].starts_with("deploy of m-3 failed"), "{file}: {errors:?}");
        assert_eq!((server.llen(QUEUE), server.llen(PROCESSING)), (0, 0));
    }
}

/// SIGKILLs a drain with 8 handlers at random points, three times, then lets the leases expire,
/// runs reap-stale and a last drain: every message ends exactly once, handled (the done log)
/// or dead-lettered (the m-*7 ones, which always fail), nothing left anywhere else. A message
/// is handled twice only when a kill came between its success and its ack.
fn crash_campaign(mode: &[&str], handler: &str, per_kill: usize) {
    let server = RedisServer::start();
    let n = 300;
    emit_n(&server, n, 2);
    let dir = tempfile::tempdir().unwrap();
    let done = dir.path().join("done");
    let handler = handler.replace("DONE", &done.display().to_string());
    let drain = |extra: &[&str]| {
        let mut args = vec!["drain", "--visibility-timeout", "1s", "--retry-base", "1ms", "--retry-cap", "5ms"];
        args.extend_from_slice(mode);
        args.push(&handler);
        args.extend_from_slice(extra);
        args.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let kills = 3;
    let mut stranded = Vec::new();
    for _ in 0..kills {
        let mut child =
            spawn(&server, &drain(&["--concurrency", "8", "--follow"]).iter().map(String::as_str).collect::<Vec<_>>());
        std::thread::sleep(Duration::from_millis(fastrand::u64(100..400)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        stranded.push(server.llen(PROCESSING));
    }
    eprintln!("{mode:?}: left in processing after each kill: {stranded:?}");
    assert!(stranded.iter().any(|n| *n > 0), "no kill caught a message in flight: {stranded:?}");
    std::thread::sleep(Duration::from_millis(1100)); // the killed drains' leases expire
    hq(&server).args(["reap-stale", "--visibility-timeout", "1s"]).assert().success();
    let last = drain(&["--concurrency", "8"]);
    let out = hq(&server).args(&last).output().unwrap();
    assert!(out.status.code() == Some(1) || out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        (server.llen(QUEUE), server.llen(PROCESSING), zrange(&server, RETRY).len(), zrange(&server, LEASES).len()),
        (0, 0, 0, 0),
        "nothing left in main, processing, retry or leases"
    );
    let handled = lines_of(&done);
    let dead = dead_letters(&server);
    let unique: BTreeSet<&String> = handled.iter().collect();
    let dead_set: BTreeSet<&String> = dead.iter().collect();
    assert_eq!(dead.len(), dead_set.len(), "a message dead-lettered twice: {dead:?}");
    for i in 0..n {
        let id = format!("m-{i}");
        if i % 10 == 7 {
            assert!(dead_set.contains(&id) && !unique.contains(&id), "{id}: always fails, so dead-lettered once, never handled");
        } else {
            assert!(unique.contains(&id) && !dead_set.contains(&id), "{id}: handled, not dead-lettered");
        }
    }
    let duplicates = handled.len() - unique.len();
    eprintln!("{mode:?}: {} handled, {} dead-lettered, {duplicates} handled twice", unique.len(), dead.len());
    assert!(duplicates <= kills * per_kill, "{duplicates} handled twice: more than the kills can explain");
}

#[test]
fn crash_campaign_concurrency_8_loses_nothing() {
    let handler =
        r#"m=$(sed -n 's/.*"model_id":"\([^"]*\)".*/\1/p'); case $m in *7) exit 1;; esac; sleep 0.03; echo "$m" >> 'DONE'"#;
    crash_campaign(&["--exec"], handler, 8);
}

#[test]
fn crash_campaign_stream_8_loses_nothing() {
    let handler = r#"python3 -c '
import json, random, sys, time
done = open("DONE", "a")
for n, line in enumerate(sys.stdin, 1):
    m = json.loads(line)["payload"]["model_id"]
    time.sleep(random.random() / 40)
    if m.endswith("7"):
        print(f"retry {n} sevens fail", flush=True)
        continue
    done.write(m + "\n"); done.flush()
    print(f"ok {n}", flush=True)
'"#;
    crash_campaign(&["--window", "4", "--exec-stream"], handler, 8 * 4);
}

#[test]
fn stream_mint_answers_follow_the_deployers_discipline() {
    use crate::support::deployer;
    const MINT: &str = "hokusai:mint_requests";
    let server = RedisServer::start();
    let compact = |v: &Value| serde_json::to_string(v).unwrap();
    let settled = deployer::example_request_with(4);
    server.cmd(&["SADD", "hokusai:mint_requests:processed", settled["idempotency_key"].as_str().unwrap()]);
    for raw in [
        compact(&deployer::example_request_with(1)),
        "{not json".to_owned(),
        compact(&deployer::example_request_with(2)),
        compact(&settled),
        compact(&deployer::example_request_with(3)),
    ] {
        server.lpush(MINT, raw.as_bytes());
    }
    // The handler sees the three fresh valid requests, in order: ok, retry, dead.
    let cmd = r#"awk '{ if (NR == 2) print "retry 2 RPC timeout"; else if (NR == 3) print "dead 3 reverted"; else print "ok " NR; fflush() }'"#;
    let v = crate::support::json_out_failed(hq(&server).args(["--queue", MINT, "-o", "json", "drain", "--exec-stream", cmd]));
    assert_eq!(
        (v["processed"].as_u64(), v["retried"].as_u64(), v["dead_lettered"].as_u64(), v["duplicates"].as_u64()),
        (Some(1), Some(1), Some(2), Some(1)),
        "{v}"
    );
    let members = zrange(&server, "hokusai:mint_requests:retry");
    assert_eq!(members.len(), 1);
    let m: Value = serde_json::from_slice(&members[0]).unwrap();
    assert_eq!(
        (m["_retryCount"].as_u64(), m["message_id"].clone()),
        (Some(1), deployer::example_request_with(2)["message_id"].clone())
    );
    deployer::accepts(&members[0]).expect("the deployer accepts the retry member");
    let reasons: Vec<(String, Option<String>)> = server
        .lrange("hokusai:mint_requests:dlq")
        .iter()
        .map(|e| {
            let (_, reason, class) = deployer::parse_dlq_entry(e).expect("the official tool can parse it");
            (reason, class)
        })
        .collect();
    assert!(reasons.contains(&("reverted".to_owned(), Some("permanent".to_owned()))), "{reasons:?}");
    assert!(reasons.iter().any(|(r, _)| r == "Invalid JSON"), "{reasons:?}");
    let processed: Vec<String> =
        redis::cmd("SMEMBERS").arg("hokusai:mint_requests:processed").query(&mut server.client()).unwrap();
    assert_eq!(processed.len(), 1, "the tool never adds to the processed set");
    assert_eq!((server.llen(MINT), server.llen("hokusai:mint_requests:processing")), (0, 0));
}

/// A stream handler holding a thousand messages longer than the visibility timeout: the
/// heartbeat renews every lease (pipelined, one round trip per 500), so none expires and a
/// reaper running meanwhile takes nothing; then every answer settles its message.
#[test]
fn stream_heartbeat_keeps_a_thousand_held_leases_alive() {
    let server = RedisServer::start();
    emit_n(&server, 1000, 3);
    let handler = "python3 -c 'import sys,time\nn=0\nfor line in sys.stdin:\n    n+=1\n    if n==1000:\n        time.sleep(3)\n        sys.stdout.write(\"\".join(\"ok %d\\n\" % i for i in range(1,n+1)))\n        sys.stdout.flush()\n'";
    let child = spawn(
        &server,
        &["drain", "--exec-stream", handler, "--window", "1000", "--max", "1000", "--visibility-timeout", "1200ms", "-o", "json"],
    );
    wait_for("1000 messages held", || server.llen(PROCESSING) == 1000);
    // Held 3 s, 2.5 visibility timeouts (1.2 s: wide enough that a loaded test machine's
    // scheduling does not eat it, narrow enough that the heartbeat must renew all 1000 twice).
    for _ in 0..7 {
        std::thread::sleep(Duration::from_millis(400));
        let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
        let expired: i64 = redis::cmd("ZCOUNT").arg(LEASES).arg("-inf").arg(now_ms).query(&mut server.client()).unwrap();
        assert_eq!(expired, 0, "a held message's lease expired");
        hq(&server).args(["reap-stale", "--visibility-timeout", "1200ms"]).assert().success();
        if server.llen(PROCESSING) < 1000 {
            break;
        }
    }
    let out = child.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(v["processed"].as_u64(), Some(1000), "{v} {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!((server.llen(QUEUE), server.llen(PROCESSING)), (0, 0), "none reclaimed meanwhile, all acknowledged");
}

/// Waits at most 15 s for `child` to end (killing it and failing otherwise); its output.
fn output_within_15s(mut child: Child, what: &str) -> std::process::Output {
    let deadline = Instant::now() + Duration::from_secs(15);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() >= deadline {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("{what}: still running after 15 s; stderr: {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn stream_an_answer_for_a_line_still_being_written_to_the_handler_is_out_of_protocol() {
    // Each line is larger than a pipe holds: a handler that never reads has been given none
    // of them, and its answers for them must not acknowledge anything.
    let server = RedisServer::start();
    let pad = "x".repeat(200 * 1024);
    for i in 0..4 {
        let e = format!(
            r#"{{"message_id":"00000000-0000-4000-8000-00000000000{i}","message_type":"t","payload":{{"model_id":"m-{i}","pad":"{pad}"}},"timestamp":"2026-01-01T00:00:00","retry_count":0,"max_retries":3}}"#
        );
        server.lpush(QUEUE, e.as_bytes());
    }
    let handler = "sleep 0.5; for i in 1 2 3 4; do echo ok $i; done; sleep 1";
    let out = hq(&server)
        .args(["drain", "--exec-stream", handler, "--window", "4", "--max", "4", "--retry-base", "1h", "-o", "json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["processed"].as_u64(), v["retried"].as_u64()), (Some(0), Some(4)), "{v} {err}");
    assert!(err.contains("had not been given"), "{err}");
    let mut r: Vec<String> = retries(&server).iter().map(|e| e["payload"]["model_id"].as_str().unwrap().to_owned()).collect();
    r.sort();
    assert_eq!(r, ["m-0", "m-1", "m-2", "m-3"]);
    assert_eq!((server.llen(QUEUE), server.llen(PROCESSING), server.llen(DLQ)), (0, 0, 0));
}

#[test]
fn stream_a_handler_that_exits_is_noticed_while_its_background_child_holds_stdout() {
    let server = RedisServer::start();
    emit_n(&server, 1, 3);
    let child = spawn(
        &server,
        &["drain", "--exec-stream", "sleep 30 & read x; exit 3", "--max", "1", "--retry-base", "1h", "-o", "json"],
    );
    // Ended before the orphan would have (30 s): the exit itself was noticed.
    let out = output_within_15s(child, "a drain whose handler exited");
    let err = String::from_utf8_lossy(&out.stderr);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["processed"].as_u64(), v["retried"].as_u64()), (Some(0), Some(1)), "{v} {err}");
    assert!(err.contains("exited with status 3"), "{err}");
    let r = retries(&server);
    assert_eq!((r.len(), r[0]["retry_count"].as_u64()), (1, Some(1)));
    assert_eq!((server.llen(QUEUE), server.llen(PROCESSING)), (0, 0));
}

#[test]
fn stream_max_with_wait_runs_the_message_the_wait_brought() {
    let server = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let cmd = python_handler(dir.path());
    let child = spawn(&server, &["drain", "--exec-stream", &cmd, "--max", "1", "--wait", "5s", "-o", "json"]);
    std::thread::sleep(Duration::from_millis(1500));
    emit_n(&server, 1, 3);
    let out = output_within_15s(child, "drain --max 1 --wait 5s");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["processed"].as_u64(), Some(1), "{v} {err}");
    assert_eq!(lines_of(&dir.path().join("done")), ["m-0"]);
    assert_eq!((server.llen(QUEUE), server.llen(PROCESSING)), (0, 0));
}
