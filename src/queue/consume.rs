//! Reliable consumption: claim with a lease, heartbeat, ack, retry later, dead-letter, reap.
//! Each method is one Lua script, so a message is in exactly one place at every instant.

use std::sync::LazyLock;
use std::time::Duration;

use anyhow::Result;
use redis::{Script, Value};

use super::Queue;

static CLAIM: LazyLock<Script> = script!("claim.lua");
static LEASE: LazyLock<Script> = script!("lease.lua");
static ACK: LazyLock<Script> = script!("ack.lua");
static SETTLE: LazyLock<Script> = script!("settle.lua");
static PROMOTE: LazyLock<Script> = script!("promote.lua");
static REAP_SCAN: LazyLock<Script> = script!("reap_scan.lua");
static LEASE_GC: LazyLock<Script> = script!("lease_gc.lua");
static NEXT_RETRY: LazyLock<Script> = script!("next_retry.lua");
static RECLAIM_MINT: LazyLock<Script> = script!("reclaim_mint.lua");
static CLAIM_BEGIN: LazyLock<Script> = script!("claim_begin.lua");
static CLAIM_BEGIN_CODE: &str = concat!(include_str!("scripts/prelude.lua"), include_str!("scripts/claim_begin.lua"));
static CLAIM_CHECK: LazyLock<Script> = script!("claim_check.lua");
static BATCH_EXTEND: LazyLock<Script> = script!("batch_extend.lua");

/// What `reclaim_mint` did with a stale mint element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reclaimed {
    /// Back at the inbound head, byte for byte.
    Requeued,
    /// Its key is in the processed set: it settled and only its ack was lost; removed.
    Settled,
    /// Reclaimed too often already: dead-lettered in the deployer's shape.
    DeadLettered,
    /// Its clock was extended meanwhile (a live consumer of the tool's own).
    Alive,
    /// No longer in processing.
    Gone,
}

/// Where `settle` puts an element it takes out of processing.
#[derive(Debug, Clone, Copy)]
pub enum Dest {
    /// The tool's own retry set, due after the delay (a failed attempt with retries left).
    RetryIn(Duration),
    /// A peer's retry set, due after the delay, with the new element as the member exactly.
    RetryMemberIn(Duration),
    /// The dead-letter list.
    DeadLetter,
    /// The consumer end of main: next to be taken (returned unstarted, or reclaimed).
    Front,
}

/// What `settle` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Moved,
    /// The element was no longer in processing: someone else acked or reclaimed it.
    Gone,
    /// Its lease was extended after the caller decided it had expired (a live consumer).
    Alive,
}

/// What one claim took.
#[derive(Debug, Default)]
pub struct Claimed {
    /// The elements, oldest first.
    pub elements: Vec<Vec<u8>>,
    /// The holder field (SHA-1, hex) of each element, when a holder was recorded; else empty.
    pub digests: Vec<String>,
    /// Due retries left in place because they are not in the profile's retry format.
    pub foreign: u64,
    /// A batched claim that found its script gone (the server restarted): the elements are
    /// the caller's as usual, and [`Queue::prepare_batched`] must run again.
    pub noscript: bool,
    /// A batched claim whose first step (promotion, the batch lease) failed after its moves
    /// were made (a MULTI does not roll back): the elements are still the caller's to handle,
    /// and this is the error to report once they are.
    pub failed: Option<anyhow::Error>,
}

/// A look at the processing list for `reap-stale`.
#[derive(Debug, Default)]
pub struct Scan {
    pub len: u64,
    /// Elements without a lease whose clock was started (or would be, in a dry run).
    pub adopted: u64,
    /// The earliest deadline among live leases (ms, server clock), if any.
    pub next_deadline_ms: Option<i64>,
    /// Elements whose lease has expired, one entry per copy.
    pub expired: Vec<Vec<u8>>,
}

/// Whether a processing list of `len` elements needs [`Queue::gc_leases`] after a scan: longer
/// than one scan window (the scan script cleans shorter ones itself), and not so long that the
/// clean-up's LPOS checks would cost too much.
pub fn needs_lease_gc(len: u64) -> bool {
    len > SCAN_WINDOW as u64 && len <= LEASE_GC_MAX
}

/// How many processing elements one scan script looks at.
const SCAN_WINDOW: i64 = 1000;

