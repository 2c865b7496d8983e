//! The only code that speaks Redis: connection, error mapping, and the `Queue` API.
//! Every move between keys is one Lua script (see `scripts/`); commands never call Redis.

/// A Lua script from `scripts/`, with the shared prelude prepended.
macro_rules! script {
    ($file:literal) => {
        LazyLock::new(|| Script::new(concat!(include_str!("scripts/prelude.lua"), include_str!(concat!("scripts/", $file)))))
    };
}

pub mod conn;
pub mod consume;
pub mod dlq;
pub mod doctor;
pub mod fast_payload;
pub mod flow;
pub mod keys;
pub mod message;
pub mod metrics;
pub mod migrate;
pub mod mint;
pub mod mint_dlq;
pub mod mint_fast;
pub mod profile;
pub mod single;

use std::sync::LazyLock;
use std::time::Duration;

use anyhow::{Context, Result};
use redis::{ErrorKind, RedisError, Script, Value};

use crate::config::Target;
use crate::exit::Failure;
use keys::{Keys, ListName};
use message::Element;

static DEPTH: LazyLock<Script> = script!("depth.lua");
static PEEK: LazyLock<Script> = script!("peek.lua");
static PUSH: LazyLock<Script> = script!("push.lua");
static PEEK_RETRY: LazyLock<Script> = script!("peek_retry.lua");

/// How long an emit run's progress marker is kept (for `--resume`).
pub const EMIT_PROGRESS_SECS: u64 = 86_400;
/// How long a `dlq import`'s progress is kept (importing the same file again adds nothing).
pub const IMPORT_PROGRESS_SECS: u64 = 30 * 86_400;

/// One connection to one queue.
pub struct Queue {
    con: conn::Conn,
    pub keys: Keys,
    target: Target,
    /// Replies of commands "sent" on a cluster connection, which runs each at once (see
    /// `dlq::Queue::send`): received in order, like a single connection's pipeline.
    deferred: std::collections::VecDeque<redis::RedisResult<Value>>,
    /// The consumer this connection claims for (`host:pid`), recorded with each lease it
    /// takes (see [`Keys::holders`]); None: leases without a holder.
    holder: Option<String>,
    /// Set by a drain to stdout: its leases carry no holder, and its acks drop none (see
    /// [`Queue::without_holders`]).
    no_holders: bool,
}

/// Lengths of every part of a queue, read in one atomic step.
#[derive(Debug, Clone)]
pub struct Depth {
    pub main: u64,
    pub processing: u64,
    pub dlq: u64,
    pub retry: u64,
    pub retry_due: u64,
    pub leases: u64,
    /// The element the next consumer will take, if any.
    pub oldest: Option<Element>,
    /// The longest-held element of the processing list (its tail), if any.
    pub oldest_processing: Option<Element>,
    /// The server's clock when the lengths were read (ms since the epoch).
    pub now_ms: i64,
    /// The discipline the queue was read with.
    pub profile: profile::Profile,
    /// Mint: the deployer's other keys.
    pub mint: Option<MintDepth>,
}

/// The mint profile's part of `depth`: what the deployer's health checks and alarms watch, and
/// what they do not (the retry set, the failure tags of the DLQ).
#[derive(Debug, Clone, Default)]
pub struct MintDepth {
    /// Members of the retry set the deployer will promote now (0 <= score <= now).
    pub retry_due: u64,
    /// The earliest due time among members not yet due (ms), if any.
    pub next_due_ms: Option<i64>,
    /// Settled idempotency keys (SCARD of the processed set).
    pub processed: u64,
    pub settlements: u64,
    pub audit: u64,
    /// DLQ entries by failure tag (the official tool's classification; unparseable entries
    /// count as schema_reject, as it shows them). Only the newest `DLQ_TAG_SCAN` are read.
    pub dlq_by_tag: std::collections::BTreeMap<&'static str, u64>,
    /// Whether the DLQ was longer than what was read for the tags.
    pub dlq_tags_partial: bool,
}

/// How many DLQ entries `depth` reads to count failure tags (the mint DLQ is small by nature:
/// every entry is a reward someone must look at).
pub const DLQ_TAG_SCAN: i64 = 10_000;

/// Elements read from one end of a list, without changing it.
#[derive(Debug)]
pub struct Peeked {
    pub len: u64,
    pub now_ms: i64,
    /// (position in consumption order, 0 = next out; the element).
    pub elements: Vec<(u64, Element)>,
}

/// Members of a retry set read without changing it.
#[derive(Debug)]
pub struct RetryPeek {
    pub len: u64,
    pub now_ms: i64,
    /// (member exactly as stored, due time in ms).
    pub members: Vec<(Vec<u8>, i64)>,
}

/// A range of cluster slots and its master: (host, port, node id, first slot, last slot).
type SlotRange = (String, u16, String, u16, u16);

/// One batch of `push_pipelined`: its messages and the marker it records when it lands.
pub struct Batch<'a> {
    pub messages: &'a [Outgoing],
    pub marker: String,
}

/// One EVALSHA of `push.lua`: a batch, where it goes, and its progress marker.
struct PushCall<'a> {
    hash: &'a str,
    main: &'a str,
    progress: &'a str,
    batch: &'a [Outgoing],
    channel: Option<&'a str>,
    marker: &'a str,
    expected: &'a str,
    keep_secs: u64,
}

