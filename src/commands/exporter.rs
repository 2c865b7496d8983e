//! `exporter`: serves the queues' and the server's Prometheus series over HTTP, read from Redis
//! when scraped (each queue in one atomic round trip, a bounded number at once), cached for
//! `--min-interval`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::cli::{ExporterArgs, GlobalArgs};
use crate::config::{Config, Target};
use crate::exit::Failure;
use crate::output::prometheus::{self, OPENMETRICS_CONTENT_TYPE, Scrape, TEXT_CONTENT_TYPE};
use crate::queue::keys::{KeyOverrides, Keys};
use crate::queue::metrics::ServerStats;
use crate::queue::profile::Profile;
use crate::queue::{Depth, Queue};
use crate::signals::Interrupts;

/// How often `--all-queues` looks for queues again (a SCAN of the keyspace is not free).
const REDISCOVER: Duration = Duration::from_secs(60);
/// Threads answering HTTP requests (a scrape waits on the one reading Redis, not on these).
const HTTP_THREADS: usize = 4;

pub fn run(cfg: &Config, global: &GlobalArgs, args: &ExporterArgs) -> Result<()> {
    let watch =
        if args.all_queues { Watch::All { pattern: args.r#match.clone() } } else { Watch::Named(named_queues(cfg, global)?) };
    // A scrape must answer within Prometheus' timeout: no connection retries with backoff
    // inside one; a failed connection is tried again at the next scrape.
    let mut target = cfg.target.clone();
    target.backoff.retries = 0;
    // A hung Redis (CLIENT PAUSE, a long script) must answer `up 0` within Prometheus' scrape
    // timeout, not after the 30 s of --command-timeout: the RedisDown alert's input.
    target.command_timeout = args.scrape_timeout;
    target.connect_timeout = target.connect_timeout.min(args.scrape_timeout);
    let described = match &watch {
        Watch::Named(keys) => keys.iter().map(|k| k.main.as_str()).collect::<Vec<_>>().join(", "),
        Watch::All { pattern } => format!("every queue matching {pattern:?}"),
    };
    let state = Arc::new(Mutex::new(State {
        target,
        cfg: cfg.clone(),
        watch,
        found: None,
        pool: (0..args.connections).map(|_| None).collect(),
        errors_total: 0,
        cache: None,
        tails: Default::default(),
        min_interval: args.min_interval,
    }));
    let server = tiny_http::Server::http(args.listen)
        .map_err(|e| Failure::failed(format!("cannot listen on {}: {e}; choose another address with --listen", args.listen)))?;
    let interrupts = Interrupts::install()?;
    let bound = server.server_addr().to_ip().map_or(args.listen.to_string(), |a| a.to_string());
    eprintln!("hokusai-queue: exporter listening on http://{bound}/metrics for {described} on {}", cfg.target.endpoint());
    let server = Arc::new(server);
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..HTTP_THREADS)
        .map(|_| {
            let (server, state, stop) = (server.clone(), state.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match server.recv_timeout(Duration::from_millis(200)) {
                        Ok(Some(request)) => answer(request, &state),
                        Ok(None) => {}
                        Err(_) => break,
                    }
                }
            })
        })
        .collect();
    while interrupts.count() == 0 {
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!("hokusai-queue: exporter stopping");
    stop.store(true, Ordering::SeqCst);
    server.unblock();
    for w in workers {
        let _ = w.join();
    }
    // A clean stop: exit 0 (a service manager counts 143 as a failure).
    Ok(())
}

/// The queues named on the command line: one (with every key override and the profile), or
/// several (each with its own profile and default key names).
fn named_queues(cfg: &Config, global: &GlobalArgs) -> Result<Vec<Keys>> {
    if global.queue.len() <= 1 {
        return Ok(vec![cfg.keys.clone()]);
    }
    let overridden = [
        &global.processing_key,
        &global.dlq_key,
        &global.pubsub_channel,
        &global.leases_key,
        &global.retry_key,
        &global.replays_key,
        &global.processed_key,
        &global.audit_key,
        &global.settlements_key,
        &global.record_prefix,
    ];
    if overridden.iter().any(|o| o.is_some()) {
        return Err(Failure::usage(
            "a --*-key override names one queue's key: with several --queue, each queue uses its default key names; run one exporter per queue that needs overrides",
        )
        .into());
    }
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let mut out: Vec<Keys> = Vec::new();
    for name in &global.queue {
        if name.is_empty() {
            return Err(Failure::usage("--queue must not be empty").into());
        }
        if out.iter().any(|k| &k.main == name) {
            continue;
        }
        let keys = Keys::new(name, &KeyOverrides::default(), global.profile.unwrap_or(Profile::for_queue(name)), &env);
        if cfg.target.cluster.is_some() {
            crate::config::check_one_slot(&keys)?;
        }
        out.push(keys);
    }
    Ok(out)
}

