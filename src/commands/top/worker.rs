//! `top`'s reader: a thread that owns the Redis connection. Each interval it reads every queue
//! (and the open one in detail) and sends the readings to the screen; it runs the one-message
//! actions. A broken link is reported and retried each interval, never waited on by the screen.

use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Parser;

use super::model::{Action, Detail, QueueReading, Reading, Row, groups};
use crate::cli::DlqReplayArgs;
use crate::commands::dlq::Entry;
use crate::commands::dlq::replay::{Plan, plan, reason_text};
use crate::config::{Config, check_one_slot, scrub};
use crate::exit::{Code, Failure};
use crate::output;
use crate::queue::Queue;
use crate::queue::dlq::{Mode, Move, Moved};
use crate::queue::keys::{KeyOverrides, Keys, ListName};
use crate::queue::message::Element;
use crate::queue::mint::{self, FailureTag};
use crate::queue::profile::{Profile, TOOL_SEGMENT};
use crate::queue::single::{self, MemberFormat, MsgAction, MsgMove, MsgMoved};

/// Messages read of each list for the detail screen.
const PEEK: usize = 100;
/// DLQ entries (oldest first) counted for the groups.
const GROUP_SCAN: usize = 1000;

pub enum ToWorker {
    Refresh,
    Interval(Duration),
    Open(Option<String>),
    Do(Action),
}

pub enum FromWorker {
    Reading(Reading),
    Detail(Detail),
    /// The link is down (why); retrying each interval.
    Down(String),
    /// An action's outcome, or an error that is not the link's.
    Said(String),
}

/// Starts the reader; it stops when the screen drops its sender.
pub fn spawn(cfg: &Config, pattern: String, interval: Duration) -> (Sender<ToWorker>, Receiver<FromWorker>) {
    let (to_tx, to_rx) = std::sync::mpsc::channel();
    let (from_tx, from_rx) = std::sync::mpsc::channel();
    let mut target = cfg.target.clone();
    // No retry loop inside connect: it would print on the screen and hold the reader. The next
    // interval is the retry.
    target.backoff.retries = 0;
    let cfg = Config { target, keys: cfg.keys.clone(), warnings: vec![], context: cfg.context.clone(), sqs: None };
    std::thread::Builder::new()
        .name("top-reader".into())
        .spawn(move || {
            Worker { cfg, pattern, interval, q: None, open: None, heads: HashMap::new(), names: vec![], found: None }
                .run(&to_rx, &from_tx)
        })
        .expect("spawning the reader thread");
    (to_tx, from_rx)
}

struct Worker {
    cfg: Config,
    pattern: String,
    interval: Duration,
    q: Option<Queue>,
    open: Option<String>,
    /// Each queue's main-list head at the last reading (for the rates).
    heads: HashMap<String, Option<Vec<u8>>>,
    /// The queues found by the last SCAN, and when: a SCAN walks the whole keyspace, so it runs
    /// every [`DISCOVER_EVERY`] (and on `r`), not every refresh.
    names: Vec<String>,
    found: Option<Instant>,
}

/// How often the server is scanned again for queues.
const DISCOVER_EVERY: Duration = Duration::from_secs(30);