impl PushCall<'_> {
    /// Every argument of the command, in order, to `f`.
    fn each_arg(&self, mut f: impl FnMut(&[u8])) {
        let n = self.batch.len().to_string();
        let keep = self.keep_secs.to_string();
        for a in [
            "EVALSHA",
            self.hash,
            "2",
            self.main,
            self.progress,
            &n,
            self.channel.unwrap_or(""),
            self.marker,
            self.expected,
            &keep,
        ] {
            f(a.as_bytes());
        }
        for o in self.batch {
            f(&o.element);
        }
        if self.channel.is_some() {
            for o in self.batch {
                f(o.notice());
            }
        }
    }

    fn arg_count(&self) -> usize {
        10 + self.batch.len() * if self.channel.is_some() { 2 } else { 1 }
    }

    /// As a `Cmd` (what a cluster connection routes).
    fn cmd(&self) -> redis::Cmd {
        let mut cmd = redis::Cmd::new();
        self.each_arg(|a| {
            cmd.arg(a);
        });
        cmd
    }

    /// Packed straight into RESP in `out` (cleared first): each element is copied once, not
    /// into a `Cmd` and then again into its packed form.
    fn pack_into(&self, out: &mut Vec<u8>) {
        out.clear();
        out.push(b'*');
        out.extend_from_slice(self.arg_count().to_string().as_bytes());
        out.extend_from_slice(b"\r\n");
        self.each_arg(|a| {
            out.push(b'$');
            out.extend_from_slice(a.len().to_string().as_bytes());
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(a);
            out.extend_from_slice(b"\r\n");
        });
    }
}

/// One message to push: the element and, when publishing, the payload JSON for the notice.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub element: Vec<u8>,
    notice: Notice,
}

/// The notice is usually the payload's bytes inside the element: kept as a range, not a copy.
#[derive(Debug, Clone)]
enum Notice {
    Within(std::ops::Range<usize>),
    Owned(Vec<u8>),
}

impl Outgoing {
    /// An element whose notice is `element[range]`.
    pub fn with_notice_within(element: Vec<u8>, range: std::ops::Range<usize>) -> Self {
        assert!(range.end <= element.len(), "the notice lies inside the element");
        Self { element, notice: Notice::Within(range) }
    }

    pub fn with_notice(element: Vec<u8>, notice: Vec<u8>) -> Self {
        Self { element, notice: Notice::Owned(notice) }
    }

    /// The payload JSON published after the push.
    pub fn notice(&self) -> &[u8] {
        match &self.notice {
            Notice::Within(r) => &self.element[r.clone()],
            Notice::Owned(v) => v,
        }
    }
}

impl Queue {
    /// Connects, retrying connection failures with exponential backoff and full jitter.
    /// Authentication and permission errors are not retried.
    pub fn connect(target: &Target, keys: Keys) -> Result<Self> {
        let con = open(target)?;
        Ok(Self { con, keys, target: target.clone(), deferred: Default::default(), holder: None, no_holders: false })
    }

    /// Records this process (`host:pid`) as the holder of every lease this connection takes
    /// from now on (drain does; shown by peek and message inspect).
    pub fn name_consumer(&mut self) {
        let host = nix::unistd::gethostname().ok().and_then(|h| h.into_string().ok()).unwrap_or_else(|| "?".into());
        self.holder = Some(format!("{host}:{}", std::process::id()));
    }

    /// A consumer that holds each batch for milliseconds (drain to stdout) records no holder
    /// and its acks skip the holder hash: hashing every 840-byte element twice more in the
    /// scripts cost a fifth of the drain's rate, for a record nobody could see. A holder
    /// field left by an earlier claimer of the same bytes is dropped by reap-stale's scan.
    pub fn without_holders(&mut self) {
        self.holder = None;
        self.no_holders = true;
    }

    pub fn holder(&self) -> Option<&str> {
        self.holder.as_deref()
    }

    /// Drops the connection and opens a new one (same retry policy as `connect`).
    pub fn reconnect(&mut self) -> Result<()> {
        self.con = open(&self.target)?;
        Ok(())
    }

    /// Runs `op`, and when it fails because the link broke (or the server is still loading),
    /// reconnects with the connection flags' backoff and runs it again: a Redis restart that
    /// is back within the budget costs a pause, not the run. A reply lost with the link may
    /// have been applied: callers use operations that say so when repeated (an ack of an
    /// element already gone is reported as such, a claim whose reply was lost leaves leased
    /// elements that `reap-stale` returns).
    pub fn retrying<T>(&mut self, mut op: impl FnMut(&mut Queue) -> Result<T>) -> Result<T> {
        let mut breaks = 0;
        loop {
            match op(self) {
                Err(e) if crate::exit::is_transient(&e) && breaks <= self.target.backoff.retries => {
                    breaks += 1;
                    eprintln!("hokusai-queue: {}; reconnecting", crate::config::scrub(&format!("{e:#}")));
                    std::thread::sleep(self.target.backoff.delay(breaks - 1));
                    self.reconnect()?;
                }
                other => return other,
            }
        }
    }

    pub fn endpoint(&self) -> String {
        self.target.endpoint()
    }