/// What one reading thread hands back: its connection (if still good) and each queue's depth
/// or the error reading it.
type ReaderDone = (Option<Queue>, Vec<Result<(String, Depth), String>>);

enum Watch {
    Named(Vec<Keys>),
    All { pattern: String },
}

/// What one read of Redis saw.
struct Snapshot {
    up: bool,
    stats: Option<ServerStats>,
    queues: Vec<(String, Depth)>,
    /// Per queue and list (main, processing) not empty: how long (seconds, this exporter's
    /// clock) the same element has been its oldest (the tail: the next to be consumed, or the
    /// longest held).
    unchanged: Vec<(String, &'static str, &'static str, f64)>,
    duration: Duration,
    errors_total: u64,
}

struct State {
    target: Target,
    cfg: Config,
    watch: Watch,
    /// `--all-queues`: the queues found, and when.
    found: Option<(Instant, Vec<Keys>)>,
    /// One slot per reading connection; `None` until connected, or after the link broke.
    pool: Vec<Option<Queue>>,
    errors_total: u64,
    cache: Option<(Instant, Arc<Snapshot>)>,
    min_interval: Duration,
    /// Per queue and list: a digest of the oldest element seen, and since when.
    tails: std::collections::HashMap<(String, &'static str), (u64, Instant)>,
}

impl State {
    /// The last read if it is recent enough, else a new one. Callers hold the lock, so
    /// concurrent scrapes wait for one read and share it.
    fn snapshot(&mut self) -> Arc<Snapshot> {
        if let Some((at, snap)) = &self.cache
            && at.elapsed() < self.min_interval
        {
            return snap.clone();
        }
        let snap = Arc::new(self.read());
        self.cache = Some((Instant::now(), snap.clone()));
        snap
    }

    fn read(&mut self) -> Snapshot {
        let start = Instant::now();
        let (up, stats, queues) = match self.read_server() {
            Ok((stats, keys)) => (true, Some(stats), self.read_queues(&keys)),
            Err(e) => {
                self.errors_total += 1;
                self.pool[0] = None;
                eprintln!("hokusai-queue: scrape failed: {}", crate::config::scrub(&format!("{e:#}")));
                (false, None, Vec::new())
            }
        };
        let unchanged = self.unchanged(&queues);
        Snapshot { up, stats, queues, unchanged, duration: start.elapsed(), errors_total: self.errors_total }
    }

    /// Whether each queue's oldest processing element is the one seen before, and since when:
    /// while work flows it is replaced; one that stays is stuck (its consumer hangs or died).
    /// Ages from the messages' own timestamps cannot tell these apart.
    fn unchanged(&mut self, queues: &[(String, Depth)]) -> Vec<(String, &'static str, &'static str, f64)> {
        let now = Instant::now();
        let mut out = Vec::new();
        let mut seen = std::collections::HashMap::new();
        for (name, d) in queues {
            for (list, tail) in [("main", &d.oldest), ("processing", &d.oldest_processing)] {
                let Some(tail) = tail else { continue };
                let digest = xxhash_rust::xxh3::xxh3_64(&tail.raw);
                let key = (name.clone(), list);
                let since = match self.tails.get(&key) {
                    Some((h, since)) if *h == digest => *since,
                    _ => now,
                };
                seen.insert(key, (digest, since));
                out.push((name.clone(), d.profile.as_str(), list, now.duration_since(since).as_secs_f64()));
            }
        }
        // Queues unread this time (Redis down) keep their record: the same element may still be there.
        if !queues.is_empty() {
            self.tails = seen;
        }
        out
    }

    /// PING and INFO on the first connection (connecting it if needed), and the queues to read.
    fn read_server(&mut self) -> Result<(ServerStats, Vec<Keys>)> {
        if self.pool[0].is_none() {
            self.pool[0] = Some(Queue::connect(&self.target, self.cfg.keys.clone())?);
        }
        let q = self.pool[0].as_mut().expect("connected above");
        let stats = q.server_stats()?;
        let keys = match &self.watch {
            Watch::Named(keys) => keys.clone(),
            Watch::All { pattern } => match &self.found {
                Some((at, keys)) if at.elapsed() < REDISCOVER => keys.clone(),
                _ => match super::depth::found_queues(q, &self.cfg, pattern) {
                    Ok(keys) => {
                        self.found = Some((Instant::now(), keys.clone()));
                        keys
                    }
                    // Redis answered (PING, INFO): up. Finding the queues failed (a role without
                    // SCAN, say): counted and said, the last queues found (if any) read.
                    Err(e) if !crate::exit::is_transient(&e) => {
                        self.errors_total += 1;
                        eprintln!("hokusai-queue: finding the queues failed: {}", crate::config::scrub(&format!("{e:#}")));
                        self.found.as_ref().map(|(_, k)| k.clone()).unwrap_or_default()
                    }
                    Err(e) => return Err(e),
                },
            },
        };
        Ok((stats, keys))
    }

