//! The README's two ACL roles, pasted into a real ACL-enabled redis-server: the read-only role
//! reads and is refused writes with a clear error; the operator role does everything.

use predicates::prelude::*;
use serde_json::Value;

use crate::support::*;

const ADMIN: &str = "admin-GREPME";

/// The `ACL SETUSER <user> ...` line of the README, as shipped.
fn readme_rule(user: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with(&format!("ACL SETUSER {user} ")))
        .unwrap_or_else(|| panic!("README has no `ACL SETUSER {user}` rule"));
    line.split_whitespace().map(str::to_owned).collect()
}

/// A server with the README's roles, passwords set to `<user>-pw`.
fn server_with_roles() -> RedisServer {
    let server = RedisServer::start_with(&["--requirepass", ADMIN]);
    for user in ["hq-reader", "hq-operator"] {
        let mut cmd = redis::cmd("ACL");
        for part in &readme_rule(user)[1..] {
            let part = if part.starts_with('>') { format!(">{user}-pw") } else { part.clone() };
            cmd.arg(part);
        }
        cmd.exec(&mut server.client()).unwrap_or_else(|e| panic!("the README's {user} rule is refused by Redis: {e}"));
    }
    server
}

fn as_user(server: &RedisServer, user: &str) -> assert_cmd::Command {
    let mut c = hq(server);
    c.env("REDIS_USERNAME", user).env("REDIS_AUTH_TOKEN", format!("{user}-pw"));
    c
}

