//! `drain` on SQS ([`crate::backend::QueueOps::drain`]): long-poll receive, the handler
//! (`--exec`, as on Redis), DeleteMessage on success; ChangeMessageVisibility as the heartbeat
//! while a handler runs and as the backoff after a failure. SQS's redrive policy decides when a
//! message is dead-lettered (its receive count against maxReceiveCount): the body is never
//! rewritten, so the envelope's retry_count stays as sent and the handler sees the attempt as
//! HOKUSAI_SQS_RECEIVE_COUNT.

use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::Result;
use serde_json::json;

use crate::cli::{DrainArgs, OutputFormat};
use crate::config::{Config, SqsTarget};
use crate::exit::{Failure, Quiet};
use crate::handler::{Handler, Outcome};
use crate::output;
use crate::queue::keys::ListName;
use crate::signals::Interrupts;
use crate::sqs::{Received, Sqs};

#[derive(Debug, Default)]
struct Tally {
    taken: u64,
    succeeded: u64,
    failed: u64,
    dead_lettered: u64,
    /// Handled or delivered, but SQS did not delete them: they will be received again.
    undeleted: u64,
}

pub(super) fn run(cfg: &Config, target: &SqsTarget, args: &DrainArgs, format: OutputFormat) -> Result<()> {
    if args.exec_stream.is_some() || args.concurrency > 1 {
        return Err(Failure::usage(
            "on SQS, drain runs one --exec handler at a time: --exec-stream and --concurrency are for Redis \\
             (run several drains for more: SQS hides each received message from the others)",
        )
        .into());
    }
    let sqs = Sqs::connect(target)?;
    let interrupts = Interrupts::install()?;
    let visibility = args.visibility_timeout.max(Duration::from_secs(1));
    let mut tally = Tally::default();
    let mut idle_since = Instant::now();
    let mut stdout = std::io::stdout().lock();
    let mut piped = (args.exec.is_none() && crate::delivery::stdout_is_pipe()).then(|| Piped::new(&sqs, visibility));
    let mut stopped = None;
    'outer: while interrupts.count() == 0 {
        let room = args.max.map_or(crate::sqs::BATCH as u64, |m| m.saturating_sub(tally.taken));
        if room == 0 {
            break;
        }
        // Long poll: up to 20 s a call (SQS's limit), never past --wait.
        let wait = match (args.follow, args.wait) {
            (true, _) => Duration::from_secs(20),
            (false, Some(w)) => w.saturating_sub(idle_since.elapsed()).min(Duration::from_secs(20)),
            (false, None) => Duration::from_secs(1),
        };
        let n = if args.exec.is_some() { 1 } else { room.min(crate::sqs::BATCH as u64) as usize };
        // A short poll first, then the long poll when it found nothing (as migrate does: long
        // polls on every receive were slow against moto), since SQS's short poll samples only
        // some of its servers and an empty answer is not trusted.
        let mut got = sqs.receive(n, visibility, Duration::ZERO)?;
        if got.is_empty() && !wait.is_zero() {
            got = sqs.receive(n, visibility, wait)?;
        }
        if got.is_empty() {
            let waited_enough = match (args.follow, args.wait) {
                (true, _) => false,
                (false, Some(w)) => idle_since.elapsed() >= w,
                (false, None) => true,
            };
            if waited_enough {
                break;
            }
            continue;
        }
        idle_since = Instant::now();
        tally.taken += got.len() as u64;
        let Some(cmd) = &args.exec else {
            if let Some(p) = piped.as_mut() {
                // Into a pipe: deleted only once the reader has taken the line.
                match p.deliver(got, &interrupts)? {
                    None => continue,
                    Some(stop) => {
                        stopped = Some(stop);
                        break 'outer;
                    }
                }
            }
            // A file or a terminal takes what is written at once: written and flushed, then
            // deleted. A crash between the two delivers them again (at least once, as on Redis).
            for m in &got {
                stdout.write_all(&m.body)?;
                stdout.write_all(b"\n")?;
            }
            stdout.flush()?;
            let receipts: Vec<&str> = got.iter().map(|m| m.receipt.as_str()).collect();
            let failed = sqs.delete(&receipts)?;
            tally.undeleted += undeleted(&failed, receipts.len());
            tally.succeeded += (got.len() - failed.len()) as u64;
            continue;
        };
        for m in got {
            if interrupts.count() > 0 {
                // Not started: visible again at once for another consumer.
                sqs.change_visibility(&m.receipt, Duration::ZERO)?;
                break 'outer;
            }
            match handle(&sqs, cfg, args, cmd, &m, visibility, &interrupts)? {
                Outcome::Success => {
                    let failed = sqs.delete(&[m.receipt.as_str()])?;
                    tally.undeleted += undeleted(&failed, 1);
                    tally.succeeded += 1;
                }
                Outcome::Failed(reason) => {
                    // Backoff by visibility: exponential in the receive count, full jitter.
                    let cap = args.retry_cap().unwrap_or(args.retry_base).as_secs_f64();
                    let base = args.retry_base.as_secs_f64() * 2f64.powi(m.receive_count.saturating_sub(1).min(30) as i32);
                    let delay = Duration::from_secs_f64(base.min(cap) * fastrand::f64());
                    sqs.change_visibility(&m.receipt, delay)?;
                    tally.failed += 1;
                    eprintln!(
                        "hokusai-queue: attempt {} failed: {reason}; visible again in {}s (the redrive policy dead-letters it \
                         after its maxReceiveCount)",
                        m.receive_count,
                        delay.as_secs()
                    );
                }
                Outcome::Unfit(reason) => {
                    dead_letter(&sqs, &m, &reason)?;
                    tally.dead_lettered += 1;
                }
                Outcome::NotStarted(reason) => {
                    sqs.change_visibility(&m.receipt, Duration::ZERO)?;
                    return Err(Failure::failed(format!("{reason}; the message is visible again, untouched")).into());
                }
            }
        }
    }
    if let Some(p) = piped.as_mut() {
        // What sits in the pipe is not delivered until the reader takes it.
        let stop = p.finish(stopped.take(), &interrupts)?;
        tally.succeeded += p.deleted;
        tally.undeleted += p.undeleted;
        if let Some(Stop::Closed(e)) = stop {
            return Err(Failure::failed(format!(
                "stdout's reader stopped reading ({e}) after taking {} messages; the {} it did not take ({} left unread \
                 in the pipe) were returned unstarted: visible again at once on {}",
                p.deleted + p.undeleted,
                p.returned,
                p.returned_unread,
                sqs.url
            ))
            .into());
        }
    }
    let summary = json!({
        "queue_url": sqs.url,
        "taken": tally.taken,
        "succeeded": tally.succeeded,
        "failed_attempts": tally.failed,
        "dead_lettered": tally.dead_lettered,
    });
    if args.exec.is_some() {
        match format {
            OutputFormat::Json => output::json(&summary)?,
            OutputFormat::Jsonl => output::line(&summary.to_string())?,
            _ => eprintln!(
                "hokusai-queue: drained {} from {}: {} succeeded, {} failed attempts, {} dead-lettered",
                tally.taken, sqs.url, tally.succeeded, tally.failed, tally.dead_lettered
            ),
        }
    }
    if interrupts.count() > 0 {
        return Err(Quiet(interrupts.exit_code()).into());
    }
    if tally.undeleted > 0 {
        return Err(Failure::failed(format!(
            "SQS did not delete {} message(s) this drain delivered (their visibility ran out?): they will be received again",
            tally.undeleted
        ))
        .into());
    }
    if tally.failed > 0 {
        return Err(Quiet(crate::exit::Code::Failed).into());
    }
    Ok(())
}

