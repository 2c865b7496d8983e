//! The dead-letter list: paging from its oldest end, and moving or deleting entries in
//! batches, each batch one atomic script that re-checks every entry is still there.

use std::sync::LazyLock;

use anyhow::Result;
use redis::{Script, Value};

use super::{Batch, Outgoing, Queue};

static DLQ_PAGE: LazyLock<Script> = script!("dlq_page.lua");
static DLQ_MOVE: LazyLock<Script> = script!("dlq_move.lua");

/// Entries read from the DLQ's oldest end.
pub struct Page {
    /// The DLQ's length when the page was read.
    pub len: u64,
    /// The server's clock (ms since the epoch).
    pub now_ms: i64,
    /// Oldest first; the first one sits `offset` entries from the tail.
    pub entries: Vec<Vec<u8>>,
}

/// One entry to move or delete.
pub struct Move<'a> {
    /// Its index counted from the tail when it was read (a hint: it is searched for otherwise).
    pub hint: u64,
    /// The entry exactly as read.
    pub entry: &'a [u8],
    /// For a replay: the element to push onto the destination.
    pub new: &'a [u8],
    /// For a replay: the replay-counter field (`''`: none is kept).
    pub counter: &'a str,
}

/// What happened to one entry of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moved {
    Done,
    /// No longer in the DLQ (someone else moved or deleted it first): nothing was done.
    Gone,
    /// Left in the DLQ: it was replayed `--max-replays` times already.
    Limit,
}

/// How a batch treats its entries.
pub enum Mode<'a> {
    Replay { dest: &'a str, max_replays: u64, force: bool },
    Delete,
}

impl Queue {
    /// Up to `count` DLQ entries starting `offset` from the oldest end, oldest first.
    pub fn dlq_page(&mut self, offset: u64, count: usize) -> Result<Page> {
        let dlq = self.keys.dlq.clone();
        let v: Vec<Value> = DLQ_PAGE
            .key(&dlq)
            .arg(offset)
            .arg(count.max(1))
            .invoke(&mut self.con)
            .map_err(|e| self.error(e, &format!("reading the dead-letter list {dlq}")))?;
        let mut it = v.into_iter();
        let len = it.next().and_then(|x| redis::from_redis_value::<u64>(x).ok()).unwrap_or(0);
        let now_ms = it.next().and_then(|x| redis::from_redis_value::<i64>(x).ok()).unwrap_or(0);
        let entries = it.map(|x| redis::from_redis_value::<Vec<u8>>(x).unwrap_or_default()).collect();
        Ok(Page { len, now_ms, entries })
    }

    /// Replays or deletes a batch in one atomic step; one outcome per entry, in order.
    pub fn dlq_move(&mut self, mode: &Mode<'_>, batch: &[Move<'_>]) -> Result<Vec<Moved>> {
        if batch.is_empty() {
            return Ok(vec![]);
        }
        let dlq = self.keys.dlq.clone();
        let tomb = format!("\u{0}hokusai-queue tombstone {}", uuid::Uuid::new_v4().simple());
        let mut inv = DLQ_MOVE.prepare_invoke();
        inv.key(&dlq);
        match mode {
            Mode::Replay { dest, max_replays, force } => {
                inv.key(*dest).key(&self.keys.replays).arg("replay").arg(&tomb).arg(*max_replays).arg(if *force {
                    "1"
                } else {
                    "0"
                });
            }
            Mode::Delete => {
                inv.key(&dlq).key(&dlq).arg("delete").arg(&tomb).arg(0).arg("0");
            }
        }
        inv.arg(batch.len());
        for m in batch {
            inv.arg(m.hint).arg(m.entry).arg(m.new).arg(m.counter);
        }
        let doing = match mode {
            Mode::Replay { dest, .. } => format!("replaying dead letters from {dlq} to {dest}"),
            Mode::Delete => format!("deleting dead letters from {dlq}"),
        };
        let v: Vec<i64> = inv.invoke(&mut self.con).map_err(|e| self.error(e, &doing))?;
        Ok(v.into_iter()
            .map(|s| match s {
                1 => Moved::Done,
                2 => Moved::Limit,
                _ => Moved::Gone,
            })
            .collect())
    }

    /// Pushes entries onto the DLQ byte for byte, recording `marker` in `progress` in the same
    /// step, only if `progress` holds `expected` (`None`: it must not exist). Returns false when
    /// the marker did not match (another import of the same file got there first).
    pub fn dlq_push_marked(&mut self, entries: &[Vec<u8>], progress: &str, marker: &str, expected: Option<&str>) -> Result<bool> {
        let outgoing: Vec<Outgoing> = entries.iter().map(|e| Outgoing::with_notice(e.clone(), vec![])).collect();
        let batches = [Batch { messages: &outgoing, marker: marker.to_owned() }];
        let dlq = self.keys.dlq.clone();
        match self.push_pipelined_to(&dlq, &batches, None, progress, expected, 1, &mut |_| {}) {
            Ok(()) => Ok(true),
            Err((_, e)) if e.code() == Some("OUTOFORDER") => Ok(false),
            Err((_, e)) => Err(self.error(e, &format!("importing into the dead-letter list {dlq}"))),
        }
    }
}
