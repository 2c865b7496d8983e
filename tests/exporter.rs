//! exporter: the real binary serving real HTTP over TCP, scraped while its test redis-server
//! holds known contents, goes away and comes back; depth --textfile; the alert rules and a real
//! scrape checked by promtool.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;
use serde_json::Value;

use crate::support::deployer::{self, Deployer, Outcome};
use crate::support::*;

const MINT: &str = "hokusai:mint_requests";

/// A running exporter: its process and the address it printed.
struct Exporter {
    child: Child,
    addr: String,
}

impl Exporter {
    fn start(server: &RedisServer, args: &[&str]) -> Self {
        Self::spawn(hq_process(server), args)
    }

    fn spawn(mut cmd: std::process::Command, args: &[&str]) -> Self {
        let mut child = cmd
            .args(["exporter", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        let mut seen = String::new();
        let addr = loop {
            line.clear();
            if stderr.read_line(&mut line).unwrap() == 0 {
                let _ = child.kill();
                panic!("the exporter exited before listening; stderr:\n{seen}");
            }
            seen.push_str(&line);
            if let Some(rest) = line.split("listening on http://").nth(1) {
                break rest.split('/').next().unwrap().to_owned();
            }
        };
        // Keep draining stderr so that the exporter never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));
        Self { child, addr }
    }

    /// One HTTP/1.1 request over a fresh TCP connection: (status, headers lower-cased, body).
    fn get(&self, path: &str, accept: Option<&str>) -> (u16, HashMap<String, String>, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let accept = accept.map_or(String::new(), |a| format!("Accept: {a}\r\n"));
        write!(s, "GET {path} HTTP/1.1\r\nHost: {}\r\n{accept}Connection: close\r\n\r\n", self.addr).unwrap();
        let mut raw = String::new();
        s.read_to_string(&mut raw).unwrap();
        let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP response");
        let mut lines = head.lines();
        let status = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
        let headers =
            lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_owned())).collect();
        (status, headers, body.to_owned())
    }

    /// GET /metrics (text format), asserting 200: the samples as `name{labels}` -> value.
    fn scrape(&self) -> HashMap<String, String> {
        let (status, _, body) = self.get("/metrics", None);
        assert_eq!(status, 200, "{body}");
        samples(&body)
    }

    fn metrics_text(&self) -> String {
        let (status, _, body) = self.get("/metrics", None);
        assert_eq!(status, 200, "{body}");
        body
    }
}