/// Runs the handler on one message, keeping it invisible (a heartbeat every third of the
/// visibility timeout) while the handler runs.
fn handle(
    sqs: &Sqs,
    cfg: &Config,
    args: &DrainArgs,
    cmd: &str,
    m: &Received,
    visibility: Duration,
    interrupts: &Interrupts,
) -> Result<Outcome> {
    let id = crate::queue::single::identify(cfg.keys.profile, ListName::Main, &m.body);
    let v: serde_json::Value = serde_json::from_slice(&m.body).unwrap_or_default();
    let text = |k: &str| v.get(k).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
    let vars = vec![
        ("HOKUSAI_MESSAGE_ID", id.message_id.unwrap_or_default()),
        ("HOKUSAI_MESSAGE_TYPE", text("message_type")),
        ("HOKUSAI_RETRY_COUNT", m.receive_count.saturating_sub(1).to_string()),
        ("HOKUSAI_IDEMPOTENCY_KEY", id.idempotency_key.unwrap_or_default()),
        ("HOKUSAI_SQS_RECEIVE_COUNT", m.receive_count.to_string()),
        ("HOKUSAI_SQS_MESSAGE_ID", m.sqs_message_id.clone()),
    ];
    let handler = Handler { command: cmd, timeout: args.handler_timeout, heartbeat_every: visibility / 3, interrupts };
    handler.run(&m.body, &vars, &mut || sqs.change_visibility(&m.receipt, visibility))
}