    /// Maps a Redis error to a failure with the right exit code and a message that names the
    /// server (never the password) and, when known, the key.
    pub fn error(&self, e: RedisError, doing: &str) -> anyhow::Error {
        map_error(e, &self.target, doing)
    }

    pub fn depth(&mut self) -> Result<Depth> {
        let keys = self.keys.clone();
        self.depth_of(&keys)
    }

    /// The depth of another queue on the same server (for `depth --all-queues`).
    pub fn depth_of(&mut self, k: &Keys) -> Result<Depth> {
        let mut inv = DEPTH.prepare_invoke();
        inv.key(&k.main).key(&k.processing).key(&k.dlq).key(&k.retry).key(&k.leases);
        let v: Vec<Value> = inv.invoke(&mut self.con).map_err(|e| self.error(e, "reading the queue depth"))?;
        let int = |i: usize| -> i64 { v.get(i).and_then(|x| redis::from_redis_value_ref::<i64>(x).ok()).unwrap_or(0) };
        let element = |i: usize| match v.get(i) {
            Some(Value::BulkString(b)) => Some(Element::parse(b.clone())),
            _ => None,
        };
        let (oldest, oldest_processing) = (element(6), element(8));
        let mint = if k.profile == profile::Profile::Mint { Some(self.mint_depth(k, int(7))?) } else { None };
        Ok(Depth {
            profile: k.profile,
            mint,
            main: int(0) as u64,
            processing: int(1) as u64,
            dlq: int(2) as u64,
            retry: int(3) as u64,
            retry_due: int(4) as u64,
            leases: int(5) as u64,
            oldest,
            oldest_processing,
            now_ms: int(7),
        })
    }

    /// The mint profile's extra figures, in one atomic read.
    fn mint_depth(&mut self, k: &Keys, now_ms: i64) -> Result<MintDepth> {
        let mut pipe = redis::pipe();
        pipe.atomic()
            .cmd("ZCOUNT")
            .arg(&k.retry)
            .arg(0)
            .arg(now_ms)
            .cmd("ZRANGEBYSCORE")
            .arg(&k.retry)
            .arg(format!("({now_ms}"))
            .arg("+inf")
            .arg("WITHSCORES")
            .arg("LIMIT")
            .arg(0)
            .arg(1)
            .cmd("SCARD")
            .arg(&k.processed)
            .cmd("LLEN")
            .arg(&k.settlements)
            .cmd("LLEN")
            .arg(&k.audit)
            .cmd("LRANGE")
            .arg(&k.dlq)
            .arg(0)
            .arg(DLQ_TAG_SCAN - 1)
            .cmd("LLEN")
            .arg(&k.dlq);
        #[allow(clippy::type_complexity)]
        let (due, next, processed, settlements, audit, entries, dlq_len): (
            u64,
            Vec<(Vec<u8>, f64)>,
            u64,
            u64,
            u64,
            Vec<Vec<u8>>,
            u64,
        ) = pipe.query(&mut self.con).map_err(|e| self.error(e, "reading the mint queue's keys"))?;
        let mut dlq_by_tag = std::collections::BTreeMap::new();
        for raw in &entries {
            let tag = match mint::parse_entry(raw) {
                Some(e) if e.has_reason => mint::FailureTag::classify(&e.reason),
                _ => mint::FailureTag::SchemaReject,
            };
            *dlq_by_tag.entry(tag.as_str()).or_insert(0) += 1;
        }
        Ok(MintDepth {
            retry_due: due,
            next_due_ms: next.first().map(|(_, s)| *s as i64),
            processed,
            settlements,
            audit,
            dlq_by_tag,
            dlq_tags_partial: dlq_len > entries.len() as u64,
        })
    }

    /// Reads up to `limit` elements of a list from its oldest end (the next consumed) or its
    /// newest. Positions count in consumption order: 0 is the next element out.
    pub fn peek(&mut self, list: ListName, newest_first: bool, offset: u64, limit: usize) -> Result<Peeked> {
        let key = self.keys.list(list).to_owned();
        let limit = limit.min(i64::MAX as usize / 2) as i64;
        let offset = offset.min(i64::MAX as u64 / 2) as i64;
        // --limit 0: the length and the clock, no element (LRANGE 1 0 is always empty).
        // `offset` elements are skipped from the chosen end.
        let (start, stop) = match (limit, newest_first) {
            (0, _) => (1, 0),
            (_, true) => (offset, offset + limit - 1),
            (_, false) => (-offset - limit, -offset - 1),
        };
        let v: Vec<Value> = PEEK
            .key(&key)
            .arg(start)
            .arg(stop)
            .invoke(&mut self.con)
            .map_err(|e| self.error(e, &format!("reading list {key}")))?;
        let mut it = v.into_iter();
        let len = it.next().and_then(|x| redis::from_redis_value::<u64>(x).ok()).unwrap_or(0);
        let now_ms = it.next().and_then(|x| redis::from_redis_value::<i64>(x).ok()).unwrap_or(0);
        let raws: Vec<Vec<u8>> = it.map(|x| redis::from_redis_value::<Vec<u8>>(x).unwrap_or_default()).collect();
        let n = raws.len() as u64;
        let skip = offset as u64;
        let elements = if newest_first {
            // LRANGE 0.. starts at the head (newest): position counts from the tail.
            raws.into_iter().enumerate().map(|(i, r)| (len.saturating_sub(1 + skip + i as u64), Element::parse(r))).collect()
        } else {
            // LRANGE -n..-1 ends at the tail (oldest): reverse so position `offset` comes first.
            // (A range reaching past the head is cut short there by Redis: the reversed
            // elements still start at position `offset`.)
            raws.into_iter().rev().enumerate().map(|(i, r)| (skip + i as u64, Element::parse(r))).collect()
        };
        debug_assert!(n <= len);
        Ok(Peeked { len, now_ms, elements })
    }