/// Above this many processing elements, `gc_leases` is not run by a scan (each candidate costs
/// an LPOS over the list): reap-stale says so.
pub const LEASE_GC_MAX: u64 = 200_000;

/// How the profile's retry set is read by the scripts (see `retry_member_ok` in prelude.lua).
fn retry_mode(k: &super::keys::Keys) -> &'static str {
    if k.profile == super::profile::Profile::Mint { "mint" } else { "nonce" }
}

fn millis(d: Duration) -> u64 {
    d.as_millis().min(u64::MAX as u128) as u64
}

/// A blocking wait was cut short by a signal (EINTR).
#[derive(Debug)]
pub struct SignalDuringWait;

impl std::fmt::Display for SignalDuringWait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("interrupted by a signal while waiting for messages")
    }
}

impl std::error::Error for SignalDuringWait {}

impl Queue {
    /// Takes up to `n` messages from main into processing, leasing each for `visibility`.
    /// Due retries (up to `promote` of them) are first moved to the back of main, in the same
    /// step, so a drain needs one round trip per batch.
    /// Returns the claimed elements, and how many due retries were left in place because they
    /// are not in the profile's retry format (a peer's or a hand-written member).
    pub fn claim_batch(&mut self, n: usize, visibility: Duration, promote: usize) -> Result<(Vec<Vec<u8>>, u64)> {
        let c = self.claim(n, visibility, promote)?;
        Ok((c.elements, c.foreign))
    }

    /// [`Self::claim_batch`], with the holder field the claim recorded each element under
    /// (its SHA-1, hex), for [`Self::ack_claimed`].
    pub fn claim(&mut self, n: usize, visibility: Duration, promote: usize) -> Result<Claimed> {
        let k = &self.keys;
        let mut inv = CLAIM.prepare_invoke();
        inv.key(&k.main).key(&k.processing).key(&k.leases).key(&k.retry).key(k.holders());
        inv.arg(n).arg(millis(visibility)).arg(promote).arg(retry_mode(k)).arg(self.holder.as_deref().unwrap_or(""));
        let v: Vec<Value> = inv.invoke(&mut self.con).map_err(|e| self.error(e, "claiming messages"))?;
        let mut it = v.into_iter();
        let foreign = it.next().and_then(|x| redis::from_redis_value::<u64>(x).ok()).unwrap_or(0);
        let digests: Vec<String> = it.next().and_then(|x| redis::from_redis_value(x).ok()).unwrap_or_default();
        let elements: Vec<Vec<u8>> = it.map(|x| redis::from_redis_value::<Vec<u8>>(x).unwrap_or_default()).collect();
        let digests = if digests.len() == elements.len() { digests } else { Vec::new() };
        Ok(Claimed { elements, digests, foreign, noscript: false, failed: None })
    }

    /// Whether this connection can claim and acknowledge in batches of plain commands (a MULTI
    /// on one server; the cluster client runs no MULTI, and uses the scripts).
    pub fn can_batch(&mut self) -> bool {
        self.con.single().is_some()
    }

    /// Before a drain's first batched claim (and after its script was lost): checks the keys'
    /// types and the user's permissions, writing nothing (see claim_check.lua), then loads the
    /// claim script the batched claims run by its SHA-1.
    /// Returns false when the user may not run MULTI or EXEC (the caller claims with the scripts).
    pub fn prepare_batched(&mut self) -> Result<bool> {
        let k = &self.keys;
        let allowed = CLAIM_CHECK
            .key(&k.main)
            .key(&k.processing)
            .key(&k.retry)
            .key(&k.leases)
            .key(&k.batch_leases)
            .key(&k.batches)
            .invoke::<i64>(&mut self.con)
            .map_err(|e| self.error(e, "claiming messages"))?;
        if allowed == 0 {
            return Ok(false);
        }
        redis::cmd("SCRIPT")
            .arg("LOAD")
            .arg(CLAIM_BEGIN_CODE)
            .query::<String>(&mut self.con)
            .map_err(|e| self.error(e, "loading the claim script"))?;
        Ok(true)
    }

