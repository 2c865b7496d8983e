//! Durability: WAIT on a real primary + replica, SIGKILL in the middle of a bulk emit with
//! `appendfsync always`, and the shipped deploy/redis.conf.

use std::collections::HashSet;
use std::io::Write;
use std::process::Stdio;

use predicates::prelude::*;

use crate::support::*;

#[test]
fn wait_replicas_against_a_real_replica() {
    let (primary, mut replica) = primary_and_replica(&[]);
    // Acknowledged by the one replica: by then the replica has the message.
    hq(&primary).args(emit_flags()).args(["--wait-replicas", "1"]).assert().success();
    assert_eq!(replica.llen(QUEUE), 1);

    // More replicas than exist: the push happened, the promise did not; exit 1 says so.
    hq(&primary).args(emit_flags()).args(["--wait-replicas", "2", "--wait-timeout", "200ms"]).assert().code(1).stderr(
        predicate::str::contains("only 1 of 2 replicas acknowledged")
            .and(predicate::str::contains("do not emit it again"))
            .and(predicate::str::contains("\n").count(1)),
    );
    assert_eq!(primary.llen(QUEUE), 2);

    // A file: stops after the first batch that was not acknowledged, saying where to go on.
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), (0..5).map(|i| payload_json(&format!("w-{i}")) + "\n").collect::<String>()).unwrap();
    hq(&primary)
        .args(["emit", "--batch-size", "2", "--wait-replicas", "2", "--wait-timeout", "100ms", "--file"])
        .arg(f.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2 messages were pushed through line 2").and(predicate::str::contains("--skip 2")));
    assert_eq!(primary.llen(QUEUE), 4);

    // The replica gone: 0 acknowledgements.
    replica.kill();
    hq(&primary)
        .args(emit_flags())
        .args(["--wait-replicas", "1", "--wait-timeout", "100ms"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("only 0 of 1 replicas"));

    hq(&primary).args(emit_flags()).args(["--wait-timeout", "1s"]).assert().code(2); // needs --wait-replicas
    hq(&primary).args(emit_flags()).args(["--wait-replicas", "1", "--wait-timeout", "0s"]).assert().code(2);
}

/// Redis SIGKILLed in the middle of `emit --file` (AOF, fsync on every write): every message
/// emit reported as pushed survives the restart, and the rerun its error names adds exactly
/// the rest: no message lost, none doubled.
#[test]
fn sigkill_mid_bulk_emit_loses_nothing_and_resume_adds_no_duplicates() {
    const LINES: usize = 8_000;
    let mut server = RedisServer::start_with(&["--appendonly", "yes", "--appendfsync", "always"]);
    let mut f = tempfile::NamedTempFile::new().unwrap();
    for i in 0..LINES {
        writeln!(f, "{}", payload_json(&format!("crash-{i}"))).unwrap();
    }
    f.flush().unwrap();

    let child = hq_process(&server)
        .args(["emit", "--no-publish", "--batch-size", "5", "--file"])
        .arg(f.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    server.wait_until("some messages to land", |s| s.llen(QUEUE) >= 300);
    server.kill();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(3), "emit should fail when Redis dies under it (raise LINES?): {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");

    // "N messages were pushed (through line L)", and the exact way to go on.
    let number_after = |marker: &str| -> usize {
        let rest = &err[err.find(marker).unwrap_or_else(|| panic!("no {marker:?} in: {err}")) + marker.len()..];
        rest.chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
    };
    let reported = number_after("error: ");
    let through = number_after("(through line ");
    assert!(err.contains("messages were pushed"), "{err}");
    let run =
        err.split("--resume ").nth(1).and_then(|r| r.split(['`', ' ']).next()).unwrap_or_else(|| panic!("no --resume in {err}"));
    assert_eq!(reported, through, "one message per line");
    assert!(reported >= 300, "{err}");
    eprintln!("killed after {reported} of {LINES} lines");

    server.restart();
    let landed: Vec<String> =
        server.lrange(QUEUE).iter().map(|r| envelope(r)["payload"]["model_id"].as_str().unwrap().to_owned()).collect();
    let landed_set: HashSet<&String> = landed.iter().collect();
    for i in 0..reported {
        assert!(landed_set.contains(&format!("crash-{i}")), "crash-{i} was reported pushed but is gone after the restart");
    }
    // Beyond what was reported, at most the batches in flight (up to 4 of 5 lines) landed.
    let beyond = landed.len() - reported;
    assert!(beyond.is_multiple_of(5) && beyond <= 20, "{} landed, {reported} reported", landed.len());

    // The rerun the error asked for: continues exactly after the last line that landed.
    hq(&server).args(["emit", "--no-publish", "--resume", run, "--file"]).arg(f.path()).assert().success();
    let all = server.lrange(QUEUE);
    assert_eq!(all.len(), LINES);
    let models: HashSet<String> = all.iter().map(|r| envelope(r)["payload"]["model_id"].as_str().unwrap().to_owned()).collect();
    let ids: HashSet<String> = all.iter().map(|r| envelope(r)["message_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(models.len(), LINES, "a payload was pushed twice");
    assert_eq!(ids.len(), LINES, "a message id was pushed twice");
    // Consumption order is still file order.
    let order: Vec<String> = all.iter().rev().map(|r| envelope(r)["payload"]["model_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(order, (0..LINES).map(|i| format!("crash-{i}")).collect::<Vec<_>>());
}

#[test]
fn shipped_redis_conf_turns_persistence_on() {
    let conf = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/redis.conf");
    let server = RedisServer::start_with_conf(&conf, &[]);
    let get = |k: &str| -> String {
        let v: Vec<String> = redis::cmd("CONFIG").arg("GET").arg(k).query(&mut server.client()).unwrap();
        v.get(1).cloned().unwrap_or_default()
    };
    assert_eq!(get("appendonly"), "yes");
    assert_eq!(get("appendfsync"), "everysec");
    assert_eq!(get("save"), "900 1 300 10 60 10000");
    assert_eq!(get("maxmemory-policy"), "noeviction");
    // And the tool works against it, durably.
    hq(&server).args(emit_flags()).assert().success();
    assert_eq!(server.info("persistence")["aof_enabled"], "1");
    // docker-compose starts Redis with this very file.
    let compose = std::fs::read_to_string(conf.parent().unwrap().parent().unwrap().join("docker-compose.yml")).unwrap();
    assert!(compose.contains("./deploy/redis.conf:/usr/local/etc/redis/redis.conf"), "{compose}");
    assert!(compose.contains("redis-server") && compose.contains("/usr/local/etc/redis/redis.conf"), "{compose}");
}

/// WAIT itself refused (an ACL without +wait): the push happened, and the error says so.
#[test]
fn wait_refused_after_the_push_says_what_landed() {
    let server = RedisServer::start_with(&["--requirepass", "admin-pw"]);
    server.cmd(&["ACL", "SETUSER", "nowait", "on", ">nowait-pw", "~*", "&*", "+@all", "-wait"]);
    hq(&server)
        .args(["--user", "nowait"])
        .env("REDIS_AUTH_TOKEN", "nowait-pw")
        .args(emit_flags())
        .args(["--wait-replicas", "1"])
        .assert()
        .code(3)
        .stderr(
            predicate::str::contains("is in the queue on the primary (do not emit it again)")
                .and(predicate::str::contains("permission denied"))
                .and(predicate::str::contains("WAIT")),
        );
    assert_eq!(server.llen(QUEUE), 1);
}
