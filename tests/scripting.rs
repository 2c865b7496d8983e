//! Output for scripts and a richer peek (issue 13): `-o plain`, `--no-headers`, `-o wide`,
//! `peek --offset/--id/--match`, and the flow columns of `depth --watch`.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::Value;

use crate::support::*;

/// Emits `n` envelopes whose model ids cycle through m0, m1, m2 (m0 oldest).
fn emit_models(server: &RedisServer, n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.jsonl");
    let lines: String = (0..n).map(|i| payload_json(&format!("m{}", i % 3)) + "\n").collect();
    std::fs::write(&file, lines).unwrap();
    hq(server).args(["emit", "--no-publish", "--file"]).arg(&file).assert().success();
}

fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn plain_output_is_rows_of_tab_separated_cells_and_the_caption_goes_to_stderr() {
    let server = RedisServer::start();
    emit_models(&server, 5);
    let out = hq(&server).args(["depth", "-o", "plain"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "a header and one row, nothing else on stdout: {text}");
    assert_eq!(lines[0].split('\t').collect::<Vec<_>>(), ["queue", "profile", "main", "processing", "retry", "dlq", "oldest"]);
    let row: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(&row[..6], [QUEUE, "envelope", "5", "0", "0", "0"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains(QUEUE), "the caption is on stderr");

    // --no-headers: only rows; awk's default field splitting reads them.
    let rows = stdout_of(hq(&server).args(["peek", "-n", "10", "--no-headers"]));
    assert_eq!(rows.lines().count(), 5, "{rows}");
    let models: Vec<&str> = rows.lines().map(|l| l.split_whitespace().nth(3).unwrap()).collect();
    assert_eq!(models, ["m0", "m1", "m2", "m0", "m1"]);
    let plain = stdout_of(hq(&server).args(["peek", "-o", "plain", "--no-headers"]));
    assert!(plain.lines().all(|l| l.split('\t').count() == 7 && !l.contains('│')), "{plain}");
    // An empty list is zero rows, its note on stderr.
    hq(&server)
        .args(["peek", "--list", "dlq", "-o", "plain", "--no-headers"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("is empty"));
}

#[test]
fn wide_output_adds_columns() {
    let server = RedisServer::start();
    emit_models(&server, 2);
    let depth = stdout_of(hq(&server).args(["depth", "-o", "wide"]));
    for col in ["leases", "retry_due", "next_due_in", "dlq_by_class", "oldest_seconds", "processed"] {
        assert!(depth.contains(col), "{col} missing: {depth}");
    }
    let peek = stdout_of(hq(&server).args(["peek", "-o", "plain", "--no-headers"]).env("X", "1"));
    assert_eq!(peek.lines().next().unwrap().split('\t').count(), 7);
    let wide = stdout_of(hq(&server).args(["-o", "wide", "peek"]));
    assert!(wide.contains("max_retries") && wide.contains("bytes"), "{wide}");
    let wide_plain = stdout_of(hq(&server).args(["peek", "-o", "wide", "--no-headers"]));
    let cells: Vec<&str> = wide_plain.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(cells.len(), 11, "{wide_plain}");
    let raw_len = server.lrange(QUEUE).last().unwrap().len();
    assert_eq!(cells[9], raw_len.to_string(), "bytes is the element's size");
}

#[test]
fn peek_pages_with_offset_and_filters_by_id_and_payload_field() {
    let server = RedisServer::start();
    emit_models(&server, 25);
    let ids: Vec<String> =
        server.lrange(QUEUE).iter().rev().map(|r| envelope(r)["message_id"].as_str().unwrap().to_owned()).collect();
    // --offset from the oldest end: positions 20..24.
    let v = json_out(hq(&server).args(["peek", "--offset", "20", "-o", "json"]));
    let got: Vec<(u64, String)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["position"].as_u64().unwrap(), e["message_id"].as_str().unwrap().into()))
        .collect();
    assert_eq!(got, (20..25).map(|i| (i as u64, ids[i].clone())).collect::<Vec<_>>());
    // From the newest end, skipping 5: positions 19, 18, 17.
    let v = json_out(hq(&server).args(["peek", "--from", "newest", "--offset", "5", "-n", "3", "-o", "json"]));
    let pos: Vec<u64> = v.as_array().unwrap().iter().map(|e| e["position"].as_u64().unwrap()).collect();
    assert_eq!(pos, [19, 18, 17]);
    hq(&server)
        .args(["peek", "--offset", "5", "-n", "3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(3 of 25 shown after skipping 5; --offset 8 for the next)"));
    hq(&server).args(["peek", "--offset", "30"]).assert().success().stdout(predicate::str::contains("nothing past --offset 30"));

    // --match scans past the first page of the limit.
    let v = json_out(hq(&server).args(["peek", "--match", "model_id=m1", "-n", "4", "-o", "json"]));
    let pos: Vec<u64> = v.as_array().unwrap().iter().map(|e| e["position"].as_u64().unwrap()).collect();
    assert_eq!(pos, [1, 4, 7, 10]);
    assert!(v.as_array().unwrap().iter().all(|e| e["payload"]["model_id"] == "m1"), "{v}");
    // Values of one key are alternatives; with an offset.
    let v =
        json_out(hq(&server).args(["peek", "--match", "model_id=m1", "--match", "model_id=m2", "--offset", "20", "-o", "json"]));
    let pos: Vec<u64> = v.as_array().unwrap().iter().map(|e| e["position"].as_u64().unwrap()).collect();
    assert_eq!(pos, [20, 22, 23]);
    // --id finds one message anywhere in the list.
    let v = json_out(hq(&server).args(["peek", "--id", &ids[17], "-o", "json"]));
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["position"], 17);
    hq(&server)
        .args(["peek", "--match", "model_id=nope"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(0 matching of 25 scanned from the oldest end;"));
    // Filters are for messages: the retry set and the DLQ say where to go.
    hq(&server).args(["peek", "--list", "retry", "--offset", "1"]).assert().code(2).stderr(predicate::str::contains("retry set"));
    hq(&server).args(["peek", "--list", "dlq", "--match", "a=b"]).assert().code(2).stderr(predicate::str::contains("dlq list"));
    hq(&server).args(["peek", "--match", "nokey"]).assert().code(2).stderr(predicate::str::contains("KEY=VALUE"));
}

#[test]
fn a_mint_peek_filters_by_idempotency_key_and_request_fields() {
    let server = RedisServer::start();
    let q = "hokusai:mint_requests";
    for n in 0..6 {
        let mut r = crate::support::deployer::example_request_with(n);
        r["model_id"] = Value::String(format!("model-{}", n % 2));
        server.lpush(q, r.to_string().as_bytes());
    }
    let key = crate::support::deployer::example_request_with(4)["idempotency_key"].as_str().unwrap().to_owned();
    let v = json_out(hq(&server).args(["--queue", q, "peek", "--id", &key, "-o", "json"]));
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v[0]["position"], 4);
    let v = json_out(hq(&server).args(["--queue", q, "peek", "--match", "model_id=model-1", "-o", "json"]));
    let pos: Vec<u64> = v.as_array().unwrap().iter().map(|e| e["position"].as_u64().unwrap()).collect();
    assert_eq!(pos, [1, 3, 5]);
}

/// `depth --watch -o jsonl` frames carry in/out rates: pushes found by where the previous
/// head element went, outflow by the length balance.
#[test]
fn depth_watch_shows_in_and_out_rates_between_frames() {
    let server = RedisServer::start();
    emit_models(&server, 10);
    let mut child = hq_process(&server)
        .args(["depth", "--watch", "1s", "-o", "jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["main"], 10);
    assert!(first["in_per_second"].is_null(), "no rate on the first frame: {first}");
    // Between the first frame and a later one: 30 pushed, 4 taken. Summed over the frames
    // that saw it (rate x the time between frames), the counts are exact.
    emit_models(&server, 30);
    hq(&server).args(["drain", "--max", "4"]).assert().success();
    let secs = |v: &Value| {
        time::OffsetDateTime::parse(v["at"].as_str().unwrap(), &time::format_description::well_known::Rfc3339).unwrap()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let (mut pushed, mut taken, mut prev) = (0.0, 0.0, first.clone());
    let second: Value = loop {
        let v: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
        assert_eq!(v["in_is_lower_bound"], false, "the previous head was still in the list: {v}");
        let dt = (secs(&v) - secs(&prev)).as_seconds_f64();
        pushed += v["in_per_second"].as_f64().unwrap() * dt;
        taken += v["out_per_second"].as_f64().unwrap() * dt;
        prev = v.clone();
        if v["main"] == 36 {
            break v;
        }
        assert!(Instant::now() < deadline, "never saw main 36: {v}");
    };
    child.kill().unwrap();
    child.wait().unwrap();
    assert!((pushed - 30.0).abs() < 0.5, "pushed {pushed}, not 30: {second}");
    assert!((taken - 4.0).abs() < 0.5, "taken {taken}, not 4: {second}");
    assert!(second["oldest_age_change_seconds"].is_number(), "{second}");
}