    /// Starts a batch lease on its own (a batched claim that found its script gone did not).
    pub fn start_batch(&mut self, batch: &str, visibility: Duration) -> Result<()> {
        let k = &self.keys;
        CLAIM_BEGIN
            .key(&k.retry)
            .key(&k.main)
            .key(&k.processing)
            .key(&k.batch_leases)
            .arg(0)
            .arg(retry_mode(k))
            .arg(batch)
            .arg(millis(visibility))
            .invoke::<i64>(&mut self.con)
            .map(|_| ())
            .map_err(|e| self.error(e, "starting a batch lease"))
    }

    /// [`Self::claim`] without a lease per element (issue 16): one MULTI of `claim_begin.lua`
    /// (due retries promoted, and with `batch` the batch's lease started) and `n` RPOPLPUSH,
    /// so the server never handles an element as a Lua string. Without `batch` the elements are
    /// unleased, as the platform's own consumer leaves them: `reap-stale` starts their clock
    /// when it first sees them, so a drain that delivers at once needs none. With `batch` the
    /// caller records the elements next ([`Self::record_batch`]) and keeps the batch alive
    /// ([`Self::extend_batches`]) while they wait in a pipe. Only where [`Self::can_batch`].
    pub fn claim_batched(&mut self, n: usize, visibility: Duration, promote: usize, batch: Option<&str>) -> Result<Claimed> {
        let pipe = self.batched_claim(n, visibility, promote, batch);
        let v: Vec<Value> = pipe.query(&mut self.con).map_err(|e| self.error(e, "claiming messages"))?;
        Ok(self.claimed_from(v))
    }

    /// [`Self::claim_batched`] in two halves, so a drain can claim its next batch while it
    /// delivers this one: sends the claim and returns at once. Nothing else may be sent on this
    /// connection before [`Self::claim_batched_recv`] took the reply.
    pub fn claim_batched_send(&mut self, n: usize, visibility: Duration, promote: usize, batch: Option<&str>) -> Result<()> {
        let packed = self.batched_claim(n, visibility, promote, batch).get_packed_pipeline();
        let Some(con) = self.con.single() else { anyhow::bail!("a batched claim needs a connection to one server") };
        let sent = con.send_packed_command(&packed);
        sent.map_err(|e| self.error(e, "claiming messages"))
    }

    /// The reply to [`Self::claim_batched_send`] of `n`.
    pub fn claim_batched_recv(&mut self, n: usize) -> Result<Claimed> {
        // claim_begin and the moves.
        let v = self.recv_exec(n.max(1) + 1, "claiming messages")?;
        Ok(self.claimed_from(v))
    }

    /// The replies to a MULTI of `commands` sent with `send_packed_command`: MULTI's OK, a QUEUED
    /// each, then EXEC's array, which is returned.
    fn recv_exec(&mut self, commands: usize, doing: &str) -> Result<Vec<Value>> {
        let Some(con) = self.con.single() else { anyhow::bail!("{doing}: a MULTI sent ahead needs a connection to one server") };
        let mut last = Ok(Value::Nil);
        for _ in 0..commands + 2 {
            last = con.recv_response();
            if last.is_err() {
                break;
            }
        }
        match last.map_err(|e| self.error(e, doing))? {
            Value::Array(v) => Ok(v),
            Value::ServerError(e) => Err(self.error(e.into(), doing)),
            other => anyhow::bail!("{doing}: unexpected reply to EXEC: {other:?}"),
        }
    }

    fn batched_claim(&self, n: usize, visibility: Duration, promote: usize, batch: Option<&str>) -> redis::Pipeline {
        let k = &self.keys;
        let mut pipe = redis::pipe();
        pipe.atomic().ignore_errors();
        let begin = pipe.cmd("EVALSHA").arg(CLAIM_BEGIN.get_hash());
        match batch {
            Some(id) => begin
                .arg(4)
                .arg(&k.retry)
                .arg(&k.main)
                .arg(&k.processing)
                .arg(&k.batch_leases)
                .arg(promote)
                .arg(retry_mode(k))
                .arg(id)
                .arg(millis(visibility)),
            None => begin.arg(3).arg(&k.retry).arg(&k.main).arg(&k.processing).arg(promote).arg(retry_mode(k)),
        };
        for _ in 0..n.max(1) {
            pipe.cmd("RPOPLPUSH").arg(&k.main).arg(&k.processing);
        }
        pipe
    }

