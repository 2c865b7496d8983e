//! `drain`: take messages with leases, hand each to stdout or a handler, then ack, retry or
//! dead-letter it. At-least-once: a crash at any point leaves the message in processing, where
//! `reap-stale` finds it.

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use serde_json::json;

use crate::cli::{DrainArgs, OutputFormat};
use crate::config::{Backoff, Config, Target};
use crate::delivery;
use crate::exit::{Failure, Quiet};
use crate::handler::{Handler, Outcome};
use crate::output;
use crate::queue::Queue;
use crate::queue::consume::{Claimed, Dest, Settled, SignalDuringWait};
use crate::queue::keys::Keys;
use crate::queue::message::{self, Element, Envelope, Shape, dlq_wrapper};
use crate::queue::mint;
use crate::queue::profile::Profile;
use crate::signals::Interrupts;
use crate::stream::{self, Event, StreamHandler, Verdict};
use crate::ui;

/// What one run did, for the summary.
#[derive(Debug, Default)]
pub struct Summary {
    pub processed: u64,
    pub retried: u64,
    pub dead_lettered: u64,
    /// Claimed but not started when a signal came: put back at the front, no retry penalty.
    pub returned: u64,
    /// Acks that found the message gone (its lease expired and someone reclaimed it).
    pub lost_leases: u64,
    /// Mint: requests whose idempotency key was already settled, acknowledged unhandled.
    pub duplicates: u64,
    /// Due members of the retry set left in place: not in the profile's format.
    pub foreign_retries: u64,
}

impl Summary {
    /// Adds up what the workers of a `--concurrency` run did.
    fn add(&mut self, o: &Summary) {
        self.processed += o.processed;
        self.retried += o.retried;
        self.dead_lettered += o.dead_lettered;
        self.returned += o.returned;
        self.lost_leases += o.lost_leases;
        self.duplicates += o.duplicates;
        self.foreign_retries = self.foreign_retries.max(o.foreign_retries);
    }
}

/// What the workers of one drain share.
#[derive(Default)]
struct Shared {
    /// Messages taken by all workers, for `--max` (reserved before each claim).
    taken: AtomicU64,
    /// A worker failed (a handler that cannot start, Redis gone): the others take no more.
    stop: AtomicBool,
}

/// A claimed message that passed the profile's checks, with what the handler's outcome needs.
struct Job {
    raw: Vec<u8>,
    parsed: Parsed,
}

enum Parsed {
    Envelope(Envelope),
    Mint(serde_json::Value),
}

/// What a wait for one message found.
enum Waited {
    Got(Vec<u8>),
    /// Nothing yet: look again.
    Nothing,
    /// Stop: nothing more to wait for, or a signal.
    Stop,
}

/// The longest idle block per round trip, so signals and due retries are noticed promptly.
const IDLE_BLOCK: Duration = Duration::from_secs(1);

struct Drain<'a> {
    q: Queue,
    /// Mint: the deployer's retry policy (from its environment variables).
    policy: mint::Policy,
    args: &'a DrainArgs,
    interrupts: Interrupts,
    summary: Summary,
    taken: u64,
    bar: indicatif::ProgressBar,
    /// Stdout into a pipe: lines count as delivered only once the reader took them.
    out: PipeOut,
    shared: Arc<Shared>,
    /// How the claim being handled is leased.
    lease: Lease,
    /// The number of the next batch lease.
    next_batch: u32,
    /// Whether [`Queue::prepare_batched`] ran (types and permissions checked, script loaded).
    prepared: bool,
    /// The user may not run MULTI / EXEC: claims go through the scripts.
    no_multi: bool,
    /// The next batch, claimed ahead on `claimer` while this one is delivered.
    ahead: Option<Ahead>,
    /// A second connection, for the claims sent ahead and (to a file) the acks not waited for.
    claimer: Option<Queue>,
    /// What was sent on `claimer` and not answered yet, in order.
    lane: VecDeque<Expect>,
}

/// A batched claim sent ahead of need (issue 16: the server claims the next batch while the
/// drain checks and writes this one).
enum Ahead {
    /// Sent on `claimer` (its reply is in `lane`).
    Sent,
    /// Its reply taken (and its batch recorded): ready to be handled.
    Ready(Claimed, Lease),
}

/// A reply `claimer` owes.
enum Expect {
    /// The record of the batch lease `.0`'s elements.
    Record(String, Vec<u8>),
    /// A claim of `n` (reserved), with this batch lease id.
    Claim { n: usize, id: Option<String> },
    /// The ack of these elements (delivered: flushed to a file, or taken by the pipe's reader),
    /// with the batch leases it drops.
    Ack(Vec<Vec<u8>>, Vec<String>),
}

/// Lines written into a pipe whose reader has not (yet) taken them all.
struct PipeOut {
    enabled: bool,
    /// Bytes written to stdout so far.
    written: u64,
    /// How many unread bytes may sit in the pipe: one line at first, doubling each time the
    /// reader has taken everything, so a reader that stops early costs at most what it took.
    window: u64,
    /// What is claimed and not acknowledged. Shared with the heartbeat.
    inflight: Arc<Mutex<Live>>,
    /// Keeps the leases of `inflight` alive while the reader is slow (its own connection).
    heartbeat: Option<Heartbeat>,
    /// The elements of the chunk being written (with their holder fields, when known).
    staged: Vec<(Vec<u8>, Option<String>)>,
    /// What to connect the heartbeat with.
    target: Target,
    /// The pipe's size (what it holds unread), once asked.
    capacity: u64,
}

/// The claimed messages of a drain into a pipe that are not acknowledged yet.
#[derive(Default)]
struct Live {
    /// (element, offset just past its line, its holder field when known, its lease), in write
    /// order.
    inflight: VecDeque<(Vec<u8>, u64, Option<String>, Lease)>,
    /// Claimed with a lease each, not yet written (waiting for room in the pipe).
    unwritten: VecDeque<Vec<u8>>,
    /// The batch leases held: number -> (batch id, elements in the pipe not yet acknowledged).
    batches: BTreeMap<u32, (String, usize)>,
}

/// How the claim being handled is leased (issue 16: the server's work per message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lease {
    /// A lease per element (the claim and ack scripts; handlers, mint, a cluster, a blocking wait).
    PerElement,
    /// None: a batch claimed with plain commands and delivered at once (to a file or terminal),
    /// as unleased as the platform's own consumer leaves what it takes; `reap-stale` starts
    /// its clock should it see it.
    Unleased,
    /// One lease for the whole batch (into a pipe, whose reader may be slow): the batch of
    /// `Live::batches` with this number, kept alive by the heartbeat.
    Batch(u32),
}

/// What `wait_for_room` found.
enum Room {
    /// This many bytes may be written now.
    Fits(u64),
    /// The reader closed the pipe.
    Closed,
    /// SIGINT/SIGTERM: stop writing.
    Interrupted,
}

/// The most unread bytes drain leaves in a pipe (the kernel's default pipe holds 64 KiB).
const MAX_WINDOW: u64 = 1 << 20;
/// How long a wait for the pipe's reader grows to (doubling from 20 us); a reader still not
/// done by then is slow, and what it took is acknowledged as it goes.
const SLOW_READER: Duration = Duration::from_millis(5);
/// The pipe buffer drain asks for (F_SETPIPE_SZ; Linux's default limit for a user is 1 MiB).
const PIPE_BYTES: usize = 1 << 20;
/// Taken lines are acknowledged in groups of this many while writing goes on.
const ACK_GROUP: usize = 256;

