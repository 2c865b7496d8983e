//! Concurrency experiments against a real redis-server, with real processes of the tool.
//!
//! A (issue 12): the envelope queue drained by three `drain --exec` consumers whose handler
//! fails ~10% of the time, while `reap-stale` and `dlq replay` run in loops beside them and one
//! consumer is SIGKILLed mid-run and replaced. Every message_id must be handled successfully
//! (nothing lost, nothing stranded); a message may be handled twice only when the killed
//! consumer's handler had succeeded and the kill came before the ack.
//!
//! B (issue 11): the mint queue consumed by three threads running the deployer's model
//! (tests/support/deployer.rs), with transient and permanent failures and simulated crashes
//! after BRPOPLPUSH, while the tool's `reap-stale --promote-retries` and
//! `dlq replay --force --confirm-not-minted` run in loops beside them. Nothing may be lost or
//! stranded, every crash is reclaimed exactly once, every audit record matches a replay. Run
//! twice: with the tool as the only promoter of retries no key may settle twice; with the
//! deployer's consumers promoting too (as in production) its documented promotion race (3.6)
//! duplicates some deliveries, and then a key may only settle again as the chain's `replay`.
//!
//! Every experiment is bounded in time and count and stops by itself; it prints its figures
//! (`cargo test --test main concurrency -- --nocapture`). The long campaign is ignored by default:
//! `scripts/campaign.sh` runs it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::Value;

use crate::support::deployer::{self, Deployer, Outcome, Step};
use crate::support::{RedisServer, hq, json_out, payload_json};

// ---- shared plumbing ---------------------------------------------------------------------------

/// The tool aimed at `url`, with a clean environment and connection retries (long runs: a
/// refused connection must not end a consumer or a loop run). `hq_process` passes
/// `--connect-retries 0`, and clap refuses the flag given twice, so this builds its own.
fn tool(url: &str) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("hokusai-queue"));
    c.env_clear();
    for k in ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL"] {
        if let Some(v) = std::env::var_os(k) {
            c.env(k, v);
        }
    }
    c.env("USER", "concurrency-test");
    c.arg("--redis-url").arg(url).args([
        "--connect-retries",
        "5",
        "--connect-backoff-base",
        "50ms",
        "--connect-backoff-cap",
        "1s",
    ]);
    c.stdin(Stdio::null());
    c
}

/// One run of a loop command.
#[derive(Debug)]
struct LoopRun {
    /// Seconds since the experiment started.
    at: f64,
    code: Option<i32>,
    json: Option<Value>,
    stderr: String,
}

/// Runs `cmd` to its end, killing it after `limit`; stdout and stderr are captured.
fn run_bounded(cmd: &mut Command, limit: Duration) -> (Option<i32>, Vec<u8>, String) {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the tool starts");
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = so.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = se.read_to_end(&mut b);
        b
    });
    let start = Instant::now();
    let code = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s.code();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    (code, out.join().unwrap(), String::from_utf8_lossy(&err.join().unwrap()).into_owned())
}

