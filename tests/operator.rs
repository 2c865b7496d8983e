//! The operator's experience (issue 13): what a new user tripped on, tried as a user would.

use std::process::Stdio;
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::support::*;

#[test]
fn an_interrupted_file_emit_says_how_to_resume_and_the_resume_checks_the_file() {
    let server = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("events.jsonl");
    let lines: String = (0..40_000).map(|i| payload_json(&format!("m-{i}")) + "\n").collect();
    std::fs::write(&file, lines).unwrap();
    let mut child = hq_process(&server)
        .args(["emit", "--no-publish", "--batch-size", "10", "--file"])
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while server.llen(QUEUE) < 500 {
        assert!(Instant::now() < deadline && child.try_wait().unwrap().is_none(), "emit never got going");
        std::thread::sleep(Duration::from_millis(5));
    }
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), nix::sys::signal::Signal::SIGINT).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(130), "{err}");
    let landed = server.llen(QUEUE) as usize;
    assert!(landed < 40_000, "the interrupt came too late to test anything");
    assert!(err.contains(&format!("interrupted: {landed} messages were pushed (through line {landed} ")), "{err}");
    let run = err.split("--resume ").nth(1).expect("the resume command").trim().to_owned();
    // Another (shorter) file is not the run's: refused, nothing pushed.
    let short = dir.path().join("short.jsonl");
    std::fs::write(&short, payload_json("x") + "\n").unwrap();
    hq(&server)
        .args(["emit", "--no-publish", "--resume", &run, "--file"])
        .arg(&short)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("is not the input of emit run"));
    assert_eq!(server.llen(QUEUE) as usize, landed);
    // The printed command finishes the job: every line exactly once, in order.
    hq(&server).args(["emit", "--no-publish", "--batch-size", "10", "--resume", &run, "--file"]).arg(&file).assert().success();
    let ids: Vec<String> =
        server.lrange(QUEUE).iter().rev().map(|r| envelope(r)["payload"]["model_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids, (0..40_000).map(|i| format!("m-{i}")).collect::<Vec<_>>());
}

#[test]
fn every_missing_field_is_named_at_once() {
    let server = RedisServer::start();
    hq(&server).args(["emit", "--model-id", "m", "--metric-name", "acc"]).assert().code(4).stderr(predicate::str::contains(
        "missing token_symbol (--token-symbol), baseline_value (--baseline-value), current_value (--current-value), \
             model_name (--model-name), model_version (--model-version)",
    ));
    let help = bare().args(["emit", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("payload.model_name (required unless --payload or --file)"), "{text}");
}

#[test]
fn a_subcommands_own_flags_come_before_the_global_ones() {
    let help = bare().args(["depth", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout).to_string();
    let own = text.find("--fail-above").unwrap();
    let heading = text.find("Global options:").expect("a heading for the global flags");
    let global = text.find("--redis-url").unwrap();
    assert!(own < heading && heading < global, "{text}");
    assert!(!text.contains("HOKUSAI_REDIS_CLUSTER="), "{text}");
}

#[test]
fn small_things_that_misled() {
    let server = RedisServer::start();
    hq(&server).args(emit_flags()).assert().success();
    // peek --limit 0 on a queue that is not empty does not call it empty.
    hq(&server)
        .args(["peek", "--limit", "0"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(0 of 1 shown").and(predicate::str::contains("empty").not()));
    // --envelopes with --payload is refused, not ignored.
    hq(&server).args(["emit", "--envelopes", "--payload", "{}"]).assert().code(2).stderr(predicate::str::contains("--envelopes"));
    // redis-cli's habit: host:port without a scheme.
    bare()
        .args(["--redis-url", "127.0.0.1:6379", "depth"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no scheme: write redis://127.0.0.1:6379"));
    // Each connection retry is said.
    bare()
        .args(["--redis-url", "redis://127.0.0.1:1", "--connect-retries", "2", "--connect-backoff-base", "10ms", "depth"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("retry 1 of 2").and(predicate::str::contains("retry 2 of 2")));
    // An empty --all-queues says so instead of drawing an empty table.
    hq(&server)
        .args(["depth", "--all-queues", "--match", "nothing:*"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no queue matching"));
    // doctor names flags that exist.
    server.cmd(&["SET", QUEUE, "x"]);
    let out = hq(&server).args(["doctor"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("point --queue elsewhere") && !text.contains("--main-key"), "{text}");
}

#[test]
fn watch_frames_carry_the_time_one_json_line_each() {
    let server = RedisServer::start();
    let mut child = hq_process(&server).args(["depth", "--watch", "200ms", "-o", "json"]).stdout(Stdio::piped()).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(700));
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let frames: Vec<serde_json::Value> =
        text.lines().map(|l| serde_json::from_str(l).expect("one JSON document per line")).collect();
    assert!(frames.len() >= 2, "{text}");
    assert!(frames.iter().all(|f| f["at"].as_str().is_some_and(|t| t.ends_with('Z'))), "{text}");
}

#[test]
fn answering_no_at_the_prompt_changes_nothing_and_says_so_with_exit_2() {
    // A real terminal (util-linux `script` gives the command a pseudo-terminal).
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` (util-linux) to give the prompt a terminal");
        return;
    }
    let server = RedisServer::start();
    let dlq = "hokusai:model_ready_queue:dlq";
    server.lpush(dlq, br#"{"original_message":"x","error":"e"}"#);
    let bin = assert_cmd::cargo::cargo_bin("hokusai-queue");
    let run = |answer: &str| {
        let cmd = format!("'{}' --redis-url {} dlq purge", bin.display(), server.url());
        let mut child = std::process::Command::new("script")
            .args(["-qec", &cmd, "/dev/null"])
            .env("HOKUSAI_CONFIG", "/nonexistent/hokusai-queue-tests/config.toml")
            .env_remove("HOKUSAI_REDIS_URL")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(500));
        use std::io::Write;
        child.stdin.as_mut().unwrap().write_all(answer.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).to_string())
    };
    let (code, screen) = run("n\n");
    assert!(screen.contains("cannot be undone") && screen.contains("1 entry?"), "{screen}");
    assert!(screen.contains("not confirmed: nothing was deleted"), "{screen}");
    assert_eq!(code, Some(2), "{screen}");
    assert_eq!(server.llen(dlq), 1);
    let (code, screen) = run("y\n");
    assert_eq!(code, Some(0), "{screen}");
    assert_eq!(server.llen(dlq), 0);
}

/// Restoring the same backup twice adds nothing twice with --skip-present: envelopes whose
/// message_id is in main, processing, the retry set or the DLQ are left out.
#[test]
fn a_backup_restored_twice_with_skip_present_adds_nothing_twice() {
    let server = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, (0..6).map(|i| payload_json(&format!("m-{i}")) + "\n").collect::<String>()).unwrap();
    hq(&server).args(["emit", "--no-publish", "--file"]).arg(&input).assert().success();
    // The backup: drained to a file (the queue is empty afterwards).
    let backup = dir.path().join("backup.jsonl");
    let out = hq(&server).args(["drain"]).output().unwrap();
    assert!(out.status.success());
    std::fs::write(&backup, &out.stdout).unwrap();
    assert_eq!(server.llen(QUEUE), 0);
    let restore = |server: &RedisServer| {
        json_out(hq(server).args(["emit", "--no-publish", "--envelopes", "--skip-present", "-o", "json", "--file"]).arg(&backup))
    };
    let v = restore(&server);
    assert_eq!((v["emitted"].as_u64(), v["skipped_present"].as_u64()), (Some(6), Some(0)), "{v}");
    // One is being processed, one dead-lettered, one waits in the retry set: all present.
    hq(&server).args(["drain", "--max", "1", "--exec", "exit 1", "--retry-base", "1h", "--retry-cap", "1h"]).assert().code(1);
    server.cmd(&["RPOPLPUSH", QUEUE, &format!("{QUEUE}:processing")]);
    let el = server.lrange(QUEUE).pop().unwrap();
    server.cmd(&["LREM", QUEUE, "1", std::str::from_utf8(&el).unwrap()]);
    server.lpush(&format!("{QUEUE}:dlq"), &el);
    let v = restore(&server);
    assert_eq!((v["emitted"].as_u64(), v["skipped_present"].as_u64()), (Some(0), Some(6)), "{v}");
    let ids = |s: &RedisServer| {
        let mut all: Vec<Vec<u8>> = s.lrange(QUEUE);
        all.extend(s.lrange(&format!("{QUEUE}:processing")));
        all.extend(s.lrange(&format!("{QUEUE}:dlq")));
        all.len()
    };
    let retry: i64 = redis::from_redis_value(server.cmd(&["ZCARD", &format!("{QUEUE}:hokusai-queue:retry")])).unwrap();
    assert_eq!(retry, 1, "the failed one waits in the retry set");
    assert_eq!(ids(&server) + retry as usize, 6);
    // Without the flag, a second restore duplicates: the flag is what prevents it.
    hq(&server).args(["emit", "--no-publish", "--envelopes", "--file"]).arg(&backup).assert().success();
    assert_eq!(server.llen(QUEUE), 9);
    hq(&server)
        .args(["emit", "--skip-present", "--file"])
        .arg(&input)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--envelopes"));
}

/// Who holds each lease: a drain records `host:pid` with every lease it takes; peek of the
/// processing list and message inspect show it; it goes with the ack, and reap-stale drops a
/// holder whose element is gone.
#[test]
fn peek_and_inspect_show_who_holds_each_lease() {
    let server = RedisServer::start();
    hq(&server).args(emit_flags()).assert().success();
    let dir = tempfile::tempdir().unwrap();
    let gate = dir.path().join("go");
    let mut drain = hq_process(&server)
        .args(["drain", "--max", "1", "--exec", &format!("while [ ! -e {} ]; do sleep 0.05; done", gate.display())])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    server.wait_until("the message to be claimed", |s| s.llen(&format!("{QUEUE}:processing")) == 1);
    let host = nix::unistd::gethostname().unwrap().into_string().unwrap();
    let holder = format!("{host}:{}", drain.id());
    let v = json_out(hq(&server).args(["peek", "--list", "processing", "-o", "json"]));
    assert_eq!(v[0]["lease"]["holder"], holder.as_str(), "{v}");
    assert!(v[0]["lease"]["expires_in_seconds"].as_f64().unwrap() > 0.0, "{v}");
    let table = String::from_utf8(hq(&server).args(["peek", "--list", "processing"]).output().unwrap().stdout).unwrap();
    assert!(table.contains("holder") && table.contains(&holder), "{table}");
    let id = v[0]["message_id"].as_str().unwrap().to_owned();
    let inspect = json_out(hq(&server).args(["message", "inspect", &id, "-o", "json"]));
    assert!(inspect.to_string().contains(&holder), "{inspect}");
    std::fs::write(&gate, "").unwrap();
    assert!(drain.wait().unwrap().success());
    let holders = format!("{QUEUE}:hokusai-queue:holders");
    let n: i64 = redis::from_redis_value(server.cmd(&["HLEN", &holders])).unwrap();
    assert_eq!(n, 0, "the holder went with the ack");
    // A holder left behind (its element acknowledged by a consumer that keeps none): reap-stale drops it.
    server.cmd(&["HSET", &holders, "0000000000000000000000000000000000000000", "gone:1"]);
    hq(&server).args(["reap-stale"]).assert().success();
    let n: i64 = redis::from_redis_value(server.cmd(&["HLEN", &holders])).unwrap();
    assert_eq!(n, 0, "reap-stale dropped the stale holder");
}

/// Under --limit the progress bar counts towards the limit (not the DLQ's length), seen in a
/// real terminal.
#[test]
fn the_progress_bar_of_a_limited_replay_counts_to_the_limit() {
    let server = RedisServer::start();
    let dlq = "hokusai:model_ready_queue:dlq";
    for i in 0..40 {
        let env = format!(
            r#"{{"message_id":"00000000-0000-4000-8000-{i:012}","message_type":"model_ready_to_deploy","payload":{{"model_id":"m"}},"timestamp":"2025-01-27T15:31:00.000001","retry_count":3,"max_retries":3}}"#
        );
        server.lpush(dlq, env.as_bytes());
    }
    let bin = assert_cmd::cargo::cargo_bin("hokusai-queue");
    let cmd = format!("'{}' --redis-url {} dlq replay --limit 6 --rate 4 --batch-size 1 --yes", bin.display(), server.url());
    let out = std::process::Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("HOKUSAI_CONFIG", "/nonexistent/hokusai-queue-tests/config.toml")
        .env_remove("HOKUSAI_REDIS_URL")
        .stdin(Stdio::null())
        .output()
        .expect("util-linux `script` gives the command a terminal");
    let screen = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(out.status.code(), Some(0), "{screen}");
    assert!(screen.contains("/6 ("), "the bar counts to the limit: {screen}");
    assert!(!screen.contains("/40 ("), "not to the DLQ's length: {screen}");
    assert!(
        screen
            .contains("replayed 6 matching entries from hokusai:model_ready_queue:dlq (--limit 6); 34 more match these filters"),
        "{screen}"
    );
    assert_eq!(server.llen(dlq), 34);
}

/// --skip-present while a consumer takes messages: every message is in main or processing all
/// the time, so a restore of them pushes none (the lists are read from their newest end, where
/// a consumer's pops move nothing not read yet).
#[test]
fn skip_present_misses_nothing_while_a_consumer_runs() {
    let server = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    std::fs::write(&input, (0..20_000).map(|i| payload_json(&format!("m-{i}")) + "\n").collect::<String>()).unwrap();
    hq(&server).args(["emit", "--no-publish", "--file"]).arg(&input).assert().success();
    // The backup: the exact elements, oldest first.
    let backup = dir.path().join("backup.jsonl");
    let mut lines: Vec<u8> = Vec::new();
    for el in server.lrange(QUEUE).iter().rev() {
        lines.extend_from_slice(el);
        lines.push(b'\n');
    }
    std::fs::write(&backup, lines).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let consumer = {
        let (stop, mut con) = (stop.clone(), server.client());
        std::thread::spawn(move || {
            let mut moved = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let got: Option<Vec<u8>> =
                    redis::cmd("RPOPLPUSH").arg(QUEUE).arg(format!("{QUEUE}:processing")).query(&mut con).unwrap();
                if got.is_none() {
                    break;
                }
                moved += 1;
                // Slow enough to be running all along the restore's reading of the lists.
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            moved
        })
    };
    let v = json_out(
        hq(&server).args(["emit", "--no-publish", "--envelopes", "--skip-present", "-o", "json", "--file"]).arg(&backup),
    );
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let moved = consumer.join().unwrap();
    assert!(moved > 0 && server.llen(QUEUE) > 0, "the consumer did not run alongside the whole restore ({moved} moved)");
    assert_eq!((v["emitted"].as_u64(), v["skipped_present"].as_u64()), (Some(0), Some(20_000)), "moved {moved} meanwhile: {v}");
    assert_eq!(server.llen(QUEUE) + server.llen(&format!("{QUEUE}:processing")), 20_000, "nothing doubled");
}
