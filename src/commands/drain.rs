//! `drain`: take messages with leases, hand each to stdout or a handler, then ack, retry or
//! dead-letter it. At-least-once: a crash at any point leaves the message in processing, where
//! `reap-stale` finds it.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use anyhow::Result;
use serde_json::json;

use crate::cli::{DrainArgs, OutputFormat};
use crate::config::{Backoff, Config};
use crate::exit::{Failure, Quiet};
use crate::handler::{Handler, Outcome};
use crate::output;
use crate::queue::Queue;
use crate::queue::consume::{Dest, Settled, SignalDuringWait};
use crate::queue::message::{self, DEFAULT_MAX_RETRIES, Element, Envelope, Shape, dlq_wrapper};
use crate::queue::mint;
use crate::queue::profile::Profile;
use crate::signals::Interrupts;
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
}

pub fn run(cfg: &Config, args: &DrainArgs, format: OutputFormat) -> Result<()> {
    if args.exec.is_some() && !cfg.keys.profile.writes_messages() {
        return Err(Failure::usage(
            cfg.keys.profile.refuse_to_write(&cfg.keys.main, "drain --exec (a failed attempt is retried or dead-lettered)"),
        )
        .into());
    }
    let interrupts = Interrupts::install()?;
    let policy = mint::Policy::from_env(|k| std::env::var(k).ok().filter(|v| !v.is_empty())).map_err(Failure::usage)?;
    let q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    let bar = ui::spinner("draining");
    let mut d = Drain { q, policy, args, interrupts, summary: Summary::default(), taken: 0, bar };
    let started = Instant::now();
    let result = d.run_loop();
    d.bar.finish_and_clear();
    // A run that failed before taking anything has nothing to summarise but its error.
    if result.is_ok() || d.taken > 0 {
        report(&d.summary, started.elapsed(), format, args.exec.is_some(), &cfg.keys.main)?;
    }
    result?;
    if d.interrupts.count() > 0 {
        return Err(Quiet(d.interrupts.exit_code()).into());
    }
    Ok(())
}

