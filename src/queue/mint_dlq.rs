//! The mint profile's dead-letter list, as the deployer's official DLQ tool treats it: read in
//! pages with the length and the server's clock (the official index, ages), the processed set
//! and mint records read for `inspect`, and replay / discard of exact entries, each one atomic
//! script step that acts only when `LREM dlq 1 <entry>` removed it (never a double enqueue).

use std::sync::LazyLock;

use anyhow::Result;
use redis::Script;

use super::Queue;

static READ: LazyLock<Script> = script!("mint_dlq_read.lua");
static PROCESSED: LazyLock<Script> = script!("mint_dlq_processed.lua");
static REPLAY: LazyLock<Script> = script!("mint_dlq_replay.lua");
static DISCARD: LazyLock<Script> = script!("mint_dlq_discard.lua");

/// Entries read from one end of the DLQ, with the list's length and the server's clock then.
#[derive(Debug)]
pub struct MintDlqPage {
    pub len: u64,
    pub now_ms: i64,
    /// In the order read from that end (oldest first, or newest first).
    pub entries: Vec<Vec<u8>>,
}

/// One entry to replay.
#[derive(Debug, Clone, Copy)]
pub struct MintReplay<'a> {
    /// Its index from the oldest end as the script will find it, if nobody else removed
    /// entries meanwhile (a hint: only tells whether to go over the list again).
    pub hint: u64,
    /// The entry exactly as read.
    pub entry: &'a [u8],
    /// What goes onto the inbound list.
    pub payload: &'a [u8],
    /// The audit record (the official tool's shape).
    pub record: &'a [u8],
    /// The request's idempotency key (checked against the processed set unless forced).
    pub key: Option<&'a str>,
    /// The request's deadline, unix seconds (checked on the server's clock unless forced).
    pub deadline: Option<i64>,
}

/// What a replay step did with one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MintReplayed {
    /// Removed from the DLQ, pushed onto the inbound list, audited.
    Replayed,
    /// No longer in the DLQ (someone else replayed or discarded it first): nothing done.
    Gone,
    /// Left in place: its key is in the processed set (it settled meanwhile).
    Processed,
    /// Left in place: its deadline passed on the server's clock.
    DeadlinePassed,
}

/// One entry to discard.
#[derive(Debug, Clone, Copy)]
pub struct MintDiscard<'a> {
    pub hint: u64,
    pub entry: &'a [u8],
    pub record: &'a [u8],
}

impl Queue {
    /// Up to `count` DLQ entries from `offset` counted from the oldest end (`from_newest`: from
    /// the newest end, i.e. the official index), in one atomic read with LLEN and TIME.
    pub fn mint_dlq_read(&mut self, from_newest: bool, offset: u64, count: usize) -> Result<MintDlqPage> {
        let dlq = self.keys.dlq.clone();
        let v: (u64, i64, Vec<Vec<u8>>) = READ
            .key(&dlq)
            .arg(if from_newest { "newest" } else { "oldest" })
            .arg(offset)
            .arg(count.max(1))
            .invoke(&mut self.con)
            .map_err(|e| self.error(e, &format!("reading the dead-letter list {dlq}")))?;
        Ok(MintDlqPage { len: v.0, now_ms: v.1, entries: v.2 })
    }

    /// Whether each idempotency key is in the deployer's processed set (it settled).
    pub fn mint_processed(&mut self, keys: &[&str]) -> Result<Vec<bool>> {
        if keys.is_empty() {
            return Ok(vec![]);
        }
        let set = self.keys.processed.clone();
        let mut inv = PROCESSED.key(&set);
        for k in keys {
            inv.arg(*k);
        }
        let v: Vec<i64> = inv.invoke(&mut self.con).map_err(|e| self.error(e, &format!("reading the processed set {set}")))?;
        Ok(v.into_iter().map(|x| x == 1).collect())
    }

    /// The idempotency keys of the requests waiting or in flight (the inbound list, processing
    /// and the retry set), so a replay does not put back a second request for one of them; the
    /// second mint would revert on-chain and land in the DLQ again. `None` when the three hold
    /// more than `max` elements together (then the check is not made, and the caller says so).
    /// Read in pages: a request pushed meanwhile can be missed (best effort, as the official
    /// tool makes no such check at all).
    pub fn mint_keys_queued(&mut self, max: u64) -> Result<Option<std::collections::HashSet<String>>> {
        let k = self.keys.clone();
        let (main, processing, retry): (u64, u64, u64) = redis::pipe()
            .cmd("LLEN")
            .arg(&k.main)
            .cmd("LLEN")
            .arg(&k.processing)
            .cmd("ZCARD")
            .arg(&k.retry)
            .query(&mut self.con)
            .map_err(|e| self.error(e, "counting the queued requests"))?;
        if main + processing + retry > max {
            return Ok(None);
        }
        let key_of = |raw: &[u8]| -> Option<String> {
            let v: serde_json::Value = serde_json::from_slice(raw).ok()?;
            v.get("idempotency_key")?.as_str().map(str::to_owned)
        };
        let mut keys = std::collections::HashSet::new();
        const PAGE: u64 = 1000;
        for (list, len) in [(&k.main, main), (&k.processing, processing)] {
            let mut start = 0;
            while start < len {
                let page: Vec<Vec<u8>> = redis::cmd("LRANGE")
                    .arg(list)
                    .arg(start)
                    .arg(start + PAGE - 1)
                    .query(&mut self.con)
                    .map_err(|e| self.error(e, &format!("reading {list}")))?;
                if page.is_empty() {
                    break;
                }
                keys.extend(page.iter().filter_map(|e| key_of(e)));
                start += PAGE;
            }
        }
        let mut start = 0;
        while start < retry {
            let page: Vec<Vec<u8>> = redis::cmd("ZRANGE")
                .arg(&k.retry)
                .arg(start)
                .arg(start + PAGE - 1)
                .query(&mut self.con)
                .map_err(|e| self.error(e, &format!("reading {}", k.retry)))?;
            if page.is_empty() {
                break;
            }
            keys.extend(page.iter().filter_map(|e| key_of(e)));
            start += PAGE;
        }
        Ok(Some(keys))
    }

