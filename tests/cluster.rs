//! Redis Cluster, for real: three (or six) cluster-enabled redis-server processes joined with
//! `redis-cli --cluster create`. Every subcommand runs through the cluster client.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::Value;

use crate::support::cluster::RedisCluster;
use crate::support::*;

const Q: &str = "hokusai:{model_ready_queue}";

/// The binary aimed at the cluster through every seed node, on queue `Q`.
fn hqc(cluster: &RedisCluster) -> assert_cmd::Command {
    hqq(cluster, Q)
}

fn hqq(cluster: &RedisCluster, queue: &str) -> assert_cmd::Command {
    let mut c = bare();
    c.arg("--cluster").args(["--connect-retries", "1", "--connect-backoff-base", "50ms", "--queue", queue]);
    for url in cluster.urls() {
        c.arg("--redis-url").arg(url);
    }
    c
}

fn llen(cluster: &RedisCluster, key: &str) -> u64 {
    cluster.master_for(key).llen(key)
}

#[test]
fn a_queue_name_without_a_hash_tag_is_refused_before_anything_is_touched() {
    // No server is needed: the check comes first.
    bare().args(["--cluster", "--redis-url", "redis://127.0.0.1:1", "depth"]).assert().code(2).stderr(
        predicate::str::contains("slot 8858")
            .and(predicate::str::contains("slot 6517"))
            .and(predicate::str::contains("slot 1734"))
            .and(predicate::str::contains("--queue 'hokusai:{model_ready_queue}'")),
    );
    bare()
        .args(["--redis-url", "redis://127.0.0.1:1", "--redis-url", "redis://127.0.0.1:2", "depth"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("add --cluster"));
}

#[test]
fn every_subcommand_runs_on_the_cluster() {
    let cluster = RedisCluster::start(false);
    // emit: one, and a file.
    hqc(&cluster).args(emit_flags()).assert().success();
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), (0..300).map(|i| payload_json(&format!("c-{i}")) + "\n").collect::<String>()).unwrap();
    hqc(&cluster).args(["emit", "--batch-size", "50", "--file"]).arg(f.path()).assert().success();
    assert_eq!(llen(&cluster, Q), 301, "all on the master that owns the queue's slot");

    // depth, peek.
    let d = json_out(hqc(&cluster).args(["depth", "-o", "json"]));
    assert_eq!(d["main"], 301);
    let p = json_out(hqc(&cluster).args(["peek", "-o", "json", "-n", "2"]));
    assert_eq!(p[0]["payload"]["model_id"], "model-123");

    // drain: to stdout (batched claims + acks), then through a handler with a retry.
    let out = hqc(&cluster).args(["drain", "--max", "200"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout.iter().filter(|b| **b == b'\n').count(), 200);
    let dir = tempfile::tempdir().unwrap();
    let once = format!(
        "if [ -e '{d}/'$HOKUSAI_MESSAGE_ID ]; then exit 0; fi; touch '{d}/'$HOKUSAI_MESSAGE_ID; exit 1",
        d = dir.path().display()
    );
    let v = json_out_failed(hqc(&cluster).args([
        "drain",
        "-o",
        "json",
        "--retry-base",
        "1ms",
        "--retry-cap",
        "5ms",
        "--exec",
        &once,
    ]));
    assert_eq!((v["processed"].as_u64(), v["retried"].as_u64()), (Some(101), Some(101)));
    for k in [Q.to_owned(), format!("{Q}:processing")] {
        assert_eq!(llen(&cluster, &k), 0, "{k}");
    }

    // reap-stale: adopts an element a lease-unaware consumer left, then reclaims it.
    cluster.master_for(Q).lpush(&format!("{Q}:processing"), payload_json("orphan").as_bytes());
    hqc(&cluster).args(["reap-stale", "--visibility-timeout", "10ms"]).assert().success();
    std::thread::sleep(Duration::from_millis(50));
    let r = json_out(hqc(&cluster).args(["reap-stale", "--visibility-timeout", "10ms", "-o", "json"]));
    assert_eq!(r["dead_lettered"], 1, "not an envelope: dead-lettered ({r})");
    assert_eq!(llen(&cluster, &format!("{Q}:dlq")), 1);

    // dlq: dead letters from a failing handler, one from a queue in another slot; list,
    // replay (the other slot's is skipped: one script cannot touch both), purge with export,
    // import back.
    for i in 0..3 {
        hqc(&cluster).args(["emit", "--max-retries", "0", "--payload", &payload_json(&format!("dl-{i}"))]).assert().success();
    }
    json_out_failed(hqc(&cluster).args(["drain", "-o", "json", "--exec", "exit 1"]));
    let dlq = format!("{Q}:dlq");
    let foreign = serde_json::json!({"original_message": serde_json::json!({"message_id": "9f1c1f3e-0000-4000-8000-000000000001",
        "message_type": "model_ready_to_deploy", "payload": serde_json::from_str::<Value>(&payload_json("foreign")).unwrap(),
        "timestamp": "2025-01-27T15:30:00.123456", "retry_count": 3, "max_retries": 3}).to_string(),
        "error": "x", "failed_at": "2025-01-27T15:31:00.000000", "original_queue": "hokusai:model_ready_queue"});
    cluster.master_for(Q).lpush(&dlq, foreign.to_string().as_bytes());
    assert_eq!(llen(&cluster, &dlq), 5);
    let listed = json_out(hqc(&cluster).args(["dlq", "list", "-o", "json"]));
    assert_eq!(listed.as_array().unwrap().len(), 5, "{listed}");
    let r = json_out(hqc(&cluster).args(["dlq", "replay", "--yes", "-o", "json"]));
    assert_eq!(r["replayed"], 3, "{r}");
    assert_eq!(r["skipped"]["original_queue_other_slot"], 1, "{r}");
    assert_eq!(r["skipped"]["not_envelope"], 1, "{r}");
    assert_eq!(llen(&cluster, Q), 3);
    hqc(&cluster)
        .args(["dlq", "replay", "--yes", "--to", "hokusai:model_ready_queue"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("slot"));
    let before = cluster.master_for(Q).lrange(&dlq);
    let file = dir.path().join("export.jsonl");
    let purged = json_out(hqc(&cluster).args(["dlq", "purge", "--yes", "-o", "json", "--export"]).arg(&file));
    assert_eq!(purged["deleted"], 2, "{purged}");
    assert_eq!(llen(&cluster, &dlq), 0);
    let imported = json_out(hqc(&cluster).args(["dlq", "import", "--yes", "-o", "json"]).arg(&file));
    assert_eq!(imported["imported"], 2, "{imported}");
    assert_eq!(cluster.master_for(Q).lrange(&dlq), before, "export + import restores the DLQ byte for byte");
    let out = hqc(&cluster).arg("drain").output().unwrap();
    assert_eq!(out.stdout.iter().filter(|b| **b == b'\n').count(), 3, "the replayed messages drain");

    // doctor examines the master that serves the queue's slot.
    // (The test cluster keeps nothing on disk: the persistence check FAILs, as it should.)
    let out = hqc(&cluster).args(["doctor", "-o", "json"]).output().unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let status = |name: &str| {
        doc["checks"].as_array().unwrap().iter().find(|c| c["check"] == name).map(|c| c["status"].as_str().unwrap().to_owned())
    };
    assert_eq!(status("cluster node").as_deref(), Some("ok"), "{doc}");
    assert_eq!(status("cluster slots").as_deref(), Some("ok"), "{doc}");
    assert_eq!(status("acl drain").as_deref(), Some("ok"), "{doc}");
    assert_eq!(status("server").as_deref(), Some("ok"), "{doc}");
    assert_eq!(status("persistence").as_deref(), Some("fail"), "{doc}");

    // depth --all-queues finds queues on every master.
    let other = "jobs:{mint_requests}";
    hqq(&cluster, other).args(["emit", "--raw", "--payload", r#"{"n": 1}"#]).assert().success();
    let third = "other:{x}";
    hqq(&cluster, third).args(["--profile", "envelope", "emit", "--message-type", "t", "--payload", "{}"]).assert().success();
    let masters: std::collections::HashSet<u16> = [Q, other, third].iter().map(|k| cluster.master_for(k).port).collect();
    assert!(masters.len() >= 2, "the test needs queues on different masters");
    let all = json_out(hqc(&cluster).args(["depth", "--all-queues", "-o", "json"]));
    let names: Vec<&str> = all["queues"].as_array().unwrap().iter().map(|q| q["queue"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [Q, other, third].iter().copied().collect::<std::collections::BTreeSet<_>>().into_iter().collect::<Vec<_>>()
    );
}

/// A manual failover of the queue's master in the middle of a drain: nothing acknowledged is
/// lost, and with reap-stale and a second drain every message is handled.
#[test]
fn failover_during_a_drain() {
    let cluster = RedisCluster::start(true);
    let n = 300;
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), (0..n).map(|i| payload_json(&format!("f-{i}")) + "\n").collect::<String>()).unwrap();
    hqc(&cluster).args(["emit", "--no-publish", "--file"]).arg(f.path()).assert().success();
    let dir = tempfile::tempdir().unwrap();
    let handled = dir.path().join("handled");
    let cmd = format!("sleep 0.05; echo $HOKUSAI_MESSAGE_ID >> '{}'", handled.display());
    let master_port = cluster.master_for(Q).port;
    let mut args: Vec<String> = vec!["--cluster".into(), "--queue".into(), Q.into()];
    for url in cluster.urls() {
        args.extend(["--redis-url".into(), url]);
    }
    args.extend(["drain", "--visibility-timeout", "1s", "--exec", &cmd].map(String::from));
    let mut drain = Command::new(assert_cmd::cargo::cargo_bin("hokusai-queue"))
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let lines =
        |p: &std::path::Path| std::fs::read_to_string(p).unwrap_or_default().lines().map(str::to_owned).collect::<Vec<_>>();
    let deadline = Instant::now() + Duration::from_secs(30);
    while lines(&handled).len() < 20 {
        assert!(Instant::now() < deadline, "drain made no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Promote the replica of the queue's master.
    let replica = cluster
        .nodes
        .iter()
        .find(|n| {
            let info: String = redis::cmd("INFO").arg("replication").query(&mut n.client()).unwrap();
            info.contains("role:slave") && info.contains(&format!("master_port:{master_port}"))
        })
        .expect("a replica of the queue's master");
    cluster.failover(replica);
    let at_failover = lines(&handled).len();
    assert!(drain.try_wait().unwrap().is_none() && at_failover < n, "drain should still be running at the failover");
    let status = drain.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(drain.stderr.as_mut().unwrap(), &mut err).unwrap();
    eprintln!("drain across the failover exited {status}: {}", err.lines().last().unwrap_or(""));
    cluster.wait_ok();
    assert_ne!(cluster.master_for(Q).port, master_port, "the failover happened");

    // Whatever drain did at the failover (went on, or stopped with exit 3), finishing is safe.
    assert!(status.success() || status.code() == Some(3), "{status}: {err}");
    std::thread::sleep(Duration::from_millis(1100));
    hqc(&cluster).args(["reap-stale", "--visibility-timeout", "1s"]).assert().success();
    hqc(&cluster).args(["drain", "--exec", &cmd]).assert().success();
    let handled: std::collections::HashSet<String> = lines(&handled).into_iter().collect();
    assert_eq!(handled.len(), n, "every message handled at least once");
    let d: Value = json_out(hqc(&cluster).args(["depth", "-o", "json"]));
    assert_eq!(
        (d["main"].as_u64(), d["processing"].as_u64(), d["dlq"].as_u64(), d["leases"].as_u64()),
        (Some(0), Some(0), Some(0), Some(0))
    );
}

/// `HOKUSAI_REDIS_CLUSTER=1`, as the README documents it, turns cluster mode on; so do the
/// other usual spellings of yes and no, in any case.
#[test]
fn the_cluster_variable_takes_1_yes_on_and_their_opposites() {
    for on in ["1", "true", "yes", "on", "TRUE", "Yes", "ON"] {
        // Cluster mode: the default queue name (no hash tag) is refused before connecting.
        bare()
            .env("HOKUSAI_REDIS_CLUSTER", on)
            .args(["--redis-url", "redis://127.0.0.1:1", "depth"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("slot 8858"));
    }
    let server = RedisServer::start();
    for off in ["0", "false", "no", "off", "FALSE", "Off"] {
        hq(&server).env("HOKUSAI_REDIS_CLUSTER", off).args(["depth", "-o", "json"]).assert().success();
    }
    bare().env("HOKUSAI_REDIS_CLUSTER", "maybe").arg("depth").assert().code(2);
}

/// `depth --all-queues` uses the queues it finds, not the configured one: on a cluster it runs
/// without a hash-tagged --queue, skips (with a warning) a queue whose keys span slots, and
/// lists no queue made up from the evaluation scheduler's DLQ of job ids.
#[test]
fn all_queues_needs_no_hash_tagged_queue() {
    let cluster = RedisCluster::start(false);
    hqc(&cluster).args(emit_flags()).assert().success();
    let eval_dlq = "hokusai:eval:v1:dlq";
    cluster.master_for(eval_dlq).lpush(eval_dlq, b"job-123");
    cluster.master_for("plain:jobs").lpush("plain:jobs", b"x");
    let mut c = bare();
    c.args(["--cluster", "--connect-retries", "1", "--connect-backoff-base", "50ms"]);
    for url in cluster.urls() {
        c.arg("--redis-url").arg(url);
    }
    let out = c.args(["depth", "--all-queues", "-o", "json"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v["queues"].as_array().unwrap().iter().map(|q| q["queue"].as_str().unwrap()).collect();
    assert_eq!(names, [Q], "{v}");
    assert_eq!(v["queues"][0]["main"], 1, "{v}");
    assert!(err.contains("skipped plain:jobs") && err.contains("hash tag"), "{err}");
}
