//! `dlq list | replay | purge | import`: recover the dead-letter list by hand, in bounded
//! batches, every batch one atomic script that re-checks each entry is still there.

pub(crate) mod entry;
mod import;
mod list;
mod mint;
mod purge;
pub(crate) mod replay;

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::cli::{DlqCommand, DlqFilter, DlqWriteArgs, OutputFormat};
use crate::config::Config;
use crate::exit::Failure;
use crate::queue::Queue;
use crate::queue::dlq::{Mode, Move, Moved};
use crate::queue::profile::Profile;
pub use entry::Entry;

pub fn run(cfg: &Config, cmd: &DlqCommand, format: OutputFormat) -> Result<()> {
    crate::backend::open(cfg)?.dlq(cmd, format)
}

/// `dlq` on Redis ([`crate::backend::QueueOps::dlq`]): the profile's dead-letter list (the
/// mint profile's own subcommands in mint.rs).
pub(crate) fn on_redis(cfg: &Config, cmd: &DlqCommand, format: OutputFormat) -> Result<()> {
    if cfg.keys.profile == Profile::Mint {
        return mint::run(cfg, cmd, format);
    }
    let profile = cfg.keys.profile;
    let mint_only = |what: &str| {
        Failure::usage(format!(
            "{what} is for the mint profile (the contract deployer's dead letters, hokusai:mint_requests); {} has the \
             {profile} profile (name the mint queue with --queue, or --profile mint)",
            cfg.keys.queue
        ))
    };
    let filter = match cmd {
        DlqCommand::List(a) => Some(&a.filter),
        DlqCommand::Replay(a) => Some(&a.filter),
        DlqCommand::Purge(a) => Some(&a.filter),
        _ => None,
    };
    if filter.is_some_and(|f| !f.classes.is_empty()) {
        return Err(mint_only("--class (a failure tag of the deployer's dead letters)").into());
    }
    match cmd {
        DlqCommand::List(a) => list::run(cfg, a, format),
        DlqCommand::Inspect(_) => Err(mint_only("dlq inspect").into()),
        DlqCommand::Replay(a) => replay::run(cfg, a, format),
        DlqCommand::Discard(_) => Err(mint_only("dlq discard").into()),
        DlqCommand::Purge(a) if a.reason.is_some() => {
            Err(mint_only("dlq purge --reason (recorded in the deployer's audit list)").into())
        }
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
            if self.now_ms == 0 {
                (self.len, self.now_ms) = q.dlq_len_and_time()?;
            }
            let entries = q.dlq_read(self.offset, PAGE)?;
            let n = entries.len() as u64;
            if n < PAGE as u64 {
                self.done = true;
            }
            let base = self.offset;
            let mut consumed = 0;
            for (i, raw) in entries.into_iter().enumerate() {
                consumed = i as u64 + 1;
                let e = Entry::parse(base + i as u64, raw);
                if !e.matches(self.filter, self.now_ms) {
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
        .with_prompt(format!("{}: {n} entr{}?", capitalise(what), if n == 1 { "y" } else { "ies" }))
        .default(false)
        .interact()
        .map_err(|e| Failure::usage(format!("no confirmation ({e}); add --yes to go ahead")))?;
    Ok(answer)
}

/// "No" at the prompt: nothing was done, said with the code of a refusal (2), as without --yes.
pub fn not_confirmed(what: &str) -> anyhow::Error {
    Failure::usage(format!("not confirmed: {what}")).into()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Keeps a run at or below `--rate` entries per second, from its first entry: a token bucket
/// that starts with one token, so entry k (counted from 1) goes no earlier than (k - 1) / rate
/// seconds after the start, and a batch waits for all of its entries' tokens before it is sent.
/// Whatever the batch size, the entries moved within any first t seconds are at most
/// rate * t + 1.
pub struct Pace {
    rate: Option<u32>,
    started: Instant,
    /// Entries let through so far.
    sent: std::cell::Cell<u64>,
}

/// The longest single sleep while pacing: a signal is noticed within this.
const PACE_NAP: Duration = Duration::from_millis(20);

impl Pace {
    pub fn new(rate: Option<u32>) -> Self {
        Self { rate, started: Instant::now(), sent: std::cell::Cell::new(0) }
    }

    /// The batch size to use: never more than one second's worth.
    pub fn batch(&self, batch_size: u32) -> usize {
        self.rate.map_or(batch_size, |r| r.min(batch_size)).max(1) as usize
    }

    /// Waits until `n` more entries may go, and counts them as gone. Returns false (at once,
    /// counting nothing) when `stop` becomes true while waiting: the batch must not be sent.
    pub fn wait(&self, n: u64, stop: &dyn Fn() -> bool) -> bool {
        if let Some(r) = self.rate.filter(|r| *r > 0)
            && n > 0
        {
            let due = Duration::from_secs_f64((self.sent.get() + n - 1) as f64 / f64::from(r));
            loop {
                if stop() {
                    return false;
                }
                let elapsed = self.started.elapsed();
                if elapsed >= due {
                    break;
                }
                std::thread::sleep((due - elapsed).min(PACE_NAP));
            }
        }
        self.sent.set(self.sent.get() + n);
        !stop()
    }

    /// Sleeps until `done` entries are within the rate (for callers that pace after a batch
    /// ran; [`Pace::wait`] before a batch keeps the rate from the first entry).
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

/// One script call of a sweep: entries of the page (by index) and what to do with them.
pub struct Call {
    pub mode: Mode,
    /// (index in the page, element to push, replay-counter field).
    pub items: Vec<(usize, Vec<u8>, String)>,
}

/// Receives each call's outcomes, with the page's entries.
pub type OnDone<'a> = dyn FnMut(&[Entry], &Call, &[Moved]) -> Result<()> + 'a;

/// Called just before call `i` of a page is sent, with the page's entries and calls (it may
/// complete the modes of that call and the later ones): a purge writes entries to its export
/// here, on disk before they are deleted.
pub type OnSend<'a> = dyn FnMut(&[Entry], &mut [Call], usize) -> Result<()> + 'a;

/// A page read and planned, its calls sent one at a time.
struct Planned {
    entries: Vec<Entry>,
    calls: Vec<Call>,
    /// The next call to send.
    next: usize,
    /// Subtracted from each entry's position when sending: entries removed below the page
    /// since it was read (by the call that ran after the read, and by the page's own calls).
    shift: u64,
}

/// How a sweep went.
#[derive(Default)]
pub struct Swept {
    /// Entries read.
    pub scanned: u64,
    /// Entries that matched the filters.
    pub matched: u64,
    /// Another client removed entries while this sweep ran: some may have slid past its cursor
    /// unseen (a second pass finds them).
    pub disturbed: bool,
    /// Entries acted on (moved or deleted).
    pub acted: u64,
    /// The DLQ's length and the server clock when the sweep began.
    pub len: u64,
    pub now_ms: i64,
    /// It stopped at `--limit` (more entries may match).
    pub limit_reached: bool,
}

/// The callbacks of a sweep: `counts` says whether a matching entry counts towards `--limit`;
/// `plan` turns the matching entries of a page into calls (and counts what it skips; it may
/// return no call); `send` runs just before each call is sent; `done` receives each call's
/// outcomes (an error stops the sweep before the next call).
pub struct Steps<'a, 'b> {
    pub counts: &'a dyn Fn(&Entry) -> bool,
    pub plan: &'a mut dyn FnMut(&[Entry]) -> Result<Vec<Call>>,
    pub send: &'a mut OnSend<'b>,
    pub done: &'a mut OnDone<'b>,
}

/// Walks the DLQ from its oldest end and changes it, one batch (script call) in flight at a
/// time: the next page is read in the same round trip as the last batch of the page before,
/// so parsing and Redis's work overlap.
///
/// On one connection Redis runs commands in the order sent: a page read together with a batch
/// is read before that batch runs, so its positions are shifted by what the batch removed
/// (known from its reply) before the page's own batches are sent. Positions are only hints:
/// the script finds every entry by value if the list moved, and never touches one that is gone.
///
/// Each batch first waits for `--rate` ([`Pace::wait`]); after a signal no further batch is
/// sent (the one in flight finishes and is reported). Returns after the last page, at
/// `--limit`, or on a signal. A dry run with `read_counters` fills in each entry's replay count.
#[allow(clippy::too_many_arguments)]
pub fn sweep(
    q: &mut Queue,
    filter: &DlqFilter,
    page_size: usize,
    (dry_run, read_counters): (bool, bool),
    pace: &Pace,
    stop: &dyn Fn() -> bool,
    bar: &indicatif::ProgressBar,
    steps: Steps<'_, '_>,
) -> Result<Swept> {
    let Steps { counts, plan, send, done } = steps;
    let (len, now_ms) = q.dlq_len_and_time()?;
    // Under --limit the bar counts entries towards it, else entries read.
    bar.set_length(filter.limit.map_or(len, |l| l.min(len)));
    let mut counted: u64 = 0;
    if !dry_run {
        q.load_dlq_scripts()?;
    }
    let mut swept = Swept { len, now_ms, ..Swept::default() };
    let mut left = filter.limit;
    // Offset (from the oldest end) of the first entry not read yet, as the list stands once
    // every call sent so far has run.
    let mut start: u64 = 0;
    let mut finished = false;
    let mut current: Option<Planned> = None;
    let mut acted: u64 = 0;
    // A batch Redis refused (say a WRONGTYPE destination): the page's other batches still go,
    // then the sweep stops with this error.
    let mut failed: Option<anyhow::Error> = None;
    loop {
        if current.as_ref().is_some_and(|p| p.next >= p.calls.len()) {
            current = None;
        }
        if let Some(p) = &current {
            // Paced before anything of this round is sent; a signal meanwhile drops the rest.
            if !pace.wait(p.calls[p.next].items.len() as u64, stop) {
                current = None;
            }
        }
        if stop() {
            current = None;
        }
        // A page is read with the last call of the page before (or alone), never ahead of
        // two pages' calls.
        let last_call = current.as_ref().is_none_or(|p| p.next + 1 == p.calls.len());
        let reading = !finished && failed.is_none() && left != Some(0) && !stop() && last_call;
        if !reading && current.is_none() {
            swept.acted = acted;
            swept.limit_reached = left == Some(0);
            return match failed {
                Some(e) => Err(e),
                None => Ok(swept),
            };
        }
        if let Some(p) = current.as_mut() {
            let i = p.next;
            send(&p.entries, &mut p.calls, i)?;
        }
        if reading {
            q.send_dlq_read(start, page_size)?;
        }
        if let Some(p) = &current {
            let call = &p.calls[p.next];
            let moves: Vec<Move<'_>> = call
                .items
                .iter()
                .map(|(i, new, counter)| Move {
                    hint: p.entries[*i].position.saturating_sub(p.shift),
                    entry: p.entries[*i].raw(),
                    new,
                    counter,
                })
                .collect();
            q.send_dlq_move(&call.mode, &moves)?;
        }
        let mut next: Option<Planned> = None;
        let mut page_len = 0;
        if reading {
            let raws = q.recv_dlq_read()?;
            page_len = raws.len() as u64;
            if raws.len() < page_size {
                finished = true;
            }
            swept.scanned += page_len;
            let mut entries = Vec::new();
            for (i, raw) in raws.into_iter().enumerate() {
                if left == Some(0) {
                    // Read but not looked at: the next run reads it again.
                    page_len = i as u64;
                    finished = true;
                    break;
                }
                let e = Entry::parse(start + i as u64, raw);
                if !e.matches(filter, now_ms) {
                    continue;
                }
                swept.matched += 1;
                if counts(&e) {
                    counted += 1;
                    if let Some(l) = &mut left {
                        *l -= 1;
                    }
                }
                entries.push(e);
            }
            if dry_run && read_counters {
                let ids: Vec<&str> = entries.iter().filter_map(Entry::message_id).collect();
                let counts = q.replay_counts(&ids)?;
                let mut it = counts.into_iter();
                for e in entries.iter_mut().filter(|e| e.message_id().is_some()) {
                    e.replays = it.next();
                }
            }
            let calls = plan(&entries)?;
            next = Some(Planned { entries, calls, next: 0, shift: 0 });
        }
        let mut removed = 0;
        if let Some(p) = current.as_mut() {
            let call = &p.calls[p.next];
            p.next += 1;
            match q.recv_dlq_move(&call.mode) {
                Ok((outcomes, undisturbed)) => {
                    swept.disturbed |= !undisturbed;
                    removed = outcomes.iter().filter(|o| **o != Moved::Limit).count() as u64;
                    acted += outcomes.iter().filter(|o| **o == Moved::Done).count() as u64;
                    p.shift += removed;
                    done(&p.entries, call, &outcomes)?;
                }
                Err(e) if connection_lost(&e) => return Err(failed.unwrap_or(e)),
                Err(e) => {
                    failed.get_or_insert(e);
                }
            }
        }
        match next {
            // After a refused batch no new page is taken on (its read was already in flight).
            Some(_) if failed.is_some() => {}
            Some(mut n) => {
                n.shift = removed;
                start = start + page_len - removed;
                if !dry_run && !n.calls.is_empty() {
                    current = Some(n);
                }
            }
            None => start = start.saturating_sub(removed),
        }
        bar.set_position(if filter.limit.is_some() { counted } else { swept.scanned });
    }
}

/// The most entries the count of what is left after `--limit` reads (about a second).
pub const REST_SCAN_MAX: u64 = 1_000_000;

/// How a run that stopped early can say truthfully how many matched: at `--limit`, how many
/// more match now (one read-only pass, abandoned on a further signal); interrupted, how many
/// entries the DLQ still holds.
#[derive(Debug, Default, Clone, Copy)]
pub struct Rest {
    /// Stopped at --limit: this many matching entries are still in the DLQ (None: not
    /// counted, a second signal came).
    pub limit: Option<Option<u64>>,
    /// Interrupted: the DLQ's length afterwards.
    pub interrupted_left: Option<u64>,
}

impl Rest {
    /// Best effort: the operation is done; a count that fails (the link broke) or would read
    /// more than [`REST_SCAN_MAX`] entries says "more may match" instead of failing the run.
    pub fn find(
        q: &mut Queue,
        filter: &DlqFilter,
        limit_reached: bool,
        interrupted: bool,
        counts: &dyn Fn(&Entry) -> bool,
        stop: &dyn Fn() -> bool,
    ) -> Rest {
        let mut rest = Rest::default();
        if interrupted {
            rest.interrupted_left = q.dlq_len_and_time().ok().map(|(len, _)| len);
        } else if limit_reached {
            let mut unlimited = filter.clone();
            unlimited.limit = None;
            let mut s = Scanner::new(&unlimited);
            let mut n = 0;
            rest.limit = Some(loop {
                if stop() || s.scanned > REST_SCAN_MAX {
                    break None;
                }
                let Ok(batch) = s.next_batch(q, 10_000, counts) else { break None };
                n += batch.iter().filter(|e| counts(e)).count() as u64;
                if batch.is_empty() && s.finished() {
                    break Some(n);
                }
            });
        }
        rest
    }

    /// The summary line: "{verb} N of M matching entries from DLQ" when M is known, else what
    /// is known. `place` follows "entries" ("from DLQ", "from DLQ onto QUEUE").
    #[allow(clippy::too_many_arguments)]
    pub fn summary(&self, verb: &str, done: u64, matched: u64, dry: bool, limit: Option<u64>, place: &str, dlq: &str) -> String {
        let limit = limit.unwrap_or(done);
        match (self.limit, self.interrupted_left) {
            (_, Some(left)) => {
                format!("{verb} {done} matching entries {place} before the interrupt; {dlq} holds {left} entries now")
            }
            (Some(Some(more)), _) if dry => format!("{verb} {done} of {more} matching entries {place} (--limit {limit})"),
            (Some(Some(more)), _) => {
                format!("{verb} {done} matching entries {place} (--limit {limit}); {more} more match these filters")
            }
            (Some(None), _) => format!("{verb} {done} matching entries {place} (--limit {limit}; more may match)"),
            (None, None) => format!("{verb} {done} of {matched} matching entries {place}"),
        }
    }
}

/// Whether an error means the connection is gone (nothing more can be sent), rather than one
/// command refused.
fn connection_lost(e: &anyhow::Error) -> bool {
    e.downcast_ref::<Failure>().is_some_and(|f| f.transient || f.code == crate::exit::Code::Unreachable)
}

/// `--id` names entries; when none of them is in the DLQ, that is a failure (exit 1), not an
/// empty success: an ID with a typo must not look like a replay or a purge that happened (the
/// official mint tool exits 1 too). Filters without `--id` may match nothing (exit 0).
pub fn no_entry_for_ids(filter: &crate::cli::DlqFilter, matched: u64, interrupted: bool, dlq: &str) -> Result<()> {
    if filter.ids.is_empty() || matched > 0 || interrupted {
        return Ok(());
    }
    let ids = filter.ids.iter().map(|i| format!("--id {i}")).collect::<Vec<_>>().join(" ");
    let others = !filter.matches.is_empty()
        || filter.error.is_some()
        || filter.older_than.is_some()
        || filter.newer_than.is_some()
        || filter.shape.is_some()
        || !filter.classes.is_empty();
    let (with, check) = if others {
        (" with the other filters", "`hokusai-queue dlq list` with the same filters shows what matches")
    } else {
        ("", "check the id with `hokusai-queue dlq list`")
    };
    Err(Failure::failed(format!("no entry of {dlq} matches {ids}{with}: {check}; nothing changed")).into())
}

/// What a summary says about entries someone else moved first.
pub const GONE_NOTE: &str = "moved or deleted by someone else first; nothing was done to them";
