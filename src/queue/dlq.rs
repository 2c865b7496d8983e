//! The dead-letter list: paging from its oldest end, and moving or deleting entries in
//! batches, each batch one atomic script (`dlq_move.lua`) that re-checks every entry is still
//! there. Reads and moves can be pipelined (`send_*` / `recv_*`): on one connection Redis runs
//! them in the order sent.

use std::sync::LazyLock;

use anyhow::Result;
use redis::{ErrorKind, RedisResult, Script, Value};

use super::Queue;

static DLQ_MOVE: LazyLock<Script> = script!("dlq_move.lua");

/// One entry to move or delete.
#[derive(Clone, Copy)]
pub struct Move<'a> {
    /// Its index counted from the tail as the script will find it, if nothing else moved it
    /// (a hint: it is searched for otherwise).
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
#[derive(Debug, Clone)]
pub enum Mode {
    Replay {
        dest: String,
        max_replays: u64,
        force: bool,
    },
    /// With `record`: the batch's entries are export lines `first..`, and the script records
    /// in the same atomic step which of them it deleted (see [`Queue::purge_record`]).
    Delete {
        record: Option<Record>,
    },
}

/// Where a purge records, with each batch, what the batch did to its export's lines.
#[derive(Debug, Clone)]
pub struct Record {
    /// The export's record key (`<tool>:purge:<export_id>`).
    pub key: String,
    /// The export line number of the batch's first entry.
    pub first: u64,
}

/// What a purge's record key says: the last batch that ran covered export lines
/// `first..first + deleted.len()`, and `deleted[i]` says whether line `first + i` was deleted
/// by it. Lines from `first + deleted.len()` on were never sent (a purge writes the key, with
/// `first` 1 and nothing deleted, before its first batch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeRecord {
    pub first: u64,
    pub deleted: Vec<bool>,
}

impl PurgeRecord {
    /// Whether export line `n` was deleted by its purge: `None` when the record does not know
    /// (a line before the last batch: the export file's own records say).
    pub fn deleted(&self, n: u64) -> Option<bool> {
        if n < self.first {
            return None;
        }
        Some(self.deleted.get((n - self.first) as usize).copied().unwrap_or(false))
    }

    fn parse(s: &str) -> Option<Self> {
        let (first, statuses) = s.split_once(':')?;
        let first = first.parse().ok()?;
        let deleted = statuses.bytes().map(|b| b == b'1').collect();
        Some(Self { first, deleted })
    }
}

/// One entry of an import batch: its bytes, and `check`: 0 to push it, else push it only if
/// the DLQ holds fewer than `check` copies of these bytes.
pub struct ImportEntry<'a> {
    pub bytes: &'a [u8],
    pub check: u64,
}

impl Queue {
    /// Sends a command whose reply `recv` returns later, in order. A cluster connection cannot
    /// keep several commands in flight: it runs the command now and keeps the reply.
    fn send(&mut self, cmd: &redis::Cmd) -> Result<()> {
        match self.con.single() {
            Some(con) => con.send_packed_command(&cmd.get_packed_command()).map_err(|e| self.error(e, "sending to Redis")),
            None => {
                let reply = cmd.query::<Value>(&mut self.con);
                self.deferred.push_back(reply);
                Ok(())
            }
        }
    }

    fn recv(&mut self) -> RedisResult<Value> {
        match self.con.single() {
            Some(con) => con.recv_response().and_then(Value::extract_error),
            None => self.deferred.pop_front().unwrap_or_else(|| Err((ErrorKind::Client, "no reply pending").into())),
        }
    }

    /// The DLQ's length and the server's clock (ms since the epoch).
    pub fn dlq_len_and_time(&mut self) -> Result<(u64, i64)> {
        let dlq = self.keys.dlq.clone();
        // Two commands, not a pipeline: a cluster connection routes each by itself.
        let len: u64 = redis::cmd("LLEN")
            .arg(&dlq)
            .query(&mut self.con)
            .map_err(|e| self.error(e, &format!("reading the dead-letter list {dlq}")))?;
        let (secs, micros): (i64, i64) =
            redis::cmd("TIME").query(&mut self.con).map_err(|e| self.error(e, "reading the server's clock"))?;
        Ok((len, secs * 1000 + micros / 1000))
    }

