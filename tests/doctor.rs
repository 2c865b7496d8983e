//! doctor: every OK, WARN and FAIL provoked on a real server configured for it.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::*;

/// Runs doctor -o json, checks the exit code, returns check name -> (status, detail + fix).
fn doctor(cmd: &mut assert_cmd::Command, code: i32) -> Vec<(String, String, String)> {
    let out = cmd.args(["doctor", "-o", "json"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(code), "stdout: {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"));
    assert_eq!(v["ok"], code == 0);
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let text = format!("{} / fix: {}", c["detail"].as_str().unwrap(), c["fix"].as_str().unwrap_or(""));
            (c["check"].as_str().unwrap().to_owned(), c["status"].as_str().unwrap().to_owned(), text)
        })
        .collect()
}

/// Asserts `check` has `status` and its text mentions `says`.
fn expect(report: &[(String, String, String)], check: &str, status: &str, says: &str) {
    let (_, st, text) = report.iter().find(|(c, _, _)| c == check).unwrap_or_else(|| panic!("no check {check}: {report:?}"));
    assert_eq!(st, status, "{check}: {text}");
    assert!(text.contains(says), "{check} should say {says:?}: {text}");
}

#[test]
fn healthy_setup_is_all_ok() {
    let (primary, _replica) = primary_and_replica(&["--appendonly", "yes"]);
    hq(&primary).args(emit_flags()).assert().success();
    let report = doctor(&mut hq(&primary), 0);
    for (check, status, text) in &report {
        assert_eq!(status, "ok", "{check}: {text}");
    }
    expect(&report, "server", "ok", "Redis 7");
    expect(&report, "key main", "ok", "is a list");
    expect(&report, "persistence", "ok", "AOF on (appendfsync everysec)");
    expect(&report, "replication", "ok", "1 replica(s) connected and online");
    expect(&report, "acl emit", "ok", "user default may run emit");
    // The text form: one line per check, a summary, exit 0.
    hq(&primary).arg("doctor").assert().success().stdout(
        predicate::str::contains("OK    server")
            .and(predicate::str::contains("0 WARN, 0 FAIL"))
            .and(predicate::str::contains("fix:").not()),
    );
}

#[test]
fn warnings_do_not_fail() {
    // RDB snapshots only, an evicting policy, no replica.
    let server = RedisServer::start_with(&["--save", "900 1", "--maxmemory-policy", "allkeys-lru"]);
    let report = doctor(&mut hq(&server), 0);
    expect(&report, "persistence", "warn", "RDB snapshots only (save 900 1)");
    expect(&report, "maxmemory-policy", "warn", "allkeys-lru");
    expect(&report, "maxmemory-policy", "warn", "noeviction");
    expect(&report, "replication", "warn", "no replica is connected");
    hq(&server)
        .arg("doctor")
        .assert()
        .success()
        .stdout(predicate::str::contains("WARN  persistence").and(predicate::str::contains("fix: ")));

    // AOF without fsync.
    let server = RedisServer::start_with(&["--appendonly", "yes", "--appendfsync", "no"]);
    expect(&doctor(&mut hq(&server), 0), "persistence", "warn", "appendfsync is `no`");

    // A user who may not run CONFIG, COMMAND or MULTI: doctor says what it could not check.
    let server = RedisServer::start_with(&["--requirepass", "admin-pw", "--save", "900 1"]);
    server.cmd(&["ACL", "SETUSER", "limited", "on", ">limited-pw", "~*", "&*", "+@all", "-config", "-command", "-multi"]);
    let mut cmd = hq(&server);
    cmd.args(["--user", "limited"]).env("REDIS_AUTH_TOKEN", "limited-pw");
    let report = doctor(&mut cmd, 0);
    expect(&report, "persistence", "warn", "cannot be read");
    expect(&report, "commands", "warn", "cannot list");
    expect(&report, "acl peek", "warn", "MULTI refused");
    // A user who may read but not write: the writers WARN.
    server.cmd(&["ACL", "SETUSER", "reads", "on", ">reads-pw", "~*", "&*", "+@all", "-lpush"]);
    let mut cmd = hq(&server);
    cmd.args(["--user", "reads"]).env("REDIS_AUTH_TOKEN", "reads-pw");
    let report = doctor(&mut cmd, 0);
    expect(&report, "acl emit", "warn", "LPUSH hokusai:model_ready_queue");
    expect(&report, "acl depth", "ok", "may run depth");
}

