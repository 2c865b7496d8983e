//! drain: byte-exact stdout, handlers, retries, DLQ, poison, timeouts, signals, SIGKILL at
//! every point of a message's life, then reap-stale and a second drain: nothing lost.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::*;

const PROCESSING: &str = "hokusai:model_ready_queue:processing";
const DLQ: &str = "hokusai:model_ready_queue:dlq";
const RETRY: &str = "hokusai:model_ready_queue:hokusai-queue:retry";
const LEASES: &str = "hokusai:model_ready_queue:hokusai-queue:leases";
const HOLDERS: &str = "hokusai:model_ready_queue:hokusai-queue:holders";
const BATCH_LEASES: &str = "hokusai:model_ready_queue:hokusai-queue:batch-leases";
const BATCHES: &str = "hokusai:model_ready_queue:hokusai-queue:batches";

/// Emits `n` messages (max_retries `max`) and returns their ids in consumption order.
fn emit_n(server: &RedisServer, n: usize, max: u32) -> Vec<String> {
    let f = tempfile::NamedTempFile::new().unwrap();
    let lines: String = (0..n).map(|i| payload_json(&format!("m-{i}")) + "\n").collect();
    std::fs::write(f.path(), lines).unwrap();
    hq(server).args(["emit", "--no-publish", "--max-retries", &max.to_string(), "--file"]).arg(f.path()).assert().success();
    server.lrange(QUEUE).iter().rev().map(|r| envelope(r)["message_id"].as_str().unwrap().to_owned()).collect()
}

fn zcard(server: &RedisServer, key: &str) -> u64 {
    redis::cmd("ZCARD").arg(key).query(&mut server.client()).unwrap()
}

fn hlen(server: &RedisServer, key: &str) -> u64 {
    redis::cmd("HLEN").arg(key).query(&mut server.client()).unwrap()
}

/// main, processing, retry, leases, lease holders and batch leases all empty.
fn assert_settled(server: &RedisServer) {
    assert_eq!(
        (server.llen(QUEUE), server.llen(PROCESSING), zcard(server, RETRY), zcard(server, LEASES), hlen(server, HOLDERS)),
        (0, 0, 0, 0, 0),
        "main, processing, retry, leases, holders should all be empty"
    );
    assert_eq!((zcard(server, BATCH_LEASES), hlen(server, BATCHES)), (0, 0), "no batch lease left behind");
}

fn lines_of(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap_or_default().lines().map(str::to_owned).collect()
}

fn spawn(server: &RedisServer, args: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("hokusai-queue"))
        .args(["--redis-url", &server.url(), "--connect-retries", "0"])
        .args(args)
        .env_remove("HOKUSAI_QUEUE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn wait_for(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(child: &Child, sig: &str) {
    assert!(Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap().success());
}

#[test]
fn stdout_is_byte_exact_and_everything_is_acked() {
    let server = RedisServer::start();
    emit_n(&server, 250, 3);
    let stored: Vec<Vec<u8>> = server.lrange(QUEUE).into_iter().rev().collect();
    let out = hq(&server).args(["drain", "--batch", "40"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<&[u8]> = out.stdout.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 250);
    for (line, raw) in lines.iter().zip(&stored) {
        assert_eq!(*line, raw.as_slice(), "drain rewrote a message");
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("250 processed"));
    assert_settled(&server);
    assert_eq!(server.llen(DLQ), 0);
}

#[test]
fn max_stops_early_and_json_summary() {
    let server = RedisServer::start();
    emit_n(&server, 20, 3);
    let out = hq(&server).args(["drain", "--max", "7", "-o", "json"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count(), 7);
    // Without --exec, stdout carries messages: the JSON summary goes to stderr.
    let summary: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(summary["processed"], 7);
    assert_eq!(server.llen(QUEUE), 13);
    assert_eq!(server.llen(PROCESSING), 0);
}

#[test]
fn handler_gets_the_envelope_and_its_environment() {
    let server = RedisServer::start();
    let ids = emit_n(&server, 5, 3);
    let stored: Vec<Vec<u8>> = server.lrange(QUEUE).into_iter().rev().collect();
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!(
        "cat > '{d}/'$HOKUSAI_MESSAGE_ID.json; echo \"$HOKUSAI_MESSAGE_TYPE $HOKUSAI_RETRY_COUNT\" > '{d}/'$HOKUSAI_MESSAGE_ID.env; echo to-stdout",
        d = dir.path().display()
    );
    let v = json_out(hq(&server).args(["drain", "-o", "json", "--exec", &cmd]));
    assert_eq!(v["processed"], 5);
    for (id, raw) in ids.iter().zip(&stored) {
        assert_eq!(std::fs::read(dir.path().join(format!("{id}.json"))).unwrap(), *raw);
        assert_eq!(std::fs::read_to_string(dir.path().join(format!("{id}.env"))).unwrap(), "model_ready_to_deploy 0\n");
    }
    assert_settled(&server);
}

#[test]
fn always_failing_handler_ends_in_the_dlq_after_max_retries_plus_one_attempts() {
    let server = RedisServer::start();
    let ids = emit_n(&server, 2, 3);
    let original: Vec<Value> = server.lrange(QUEUE).iter().rev().map(|r| envelope(r)).collect();
    let dir = tempfile::tempdir().unwrap();
    let cmd =
        format!("echo $HOKUSAI_RETRY_COUNT >> '{}/'$HOKUSAI_MESSAGE_ID; echo 'disk on fire' >&2; exit 7", dir.path().display());
    let out =
        hq(&server).args(["drain", "-o", "json", "--retry-base", "5ms", "--retry-cap", "20ms", "--exec", &cmd]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "failed attempts make the exit status 1");
    assert!(String::from_utf8_lossy(&out.stderr).contains("8 attempt(s) failed (6 retried, 2 dead-lettered)"));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["processed"].as_u64(), v["retried"].as_u64(), v["dead_lettered"].as_u64()), (Some(0), Some(6), Some(2)));
    for id in &ids {
        assert_eq!(lines_of(&dir.path().join(id)), ["0", "1", "2", "3"], "attempts of {id}");
    }
    assert_settled(&server);
    let dlq = server.lrange(DLQ);
    assert_eq!(dlq.len(), 2);
    for entry in dlq {
        let w = envelope(&entry);
        let keys: Vec<&str> = w.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["original_message", "error", "failed_at", "original_queue"]);
        let err = w["error"].as_str().unwrap();
        assert!(err.contains("status 7") && err.contains("disk on fire"), "{err}");
        assert_eq!(w["original_queue"], QUEUE);
        assert_naive_iso(w["failed_at"].as_str().unwrap());
        let inner_raw = w["original_message"].as_str().unwrap();
        assert_platform_accepts(inner_raw.as_bytes());
        let mut inner: Value = serde_json::from_str(inner_raw).unwrap();
        assert_eq!(inner["retry_count"], 3);
        // Only retry_count changed, every other key kept in place and order.
        inner["retry_count"] = 0.into();
        let orig = original.iter().find(|o| o["message_id"] == inner["message_id"]).unwrap();
        assert_eq!(serde_json::to_string(&inner).unwrap(), serde_json::to_string(orig).unwrap());
    }
}