/// A thread that extends the leases of the lines waiting in the pipe every third of the
/// visibility timeout, so `reap-stale` never reclaims what a living drain is delivering.
struct Heartbeat {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Heartbeat {
    fn start(target: Target, keys: Keys, visibility: Duration, inflight: Arc<Mutex<Live>>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let every = (visibility / 3).max(Duration::from_millis(50));
        let handle = std::thread::spawn(move || {
            let mut q: Option<Queue> = None;
            let mut next = Instant::now() + every;
            while !flag.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(20).min(every));
                if Instant::now() < next {
                    continue;
                }
                next = Instant::now() + every;
                let (waiting, batches): (Vec<Vec<u8>>, Vec<String>) = inflight
                    .lock()
                    .map(|l| {
                        let each = l.inflight.iter().filter(|x| x.3 == Lease::PerElement).map(|x| &x.0);
                        (each.chain(l.unwritten.iter()).cloned().collect(), l.batches.values().map(|b| b.0.clone()).collect())
                    })
                    .unwrap_or_default();
                if waiting.is_empty() && batches.is_empty() {
                    continue;
                }
                if q.is_none() {
                    q = Queue::connect(&target, keys.clone()).ok();
                }
                if let Some(c) = q.as_mut()
                    && (c.extend_batches(&batches, visibility).is_err() || c.extend_leases(&waiting, visibility).is_err())
                {
                    q = None; // reconnect at the next beat
                }
            }
        });
        Self { stop, handle: Some(handle) }
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

pub fn run(cfg: &Config, args: &DrainArgs, format: OutputFormat) -> Result<()> {
    args.retry_cap().map_err(Failure::usage)?;
    crate::backend::open(cfg)?.drain(args, format)
}

/// `drain` on Redis ([`crate::backend::QueueOps::drain`]).
pub(crate) fn on_redis(cfg: &Config, args: &DrainArgs, format: OutputFormat) -> Result<()> {
    let handlers = args.exec.is_some() || args.exec_stream.is_some();
    if handlers && !cfg.keys.profile.writes_messages() {
        let flag = if args.exec.is_some() { "--exec" } else { "--exec-stream" };
        return Err(Failure::usage(
            cfg.keys
                .profile
                .refuse_to_write(&cfg.keys.main, &format!("drain {flag} (a failed attempt is retried or dead-lettered)")),
        )
        .into());
    }
    let interrupts = Interrupts::install()?;
    // The deployer's retry policy matters only on its queue (a bad MINT_* variable elsewhere is
    // not this drain's business).
    let policy = if cfg.keys.profile == Profile::Mint {
        mint::Policy::from_env(|k| std::env::var(k).ok().filter(|v| !v.is_empty())).map_err(Failure::usage)?
    } else {
        mint::Policy::default()
    };
    // With a handler, each lease this drain takes names it (host:pid): peek and message
    // inspect show who holds what. To stdout a batch is held for milliseconds: no holder.
    let connect = || -> Result<Queue> {
        let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
        if handlers {
            q.name_consumer();
        } else {
            q.without_holders();
        }
        Ok(q)
    };
    let bar = ui::spinner("draining");
    let shared = Arc::new(Shared::default());
    let worker = |q: Queue| Drain {
        q,
        policy: policy.clone(),
        args,
        interrupts: interrupts.clone(),
        summary: Summary::default(),
        taken: 0,
        bar: bar.clone(),
        out: PipeOut {
            enabled: !handlers && delivery::stdout_is_pipe(),
            written: 0,
            window: 0,
            inflight: Arc::default(),
            heartbeat: None,
            staged: Vec::new(),
            target: cfg.target.clone(),
            capacity: 1 << 16,
        },
        shared: shared.clone(),
        lease: Lease::PerElement,
        next_batch: 0,
        prepared: false,
        no_multi: false,
        ahead: None,
        claimer: None,
        lane: VecDeque::new(),
    };
    let started = Instant::now();
    let (summary, taken, result) = if args.exec.is_some() && args.concurrency > 1 {
        // N workers, each with its own connection, each taking one message when its handler
        // slot is free: nothing waits claimed but unstarted.
        let conns = (0..args.concurrency).map(|_| connect()).collect::<Result<Vec<_>>>()?;
        let ends: Vec<(Summary, u64, Result<()>)> = std::thread::scope(|s| {
            let running: Vec<_> = conns
                .into_iter()
                .map(|q| {
                    let mut d = worker(q);
                    s.spawn(move || {
                        let r = d.run_loop();
                        if r.is_err() {
                            d.shared.stop.store(true, Ordering::SeqCst);
                        }
                        (d.summary, d.taken, r)
                    })
                })
                .collect();
            running.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))).collect()
        });
        let mut all = Summary::default();
        let mut taken = 0;
        let mut result = Ok(());
        for (s, t, r) in ends {
            all.add(&s);
            taken += t;
            if result.is_ok() {
                result = r;
            }
        }
        (all, taken, result)
    } else {
        let mut d = worker(connect()?);
        let mut result = match &args.exec_stream {
            Some(cmd) => StreamPool::new(args).run(&mut d, cmd),
            None => d.run_loop(),
        };
        if d.out.enabled {
            // What sits in the pipe is not delivered until the reader takes it.
            let finished = d.finish_delivery();
            let answered = d.drain_lane();
            if result.is_ok() {
                result = finished.and(answered);
            }
            d.out.heartbeat = None;
            d.drop_open_batches();
        }
        (d.summary, d.taken, result)
    };
    bar.finish_and_clear();
    // A run that failed before taking anything has nothing to summarise but its error.
    if result.is_ok() || taken > 0 {
        report(&summary, started.elapsed(), format, handlers, &cfg.keys.main)?;
    }
    result?;
    if interrupts.count() > 0 {
        return Err(Quiet(interrupts.exit_code()).into());
    }
    let failed = summary.retried + summary.dead_lettered;
    if handlers && failed > 0 {
        // A script that runs `drain --exec` must see that messages failed, whatever became of them.
        return Err(Failure::failed(format!(
            "{failed} attempt(s) failed ({} retried, {} dead-lettered)",
            summary.retried, summary.dead_lettered
        ))
        .into());
    }
    Ok(())
}