impl Worker {
    fn run(mut self, rx: &Receiver<ToWorker>, tx: &Sender<FromWorker>) {
        let mut next = Instant::now();
        loop {
            match rx.recv_timeout(next.saturating_duration_since(Instant::now())) {
                Ok(ToWorker::Refresh) => {
                    self.found = None;
                    next = Instant::now();
                }
                Ok(ToWorker::Interval(d)) => {
                    self.interval = d;
                    next = next.min(Instant::now() + d);
                }
                Ok(ToWorker::Open(o)) => {
                    self.open = o;
                    next = Instant::now();
                }
                Ok(ToWorker::Do(a)) => {
                    let said = match connected(&mut self.q, &self.cfg) {
                        Ok(q) => act(q, &self.cfg, &a).unwrap_or_else(|e| format!("{}; nothing changed", says(&e))),
                        Err(e) => format!("not connected ({}): nothing changed", says(&e)),
                    };
                    if tx.send(FromWorker::Said(said)).is_err() {
                        return;
                    }
                    next = Instant::now();
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if Instant::now() < next {
                continue;
            }
            next = Instant::now() + self.interval;
            let sent = match self.refresh(tx) {
                Ok(()) => Ok(()),
                Err(e) if link_down(&e) => {
                    self.q = None;
                    self.found = None;
                    tx.send(FromWorker::Down(says(&e)))
                }
                Err(e) => tx.send(FromWorker::Said(says(&e))),
            };
            if sent.is_err() {
                return;
            }
        }
    }

    fn refresh(&mut self, tx: &Sender<FromWorker>) -> Result<()> {
        let (pattern, cfg, heads) = (&self.pattern, &self.cfg, &mut self.heads);
        let q = connected(&mut self.q, cfg)?;
        if self.found.is_none_or(|at| at.elapsed() >= DISCOVER_EVERY) {
            let own = format!(":{TOOL_SEGMENT}");
            self.names = q.discover_queues(pattern)?.into_iter().filter(|n| !n.contains(&own)).collect();
            self.found = Some(Instant::now());
        }
        let names = self.names.clone();
        let mut reading = Reading { queues: Vec::new(), notes: Vec::new() };
        let mut fresh = HashMap::new();
        for name in names {
            let keys = keys_for(cfg, &name);
            if cfg.target.cluster.is_some()
                && let Err(e) = check_one_slot(&keys)
            {
                reading.notes.push(format!("skipped {name}: {e}"));
                continue;
            }
            let depth = q.depth_of(&keys)?;
            let flow = q.flow(&keys.main, heads.get(&name).map(|h| h.as_deref()))?;
            fresh.insert(name.clone(), flow.head.clone());
            reading.queues.push(QueueReading { name, depth, flow });
        }
        *heads = fresh;
        let _ = tx.send(FromWorker::Reading(reading));
        if let Some(open) = self.open.clone() {
            let keys = keys_for(&self.cfg, &open);
            let q = self.q.as_mut().expect("connected above");
            q.keys = keys;
            let _ = tx.send(FromWorker::Detail(detail(q, &open)?));
        }
        Ok(())
    }
}

/// The connection, opened when there is none (once: the next interval is the retry).
fn connected<'a>(q: &'a mut Option<Queue>, cfg: &Config) -> Result<&'a mut Queue> {
    if q.is_none() {
        *q = Some(Queue::connect(&cfg.target, cfg.keys.clone())?);
    }
    Ok(q.as_mut().expect("just connected"))
}

/// The keys of a queue found on the server: the configured queue's own (with its overrides and
/// profile), else the default names and the profile its name implies (as `depth --all-queues`).
fn keys_for(cfg: &Config, name: &str) -> Keys {
    if name == cfg.keys.main {
        return cfg.keys.clone();
    }
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    Keys::new(name, &KeyOverrides::default(), Profile::for_queue(name), &env)
}

/// The link broke, the server is not there (yet), or it refused us: retried each interval.
fn link_down(e: &anyhow::Error) -> bool {
    crate::exit::is_transient(e) || e.chain().any(|c| c.downcast_ref::<Failure>().is_some_and(|f| f.code == Code::Unreachable))
}

/// An error as one line, secrets scrubbed.
fn says(e: &anyhow::Error) -> String {
    scrub(&format!("{e:#}")).replace(['\n', '\r'], " ")
}

fn shorten(s: &str, max: usize) -> String {
    let one = s.replace(['\n', '\r'], " ");
    if one.chars().count() <= max { one } else { format!("{}…", one.chars().take(max - 1).collect::<String>()) }
}