    /// The deployer's mint record of a request (`GET <record_prefix><key>`), if any.
    pub fn mint_record(&mut self, idempotency_key: &str) -> Result<Option<Vec<u8>>> {
        let key = format!("{}{idempotency_key}", self.keys.record_prefix);
        redis::cmd("GET").arg(&key).query(&mut self.con).map_err(|e| self.error(e, &format!("reading the mint record {key}")))
    }

    /// The server's clock, ms since the epoch (audit records carry it, not the client's).
    pub fn server_time_ms(&mut self) -> Result<i64> {
        let (secs, micros): (i64, i64) =
            redis::cmd("TIME").query(&mut self.con).map_err(|e| self.error(e, "reading the server's clock"))?;
        Ok(secs * 1000 + micros / 1000)
    }

    /// Replays a batch of entries in one atomic script (see `mint_dlq_replay.lua`). Returns
    /// one outcome per entry and whether every entry was where its hint said.
    pub fn mint_dlq_replay(&mut self, batch: &[MintReplay<'_>], force: bool) -> Result<(Vec<MintReplayed>, bool)> {
        let k = &self.keys;
        let (dlq, main) = (k.dlq.clone(), k.main.clone());
        let mut inv = REPLAY.prepare_invoke();
        inv.key(&k.dlq).key(&k.main).key(&k.audit).key(&k.processed);
        inv.arg(if force { "1" } else { "0" }).arg(batch.len());
        for r in batch {
            inv.arg(r.hint).arg(r.entry).arg(r.payload).arg(r.record).arg(r.key.unwrap_or("")).arg(r.deadline.unwrap_or(0));
        }
        let v: Vec<i64> =
            inv.invoke(&mut self.con).map_err(|e| self.error(e, &format!("replaying dead letters from {dlq} to {main}")))?;
        Ok(split_statuses(v, |s| match s {
            1 => MintReplayed::Replayed,
            2 => MintReplayed::Processed,
            3 => MintReplayed::DeadlinePassed,
            _ => MintReplayed::Gone,
        }))
    }

    /// Discards a batch of entries in one atomic script (see `mint_dlq_discard.lua`). Returns,
    /// per entry, whether it was removed (else gone), and whether every entry was where its
    /// hint said.
    pub fn mint_dlq_discard(&mut self, batch: &[MintDiscard<'_>]) -> Result<(Vec<bool>, bool)> {
        let k = &self.keys;
        let dlq = k.dlq.clone();
        let mut inv = DISCARD.prepare_invoke();
        inv.key(&k.dlq).key(&k.audit);
        inv.arg(batch.len());
        for d in batch {
            inv.arg(d.hint).arg(d.entry).arg(d.record);
        }
        let v: Vec<i64> = inv.invoke(&mut self.con).map_err(|e| self.error(e, &format!("discarding dead letters from {dlq}")))?;
        Ok(split_statuses(v, |s| s == 1))
    }
}

/// A script's reply: one status per entry, then the "undisturbed" flag.
fn split_statuses<T>(mut v: Vec<i64>, each: impl Fn(i64) -> T) -> (Vec<T>, bool) {
    let undisturbed = v.pop() == Some(1);
    (v.into_iter().map(each).collect(), undisturbed)
}

/// A dead letter in the deployer's shape (mint-wire-format 4.1), stamped now. Bytes that are
/// not UTF-8 are written as the deployer writes them: its Redis client decodes the element
/// with replacement characters, and `originalMessage` holds that text with reason text as
/// given. (Its DLQ must hold only entries its tools can read; the exact bytes were never
/// readable by the deployer either.)
pub fn dead_letter_entry(raw: &[u8], reason: &str, failure_class: &str, queue: &str) -> Vec<u8> {
    let now_ms = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
    let at = super::mint::iso_ms(now_ms);
    super::mint::dlq_entry(raw, reason, failure_class, queue, &at).unwrap_or_else(|| {
        let text = String::from_utf8_lossy(raw);
        super::mint::dlq_entry(text.as_bytes(), reason, failure_class, queue, &at).expect("UTF-8 text makes an entry")
    })
}