    /// Each queue in one round trip, on up to `pool.len()` connections at once. A queue that
    /// cannot be read is left out and counted as an error; its connection is dropped (the next
    /// scrape opens a new one).
    fn read_queues(&mut self, keys: &[Keys]) -> Vec<(String, Depth)> {
        let n = self.pool.len().min(keys.len()).max(1);
        let target = &self.target;
        let results: Vec<ReaderDone> = std::thread::scope(|s| {
            let handles: Vec<_> = self
                .pool
                .iter_mut()
                .take(n)
                .enumerate()
                .map(|(i, slot)| {
                    let mut con = slot.take();
                    s.spawn(move || {
                        let mut out = Vec::new();
                        for k in keys.iter().skip(i).step_by(n) {
                            let read = match con.as_mut() {
                                Some(q) => q.depth_of(k),
                                None => Queue::connect(target, k.clone()).and_then(|q| {
                                    let q = con.insert(q);
                                    q.depth_of(k)
                                }),
                            };
                            match read {
                                Ok(d) => out.push(Ok((k.main.clone(), d))),
                                Err(e) => {
                                    if crate::exit::is_transient(&e) {
                                        con = None;
                                    }
                                    out.push(Err(format!("reading {}: {}", k.main, crate::config::scrub(&format!("{e:#}")))));
                                }
                            }
                        }
                        (con, out)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|_| (None, vec![Err("a reader panicked".into())]))).collect()
        });
        let mut depths = Vec::new();
        for (i, (con, out)) in results.into_iter().enumerate() {
            self.pool[i] = con;
            for r in out {
                match r {
                    Ok(d) => depths.push(d),
                    Err(e) => {
                        self.errors_total += 1;
                        eprintln!("hokusai-queue: scrape: {e}");
                    }
                }
            }
        }
        // The order of the names, whichever reader finished first.
        depths.sort_by(|a, b| a.0.cmp(&b.0));
        depths
    }
}

/// Answers one HTTP request: /metrics, /healthz, or 404.
fn answer(request: tiny_http::Request, state: &Mutex<State>) {
    let path = request.url().split('?').next().unwrap_or("").to_owned();
    let method = request.method().clone();
    let header = |name: &'static str, value: &str| {
        tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
    };
    if !matches!(method, tiny_http::Method::Get | tiny_http::Method::Head) {
        let r = tiny_http::Response::from_string("only GET and HEAD\n")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"));
        let _ = request.respond(r);
        return;
    }
    let response = match path.as_str() {
        "/metrics" => {
            let openmetrics = request
                .headers()
                .iter()
                .any(|h| h.field.equiv("Accept") && h.value.as_str().contains("application/openmetrics-text"));
            let snap = state.lock().unwrap_or_else(|p| p.into_inner()).snapshot();
            let body = render(&snap, openmetrics);
            let kind = if openmetrics { OPENMETRICS_CONTENT_TYPE } else { TEXT_CONTENT_TYPE };
            tiny_http::Response::from_string(body).with_header(header("Content-Type", kind))
        }
        "/healthz" => tiny_http::Response::from_string("ok\n").with_header(header("Content-Type", "text/plain; charset=utf-8")),
        _ => tiny_http::Response::from_string("not found: the exporter serves /metrics and /healthz\n")
            .with_status_code(404)
            .with_header(header("Content-Type", "text/plain; charset=utf-8")),
    };
    let _ = request.respond(response);
}

fn render(snap: &Snapshot, openmetrics: bool) -> String {
    let scrape = Scrape {
        up: snap.up,
        stats: snap.stats.as_ref(),
        duration_seconds: snap.duration.as_secs_f64(),
        errors_total: snap.errors_total,
    };
    let mut families = prometheus::server_families(&scrape);
    families.extend(prometheus::queue_families(&snap.queues));
    families.push(prometheus::unchanged_family(&snap.unchanged));
    prometheus::render(&families, openmetrics)
}
