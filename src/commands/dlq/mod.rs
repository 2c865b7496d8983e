//! `dlq list | replay | purge | import`: recover the dead-letter list by hand, in bounded
//! batches, every batch one atomic script that re-checks each entry is still there.

mod entry;
mod import;
mod list;
mod purge;
mod replay;

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::cli::{DlqCommand, DlqFilter, DlqWriteArgs, OutputFormat};
use crate::config::Config;
use crate::exit::Failure;
use crate::queue::Queue;
pub use entry::Entry;

pub fn run(cfg: &Config, cmd: &DlqCommand, format: OutputFormat) -> Result<()> {
    match cmd {
        DlqCommand::List(a) => list::run(cfg, a, format),
        DlqCommand::Replay(a) => replay::run(cfg, a, format),
        DlqCommand::Purge(a) => purge::run(cfg, a, format),
        DlqCommand::Import(a) => import::run(cfg, a, format),
    }
}

/// Entries read per round trip while scanning.
const PAGE: usize = 1000;
/// At most this many entries are scanned between two batches, so a sparse filter over a long
/// DLQ still makes steady progress (and the tombstone sweep of each batch stays shallow).
const MAX_SCAN_PER_BATCH: u64 = 20_000;

/// Walks the DLQ from its oldest end and hands out the matching entries in batches. Entries a
/// batch removed shift the unread ones towards the tail: `removed` keeps the cursor right.
pub struct Scanner<'f> {
    filter: &'f DlqFilter,
    /// Index (from the tail) of the next unread entry.
    offset: u64,
    left: Option<u64>,
    done: bool,
    /// The DLQ's length at the last read, and the server clock then.
    pub len: u64,
    pub now_ms: i64,
    pub scanned: u64,
    pub matched: u64,
}

impl<'f> Scanner<'f> {
    pub fn new(filter: &'f DlqFilter) -> Self {
        Self { filter, offset: 0, left: filter.limit, done: false, len: 0, now_ms: 0, scanned: 0, matched: 0 }
    }

    /// Up to `want` matching entries for which `counts` is true, oldest first; an empty batch
    /// at the end. Entries `counts` refuses are kept in the batch (to be reported) but do not
    /// count towards `--limit`.
    pub fn next_batch(&mut self, q: &mut Queue, want: usize, counts: &dyn Fn(&Entry) -> bool) -> Result<Vec<Entry>> {
        let mut out = Vec::new();
        let mut scanned_now = 0;
        let mut wanted = 0;
        while !self.done && wanted < want && scanned_now < MAX_SCAN_PER_BATCH {
            if self.left == Some(0) {
                self.done = true;
                break;
            }
            let page = q.dlq_page(self.offset, PAGE)?;
            self.len = page.len;
            self.now_ms = page.now_ms;
            let n = page.entries.len() as u64;
            if n < PAGE as u64 {
                self.done = true;
            }
            let base = self.offset;
            let mut consumed = 0;
            for (i, raw) in page.entries.into_iter().enumerate() {
                consumed = i as u64 + 1;
                let e = Entry::parse(base + i as u64, raw);
                if !e.matches(self.filter, page.now_ms) {
                    continue;
                }
                self.matched += 1;
                if counts(&e) {
                    wanted += 1;
                    if let Some(left) = &mut self.left {
                        *left -= 1;
                    }
                }
                out.push(e);
                if wanted >= want || self.left == Some(0) {
                    break;
                }
            }
            if consumed < n {
                // Stopped inside the page: the rest is read again next time.
                self.done = false;
            }
            self.offset += consumed;
            self.scanned += consumed;
            scanned_now += consumed;
            if n == 0 {
                self.done = true;
            }
        }
        Ok(out)
    }

    /// `n` entries this scanner handed out were removed from the DLQ.
    pub fn removed(&mut self, n: u64) {
        self.offset = self.offset.saturating_sub(n);
    }

    pub fn finished(&self) -> bool {
        self.done
    }
}

/// Asks before a destructive run when a person is there; refuses without --yes when not.
/// `count` is only called when a person will be asked (it may scan the whole DLQ).
pub fn confirm(w: &DlqWriteArgs, what: &str, count: impl FnOnce() -> Result<u64>) -> Result<bool> {
    if w.yes || w.dry_run {
        return Ok(true);
    }
    let person = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if !person {
        return Err(Failure::usage(format!(
            "refusing to {what} without confirmation: not running on a terminal; add --yes to go ahead \
             (or --dry-run to see what it would do)"
        ))
        .into());
    }
    let n = count()?;
    if n == 0 {
        return Ok(true);
    }
    let answer = dialoguer::Confirm::new()
        .with_prompt(format!("{} {n} entr{}?", capitalise(what), if n == 1 { "y" } else { "ies" }))
        .default(false)
        .interact()
        .map_err(|e| Failure::usage(format!("no confirmation ({e}); add --yes to go ahead")))?;
    Ok(answer)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Keeps a run at or below `--rate` entries per second.
pub struct Pace {
    rate: Option<u32>,
    started: Instant,
}

impl Pace {
    pub fn new(rate: Option<u32>) -> Self {
        Self { rate, started: Instant::now() }
    }

    /// The batch size to use: never more than one second's worth.
    pub fn batch(&self, batch_size: u32) -> usize {
        self.rate.map_or(batch_size, |r| r.min(batch_size)) as usize
    }

    /// Sleeps until `done` entries are within the rate.
    pub fn after(&self, done: u64) {
        if let Some(r) = self.rate {
            let due = Duration::from_secs_f64(done as f64 / f64::from(r));
            let elapsed = self.started.elapsed();
            if due > elapsed {
                std::thread::sleep(due - elapsed);
            }
        }
    }
}

/// What a summary says about entries someone else moved first.
pub const GONE_NOTE: &str = "moved or deleted by someone else first; nothing was done to them";