/// A message no handler can take: to the DLQ of the redrive policy (sent first, then deleted
/// here: never deleted before the DLQ has it). Without a DLQ it stays, hidden for the
/// visibility timeout, for an operator.
fn dead_letter(sqs: &Sqs, m: &Received, reason: &str) -> Result<()> {
    let Some(dlq) = sqs.dead_letter_queue()? else {
        eprintln!("hokusai-queue: {reason}; the queue has no DLQ (redrive policy), so it stays on the queue");
        return Ok(());
    };
    let out = crate::sqs::Outgoing {
        body: m.body.clone(),
        group_id: dlq.fifo.then(|| m.group_id.clone().unwrap_or_else(|| "hokusai-queue".into())),
        dedupe_id: dlq.fifo.then(|| m.sqs_message_id.clone()),
    };
    if let (_, Some(e)) = dlq.send_all(&[out], 1, &mut |_| {}) {
        return Err(e.context("dead-lettering a message no handler can take; it stays on the queue"));
    }
    sqs.delete(&[m.receipt.as_str()])?;
    eprintln!("hokusai-queue: dead-lettered: {reason}");
    Ok(())
}

/// How many of `n` deletes failed, said on stderr as they happen.
fn undeleted(failed: &[String], n: usize) -> u64 {
    if !failed.is_empty() {
        eprintln!(
            "hokusai-queue: SQS did not delete {} of {n} delivered messages (their visibility ran out?): they will be \
             received again",
            failed.len()
        );
    }
    failed.len() as u64
}

/// Why delivery into the pipe stopped early.
enum Stop {
    Closed(std::io::Error),
    Interrupted,
}

/// Drain to stdout when it is a pipe: a line is delivered once the reader has taken it
/// (src/delivery.rs), and only then is its message deleted; what the reader never takes is made
/// visible again at once (ChangeMessageVisibility 0). Held messages are kept invisible (a
/// heartbeat every third of the visibility timeout) while the reader is slow.
struct Piped<'a> {
    sqs: &'a Sqs,
    ledger: crate::delivery::PipeLedger<String>,
    visibility: Duration,
    beat: Instant,
    /// Taken by the reader and deleted / taken but not deleted by SQS.
    deleted: u64,
    undeleted: u64,
    /// Made visible again untaken, and how many of them were left unread in the pipe.
    returned: u64,
    returned_unread: u64,
}

impl<'a> Piped<'a> {
    fn new(sqs: &'a Sqs, visibility: Duration) -> Self {
        crate::delivery::grow_stdout_pipe(1 << 20);
        Self {
            sqs,
            ledger: crate::delivery::PipeLedger::default(),
            visibility,
            beat: Instant::now(),
            deleted: 0,
            undeleted: 0,
            returned: 0,
            returned_unread: 0,
        }
    }