    /// The elements of a batched claim's EXEC reply (see [`Claimed::failed`]).
    fn claimed_from(&self, v: Vec<Value>) -> Claimed {
        let mut it = v.into_iter();
        let mut claimed = Claimed::default();
        match it.next() {
            Some(Value::ServerError(e)) if e.code() == "NOSCRIPT" => claimed.noscript = true,
            Some(Value::ServerError(e)) => claimed.failed = Some(self.error(e.into(), "claiming messages")),
            Some(x) => claimed.foreign = redis::from_redis_value::<u64>(x).unwrap_or(0),
            None => {}
        }
        for x in it {
            match x {
                Value::BulkString(e) => claimed.elements.push(e),
                Value::Nil => break,
                // WRONGTYPE: nothing moved (the first move's error; the rest are the same).
                Value::ServerError(e) if claimed.elements.is_empty() && claimed.failed.is_none() => {
                    claimed.failed = Some(self.error(e.into(), "claiming messages"))
                }
                _ => {}
            }
        }
        claimed
    }

    /// Records the elements of a batch claimed with [`Self::claim_batched`], so that
    /// `reap-stale` and `settle` know which elements its lease covers.
    pub fn record_batch(&mut self, batch: &str, record: &[u8]) -> Result<()> {
        redis::cmd("HSET")
            .arg(&self.keys.batches)
            .arg(batch)
            .arg(record)
            .query::<()>(&mut self.con)
            .map_err(|e| self.error(e, "recording a claimed batch"))
    }

    /// [`Self::record_batch`] sent without waiting for its reply (see [`Self::claim_batched_send`]).
    pub fn record_batch_send(&mut self, batch: &str, record: &[u8]) -> Result<()> {
        let packed = redis::cmd("HSET").arg(&self.keys.batches).arg(batch).arg(record).get_packed_command();
        let Some(con) = self.con.single() else { anyhow::bail!("a batched claim needs a connection to one server") };
        let sent = con.send_packed_command(&packed);
        sent.map_err(|e| self.error(e, "recording a claimed batch"))
    }

    /// The reply to [`Self::record_batch_send`].
    pub fn record_batch_recv(&mut self) -> Result<()> {
        let Some(con) = self.con.single() else { anyhow::bail!("a batched claim needs a connection to one server") };
        match con.recv_response() {
            Ok(Value::ServerError(e)) => Err(self.error(e.into(), "recording a claimed batch")),
            Ok(_) => Ok(()),
            Err(e) => Err(self.error(e, "recording a claimed batch")),
        }
    }

    /// The record of a batch's elements ([`Keys::batches`]): each as `<length>\n<bytes>`.
    pub fn batch_record(elements: &[Vec<u8>]) -> Vec<u8> {
        let mut blob = Vec::with_capacity(elements.iter().map(|e| e.len() + 8).sum());
        for e in elements {
            blob.extend_from_slice(e.len().to_string().as_bytes());
            blob.push(b'\n');
            blob.extend_from_slice(e);
        }
        blob
    }

    /// Extends the leases of batches still leased (the heartbeat of a drain into a pipe).
    pub fn extend_batches(&mut self, batches: &[String], visibility: Duration) -> Result<()> {
        if batches.is_empty() {
            return Ok(());
        }
        let mut inv = BATCH_EXTEND.prepare_invoke();
        inv.key(&self.keys.batch_leases).arg(millis(visibility));
        for b in batches {
            inv.arg(b);
        }
        inv.invoke::<i64>(&mut self.con).map(|_| ()).map_err(|e| self.error(e, "extending batch leases"))
    }

    /// Acknowledges elements claimed with [`Self::claim_batched`]: one MULTI of LREM per
    /// element (from the tail, where a whole claim sits), and the leases and records of the
    /// batches in `done` dropped in the same step. Returns, per element, whether it was there.
    pub fn ack_batched(&mut self, elements: &[Vec<u8>], done: &[String]) -> Result<Vec<bool>> {
        if elements.is_empty() && done.is_empty() {
            return Ok(vec![]);
        }
        let v: Vec<Value> =
            self.batched_ack(elements, done).query(&mut self.con).map_err(|e| self.error(e, "acknowledging messages"))?;
        Ok(Self::removed(v, elements.len()))
    }