impl Drop for Exporter {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn samples(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (k, v) = l.rsplit_once(' ').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

fn value(m: &HashMap<String, String>, key: &str) -> f64 {
    m.get(key).unwrap_or_else(|| panic!("no sample {key} in {m:#?}")).parse().unwrap()
}

fn envelope_at(ts: &str) -> String {
    format!(
        r#"{{"message_id":"550e8400-e29b-41d4-a716-446655440000","message_type":"model_ready_to_deploy","payload":{{}},"timestamp":"{ts}","retry_count":0,"max_retries":3}}"#
    )
}

/// A naive ISO time `secs` ago on the test server's clock.
fn ago(server: &RedisServer, secs: i64) -> String {
    let t: Vec<String> = redis::cmd("TIME").query(&mut server.client()).unwrap();
    let now: i64 = t[0].parse().unwrap();
    let dt = time::OffsetDateTime::from_unix_timestamp(now - secs).unwrap();
    dt.format(time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].000000")).unwrap()
}

/// `INFO commandstats` of the test's server: command -> calls.
fn command_calls(server: &RedisServer) -> HashMap<String, u64> {
    server
        .info("commandstats")
        .into_iter()
        .filter_map(|(k, v)| {
            let calls = v.split(',').find_map(|f| f.strip_prefix("calls="))?.parse().ok()?;
            Some((k.strip_prefix("cmdstat_")?.to_owned(), calls))
        })
        .collect()
}

fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn series_match_an_envelope_queue_and_a_mint_queue() {
    let server = RedisServer::start();
    for secs in [30, 20, 10] {
        server.lpush(QUEUE, envelope_at(&ago(&server, secs)).as_bytes());
    }
    server.lpush(&format!("{QUEUE}:processing"), envelope_at(&ago(&server, 600)).as_bytes());
    server.lpush(&format!("{QUEUE}:dlq"), b"dead");
    server.lpush(&format!("{QUEUE}:dlq"), b"dead too");
    server.cmd(&["ZADD", &format!("{QUEUE}:hokusai-queue:retry"), "1", &format!("{}:x", "0".repeat(32))]);
    server.cmd(&["ZADD", &format!("{QUEUE}:hokusai-queue:retry"), "99999999999999", &format!("{}:y", "1".repeat(32))]);
    // The mint queue, as the deployer leaves it: one settled, one dead-lettered (model_inactive),
    // one waiting for a retry; then two new requests.
    let mut d = Deployer::new(server.client());
    for n in 0..3 {
        server.lpush(MINT, serde_json::to_string(&deployer::example_request_with(n)).unwrap().as_bytes());
    }
    let mut k = 0;
    let mut handler = |_: &Value| {
        k += 1;
        match k {
            1 => Outcome::Settled("minted"),
            2 => Outcome::Fail { message: "Model not registered".into(), permanent: false },
            _ => Outcome::Fail { message: "socket hang up".into(), permanent: false },
        }
    };
    for _ in 0..3 {
        d.process_one(0.0, &mut handler);
    }
    for n in 10..12 {
        server.lpush(MINT, serde_json::to_string(&deployer::example_request_with(n)).unwrap().as_bytes());
    }

    let ex = Exporter::start(&server, &["-q", QUEUE, "-q", MINT]);
    let m = ex.scrape();
    let e = |rest: &str| format!("queue=\"{QUEUE}\",profile=\"envelope\"{rest}");
    for (list, n) in [("main", 3.0), ("processing", 1.0), ("dlq", 2.0), ("retry", 2.0)] {
        assert_eq!(value(&m, &format!("hokusai_queue_depth{{{}}}", e(&format!(",list=\"{list}\"")))), n, "{list}");
    }
    assert_eq!(value(&m, &format!("hokusai_queue_retry_due{{{}}}", e(""))), 1.0);
    assert_eq!(value(&m, &format!("hokusai_queue_leases{{{}}}", e(""))), 0.0);
    let main_age = value(&m, &format!("hokusai_queue_oldest_age_seconds{{{}}}", e(",list=\"main\"")));
    assert!((29.0..120.0).contains(&main_age), "{main_age}");
    let processing_age = value(&m, &format!("hokusai_queue_oldest_age_seconds{{{}}}", e(",list=\"processing\"")));
    assert!((599.0..700.0).contains(&processing_age), "{processing_age}");

    let mi = |rest: &str| format!("queue=\"{MINT}\",profile=\"mint\"{rest}");
    let real = |key: &str| server.llen(key) as f64;
    assert_eq!(value(&m, &format!("hokusai_queue_depth{{{}}}", mi(",list=\"main\""))), 2.0);
    assert_eq!(value(&m, &format!("hokusai_queue_depth{{{}}}", mi(",list=\"main\""))), real(MINT));
    assert_eq!(value(&m, &format!("hokusai_queue_depth{{{}}}", mi(",list=\"dlq\""))), 1.0);
    assert_eq!(value(&m, &format!("hokusai_queue_depth{{{}}}", mi(",list=\"retry\""))), 1.0);
    assert_eq!(value(&m, &format!("hokusai_queue_depth{{{}}}", mi(",list=\"processing\""))), 0.0);
    assert_eq!(value(&m, &format!("hokusai_queue_mint_processed{{{}}}", mi(""))), 1.0);
    assert_eq!(value(&m, &format!("hokusai_queue_mint_settlements{{{}}}", mi(""))), 1.0);
    assert_eq!(value(&m, &format!("hokusai_queue_mint_dlq_class{{{}}}", mi(",class=\"model_inactive\""))), 1.0);
    assert_eq!(value(&m, &format!("hokusai_queue_mint_dlq_class{{{}}}", mi(",class=\"other\""))), 0.0);
    // The server's series.
    assert_eq!(value(&m, "hokusai_queue_up"), 1.0);
    assert_eq!(value(&m, "hokusai_queue_scrape_errors_total"), 0.0);
    assert!(value(&m, "hokusai_queue_redis_memory_used_bytes") > 0.0);
    assert!(value(&m, "hokusai_queue_redis_connected_clients") >= 1.0);
    assert!(value(&m, "hokusai_queue_redis_commands_processed_total") > 0.0);
    assert!(m.contains_key("hokusai_queue_redis_ops_per_second"));
    assert!(value(&m, "hokusai_queue_redis_ping_seconds") > 0.0);
    assert!(value(&m, "hokusai_queue_scrape_duration_seconds") > 0.0);

    // depth -o prometheus names the same queue series, with the same values.
    let out = hq(&server).args(["-q", QUEUE, "depth", "-o", "prometheus"]).output().unwrap();
    let depth = samples(&String::from_utf8(out.stdout).unwrap());
    for (k, v) in depth.iter().filter(|(k, _)| !k.starts_with("hokusai_queue_oldest_age_seconds")) {
        assert_eq!(m.get(k), Some(v), "{k}");
    }
    assert!(depth.len() >= 8);
}

#[test]
fn healthz_404_and_sigterm() {
    let server = RedisServer::start();
    let mut ex = Exporter::start(&server, &[]);
    let (status, _, body) = ex.get("/healthz", None);
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    let (status, _, body) = ex.get("/nope", None);
    assert_eq!(status, 404);
    assert!(body.contains("/metrics"), "{body}");
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(ex.child.id() as i32), nix::sys::signal::Signal::SIGTERM).unwrap();
    let status = ex.child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a clean stop exits 0");
}

#[test]
fn redis_down_is_up_0_then_back_to_1() {
    let mut server = RedisServer::start();
    server.lpush(QUEUE, b"x");
    let ex = Exporter::start(&server, &["--min-interval", "0s"]);
    assert_eq!(value(&ex.scrape(), "hokusai_queue_up"), 1.0);
    server.kill();
    let m = ex.scrape();
    assert_eq!(value(&m, "hokusai_queue_up"), 0.0);
    assert!(value(&m, "hokusai_queue_scrape_errors_total") >= 1.0);
    assert!(!m.keys().any(|k| k.starts_with("hokusai_queue_depth")), "no stale queue series: {m:?}");
    let errors = value(&ex.scrape(), "hokusai_queue_scrape_errors_total");
    assert!(errors >= 2.0, "each failed scrape counts: {errors}");
    server.restart();
    server.lpush(QUEUE, b"y");
    let m = ex.scrape();
    assert_eq!(value(&m, "hokusai_queue_up"), 1.0);
    assert_eq!(value(&m, &format!("hokusai_queue_depth{{queue=\"{QUEUE}\",profile=\"envelope\",list=\"main\"}}")), 1.0);
    assert_eq!(value(&m, "hokusai_queue_scrape_errors_total"), errors, "the counter keeps its count");
}

#[test]
fn scrapes_within_min_interval_cost_redis_nothing() {
    let server = RedisServer::start();
    server.lpush(QUEUE, b"x");
    let cached = Exporter::start(&server, &["--min-interval", "1h"]);
    let first = cached.metrics_text();
    let before = command_calls(&server);
    for _ in 0..5 {
        assert_eq!(cached.metrics_text(), first, "served from the cache");
    }
    let after = command_calls(&server);
    // Our own INFO commandstats is the only command between the two readings.
    let mut expected = before.clone();
    *expected.entry("info".into()).or_default() += 1;
    assert_eq!(after, expected);

    // The control: without the cache, every scrape reaches Redis, and the reading shows it.
    let uncached = Exporter::start(&server, &["--min-interval", "0s"]);
    uncached.scrape();
    let before = command_calls(&server);
    uncached.scrape();
    let after = command_calls(&server);
    assert!(after.get("ping") > before.get("ping"), "{before:?} {after:?}");
    assert!(after.get("evalsha") > before.get("evalsha"), "{before:?} {after:?}");
}

#[test]
fn openmetrics_when_the_accept_header_asks() {
    let server = RedisServer::start();
    let ex = Exporter::start(&server, &[]);
    let (status, headers, body) =
        ex.get("/metrics", Some("application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5"));
    assert_eq!(status, 200);
    assert!(headers["content-type"].starts_with("application/openmetrics-text; version=1.0.0"), "{headers:?}");
    assert!(body.ends_with("# EOF\n"), "{body}");
    assert!(body.contains("# TYPE hokusai_queue_scrape_errors counter\nhokusai_queue_scrape_errors_total 0\n"), "{body}");
    let (_, headers, body) = ex.get("/metrics", Some("text/plain"));
    assert!(headers["content-type"].starts_with("text/plain; version=0.0.4"), "{headers:?}");
    assert!(!body.contains("# EOF"));
    assert!(body.contains("# TYPE hokusai_queue_scrape_errors_total counter\n"), "{body}");
}

#[test]
fn textfile_is_replaced_atomically_and_watch_rewrites_it() {
    let server = RedisServer::start();
    server.lpush(QUEUE, b"x");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hokusai.prom");
    let path = file.to_str().unwrap();
    hq(&server).args(["depth", "-o", "prometheus", "--textfile", path]).assert().success().stdout("");
    let stdout = hq(&server).args(["depth", "-o", "prometheus"]).output().unwrap().stdout;
    assert_eq!(std::fs::read_to_string(&file).unwrap(), String::from_utf8(stdout).unwrap());
    let names =
        || std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect::<Vec<_>>();
    assert_eq!(names(), ["hokusai.prom"], "no temporary file left behind");
    hq(&server).args(["depth", "--textfile", path]).assert().code(2).stderr(predicate::str::contains("add -o prometheus"));
    hq(&server)
        .args(["depth", "-o", "prometheus", "--textfile", dir.path().join("missing/x.prom").to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write --textfile"));

    let mut watch = hq_process(&server)
        .args(["depth", "-o", "prometheus", "--watch", "100ms", "--textfile", path])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let main = format!("hokusai_queue_depth{{queue=\"{QUEUE}\",profile=\"envelope\",list=\"main\"}}");
    server.lpush(QUEUE, b"y");
    server.lpush(QUEUE, b"z");
    wait_for("the watch to rewrite the file", || {
        std::fs::read_to_string(&file).is_ok_and(|t| samples(&t).get(&main).map(String::as_str) == Some("3"))
    });
    let text = std::fs::read_to_string(&file).unwrap();
    let _ = watch.kill();
    let _ = watch.wait();
    assert_eq!(text.matches("# TYPE hokusai_queue_depth gauge").count(), 1, "one frame, not appended ones:\n{text}");
    assert_eq!(text.matches(&main).count(), 1);
}

#[test]
fn several_queues_only_for_the_exporter() {
    bare()
        .args(["depth", "-q", "a", "-q", "b"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("only `exporter` watches several queues"));
}

/// The README's read-only role (tests/acl.rs) is enough for the exporter.
#[test]
fn works_under_the_read_only_acl_role() {
    let server = RedisServer::start_with(&["--requirepass", "admin-GREPME"]);
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let rule = readme.lines().find(|l| l.starts_with("ACL SETUSER hq-reader ")).expect("the README's hq-reader rule");
    let mut cmd = redis::cmd("ACL");
    for part in rule.split_whitespace().skip(1) {
        cmd.arg(if part.starts_with('>') { ">reader-pw" } else { part });
    }
    cmd.exec(&mut server.client()).unwrap();
    server.lpush(QUEUE, b"x");
    server.lpush(&format!("{QUEUE}:dlq"), b"d");
    let mut c = hq_process(&server);
    c.env("REDIS_USERNAME", "hq-reader").env("REDIS_AUTH_TOKEN", "reader-pw");
    let ex = Exporter::spawn(c, &[]);
    let m = ex.scrape();
    assert_eq!(value(&m, "hokusai_queue_up"), 1.0);
    assert_eq!(value(&m, "hokusai_queue_scrape_errors_total"), 0.0);
    assert_eq!(value(&m, &format!("hokusai_queue_depth{{queue=\"{QUEUE}\",profile=\"envelope\",list=\"dlq\"}}")), 1.0);
    assert!(m.contains_key("hokusai_queue_redis_memory_used_bytes"));
}

/// A role without INFO still reads the queues: the exporter says up 1 and leaves out only the
/// redis_* series (INFO refused made it answer up 0, a false "cannot reach Redis").
#[test]
fn a_role_without_info_is_up_with_its_queue_series() {
    let server = RedisServer::start_with(&["--requirepass", "admin-GREPME"]);
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let rule = readme.lines().find(|l| l.starts_with("ACL SETUSER hq-reader ")).expect("the README's hq-reader rule");
    let mut cmd = redis::cmd("ACL");
    for part in rule.split_whitespace().skip(1).filter(|p| *p != "+info") {
        cmd.arg(if part.starts_with('>') { ">reader-pw" } else { part });
    }
    cmd.exec(&mut server.client()).unwrap();
    server.lpush(QUEUE, b"x");
    let mut c = hq_process(&server);
    c.env("REDIS_USERNAME", "hq-reader").env("REDIS_AUTH_TOKEN", "reader-pw");
    let ex = Exporter::spawn(c, &[]);
    let m = ex.scrape();
    assert_eq!(value(&m, "hokusai_queue_up"), 1.0, "{m:?}");
    assert_eq!(value(&m, &format!("hokusai_queue_depth{{queue=\"{QUEUE}\",profile=\"envelope\",list=\"main\"}}")), 1.0);
    assert!(!m.contains_key("hokusai_queue_redis_memory_used_bytes"), "no INFO, no redis_* series");
}

/// A Redis that hangs (CLIENT PAUSE) is reported as up 0 after --scrape-timeout, within
/// Prometheus' scrape timeout, not after the 30 s of --command-timeout (the RedisDown alert's
/// input never arrived).
#[test]
fn a_hung_redis_is_up_0_after_the_scrape_timeout() {
    let server = RedisServer::start();
    server.lpush(QUEUE, b"x");
    let ex = Exporter::start(&server, &["--min-interval", "0s", "--scrape-timeout", "1s"]);
    assert_eq!(value(&ex.scrape(), "hokusai_queue_up"), 1.0);
    server.cmd(&["CLIENT", "PAUSE", "8000", "ALL"]);
    // The reply comes while Redis is still paused: up 0 (were it to wait out the pause, the
    // paused PING would answer and say up 1).
    let m = ex.scrape();
    assert_eq!(value(&m, "hokusai_queue_up"), 0.0, "{m:?}");
    server.cmd(&["CLIENT", "UNPAUSE"]);
    wait_for("up again", || value(&ex.scrape(), "hokusai_queue_up") == 1.0);
}

/// promtool from $HOKUSAI_PROMTOOL (scripts/test.sh sets it), PATH, or the cache
/// scripts/ensure-promtool.sh fills. Missing promtool is a failure, never a silent skip.
fn promtool() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|c| c.join("hokusai-queue/promtool/usr/bin/promtool"));
    let on_path =
        std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join("promtool")).find(|p| p.is_file()));
    std::env::var_os("HOKUSAI_PROMTOOL")
        .map(PathBuf::from)
        .into_iter()
        .chain(on_path)
        .chain(cache)
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("promtool is missing: run scripts/ensure-promtool.sh (it unpacks Debian's prometheus package) or set HOKUSAI_PROMTOOL")
        })
}