#[test]
fn failures_exit_1_with_the_fix() {
    // No persistence at all (the test default) and three keys of the wrong type.
    let server = RedisServer::start();
    server.cmd(&["SET", &format!("{QUEUE}:processing"), "x"]);
    server.cmd(&["HSET", &format!("{QUEUE}:hokusai-queue:leases"), "a", "b"]);
    server.cmd(&["LPUSH", &format!("{QUEUE}:hokusai-queue:replays"), "x"]);
    let report = doctor(&mut hq(&server), 1);
    expect(&report, "persistence", "fail", "a restart empties every queue");
    expect(&report, "persistence", "fail", "appendonly yes");
    expect(&report, "key processing", "fail", "holds a string, expected a list");
    expect(&report, "key leases", "fail", "holds a hash, expected a zset");
    expect(&report, "key replays", "fail", "holds a list, expected a hash");
    expect(&report, "key main", "ok", "does not exist yet");
    hq(&server).arg("doctor").assert().code(1).stderr(predicate::str::contains("4 check(s) FAILED"));

    // A reader the user may not run.
    let server = RedisServer::start_with(&["--requirepass", "admin-pw", "--appendonly", "yes"]);
    server.cmd(&["ACL", "SETUSER", "nolrange", "on", ">pw", "~*", "&*", "+@all", "-lrange"]);
    let mut cmd = hq(&server);
    cmd.args(["--user", "nolrange"]).env("REDIS_AUTH_TOKEN", "pw");
    let report = doctor(&mut cmd, 1);
    expect(&report, "acl peek", "fail", "LRANGE hokusai:model_ready_queue");
    expect(&report, "acl depth", "ok", "may run depth");

    // A renamed command the tool needs.
    let server = RedisServer::start_with(&["--rename-command", "RPOPLPUSH", "", "--appendonly", "yes"]);
    expect(&doctor(&mut hq(&server), 1), "commands", "fail", "does not know RPOPLPUSH");
}

#[test]
fn pointed_at_a_replica_fails() {
    let (_primary, replica) = primary_and_replica(&[]);
    expect(&doctor(&mut hq(&replica), 1), "replication", "fail", "read-only replica");
}

#[test]
fn cluster_mode_checks_the_slots() {
    let server = RedisServer::start_with(&["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"]);
    expect(&doctor(&mut hq(&server), 1), "cluster slots", "fail", "different slots");
    let mut tagged = hq(&server);
    tagged.args(["--queue", "{hokusai:model_ready_queue}"]);
    let report = doctor(&mut tagged, 1); // this one-node test cluster serves no slots: other checks fail
    expect(&report, "cluster slots", "ok", "share slot");
}

#[test]
fn unreachable_is_one_fail_line_and_exit_3() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    bare()
        .args(["--connect-retries", "0", "--redis-url", &format!("redis://127.0.0.1:{port}"), "doctor"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("FAIL  connection").and(predicate::str::contains("cannot reach Redis")))
        .stderr(predicate::str::contains("cannot reach Redis"));
}

#[test]
fn the_profile_and_contents_that_do_not_match_it() {
    let server = RedisServer::start_with(&["--appendonly", "yes"]);
    // The mint queue: a foreign member in the deployer's retry set, a request the deployer
    // would dead-letter.
    server.cmd(&["ZADD", "hokusai:mint_requests:retry", "1", &format!("{}:{{\"x\":1}}", "0".repeat(32))]);
    server.lpush("hokusai:mint_requests", br#"{"message_type":"mint_request"}"#);
    let report = doctor(hq(&server).args(["--queue", "hokusai:mint_requests"]), 0);
    expect(&report, "profile", "ok", "profile mint");
    expect(&report, "retry members", "warn", "not a whole MintRequest JSON object");
    expect(&report, "main contents", "warn", "would be dead-lettered by a mint consumer");
    // The envelope queue with the tool's keys from before profiles.
    server.cmd(&["ZADD", "hokusai:model_ready_queue:retry", "1", &format!("{}:{{}}", "0".repeat(32))]);
    let report = doctor(&mut hq(&server), 0);
    expect(&report, "profile", "ok", "profile envelope");
    expect(&report, "old tool keys", "warn", "hokusai:model_ready_queue:retry");
    // Any other list: opaque, said as a warning with the way to name its discipline.
    let report = doctor(hq(&server).args(["--queue", "jobs"]), 0);
    expect(&report, "profile", "warn", "--profile envelope|mint");
}