    /// Writes a received batch into the pipe, no faster than the reader takes it, then waits
    /// for the reader to take all of it (so nothing waits in the pipe through the next long
    /// poll). Some(stop): the reader went away or a signal came; the untaken are not released yet.
    fn deliver(&mut self, got: Vec<Received>, interrupts: &Interrupts) -> Result<Option<Stop>> {
        let mut rest: std::collections::VecDeque<Received> = got.into();
        while let Some(m) = rest.front() {
            let mut line = m.body.clone();
            line.push(b'\n');
            if let Some(stop) = self.wait(Some(line.len() as u64), &rest, interrupts)? {
                self.release(rest.into_iter().map(|m| m.receipt), false)?;
                return Ok(Some(stop));
            }
            let m = rest.pop_front().expect("looked at");
            if let Err(e) = self.ledger.write(m.receipt, &line) {
                self.release(rest.into_iter().map(|m| m.receipt), false)?;
                return Ok(Some(Stop::Closed(e)));
            }
        }
        self.wait(None, &rest, interrupts)
    }

    /// Deletes what the reader has taken (once `min` lines are).
    fn settle(&mut self, min: usize) -> Result<()> {
        let done = self.ledger.taken(min);
        if done.is_empty() {
            return Ok(());
        }
        let receipts: Vec<&str> = done.iter().map(String::as_str).collect();
        let failed = self.sqs.delete(&receipts)?;
        let n = undeleted(&failed, receipts.len());
        self.undeleted += n;
        self.deleted += done.len() as u64 - n;
        Ok(())
    }

    /// Waits until a line of `len` bytes fits in the window, or (None) until the reader has taken
    /// everything written, deleting what it takes meanwhile and keeping the rest invisible.
    fn wait(
        &mut self,
        len: Option<u64>,
        unwritten: &std::collections::VecDeque<Received>,
        interrupts: &Interrupts,
    ) -> Result<Option<Stop>> {
        let mut pause = Duration::from_micros(20);
        loop {
            let ready = match len {
                Some(len) => self.ledger.fits(len),
                None => self.ledger.unread() == 0,
            };
            if ready {
                // A fast reader finds the pipe empty at nearly every line: delete by batches.
                self.settle(if len.is_some() { crate::sqs::BATCH } else { 1 })?;
                return Ok(None);
            }
            self.settle(1)?;
            if interrupts.count() > 0 {
                return Ok(Some(Stop::Interrupted));
            }
            if self.beat.elapsed() >= self.visibility / 3 {
                let held: Vec<String> = self.ledger.held().cloned().chain(unwritten.iter().map(|m| m.receipt.clone())).collect();
                for r in &held {
                    self.sqs.change_visibility(r, self.visibility)?;
                }
                self.beat = Instant::now();
            }
            if crate::delivery::reader_closed_within(pause) {
                self.settle(1)?;
                return Ok(Some(Stop::Closed(std::io::Error::from(std::io::ErrorKind::BrokenPipe))));
            }
            pause = (pause * 2).min(Duration::from_millis(5));
        }
    }

    /// At the end: waits for the reader to take what is in the pipe (after a signal, 2 s at
    /// most; a second signal ends the wait at once), then makes the untaken visible again.
    fn finish(&mut self, mut stop: Option<Stop>, interrupts: &Interrupts) -> Result<Option<Stop>> {
        let none = std::collections::VecDeque::new();
        let started = Instant::now();
        while !self.ledger.is_empty() {
            match &stop {
                Some(Stop::Closed(_)) => break,
                Some(Stop::Interrupted) if interrupts.count() > 1 || started.elapsed() > Duration::from_secs(2) => break,
                Some(Stop::Interrupted) => {
                    self.settle(1)?;
                    if crate::delivery::reader_closed_within(Duration::from_millis(10)) {
                        stop = Some(Stop::Closed(std::io::Error::from(std::io::ErrorKind::BrokenPipe)));
                    }
                }
                None => stop = self.wait(None, &none, interrupts)?,
            }
        }
        self.settle(1)?;
        let untaken = self.ledger.untaken();
        self.release(untaken.into_iter(), true)?;
        Ok(stop)
    }

    /// Makes untaken messages visible again at once.
    fn release(&mut self, receipts: impl Iterator<Item = String>, in_pipe: bool) -> Result<()> {
        for r in receipts {
            self.sqs.change_visibility(&r, Duration::ZERO)?;
            self.returned += 1;
            self.returned_unread += u64::from(in_pipe);
        }
        Ok(())
    }
}