#[test]
fn promtool_checks_a_real_scrape_and_the_alert_rules() {
    let promtool = promtool();
    let server = RedisServer::start();
    server.lpush(QUEUE, envelope_at(&ago(&server, 5)).as_bytes());
    server.lpush(MINT, b"{}");
    let ex = Exporter::start(&server, &["--all-queues"]);
    let text = ex.metrics_text();
    assert!(text.contains(&format!("queue=\"{MINT}\",profile=\"mint\"")), "{text}");
    let mut check = std::process::Command::new(&promtool)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    check.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = check.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool check metrics:\n{}{}\non:\n{text}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    let root = env!("CARGO_MANIFEST_DIR");
    let out = std::process::Command::new(&promtool)
        .args(["test", "rules", "deploy/prometheus/tests.yml"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "promtool test rules:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every runbook_url of the rules names a section of the README (GitHub's heading anchors).
#[test]
fn every_runbook_url_points_to_a_readme_section() {
    let root = env!("CARGO_MANIFEST_DIR");
    let rules = std::fs::read_to_string(format!("{root}/deploy/prometheus/hokusai-queue.rules.yml")).unwrap();
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let anchors: Vec<String> = readme
        .lines()
        .filter_map(|l| l.strip_prefix('#').map(|h| h.trim_start_matches('#').trim()))
        .map(|h| {
            h.to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-' || *c == ' ')
                .collect::<String>()
                .replace(' ', "-")
        })
        .collect();
    let alerts: Vec<&str> = rules.lines().filter_map(|l| l.trim().strip_prefix("- alert: ")).collect();
    let urls: Vec<&str> = rules.lines().filter_map(|l| l.trim().strip_prefix("runbook_url: ")).collect();
    assert_eq!(urls.len(), alerts.len(), "one runbook_url per rule");
    for url in urls {
        let anchor = url.trim_matches('"').split_once("README.md#").expect("a README anchor").1;
        assert!(anchors.iter().any(|a| a == anchor), "README has no section #{anchor}");
    }
}

/// On a Redis Cluster: hash-tagged queues on different masters, read through the cluster client.
#[test]
fn works_on_a_cluster() {
    let cluster = crate::support::cluster::RedisCluster::start(false);
    let (a, b) = ("hokusai:{model_ready_queue}", "{jobs}:other");
    cluster.master_for(a).lpush(a, b"x");
    cluster.master_for(b).lpush(b, b"y");
    cluster.master_for(b).lpush(b, b"z");
    let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("hokusai-queue"));
    c.env_clear().env("HOKUSAI_CONFIG", "/nonexistent/hokusai-queue-tests/config.toml");
    c.args(["--cluster", "--connect-retries", "0", "-q", a, "-q", b]);
    for url in cluster.urls() {
        c.arg("--redis-url").arg(url);
    }
    let ex = Exporter::spawn(c, &[]);
    let m = ex.scrape();
    assert_eq!(value(&m, "hokusai_queue_up"), 1.0);
    assert_eq!(value(&m, &format!("hokusai_queue_depth{{queue=\"{a}\",profile=\"envelope\",list=\"main\"}}")), 1.0);
    assert_eq!(value(&m, &format!("hokusai_queue_depth{{queue=\"{b}\",profile=\"opaque\",list=\"main\"}}")), 2.0);
    assert_eq!(value(&m, "hokusai_queue_scrape_errors_total"), 0.0);
    assert!(m.contains_key("hokusai_queue_redis_memory_used_bytes"), "{m:?}");
}

/// `hokusai_queue_oldest_unchanged_seconds`: the same oldest element grows the count; a new one
/// (a consumer took the old) starts it again; the stuck-processing alert reads it.
#[test]
fn the_oldest_unchanged_counts_while_the_same_element_stays() {
    let server = RedisServer::start();
    for m in [b"a".as_slice(), b"b", b"c"] {
        server.lpush(QUEUE, m);
    }
    server.lpush(&format!("{QUEUE}:processing"), b"held");
    let ex = Exporter::start(&server, &["--min-interval", "0s"]);
    let key =
        |list: &str| format!("hokusai_queue_oldest_unchanged_seconds{{queue=\"{QUEUE}\",profile=\"envelope\",list=\"{list}\"}}");
    let first = ex.scrape();
    assert_eq!(value(&first, &key("main")), 0.0, "{first:?}");
    std::thread::sleep(Duration::from_millis(1200));
    let second = ex.scrape();
    assert!(value(&second, &key("main")) >= 1.0 && value(&second, &key("processing")) >= 1.0, "{second:?}");
    // A consumer takes the next message out: main's oldest changed, processing's did not.
    server.cmd(&["RPOP", QUEUE]);
    let third = ex.scrape();
    assert!(value(&third, &key("main")) < 1.0, "{third:?}");
    assert!(value(&third, &key("processing")) >= 1.0, "{third:?}");
    // An empty list has no such series.
    server.cmd(&["DEL", &format!("{QUEUE}:processing")]);
    assert!(!ex.scrape().contains_key(&key("processing")));
}

/// A role that may not SCAN: the exporter still reaches Redis (up 1); finding the queues
/// failed, which counts as a scrape error, said on stderr, never as Redis being down.
#[test]
fn all_queues_without_scan_is_an_error_not_redis_down() {
    let server = RedisServer::start();
    server.lpush(QUEUE, b"x");
    server.cmd(&["ACL", "SETUSER", "noscan", "on", ">pw", "~*", "+@all", "-scan"]);
    let mut cmd = hq_process(&server);
    cmd.env("REDIS_USERNAME", "noscan").env("REDIS_AUTH_TOKEN", "pw");
    let ex = Exporter::spawn(cmd, &["--all-queues", "--min-interval", "0s"]);
    let m = ex.scrape();
    assert_eq!(value(&m, "hokusai_queue_up"), 1.0, "{m:?}");
    assert!(value(&m, "hokusai_queue_scrape_errors_total") >= 1.0, "{m:?}");
}