    /// Asks for up to `count` entries starting `offset` from the oldest end.
    pub fn send_dlq_read(&mut self, offset: u64, count: usize) -> Result<()> {
        let (start, stop) = (-(offset as i64) - count.max(1) as i64, -(offset as i64) - 1);
        let mut cmd = redis::cmd("LRANGE");
        cmd.arg(&self.keys.dlq).arg(start).arg(stop);
        self.send(&cmd)
    }

    /// The entries asked for by `send_dlq_read`, oldest first.
    pub fn recv_dlq_read(&mut self) -> Result<Vec<Vec<u8>>> {
        let dlq = self.keys.dlq.clone();
        let v = self
            .recv()
            .and_then(|v| redis::from_redis_value::<Vec<Vec<u8>>>(v).map_err(Into::into))
            .map_err(|e| self.error(e, &format!("reading the dead-letter list {dlq}")))?;
        Ok(v.into_iter().rev().collect())
    }

    /// Up to `count` entries starting `offset` from the oldest end, oldest first.
    pub fn dlq_read(&mut self, offset: u64, count: usize) -> Result<Vec<Vec<u8>>> {
        self.send_dlq_read(offset, count)?;
        self.recv_dlq_read()
    }

    /// The replay counters of these message_ids (dry runs show what the limit would refuse).
    pub fn replay_counts(&mut self, ids: &[&str]) -> Result<Vec<u64>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let key = self.keys.replays.clone();
        let v: Vec<Option<u64>> = redis::cmd("HMGET")
            .arg(&key)
            .arg(ids)
            .query(&mut self.con)
            .map_err(|e| self.error(e, &format!("reading the replay counters {key}")))?;
        Ok(v.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// Loads the move script (once per run, before `send_dlq_move`).
    pub fn load_dlq_scripts(&mut self) -> Result<()> {
        DLQ_MOVE.load(&mut self.con).map(drop).map_err(|e| self.error(e, "loading the dead-letter scripts"))
    }

    /// Sends one batch to replay or delete in one atomic step.
    pub fn send_dlq_move(&mut self, mode: &Mode, batch: &[Move<'_>]) -> Result<()> {
        let dlq = self.keys.dlq.clone();
        let tomb = format!("\u{0}hokusai-queue tombstone {}", uuid::Uuid::new_v4().simple());
        let mut cmd = redis::cmd("EVALSHA");
        cmd.arg(DLQ_MOVE.get_hash()).arg(3).arg(&dlq);
        match mode {
            Mode::Replay { dest, max_replays, force } => {
                cmd.arg(dest).arg(&self.keys.replays).arg("replay").arg(&tomb).arg(*max_replays).arg(if *force {
                    "1"
                } else {
                    "0"
                });
            }
            Mode::Delete { record: None } => {
                cmd.arg(&dlq).arg(&dlq).arg("delete").arg(&tomb).arg(0).arg(0);
            }
            Mode::Delete { record: Some(r) } => {
                cmd.arg(&r.key).arg(&dlq).arg("delete").arg(&tomb).arg(r.first).arg(super::IMPORT_PROGRESS_SECS);
            }
        }
        cmd.arg(batch.len());
        for m in batch {
            cmd.arg(m.hint);
        }
        for m in batch {
            cmd.arg(m.entry);
        }
        if let Mode::Replay { .. } = mode {
            for m in batch {
                cmd.arg(m.new);
            }
            for m in batch {
                cmd.arg(m.counter);
            }
        }
        self.send(&cmd)
    }

    /// The outcome of a batch sent with `send_dlq_move`: one per entry, in order, and whether
    /// the list was as read (false: another client had removed entries in between).
    pub fn recv_dlq_move(&mut self, mode: &Mode) -> Result<(Vec<Moved>, bool)> {
        let dlq = self.keys.dlq.clone();
        let doing = match mode {
            Mode::Replay { dest, .. } => format!("replaying dead letters from {dlq} to {dest}"),
            Mode::Delete { .. } => format!("deleting dead letters from {dlq}"),
        };
        let mut v = self
            .recv()
            .and_then(|v| redis::from_redis_value::<Vec<i64>>(v).map_err(Into::into))
            .map_err(|e| self.error(e, &doing))?;
        let undisturbed = v.pop() == Some(1);
        let moved = v
            .into_iter()
            .map(|s| match s {
                1 => Moved::Done,
                2 => Moved::Limit,
                _ => Moved::Gone,
            })
            .collect();
        Ok((moved, undisturbed))
    }

    /// Starts a purge's record (`key`, kept as long as import progress): nothing sent yet.
    /// Each batch of the purge then overwrites it in the same atomic step as its deletes.
    pub fn start_purge_record(&mut self, key: &str) -> Result<()> {
        redis::cmd("SET")
            .arg(key)
            .arg("1:")
            .arg("EX")
            .arg(super::IMPORT_PROGRESS_SECS)
            .exec(&mut self.con)
            .map_err(|e| self.error(e, &format!("starting the purge record {key}")))
    }

    /// A purge's record (`None`: there is none, or it expired).
    pub fn purge_record(&mut self, key: &str) -> Result<Option<PurgeRecord>> {
        let v: Option<String> =
            redis::cmd("GET").arg(key).query(&mut self.con).map_err(|e| self.error(e, &format!("reading {key}")))?;
        Ok(v.and_then(|s| PurgeRecord::parse(&s)))
    }

    /// Pushes entries onto the DLQ byte for byte, in order, recording `marker` in `progress`
    /// in the same atomic step, only if `progress` holds `expected` (`None`: it must not exist).
    /// An entry with a `check` is pushed only if the DLQ holds fewer copies of its bytes than
    /// that. Returns, per entry, whether it was pushed; `None` when the marker did not match
    /// (another import of the same file got there first): then nothing was pushed.
    pub fn dlq_import(
        &mut self,
        entries: &[ImportEntry<'_>],
        progress: &str,
        marker: &str,
        expected: Option<&str>,
    ) -> Result<Option<Vec<bool>>> {
        let dlq = self.keys.dlq.clone();
        let mut cmd = redis::cmd("EVALSHA");
        cmd.arg(DLQ_MOVE.get_hash())
            .arg(2)
            .arg(&dlq)
            .arg(progress)
            .arg("import")
            .arg(marker)
            .arg(expected.unwrap_or(""))
            .arg(super::IMPORT_PROGRESS_SECS)
            .arg(entries.len());
        for e in entries {
            cmd.arg(e.check);
        }
        for e in entries {
            cmd.arg(e.bytes);
        }
        let reply = match cmd.query::<Vec<i64>>(&mut self.con) {
            Err(e) if e.kind() == ErrorKind::Server(redis::ServerErrorKind::NoScript) => {
                self.load_dlq_scripts()?;
                cmd.query::<Vec<i64>>(&mut self.con)
            }
            other => other,
        };
        match reply {
            Ok(v) => Ok(Some(v.into_iter().map(|s| s == 1).collect())),
            Err(e) if e.code() == Some("OUTOFORDER") => Ok(None),
            Err(e) => Err(self.error(e, &format!("importing into the dead-letter list {dlq}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PurgeRecord;

    #[test]
    fn a_purge_record_says_what_its_last_batch_did_and_what_was_never_sent() {
        let r = PurgeRecord::parse("201:101").unwrap();
        assert_eq!([200, 201, 202, 203, 204].map(|n| r.deleted(n)), [None, Some(true), Some(false), Some(true), Some(false)]);
        let start = PurgeRecord::parse("1:").unwrap();
        assert_eq!((start.deleted(1), start.deleted(7)), (Some(false), Some(false)), "nothing sent yet");
        assert_eq!(PurgeRecord::parse("x:1"), None);
    }
}