    /// [`Self::ack_batched`] of elements only, sent without waiting for its reply (see
    /// [`Self::claim_batched_send`]): the drain to a file acknowledges a batch it flushed while
    /// it goes on with the next. Nothing else may be sent before [`Self::ack_batched_recv`].
    pub fn ack_batched_send(&mut self, elements: &[Vec<u8>], done: &[String]) -> Result<()> {
        let packed = self.batched_ack(elements, done).get_packed_pipeline();
        let Some(con) = self.con.single() else { anyhow::bail!("a batched ack needs a connection to one server") };
        let sent = con.send_packed_command(&packed);
        sent.map_err(|e| self.error(e, "acknowledging messages"))
    }

    /// The reply to [`Self::ack_batched_send`] of `n` elements and `done` batches: whether
    /// each element was there.
    pub fn ack_batched_recv(&mut self, n: usize, done: usize) -> Result<Vec<bool>> {
        let v = self.recv_exec(n + if done > 0 { 2 } else { 0 }, "acknowledging messages")?;
        Ok(Self::removed(v, n))
    }

    /// The ack MULTI: one LREM per element (from the tail, where a whole claim sits), then the
    /// leases and records of the batches in `done` dropped.
    fn batched_ack(&self, elements: &[Vec<u8>], done: &[String]) -> redis::Pipeline {
        let k = &self.keys;
        let mut pipe = redis::pipe();
        pipe.atomic();
        for e in elements {
            pipe.cmd("LREM").arg(&k.processing).arg(-1).arg(e);
        }
        if !done.is_empty() {
            pipe.cmd("ZREM").arg(&k.batch_leases).arg(done);
            pipe.cmd("HDEL").arg(&k.batches).arg(done);
        }
        pipe
    }

    /// Whether each of the first `n` LREMs of an ack's replies removed its element.
    fn removed(v: Vec<Value>, n: usize) -> Vec<bool> {
        v.into_iter().take(n).map(|x| redis::from_redis_value::<i64>(x).unwrap_or(0) > 0).collect()
    }

    /// Drops batch leases and records (the elements were all settled another way).
    pub fn drop_batches(&mut self, done: &[String]) -> Result<()> {
        self.ack_batched(&[], done).map(|_| ())
    }

    /// Waits up to `block` for a message and moves it into processing (BRPOPLPUSH), then leases
    /// it. A crash between the two leaves an unleased element that `reap-stale` adopts.
    pub fn claim_blocking(&mut self, block: Duration, visibility: Duration) -> Result<Option<Vec<u8>>> {
        let timeout = block.as_secs_f64().max(0.01);
        self.con
            .set_read_timeout(Some(super::blocking_read_timeout(&self.target, block)))
            .map_err(|e| self.error(e, "setting the read timeout"))?;
        let got: Result<Option<Vec<u8>>, _> = redis::cmd("BRPOPLPUSH")
            .arg(&self.keys.main)
            .arg(&self.keys.processing)
            .arg(format!("{timeout:.3}"))
            .query(&mut self.con);
        self.con.set_read_timeout(Some(self.target.command_timeout)).map_err(|e| self.error(e, "setting the read timeout"))?;
        let got = match got {
            // A signal arrived while blocked (a socket with a timeout is never restarted). The
            // connection may still owe the reply: drop it, open a fresh one, let the caller decide.
            Err(e) if e.to_string().contains("os error 4") => {
                self.reconnect()?;
                return Err(SignalDuringWait.into());
            }
            other => other.map_err(|e| self.error(e, &format!("waiting for messages on {}", self.keys.main)))?,
        };
        if let Some(e) = &got {
            self.extend_lease(e, visibility)?;
        }
        Ok(got)
    }

    /// The heartbeat: pushes the element's lease deadline to now + `visibility`. Returns false
    /// when the element is no longer in processing.
    pub fn extend_lease(&mut self, element: &[u8], visibility: Duration) -> Result<bool> {
        let k = &self.keys;
        let n: i64 = LEASE
            .key(&k.processing)
            .key(&k.leases)
            .key(k.holders())
            .arg(element)
            .arg(millis(visibility))
            .arg(self.holder.as_deref().unwrap_or(""))
            .invoke(&mut self.con)
            .map_err(|e| self.error(e, "extending a lease"))?;
        Ok(n == 1)
    }