#[test]
fn hanging_handler_is_killed_with_its_children() {
    let server = RedisServer::start();
    emit_n(&server, 1, 0);
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let cmd = format!("sleep 60 & echo $! > '{}'; wait", pidfile.display());
    hq(&server).args(["drain", "--handler-timeout", "300ms", "--exec", &cmd]).assert().code(1);
    let err = envelope(&server.lrange(DLQ)[0])["error"].as_str().unwrap().to_owned();
    assert!(err.contains("timed out after 300ms"), "{err}");
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    // Gone, or a zombie waiting for a reaper (PID 1 in a container may not reap): not running.
    let state = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap_or_default();
    let running = state.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z'));
    assert!(!running, "the handler's child survived the timeout kill: {state}");
    assert_settled(&server);
}

#[test]
fn poison_is_dead_lettered_and_the_good_ones_processed() {
    let server = RedisServer::start();
    let good = emit_n(&server, 1, 3);
    // Poison in the middle of the good ones (LPUSH: they are consumed after the first good one).
    let first_good = server.lrange(QUEUE).pop().unwrap();
    server.cmd(&["DEL", QUEUE]);
    server.lpush(QUEUE, &first_good);
    server.lpush(QUEUE, b"not json");
    server.lpush(QUEUE, b"\xff\xfe\xfd binary");
    server.lpush(QUEUE, br#"{"model_id": "no envelope"}"#);
    let big = format!(
        r#"{{"message_id":"550e8400-e29b-41d4-a716-446655440000","message_type":"model_ready_to_deploy","payload":{{"blob":"{}"}},"timestamp":"2025-01-27T15:30:00.123456","retry_count":0,"max_retries":3}}"#,
        "x".repeat(10 * 1024 * 1024)
    );
    server.lpush(QUEUE, big.as_bytes());
    hq(&server).args(["emit", "--no-publish", "--payload", &payload_json("last-good")]).assert().success();
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!("echo $HOKUSAI_MESSAGE_ID >> '{}/handled'", dir.path().display());
    let v = json_out_failed(hq(&server).args(["drain", "-o", "json", "--exec", &cmd]));
    assert_eq!(v["processed"], 2);
    assert_eq!(v["dead_lettered"], 4);
    let handled = lines_of(&dir.path().join("handled"));
    assert_eq!(handled.len(), 2);
    assert_eq!(handled[0], good[0]);
    assert_settled(&server);
    let dlq = server.lrange(DLQ);
    assert_eq!(dlq.len(), 4);
    assert!(dlq.contains(&b"\xff\xfe\xfd binary".to_vec()), "non-UTF-8 is dead-lettered bare, byte for byte");
    let errors: Vec<String> = dlq
        .iter()
        .filter_map(|e| serde_json::from_slice::<Value>(e).ok())
        .map(|w| w["error"].as_str().unwrap().to_owned())
        .collect();
    assert!(errors.iter().any(|e| e.contains("not JSON")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("without a string message_id")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("larger than --max-message-bytes")), "{errors:?}");
    let wrapped_big = dlq.iter().find(|e| e.len() > 10 * 1024 * 1024).unwrap();
    assert_eq!(envelope(wrapped_big)["original_message"].as_str().unwrap().as_bytes(), big.as_bytes());
}

/// SIGKILL the drain at a point of a message's life (via a handler that kills its parent,
/// `$PPID`, once), then reap-stale and drain again: every message handled at least once,
/// every list empty.
fn crash_then_recover(handler_first_time: &str) {
    let server = RedisServer::start();
    let ids = emit_n(&server, 4, 3);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    let record = format!("echo $HOKUSAI_MESSAGE_ID >> '{d}/handled'");
    let once = format!("if [ ! -e '{d}/crashed' ]; then touch '{d}/crashed'; {handler_first_time}; else {record}; fi");
    let once = once.replace("RECORD", &record);
    let out = hq(&server).args(["drain", "--visibility-timeout", "400ms", "--exec", &once]).output().unwrap();
    assert_eq!(out.status.code(), None, "drain should have died of SIGKILL");
    assert_eq!(server.llen(PROCESSING), 1, "the message in flight stays in processing");
    assert_eq!(zcard(&server, LEASES), 1, "with its lease");
    // Nothing is reclaimed while the lease runs; then it is, counting the attempt.
    std::thread::sleep(Duration::from_millis(600));
    let v = json_out(hq(&server).args(["reap-stale", "--visibility-timeout", "400ms", "-o", "json"]));
    assert_eq!(v["requeued"], 1, "{v}");
    assert_eq!(v["moved"][0]["retry_count"], 1);
    assert_eq!(server.llen(PROCESSING), 0);
    hq(&server).args(["drain", "--exec", &record]).assert().success();
    let handled = lines_of(&dir.path().join("handled"));
    for id in &ids {
        assert!(handled.contains(id), "{id} was never handled: {handled:?}");
    }
    assert_settled(&server);
    assert_eq!(server.llen(DLQ), 0);
}

#[test]
fn sigkill_before_the_handler_works() {
    crash_then_recover("kill -9 $PPID; sleep 1");
}

#[test]
fn sigkill_while_the_handler_runs() {
    crash_then_recover("kill -9 $PPID; sleep 0.2; RECORD");
}

#[test]
fn sigkill_after_the_handler_exited_before_the_ack() {
    // The handler records and exits 0; a background child kills drain a moment later, while
    // drain is between the handler's exit and the ack (it waits for the stderr pipe to close).
    crash_then_recover("RECORD; (sleep 0.1; kill -9 $PPID) & exit 0");
}

#[test]
fn sigterm_lets_the_running_handler_finish() {
    let server = RedisServer::start();
    let ids = emit_n(&server, 3, 3);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display();
    let cmd = format!("touch '{d}/started'; sleep 0.7; echo $HOKUSAI_MESSAGE_ID >> '{d}/handled'");
    let child = spawn(&server, &["drain", "--follow", "--exec", &cmd]);
    wait_for("the first handler to start", || dir.path().join("started").exists());
    signal(&child, "-TERM");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(lines_of(&dir.path().join("handled")), [ids[0].clone()], "the running handler finished");
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 processed"));
    assert_eq!(server.llen(PROCESSING), 0);
    assert_eq!(server.llen(QUEUE), 2, "the others were never taken");
    assert_eq!(zcard(&server, LEASES), 0);
}

#[test]
fn a_second_sigint_kills_the_handler_and_counts_the_attempt() {
    let server = RedisServer::start();
    emit_n(&server, 1, 3);
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!("touch '{}/started'; sleep 30", dir.path().display());
    let child = spawn(&server, &["drain", "--retry-base", "1h", "--exec", &cmd]);
    wait_for("the handler to start", || dir.path().join("started").exists());
    signal(&child, "-INT");
    std::thread::sleep(Duration::from_millis(200));
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(server.llen(PROCESSING), 0);
    assert_eq!(zcard(&server, RETRY), 1, "the killed attempt waits as a retry");
    let member: Vec<Vec<u8>> = redis::cmd("ZRANGE").arg(RETRY).arg(0).arg(-1).query(&mut server.client()).unwrap();
    assert_eq!(envelope(&member[0][33..])["retry_count"], 1);
}

#[test]
fn wait_picks_up_late_messages() {
    let server = RedisServer::start();
    let child = spawn(&server, &["drain", "--wait", "3s"]);
    std::thread::sleep(Duration::from_millis(500));
    hq(&server).args(["emit", "--no-publish", "--payload", &payload_json("late")]).assert().success();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(envelope(out.stdout.split(|b| *b == b'\n').next().unwrap())["payload"]["model_id"], "late");
    assert_settled(&server);
}

#[test]
fn the_same_bytes_twice_are_two_deliveries() {
    let server = RedisServer::start();
    hq(&server).args(["emit", "--no-publish", "--payload", &payload_json("dup")]).assert().success();
    let raw = server.lrange(QUEUE).pop().unwrap();
    server.lpush(QUEUE, &raw);
    let dir = tempfile::tempdir().unwrap();
    let cmd = format!("cat >> '{}/handled'; echo >> '{}/handled'", dir.path().display(), dir.path().display());
    let v = json_out(hq(&server).args(["drain", "-o", "json", "--exec", &cmd]));
    assert_eq!(v["processed"], 2);
    assert_eq!(lines_of(&dir.path().join("handled")).len(), 2);
    assert_settled(&server);
}

#[test]
fn closed_stdout_returns_unwritten_messages() {
    let server = RedisServer::start();
    emit_n(&server, 3000, 3);
    let bin = assert_cmd::cargo::cargo_bin("hokusai-queue");
    let script = format!("'{}' --redis-url {} drain -o json 2>'{{}}' | head -c 100 >/dev/null", bin.display(), server.url());
    let errfile = tempfile::NamedTempFile::new().unwrap();
    let script = script.replace("{}", &errfile.path().display().to_string());
    Command::new("bash").arg("-c").arg(script).status().unwrap();
    let err = std::fs::read_to_string(errfile.path()).unwrap();
    assert!(err.contains("stdout's reader stopped reading"), "{err}");
    let summary: Value = serde_json::from_str(err.lines().find(|l| l.starts_with('{')).unwrap()).unwrap();
    assert_eq!(server.llen(PROCESSING), 0, "nothing is left half-moved");
    assert_eq!((zcard(&server, LEASES), hlen(&server, HOLDERS)), (0, 0), "no lease or holder is left behind");
    let processed = summary["processed"].as_u64().unwrap();
    assert_eq!(server.llen(QUEUE) + processed, 3000, "every message is acked (written) or back in the queue");
}

/// A batch is acked element by element, from the tail of processing (LREM -1). Here an older
/// claim (another consumer's, leased far in the future) sits at the tail, and an identical copy
/// of one message is still in flight elsewhere: the batch is removed, the other claim and its
/// lease stay, and the duplicate keeps its lease.
#[test]
fn a_batch_behind_another_claim_is_acked_element_by_element() {
    let server = RedisServer::start();
    let ids = emit_n(&server, 6, 3);
    let all = server.lrange(QUEUE);
    // Another consumer holds an element (at the tail of processing) with a long lease, and a
    // copy of the newest queued message.
    let foreign = payload_json("held-elsewhere").into_bytes();
    let dup = all[0].clone();
    let mut c = server.client();
    let _: () = redis::cmd("RPUSH").arg(PROCESSING).arg(&foreign).arg(&dup).query(&mut c).unwrap();
    let far = 4_000_000_000_000i64;
    let _: () = redis::cmd("ZADD").arg(LEASES).arg(far).arg(&foreign).arg(far).arg(&dup).query(&mut c).unwrap();
    let sha1 = |b: &[u8]| sha1_smol::Sha1::from(b).digest().to_string();
    let _: () = redis::cmd("HSET").arg(HOLDERS).arg(sha1(&foreign)).arg("other:1").query(&mut c).unwrap();

    let out = hq(&server).args(["drain", "--batch", "4"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| envelope(l.as_bytes())["message_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, ids, "every message once, in order");
    assert_eq!(server.llen(QUEUE), 0);
    assert_eq!(server.lrange(PROCESSING), vec![dup.clone(), foreign.clone()], "the other claims are untouched");
    for member in [&foreign, &dup] {
        let score: Option<i64> = redis::cmd("ZSCORE").arg(LEASES).arg(member).query(&mut c).unwrap();
        assert_eq!(score, Some(far), "a lease of an element still in flight is kept, and never shortened");
    }
    assert_eq!(zcard(&server, LEASES), 2);
    // A drain to stdout records no holder and drops none: the other consumer's stays, and
    // none was written for this drain's batches.
    let fields: Vec<String> = redis::cmd("HKEYS").arg(HOLDERS).query(&mut c).unwrap();
    assert_eq!(fields, vec![sha1(&foreign)]);
}

/// Into a pipe: drain asks for a pipe that holds a whole batch (F_SETPIPE_SZ; the kernel's
/// default is 64 KiB), every line arrives once and in order, and each batch is acknowledged
/// once its reader took it: nothing (lease, holder) is left behind.
#[test]
fn a_drain_into_a_pipe_grows_it_and_leaves_nothing_behind() {
    let server = RedisServer::start();
    let ids = emit_n(&server, 700, 3);
    let mut child = spawn(&server, &["drain", "--batch", "250"]);
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut out, &mut first).unwrap();
    // The pipe is grown before the first line goes in.
    let size = rustix::pipe::fcntl_getpipe_size(out.get_ref()).unwrap();
    assert!(size > 1 << 16, "the pipe holds {size} bytes");
    let rest: Vec<String> = std::io::BufRead::lines(out).map(Result::unwrap).collect();
    assert!(child.wait().unwrap().success());
    let got: Vec<String> = std::iter::once(first.trim_end().to_owned())
        .chain(rest)
        .map(|l| envelope(l.as_bytes())["message_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, ids, "every message once, in order");
    assert_settled(&server);
}

/// The common case (the batch is the tail of processing): afterwards nothing is left behind,
/// whatever the batch size, including batches larger than the queue.
#[test]
fn batches_of_every_size_leave_nothing_behind() {
    let server = RedisServer::start();
    for batch in ["1", "2", "7", "250", "10000"] {
        let ids = emit_n(&server, 23, 3);
        let out = hq(&server).args(["drain", "--batch", batch]).output().unwrap();
        assert!(out.status.success());
        let got: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| envelope(l.as_bytes())["message_id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(got, ids, "batch {batch}");
        assert_settled(&server);
    }
}

/// Elements that look like envelopes at the top level but are not JSON further in (bad UTF-8
/// inside a string, a lone surrogate, a number out of range), with and without line breaks, are
/// dead-lettered by the stdout path exactly as by a handler, and never block the queue.
#[test]
fn almost_envelopes_are_dead_lettered_not_printed() {
    let server = RedisServer::start();
    let ids = emit_n(&server, 2, 3);
    let bad: Vec<&[u8]> = vec![
        b"{\"message_id\":\"a\",\"payload\":\"\xff\"}",
        b"{\"message_id\":\"b\",\n\"payload\":\"\xff\"}",
        br#"{"message_id":"c","payload":"\ud800"}"#,
        br#"{"message_id":"d","x":1e400}"#,
    ];
    let mut c = server.client();
    for b in &bad {
        let _: () = redis::cmd("LPUSH").arg(QUEUE).arg(*b).query(&mut c).unwrap();
    }
    let out = hq(&server).args(["drain", "--batch", "10"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| envelope(l.as_bytes())["message_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, ids, "only the real envelopes are printed");
    assert_eq!(server.llen(DLQ), 4, "the others are dead-lettered");
    let dlq = server.lrange(DLQ);
    for b in &bad {
        assert!(
            dlq.iter().any(|e| e.as_slice() == *b || String::from_utf8_lossy(e).contains("original_message")),
            "{}",
            String::from_utf8_lossy(b)
        );
    }
    assert_settled(&server);
}

/// How many times the server ran `command` since its start (INFO commandstats).
fn calls(server: &RedisServer, command: &str) -> u64 {
    let info: String = redis::cmd("INFO").arg("commandstats").query(&mut server.client()).unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix(&format!("cmdstat_{command}:calls=")))
        .and_then(|rest| rest.split(',').next())
        .map_or(0, |n| n.parse().unwrap())
}

/// `drain` with stdout into a file (not a pipe): what `drain > file` does.
fn drain_to_file(server: &RedisServer, args: &[&str], file: &Path) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("hokusai-queue"))
        .args(["--redis-url", &server.url(), "--connect-retries", "0", "drain"])
        .args(args)
        .env_remove("HOKUSAI_QUEUE")
        .stdout(std::fs::File::create(file).unwrap())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_drain_to_a_file_claims_in_batches_without_a_lease_per_message() {
    // Issue 16: a lease per message cost the server as much as the two list moves; a drain
    // that delivers at once (a file) needs none. Every message arrives once, in order, and
    // no lease, clock or batch record is left.
    let server = RedisServer::start();
    let ids = emit_n(&server, 1200, 3);
    server.cmd(&["CONFIG", "RESETSTAT"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.jsonl");
    let out = drain_to_file(&server, &["--batch", "100"], &file).wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got: Vec<String> =
        lines_of(&file).iter().map(|l| envelope(l.as_bytes())["message_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(got, ids, "each message once, in consumption order");
    assert_settled(&server);
    let moves = calls(&server, "rpoplpush");
    assert!((1200..=1400).contains(&moves), "plain moves, a batch of them at most finding the queue empty: {moves}");
    assert_eq!(calls(&server, "zadd"), 0, "no lease was written for any message");
    assert_eq!(calls(&server, "lrem"), 1200, "one removal per message, nothing else per message");
}

#[test]
fn a_drain_into_a_slow_pipe_holds_one_lease_per_batch_and_reap_stale_leaves_it() {
    // Into a pipe, lines may wait for the reader longer than the visibility timeout: the
    // batch's lease (one per claim, renewed by the heartbeat) covers them, and reap-stale,
    // run again and again meanwhile, neither adopts nor reclaims one of them.
    let server = RedisServer::start();
    let ids = emit_n(&server, 600, 3);
    let mut child = spawn(&server, &["drain", "--batch", "200", "--visibility-timeout", "1s"]);
    let stdout = child.stdout.take().unwrap();
    wait_for("a batch lease", || zcard(&server, BATCH_LEASES) > 0);
    let started = Instant::now();
    let mut reaps = 0;
    while started.elapsed() < Duration::from_millis(2500) {
        let v = json_out(hq(&server).args(["reap-stale", "--visibility-timeout", "1s", "-o", "json"]));
        assert_eq!((v["requeued"].as_u64(), v["adopted"].as_u64()), (Some(0), Some(0)), "{v}");
        assert_eq!(zcard(&server, LEASES), 0, "no lease or clock per message");
        assert!(hlen(&server, BATCHES) >= 1 && server.llen(PROCESSING) > 0);
        reaps += 1;
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(reaps >= 5, "reap-stale ran {reaps} times");
    let lines: Vec<String> = std::io::BufRead::lines(std::io::BufReader::new(stdout)).map(Result::unwrap).collect();
    assert!(child.wait().unwrap().success());
    let got: Vec<String> = lines.iter().map(|l| envelope(l.as_bytes())["message_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(got, ids, "each message once, in order");
    assert_settled(&server);
}

#[test]
fn reap_stale_reclaims_what_an_expired_batch_lease_held_at_once_and_leaves_a_live_one() {
    // A drain into a pipe died (SIGKILL): its batch lease expires and reap-stale reclaims what
    // it covered at once (its deadline is their clock), not a visibility timeout later. A live
    // batch lease (another drain, still delivering) keeps its elements where they are.
    let server = RedisServer::start();
    emit_n(&server, 4, 3);
    let els = server.lrange(QUEUE);
    server.cmd(&["DEL", QUEUE]);
    let record = |members: &[Vec<u8>]| -> Vec<u8> {
        members.iter().flat_map(|e| [format!("{}\n", e.len()).into_bytes(), e.clone()].concat()).collect()
    };
    let mut admin = server.client();
    for e in &els {
        redis::cmd("LPUSH").arg(PROCESSING).arg(e).exec(&mut admin).unwrap();
    }
    redis::cmd("ZADD").arg(BATCH_LEASES).arg(1).arg("dead").arg(99_999_999_999_999u64).arg("live").exec(&mut admin).unwrap();
    redis::cmd("HSET")
        .arg(BATCHES)
        .arg("dead")
        .arg(record(&els[..2]))
        .arg("live")
        .arg(record(&els[2..]))
        .exec(&mut admin)
        .unwrap();
    let v = json_out(hq(&server).args(["reap-stale", "--visibility-timeout", "1h", "-o", "json"]));
    assert_eq!((v["requeued"].as_u64(), v["adopted"].as_u64()), (Some(2), Some(0)), "{v}");
    let ids = |v: &[Vec<u8>]| -> std::collections::BTreeSet<String> {
        v.iter().map(|e| envelope(e)["message_id"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(ids(&server.lrange(QUEUE)), ids(&els[..2]), "the dead batch's two are back on main (an attempt counted)");
    let mut held = server.lrange(PROCESSING);
    held.sort();
    let mut live = els[2..].to_vec();
    live.sort();
    assert_eq!(held, live, "the live batch's stay in processing, untouched");
    assert_eq!(redis::cmd("ZRANGE").arg(BATCH_LEASES).arg(0).arg(-1).query::<Vec<String>>(&mut admin).unwrap(), ["live"]);
    assert_eq!(hlen(&server, BATCHES), 1, "the dead batch's record was dropped");
}

#[test]
fn a_drain_to_a_file_survives_its_claim_script_being_flushed_and_its_connections_killed() {
    // Batched claims run claim_begin.lua by its SHA-1 inside a MULTI: after SCRIPT FLUSH (a
    // restarted server) the moves still happen and the drain loads the script again; with its
    // connections killed it reconnects. Nothing is lost: what a lost reply moved is reclaimed.
    let server = RedisServer::start();
    let ids = emit_n(&server, 3000, 3);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.jsonl");
    let child = drain_to_file(&server, &["--batch", "50", "--follow"], &file);
    let mut admin = server.client();
    wait_for("the first lines", || !lines_of(&file).is_empty());
    redis::cmd("SCRIPT").arg("FLUSH").exec(&mut admin).unwrap();
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(30));
        let _: redis::Value =
            redis::cmd("CLIENT").arg("KILL").arg("TYPE").arg("normal").arg("SKIPME").arg("yes").query(&mut admin).unwrap();
    }
    redis::cmd("SCRIPT").arg("FLUSH").exec(&mut admin).unwrap();
    wait_for("the queue to be taken", || server.llen(QUEUE) == 0);
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "-TERM");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.code() == Some(130) || out.status.code() == Some(143) || out.status.success(), "{out:?}");
    // What a lost reply left in processing is reclaimed and drained again.
    std::thread::sleep(Duration::from_millis(150));
    hq(&server).args(["reap-stale", "--visibility-timeout", "100ms"]).assert().success();
    std::thread::sleep(Duration::from_millis(150));
    hq(&server).args(["reap-stale", "--visibility-timeout", "100ms"]).assert().success();
    let rest = hq(&server).args(["drain"]).output().unwrap();
    let mut seen: std::collections::BTreeSet<String> =
        lines_of(&file).iter().map(|l| envelope(l.as_bytes())["message_id"].as_str().unwrap().to_owned()).collect();
    for l in String::from_utf8(rest.stdout).unwrap().lines() {
        seen.insert(envelope(l.as_bytes())["message_id"].as_str().unwrap().to_owned());
    }
    let want: std::collections::BTreeSet<String> = ids.into_iter().collect();
    assert_eq!(seen, want, "every message delivered (at least once)");
    assert_eq!((server.llen(QUEUE), server.llen(PROCESSING)), (0, 0));
}

#[test]
fn a_live_batch_lease_holds_its_elements_against_message_commands_and_shows_in_peek() {
    // An element of a drain's batch (into a pipe) whose own clock expired (reap-stale adopted
    // it in the instant before the batch was recorded) is still held while the batch lives:
    // `message requeue` refuses it without --force, and peek shows the batch's deadline.
    let server = RedisServer::start();
    let ids = emit_n(&server, 1, 3);
    let el = server.lrange(QUEUE).remove(0);
    let mut admin = server.client();
    redis::cmd("DEL").arg(QUEUE).exec(&mut admin).unwrap();
    redis::cmd("LPUSH").arg(PROCESSING).arg(&el).exec(&mut admin).unwrap();
    redis::cmd("ZADD").arg(LEASES).arg(1).arg(&el).exec(&mut admin).unwrap();
    redis::cmd("ZADD").arg(BATCH_LEASES).arg(99_999_999_999_999u64).arg("b1").exec(&mut admin).unwrap();
    let record = [format!("{}\n", el.len()).into_bytes(), el.clone()].concat();
    redis::cmd("HSET").arg(BATCHES).arg("b1").arg(record).exec(&mut admin).unwrap();
    let out = hq(&server).args(["message", "requeue", &ids[0], "--yes"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!((server.llen(QUEUE), server.llen(PROCESSING)), (0, 1), "nothing moved");
    let peeked = json_out(hq(&server).args(["peek", "--list", "processing", "-o", "json"]));
    assert_eq!(peeked[0]["lease"]["deadline_ms"], 99_999_999_999_999u64, "the batch's deadline: {peeked}");
    // Once the batch lease is gone, its own expired clock decides again.
    redis::cmd("ZREM").arg(BATCH_LEASES).arg("b1").exec(&mut admin).unwrap();
    hq(&server).args(["message", "requeue", &ids[0], "--yes"]).assert().success();
    assert_eq!((server.llen(QUEUE), server.llen(PROCESSING)), (1, 0));
}

#[test]
fn max_counts_the_batch_claimed_ahead_and_delivers_exactly_max() {
    // The batch claimed ahead is reserved against --max when it is claimed: it must then be
    // delivered, not given back (a drain --max 500 delivered 250).
    for pipe in [false, true] {
        let server = RedisServer::start();
        let ids = emit_n(&server, 1000, 3);
        let lines: Vec<String> = if pipe {
            let out = hq(&server).args(["drain", "--max", "500", "--batch", "100"]).output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned).collect()
        } else {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("out.jsonl");
            let out = drain_to_file(&server, &["--max", "500", "--batch", "100"], &file).wait_with_output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            lines_of(&file)
        };
        let got: Vec<String> = lines.iter().map(|l| envelope(l.as_bytes())["message_id"].as_str().unwrap().to_owned()).collect();
        assert_eq!(got, ids[..500], "pipe {pipe}: exactly the 500 oldest");
        let left: Vec<String> =
            server.lrange(QUEUE).iter().rev().map(|r| envelope(r)["message_id"].as_str().unwrap().to_owned()).collect();
        assert_eq!(left, ids[500..], "pipe {pipe}: the rest in order");
        assert_settled_but_main(&server);
    }
}

/// Like `assert_settled`, with messages left on main.
fn assert_settled_but_main(server: &RedisServer) {
    assert_eq!(
        (server.llen(PROCESSING), zcard(server, LEASES), zcard(server, BATCH_LEASES), hlen(server, BATCHES)),
        (0, 0, 0, 0)
    );
}

#[test]
fn a_user_without_multi_drains_with_the_scripts() {
    // MULTI refused: the queued moves would have run as plain commands, a batch stranded.
    let server = RedisServer::start();
    let ids = emit_n(&server, 600, 3);
    server.cmd(&["ACL", "SETUSER", "notx", "on", ">pw", "~*", "&*", "+@all", "-@transaction"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.jsonl");
    let url = server.url().replace("redis://", "redis://notx:pw@");
    let out = Command::new(assert_cmd::cargo::cargo_bin("hokusai-queue"))
        .args(["--redis-url", &url, "--connect-retries", "0", "drain", "--batch", "100"])
        .env_remove("HOKUSAI_QUEUE")
        .stdout(std::fs::File::create(&file).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got: Vec<String> =
        lines_of(&file).iter().map(|l| envelope(l.as_bytes())["message_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(got, ids);
    assert_settled(&server);
}

/// Runs `reap-stale --visibility-timeout 1s` every `every` until `stop`; returns how many
/// messages it requeued in all.
fn reap_meanwhile(
    server: &RedisServer,
    every: Duration,
) -> (std::sync::Arc<std::sync::atomic::AtomicBool>, std::thread::JoinHandle<u64>) {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (flag, url) = (stop.clone(), server.url());
    let handle = std::thread::spawn(move || {
        let mut requeued = 0;
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            let v = json_out(bare().args(["--redis-url", &url, "reap-stale", "--visibility-timeout", "1s", "-o", "json"]));
            requeued += v["requeued"].as_u64().unwrap_or(0);
            std::thread::sleep(every);
        }
        requeued
    });
    (stop, handle)
}

/// Queues, oldest first, a message of 1.5 MB (more than any pipe holds) and three small ones;
/// returns their ids in that order.
fn a_long_line_then_three(server: &RedisServer) -> Vec<String> {
    let ids: Vec<String> = (1..=4).map(|i| format!("00000000-0000-4000-8000-{i:012}")).collect();
    for (id, notes) in ids.iter().zip([1_500_000, 10, 10, 10]) {
        let env = serde_json::json!({
            "message_id": id, "message_type": "model_ready_to_deploy",
            "payload": {"model_id": id, "notes": "x".repeat(notes)},
            "timestamp": "2026-11-30T12:00:00", "retry_count": 0, "max_retries": 3
        });
        server.lpush(QUEUE, env.to_string().as_bytes());
    }
    ids
}

#[test]
fn a_pipe_drain_after_script_flush_still_leases_its_batches() {
    // After SCRIPT FLUSH the claim's moves happen but not its batch lease: the drain starts the
    // lease itself, so reap-stale, run again and again while the reader is slow, reclaims none.
    let server = RedisServer::start();
    let ids = emit_n(&server, 600, 3);
    let mut child = spawn(&server, &["drain", "--batch", "100", "--visibility-timeout", "1s"]);
    let stdout = child.stdout.take().unwrap();
    wait_for("a batch lease", || zcard(&server, BATCH_LEASES) > 0);
    server.cmd(&["SCRIPT", "FLUSH"]);
    let (stop, reaper) = reap_meanwhile(&server, Duration::from_millis(150));
    let mut lines = Vec::new();
    for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
        lines.push(line.unwrap());
        std::thread::sleep(Duration::from_millis(4)); // 600 lines: 2.4 s, over two visibility timeouts
    }
    let status = child.wait().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(reaper.join().unwrap(), 0, "reap-stale reclaimed nothing of a live drain");
    assert!(status.success());
    let got: Vec<String> = lines.iter().map(|l| envelope(l.as_bytes())["message_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(got, ids, "each message once, in order");
}

#[test]
fn ctrl_c_while_the_batch_ahead_is_on_its_way_gives_it_back_in_order() {
    // A signal while the second connection waits for a reply (the server busy) cut the read
    // short: the batch claimed ahead was stranded in processing. Now it goes back, in order.
    let server = RedisServer::start_with(&["--enable-debug-command", "yes"]);
    let ids = emit_n(&server, 30_000, 3);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.jsonl");
    let child = drain_to_file(&server, &["--batch", "250"], &file);
    wait_for("the first lines", || !lines_of(&file).is_empty());
    let url = server.url();
    let sleeper = std::thread::spawn(move || {
        let mut c = redis::Client::open(url).unwrap().get_connection().unwrap();
        let _: redis::Value = redis::cmd("DEBUG").arg("SLEEP").arg("1").query(&mut c).unwrap();
    });
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    sleeper.join().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    // The signal did not cut a reply short (which dropped the second connection, sent its acks
    // again and left its claim to chance): no reconnection, and every line written counted.
    assert!(!err.contains("reconnecting") && !err.contains("os error 4"), "{err}");
    let got: Vec<String> =
        lines_of(&file).iter().map(|l| envelope(l.as_bytes())["message_id"].as_str().unwrap().to_owned()).collect();
    assert!(err.contains(&format!("drained {QUEUE}: {} processed", got.len())), "{err}");
    let left: Vec<String> =
        server.lrange(QUEUE).iter().rev().map(|r| envelope(r)["message_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(server.llen(PROCESSING), 0, "nothing stranded in processing");
    assert!(got.len() < ids.len(), "the drain was stopped early");
    assert_eq!([got, left].concat(), ids, "what was written, then the rest in order");
}

#[test]
fn a_reader_that_goes_is_told_what_it_took_with_the_acks_in_flight_counted() {
    // The acks go on the second connection and their replies come later: the figure in the
    // reader-gone error and the summary must count them all (it said 491 for 700 taken).
    let server = RedisServer::start();
    emit_n(&server, 3000, 3);
    let mut child = spawn(&server, &["drain", "--batch", "100"]);
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = vec![0u8; 700 * 1024];
    let mut read = 0;
    while read < buf.len() {
        match std::io::Read::read(&mut stdout, &mut buf[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => panic!("{e}"),
        }
    }
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let figure = |after: &str| -> u64 {
        let at = err.find(after).unwrap_or_else(|| panic!("no {after:?} in {err}")) + after.len();
        err[at..].split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap()
    };
    let taken = figure("after taking ");
    let processed = figure(&format!("drained {QUEUE}: "));
    assert_eq!(taken, processed, "{err}");
    assert_eq!(server.llen(PROCESSING), 0);
    assert_eq!(server.llen(QUEUE) + taken, 3000, "what it took was acknowledged, the rest is back: {err}");
}

#[test]
fn a_write_that_blocks_on_a_slow_reader_leaves_the_batch_claimed_ahead_leased() {
    // A line longer than the pipe blocks the write until the reader takes it. The batch claimed
    // ahead meanwhile was neither recorded nor renewed: reap-stale, run all the while, took it
    // back and the drain delivered it again (6 lines for 4 messages in the review).
    let server = RedisServer::start();
    let want = a_long_line_then_three(&server);
    let mut child = spawn(&server, &["drain", "--batch", "2", "--visibility-timeout", "1s", "--max-message-bytes", "4000000"]);
    let stdout = child.stdout.take().unwrap();
    let (stop, reaper) = reap_meanwhile(&server, Duration::from_millis(250));
    std::thread::sleep(Duration::from_millis(3500)); // the reader is away for 3.5 visibility timeouts
    let lines: Vec<String> = std::io::BufRead::lines(std::io::BufReader::new(stdout)).map(Result::unwrap).collect();
    let status = child.wait().unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(reaper.join().unwrap(), 0, "reap-stale took nothing from the live drain");
    assert!(status.success());
    let got: Vec<String> = lines.iter().map(|l| envelope(l.as_bytes())["message_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(got, want, "each message once, in order");
    // Clocks reap-stale started on the batch before it was recorded go at its next run.
    hq(&server).args(["reap-stale"]).assert().success();
    assert_settled(&server);
}

#[test]
fn ctrl_c_stops_a_write_the_reader_makes_no_room_for() {
    // A write into a pipe whose reader takes nothing (a line longer than the pipe) blocked, and
    // SIGINT was not seen until the reader woke up. Now a second signal stops it at once, and
    // every message, the one half written included, goes back in order.
    let server = RedisServer::start();
    a_long_line_then_three(&server);
    let before = server.lrange(QUEUE);
    let mut child = spawn(&server, &["drain", "--batch", "2", "--max-message-bytes", "4000000"]);
    let stdout = child.stdout.take().unwrap(); // never read
    std::thread::sleep(Duration::from_millis(1000));
    signal(&child, "-INT");
    std::thread::sleep(Duration::from_millis(300));
    let second = Instant::now();
    signal(&child, "-INT");
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "the drain did not stop while its reader slept");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(second.elapsed() < Duration::from_secs(2), "stopped {:?} after the second signal", second.elapsed());
    drop(stdout);
    assert_eq!(status.code(), Some(130));
    assert_eq!(server.lrange(QUEUE), before, "all four back, in order, unchanged");
    assert_settled_but_main(&server);
}