/// The id a row shows: message_id, else (mint) the idempotency key, else the bytes.
fn id_of(profile: Profile, place: ListName, raw: &[u8]) -> String {
    let ident = single::identify(profile, place, raw);
    ident.message_id.or(ident.idempotency_key).unwrap_or_else(|| shorten(&output::display_bytes(raw), 40))
}

fn message_info(profile: Profile, place: ListName, raw: &[u8], now_ms: i64) -> (String, String) {
    let bytes = single::message_bytes(profile, place, raw);
    if profile == Profile::Mint {
        let v: serde_json::Value = serde_json::from_slice(bytes).unwrap_or_default();
        let text = |k: &str| v.get(k).map_or("-".to_owned(), |x| x.as_str().map_or_else(|| x.to_string(), str::to_owned));
        return (format!("model {} _retryCount {}", text("model_id"), text("_retryCount")), "-".into());
    }
    let el = Element::parse(bytes.to_vec());
    let info = match el.envelope() {
        Some(e) => {
            format!("{} retry {}", e.message_type().unwrap_or("-"), e.retry_count().map_or("-".to_owned(), |n| n.to_string()))
        }
        None => el.shape_name().to_owned(),
    };
    (info, output::human_age(output::age_seconds(&el, now_ms)))
}

/// The open queue: the next messages of each list, the DLQ's oldest and its groups.
fn detail(q: &mut Queue, name: &str) -> Result<Detail> {
    let profile = q.keys.profile;
    let mut lists: [Vec<Row>; 4] = Default::default();
    let mut now_ms = 0;
    for (i, place) in [ListName::Main, ListName::Processing].into_iter().enumerate() {
        let p = q.peek(place, false, 0, PEEK)?;
        now_ms = p.now_ms;
        lists[i] = p
            .elements
            .into_iter()
            .map(|(position, el)| {
                let raw = el.raw;
                let (info, age) = message_info(profile, place, &raw, p.now_ms);
                Row { position, id: id_of(profile, place, &raw), info, age, raw }
            })
            .collect();
    }
    let r = q.peek_retry(false, PEEK)?;
    lists[2] = r
        .members
        .into_iter()
        .enumerate()
        .map(|(i, (raw, due))| {
            let when = if due <= r.now_ms {
                "due now".to_owned()
            } else {
                format!("due in {}", output::human_age(Some((due - r.now_ms) as f64 / 1000.0)))
            };
            let (info, age) = message_info(profile, ListName::Retry, &raw, r.now_ms);
            Row { position: i as u64, id: id_of(profile, ListName::Retry, &raw), info: format!("{when}; {info}"), age, raw }
        })
        .collect();
    let (len, _) = q.dlq_len_and_time()?;
    let entries = q.dlq_read(0, GROUP_SCAN)?;
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for (i, raw) in entries.into_iter().enumerate() {
        let (label, age) = if profile == Profile::Mint {
            match mint::parse_entry(&raw) {
                Some(e) if e.has_reason => {
                    (format!("{}: {}", FailureTag::classify(&e.reason).as_str(), shorten(&e.reason, 60)), "-".into())
                }
                _ => (FailureTag::SchemaReject.as_str().to_owned(), "-".into()),
            }
        } else {
            let e = Entry::parse(i as u64, raw.clone());
            let label = match (e.has_envelope(), e.error()) {
                (_, Some(err)) => shorten(err, 60),
                (true, None) => "(no error recorded)".into(),
                (false, None) => format!("(not an envelope: {})", e.shape_name()),
            };
            (label, output::human_age(e.age_seconds(now_ms)))
        };
        // Mint: grouped by failure tag alone (the deployer's classification).
        let group = if profile == Profile::Mint { label.split(':').next().unwrap_or_default().to_owned() } else { label.clone() };
        *counts.entry(group).or_default() += 1;
        if i < PEEK {
            lists[3].push(Row { position: i as u64, id: id_of(profile, ListName::Dlq, &raw), info: label, age, raw });
        }
    }
    let counted: u64 = counts.values().sum();
    Ok(Detail { queue: name.to_owned(), profile, lists, groups: groups(counts, 8), grouped: (counted, len) })
}