    /// The heartbeat of many held elements: the lease script for each, pipelined (one round
    /// trip per 500) instead of one round trip each, so a drain holding thousands of messages
    /// (`--exec-stream` windows, a pipe reader's batches) renews them all well within the
    /// visibility timeout. The first goes through the usual invocation, which loads the script
    /// if the server lost it; a chunk that fails is retried element by element.
    pub fn extend_leases(&mut self, elements: &[Vec<u8>], visibility: Duration) -> Result<()> {
        let Some((first, rest)) = elements.split_first() else { return Ok(()) };
        self.extend_lease(first, visibility)?;
        let (ms, holder) = (millis(visibility), self.holder.clone().unwrap_or_default());
        for chunk in rest.chunks(500) {
            let k = &self.keys;
            let mut pipe = redis::pipe();
            for e in chunk {
                pipe.cmd("EVALSHA")
                    .arg(LEASE.get_hash())
                    .arg(3)
                    .arg(&k.processing)
                    .arg(&k.leases)
                    .arg(k.holders())
                    .arg(e)
                    .arg(ms)
                    .arg(&holder)
                    .ignore();
            }
            if pipe.query::<()>(&mut self.con).is_err() {
                for e in chunk {
                    self.extend_lease(e, visibility)?;
                }
            }
        }
        Ok(())
    }

    /// Acknowledges processed elements. Returns, per element, whether it was still there.
    pub fn ack(&mut self, elements: &[Vec<u8>]) -> Result<Vec<bool>> {
        self.ack_claimed(elements, &[])
    }

    /// [`Self::ack`], given the holder fields the claim returned for these elements (in the
    /// same order), so the script does not hash every element again. `digests` may be empty
    /// (the script then hashes them); otherwise it has one entry per element.
    pub fn ack_claimed(&mut self, elements: &[Vec<u8>], digests: &[String]) -> Result<Vec<bool>> {
        self.ack_counting(elements, digests, None)
    }

    /// [`Self::ack_claimed`] that also adds one, in the same step, to the field of each acked
    /// element's SHA-1 in the HASH `counts` (`migrate`'s occurrence counters).
    pub fn ack_counting(&mut self, elements: &[Vec<u8>], digests: &[String], counts: Option<&str>) -> Result<Vec<bool>> {
        if elements.is_empty() {
            return Ok(vec![]);
        }
        let k = &self.keys;
        let mut inv = ACK.prepare_invoke();
        inv.key(&k.processing).key(&k.leases);
        if !self.no_holders || counts.is_some() {
            inv.key(k.holders());
        }
        if let Some(c) = counts {
            inv.key(c);
        }
        inv.arg(elements.len());
        for e in elements {
            inv.arg(e);
        }
        if digests.len() == elements.len() {
            for d in digests {
                inv.arg(d);
            }
        }
        let v: Vec<i64> = inv.invoke(&mut self.con).map_err(|e| self.error(e, "acknowledging messages"))?;
        Ok(v.into_iter().map(|n| n > 0).collect())
    }

    /// Moves `old` out of processing to `dest` as `new`, in one step. With `only_if_expired`,
    /// a lease that is still alive wins and nothing moves.
    pub fn settle(&mut self, old: &[u8], new: &[u8], dest: Dest, only_if_expired: bool) -> Result<Settled> {
        let k = &self.keys;
        let (mode, key, delay) = match dest {
            Dest::RetryIn(d) => ("retry", &k.retry, millis(d)),
            Dest::RetryMemberIn(d) => ("zadd", &k.retry, millis(d)),
            Dest::DeadLetter => ("back", &k.dlq, 0),
            Dest::Front => ("front", &k.main, 0),
        };
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let r: String = SETTLE
            .key(&k.processing)
            .key(&k.leases)
            .key(key)
            .key(k.holders())
            .key(&k.batch_leases)
            .key(&k.batches)
            .arg(old)
            .arg(new)
            .arg(mode)
            .arg(delay)
            .arg(nonce)
            .arg(if only_if_expired { "1" } else { "0" })
            .invoke(&mut self.con)
            .map_err(|e| self.error(e, "moving a message out of processing"))?;
        Ok(match r.as_str() {
            "ok" => Settled::Moved,
            "alive" => Settled::Alive,
            _ => Settled::Gone,
        })
    }