    /// Reads up to `limit` members of the retry set, soonest due first (or latest first), with
    /// their due times (ms), the set's size and the server clock. Reads only.
    pub fn peek_retry(&mut self, latest_first: bool, limit: usize) -> Result<RetryPeek> {
        let key = self.keys.retry.clone();
        let v: Vec<Value> = PEEK_RETRY
            .key(&key)
            .arg(limit.min(i64::MAX as usize))
            .arg(if latest_first { "1" } else { "0" })
            .invoke(&mut self.con)
            .map_err(|e| self.error(e, &format!("reading {key}")))?;
        let mut it = v.into_iter();
        let len = it.next().and_then(|x| redis::from_redis_value::<u64>(x).ok()).unwrap_or(0);
        let now_ms = it.next().and_then(|x| redis::from_redis_value::<i64>(x).ok()).unwrap_or(0);
        let rest: Vec<Value> = it.collect();
        let members = rest
            .chunks(2)
            .filter_map(|p| {
                let m = redis::from_redis_value_ref::<Vec<u8>>(p.first()?).ok()?;
                let s = redis::from_redis_value_ref::<f64>(p.get(1)?).ok()?;
                Some((m, s as i64))
            })
            .collect();
        Ok(RetryPeek { len, now_ms, members })
    }

    /// Pushes one batch in one atomic step, with no progress marker (a single message).
    pub fn push_one(&mut self, batch: &[Outgoing], channel: Option<&str>) -> Result<(), RedisError> {
        let main = &self.keys.main;
        let call = PushCall {
            hash: PUSH.get_hash(),
            main,
            progress: main,
            batch,
            channel,
            marker: "",
            expected: "",
            keep_secs: EMIT_PROGRESS_SECS,
        };
        let cmd = call.cmd();
        match cmd.query::<Value>(&mut self.con) {
            Err(e) if e.kind() == ErrorKind::Server(redis::ServerErrorKind::NoScript) => {
                PUSH.load(&mut self.con)?;
                cmd.query::<Value>(&mut self.con).map(drop)
            }
            other => other.map(drop),
        }
    }