fn doctor_statuses(out: &Value) -> Vec<(String, String)> {
    out["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["check"].as_str().unwrap().to_owned(), c["status"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn read_only_role_reads_and_is_refused_writes() {
    let server = server_with_roles();
    let mut admin = server.client();
    for (key, value) in [(QUEUE.to_owned(), "not json"), (format!("{QUEUE}:processing"), "p"), (format!("{QUEUE}:dlq"), "d")] {
        redis::cmd("LPUSH").arg(key).arg(value).exec(&mut admin).unwrap();
    }
    let reader = |args: &[&str]| {
        let mut c = as_user(&server, "hq-reader");
        c.args(args);
        c
    };
    let d = json_out(&mut reader(&["depth", "-o", "json"]));
    assert_eq!((d["main"].as_u64(), d["processing"].as_u64(), d["dlq"].as_u64()), (Some(1), Some(1), Some(1)));
    for list in ["main", "processing", "dlq"] {
        let items = json_out(&mut reader(&["peek", "--list", list, "-o", "json"]));
        assert_eq!(items.as_array().unwrap().len(), 1, "{list}");
    }
    // Writes: a clear permission error, exit 3, one line; nothing written.
    for args in [emit_flags(), vec!["emit", "--payload", "-"]] {
        reader(&args).write_stdin(payload_json("m")).assert().code(3).stderr(
            predicate::str::contains("permission denied")
                .and(predicate::str::contains("hq-reader"))
                .and(predicate::str::contains("README: Production"))
                .and(predicate::str::contains("\n").count(1)),
        );
    }
    // dlq list reads; replay, purge and import are writes.
    let listed = json_out(&mut reader(&["dlq", "list", "-o", "json"]));
    assert_eq!(listed[0]["raw"], "d", "{listed}");
    let export = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(export.path(), "{\"hokusai_dlq_export\":1,\"export_id\":\"e1\"}\n{\"n\":1,\"entry\":\"x\"}\n").unwrap();
    let import = ["dlq".to_owned(), "import".to_owned(), "--yes".to_owned(), export.path().display().to_string()];
    for args in [
        vec!["drain"],
        vec!["reap-stale"],
        vec!["dlq", "replay", "--yes", "--include-raw", "--to", "hokusai:model_ready_queue:raw"],
        vec!["dlq", "purge", "--yes"],
        import.iter().map(String::as_str).collect(),
    ] {
        reader(&args)
            .assert()
            .code(3)
            .stderr(predicate::str::contains("permission denied").and(predicate::str::contains("\n").count(1)));
    }
    assert_eq!(server.llen(QUEUE), 1);
    assert_eq!(server.llen(&format!("{QUEUE}:processing")), 1);
    assert_eq!(server.lrange(&format!("{QUEUE}:dlq")), [b"d".to_vec()], "the refused dlq commands changed nothing");
    // Keys of another queue are not the role's.
    reader(&["depth", "--queue", "other"]).assert().code(3).stderr(predicate::str::contains("permission denied"));
    // doctor runs under the role: reads OK, writes WARN (expected), nothing FAILs.
    let report = json_out(&mut reader(&["doctor", "-o", "json"]));
    let statuses = doctor_statuses(&report);
    for (check, want) in [
        ("acl depth", "ok"),
        ("acl peek", "ok"),
        ("acl emit", "warn"),
        ("acl emit --wait-replicas", "warn"),
        ("acl drain", "warn"),
        ("acl reap-stale", "warn"),
        ("acl dlq list", "ok"),
        ("acl dlq replay", "warn"),
        ("acl dlq purge", "warn"),
        ("acl dlq import", "warn"),
    ] {
        assert!(statuses.contains(&(check.to_owned(), want.to_owned())), "{check} should be {want}: {statuses:?}");
    }
    assert_eq!(report["ok"], true, "{statuses:?}");
}

#[test]
fn operator_role_does_everything() {
    let server = server_with_roles();
    let op = |args: &[&str]| {
        let mut c = as_user(&server, "hq-operator");
        c.args(args);
        c
    };
    let mut sub = server.client();
    sub.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
    let mut pubsub = sub.as_pubsub();
    pubsub.subscribe(format!("{QUEUE}:pubsub")).unwrap();
    op(&emit_flags()).assert().success();
    assert!(pubsub.get_message().is_ok(), "the notice was published");
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), format!("{}\n{}\n", payload_json("a"), payload_json("b"))).unwrap();
    let v = json_out(op(&["emit", "-o", "json", "--file"]).arg(f.path()));
    let run = v["run_id"].as_str().unwrap().to_owned();
    op(&["emit", "--resume", &run, "--file"]).arg(f.path()).assert().success();
    assert_eq!(json_out(&mut op(&["depth", "-o", "json"]))["main"], 3);
    op(&["peek", "--list", "dlq"]).assert().success();
    // Consume everything through a handler (claim, heartbeat, ack) and reap (adopt, reclaim).
    // To stdout (a pipe here): a batched claim, its batch lease and record, its ack.
    let line = json_out(&mut op(&["drain", "--max", "1", "--batch", "1"]));
    assert_eq!(line["message_type"], "model_ready_to_deploy", "{line}");
    assert_eq!((server.llen(QUEUE), server.llen(&format!("{QUEUE}:processing"))), (2, 0));
    let drained = json_out(&mut op(&["drain", "-o", "json", "--exec", "cat > /dev/null"]));
    assert_eq!(drained["processed"], 2);
    redis::cmd("LPUSH").arg(format!("{QUEUE}:processing")).arg("stuck").exec(&mut server.client()).unwrap();
    json_out(&mut op(&["reap-stale", "--visibility-timeout", "10ms", "-o", "json"]));
    std::thread::sleep(std::time::Duration::from_millis(50));
    let reaped = json_out(&mut op(&["reap-stale", "--visibility-timeout", "10ms", "-o", "json"]));
    assert_eq!(reaped["dead_lettered"], 1, "{reaped}");
    op(&["emit", "--no-publish", "--payload", &payload_json("retry-me"), "--max-retries", "1"]).assert().success();
    let failed = json_out_failed(&mut op(&["drain", "-o", "json", "--retry-base", "1ms", "--exec", "exit 1"]));
    assert_eq!((failed["retried"].as_u64(), failed["dead_lettered"].as_u64()), (Some(1), Some(1)));
    // The DLQ now holds two entries: list, replay one (its counter), export-purge, import.
    let listed = json_out(&mut op(&["dlq", "list", "-o", "json"]));
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    let replayed = json_out(&mut op(&["dlq", "replay", "--yes", "--shape", "wrapped", "--limit", "1", "-o", "json"]));
    assert_eq!(replayed["replayed"], 1, "{replayed}");
    let export = tempfile::tempdir().unwrap();
    let file = export.path().join("dlq.jsonl");
    let purged = json_out(op(&["dlq", "purge", "--yes", "-o", "json", "--export"]).arg(&file));
    assert_eq!(purged["deleted"], 1, "{purged}");
    let imported = json_out(op(&["dlq", "import", "--yes", "-o", "json"]).arg(&file));
    assert_eq!(imported["imported"], 1, "{imported}");
    assert_eq!(server.llen(&format!("{QUEUE}:dlq")), 1);
    let report = json_out(&mut op(&["doctor", "-o", "json"]));
    let statuses = doctor_statuses(&report);
    for (check, status) in &statuses {
        if check.starts_with("acl ") {
            assert_eq!(status, "ok", "{check}: {statuses:?}");
        }
    }
    op(&["--profile", "envelope", "emit", "--queue", "other", "--payload", &payload_json("x")])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("permission denied"));
}