    /// Moves up to `limit` due retries to the back of main. Returns how many moved, and how
    /// many due members were left in place because they are not in the profile's format.
    pub fn promote_due(&mut self, limit: usize) -> Result<(u64, u64)> {
        self.promote(limit, false)
    }

    /// Moves up to `limit` pending retries to the back of main whatever their due time (soonest
    /// due first), as `migrate` does before it moves main. Returns as [`Self::promote_due`].
    pub fn promote_pending(&mut self, limit: usize) -> Result<(u64, u64)> {
        self.promote(limit, true)
    }

    fn promote(&mut self, limit: usize, all: bool) -> Result<(u64, u64)> {
        let k = &self.keys;
        PROMOTE
            .key(&k.retry)
            .key(&k.main)
            .arg(limit)
            .arg(retry_mode(k))
            .arg(if all { "all" } else { "due" })
            .invoke(&mut self.con)
            .map_err(|e| self.error(e, "promoting due retries"))
    }

    /// Mint: whether each idempotency key is in the deployer's processed set (settled). An
    /// empty key is never settled.
    pub fn already_processed(&mut self, keys: &[&str]) -> Result<Vec<bool>> {
        if keys.is_empty() {
            return Ok(vec![]);
        }
        let mut pipe = redis::pipe();
        for k in keys {
            pipe.cmd("SISMEMBER").arg(&self.keys.processed).arg(*k);
        }
        let v: Vec<bool> = pipe.query(&mut self.con).map_err(|e| self.error(e, "reading the processed set"))?;
        Ok(v.into_iter().zip(keys).map(|(b, k)| b && !k.is_empty()).collect())
    }

    /// Mint: moves an element whose first-seen clock expired out of processing, in one step
    /// that re-checks the clock: back to the inbound head (LPUSH, exact bytes) when its
    /// idempotency key (`key`, empty when unknown) is not in the processed set; else (it
    /// settled and only its ack was lost) it is removed.
    /// A request already reclaimed `max_reclaims` times (it crashes whoever takes it) goes to
    /// the DLQ as `dead_letter` instead: a reclaim counts as an attempt. The count is kept in
    /// the tool's own key for that request (30 days).
    pub fn reclaim_mint(
        &mut self,
        element: &[u8],
        key: &str,
        dry_run: bool,
        max_reclaims: u32,
        dead_letter: &[u8],
    ) -> Result<Reclaimed> {
        let k = &self.keys;
        let id = if key.is_empty() { sha1_smol::Sha1::from(element).digest().to_string() } else { key.to_owned() };
        let counter = format!("{}:reclaims:{id}", k.tool);
        let r: String = RECLAIM_MINT
            .key(&k.processing)
            .key(&k.leases)
            .key(&k.main)
            .key(&k.processed)
            .key(&k.dlq)
            .key(&counter)
            .key(k.holders())
            .arg(element)
            .arg(key)
            .arg(if dry_run { "1" } else { "0" })
            .arg(max_reclaims)
            .arg(dead_letter)
            .arg(30 * 86_400)
            .invoke(&mut self.con)
            .map_err(|e| self.error(e, "reclaiming a request from processing"))?;
        Ok(match r.as_str() {
            "requeued" => Reclaimed::Requeued,
            "settled" => Reclaimed::Settled,
            "dead-lettered" => Reclaimed::DeadLettered,
            "alive" => Reclaimed::Alive,
            _ => Reclaimed::Gone,
        })
    }

    /// How many retries wait in the retry set (due or not).
    pub fn pending_retries(&mut self) -> Result<u64> {
        redis::cmd("ZCARD").arg(&self.keys.retry).query(&mut self.con).map_err(|e| self.error(e, "counting pending retries"))
    }

    /// How long until the next retry is due (zero when one is due now), or None when none wait.
    pub fn next_retry_in(&mut self) -> Result<Option<Duration>> {
        let ms: i64 = NEXT_RETRY
            .key(&self.keys.retry)
            .arg(retry_mode(&self.keys))
            .invoke(&mut self.con)
            .map_err(|e| self.error(e, "reading the retry set"))?;
        Ok((ms >= 0).then(|| Duration::from_millis(ms as u64)))
    }