impl Drain<'_> {
    fn run_loop(&mut self) -> Result<()> {
        let mut idle_since: Option<Instant> = None;
        loop {
            if self.interrupts.count() > 0 || self.args.max.is_some_and(|m| self.taken >= m) {
                return Ok(());
            }
            let room = self.args.max.map_or(u64::MAX, |m| m - self.taken);
            let want = if self.args.exec.is_some() { 1 } else { u64::from(self.args.batch).min(room) as usize };
            let (claimed, foreign) = self.q.claim_batch(want, self.args.visibility_timeout, 1000)?;
            self.foreign(foreign);
            if !claimed.is_empty() {
                idle_since = None;
                self.handle(claimed)?;
                continue;
            }
            // Empty. Keep going while retries are pending, or while --wait/--follow allow.
            let idle = *idle_since.get_or_insert_with(Instant::now);
            let next_retry = self.q.next_retry_in()?;
            let wait_left = match (self.args.follow, self.args.wait) {
                (true, _) => Some(IDLE_BLOCK),
                (false, Some(w)) => w.checked_sub(idle.elapsed()).filter(|d| !d.is_zero()),
                (false, None) => None,
            };
            let block = match (wait_left, next_retry) {
                (None, None) => return Ok(()),
                (Some(w), None) => w,
                (None, Some(r)) => r,
                (Some(w), Some(r)) => w.min(r),
            }
            .clamp(Duration::from_millis(10), IDLE_BLOCK);
            let claimed = match self.q.claim_blocking(block, self.args.visibility_timeout) {
                Ok(c) => c,
                // A signal interrupts the blocked read (a socket with a timeout is never
                // restarted): stop as asked. Should the server have moved a message just then,
                // it waits unleased in processing, where `reap-stale` finds it.
                Err(e) if e.downcast_ref::<SignalDuringWait>().is_some() => {
                    // Our handler counts the signal on its own thread: give it a moment.
                    for _ in 0..50 {
                        if self.interrupts.count() > 0 {
                            return Ok(());
                        }
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    continue; // another signal (not ours to act on): wait again
                }
                Err(e) => return Err(e),
            };
            if let Some(e) = claimed {
                idle_since = None;
                if self.interrupts.count() > 0 {
                    self.give_back(&e)?;
                    return Ok(());
                }
                self.handle(vec![e])?;
            }
        }
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

    fn handle(&mut self, claimed: Vec<Vec<u8>>) -> Result<()> {
        match self.q.keys.profile {
            Profile::Mint => return self.handle_mint(claimed),
            Profile::Opaque => return self.handle_opaque(claimed),
            Profile::Envelope => {}
        }
        self.taken += claimed.len() as u64;
        let Some(cmd) = self.args.exec.clone() else {
            // No handler: lines on stdout.
            let mut good = Vec::with_capacity(claimed.len());
            for raw in claimed {
                match self.check_quick(raw) {
                    Ok(raw) => good.push(raw),
                    Err((raw, reason)) => self.dead_letter(&raw, &reason)?,
                }
            }
            return self.write_and_ack(good);
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
            if self.interrupts.count() > 0 {
                // Stop taking: what was claimed but not started goes back, unpenalised.
                self.give_back(&raw)?;
                for (raw, _) in rest.by_ref() {
                    self.give_back(&raw)?;
                }
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
    /// decided without a JSON tree (the whole element validated as `Element::parse` would, then
    /// the quick reader for its shape), everything else by the full parse. An element with a
    /// line break always takes the full path, so `write_line`'s re-parse cannot fail.
    fn check_quick(&self, raw: Vec<u8>) -> Result<Vec<u8>, (Vec<u8>, String)> {
        if raw.len() <= self.args.max_message_bytes
            && raw.trim_ascii_start().first() == Some(&b'{')
            && !raw.iter().any(|b| matches!(b, b'\n' | b'\r'))
            && message::is_valid_json(&raw)
            && message::Quick::parse(&raw).is_some_and(|q| q.shape == "envelope")
        {
            return Ok(raw);
        }
        self.check(raw).map(|(raw, _)| raw)
    }

    /// Without a handler: each envelope as one line on stdout, flushed, then acked.
    fn write_and_ack(&mut self, good: Vec<Vec<u8>>) -> Result<()> {
        if good.is_empty() {
            return Ok(());
        }
        let written = {
            let mut out = io::stdout().lock();
            good.iter().try_for_each(|raw| write_line(&mut out, raw)).and_then(|_| out.flush())
        };
        if let Err(e) = written {
            for raw in &good {
                self.give_back(raw)?;
            }
            return Err(Failure::failed(format!(
                "cannot write to stdout ({e}); the {} messages not yet written were returned to the front of the queue",
                good.len()
            ))
            .into());
        }
        let acked = self.q.ack(&good)?;
        self.count_acks(&acked);
        Ok(())
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
    fn handle_opaque(&mut self, claimed: Vec<Vec<u8>>) -> Result<()> {
        self.taken += claimed.len() as u64;
        let printable = |raw: &Vec<u8>| std::str::from_utf8(raw).is_ok() && !raw.iter().any(|b| matches!(b, b'\n' | b'\r'));
        let cut = claimed.iter().position(|r| !printable(r)).unwrap_or(claimed.len());
        let mut claimed = claimed;
        let rest = claimed.split_off(cut);
        self.write_and_ack(claimed)?;
        if rest.is_empty() {
            return Ok(());
        }
        // Put back newest first, so the next RPUSH-to-front leaves them in their order.
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
        let mut valid = Vec::with_capacity(claimed.len());
        for raw in claimed {
            if raw.len() > self.args.max_message_bytes {
                let why =
                    format!("message of {} bytes is larger than --max-message-bytes {}", raw.len(), self.args.max_message_bytes);
                self.dead_letter_mint(&raw, &why, "permanent")?;
                continue;
            }
            match mint::parse_and_validate(&raw) {
                Ok(v) => valid.push((raw, v)),
                Err(reject) => self.dead_letter_mint(&raw, &reject.reason(), "permanent")?,
            }
        }
        let keys: Vec<&str> = valid.iter().map(|(_, v)| v["idempotency_key"].as_str().unwrap_or_default()).collect();
        let settled = self.q.already_processed(&keys)?;
        let mut fresh = Vec::with_capacity(valid.len());
        let mut dups = Vec::new();
        for ((raw, v), done) in valid.into_iter().zip(settled) {
            if done { dups.push((raw, v)) } else { fresh.push((raw, v)) }
        }
        if !dups.is_empty() {
            let raws: Vec<Vec<u8>> = dups.iter().map(|(r, _)| r.clone()).collect();
            let acked = self.q.ack(&raws)?;
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
        let Some(cmd) = self.args.exec.clone() else {
            let raws = fresh.into_iter().map(|(raw, _)| raw).collect();
            return self.write_and_ack(raws);
        };
        let mut rest = fresh.into_iter();
        while let Some((raw, v)) = rest.next() {
            if self.interrupts.count() > 0 {
                self.give_back(&raw)?;
                for (raw, _) in rest.by_ref() {
                    self.give_back(&raw)?;
                }
                break;
            }
            let text = |k: &str| v.get(k).and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
            let vars = vec![
                ("HOKUSAI_MESSAGE_ID", text("message_id")),
                ("HOKUSAI_MESSAGE_TYPE", text("message_type")),
                ("HOKUSAI_RETRY_COUNT", mint::retry_count(&v).to_string()),
                ("HOKUSAI_IDEMPOTENCY_KEY", text("idempotency_key")),
            ];
            if let Some(reason) = self.execute(&cmd, &raw, &vars)? {
                self.failed_mint(&raw, &v, &reason)?;
            }
        }
        Ok(())
    }

    /// A failed mint attempt, decided as the deployer's retry policy decides (3.4): a retry
    /// member in the deployer's retry set (the validated message with `_retryCount` + 1, score
    /// in epoch ms), or its dead letter once the retries are spent.
    fn failed_mint(&mut self, raw: &[u8], v: &serde_json::Value, reason: &str) -> Result<()> {
        let n = mint::retry_count(v);
        match mint::decide(n, reason, false, &self.policy) {
            mint::Decision::Retry { member_retry_count, delay_cap_ms } => {
                let delay = Duration::from_millis((fastrand::f64() * (delay_cap_ms as f64 + 1.0)).floor() as u64);
                let member = mint::retry_member(v, member_retry_count);
                let settled = self.q.settle(raw, &member, Dest::RetryMemberIn(delay), false)?;
                self.count_settled(settled, |s| s.retried += 1);
                self.notice(format!("retry {member_retry_count} in {delay:.1?} (_retryCount {member_retry_count}): {reason}"));
                Ok(())
            }
            mint::Decision::DeadLetter { reason, failure_class } => self.dead_letter_mint(raw, &reason, failure_class),
        }
    }

    /// Dead-letters a mint element in the deployer's shape (4.1), or bare when it is not UTF-8.
    fn dead_letter_mint(&mut self, raw: &[u8], reason: &str, failure_class: &str) -> Result<()> {
        let now = time::OffsetDateTime::now_utc();
        let now_ms = (now.unix_timestamp_nanos() / 1_000_000) as i64;
        let entry =
            mint::dlq_entry(raw, reason, failure_class, &self.q.keys.main, &mint::iso_ms(now_ms)).unwrap_or_else(|| raw.to_vec());
        let settled = self.q.settle(raw, &entry, Dest::DeadLetter, false)?;
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
        if let Some(reason) = self.execute(cmd, raw, &vars)? {
            self.failed_attempt(raw, env, &reason)?;
        }
        Ok(())
    }

    /// Runs the handler on one claimed element, heartbeating its lease; acks it on success.
    /// Returns the reason of a failed attempt.
    fn execute(&mut self, cmd: &str, raw: &[u8], vars: &[(&str, String)]) -> Result<Option<String>> {
        let handler = Handler {
            command: cmd,
            timeout: self.args.handler_timeout,
            heartbeat_every: (self.args.visibility_timeout / 3).max(Duration::from_millis(50)),
            interrupts: &self.interrupts,
        };
        let visibility = self.args.visibility_timeout;
        let q = &mut self.q;
        let outcome = handler.run(raw, vars, &mut || q.extend_lease(raw, visibility).map(|_| ()))?;
        match outcome {
            Outcome::Success => {
                let acked = self.q.ack(&[raw.to_vec()])?;
                self.count_acks(&acked);
                Ok(None)
            }
            Outcome::Failed(reason) => Ok(Some(reason)),
        }
    }

    /// A failed attempt: retry later with retry_count + 1, or dead-letter once exhausted.
    fn failed_attempt(&mut self, raw: &[u8], env: &Envelope, reason: &str) -> Result<()> {
        let tries = env.retry_count().unwrap_or(0);
        let max = env.max_retries().unwrap_or(DEFAULT_MAX_RETRIES);
        if tries < max {
            let backoff = Backoff { retries: 0, base: self.args.retry_base, cap: self.args.retry_cap };
            let delay = backoff.delay(tries.clamp(0, 30) as u32);
            let settled = self.q.settle(raw, &env.with_retry_count(tries + 1), Dest::RetryIn(delay), false)?;
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
        let settled = self.q.settle(raw, &entry, Dest::DeadLetter, false)?;
        self.count_settled(settled, |s| s.dead_lettered += 1);
        self.notice(format!("dead-lettered: {reason}"));
        Ok(())
    }

    /// Puts a claimed, unstarted message back at the front with no retry penalty.
    fn give_back(&mut self, raw: &[u8]) -> Result<()> {
        let settled = self.q.settle(raw, raw, Dest::Front, false)?;
        self.count_settled(settled, |s| s.returned += 1);
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