/// The README's roles for the mint queue (its key patterns in place of the envelope queue's,
/// no channel): the read-only role reads depth with the mint figures, finds the queues, and the
/// exporter serves the mint series (the DLQ alarm's input) under it.
#[test]
fn the_mint_queue_under_the_readme_roles() {
    let server = RedisServer::start_with(&["--requirepass", ADMIN]);
    for user in ["hq-reader", "hq-operator"] {
        let mut cmd = redis::cmd("ACL");
        for part in &readme_rule(user)[1..] {
            match part.as_str() {
                p if p.starts_with('>') => {
                    cmd.arg(format!(">{user}-pw"));
                }
                "~hokusai:model_ready_queue" => {
                    cmd.arg("~hokusai:mint_requests").arg("~hokusai:mint_request_settlements").arg("~hokusai:mint_record:*");
                }
                "~hokusai:model_ready_queue:*" => {
                    cmd.arg("~hokusai:mint_requests:*");
                }
                p if p.starts_with('&') => {}
                p => {
                    cmd.arg(p);
                }
            }
        }
        cmd.exec(&mut server.client()).unwrap();
    }
    let mint = "hokusai:mint_requests";
    let mut admin = server.client();
    let entry = r#"{"originalMessage":{"message_id":"m"},"error":"boom","failureClass":"permanent","reason":"permanent_failure: boom","timestamp":"2026-01-01T00:00:00.000Z","queue":"hokusai:mint_requests"}"#;
    redis::cmd("LPUSH").arg(format!("{mint}:dlq")).arg(entry).exec(&mut admin).unwrap();
    let reader = |args: &[&str]| {
        let mut c = as_user(&server, "hq-reader");
        c.args(["--queue", mint]).args(args);
        c
    };
    let d = json_out(&mut reader(&["depth", "-o", "json"]));
    assert_eq!(d["dlq"], 1, "{d}");
    assert!(d["processed"].is_number() && d["dlq_by_class"].is_object(), "{d}");
    let all = json_out(&mut reader(&["depth", "--all-queues", "-o", "json"]));
    assert!(all["queues"].as_array().unwrap().iter().any(|q| q["queue"] == mint), "{all}");
    // The exporter under the read-only role: up 1 and the mint DLQ series.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut exporter = crate::support::hq_process(&server);
    exporter
        .env("REDIS_USERNAME", "hq-reader")
        .env("REDIS_AUTH_TOKEN", "hq-reader-pw")
        .args(["--queue", mint, "exporter", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = exporter.spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let body = loop {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            s.write_all(b"GET /metrics HTTP/1.0\r\n\r\n").unwrap();
            let mut body = String::new();
            s.read_to_string(&mut body).unwrap();
            break body;
        }
        assert!(std::time::Instant::now() < deadline, "the exporter never listened");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(body.contains("hokusai_queue_up 1"), "{body}");
    assert!(body.contains(&format!("hokusai_queue_depth{{queue=\"{mint}\",profile=\"mint\",list=\"dlq\"}} 1")), "{body}");
    assert!(body.contains("hokusai_queue_scrape_errors_total 0"), "a mint series could not be read: {body}");
}

/// The clean-up of clocks on a long processing list is best effort: under a role without ZSCAN
/// (the README's operator rule before it was added), reap-stale still reclaims the stale work,
/// and says the clean-up was skipped; doctor names the missing permission.
#[test]
fn reap_stale_reclaims_even_when_the_clock_clean_up_is_refused() {
    let server = RedisServer::start_with(&["--requirepass", ADMIN]);
    let mut cmd = redis::cmd("ACL");
    for part in &readme_rule("hq-operator")[1..] {
        match part.as_str() {
            "+zscan" => continue,
            p if p.starts_with('>') => cmd.arg(">hq-operator-pw"),
            p => cmd.arg(p),
        };
    }
    cmd.exec(&mut server.client()).unwrap();
    let processing = format!("{QUEUE}:processing");
    let leases = format!("{QUEUE}:hokusai-queue:leases");
    let mut pipe = redis::pipe();
    for i in 0..1500 {
        pipe.cmd("LPUSH").arg(&processing).arg(format!("filler-{i}")).ignore();
        pipe.cmd("ZADD").arg(&leases).arg(99_999_999_999_999u64).arg(format!("filler-{i}")).ignore();
    }
    pipe.cmd("LPUSH").arg(&processing).arg("stuck").ignore();
    pipe.query::<()>(&mut server.client()).unwrap();
    let op = |args: &[&str]| {
        let mut c = as_user(&server, "hq-operator");
        c.args(args);
        c
    };
    op(&["reap-stale", "--visibility-timeout", "10ms"]).assert().success();
    std::thread::sleep(std::time::Duration::from_millis(50));
    let out = op(&["reap-stale", "--visibility-timeout", "10ms", "-o", "json"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["dead_lettered"], 1, "the stale element was reclaimed: {v}");
    assert!(err.contains("warning: the clocks of elements gone from processing were not cleaned up"), "{err}");
    let report = json_out(&mut op(&["doctor", "-o", "json"]));
    let reap = report["checks"].as_array().unwrap().iter().find(|c| c["check"] == "acl reap-stale").unwrap().clone();
    assert_ne!(reap["status"], "ok", "{reap}");
    assert!(reap.to_string().to_lowercase().contains("zscan"), "{reap}");
}

/// migrate's acknowledgement counts each acked copy in the same script; under a role without
/// HINCRBY it is refused before it removes anything (it removed first and left the count
/// behind, so the next equal message took this one's name and a FIFO target dropped it).
#[test]
fn an_ack_that_may_not_count_removes_nothing() {
    let server = RedisServer::start_with(&["--requirepass", ADMIN]);
    let mut cmd = redis::cmd("ACL");
    for part in &readme_rule("hq-operator")[1..] {
        match part.as_str() {
            "+hincrby" => continue,
            p if p.starts_with('>') => cmd.arg(">hq-operator-pw"),
            p => cmd.arg(p),
        };
    }
    cmd.exec(&mut server.client()).unwrap();
    let processing = format!("{QUEUE}:processing");
    redis::cmd("LPUSH").arg(&processing).arg("m").exec(&mut server.client()).unwrap();
    let url = format!("redis://hq-operator:hq-operator-pw@127.0.0.1:{}/0", server.port);
    let mut con = redis::Client::open(url).unwrap().get_connection().unwrap();
    let script = [include_str!("../src/queue/scripts/prelude.lua"), include_str!("../src/queue/scripts/ack.lua")].concat();
    let keys = [
        processing.clone(),
        format!("{QUEUE}:hokusai-queue:leases"),
        format!("{QUEUE}:hokusai-queue:holders"),
        format!("{QUEUE}:hokusai-queue:migrate:acked"),
    ];
    let sha: String = redis::cmd("SCRIPT").arg("LOAD").arg(&script).query(&mut server.client()).unwrap();
    let got: redis::RedisResult<redis::Value> =
        redis::cmd("EVALSHA").arg(&sha).arg(4).arg(&keys[..]).arg(1).arg("m").query(&mut con);
    let e = got.expect_err("refused");
    assert!(e.to_string().contains("hincrby"), "{e}");
    assert_eq!(server.lrange(&processing), vec![b"m".to_vec()], "nothing removed");
}