/// `dlq replay`'s defaults (what `hokusai-queue dlq replay --id ID --yes` would use).
fn replay_defaults() -> DlqReplayArgs {
    #[derive(Parser)]
    struct Defaults {
        #[command(flatten)]
        args: DlqReplayArgs,
    }
    Defaults::try_parse_from(["top", "--yes"]).expect("dlq replay's defaults parse").args
}

/// Runs one confirmed action; the sentence says what happened.
fn act(q: &mut Queue, cfg: &Config, a: &Action) -> Result<String> {
    match a {
        Action::Replay { queue, position, raw, id } => {
            q.keys = keys_for(cfg, queue);
            let args = replay_defaults();
            let keys = q.keys.clone();
            let e = Entry::parse(*position, raw.clone());
            let (dest, element, counter) = match plan(&e, &args, &keys, cfg.target.cluster.is_some()) {
                Plan::Skip(why) => return Ok(format!("not replayed: {}", reason_text(why, &args))),
                Plan::Replay { dest, element, counter } => (dest, element, counter),
            };
            let mode = Mode::Replay { dest: dest.clone(), max_replays: args.max_replays(), force: false };
            q.load_dlq_scripts()?;
            q.send_dlq_move(&mode, &[Move { hint: *position, entry: raw, new: &element, counter: &counter }])?;
            let (outcomes, _) = q.recv_dlq_move(&mode)?;
            Ok(match outcomes.first() {
                Some(Moved::Done) => format!("replayed {id} onto {dest}"),
                Some(Moved::Limit) => format!(
                    "not replayed: {id} was replayed {} times already (`hokusai-queue --queue {queue} dlq replay --id {id} --force` overrides)",
                    args.max_replays()
                ),
                _ => format!("gone: {id} was moved or deleted by someone else first; nothing changed"),
            })
        }
        Action::Requeue { queue, place, raw, id } => {
            q.keys = keys_for(cfg, queue);
            let profile = q.keys.profile;
            let s = q.find_messages(&[*place], &|_, r| r == raw.as_slice())?;
            let Some(f) = s.found.first() else {
                return Ok(format!("gone: {id} is no longer in {}; nothing changed", place.as_str()));
            };
            if *place == ListName::Retry && MemberFormat::of(profile, raw) == MemberFormat::Foreign {
                return Ok(format!("not requeued: the retry member of {id} is not in the {profile} profile's retry format"));
            }
            if *place == ListName::Processing {
                match f.lease_ms {
                    Some(d) if d > s.now_ms => {
                        return Ok(format!(
                            "not requeued: {id}'s lease is alive for {} more: a consumer holds it (`message requeue {id} --force` takes it anyway)",
                            output::human_age(Some((d - s.now_ms) as f64 / 1000.0))
                        ));
                    }
                    None => {
                        return Ok(format!(
                            "not requeued: {id} has no lease, so a consumer that writes none may be working on it (`message requeue {id} --force` takes it anyway)"
                        ));
                    }
                    Some(_) => {}
                }
            }
            let push = single::message_bytes(profile, *place, raw).to_vec();
            let guard = *place == ListName::Processing;
            let m = MsgMove { action: MsgAction::Requeue, place: *place, raw, push: Some(&push), guard };
            Ok(match q.move_message(&m)? {
                MsgMoved::Done { .. } if q.keys.profile == crate::queue::profile::Profile::Mint => {
                    format!("requeued {id} to the newest end of {} (LPUSH, as the deployer promotes)", q.keys.main)
                }
                MsgMoved::Done { .. } => format!("requeued {id} to the consumer end of {}", q.keys.main),
                MsgMoved::Gone => format!("gone: {id} was moved by someone else first; nothing changed"),
                MsgMoved::Held { .. } => format!("not requeued: a consumer took {id}'s lease meanwhile; nothing changed"),
            })
        }
    }
}