impl Drain<'_> {
    fn run_loop(&mut self) -> Result<()> {
        let result = self.run_loop_inner();
        // A batch claimed ahead and never handled goes back (after a failure, best effort: what
        // cannot go back waits in processing for reap-stale); the acks sent are answered.
        let returned = self.return_ahead();
        let answered = self.drain_lane();
        result.and(returned).and(answered)
    }

    fn run_loop_inner(&mut self) -> Result<()> {
        let mut idle_since: Option<Instant> = None;
        loop {
            // A batch claimed ahead counts in --max already: it is handled, not given back.
            let halted = self.interrupts.count() > 0 || self.shared.stop.load(Ordering::SeqCst);
            if halted || (self.ahead.is_none() && self.stopping()) {
                return Ok(());
            }
            let want = if self.args.exec.is_some() { 1 } else { u64::from(self.args.batch) };
            // Lines the pipe's reader already took are acknowledged before more is claimed (and
            // before waiting for more): a slow trickle of messages is never left unacknowledged.
            // With a batch claimed ahead, the drain goes on at once (the window bounds what
            // waits in the pipe; what was taken is acknowledged as the writing goes).
            if self.ahead.is_none() {
                self.ack_all_taken()?;
            }
            let visibility = self.args.visibility_timeout;
            let (mut c, full) = match self.take_ahead()? {
                Some(c) => (c, false),
                None => {
                    let granted = self.reserve(want);
                    if granted == 0 {
                        return Ok(());
                    }
                    let c = self.claim(granted as usize, visibility)?;
                    self.unreserve(granted - c.elements.len() as u64);
                    let full = c.elements.len() as u64 == granted;
                    (c, full)
                }
            };
            self.foreign(c.foreign);
            if let Some(e) = c.failed.take() {
                // The claim's first step failed after its moves were made (a MULTI does not roll
                // back): what it moved goes back to the front, in order, unread, and the drain
                // stops with the error.
                self.unreserve(c.elements.len() as u64);
                self.give_back_all(c.elements)?;
                return Err(e);
            }
            let got = !c.elements.is_empty();
            if got {
                idle_since = None;
                // A whole batch came: the queue likely holds more, so the next is claimed now,
                // on the second connection, while this one is checked and delivered.
                if full || self.claimer.is_some() {
                    self.send_ahead(want)?;
                }
                self.handle(c.elements, c.digests)?;
                self.batch_handled()?;
            }
            if got {
                continue;
            }
            let idle = *idle_since.get_or_insert_with(Instant::now);
            match self.wait_for_one(idle)? {
                Waited::Got(e) => {
                    idle_since = None;
                    self.lease = Lease::PerElement;
                    self.handle(vec![e], vec![])?;
                }
                Waited::Nothing => {}
                Waited::Stop => return Ok(()),
            }
        }
    }

    /// Claims up to `n`. Without a handler, on one server, outside the mint profile: in a batch
    /// of plain commands (see [`Lease`]), with a batch lease when the lines go into a pipe.
    /// Otherwise with the claim script's lease per element.
    fn claim(&mut self, n: usize, visibility: Duration) -> Result<Claimed> {
        // Its replies must not be cut short by a signal (see SignalsHeld).
        let _quiet = SignalsHeld::new();
        let batching = self.args.exec.is_none() && self.q.keys.profile != Profile::Mint && !self.no_multi && self.q.can_batch();
        if batching && !self.prepared {
            // A user who may not run MULTI / EXEC drains with the scripts, as before.
            self.no_multi = !self.q.retrying(|q| q.prepare_batched())?;
            self.prepared = !self.no_multi;
        }
        if !batching || self.no_multi {
            self.lease = Lease::PerElement;
            return self.q.retrying(|q| q.claim(n, visibility, 1000));
        }
        if !self.out.enabled {
            self.lease = Lease::Unleased;
            let c = self.q.retrying(|q| q.claim_batched(n, visibility, 1000, None))?;
            self.prepared &= !c.noscript;
            return Ok(c);
        }
        let id = uuid::Uuid::new_v4().simple().to_string();
        let c = self.q.retrying(|q| q.claim_batched(n, visibility, 1000, Some(&id)))?;
        self.prepared &= !c.noscript;
        if c.elements.is_empty() || c.failed.is_some() {
            self.lease = Lease::Unleased;
            self.q.retrying(|q| q.drop_batches(std::slice::from_ref(&id)))?;
            return Ok(c);
        }
        if c.noscript {
            // The script was gone (a restarted server): its batch lease was not started.
            self.q.retrying(|q| q.start_batch(&id, visibility))?;
        }
        // Recorded before any line is written: from now on reap-stale knows what it covers.
        let record = Queue::batch_record(&c.elements);
        self.q.retrying(|q| q.record_batch(&id, &record))?;
        let seq = self.next_batch;
        self.next_batch = self.next_batch.wrapping_add(1);
        self.live().batches.insert(seq, (id, 0));
        self.lease = Lease::Batch(seq);
        Ok(c)
    }

    /// Sends the claim of the next batch ahead, on the second connection (batched claims only;
    /// never while stopping). A failure to send only means no batch ahead.
    fn send_ahead(&mut self, want: u64) -> Result<()> {
        if self.lease == Lease::PerElement || !self.prepared || self.ahead.is_some() || self.stopping() {
            return Ok(());
        }
        let granted = self.reserve(want);
        if granted == 0 {
            return Ok(());
        }
        if self.claimer.is_none() {
            self.claimer = Queue::connect(&self.out.target, self.q.keys.clone()).ok();
        }
        let id = self.out.enabled.then(|| uuid::Uuid::new_v4().simple().to_string());
        let (n, visibility) = (granted as usize, self.args.visibility_timeout);
        match self.claimer.as_mut().map(|c| c.claim_batched_send(n, visibility, 1000, id.as_deref())) {
            Some(Ok(())) => {
                self.lane.push_back(Expect::Claim { n, id });
                self.ahead = Some(Ahead::Sent);
                Ok(())
            }
            Some(Err(e)) => {
                // Sent or not, nothing is lost (see lane_failed).
                self.lane.push_back(Expect::Claim { n, id });
                self.lane_failed(&e)
            }
            None => {
                self.unreserve(granted);
                Ok(())
            }
        }
    }

    /// Takes the next reply `claimer` owes: an ack's is counted; a claim's is returned.
    fn recv_lane(&mut self) -> Result<Option<(Claimed, Option<String>)>> {
        let Some(expect) = self.lane.pop_front() else { return Ok(None) };
        let Some(c) = self.claimer.as_mut() else {
            self.lane.push_front(expect);
            return self.lane_failed(&anyhow::anyhow!("the second connection is gone")).map(|_| None);
        };
        // A signal must not cut a reply short: a read that fails leaves the connection's replies
        // misaligned and what it owed unknown. SIGINT / SIGTERM are blocked in this thread while
        // it reads (another thread counts them meanwhile; the drain acts on them right after).
        let _quiet = SignalsHeld::new();
        match expect {
            Expect::Record(id, record) => match c.record_batch_recv() {
                Ok(()) => Ok(None),
                Err(e) => {
                    self.lane.push_front(Expect::Record(id, record));
                    self.lane_failed(&e).map(|_| None)
                }
            },
            Expect::Ack(elements, done) => match c.ack_batched_recv(elements.len(), done.len()) {
                Ok(acked) => {
                    self.count_acks(&acked);
                    Ok(None)
                }
                Err(e) => {
                    self.lane.push_front(Expect::Ack(elements, done));
                    self.lane_failed(&e).map(|_| None)
                }
            },
            Expect::Claim { n, id } => match c.claim_batched_recv(n) {
                Ok(claimed) => {
                    self.unreserve((n - claimed.elements.len()) as u64);
                    Ok(Some((claimed, id)))
                }
                Err(e) => {
                    self.lane.push_front(Expect::Claim { n, id });
                    self.lane_failed(&e).map(|_| None)
                }
            },
        }
    }

    /// The second connection failed: it goes, and what it owed is settled on the first. An
    /// ack is sent again (what the lost one removed counts as taken by someone else, as after
    /// any ack whose reply was lost); a claim is given up: whatever a lost reply moved waits
    /// in processing, unleased or under an unrecorded batch lease, until reap-stale reclaims it.
    fn lane_failed(&mut self, e: &anyhow::Error) -> Result<()> {
        // What it settles on the first connection must not be cut short by a signal either.
        let _quiet = SignalsHeld::new();
        self.notice(format!("{}; reconnecting", crate::config::scrub(&format!("{e:#}"))));
        self.claimer = None;
        if matches!(self.ahead, Some(Ahead::Sent)) {
            self.ahead = None;
        }
        for expect in std::mem::take(&mut self.lane) {
            match expect {
                Expect::Record(id, record) => self.q.retrying(|q| q.record_batch(&id, &record))?,
                Expect::Ack(elements, done) => {
                    let acked = self.q.retrying(|q| q.ack_batched(&elements, &done))?;
                    self.count_acks(&acked);
                }
                Expect::Claim { n, .. } => self.unreserve(n as u64),
            }
        }
        Ok(())
    }

    /// Takes every reply `claimer` owes (a claim's becomes the batch ahead).
    fn drain_lane(&mut self) -> Result<()> {
        while !self.lane.is_empty() {
            if matches!(self.lane.front(), Some(Expect::Claim { .. })) && matches!(self.ahead, Some(Ahead::Sent)) {
                self.collect_ahead()?;
            } else if let Some((c, id)) = self.recv_lane()? {
                // A claim no batch ahead stands for (never sent so): back it goes.
                for raw in c.elements.iter().rev() {
                    self.q.retrying(|q| q.settle(raw, raw, Dest::Front, false))?;
                }
                self.unreserve(c.elements.len() as u64);
                if let Some(id) = id {
                    self.q.retrying(|q| q.drop_batches(std::slice::from_ref(&id)))?;
                }
            }
        }
        Ok(())
    }

    /// Takes the reply of a claim sent ahead, records its batch and lets the heartbeat keep it.
    /// Called before any wait, so a batch ahead is never left unrenewed behind a slow reader.
    fn collect_ahead(&mut self) -> Result<()> {
        // Its replies must not be cut short by a signal (see SignalsHeld).
        let _quiet = SignalsHeld::new();
        // The acks sent before the claim are answered first.
        let (c, id) = loop {
            if !matches!(self.ahead, Some(Ahead::Sent)) {
                return Ok(());
            }
            if let Some(got) = self.recv_lane()? {
                break got;
            }
        };
        self.ahead = None;
        self.prepared &= !c.noscript;
        let lease = match id {
            Some(id) if !c.elements.is_empty() && c.failed.is_none() => {
                if c.noscript {
                    // The script was gone (a restarted server): its batch lease was not started.
                    let visibility = self.args.visibility_timeout;
                    self.q.retrying(|q| q.start_batch(&id, visibility))?;
                }
                // Recorded (on the second connection, before any line is written, the reply
                // taken later) so reap-stale knows what the batch lease covers.
                self.record_later(id.clone(), Queue::batch_record(&c.elements))?;
                let seq = self.next_batch;
                self.next_batch = self.next_batch.wrapping_add(1);
                self.live().batches.insert(seq, (id, 0));
                Lease::Batch(seq)
            }
            Some(id) => {
                self.q.retrying(|q| q.drop_batches(std::slice::from_ref(&id)))?;
                Lease::Unleased
            }
            None => Lease::Unleased,
        };
        self.ahead = Some(Ahead::Ready(c, lease));
        Ok(())
    }

    /// The batch claimed ahead, if any, as the claim to handle now.
    fn take_ahead(&mut self) -> Result<Option<Claimed>> {
        self.collect_ahead()?;
        Ok(match self.ahead.take() {
            Some(Ahead::Ready(c, lease)) => {
                self.lease = lease;
                Some(c)
            }
            _ => None,
        })
    }

    /// Gives back the batch claimed ahead (it is newer than anything else this drain gives
    /// back, so it goes first: the older end up in front of it, in their order).
    fn return_ahead(&mut self) -> Result<()> {
        // Its replies must not be cut short by a signal (see SignalsHeld).
        let _quiet = SignalsHeld::new();
        self.collect_ahead()?;
        let Some(Ahead::Ready(c, lease)) = self.ahead.take() else { return Ok(()) };
        self.unreserve(c.elements.len() as u64);
        for raw in c.elements.iter().rev() {
            self.q.retrying(|q| q.settle(raw, raw, Dest::Front, false))?;
        }
        if let Lease::Batch(seq) = lease {
            let id = self.live().batches.remove(&seq).map(|b| b.0);
            if let Some(id) = id {
                self.q.retrying(|q| q.drop_batches(std::slice::from_ref(&id)))?;
            }
        }
        Ok(())
    }

    /// After a claim was handled: a batch lease none of whose elements went into the pipe (all
    /// dead-lettered or given back) is dropped now.
    fn batch_handled(&mut self) -> Result<()> {
        // Its replies must not be cut short by a signal (see SignalsHeld).
        let _quiet = SignalsHeld::new();
        let Lease::Batch(seq) = self.lease else { return Ok(()) };
        let idle = {
            let mut live = self.live();
            match live.batches.get(&seq) {
                Some((_, 0)) => live.batches.remove(&seq).map(|b| b.0),
                _ => None,
            }
        };
        if let Some(id) = idle {
            self.q.retrying(|q| q.drop_batches(std::slice::from_ref(&id)))?;
        }
        Ok(())
    }

    /// At the end of a drain into a pipe: the batch leases still held go (what they covered was
    /// acknowledged or given back). Best effort: a lease left behind expires, and `reap-stale`
    /// drops its record.
    fn drop_open_batches(&mut self) {
        let ids: Vec<String> = std::mem::take(&mut self.live().batches).into_values().map(|b| b.0).collect();
        if !ids.is_empty() {
            let _ = self.q.drop_batches(&ids);
        }
    }

    /// Whether to take no more: a signal, `--max` reached, or another worker failed.
    fn stopping(&self) -> bool {
        self.interrupts.count() > 0
            || self.shared.stop.load(Ordering::SeqCst)
            || self.args.max.is_some_and(|m| self.shared.taken.load(Ordering::SeqCst) >= m)
    }

    /// Reserves up to `want` of what `--max` still allows (all workers together); returns how many.
    fn reserve(&self, want: u64) -> u64 {
        let Some(max) = self.args.max else { return want };
        let taken = &self.shared.taken;
        let mut now = taken.load(Ordering::SeqCst);
        loop {
            let grant = want.min(max.saturating_sub(now));
            if grant == 0 {
                return 0;
            }
            match taken.compare_exchange(now, now + grant, Ordering::SeqCst, Ordering::SeqCst) {
                Ok(_) => return grant,
                Err(seen) => now = seen,
            }
        }
    }

    /// Returns what a claim reserved and did not take.
    fn unreserve(&self, n: u64) {
        if self.args.max.is_some() && n > 0 {
            self.shared.taken.fetch_sub(n, Ordering::SeqCst);
        }
    }

    /// The queue was empty (since `idle`): keeps going while retries are pending, or while
    /// --wait/--follow allow, waiting up to a second for one message.
    fn wait_for_one(&mut self, idle: Instant) -> Result<Waited> {
        // Idle: what the pipe's reader took is acknowledged, and the acks still owed an answer
        // are taken (counted before any wait).
        self.ack_all_taken()?;
        self.drain_lane()?;
        // Pending retries keep a drain going, except the deployer's own (its consumers
        // promote them; a budget retry can be half an hour away): with --wait or --follow
        // they are taken like any message once due.
        let next_retry = if self.q.keys.profile == Profile::Mint { None } else { self.q.retrying(|q| q.next_retry_in())? };
        let wait_left = match (self.args.follow, self.args.wait) {
            (true, _) => Some(IDLE_BLOCK),
            (false, Some(w)) => w.checked_sub(idle.elapsed()).filter(|d| !d.is_zero()),
            (false, None) => None,
        };
        let block = match (wait_left, next_retry) {
            (None, None) => return Ok(Waited::Stop),
            (Some(w), None) => w,
            (None, Some(r)) => r,
            (Some(w), Some(r)) => w.min(r),
        }
        .clamp(Duration::from_millis(10), IDLE_BLOCK);
        if self.reserve(1) == 0 {
            return Ok(Waited::Stop);
        }
        let visibility = self.args.visibility_timeout;
        let claimed = match self.q.retrying(|q| q.claim_blocking(block, visibility)) {
            Ok(c) => c,
            // A signal interrupts the blocked read (a socket with a timeout is never
            // restarted): stop as asked. Should the server have moved a message just then,
            // it waits unleased in processing, where `reap-stale` finds it.
            Err(e) if e.downcast_ref::<SignalDuringWait>().is_some() => {
                self.unreserve(1);
                // Our handler counts the signal on its own thread: give it a moment.
                for _ in 0..50 {
                    if self.interrupts.count() > 0 {
                        return Ok(Waited::Stop);
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                return Ok(Waited::Nothing); // another signal (not ours to act on): wait again
            }
            Err(e) => {
                self.unreserve(1);
                return Err(e);
            }
        };
        let Some(e) = claimed else {
            self.unreserve(1);
            return Ok(Waited::Nothing);
        };
        if self.interrupts.count() > 0 {
            self.taken += 1;
            self.give_back(&e)?;
            return Ok(Waited::Stop);
        }
        Ok(Waited::Got(e))
    }

    /// Says once that the retry set holds due members this drain leaves alone.
    fn foreign(&mut self, n: u64) {
        if n > self.summary.foreign_retries {
            self.notice(format!(
                "{n} due member(s) of {} are not in the {} profile's retry format: left in place, untouched \
                 (`hokusai-queue doctor` lists them)",
                self.q.keys.retry, self.q.keys.profile
            ));
            self.summary.foreign_retries = n;
        }
    }

    /// Handles claimed elements; `digests` are their holder fields from the claim (or empty).
    fn handle(&mut self, claimed: Vec<Vec<u8>>, digests: Vec<String>) -> Result<()> {
        match self.q.keys.profile {
            Profile::Mint => return self.handle_mint(claimed),
            Profile::Opaque => return self.handle_opaque(claimed, digests),
            Profile::Envelope => {}
        }
        self.taken += claimed.len() as u64;
        let Some(cmd) = self.args.exec.clone() else {
            // No handler: lines on stdout.
            let mut good = Vec::with_capacity(claimed.len());
            let mut good_digests = Vec::with_capacity(digests.len());
            let mut digests = digests.into_iter();
            for raw in claimed {
                let digest = digests.next();
                match self.check_quick(raw) {
                    Ok(raw) => {
                        good.push(raw);
                        good_digests.extend(digest);
                    }
                    Err((raw, reason)) => self.dead_letter(&raw, &reason)?,
                }
            }
            return self.write_and_ack(good, good_digests);
        };
        let mut good = Vec::with_capacity(claimed.len());
        for raw in claimed {
            match self.check(raw) {
                Ok((raw, env)) => good.push((raw, env)),
                Err((raw, reason)) => self.dead_letter(&raw, &reason)?,
            }
        }
        let mut rest = good.into_iter();
        while let Some((raw, env)) = rest.next() {
            if self.interrupts.count() > 0 || self.shared.stop.load(Ordering::SeqCst) {
                // Stop taking: what was claimed but not started goes back, unpenalised.
                let back = std::iter::once(raw).chain(rest.by_ref().map(|(r, _)| r)).collect();
                self.give_back_all(back)?;
                break;
            }
            self.run_handler(&cmd, &raw, &env)?;
        }
        Ok(())
    }

    /// Whether an element is a message this drain can handle; if not, why.
    fn check(&self, raw: Vec<u8>) -> Result<(Vec<u8>, Envelope), (Vec<u8>, String)> {
        if raw.len() > self.args.max_message_bytes {
            let why =
                format!("message of {} bytes is larger than --max-message-bytes {}", raw.len(), self.args.max_message_bytes);
            return Err((raw, why));
        }
        let el = Element::parse(raw);
        match el.shape {
            Shape::Envelope(env) => Ok((el.raw, env)),
            Shape::Wrapped { .. } => Err((el.raw, "a dead-letter wrapper, not an envelope, was in the main queue".into())),
            _ => {
                let why = format!("unparseable message: {}", el.unusable_reason().unwrap_or_default());
                Err((el.raw, why))
            }
        }
    }

    /// [`Self::check`] for the stdout path, which needs no parsed envelope: the common case is
    /// decided without a JSON tree, in one pass (`message::is_quick_envelope`: the whole element
    /// validated as `Element::parse` would, and its top-level shape read), everything else by
    /// the full parse. An element with a
    /// line break always takes the full path, so `write_line`'s re-parse cannot fail.
    fn check_quick(&self, raw: Vec<u8>) -> Result<Vec<u8>, (Vec<u8>, String)> {
        if raw.len() <= self.args.max_message_bytes
            && raw.trim_ascii_start().first() == Some(&b'{')
            && !raw.contains(&b'\n')
            && !raw.contains(&b'\r')
            && message::is_quick_envelope(&raw)
        {
            return Ok(raw);
        }
        self.check(raw).map(|(raw, _)| raw)
    }

    /// Without a handler: each message as one line on stdout, then acked once delivered: when
    /// flushed to a file or terminal, when taken by the reader of a pipe.
    /// `digests`: the holder field of each (from the claim), or empty.
    fn write_and_ack(&mut self, good: Vec<Vec<u8>>, digests: Vec<String>) -> Result<()> {
        if good.is_empty() {
            return Ok(());
        }
        if self.out.enabled {
            return self.write_to_pipe(good, digests);
        }
        let written = {
            // One write for the batch, not one per line (stdout's own buffer flushes at every
            // newline); acknowledged only after the flush, as before.
            let mut out = io::BufWriter::with_capacity(1 << 18, io::stdout().lock());
            good.iter().try_for_each(|raw| write_line(&mut out, raw)).and_then(|_| out.flush())
        };
        if let Err(e) = written {
            let n = good.len();
            self.give_back_all(good)?;
            return Err(Failure::failed(format!(
                "cannot write to stdout ({e}); the {n} messages not yet written were returned to the front of the queue"
            ))
            .into());
        }
        if self.lease == Lease::Unleased && self.claimer.is_some() {
            // Delivered: acknowledged on the second connection, its reply taken later, while
            // this drain goes on with the next batch.
            return self.ack_later(good, vec![]);
        }
        let acked = if self.lease == Lease::PerElement {
            self.q.retrying(|q| q.ack_claimed(&good, &digests))?
        } else {
            self.q.retrying(|q| q.ack_batched(&good, &[]))?
        };
        self.count_acks(&acked);
        Ok(())
    }

    /// Writes lines into the pipe no faster than its reader takes them (see `PipeOut::window`),
    /// acknowledging each once taken.
    fn write_to_pipe(&mut self, good: Vec<Vec<u8>>, digests: Vec<String>) -> Result<()> {
        if self.out.heartbeat.is_none() {
            // A pipe that holds a whole batch (250 lines of ~1 KiB by default) takes it in one
            // write; the window still decides how much may sit there unread.
            self.out.capacity = delivery::grow_stdout_pipe(PIPE_BYTES).map_or(1 << 16, |n| n as u64);
            let inflight = self.out.inflight.clone();
            self.out.heartbeat =
                Some(Heartbeat::start(self.out.target.clone(), self.q.keys.clone(), self.args.visibility_timeout, inflight));
        }
        let lease = self.lease;
        match lease {
            Lease::PerElement => self.live().unwritten.extend(good.iter().cloned()),
            Lease::Batch(seq) => {
                if let Some(b) = self.live().batches.get_mut(&seq) {
                    b.1 += good.len();
                }
            }
            Lease::Unleased => {}
        }
        // Each element's line: the element and a newline; one written over several lines
        // (pretty-printed JSON) is minified first (kept aside, so the common case copies nothing).
        let line_of =
            |raw: &[u8]| -> Option<Vec<u8>> { (raw.contains(&b'\n') || raw.contains(&b'\r')).then(|| message::minify_json(raw)) };
        let line_len = |(minified, raw): &(Option<Vec<u8>>, Vec<u8>)| minified.as_ref().map_or(raw.len(), Vec::len) + 1;
        let mut digests = digests.into_iter();
        let mut rest: VecDeque<(Option<Vec<u8>>, Vec<u8>)> = good.into_iter().map(|raw| (line_of(&raw), raw)).collect();
        let mut chunk = Vec::new();
        while let Some(first) = rest.front() {
            // As many whole lines as the window has room for (at least one), in one write.
            let room = match self.wait_for_room(line_len(first) as u64)? {
                Room::Fits(room) => room,
                Room::Closed => {
                    self.live().unwritten.clear();
                    let unwritten = rest.into_iter().map(|(_, raw)| raw).collect();
                    return self.reader_gone(unwritten, &io::Error::from(io::ErrorKind::BrokenPipe));
                }
                Room::Interrupted => {
                    // Stop writing: the unwritten go back in their order now; what sits in the
                    // pipe gets the reader's grace period (finish_delivery).
                    self.live().unwritten.clear();
                    return self.give_back_all(rest.into_iter().map(|(_, raw)| raw).collect());
                }
            };
            chunk.clear();
            let mut ends = Vec::new();
            while let Some(next) = rest.front()
                && (ends.is_empty() || (chunk.len() + line_len(next)) as u64 <= room)
            {
                chunk.extend_from_slice(next.0.as_deref().unwrap_or(&next.1));
                chunk.push(b'\n');
                ends.push(self.out.written + chunk.len() as u64);
                rest.pop_front().map(|(_, raw)| raw).into_iter().for_each(|raw| {
                    // Moved from unwritten to in flight below, once the write succeeded.
                    self.out.staged.push((raw, digests.next()));
                });
            }
            // Straight to the pipe, counting every byte that went in (a write cut short by a
            // closed reader still put bytes in the pipe, and the count of what was taken is
            // the bytes written less the bytes unread).
            // A write may block until the reader takes more (the kernel counts a pipe's room in
            // pages, so a partly read pipe can refuse bytes FIONREAD says fit; a line longer
            // than the pipe waits for the reader). While a batch claimed ahead is on its way,
            // the write is tried without blocking first; should it have to wait, that batch is
            // taken in (recorded, and renewed by the heartbeat from then on) before it does.
            // A write that has to wait goes on in pieces that never block, so a signal is seen:
            // after the first the reader gets 2 s to make room, a second stops at once; the
            // lines not written whole go back, in order.
            let mut late = None;
            let (sent, result) = match delivery::try_write_stdout(&chunk) {
                (n, Ok(false)) => {
                    if matches!(self.ahead, Some(Ahead::Sent)) {
                        late = self.collect_ahead().err();
                    }
                    let interrupts = self.interrupts.clone();
                    let mut first_signal: Option<Instant> = None;
                    let mut stop = || {
                        let signals = interrupts.count();
                        signals > 1
                            || (signals == 1 && first_signal.get_or_insert_with(Instant::now).elapsed() >= Duration::from_secs(2))
                    };
                    let (m, r) = delivery::write_stdout_watching(&chunk[n..], &mut stop);
                    (n + m, r)
                }
                other => other,
            };
            let stopped = matches!(result, Ok(false));
            let result = result.map(|_| ());
            self.out.written += sent as u64;
            let staged = std::mem::take(&mut self.out.staged);
            let mut unwritten = Vec::new();
            {
                let mut live = self.live();
                for ((raw, digest), end) in staged.into_iter().zip(ends) {
                    if lease == Lease::PerElement {
                        live.unwritten.pop_front();
                    }
                    if end <= self.out.written {
                        live.inflight.push_back((raw, end, digest, lease));
                    } else {
                        unwritten.push(raw);
                    }
                }
            }
            if let Err(e) = result {
                self.live().unwritten.clear();
                unwritten.extend(rest.into_iter().map(|(_, raw)| raw));
                return self.reader_gone(unwritten, &e);
            }
            if let Some(e) = late {
                // Taking the batch ahead in failed (Redis): the lines written stay accounted.
                return Err(e);
            }
            if stopped {
                // Interrupted while the reader made no room: what was not written whole goes
                // back in its order; what is in the pipe gets finish_delivery's grace.
                self.live().unwritten.clear();
                unwritten.extend(rest.into_iter().map(|(_, raw)| raw));
                return self.give_back_all(unwritten);
            }
        }
        let unread = delivery::unread().unwrap_or(0);
        self.ack_taken(unread, ACK_GROUP)
    }

    /// Before the next claim: waits for the pipe's reader to take every line written, then
    /// acknowledges them (no-op without a pipe). One ack for the whole batch, while processing
    /// holds nothing else of this drain's, is the ack script's cheapest case: an ack of part of
    /// a batch must look for another copy of each element in what is left (one LPOS each).
    /// A reader that is slow is waited for (the heartbeat keeps the leases alive); one that
    /// closed, or a signal, ends the wait with what was taken acknowledged.
    fn ack_all_taken(&mut self) -> Result<()> {
        if !self.out.enabled || self.live().inflight.is_empty() {
            return Ok(());
        }
        let mut pause = Duration::from_micros(20);
        loop {
            let unread = delivery::unread().unwrap_or(u64::MAX).min(self.out.written);
            if unread == 0 || self.interrupts.count() > 0 {
                return self.ack_taken(unread, 1);
            }
            if pause >= SLOW_READER {
                // A slow reader: what it took is acknowledged as it goes, not all at the end;
                // a batch claimed ahead gets its lease renewed from now on.
                self.ack_taken(unread, 1)?;
                self.collect_ahead()?;
            }
            if delivery::reader_closed_within(pause) {
                return self.reader_gone(vec![], &io::Error::from(io::ErrorKind::BrokenPipe));
            }
            pause = (pause * 2).min(SLOW_READER);
        }
    }

    fn live(&self) -> std::sync::MutexGuard<'_, Live> {
        self.out.inflight.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Waits until a line of `len` bytes fits in the window (the reader took enough), and
    /// returns the room there is; or says the reader has gone, or a signal came.
    fn wait_for_room(&mut self, len: u64) -> Result<Room> {
        let mut pause = Duration::from_micros(20);
        loop {
            let unread = delivery::unread().unwrap_or(0);
            if unread == 0 {
                // Everything written was taken: acknowledged in groups (a fast reader finds the
                // pipe empty at nearly every line), and the window grows.
                self.ack_taken(0, ACK_GROUP)?;
                // Never more than the pipe holds (into the empty pipe a write then never blocks),
                // but a line longer than that still goes.
                self.out.window = (self.out.window * 2).min(MAX_WINDOW).min(self.out.capacity).max(len);
                return Ok(Room::Fits(self.out.window));
            }
            if unread + len <= self.out.window {
                self.ack_taken(unread, ACK_GROUP)?;
                return Ok(Room::Fits(self.out.window - unread));
            }
            // About to wait: acknowledge what was taken so far; a batch claimed ahead gets its
            // lease renewed from now on.
            self.ack_taken(unread, 1)?;
            self.collect_ahead()?;
            if self.interrupts.count() > 0 {
                return Ok(Room::Interrupted);
            }
            if delivery::reader_closed_within(pause) {
                return Ok(Room::Closed);
            }
            pause = (pause * 2).min(Duration::from_millis(5));
        }
    }

    /// Acknowledges the lines the reader has taken whole (the pipe holds `unread` bytes), when
    /// at least `min` of them wait.
    fn ack_taken(&mut self, unread: u64, min: usize) -> Result<()> {
        let taken = self.out.written.saturating_sub(unread);
        // Those with a lease each, and those of batch leases (with the batches all of whose
        // elements this acknowledges: dropped in the same step).
        let (mut each, mut digests, mut batched, mut finished) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        {
            let mut live = self.live();
            let n = live.inflight.iter().take_while(|x| x.1 <= taken).count();
            if n == 0 || n < min {
                return Ok(());
            }
            let done: Vec<_> = live.inflight.drain(..n).collect();
            for (raw, _, digest, lease) in done {
                match lease {
                    Lease::Batch(seq) => {
                        batched.push(raw);
                        if let Some(b) = live.batches.get_mut(&seq) {
                            b.1 = b.1.saturating_sub(1);
                            if b.1 == 0 {
                                finished.extend(live.batches.remove(&seq).map(|b| b.0));
                            }
                        }
                    }
                    Lease::Unleased => batched.push(raw),
                    Lease::PerElement => {
                        each.push(raw);
                        digests.push(digest);
                    }
                }
            }
        }
        if !each.is_empty() {
            let digests: Vec<String> = digests.into_iter().collect::<Option<_>>().unwrap_or_default();
            let acked = self.q.retrying(|q| q.ack_claimed(&each, &digests))?;
            self.count_acks(&acked);
        }
        if self.claimer.is_some() && !batched.is_empty() {
            return self.ack_later(batched, finished);
        }
        if !batched.is_empty() {
            let acked = self.q.retrying(|q| q.ack_batched(&batched, &finished))?;
            self.count_acks(&acked);
        }
        Ok(())
    }

    /// Records a batch on the second connection, taking the reply later (see `lane`).
    fn record_later(&mut self, id: String, record: Vec<u8>) -> Result<()> {
        let sent = match self.claimer.as_mut() {
            Some(c) => c.record_batch_send(&id, &record),
            None => Err(anyhow::anyhow!("the second connection is gone")),
        };
        self.lane.push_back(Expect::Record(id, record));
        match sent {
            Ok(()) => Ok(()),
            Err(e) => self.lane_failed(&e),
        }
    }

    /// Acknowledges delivered elements of batched claims (and drops the batch leases `done`) on
    /// the second connection, taking the reply later (see `lane`).
    fn ack_later(&mut self, elements: Vec<Vec<u8>>, done: Vec<String>) -> Result<()> {
        let sent = match self.claimer.as_mut() {
            Some(c) => c.ack_batched_send(&elements, &done),
            None => Err(anyhow::anyhow!("the second connection is gone")),
        };
        self.lane.push_back(Expect::Ack(elements, done));
        match sent {
            Ok(()) => Ok(()),
            Err(e) => self.lane_failed(&e),
        }
    }

    /// The reader closed: what it took is acknowledged, everything else (in the pipe, or not
    /// written yet) goes back to the front in its order.
    fn reader_gone(&mut self, unwritten: Vec<Vec<u8>>, e: &io::Error) -> Result<()> {
        let unread = delivery::unread().unwrap_or(u64::MAX);
        self.ack_taken(unread.min(self.out.written), 1)?;
        let mut back: Vec<Vec<u8>> = self.live().inflight.drain(..).map(|x| x.0).collect();
        let untaken = back.len();
        back.extend(unwritten);
        let n = back.len();
        self.give_back_all(back)?;
        // The acks still owed an answer are counted before the figure is given.
        self.drain_lane()?;
        Err(Failure::failed(format!(
            "stdout's reader stopped reading ({e}) after taking {} messages; the {n} it did not take ({untaken} left \
             unread in the pipe) were returned to the front of {} in their order",
            self.summary.processed, self.q.keys.main
        ))
        .into())
    }

    /// At the end: waits for the reader to take the lines still in the pipe (their leases kept
    /// alive meanwhile), acknowledging them as it does. After an interrupt it waits 2 s more at
    /// most; what is still untaken then goes back to the front.
    fn finish_delivery(&mut self) -> Result<()> {
        let mut pause = Duration::from_micros(50);
        let mut interrupted_at: Option<Instant> = None;
        loop {
            let unread = delivery::unread().unwrap_or(0);
            self.ack_taken(unread, 1)?;
            if self.live().inflight.is_empty() {
                return Ok(());
            }
            // After a signal the reader gets 2 s to take what is in the pipe; a second signal
            // ends the wait at once. The rest goes back to the front.
            let signals = self.interrupts.count();
            if signals > 1 || (signals > 0 && interrupted_at.get_or_insert_with(Instant::now).elapsed() > Duration::from_secs(2))
            {
                let back: Vec<Vec<u8>> = self.live().inflight.drain(..).map(|x| x.0).collect();
                return self.give_back_all(back);
            }
            if delivery::reader_closed_within(pause) {
                return self.reader_gone(vec![], &io::Error::from(io::ErrorKind::BrokenPipe));
            }
            pause = (pause * 2).min(Duration::from_millis(10));
        }
    }

    fn count_acks(&mut self, acked: &[bool]) {
        let ok = acked.iter().filter(|a| **a).count() as u64;
        self.summary.processed += ok;
        self.summary.lost_leases += acked.len() as u64 - ok;
        self.bar.inc(ok);
    }

    /// Opaque: every element that fits on one line goes out exactly as stored; one that does
    /// not (not UTF-8, a line break) cannot be written without inventing a format, so it goes
    /// back to the front, untouched, and the drain stops and says so.
    fn handle_opaque(&mut self, claimed: Vec<Vec<u8>>, mut digests: Vec<String>) -> Result<()> {
        self.taken += claimed.len() as u64;
        let printable = |raw: &Vec<u8>| std::str::from_utf8(raw).is_ok() && !raw.contains(&b'\n') && !raw.contains(&b'\r');
        let cut = claimed.iter().position(|r| !printable(r)).unwrap_or(claimed.len());
        let mut claimed = claimed;
        let rest = claimed.split_off(cut);
        digests.truncate(cut);
        self.write_and_ack(claimed, digests)?;
        if rest.is_empty() {
            return Ok(());
        }
        // Put back newest first, so the next RPUSH-to-front leaves them in their order (after
        // a batch claimed ahead, newer still).
        self.return_ahead()?;
        for raw in rest.iter().rev() {
            self.give_back(raw)?;
        }
        Err(Failure::failed(format!(
            "an element of {} is not one line of UTF-8 text, and the opaque profile moves only exact bytes: it and the \
             {} after it were returned to the front untouched; look at it with `hokusai-queue peek`",
            self.q.keys.main,
            rest.len() - 1
        ))
        .into())
    }

    /// Mint: as the deployer's consumer would (mint-wire-format.md, 3.2): a request that is not
    /// JSON or fails its validator is dead-lettered in the deployer's shape; one whose
    /// idempotency key is in the processed set is acknowledged unhandled (a duplicate); the rest
    /// go to stdout or the handler. The tool never adds to the processed set.
    fn handle_mint(&mut self, claimed: Vec<Vec<u8>>) -> Result<()> {
        self.taken += claimed.len() as u64;
        let fresh = self.admit_mint(claimed)?;
        let Some(cmd) = self.args.exec.clone() else {
            let raws = fresh.into_iter().map(|(raw, _)| raw).collect();
            return self.write_and_ack(raws, vec![]);
        };
        let mut rest = fresh.into_iter();
        while let Some((raw, v)) = rest.next() {
            if self.interrupts.count() > 0 || self.shared.stop.load(Ordering::SeqCst) {
                let back = std::iter::once(raw).chain(rest.by_ref().map(|(r, _)| r)).collect();
                self.give_back_all(back)?;
                break;
            }
            let text = |k: &str| v.get(k).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
            let vars = vec![
                ("HOKUSAI_MESSAGE_ID", text("message_id")),
                ("HOKUSAI_MESSAGE_TYPE", text("message_type")),
                ("HOKUSAI_RETRY_COUNT", mint::retry_count(&v).to_string()),
                ("HOKUSAI_IDEMPOTENCY_KEY", text("idempotency_key")),
            ];
            match self.execute(&cmd, &raw, &vars)? {
                Outcome::Success => {}
                Outcome::Failed(reason) => self.failed_mint(&raw, &v, &reason)?,
                Outcome::Unfit(reason) => self.dead_letter_mint(&raw, &reason, "permanent")?,
                Outcome::NotStarted(reason) => return self.not_started(&raw, rest.map(|(r, _)| r), reason),
            }
        }
        Ok(())
    }

    /// Mint: the requests a handler or stdout may have; the rest are dead-lettered (invalid) or
    /// acknowledged unhandled (duplicates of settled requests), here.
    fn admit_mint(&mut self, claimed: Vec<Vec<u8>>) -> Result<Vec<(Vec<u8>, serde_json::Value)>> {
        let mut valid = Vec::with_capacity(claimed.len());
        for raw in claimed {
            if raw.len() > self.args.max_message_bytes {
                let why =
                    format!("message of {} bytes is larger than --max-message-bytes {}", raw.len(), self.args.max_message_bytes);
                self.dead_letter_mint(&raw, &why, "permanent")?;
                continue;
            }
            match mint::parse_and_validate(&raw) {
                // Valid only as the deployer's client reads it (replacement characters for the
                // bytes that are not UTF-8, its signed content changed): the queue holds UTF-8
                // JSON (2.1), and a handler is promised UTF-8 lines. Dead-lettered, as text.
                Ok(_) if std::str::from_utf8(&raw).is_err() => {
                    self.dead_letter_mint(&raw, "not UTF-8 text: a mint request is UTF-8 JSON", "permanent")?
                }
                Ok(v) => valid.push((raw, v)),
                Err(reject) => self.dead_letter_mint(&raw, &reject.reason(), "permanent")?,
            }
        }
        let keys: Vec<&str> = valid.iter().map(|(_, v)| v["idempotency_key"].as_str().unwrap_or_default()).collect();
        let settled = self.q.retrying(|q| q.already_processed(&keys))?;
        let mut fresh = Vec::with_capacity(valid.len());
        let mut dups = Vec::new();
        for ((raw, v), done) in valid.into_iter().zip(settled) {
            if done { dups.push((raw, v)) } else { fresh.push((raw, v)) }
        }
        if !dups.is_empty() {
            let raws: Vec<Vec<u8>> = dups.iter().map(|(r, _)| r.clone()).collect();
            let acked = self.q.retrying(|q| q.ack(&raws))?;
            for ((_, v), ok) in dups.iter().zip(&acked) {
                if *ok {
                    self.summary.duplicates += 1;
                    self.notice(format!(
                        "duplicate: {} is already in {} (settled); acknowledged without handling",
                        v["idempotency_key"].as_str().unwrap_or_default(),
                        self.q.keys.processed
                    ));
                } else {
                    self.summary.lost_leases += 1;
                }
            }
        }
        Ok(fresh)
    }

    /// A failed mint attempt, decided as the deployer's retry policy decides (3.4): a retry
    /// member in the deployer's retry set (the validated message with `_retryCount` + 1, score
    /// in epoch ms), or its dead letter once the retries are spent.
    /// The failure is classified by its text as the deployer's `classifyError` does (rules 5-7:
    /// "model not registered", "model is deactivated", "mintrequest transaction reverted" are
    /// permanent and dead-lettered at once, never retried).
    fn failed_mint(&mut self, raw: &[u8], v: &serde_json::Value, reason: &str) -> Result<()> {
        let n = mint::retry_count(v);
        let permanent = mint::error_class(reason) == "permanent";
        match mint::decide(n, reason, permanent, &self.policy) {
            mint::Decision::Retry { member_retry_count, delay_cap_ms } => {
                let delay = Duration::from_millis((fastrand::f64() * (delay_cap_ms as f64 + 1.0)).floor() as u64);
                let member = mint::retry_member(v, member_retry_count);
                let settled = self.q.retrying(|q| q.settle(raw, &member, Dest::RetryMemberIn(delay), false))?;
                self.count_settled(settled, |s| s.retried += 1);
                self.notice(format!("retry {member_retry_count} in {delay:.1?} (_retryCount {member_retry_count}): {reason}"));
                Ok(())
            }
            mint::Decision::DeadLetter { reason, failure_class } => self.dead_letter_mint(raw, &reason, failure_class),
        }
    }

    /// Dead-letters a mint element in the deployer's shape (4.1), or bare when it is not UTF-8.
    fn dead_letter_mint(&mut self, raw: &[u8], reason: &str, failure_class: &str) -> Result<()> {
        let entry = crate::queue::mint_dlq::dead_letter_entry(raw, reason, failure_class, &self.q.keys.main);
        let settled = self.q.retrying(|q| q.settle(raw, &entry, Dest::DeadLetter, false))?;
        self.count_settled(settled, |s| s.dead_lettered += 1);
        self.notice(format!("dead-lettered: {reason}"));
        Ok(())
    }

    fn run_handler(&mut self, cmd: &str, raw: &[u8], env: &Envelope) -> Result<()> {
        let vars = vec![
            ("HOKUSAI_MESSAGE_ID", env.message_id().unwrap_or_default().to_owned()),
            ("HOKUSAI_MESSAGE_TYPE", env.message_type().unwrap_or_default().to_owned()),
            ("HOKUSAI_RETRY_COUNT", env.retry_count().unwrap_or(0).to_string()),
        ];
        match self.execute(cmd, raw, &vars)? {
            Outcome::Success => Ok(()),
            Outcome::Failed(reason) => self.failed_attempt(raw, env, &reason),
            Outcome::Unfit(reason) => self.dead_letter(raw, &reason),
            Outcome::NotStarted(reason) => self.not_started(raw, std::iter::empty(), reason),
        }
    }

    /// The handler command cannot start at all (a typo, a missing file): no attempt was made,
    /// so nothing is counted; this message and the rest of its batch go back to the front, and
    /// the drain stops before touching another.
    fn not_started(&mut self, raw: &[u8], rest: impl Iterator<Item = Vec<u8>>, reason: String) -> Result<()> {
        self.give_back_all(std::iter::once(raw.to_vec()).chain(rest).collect())?;
        Err(Failure::failed(format!(
            "{reason}; the message was returned to the front of {} untouched (no attempt counted). Fix --exec and run again",
            self.q.keys.main
        ))
        .into())
    }

    /// Runs the handler on one claimed element, heartbeating its lease; acks it on success.
    fn execute(&mut self, cmd: &str, raw: &[u8], vars: &[(&str, String)]) -> Result<Outcome> {
        let handler = Handler {
            command: cmd,
            timeout: self.args.handler_timeout,
            heartbeat_every: (self.args.visibility_timeout / 3).max(Duration::from_millis(50)),
            interrupts: &self.interrupts,
        };
        let visibility = self.args.visibility_timeout;
        let q = &mut self.q;
        // A heartbeat that finds the link broken reconnects (the handler goes on meanwhile).
        let outcome = handler.run(raw, vars, &mut || q.retrying(|q| q.extend_lease(raw, visibility)).map(|_| ()))?;
        if outcome == Outcome::Success {
            let acked = self.q.retrying(|q| q.ack(&[raw.to_vec()]))?;
            self.count_acks(&acked);
        }
        Ok(outcome)
    }

    /// A failed attempt: retry later with retry_count + 1, or dead-letter once exhausted.
    fn failed_attempt(&mut self, raw: &[u8], env: &Envelope, reason: &str) -> Result<()> {
        let (tries, max) = env.attempts();
        if tries < max {
            let backoff =
                Backoff { retries: 0, base: self.args.retry_base, cap: self.args.retry_cap().unwrap_or(self.args.retry_base) };
            let delay = backoff.delay(tries.clamp(0, 30) as u32);
            let new = message::rewrite_retry_count(raw, env, tries + 1);
            let settled = self.q.retrying(|q| q.settle(raw, &new, Dest::RetryIn(delay), false))?;
            self.count_settled(settled, |s| s.retried += 1);
            self.notice(format!("retry {}/{max} in {delay:.1?}: {reason}", tries + 1));
            Ok(())
        } else {
            let why = format!("{reason} (attempt {} of {}, retries exhausted)", tries + 1, max + 1);
            self.dead_letter(raw, &why)
        }
    }

    fn dead_letter(&mut self, raw: &[u8], reason: &str) -> Result<()> {
        let entry = dlq_wrapper(raw, reason, &self.q.keys.main).unwrap_or_else(|| raw.to_vec());
        let settled = self.q.retrying(|q| q.settle(raw, &entry, Dest::DeadLetter, false))?;
        self.count_settled(settled, |s| s.dead_lettered += 1);
        self.notice(format!("dead-lettered: {reason}"));
        Ok(())
    }

    /// Puts a claimed, unstarted message back at the front with no retry penalty.
    fn give_back(&mut self, raw: &[u8]) -> Result<()> {
        // Its replies must not be cut short by a signal (see SignalsHeld).
        let _quiet = SignalsHeld::new();
        let settled = self.q.retrying(|q| q.settle(raw, raw, Dest::Front, false))?;
        self.count_settled(settled, |s| s.returned += 1);
        Ok(())
    }

    /// Gives back several, in the order they were taken: the first is next out again.
    fn give_back_all(&mut self, raws: Vec<Vec<u8>>) -> Result<()> {
        self.return_ahead()?;
        // Each goes to the consumer end (RPUSH): the last first, so the first ends outermost.
        for raw in raws.iter().rev() {
            self.give_back(raw)?;
        }
        Ok(())
    }

    /// A line for the operator on stderr, above the spinner when there is one.
    fn notice(&self, line: String) {
        if self.bar.is_hidden() {
            eprintln!("hokusai-queue: {line}");
        } else {
            self.bar.println(line);
        }
    }

    fn count_settled(&mut self, settled: Settled, count: impl FnOnce(&mut Summary)) {
        match settled {
            Settled::Moved => count(&mut self.summary),
            Settled::Gone | Settled::Alive => self.summary.lost_leases += 1,
        }
    }
}

/// One envelope as one line: as stored, unless it holds a raw newline (a pretty-printed
/// producer), which would break the line format; then compact JSON of the same object.
fn write_line(out: &mut impl Write, raw: &[u8]) -> io::Result<()> {
    if raw.contains(&b'\n') || raw.contains(&b'\r') {
        // Pretty-printed JSON (checked valid before): the whitespace between tokens goes, every
        // token stays byte for byte (numbers are not re-printed).
        out.write_all(&message::minify_json(raw))?;
    } else {
        out.write_all(raw)?;
    }
    out.write_all(b"\n")
}

fn report(s: &Summary, elapsed: Duration, format: OutputFormat, exec: bool, queue: &str) -> Result<()> {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 { s.processed as f64 / secs } else { 0.0 };
    let v = json!({
        "queue": queue,
        "processed": s.processed,
        "retried": s.retried,
        "dead_lettered": s.dead_lettered,
        "returned": s.returned,
        "lost_leases": s.lost_leases,
        "duplicates": s.duplicates,
        "foreign_retries": s.foreign_retries,
        "elapsed_seconds": (secs * 1000.0).round() / 1000.0,
        "rate_per_second": rate.round(),
    });
    match format {
        // With --exec stdout is free for the summary; without, stdout carries the messages.
        OutputFormat::Json | OutputFormat::Jsonl if exec => output::json(&v)?,
        OutputFormat::Json | OutputFormat::Jsonl => eprintln!("{v}"),
        _ => {
            let mut line = format!(
                "drained {queue}: {} processed, {} retried, {} dead-lettered in {secs:.2}s ({rate:.0}/s)",
                s.processed, s.retried, s.dead_lettered
            );
            if s.returned > 0 {
                line.push_str(&format!("; {} returned unstarted", s.returned));
            }
            if s.lost_leases > 0 {
                line.push_str(&format!("; {} reclaimed by someone else while in flight", s.lost_leases));
            }
            if s.duplicates > 0 {
                line.push_str(&format!("; {} duplicates of settled requests acknowledged unhandled", s.duplicates));
            }
            eprintln!("{line}");
        }
    }
    Ok(())
}

/// `--exec-stream`: the admission and settling of the messages a stream handler answers for.
impl Drain<'_> {
    /// The claimed messages a handler may have, as jobs; the rest are dead-lettered (or, mint,
    /// acknowledged as duplicates) here, as `--exec` does.
    fn admit(&mut self, claimed: Vec<Vec<u8>>) -> Result<Vec<Job>> {
        self.taken += claimed.len() as u64;
        let mut jobs = Vec::with_capacity(claimed.len());
        if self.q.keys.profile == Profile::Mint {
            for (raw, v) in self.admit_mint(claimed)? {
                jobs.push(Job { raw, parsed: Parsed::Mint(v) });
            }
        } else {
            for raw in claimed {
                match self.check(raw) {
                    Ok((raw, env)) => jobs.push(Job { raw, parsed: Parsed::Envelope(env) }),
                    Err((raw, reason)) => self.dead_letter(&raw, &reason)?,
                }
            }
        }
        Ok(jobs)
    }

    /// A failed attempt, per the profile's retry rules.
    fn settle_failed(&mut self, job: &Job, reason: &str) -> Result<()> {
        match &job.parsed {
            Parsed::Envelope(env) => self.failed_attempt(&job.raw, env, reason),
            Parsed::Mint(v) => self.failed_mint(&job.raw, v, reason),
        }
    }

    /// Dead-lettered now, in the profile's shape.
    fn settle_dead(&mut self, job: &Job, reason: &str) -> Result<()> {
        match &job.parsed {
            Parsed::Envelope(_) => self.dead_letter(&job.raw, reason),
            Parsed::Mint(_) => self.dead_letter_mint(&job.raw, reason, "permanent"),
        }
    }
}