    /// Pushes batches with up to `window` of them in flight on the connection, each atomic and
    /// each recording its marker in `progress_key` only if the previous batch recorded its own
    /// (`expected` is what the key holds now; `None`: it must not exist). So batches land in
    /// order or not at all. `landed(i)` is called as batch `i` is confirmed. On failure returns
    /// the index of the first batch not confirmed, and the error.
    pub fn push_pipelined(
        &mut self,
        batches: &[Batch<'_>],
        channel: Option<&str>,
        progress_key: &str,
        expected: Option<&str>,
        window: usize,
        landed: &mut dyn FnMut(usize),
    ) -> Result<(), (usize, RedisError)> {
        let main = self.keys.main.clone();
        self.push_pipelined_to(&main, batches, channel, (progress_key, EMIT_PROGRESS_SECS), expected, window, landed)
    }

    /// `push_pipelined` onto any list of the queue (`dlq import` pushes onto the DLQ).
    #[allow(clippy::too_many_arguments)]
    pub fn push_pipelined_to(
        &mut self,
        main: &str,
        batches: &[Batch<'_>],
        channel: Option<&str>,
        (progress_key, keep_secs): (&str, u64),
        expected: Option<&str>,
        window: usize,
        landed: &mut dyn FnMut(usize),
    ) -> Result<(), (usize, RedisError)> {
        let hash = PUSH.load(&mut self.con).map_err(|e| (0, e))?;
        let mut previous = expected.unwrap_or("").to_owned();
        // Each batch's call: this, with its messages, its marker and the one before it.
        let base =
            PushCall { hash: &hash, main, progress: progress_key, batch: &[], channel, marker: "", expected: "", keep_secs };
        let Some(con) = self.con.single() else {
            // A cluster connection routes one command at a time: one batch in flight.
            for (i, b) in batches.iter().enumerate() {
                PushCall { batch: b.messages, marker: &b.marker, expected: &previous, ..base }
                    .cmd()
                    .query::<Value>(&mut self.con)
                    .map_err(|e| (i, e))?;
                previous = b.marker.clone();
                landed(i);
            }
            return Ok(());
        };
        let mut in_flight = std::collections::VecDeque::new();
        let mut next = 0;
        let mut packed = Vec::new();
        loop {
            while in_flight.len() < window.max(1) && next < batches.len() {
                let b = &batches[next];
                PushCall { batch: b.messages, marker: &b.marker, expected: &previous, ..base }.pack_into(&mut packed);
                if let Err(e) = con.send_packed_command(&packed) {
                    return Err((in_flight.front().copied().unwrap_or(next), e));
                }
                previous = b.marker.clone();
                in_flight.push_back(next);
                next += 1;
            }
            let Some(i) = in_flight.pop_front() else { return Ok(()) };
            match con.recv_response().and_then(Value::extract_error) {
                Ok(_) => landed(i),
                Err(e) => {
                    if !is_connection_error(&e) {
                        // The batches behind it were refused by the order check; read their
                        // replies so the connection stays usable.
                        for _ in in_flight {
                            let _ = con.recv_response();
                        }
                    }
                    return Err((i, e));
                }
            }
        }
    }

    /// Finds every queue on the server whose name matches `pattern`. SCAN (on every master of a
    /// cluster), so the server never blocks. What counts as a queue:
    /// - a LIST with no known suffix: a main list;
    /// - `<name>:processing` (a LIST) or the tool's own `<name>:hokusai-queue:retry|leases`
    ///   (ZSETs): someone consumes `<name>` the way this tool does;
    /// - `<name>:dlq`, `<name>:dlq:audit` (LISTs) and `<name>:retry|leases` (ZSETs) only when
    ///   something corroborates them: `<name>` is a known queue (a profile's name), or its main
    ///   list or processing list exists, or one of the newest entries of `<name>:dlq` is a JSON
    ///   object (a dead letter; both shapes in the wild are objects). Other programs keep lists
    ///   with those suffixes (the evaluation scheduler's `hokusai:eval:v1:dlq` holds bare job
    ///   ids): they are not queues, and a queue invented from them would invite a replay.
    pub fn discover_queues(&mut self, pattern: &str) -> Result<Vec<String>> {
        /// Whether `name`, seen only through a `:dlq` list or a `:retry`/`:leases` sorted set,
        /// is a queue. Each key is asked on its own (on a cluster they may live in different
        /// slots).
        fn corroborated(q: &mut Queue, name: &str) -> Result<bool> {
            /// How many of the newest DLQ entries are looked at.
            const SAMPLE: isize = 5;
            if profile::Profile::for_queue(name) != profile::Profile::Opaque {
                return Ok(true);
            }
            let doing = format!("looking at the keys of {name}");
            let type_of = |q: &mut Queue, key: &str| -> Result<String> {
                redis::cmd("TYPE").arg(key).query::<String>(&mut q.con).map_err(|e| q.error(e, &doing))
            };
            if type_of(q, name)? == "list" || type_of(q, &format!("{name}:processing"))? == "list" {
                return Ok(true);
            }
            let dlq = format!("{name}:dlq");
            if type_of(q, &dlq)? != "list" {
                return Ok(false);
            }
            let newest: Vec<Vec<u8>> = redis::cmd("LRANGE")
                .arg(&dlq)
                .arg(0)
                .arg(SAMPLE - 1)
                .query(&mut q.con)
                .map_err(|e| q.error(e, &format!("reading the newest entries of {dlq}")))?;
            Ok(newest.iter().any(|raw| {
                raw.trim_ascii_start().starts_with(b"{")
                    && serde_json::from_slice::<serde_json::Value>(raw).is_ok_and(|v| v.is_object())
            }))
        }

        let mut names = std::collections::BTreeSet::new();
        let mut unconfirmed = std::collections::BTreeSet::new();
        let nodes = self.scan_nodes()?;
        for node in &nodes {
            let lists = &[(":processing", true), (":dlq:audit", false), (":dlq", false)][..];
            let zsets =
                &[(":hokusai-queue:retry", true), (":hokusai-queue:leases", true), (":retry", false), (":leases", false)][..];
            for (ty, suffixes) in [("list", lists), ("zset", zsets)] {
                let mut cursor: u64 = 0;
                loop {
                    let mut cmd = redis::cmd("SCAN");
                    cmd.arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(1000).arg("TYPE").arg(ty);
                    let reply = match (node, self.con.cluster()) {
                        (Some(route), Some(c)) => c.route_command(&cmd, route.clone()),
                        _ => cmd.query::<Value>(&mut self.con),
                    };
                    let (next, keys): (u64, Vec<String>) = reply
                        .and_then(|v| redis::from_redis_value(v).map_err(Into::into))
                        .map_err(|e| self.error(e, "scanning for queues"))?;
                    for key in keys {
                        let base = suffixes.iter().find_map(|(s, sure)| key.strip_suffix(s).map(|b| (b, *sure)));
                        match (ty, base) {
                            (_, Some((base, true))) => names.insert(base.to_owned()),
                            (_, Some((base, false))) => unconfirmed.insert(base.to_owned()),
                            // The deployer's settlement list grows forever by design (no consumer):
                            // an output, never a queue to watch or gate on.
                            ("list", None) if is_settlement_list(&key) => false,
                            ("list", None) => names.insert(key),
                            _ => false,
                        };
                    }
                    if next == 0 {
                        break;
                    }
                    cursor = next;
                }
            }
        }
        for name in unconfirmed {
            if !names.contains(&name) && corroborated(self, &name)? {
                names.insert(name);
            }
        }
        Ok(names.into_iter().collect())
    }

    /// In cluster mode, a plain connection to the master that serves the queue's slot (what
    /// `doctor` examines); `None` outside cluster mode.
    pub fn slot_owner(&mut self) -> Result<Option<Queue>> {
        use redis::cluster_routing::{Route, RoutingInfo, SingleNodeRoutingInfo, SlotAddr};
        let slot = keys::slot(&self.keys.main);
        let Some(c) = self.con.cluster() else { return Ok(None) };
        let route = RoutingInfo::SingleNode(SingleNodeRoutingInfo::SpecificNode(Route::new(slot, SlotAddr::Master)));
        let reply =
            c.route_command(redis::cmd("CLUSTER").arg("MYID"), route).map_err(|e| self.error(e, "finding the queue's node"))?;
        let my_id: String = redis::from_redis_value(reply).map_err(|e| self.error(e.into(), "finding the queue's node"))?;
        let slots = self.cluster_slots()?;
        let owner = slots.into_iter().find(|(_, _, id, lo, hi)| *id == my_id && (*lo..=*hi).contains(&slot));
        let Some((host, port, ..)) = owner else {
            return Err(crate::exit::Failure::failed(format!("no master serves slot {slot} of {}", self.keys.main)).into());
        };
        let mut target = self.target.clone();
        let addr = match target.info.addr().clone() {
            redis::ConnectionAddr::TcpTls { insecure, tls_params, .. } => {
                redis::ConnectionAddr::TcpTls { host, port, insecure, tls_params }
            }
            _ => redis::ConnectionAddr::Tcp(host, port),
        };
        target.info = target.info.set_addr(addr);
        target.cluster = None;
        Queue::connect(&target, self.keys.clone()).map(Some)
    }

    /// CLUSTER SLOTS: each slot range with its master.
    fn cluster_slots(&mut self) -> Result<Vec<SlotRange>> {
        use redis::cluster_routing::{RoutingInfo, SingleNodeRoutingInfo};
        let Some(c) = self.con.cluster() else { return Ok(vec![]) };
        let slots = c
            .route_command(redis::cmd("CLUSTER").arg("SLOTS"), RoutingInfo::SingleNode(SingleNodeRoutingInfo::Random))
            .and_then(|v| redis::from_redis_value::<Vec<Vec<Value>>>(v).map_err(Into::into))
            .map_err(|e| self.error(e, "reading the cluster's slot map"))?;
        let mut out = Vec::new();
        for range in slots {
            let num = |i: usize| range.get(i).and_then(|v| redis::from_redis_value_ref::<u16>(v).ok());
            let owner = range.get(2).and_then(|v| redis::from_redis_value_ref::<Vec<Value>>(v).ok()).unwrap_or_default();
            let text = |i: usize| owner.get(i).and_then(|v| redis::from_redis_value_ref::<String>(v).ok());
            let port = owner.get(1).and_then(|v| redis::from_redis_value_ref::<u16>(v).ok());
            if let (Some(lo), Some(hi), Some(host), Some(port)) = (num(0), num(1), text(0), port) {
                out.push((host, port, text(2).unwrap_or_default(), lo, hi));
            }
        }
        Ok(out)
    }

    /// Where a SCAN must run: the one server (`None`), or every master of the cluster.
    fn scan_nodes(&mut self) -> Result<Vec<Option<redis::cluster_routing::RoutingInfo>>> {
        use redis::cluster_routing::{RoutingInfo, SingleNodeRoutingInfo};
        if self.con.cluster().is_none() {
            return Ok(vec![None]);
        }
        let masters: std::collections::BTreeSet<(String, u16)> =
            self.cluster_slots()?.into_iter().map(|(host, port, ..)| (host, port)).collect();
        Ok(masters
            .into_iter()
            .map(|(host, port)| Some(RoutingInfo::SingleNode(SingleNodeRoutingInfo::ByAddress { host, port })))
            .collect())
    }

    /// Redis `WAIT n timeout`: blocks until `n` replicas have acknowledged every write this
    /// connection made, or the timeout passes. Returns how many acknowledged (may be < n).
    pub fn wait_replicas(&mut self, n: u32, timeout: Duration) -> Result<u64> {
        let ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX).max(1);
        // The reply comes after up to `timeout`: read for longer than that.
        self.con.set_read_timeout(Some(blocking_read_timeout(&self.target, timeout))).context("setting the read timeout")?;
        let acked = redis::cmd("WAIT").arg(n).arg(ms).query::<u64>(&mut self.con);
        self.con.set_read_timeout(Some(self.target.command_timeout)).context("setting the read timeout")?;
        acked.map_err(|e| self.error(e, "waiting for replicas (WAIT)"))
    }

    /// Sets a plain string key of the tool's own, expiring after `secs`.
    pub fn set_string_ex(&mut self, key: &str, value: &str, secs: u64) -> Result<()> {
        redis::cmd("SET")
            .arg(key)
            .arg(value)
            .arg("EX")
            .arg(secs.max(1))
            .query::<()>(&mut self.con)
            .map_err(|e| self.error(e, &format!("writing {key}")))
    }

    /// Reads a plain string key (the emit progress marker).
    pub fn get_string(&mut self, key: &str) -> Result<Option<String>> {
        self.try_get_string(key).map_err(|e| self.error(e, &format!("reading {key}")))
    }

    /// [`Self::get_string`] with the Redis error as it is (to tell a broken link apart).
    pub fn try_get_string(&mut self, key: &str) -> Result<Option<String>, RedisError> {
        redis::cmd("GET").arg(key).query(&mut self.con)
    }
}

/// Opens one connection with the target's timeouts, retrying connection-level failures.
fn open(target: &Target) -> Result<conn::Conn> {
    // rustls needs one process-wide crypto provider; ring is the one compiled in.
    static PROVIDER: std::sync::Once = std::sync::Once::new();
    PROVIDER.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    if let Some(seeds) = &target.cluster {
        return open_cluster(target, seeds);
    }
    let client = redis::Client::open(target.info.clone()).map_err(|e| map_error(e, target, "configuring the connection"))?;
    let mut attempt = 0;
    loop {
        let connected = client.get_connection_with_timeout(target.connect_timeout).and_then(|mut con| {
            con.set_read_timeout(Some(target.command_timeout))?;
            con.set_write_timeout(Some(target.command_timeout))?;
            // A server still loading its dataset (just restarted) accepts the connection and
            // answers LOADING to every command: ask once, so that it counts as not reachable
            // yet and is retried like a refused connection. Any other answer (a user without
            // +ping, NOAUTH) is left to the first real command to report.
            match redis::cmd("PING").query::<Value>(&mut con) {
                Err(e) if e.kind() == ErrorKind::Server(redis::ServerErrorKind::BusyLoading) || is_connection_error(&e) => Err(e),
                _ => Ok(con),
            }
        });
        match connected {
            Ok(con) => return Ok(conn::Conn::Single(con)),
            Err(e) if is_connection_error(&e) && tls_problem(&e).is_none() && attempt < target.backoff.retries => {
                let pause = target.backoff.delay(attempt);
                // Say each retry: a server that accepts but never answers is not 40 s of silence.
                let why = if e.is_timeout() { "timed out".to_owned() } else { e.to_string() };
                eprintln!(
                    "hokusai-queue: cannot reach Redis at {} ({}); retry {} of {} in {:.1?}",
                    target.endpoint(),
                    crate::config::scrub(&why),
                    attempt + 1,
                    target.backoff.retries,
                    pause
                );
                std::thread::sleep(pause);
                attempt += 1;
            }
            Err(e) => {
                let doing = if attempt > 0 { format!("connecting ({} attempts)", attempt + 1) } else { "connecting".into() };
                return Err(map_error(e, target, &doing));
            }
        }
    }
}

/// A cluster connection: the client reads the slot map from the seeds, then routes each command
/// by its first key, following MOVED/ASK and refreshing the map after a failover.
fn open_cluster(target: &Target, seeds: &[redis::ConnectionInfo]) -> Result<conn::Conn> {
    let mut builder = redis::cluster::ClusterClientBuilder::new(seeds.to_vec())
        .connection_timeout(target.connect_timeout)
        .response_timeout(target.command_timeout)
        .retries(target.backoff.retries.max(1) * 4)
        .min_retry_wait(100)
        .max_retry_wait(2000);
    if let Some(pem) = &target.ca_pem {
        builder = builder.certs(redis::TlsCertificates { client_tls: None, root_cert: Some(pem.clone()) });
    }
    let client = builder.build().map_err(|e| map_error(e, target, "configuring the cluster client"))?;
    let mut attempt = 0;
    loop {
        match client.get_connection() {
            Ok(con) => {
                con.set_read_timeout(Some(target.command_timeout)).context("setting the read timeout")?;
                con.set_write_timeout(Some(target.command_timeout)).context("setting the write timeout")?;
                return Ok(conn::Conn::Cluster(Box::new(con)));
            }
            Err(e) if is_connection_error(&e) && attempt < target.backoff.retries => {
                std::thread::sleep(target.backoff.delay(attempt));
                attempt += 1;
            }
            Err(e) => return Err(map_error(e, target, "connecting to the cluster")),
        }
    }
}

/// Whether an error means "the server could not be reached or the link broke" (worth a retry).
/// A server still loading its dataset after a restart (LOADING) counts: it is not there yet,
/// and the command was not run.
pub fn is_connection_error(e: &RedisError) -> bool {
    e.is_io_error()
        || e.is_timeout()
        || e.is_connection_refusal()
        || e.is_connection_dropped()
        || e.kind() == ErrorKind::Server(redis::ServerErrorKind::BusyLoading)
}

/// Extra read time for a blocking command that waits `block` on the server.
pub fn blocking_read_timeout(target: &Target, block: Duration) -> Duration {
    block + target.command_timeout
}

/// What went wrong in a TLS handshake, said for people, when `e` is a TLS failure.
/// (rustls reports it inside an io::Error that the redis crate wraps; its text is stable.)
fn tls_problem(e: &RedisError) -> Option<String> {
    let text = e.to_string();
    if let Some(i) = text.find("invalid peer certificate") {
        let why = text[i..].trim_start_matches("invalid peer certificate").trim_start_matches(':').trim();
        let hint = if why.contains("NotValidForName") {
            "the certificate does not name this host: connect with the host name it was issued for"
        } else if why.contains("Expired") || why.contains("NotValidYet") {
            "the certificate is outside its validity period: renew it (or check the clocks)"
        } else {
            "pass the CA that signed it with --tls-ca-cert FILE (or --tls-insecure for a test server only)"
        };
        return Some(format!("TLS certificate verification failed ({why}): {hint}"));
    }
    let lowered = text.to_ascii_lowercase();
    if lowered.contains("received corrupt message") || lowered.contains("invalidcontenttype") {
        return Some(format!(
            "TLS handshake failed ({text}): the server may not speak TLS on this port; use redis:// for a plain port"
        ));
    }
    if lowered.contains("handshake") || lowered.contains("alert") || lowered.contains("peer sent no certificates") {
        return Some(format!("TLS handshake failed ({text})"));
    }
    None
}

fn map_error(e: RedisError, target: &Target, doing: &str) -> anyhow::Error {
    let at = target.endpoint();
    if e.kind() == ErrorKind::AuthenticationFailed || e.code() == Some("WRONGPASS") {
        let user = target.info.redis_settings().username().map_or(String::new(), |u| format!(" for user {u:?}"));
        return Failure::unreachable(format!(
            "authentication failed{user} at {at} while {doing}: check the password \
             ($REDIS_AUTH_TOKEN, --password-file, or the user:password of --redis-url) and the user (--user, $REDIS_USERNAME)"
        ))
        .into();
    }
    if e.code() == Some("NOAUTH") {
        return Failure::unreachable(format!(
            "authentication required at {at}: the server wants a password; set $REDIS_AUTH_TOKEN or --password-file"
        ))
        .into();
    }
    if let Some(tls) = tls_problem(&e) {
        return Failure::unreachable(format!("cannot connect to Redis at {at} while {doing}: {tls}")).into();
    }
    // A command a Lua script calls is checked against the same ACL user; Redis reports a
    // refusal there as a plain ERR.
    let in_script = e.detail().is_some_and(|d| d.contains("user executing the script can't"));
    if e.code() == Some("NOPERM") || in_script {
        let detail = e.detail().unwrap_or("no permission");
        let detail = detail.split(" script:").next().unwrap_or(detail).trim_end_matches([' ', '.']);
        let user = target.info.redis_settings().username().unwrap_or("default");
        return Failure::unreachable(format!(
            "permission denied at {at} while {doing}: {detail}; the Redis ACL user {user:?} lacks a command, key or channel \
             this needs (README: Production, ACL roles; `hokusai-queue doctor` shows which)"
        ))
        .into();
    }
    if e.kind() == ErrorKind::Server(redis::ServerErrorKind::BusyLoading) {
        return Failure::transient(format!(
            "Redis at {at} is still loading its dataset into memory (LOADING) while {doing}: it has just started or \
             restarted; try again when it is done (--connect-retries and --connect-backoff-cap wait longer)"
        ))
        .into();
    }
    if is_connection_error(&e) {
        let why = if e.is_timeout() { "timed out".to_owned() } else { e.to_string() };
        let plain = matches!(target.info.addr(), redis::ConnectionAddr::Tcp(..));
        let connecting = doing.starts_with("connecting");
        let hint = if plain && connecting && e.is_connection_dropped() && !e.is_connection_refusal() {
            " (the server closed the connection during the handshake: if it only speaks TLS, use a rediss:// URL)"
        } else if !plain && connecting && e.is_timeout() {
            " (a rediss:// URL aimed at a port that does not speak TLS also ends like this)"
        } else {
            ""
        };
        return Failure::transient(format!("cannot reach Redis at {at} while {doing}: {why}{hint}")).into();
    }
    if e.code() == Some("WRONGTYPE") {
        let detail = e.detail().unwrap_or("a key holds the wrong type");
        let detail = detail.split(" script:").next().unwrap_or(detail);
        return Failure::failed(format!(
            "{detail} (while {doing}); another program uses this key name: point --queue or the --*-key flags elsewhere"
        ))
        .into();
    }
    Failure::failed(format!("Redis error at {at} while {doing}: {e}")).into()
}

/// The deployer's settlement output list (`hokusai:mint_request_settlements`, or
/// `$MINT_REQUEST_SETTLEMENT_QUEUE`): a list, but not a queue.
fn is_settlement_list(key: &str) -> bool {
    let bare: String = key.chars().filter(|c| *c != '{' && *c != '}').collect();
    bare == "hokusai:mint_request_settlements"
        || std::env::var("MINT_REQUEST_SETTLEMENT_QUEUE").is_ok_and(|k| !k.is_empty() && (k == key || k == bare))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_packed_push_is_what_redis_rs_packs() {
        let batch = vec![
            Outgoing::with_notice_within(b"{\"payload\":{\"a\":1}}".to_vec(), 11..18),
            Outgoing::with_notice(b"x\r\n\xff".to_vec(), b"n".to_vec()),
        ];
        for channel in [None, Some("q:pubsub")] {
            let call = PushCall {
                hash: "abc",
                main: "q",
                progress: "q:emit:1",
                batch: &batch,
                channel,
                marker: "7",
                expected: "",
                keep_secs: 86400,
            };
            let mut out = Vec::new();
            call.pack_into(&mut out);
            assert_eq!(out, call.cmd().get_packed_command());
            // And the arguments are the ones push.lua reads.
            let text = String::from_utf8_lossy(&out);
            let n = if channel.is_some() { 14 } else { 12 };
            assert!(text.starts_with(&format!("*{n}\r\n$7\r\nEVALSHA\r\n$3\r\nabc\r\n$1\r\n2\r\n$1\r\nq\r\n")), "{text}");
            assert!(text.contains("$1\r\nq\r\n$8\r\nq:emit:1\r\n$1\r\n2\r\n"), "{text}");
        }
    }
}