    /// Looks at the whole processing list in windows: adopts unleased elements (unless `dry_run`)
    /// and collects those whose lease expired.
    pub fn scan_processing(&mut self, visibility: Duration, dry_run: bool) -> Result<Scan> {
        let mut scan = Scan::default();
        let mut start: i64 = 0;
        loop {
            let k = &self.keys;
            let v: Vec<Value> = REAP_SCAN
                .key(&k.processing)
                .key(&k.leases)
                .key(k.holders())
                .key(&k.batch_leases)
                .key(&k.batches)
                .arg(millis(visibility))
                .arg(start)
                .arg(start + SCAN_WINDOW - 1)
                .arg(if dry_run { "0" } else { "1" })
                .invoke(&mut self.con)
                .map_err(|e| self.error(e, "scanning the processing list"))?;
            let mut it = v.into_iter();
            let mut int = || it.next().and_then(|x| redis::from_redis_value::<i64>(x).ok()).unwrap_or(0);
            let len = int() as u64;
            scan.len = scan.len.max(len);
            scan.adopted += int() as u64;
            let next = int();
            if next >= 0 {
                scan.next_deadline_ms = Some(scan.next_deadline_ms.map_or(next, |n| n.min(next)));
            }
            scan.expired.extend(it.filter_map(|x| redis::from_redis_value::<Vec<u8>>(x).ok()));
            start += SCAN_WINDOW;
            if start as u64 >= len {
                return Ok(scan);
            }
        }
    }

    /// Drops the leases (adoption clocks included) of elements no longer in processing, for a
    /// list longer than one scan window (reap_scan does it itself below that). Without it, a
    /// clock reap-stale started for an element that a lease-unaware consumer (the platform's,
    /// the deployer) then acknowledged stays, and the next delivery of the same bytes inherits
    /// it: reclaimed at once from a live consumer. Reads processing and the lease members
    /// (digests compared here), then removes only what `lease_gc.lua` finds absent at that
    /// moment. Returns how many leases went.
    pub fn gc_leases(&mut self) -> Result<u64> {
        let k = self.keys.clone();
        let len: u64 = redis::cmd("LLEN")
            .arg(&k.processing)
            .query(&mut self.con)
            .map_err(|e| self.error(e, "reading the processing list"))?;
        // Each candidate costs the script an LPOS over the list: about a million comparisons a
        // call at most, so Redis is never held for long (150k elements: 6 candidates a call).
        let chunk = (1_000_000 / len.max(1)).clamp(1, 200) as usize;
        let mut present = std::collections::HashSet::new();
        let mut start = 0i64;
        loop {
            let page: Vec<Vec<u8>> = redis::cmd("LRANGE")
                .arg(&k.processing)
                .arg(start)
                .arg(start + SCAN_WINDOW - 1)
                .query(&mut self.con)
                .map_err(|e| self.error(e, "reading the processing list"))?;
            present.extend(page.iter().map(|e| sha1_smol::Sha1::from(e).digest().bytes()));
            if (page.len() as i64) < SCAN_WINDOW {
                break;
            }
            start += SCAN_WINDOW;
        }
        let mut absent: Vec<Vec<u8>> = Vec::new();
        let mut cursor: u64 = 0;
        loop {
            let (next, page): (u64, Vec<Vec<u8>>) = redis::cmd("ZSCAN")
                .arg(&k.leases)
                .arg(cursor)
                .arg("COUNT")
                .arg(1000)
                .query(&mut self.con)
                .map_err(|e| self.error(e, "reading the leases"))?;
            // ZSCAN answers member, score, member, score...
            absent.extend(page.into_iter().step_by(2).filter(|m| !present.contains(&sha1_smol::Sha1::from(m).digest().bytes())));
            cursor = next;
            if cursor == 0 {
                break;
            }
        }
        absent.sort();
        absent.dedup();
        let mut dropped = 0;
        for chunk in absent.chunks(chunk) {
            let mut inv = LEASE_GC.prepare_invoke();
            inv.key(&k.processing).key(&k.leases).key(k.holders());
            for m in chunk {
                inv.arg(m);
            }
            let n: u64 = inv.invoke(&mut self.con).map_err(|e| self.error(e, "dropping stale leases"))?;
            dropped += n;
        }
        Ok(dropped)
    }
}