/// The line a stream handler reads for a message: the element as stored when it is one line;
/// a pretty-printed one compacted (the whitespace between tokens goes, every token stays byte
/// for byte), as `drain` writes it to stdout. Only valid JSON reaches here (UTF-8, and no raw
/// line break inside a string), so the result is always one line.
fn stream_line(raw: &[u8]) -> Vec<u8> {
    let mut line = if raw.contains(&b'\n') || raw.contains(&b'\r') { message::minify_json(raw) } else { raw.to_vec() };
    line.push(b'\n');
    line
}

/// One handler slot of `--exec-stream`.
struct Slot {
    handler: Option<StreamHandler>,
    /// Bumped at each start: events of a handler that was replaced are ignored.
    generation: u64,
    /// Lines sent to the current handler (its N of the next is this + 1).
    sent: u64,
    /// Answers the current handler gave.
    answered: u64,
    /// Sent and not answered, by line number.
    inflight: BTreeMap<u64, Job>,
    /// When it last answered (or was sent work while it had none): for --handler-timeout.
    last_progress: Instant,
    /// Set when we killed it: the reason its unanswered messages failed.
    killed_because: Option<String>,
}

/// The stream handlers of one drain and what they hold.
struct StreamPool {
    slots: Vec<Slot>,
    window: usize,
    events: mpsc::Receiver<(usize, u64, Event)>,
    sender: mpsc::Sender<(usize, u64, Event)>,
    /// Claimed and admitted, not yet sent to a handler.
    pending: VecDeque<Job>,
    /// Answered ok, to acknowledge in one round trip.
    acks: Vec<Vec<u8>>,
    /// The handler cannot start: the error to end the drain with.
    fatal: Option<anyhow::Error>,
}