/// Sets the flag when dropped: loops and consumer threads stop even when the experiment panics.
struct StopOnDrop(Arc<AtomicBool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Runs the command `make` builds, then sleeps 200 ms, until `stop`. Returns every run.
fn spawn_loop(epoch: Instant, stop: Arc<AtomicBool>, make: impl Fn() -> Command + Send + 'static) -> JoinHandle<Vec<LoopRun>> {
    std::thread::spawn(move || {
        let mut runs = Vec::new();
        while !stop.load(Ordering::SeqCst) {
            let at = epoch.elapsed().as_secs_f64();
            let (code, stdout, stderr) = run_bounded(&mut make(), Duration::from_secs(30));
            let json = serde_json::from_slice(&stdout).ok();
            runs.push(LoopRun { at, code, json, stderr });
            std::thread::sleep(Duration::from_millis(200));
        }
        runs
    })
}

/// The lengths of `lists` then the cardinalities of `zsets`, read in one MULTI (one instant).
fn snapshot(con: &mut redis::Connection, lists: &[&str], zsets: &[&str]) -> Vec<u64> {
    let mut p = redis::pipe();
    p.atomic();
    for l in lists {
        p.cmd("LLEN").arg(*l);
    }
    for z in zsets {
        p.cmd("ZCARD").arg(*z);
    }
    p.query(con).expect("the snapshot MULTI")
}

fn sum_field(runs: &[LoopRun], field: &str) -> u64 {
    runs.iter().filter_map(|r| r.json.as_ref()).map(|v| v[field].as_u64().unwrap_or(0)).sum()
}

/// Loop runs that did not exit 0 (or produced no JSON).
fn failed_runs(runs: &[LoopRun]) -> Vec<String> {
    runs.iter()
        .filter(|r| r.code != Some(0) || r.json.is_none())
        .map(|r| format!("at {:.1}s exit {:?}: {}", r.at, r.code, r.stderr.trim()))
        .collect()
}

// ---- A: the envelope queue -------------------------------------------------------------------

const MAIN: &str = "hokusai:model_ready_queue";
const PROCESSING: &str = "hokusai:model_ready_queue:processing";
const DLQ: &str = "hokusai:model_ready_queue:dlq";
const RETRY: &str = "hokusai:model_ready_queue:hokusai-queue:retry";
const LEASES: &str = "hokusai:model_ready_queue:hokusai-queue:leases";

/// The lease a drain consumer writes (and heartbeats every third of it).
const CONSUMER_VISIBILITY: &str = "3s";

struct Consumer {
    name: String,
    child: Child,
    ok_file: PathBuf,
    out_file: PathBuf,
    err_file: PathBuf,
}

/// Starts `drain --exec --follow` whose handler fails ~10% of the time (26/256) and, on
/// success only and as its very last act, appends the message id to its own file.
fn start_consumer(url: &str, dir: &Path, n: usize) -> Consumer {
    let name = format!("consumer-{n}");
    let ok_file = dir.join(format!("{name}.ok"));
    let out_file = dir.join(format!("{name}.out"));
    let err_file = dir.join(format!("{name}.err"));
    let handler =
        format!("[ $(od -An -N1 -tu1 /dev/urandom) -lt 26 ] && exit 1; echo \"$HOKUSAI_MESSAGE_ID\" >> '{}'", ok_file.display());
    let child = tool(url)
        .args(["drain", "--follow", "--exec", &handler, "--retry-base", "10ms", "--retry-cap", "200ms"])
        .args(["--visibility-timeout", CONSUMER_VISIBILITY, "-o", "json"])
        .stdout(std::fs::File::create(&out_file).unwrap())
        .stderr(std::fs::File::create(&err_file).unwrap())
        .spawn()
        .expect("drain starts");
    Consumer { name, child, ok_file, out_file, err_file }
}

impl Drop for Consumer {
    /// A consumer left running by a failed experiment does not outlive it.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// What the kill left behind: the consumer, and the last id its handler appended (the only one
/// that can have been handled and not acknowledged).
struct Kill {
    name: String,
    at: f64,
    last_ok: Option<String>,
}

struct EnvelopeFigures {
    messages: usize,
    handled_ok_lines: usize,
    lost: Vec<String>,
    duplicated: BTreeMap<String, Vec<String>>,
    unexplained_duplicates: Vec<String>,
    unknown_ids: usize,
    stranded: Vec<u64>,
    kills: Vec<Kill>,
    reaped: Vec<Value>,
    replayed: u64,
    lost_leases: u64,
    retried: u64,
    dead_lettered: u64,
    anomalies: Vec<String>,
    converged_in: Option<f64>,
    elapsed: f64,
}

/// Runs experiment A with `n` messages; a consumer is SIGKILLed (and replaced) each time the
/// handled count passes one of `kill_at` (fractions of n). Gives up after `limit`.
fn envelope_experiment(n: usize, kill_at: &[f64], limit: Duration) -> EnvelopeFigures {
    let epoch = Instant::now();
    let server = RedisServer::start();
    let url = server.url();
    let dir = tempfile::Builder::new().prefix("hq-concurrency-").tempdir().unwrap();

    // 1. n messages, and every message_id.
    let file = dir.path().join("payloads.jsonl");
    let lines: String = (0..n).map(|i| payload_json(&format!("model-{i}")) + "\n").collect();
    std::fs::write(&file, lines).unwrap();
    let v = json_out(hq(&server).args(["emit", "-o", "json", "--file"]).arg(&file));
    assert_eq!(v["emitted"].as_u64(), Some(n as u64), "{v}");
    let ids: HashSet<String> = server
        .lrange(MAIN)
        .iter()
        .map(|raw| crate::support::envelope(raw)["message_id"].as_str().expect("a message_id").to_owned())
        .collect();
    assert_eq!(ids.len(), n, "every emitted message has its own id");

    // 2. Three consumers, and the operator loops beside them.
    let mut consumers: Vec<Consumer> = (0..3).map(|i| start_consumer(&url, dir.path(), i)).collect();
    let mut retired: Vec<(Consumer, &'static str)> = Vec::new();
    let stop = Arc::new(AtomicBool::new(false));
    let _stop_on_panic = StopOnDrop(stop.clone());
    let reaper = {
        let url = url.clone();
        spawn_loop(epoch, stop.clone(), move || {
            let mut c = tool(&url);
            c.args(["reap-stale", "--visibility-timeout", "2s", "-o", "json"]);
            c
        })
    };
    let replayer = {
        let url = url.clone();
        spawn_loop(epoch, stop.clone(), move || {
            let mut c = tool(&url);
            c.args(["dlq", "replay", "--yes", "--max-replays", "1000", "--force", "-o", "json"]);
            c
        })
    };

    // 3. Watch: kill on schedule, restart what dies by itself (an anomaly), stop when every
    //    list and set is empty (twice in a row, in one MULTI each).
    let mut con = server.client();
    let mut anomalies = Vec::new();
    let mut kills = Vec::new();
    let mut next_kill = 0;
    let mut next_name = consumers.len();
    let mut empty_in_a_row = 0;
    let mut converged_in = None;
    while epoch.elapsed() < limit {
        std::thread::sleep(Duration::from_millis(100));
        let handled: u64 = consumers
            .iter()
            .chain(retired.iter().map(|(c, _)| c))
            .map(|c| std::fs::metadata(&c.ok_file).map_or(0, |m| m.len()) / 37)
            .sum();
        if next_kill < kill_at.len() && handled as f64 >= kill_at[next_kill] * n as f64 {
            let mut victim = consumers.remove(next_kill % consumers.len());
            victim.child.kill().expect("SIGKILL");
            victim.child.wait().unwrap();
            let last_ok = std::fs::read_to_string(&victim.ok_file).ok().and_then(|t| t.lines().last().map(str::to_owned));
            kills.push(Kill { name: victim.name.clone(), at: epoch.elapsed().as_secs_f64(), last_ok });
            retired.push((victim, "killed"));
            consumers.push(start_consumer(&url, dir.path(), next_name));
            next_name += 1;
            next_kill += 1;
        }
        for i in (0..consumers.len()).rev() {
            if let Some(status) = consumers[i].child.try_wait().unwrap() {
                let c = consumers.remove(i);
                anomalies.push(format!("{} exited by itself ({status}): {}", c.name, tail(&c.err_file, 5)));
                retired.push((c, "died"));
                consumers.push(start_consumer(&url, dir.path(), next_name));
                next_name += 1;
            }
        }
        let s = snapshot(&mut con, &[MAIN, PROCESSING, DLQ], &[RETRY]);
        if next_kill == kill_at.len() && s.iter().all(|x| *x == 0) {
            empty_in_a_row += 1;
            if empty_in_a_row == 2 {
                converged_in = Some(epoch.elapsed().as_secs_f64());
                break;
            }
        } else {
            empty_in_a_row = 0;
        }
    }

    // 4. Stop everything: the loops, then the consumers (SIGTERM: they finish what they hold).
    stop.store(true, Ordering::SeqCst);
    for c in &consumers {
        let _ = kill(Pid::from_raw(c.child.id() as i32), Signal::SIGTERM);
    }
    let mut lost_leases = 0;
    let mut retried = 0;
    let mut dead_lettered = 0;
    for mut c in consumers {
        let deadline = Instant::now() + Duration::from_secs(15);
        let status = loop {
            if let Some(s) = c.child.try_wait().unwrap() {
                break Some(s);
            }
            if Instant::now() > deadline {
                let _ = c.child.kill();
                let _ = c.child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        if status.and_then(|s| s.code()) != Some(143) {
            anomalies.push(format!("{} ended with {status:?} on SIGTERM: {}", c.name, tail(&c.err_file, 5)));
        }
        retired.push((c, "stopped"));
    }
    for (c, how) in &retired {
        if *how == "killed" {
            continue;
        }
        let text = std::fs::read_to_string(&c.out_file).unwrap_or_default();
        match serde_json::from_str::<Value>(text.trim()) {
            Ok(v) => {
                lost_leases += v["lost_leases"].as_u64().unwrap_or(0);
                retried += v["retried"].as_u64().unwrap_or(0);
                dead_lettered += v["dead_lettered"].as_u64().unwrap_or(0);
            }
            Err(_) => anomalies.push(format!("{} ({how}) printed no JSON summary: {text:?}", c.name)),
        }
    }
    let reap_runs = reaper.join().unwrap();
    let replay_runs = replayer.join().unwrap();
    for f in failed_runs(&reap_runs) {
        anomalies.push(format!("reap-stale {f}"));
    }
    for f in failed_runs(&replay_runs) {
        anomalies.push(format!("dlq replay {f}"));
    }

    // 5. Count.
    let mut handled: HashMap<String, Vec<String>> = HashMap::new();
    let mut handled_ok_lines = 0;
    for (c, _) in &retired {
        for line in std::fs::read_to_string(&c.ok_file).unwrap_or_default().lines() {
            handled_ok_lines += 1;
            handled.entry(line.to_owned()).or_default().push(c.name.clone());
        }
    }
    let in_dlq: HashSet<String> = server
        .lrange(DLQ)
        .iter()
        .filter_map(|raw| serde_json::from_slice::<Value>(raw).ok())
        .filter_map(|v| v["original_message"]["message_id"].as_str().or(v["message_id"].as_str()).map(str::to_owned))
        .collect();
    let mut lost: Vec<String> = ids.iter().filter(|id| !handled.contains_key(*id) && !in_dlq.contains(*id)).cloned().collect();
    lost.sort();
    let unknown_ids = handled.keys().filter(|id| !ids.contains(*id)).count();
    let duplicated: BTreeMap<String, Vec<String>> =
        handled.iter().filter(|(_, by)| by.len() > 1).map(|(id, by)| (id.clone(), by.clone())).collect();
    let unexplained_duplicates = duplicated
        .iter()
        .filter(|(id, by)| {
            !kills.iter().any(|k| k.last_ok.as_deref() == Some(id.as_str()) && by.iter().filter(|b| **b == k.name).count() == 1)
                || by.len() > 2
        })
        .map(|(id, by)| format!("{id} handled by {by:?}"))
        .collect();
    let stranded = snapshot(&mut con, &[MAIN, PROCESSING, DLQ], &[RETRY, LEASES]);
    let depth = json_out(hq(&server).args(["depth", "-o", "json"]));
    for f in ["main", "processing", "dlq", "retry"] {
        if depth[f] != 0 {
            anomalies.push(format!("depth says {f} = {} at the end: {depth}", depth[f]));
        }
    }
    let reaped: Vec<Value> = reap_runs
        .iter()
        .filter_map(|r| r.json.as_ref())
        .flat_map(|v| v["moved"].as_array().cloned().unwrap_or_default())
        .collect();
    EnvelopeFigures {
        messages: n,
        handled_ok_lines,
        lost,
        duplicated,
        unexplained_duplicates,
        unknown_ids,
        stranded,
        kills,
        reaped,
        replayed: sum_field(&replay_runs, "replayed"),
        lost_leases,
        retried,
        dead_lettered,
        anomalies,
        converged_in,
        elapsed: epoch.elapsed().as_secs_f64(),
    }
}

/// Prints the figures and asserts: nothing lost, nothing stranded, duplicates only from a kill.
fn check_envelope(name: &str, f: &EnvelopeFigures) {
    eprintln!("== {name}: {} messages, 3 consumers, {} kill(s)", f.messages, f.kills.len());
    eprintln!(
        "   converged: {}; elapsed {:.1}s",
        f.converged_in.map_or("NO (time limit)".into(), |s| format!("after {s:.1}s")),
        f.elapsed
    );
    eprintln!(
        "   handled ok (lines): {}; distinct ids handled: {}; retried (survivors' summaries): {}; dead-lettered: {}; \
         replayed from the DLQ: {}",
        f.handled_ok_lines,
        f.handled_ok_lines - f.duplicated.values().map(|b| b.len() - 1).sum::<usize>(),
        f.retried,
        f.dead_lettered,
        f.replayed
    );
    eprintln!("   lost: {} {:?}", f.lost.len(), &f.lost[..f.lost.len().min(10)]);
    eprintln!("   duplicated: {} {:?}", f.duplicated.len(), f.duplicated);
    eprintln!("   unexplained duplicates: {:?}", f.unexplained_duplicates);
    eprintln!("   unknown ids handled: {}", f.unknown_ids);
    eprintln!(
        "   stranded: main {}, processing {}, dlq {}, retry {} (leases left: {})",
        f.stranded[0], f.stranded[1], f.stranded[2], f.stranded[3], f.stranded[4]
    );
    for k in &f.kills {
        eprintln!("   killed {} at {:.1}s; its last successful handler: {:?}", k.name, k.at, k.last_ok);
    }
    eprintln!("   reap-stale moved {}: {:?}", f.reaped.len(), f.reaped);
    eprintln!("   lost leases reported by live consumers: {}", f.lost_leases);
    eprintln!("   anomalies: {:#?}", f.anomalies);

    assert!(f.converged_in.is_some(), "{name}: did not converge within the time limit");
    assert_eq!(f.lost, Vec::<String>::new(), "{name}: lost messages");
    assert_eq!(&f.stranded[..4], &[0, 0, 0, 0], "{name}: stranded (main, processing, dlq, retry)");
    assert_eq!(f.unknown_ids, 0, "{name}: handled ids that were never emitted");
    assert!(f.duplicated.len() <= f.kills.len(), "{name}: more duplicates than kills: {:?}", f.duplicated);
    assert!(f.unexplained_duplicates.is_empty(), "{name}: duplicates no kill explains: {:?}", f.unexplained_duplicates);
    // A kill leaves at most one message behind (drain --exec claims one at a time): any other
    // reclaim took a live consumer's lease.
    assert!(f.reaped.len() <= f.kills.len(), "{name}: reap-stale moved more than the killed consumers held: {:?}", f.reaped);
    assert_eq!(f.lost_leases, 0, "{name}: a live consumer lost a lease to someone else");
    assert!(f.anomalies.is_empty(), "{name}: {:#?}", f.anomalies);
}

#[test]
fn envelope_mix_loses_nothing() {
    let f = envelope_experiment(2_000, &[0.3], Duration::from_secs(60));
    check_envelope("envelope_mix_loses_nothing", &f);
}

#[test]
#[ignore = "long: run with --ignored or scripts/campaign.sh"]
fn envelope_campaign_loses_nothing() {
    let f = envelope_experiment(20_000, &[0.25, 0.6], Duration::from_secs(240));
    check_envelope("envelope_campaign_loses_nothing", &f);
}

// ---- B: the mint queue -----------------------------------------------------------------------

const MINT: &str = "hokusai:mint_requests";
const MINT_PROCESSING: &str = "hokusai:mint_requests:processing";
const MINT_DLQ: &str = "hokusai:mint_requests:dlq";
const MINT_RETRY: &str = "hokusai:mint_requests:retry";
const MINT_PROCESSED: &str = "hokusai:mint_requests:processed";
const MINT_AUDIT: &str = "hokusai:mint_requests:dlq:audit";
const SETTLEMENTS: &str = "hokusai:mint_request_settlements";
const MINT_CLOCKS: &str = "hokusai:mint_requests:hokusai-queue:leases";

/// One handler call (printed through Debug when a key settled twice).
#[derive(Debug, Clone)]
#[allow(dead_code)]
struct Sight {
    at_ms: u128,
    thread: usize,
    retry_count: u64,
    outcome: &'static str,
}

/// What the handlers share: the chain's `processedIdempotencyKeys` (3.2 step 5b: a key mints
/// once; a later attempt settles as `replay`, no transaction), and which keys were seen (a
/// permanent failure only on first sight, so a replayed request can succeed).
#[derive(Default)]
struct Chain {
    minted: HashSet<String>,
    seen: HashSet<String>,
    sights: HashMap<String, Vec<Sight>>,
}

struct MintOptions {
    requests: u32,
    /// The deployer consumers promote due retries at the top of each loop (3.6), as the real
    /// ones do. Off only to measure where duplicate deliveries come from.
    deployers_promote: bool,
    /// `reap-stale --promote-retries` in the reap loop.
    tool_promotes: bool,
    limit: Duration,
}

struct MintFigures {
    requests: u32,
    converged_in: Option<f64>,
    elapsed: f64,
    settled_steps: usize,
    retried_steps: usize,
    dead_steps: usize,
    duplicate_steps: usize,
    handler_calls: usize,
    crashes: usize,
    crashed_ids: Vec<String>,
    reaped: Vec<Value>,
    promoted_by_tool: u64,
    skipped_alive: u64,
    replayed: u64,
    audit_records: usize,
    audit_problems: Vec<String>,
    settlements: usize,
    settled_keys: usize,
    processed: usize,
    lost: Vec<String>,
    /// Keys with more than one settlement: (key, statuses, handler calls, crashed copies).
    settled_twice: Vec<(String, Vec<String>, Vec<Sight>, usize)>,
    not_processed: usize,
    strangers: usize,
    stranded: Vec<u64>,
    anomalies: Vec<String>,
}

impl MintFigures {
    /// Keys settled twice where more than one settlement is not the chain's `replay` (a double
    /// mint). Which copy's settlement lands first in the list is a race of its own (the
    /// handler's verdict and the LPUSH are two steps), so the order is not looked at.
    fn duplicated_settlements(&self) -> Vec<&String> {
        self.settled_twice
            .iter()
            .filter(|(_, st, _, _)| st.iter().filter(|s| *s != "replay").count() > 1)
            .map(|(k, ..)| k)
            .collect()
    }

    /// Keys settled twice where an extra settlement came from a delivery that is not a retry
    /// member (`_retryCount` >= 1). Copies of a retry member are what the deployer's own
    /// promotion race makes (3.6: ZRANGEBYSCORE, then LPUSH + ZREM without WATCH, so two
    /// promoters can both push one member); a copy of the original request (no `_retryCount`)
    /// would have to come from elsewhere (a reclaim of a live element, a replay of a live one).
    fn unexplained_extra_settlements(&self) -> Vec<&String> {
        self.settled_twice
            .iter()
            .filter(|(_, statuses, sights, _)| {
                let ok = sights.iter().filter(|s| s.outcome == "minted" || s.outcome == "replay").count();
                ok != statuses.len() || sights.iter().any(|s| s.outcome == "replay" && s.retry_count == 0)
            })
            .map(|(k, ..)| k)
            .collect()
    }
}

/// Runs experiment B: `requests` requests emitted by the tool, three deployer consumers
/// (threads of the model, each its own connection; a crash after BRPOPLPUSH now and then), the
/// tool's reap and replay loops beside them, until every list and set is empty.
fn mint_experiment(o: &MintOptions) -> MintFigures {
    let n = o.requests;
    let epoch = Instant::now();
    let server = RedisServer::start();
    let url = server.url();
    let dir = tempfile::Builder::new().prefix("hq-concurrency-").tempdir().unwrap();

    let file = dir.path().join("requests.jsonl");
    let lines: String = (0..n).map(|i| serde_json::to_string(&deployer::example_request_with(i)).unwrap() + "\n").collect();
    std::fs::write(&file, lines).unwrap();
    let v = json_out(hq(&server).args(["--queue", MINT, "emit", "-o", "json", "--file"]).arg(&file));
    assert_eq!(v["emitted"].as_u64(), Some(u64::from(n)), "{v}");
    assert_eq!(server.llen(MINT), u64::from(n));
    let keys: HashSet<String> =
        (0..n).map(|i| deployer::example_request_with(i)["idempotency_key"].as_str().unwrap().to_owned()).collect();

    let stop = Arc::new(AtomicBool::new(false));
    let _stop_on_panic = StopOnDrop(stop.clone());
    let reaper = {
        let url = url.clone();
        let promote = o.tool_promotes;
        spawn_loop(epoch, stop.clone(), move || {
            let mut c = tool(&url);
            c.args(["--queue", MINT, "reap-stale", "--visibility-timeout", "1s", "-o", "json"]);
            if promote {
                c.arg("--promote-retries");
            }
            c
        })
    };
    let replayer = {
        let url = url.clone();
        spawn_loop(epoch, stop.clone(), move || {
            let mut c = tool(&url);
            c.args(["--queue", MINT, "dlq", "replay", "--yes", "--force", "--confirm-not-minted", "-o", "json"]);
            c
        })
    };

    let chain = Mutex::new(Chain::default());
    let crashes: Mutex<Vec<(String, Vec<u8>)>> = Mutex::new(Vec::new());
    let mut converged_in = None;
    let deployers_promote = o.deployers_promote;
    let steps: Vec<Vec<Step>> = std::thread::scope(|s| {
        let consumers: Vec<_> = (0..3)
            .map(|t| {
                let (server, stop, chain, crashes) = (&server, &stop, &chain, &crashes);
                s.spawn(move || {
                    let mut handler = |m: &Value| -> Outcome {
                        let key = m["idempotency_key"].as_str().unwrap().to_owned();
                        let retry_count = m.get("_retryCount").and_then(Value::as_u64).unwrap_or(0);
                        let mut c = chain.lock().unwrap();
                        let first = c.seen.insert(key.clone());
                        let (outcome, said) = if c.minted.contains(&key) {
                            (Outcome::Settled("replay"), "replay")
                        } else if first && fastrand::f64() < 0.02 {
                            (Outcome::Fail { message: "Model not registered".into(), permanent: false }, "permanent")
                        } else if fastrand::f64() < 0.10 {
                            (Outcome::Fail { message: "socket hang up".into(), permanent: false }, "transient")
                        } else {
                            c.minted.insert(key.clone());
                            (Outcome::Settled("minted"), "minted")
                        };
                        let at_ms = epoch.elapsed().as_millis();
                        c.sights.entry(key).or_default().push(Sight { at_ms, thread: t, retry_count, outcome: said });
                        outcome
                    };
                    let mut d = Deployer::new(server.client());
                    let mut raw_con = server.client();
                    let mut steps = Vec::new();
                    while !stop.load(Ordering::SeqCst) {
                        if deployers_promote {
                            d.promote_due();
                        }
                        if fastrand::f64() < 0.01 {
                            // A crash right after the pop: the element stays in processing, as a
                            // killed deployer leaves it. The consumer restarts (new connection).
                            let got: Option<Vec<u8>> = redis::cmd("BRPOPLPUSH")
                                .arg(MINT)
                                .arg(MINT_PROCESSING)
                                .arg(0.1)
                                .query(&mut raw_con)
                                .expect("BRPOPLPUSH");
                            if let Some(raw) = got {
                                let key = deployer::accepts(&raw)
                                    .map(|m| m["idempotency_key"].as_str().unwrap().to_owned())
                                    .unwrap_or_default();
                                crashes.lock().unwrap().push((key, raw));
                                d = Deployer::new(server.client());
                            }
                            continue;
                        }
                        match d.process_one(0.1, &mut handler) {
                            Step::Empty => {}
                            step => steps.push(step),
                        }
                    }
                    steps
                })
            })
            .collect();

        let _stop_on_panic = StopOnDrop(stop.clone());
        let mut con = server.client();
        let mut empty_in_a_row = 0;
        while epoch.elapsed() < o.limit {
            std::thread::sleep(Duration::from_millis(100));
            let s = snapshot(&mut con, &[MINT, MINT_PROCESSING, MINT_DLQ], &[MINT_RETRY]);
            if s.iter().all(|x| *x == 0) {
                empty_in_a_row += 1;
                if empty_in_a_row == 2 {
                    converged_in = Some(epoch.elapsed().as_secs_f64());
                    break;
                }
            } else {
                empty_in_a_row = 0;
            }
        }
        stop.store(true, Ordering::SeqCst);
        consumers.into_iter().map(|h| h.join().expect("a consumer thread")).collect()
    });
    let reap_runs = reaper.join().unwrap();
    let replay_runs = replayer.join().unwrap();
    let elapsed = epoch.elapsed().as_secs_f64();

    // ---- count ----
    let mut con = server.client();
    let steps: Vec<Step> = steps.into_iter().flatten().collect();
    let count = |f: fn(&Step) -> bool| steps.iter().filter(|s| f(s)).count();
    let crashes = crashes.into_inner().unwrap();
    let chain = chain.into_inner().unwrap();

    let mut settlements: HashMap<String, Vec<String>> = HashMap::new();
    // LRANGE is newest first: reversed, the order they were written.
    for raw in server.lrange(SETTLEMENTS).iter().rev() {
        let v: Value = serde_json::from_slice(raw).expect("a settlement is JSON");
        settlements
            .entry(v["idempotency_key"].as_str().unwrap().to_owned())
            .or_default()
            .push(v["status"].as_str().unwrap().to_owned());
    }
    let processed: HashSet<String> = redis::cmd("SMEMBERS").arg(MINT_PROCESSED).query(&mut con).unwrap();
    let dlq_keys: HashSet<String> = server
        .lrange(MINT_DLQ)
        .iter()
        .filter_map(|raw| deployer::parse_dlq_entry(raw))
        .filter_map(|(m, _, _)| m["idempotency_key"].as_str().map(str::to_owned))
        .collect();
    let mut lost: Vec<String> =
        keys.iter().filter(|k| !settlements.contains_key(*k) && !dlq_keys.contains(*k)).cloned().collect();
    lost.sort();
    let mut settled_twice: Vec<(String, Vec<String>, Vec<Sight>, usize)> = settlements
        .iter()
        .filter(|(_, st)| st.len() > 1)
        .map(|(k, st)| {
            let crashed = crashes.iter().filter(|(c, _)| c == k).count();
            (k.clone(), st.clone(), chain.sights.get(k).cloned().unwrap_or_default(), crashed)
        })
        .collect();
    settled_twice.sort_by(|a, b| a.0.cmp(&b.0));
    let stranded = snapshot(&mut con, &[MINT, MINT_PROCESSING, MINT_DLQ], &[MINT_RETRY, MINT_CLOCKS]);

    // Audit: one record per replay, each naming the key of the entry it carries.
    let audit: Vec<Value> =
        server.lrange(MINT_AUDIT).iter().map(|r| serde_json::from_slice(r).expect("an audit record is JSON")).collect();
    let mut audit_problems = Vec::new();
    for r in &audit {
        let entry = r["dlq_entry"].as_str().unwrap_or_default();
        let parsed = deployer::parse_dlq_entry(entry.as_bytes());
        let entry_key = parsed.as_ref().and_then(|(m, _, _)| m["idempotency_key"].as_str().map(str::to_owned));
        if r["action"] != "replay" || entry_key.is_none() || r["idempotency_key"].as_str() != entry_key.as_deref() {
            audit_problems.push(r.to_string());
        }
    }
    let mut anomalies: Vec<String> = failed_runs(&reap_runs).into_iter().map(|f| format!("reap-stale {f}")).collect();
    anomalies.extend(failed_runs(&replay_runs).into_iter().map(|f| format!("dlq replay {f}")));
    MintFigures {
        requests: n,
        converged_in,
        elapsed,
        settled_steps: count(|s| matches!(s, Step::Settled { .. })),
        retried_steps: count(|s| matches!(s, Step::Retried { .. })),
        dead_steps: count(|s| matches!(s, Step::DeadLettered { .. })),
        duplicate_steps: count(|s| matches!(s, Step::Duplicate { .. })),
        handler_calls: chain.sights.values().map(Vec::len).sum(),
        crashes: crashes.len(),
        crashed_ids: crashes
            .iter()
            .map(|(_, raw)| {
                serde_json::from_slice::<Value>(raw)
                    .ok()
                    .and_then(|v| v["message_id"].as_str().map(str::to_owned))
                    .unwrap_or_default()
            })
            .collect(),
        reaped: reap_runs
            .iter()
            .filter_map(|r| r.json.as_ref())
            .flat_map(|v| v["moved"].as_array().cloned().unwrap_or_default())
            .collect(),
        promoted_by_tool: sum_field(&reap_runs, "promoted"),
        skipped_alive: sum_field(&reap_runs, "skipped_alive"),
        replayed: sum_field(&replay_runs, "replayed"),
        audit_records: audit.len(),
        audit_problems,
        settlements: settlements.values().map(Vec::len).sum(),
        settled_keys: settlements.len(),
        processed: processed.len(),
        lost,
        settled_twice,
        not_processed: keys.iter().filter(|k| !processed.contains(*k)).count(),
        strangers: settlements.keys().chain(processed.iter()).filter(|k| !keys.contains(*k)).count(),
        stranded,
        anomalies,
    }
}

fn print_mint(name: &str, o: &MintOptions, f: &MintFigures) {
    eprintln!(
        "== {name}: {} requests, 3 deployer consumers (promoting: {}), reap-stale --promote-retries: {}",
        f.requests, o.deployers_promote, o.tool_promotes
    );
    eprintln!(
        "   converged: {}; elapsed {:.1}s",
        f.converged_in.map_or("NO (time limit)".into(), |s| format!("after {s:.1}s")),
        f.elapsed
    );
    eprintln!(
        "   deployer steps: settled {}, retried {}, dead-lettered {}, duplicate (silent drop) {}; handler calls {}",
        f.settled_steps, f.retried_steps, f.dead_steps, f.duplicate_steps, f.handler_calls
    );
    let requeued = f.reaped.iter().filter(|m| m["action"] == "requeued").count();
    let removed = f.reaped.iter().filter(|m| m["action"] == "removed").count();
    eprintln!(
        "   crashes after BRPOPLPUSH: {}; reap-stale requeued {requeued}, removed settled {removed}, promoted {}, kept \
         alive {}; dlq replay replayed {}; audit records {}",
        f.crashes, f.promoted_by_tool, f.skipped_alive, f.replayed, f.audit_records
    );
    eprintln!(
        "   settlements: {} for {} keys; processed set: {}; lost: {} {:?}",
        f.settlements,
        f.settled_keys,
        f.processed,
        f.lost.len(),
        f.lost
    );
    eprintln!(
        "   settled more than once: {} (second not `replay`: {:?}; not explained by a duplicated retry member: {:?})",
        f.settled_twice.len(),
        f.duplicated_settlements(),
        f.unexplained_extra_settlements()
    );
    for (k, st, sights, crashed) in &f.settled_twice {
        eprintln!("     {k}: settlements {st:?}; crashed copies {crashed}; handler calls {sights:?}");
    }
    eprintln!(
        "   stranded: inbound {}, processing {}, dlq {}, retry {} (the tool's first-seen clocks left: {})",
        f.stranded[0], f.stranded[1], f.stranded[2], f.stranded[3], f.stranded[4]
    );
    eprintln!("   not processed: {}; unknown keys: {}; audit problems: {:?}", f.not_processed, f.strangers, f.audit_problems);
    eprintln!("   anomalies: {:#?}", f.anomalies);
}

fn check_mint(f: &MintFigures) {
    assert!(f.converged_in.is_some(), "did not converge within the time limit");
    assert!(f.lost.is_empty(), "lost: {:?}", f.lost);
    assert_eq!(&f.stranded[..4], &[0, 0, 0, 0], "stranded (inbound, processing, dlq, retry)");
    // No key settled twice: a second settlement is only ever the chain's `replay` of a
    // delivery the deployer itself duplicated (its promotion race), never the tool's doing.
    assert!(f.duplicated_settlements().is_empty(), "settled twice, not as a replay: {:?}", f.duplicated_settlements());
    assert!(
        f.unexplained_extra_settlements().is_empty(),
        "extra settlements no duplicated retry member explains: {:?}",
        f.unexplained_extra_settlements()
    );
    assert_eq!(f.not_processed, 0, "keys missing from the processed set");
    assert_eq!(f.strangers, 0, "settled or processed keys that were never emitted");
    assert!(f.audit_problems.is_empty(), "audit records that match no replay: {:?}", f.audit_problems);
    assert_eq!(f.audit_records as u64, f.replayed, "one audit record per replay");
    assert_eq!(f.audit_records, f.dead_steps, "every dead letter was replayed exactly once (the DLQ ends empty)");
    // Each crashed element is reclaimed exactly once; any other reclaim took a live consumer's
    // element.
    // (`removed` when the crashed copy was a duplicate whose twin had settled meanwhile.)
    assert_eq!(f.reaped.len(), f.crashes, "reclaims vs crashes: {:?}", f.reaped);
    let mut reaped_ids: Vec<&str> = f.reaped.iter().map(|m| m["message_id"].as_str().unwrap_or("?")).collect();
    reaped_ids.sort_unstable();
    let mut crashed_ids: Vec<&str> = f.crashed_ids.iter().map(String::as_str).collect();
    crashed_ids.sort_unstable();
    assert_eq!(reaped_ids, crashed_ids, "every reclaim is of a crashed request");
    for m in &f.reaped {
        assert!(m["action"] == "requeued" || m["action"] == "removed", "{m}");
    }
    assert!(f.anomalies.is_empty(), "{:#?}", f.anomalies);
}

#[test]
fn mint_mix_with_reaps_and_replays_loses_nothing() {
    // 1. The tool is the only promoter of retries: every delivery is made once, so no key may
    //    settle twice and no consumer may meet a settled key (a silent drop).
    let o = MintOptions { requests: 1_000, deployers_promote: false, tool_promotes: true, limit: Duration::from_secs(25) };
    let f = mint_experiment(&o);
    print_mint("mint mix, the tool promoting alone", &o, &f);
    check_mint(&f);
    assert!(f.settled_twice.is_empty(), "settled twice: {:?}", f.settled_twice);
    assert_eq!(f.duplicate_steps, 0, "a request was delivered again after it settled");
    assert!(f.reaped.iter().all(|m| m["action"] == "requeued"), "only unsettled crashed requests to reclaim: {:?}", f.reaped);

    // 2. As in production: the deployer's consumers promote too (3.6, no WATCH: two promoters
    //    can push one retry member twice, a documented duplicate delivery the chain turns into
    //    a `replay` settlement or the processed set into a silent drop). Still no double mint,
    //    and every extra settlement is a copy of a retry member.
    let o = MintOptions { requests: 1_000, deployers_promote: true, tool_promotes: true, limit: Duration::from_secs(25) };
    let f = mint_experiment(&o);
    print_mint("mint mix, the deployers promoting too", &o, &f);
    check_mint(&f);
}