/// How long the loop waits for an answer before looking at timeouts, heartbeats and the queue.
const STREAM_TICK: Duration = Duration::from_millis(50);

impl StreamPool {
    fn new(args: &DrainArgs) -> Self {
        let (sender, events) = mpsc::channel();
        let slots = (0..args.concurrency)
            .map(|_| Slot {
                handler: None,
                generation: 0,
                sent: 0,
                answered: 0,
                inflight: BTreeMap::new(),
                last_progress: Instant::now(),
                killed_because: None,
            })
            .collect();
        Self { slots, window: args.window as usize, events, sender, pending: VecDeque::new(), acks: Vec::new(), fatal: None }
    }

    fn inflight(&self) -> usize {
        self.slots.iter().map(|s| s.inflight.len()).sum()
    }

    fn run(mut self, d: &mut Drain, cmd: &str) -> Result<()> {
        let result = self.run_loop(d, cmd);
        // End of input for every handler; those that read to the end exit by themselves.
        for s in &mut self.slots {
            if let Some(h) = s.handler.as_mut() {
                h.close_input();
            }
        }
        let deadline = Instant::now() + Duration::from_secs(2);
        while self.slots.iter().any(|s| s.handler.is_some()) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left.max(Duration::from_millis(1))) {
                Ok((slot, generation, Event::Exited(_))) if self.slots[slot].generation == generation => {
                    if let Some(h) = self.slots[slot].handler.take() {
                        let _ = h.ended();
                    }
                }
                Ok(_) => {}
                Err(_) => break, // the rest are killed when dropped
            }
            if Instant::now() >= deadline {
                break;
            }
        }
        result?;
        match self.fatal.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn run_loop(&mut self, d: &mut Drain, cmd: &str) -> Result<()> {
        let visibility = d.args.visibility_timeout;
        let beat_every = (visibility / 3).max(Duration::from_millis(50));
        let mut next_beat = Instant::now() + beat_every;
        let mut idle_since: Option<Instant> = None;
        let mut claim_after = Instant::now();
        let mut killed_all = false;
        loop {
            while let Ok(ev) = self.events.try_recv() {
                self.on_event(d, cmd, ev)?;
            }
            let stopping = d.stopping() || self.fatal.is_some();
            // --max reached is not a reason to give back what is already taken: only a
            // signal or a fatal error are (a message brought by --wait may be the Nth).
            let halting = d.interrupts.count() > 0 || d.shared.stop.load(Ordering::SeqCst) || self.fatal.is_some();
            if d.interrupts.count() >= 2 && !killed_all {
                // Second signal: kill them; what they hold is retried (a failed attempt).
                killed_all = true;
                for s in &mut self.slots {
                    if let Some(h) = &s.handler {
                        s.killed_because.get_or_insert_with(|| "killed by a second interrupt".into());
                        h.kill();
                    }
                }
            }
            if halting && !self.pending.is_empty() {
                // Claimed, never sent: back to the front in their order, unpenalised.
                let back = self.pending.drain(..).map(|j| j.raw).collect();
                d.give_back_all(back)?;
            }
            let capacity = self.slots.len() * self.window;
            let held = self.inflight() + self.pending.len();
            let free = capacity.saturating_sub(held);
            let mut claimed_any = false;
            // Claim when a whole window (a handler could be idle) or half of all windows is
            // free: one round trip for many, not one per answer.
            if !stopping && free > 0 && (free >= self.window || free * 2 >= capacity) && Instant::now() >= claim_after {
                let granted = d.reserve(free as u64);
                if granted > 0 {
                    let (claimed, foreign) = d.q.retrying(|q| q.claim_batch(granted as usize, visibility, 1000))?;
                    d.unreserve(granted - claimed.len() as u64);
                    d.foreign(foreign);
                    if claimed.is_empty() {
                        // Nothing now: look again shortly, not at every answer.
                        claim_after = Instant::now() + Duration::from_millis(20);
                    } else {
                        idle_since = None;
                        claimed_any = true;
                        let jobs = d.admit(claimed)?;
                        self.pending.extend(jobs);
                    }
                }
            }
            if !halting {
                self.dispatch(cmd)?;
            }
            self.flush_acks(d)?;
            if self.inflight() == 0 && self.pending.is_empty() {
                if stopping {
                    return Ok(());
                }
                if claimed_any {
                    continue;
                }
                // Nothing in flight and the queue empty: wait for one message, or stop.
                let idle = *idle_since.get_or_insert_with(Instant::now);
                match d.wait_for_one(idle)? {
                    Waited::Got(e) => {
                        idle_since = None;
                        let jobs = d.admit(vec![e])?;
                        self.pending.extend(jobs);
                    }
                    Waited::Nothing => {}
                    Waited::Stop => return Ok(()),
                }
                claim_after = Instant::now();
                continue;
            }
            match self.events.recv_timeout(STREAM_TICK) {
                Ok(ev) => self.on_event(d, cmd, ev)?,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => anyhow::bail!("lost track of the stream handlers"),
            }
            if let Some(limit) = d.args.handler_timeout {
                for s in &mut self.slots {
                    if let Some(h) = &s.handler
                        && !s.inflight.is_empty()
                        && s.killed_because.is_none()
                        && s.last_progress.elapsed() >= limit
                    {
                        s.killed_because = Some(format!(
                            "no answer for {} (--handler-timeout); the stream handler was killed",
                            humantime::format_duration(limit)
                        ));
                        h.kill();
                    }
                }
            }
            if Instant::now() >= next_beat {
                // Everything claimed stays leased while this drain lives.
                let held: Vec<Vec<u8>> = self
                    .slots
                    .iter()
                    .flat_map(|s| s.inflight.values())
                    .chain(self.pending.iter())
                    .map(|j| j.raw.clone())
                    .collect();
                d.q.retrying(|q| q.extend_leases(&held, visibility))?;
                next_beat = Instant::now() + beat_every;
            }
        }
    }

    /// Sends pending messages to the handlers with room in their window (starting those that
    /// are not running), the least busy first.
    fn dispatch(&mut self, cmd: &str) -> Result<()> {
        while !self.pending.is_empty() {
            let Some(i) = (0..self.slots.len())
                .filter(|i| self.slots[*i].killed_because.is_none() && self.slots[*i].inflight.len() < self.window)
                .min_by_key(|i| self.slots[*i].inflight.len())
            else {
                return Ok(());
            };
            let s = &mut self.slots[i];
            if s.handler.is_none() {
                s.generation += 1;
                s.sent = 0;
                s.answered = 0;
                s.handler = Some(StreamHandler::start(cmd, i, s.generation, self.sender.clone())?);
            }
            let job = self.pending.pop_front().expect("pending");
            if s.inflight.is_empty() {
                s.last_progress = Instant::now();
            }
            s.sent += 1;
            s.handler.as_ref().expect("started").send(stream_line(&job.raw));
            s.inflight.insert(s.sent, job);
        }
        Ok(())
    }

    fn flush_acks(&mut self, d: &mut Drain) -> Result<()> {
        if self.acks.is_empty() {
            return Ok(());
        }
        let acks = std::mem::take(&mut self.acks);
        let acked = d.q.retrying(|q| q.ack(&acks))?;
        d.count_acks(&acked);
        Ok(())
    }

    fn on_event(&mut self, d: &mut Drain, cmd: &str, (slot, generation, ev): (usize, u64, Event)) -> Result<()> {
        let s = &mut self.slots[slot];
        if generation != s.generation || s.handler.is_none() {
            return Ok(());
        }
        let out_of_protocol = match ev {
            Event::Answer(_) | Event::Overlong if s.killed_because.is_some() => return Ok(()),
            Event::Answer(line) => match stream::parse_answer(&line) {
                // Delivery means the handler has it: a line still (partly) in drain's writer
                // thread was not given to it, whatever it says about it.
                Ok((n, _)) if s.inflight.contains_key(&n) && !s.handler.as_ref().is_some_and(|h| h.given(n)) => {
                    format!("answered for line {n}, which it had not been given yet (drain was still writing it to its stdin)")
                }
                Ok((n, verdict)) if s.inflight.contains_key(&n) => {
                    let job = s.inflight.remove(&n).expect("in flight");
                    s.answered += 1;
                    s.last_progress = Instant::now();
                    match verdict {
                        Verdict::Ok => self.acks.push(job.raw),
                        Verdict::Retry(reason) => d.settle_failed(&job, &reason)?,
                        Verdict::Dead(reason) => d.settle_dead(&job, &reason)?,
                    }
                    return Ok(());
                }
                Ok((n, _)) => format!("answered for line {n}, which is not awaiting an answer (answered already, or never sent)"),
                Err(why) => why,
            },
            Event::Overlong => "answered a line longer than 64 KiB".into(),
            Event::Exited(status) => return self.on_exit(d, cmd, slot, status),
        };
        let why = format!("out of protocol: {out_of_protocol}; the stream handler was killed");
        d.notice(why.clone());
        s.killed_because = Some(why);
        if let Some(h) = &s.handler {
            h.kill();
        }
        Ok(())
    }

    /// A handler ended: what it had not answered is a failed attempt each (retried per the
    /// profile, never acknowledged); a handler that could not start at all stops the drain.
    fn on_exit(&mut self, d: &mut Drain, cmd: &str, slot: usize, status: std::process::ExitStatus) -> Result<()> {
        let s = &mut self.slots[slot];
        let handler = s.handler.take().expect("running");
        let last: String = handler.ended().chars().take(500).collect();
        let jobs: Vec<Job> = std::mem::take(&mut s.inflight).into_values().collect();
        let killed = s.killed_because.take();
        if jobs.is_empty() {
            return Ok(());
        }
        let code = status.code();
        if killed.is_none() && s.answered == 0 && matches!(code, Some(126 | 127)) {
            // Not started at all: no attempt was made. Everything goes back, the drain stops.
            let back: Vec<Vec<u8>> = jobs.into_iter().map(|j| j.raw).chain(self.pending.drain(..).map(|j| j.raw)).collect();
            d.give_back_all(back)?;
            d.shared.stop.store(true, Ordering::SeqCst);
            let said = if last.is_empty() { String::new() } else { format!(": {last}") };
            self.fatal.get_or_insert_with(|| {
                Failure::failed(format!(
                    "the stream handler `{cmd}` could not be started (exit {}){said}; its messages were returned to the \
                     front of {} untouched (no attempt counted). Fix --exec-stream and run again",
                    code.unwrap_or_default(),
                    d.q.keys.main
                ))
                .into()
            });
            return Ok(());
        }
        let mut why = killed.unwrap_or_else(|| format!("{} without answering", stream::ended_because(status)));
        if !last.is_empty() {
            why = format!("{why}: {last}");
        }
        for job in &jobs {
            d.settle_failed(job, &why)?;
        }
        Ok(())
    }
}

/// Blocks SIGINT and SIGTERM in this thread while it lives (restoring the mask after): a reply
/// read then is never cut short by EINTR. The signals are not lost: another thread takes them
/// (see `signals::Interrupts`), and the drain acts on them once the read is done.
struct SignalsHeld(Option<nix::sys::signal::SigSet>);

impl SignalsHeld {
    fn new() -> Self {
        use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};
        let mut held = SigSet::empty();
        held.add(Signal::SIGINT);
        held.add(Signal::SIGTERM);
        let mut old = SigSet::empty();
        Self(pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&held), Some(&mut old)).ok().map(|_| old))
    }
}

impl Drop for SignalsHeld {
    fn drop(&mut self) {
        if let Some(old) = self.0.take() {
            let _ = nix::sys::signal::pthread_sigmask(nix::sys::signal::SigmaskHow::SIG_SETMASK, Some(&old), None);
        }
    }
}
