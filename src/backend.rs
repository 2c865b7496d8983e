//! The operations both backends share at the command level (issue 15): send a batch, take a
//! batch under a lease, acknowledge it, count what is left. `migrate` talks to this trait
//! only, whichever way it moves; Redis delegates to [`crate::queue::Queue`] (its claim, ack
//! and settle scripts), SQS to [`crate::sqs::Sqs`].
//!
//! The other commands reach their backend through [`QueueOps`] (src/backend/ops.rs), which
//! [`open`] picks from the configuration.

mod ops;
#[cfg(feature = "sqs")]
mod sqs;

#[cfg(not(feature = "sqs"))]
pub use ops::no_sqs;
pub use ops::{QueueOps, RedisOps, ensure_supported, open};

use std::collections::HashMap;
use std::time::Duration;

use anyhow::Result;

use crate::queue::keys::ListName;
use crate::queue::profile::Profile;
use crate::queue::{Queue, single};

/// A message taken under a lease: its exact bytes and how the backend acknowledges it.
#[derive(Debug, Clone)]
pub struct Taken {
    pub body: Vec<u8>,
    /// SQS: the receipt handle. Redis: none (the element itself is the handle).
    pub receipt: Option<String>,
    /// This very message's name within the migration: unique among its messages (two copies
    /// of equal bytes get two tokens) and the same when a rerun takes it again after a run
    /// died. SQS: its MessageId. Redis: SHA-1 of (the migration's nonce, the element's SHA-1,
    /// how many equal elements the migration acknowledged before it). A Redis target pushes a
    /// token once; an SQS FIFO target gets it as the dedupe id.
    pub token: String,
    /// Redis: the element's SHA-1 (hex), for the ack.
    pub digest: Option<String>,
}

/// The source messages an SQS target cannot carry (larger than its MaximumMessageSize once
/// encoded): how many, and the first one's place, identity and size.
#[derive(Debug, Clone)]
pub struct Oversized {
    pub count: u64,
    pub first: String,
}

/// A message's encoded size for the size check, given by the caller (the SQS code knows it).
pub type SizeOf<'a> = &'a dyn Fn(&[u8]) -> u64;

/// What is left on a source, for the loop's end and the verification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Left {
    /// Ready to be taken now.
    pub ready: u64,
    /// Taken by someone (a lease or SQS's in-flight) and not yet acknowledged or returned.
    pub held: u64,
    /// Redis: delayed retries parked in the retry set (ZCARD).
    pub parked: u64,
}

pub trait Backend {
    /// Where this is, for messages: `redis://host:6379 · queue` or the SQS URL.
    fn describe(&self) -> String;
    /// Sends the messages in order; returns only when the backend confirmed every one of them,
    /// with, per message, whether it was put there now (false: an earlier run of this
    /// migration put this very message there, by its token).
    fn send(&mut self, msgs: &[Taken]) -> Result<Vec<bool>>;
    /// Takes up to `n` messages under a lease of `lease` (returns, once, any expired lease of a
    /// run that died first). Empty: nothing ready now.
    fn take(&mut self, n: usize, lease: Duration) -> Result<Vec<Taken>>;
    /// Acknowledges taken messages: they leave the source for good.
    fn ack(&mut self, taken: &[Taken]) -> Result<()>;
    /// On a target, after the source acknowledged `msgs`: their tokens need no remembering.
    fn forget(&mut self, _msgs: &[Taken]) -> Result<()> {
        Ok(())
    }
    /// The leg is over with its source empty: what this backend remembered for a rerun goes.
    fn done(&mut self, _as_source: bool) -> Result<()> {
        Ok(())
    }
    /// What is left.
    fn left(&mut self) -> Result<Left>;
    /// Whether [`Self::left`] is an approximation that lags (SQS's attributes), not an exact count.
    fn counts_approximate(&self) -> bool {
        false
    }
    /// Moves every delayed retry, whatever its due time, to the back of main (Redis), so it
    /// migrates after main. Returns (moved, left in place because not in the profile's format).
    fn promote_parked(&mut self) -> Result<(u64, u64)> {
        Ok((0, 0))
    }
    /// How many parked retries are not in the profile's format (read only).
    fn foreign_parked(&mut self) -> Result<u64> {
        Ok(0)
    }
    /// The largest message this backend takes (SQS: MaximumMessageSize), if it has a limit.
    fn max_message_size(&mut self) -> Result<Option<u64>> {
        Ok(None)
    }
    /// The messages that would migrate (main, processing, the retry set) larger than `max`
    /// by `size`. `None` when the source cannot be read without taking (SQS).
    fn oversized(&mut self, _max: u64, _size: SizeOf) -> Result<Option<Oversized>> {
        Ok(None)
    }
    /// How many of the messages taken so far had been taken before by someone who never
    /// acknowledged them (a run that died): they may already be on the target.
    fn retaken(&self) -> u64;
    /// The identity of every message present (ids, or a digest of the bytes) and how many
    /// messages have it, for the verification. SQS cannot list without receiving: `None`.
    fn present(&mut self) -> Result<Option<HashMap<String, u64>>>;
}

/// A message's identity across backends: its message_id (envelope), idempotency key (mint),
/// else the SHA-1 of its bytes.
pub fn identity(profile: Profile, body: &[u8]) -> String {
    let id = single::identify(profile, ListName::Main, body);
    match (profile, id.idempotency_key, id.message_id) {
        (Profile::Mint, Some(k), _) => k,
        (_, _, Some(m)) => m,
        (_, Some(k), None) => k,
        _ => format!("sha1:{}", sha1_smol::Sha1::from(body).digest()),
    }
}

/// The Redis side: main list, processing with leases, as drain uses them.
pub struct RedisBackend {
    pub q: Queue,
    profile: Profile,
    reclaimed: bool,
    retaken: u64,
    /// The migration's nonce (as a source), read at the first take.
    run: Option<String>,
}

impl RedisBackend {
    pub fn new(mut q: Queue) -> Self {
        q.name_consumer();
        let profile = q.keys.profile;
        Self { q, profile, reclaimed: false, retaken: 0, run: None }
    }

    /// Each element's token (see [`Taken::token`]): the k-th of equal elements in this batch
    /// counts on from how many of them the migration acknowledged.
    fn tokens(&mut self, digests: &[String]) -> Result<Vec<String>> {
        if self.run.is_none() {
            self.run = Some(self.q.migrate_run()?);
        }
        let run = self.run.clone().unwrap_or_default();
        let acked = self.q.migrate_acked(digests)?;
        let mut seen: HashMap<&str, u64> = HashMap::new();
        Ok(digests
            .iter()
            .zip(acked)
            .map(|(d, base)| {
                let j = seen.entry(d.as_str()).or_insert(0);
                let ordinal = base + *j;
                *j += 1;
                sha1_smol::Sha1::from(format!("hokusai-queue migrate {run} {d} {ordinal}")).digest().to_string()
            })
            .collect())
    }
}

/// Each member of a retry set read with its element, in pages, when the set is large.
const PAGE: usize = 1000;

impl Backend for RedisBackend {
    fn describe(&self) -> String {
        format!("{} · {}", self.q.endpoint(), self.q.keys.main)
    }

    fn send(&mut self, msgs: &[Taken]) -> Result<Vec<bool>> {
        let tokens: Vec<String> = msgs.iter().map(|m| m.token.clone()).collect();
        let bodies: Vec<Vec<u8>> = msgs.iter().map(|m| m.body.clone()).collect();
        self.q.migrate_push(&tokens, &bodies)
    }

    fn forget(&mut self, msgs: &[Taken]) -> Result<()> {
        let tokens: Vec<String> = msgs.iter().map(|m| m.token.clone()).collect();
        self.q.migrate_forget(&tokens)
    }

    fn done(&mut self, as_source: bool) -> Result<()> {
        if as_source { self.q.migrate_source_done() } else { self.q.migrate_target_done() }
    }

    fn promote_parked(&mut self) -> Result<(u64, u64)> {
        const STEP: usize = 500;
        let mut total = 0;
        loop {
            let (moved, foreign) = self.q.promote_pending(STEP)?;
            total += moved;
            if moved == 0 {
                return Ok((total, foreign));
            }
        }
    }

    fn foreign_parked(&mut self) -> Result<u64> {
        let len = self.q.depth()?.retry as usize;
        let members = self.q.peek_retry(false, len)?.members;
        Ok(members.iter().filter(|(m, _)| !crate::queue::doctor::retry_member_ok(self.profile, m)).count() as u64)
    }

    fn oversized(&mut self, max: u64, size: SizeOf) -> Result<Option<Oversized>> {
        let mut count = 0u64;
        let mut first: Option<String> = None;
        let profile = self.profile;
        let mut note = |place: String, bytes: &[u8]| {
            let n = size(bytes);
            if n > max {
                count += 1;
                first.get_or_insert_with(|| format!("{place}, {}, {n} bytes", identity(profile, bytes)));
            }
        };
        for list in [ListName::Main, ListName::Processing] {
            let mut offset = 0u64;
            loop {
                let page = self.q.peek(list, false, offset, PAGE)?;
                let n = page.elements.len();
                for (pos, e) in &page.elements {
                    note(format!("{} position {pos}", self.q.keys.list(list)), &e.raw);
                }
                offset += n as u64;
                if n < PAGE {
                    break;
                }
            }
        }
        let len = self.q.depth()?.retry as usize;
        for (i, (m, _)) in self.q.peek_retry(false, len)?.members.iter().enumerate() {
            if crate::queue::doctor::retry_member_ok(profile, m) {
                note(format!("{} (retry set) member {i}", self.q.keys.retry), single::message_bytes(profile, ListName::Retry, m));
            }
        }
        Ok(first.map(|first| Oversized { count, first }))
    }

    fn take(&mut self, n: usize, lease: Duration) -> Result<Vec<Taken>> {
        if !self.reclaimed {
            // Leases of a run that died: back to the consumer end, byte for byte, first.
            let scan = self.q.scan_processing(lease, true)?;
            for e in &scan.expired {
                if self.q.settle(e, e, crate::queue::consume::Dest::Front, true)? == crate::queue::consume::Settled::Moved {
                    self.retaken += 1;
                }
            }
            self.reclaimed = scan.next_deadline_ms.is_none();
        }
        let claimed = self.q.claim(n, lease, 0)?;
        if claimed.elements.is_empty() {
            // Look again for leases that expired meanwhile before calling it done.
            self.reclaimed = false;
            return Ok(vec![]);
        }
        let digests: Vec<String> = if claimed.digests.len() == claimed.elements.len() {
            claimed.digests
        } else {
            claimed.elements.iter().map(|e| sha1_smol::Sha1::from(e).digest().to_string()).collect()
        };
        let tokens = self.tokens(&digests)?;
        Ok(claimed
            .elements
            .into_iter()
            .zip(digests)
            .zip(tokens)
            .map(|((body, digest), token)| Taken { body, receipt: None, token, digest: Some(digest) })
            .collect())
    }

    fn retaken(&self) -> u64 {
        self.retaken
    }

    fn ack(&mut self, taken: &[Taken]) -> Result<()> {
        // With the occurrence counters, in the same step: the next copy of equal bytes gets the
        // next token; a copy a run sent and did not acknowledge keeps its token.
        let elements: Vec<Vec<u8>> = taken.iter().map(|t| t.body.clone()).collect();
        let digests: Vec<String> = taken.iter().filter_map(|t| t.digest.clone()).collect();
        let counts = self.q.migrate_acked_key();
        self.q.ack_counting(&elements, &digests, Some(&counts))?;
        Ok(())
    }

    fn left(&mut self) -> Result<Left> {
        let d = self.q.depth()?;
        Ok(Left { ready: d.main, held: d.processing, parked: d.retry })
    }

    fn present(&mut self) -> Result<Option<HashMap<String, u64>>> {
        let mut ids = HashMap::new();
        for list in [ListName::Main, ListName::Processing] {
            let mut offset = 0u64;
            loop {
                let page = self.q.peek(list, false, offset, PAGE)?;
                let n = page.elements.len();
                for (_, e) in page.elements {
                    *ids.entry(identity(self.profile, &e.raw)).or_insert(0) += 1;
                }
                offset += n as u64;
                if n < PAGE {
                    break;
                }
            }
        }
        Ok(Some(ids))
    }
}

/// The SQS side. FIFO: every message gets its group id and its identity as the dedupe id, so a
/// batch sent twice (a crash between send and acknowledge) lands once.
#[cfg(feature = "sqs")]
pub struct SqsBackend {
    pub sqs: crate::sqs::Sqs,
    pub profile: Profile,
    pub group_id: Option<String>,
    pub retaken: u64,
}

#[cfg(feature = "sqs")]
impl SqsBackend {
    /// A message `emit` sends. FIFO: its group (below) and its identity as the dedupe id.
    pub fn outgoing(&self, body: &[u8]) -> crate::sqs::Outgoing {
        self.outgoing_as(body, &identity(self.profile, body))
    }

    /// A message `migrate` sends. FIFO: the message's token as the dedupe id, so a resend of
    /// this very message (a run that died after the send) is dropped and equal bytes are not.
    pub fn outgoing_taken(&self, m: &Taken) -> crate::sqs::Outgoing {
        self.outgoing_as(&m.body, &m.token)
    }

    fn outgoing_as(&self, body: &[u8], dedupe: &str) -> crate::sqs::Outgoing {
        let fifo = self.sqs.fifo;
        crate::sqs::Outgoing {
            body: body.to_vec(),
            group_id: fifo.then(|| self.group_id.clone().unwrap_or_else(|| group_of(self.profile, body))),
            dedupe_id: fifo.then(|| dedupe_id(dedupe)),
        }
    }
}

/// The FIFO group of a message when `--group-id` is not given: the payload's `model_id`
/// (envelope) or the request's `model_id` (mint), so each model's messages stay in order.
pub fn group_of(profile: Profile, body: &[u8]) -> String {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let model = match profile {
        Profile::Envelope => v.pointer("/payload/model_id"),
        _ => v.get("model_id").or_else(|| v.get("model_id_uint")),
    };
    match model {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s.chars().take(128).collect(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => "hokusai-queue".to_owned(),
    }
}

/// A dedupe id SQS accepts (at most 128 characters): the identity, or its SHA-1 when longer.
pub fn dedupe_id(identity: &str) -> String {
    if identity.len() <= 128 && identity.chars().all(|c| c.is_ascii_graphic()) {
        identity.to_owned()
    } else {
        sha1_smol::Sha1::from(identity).digest().to_string()
    }
}

#[cfg(feature = "sqs")]
impl Backend for SqsBackend {
    fn describe(&self) -> String {
        self.sqs.url.clone()
    }

    fn send(&mut self, msgs: &[Taken]) -> Result<Vec<bool>> {
        let out: Vec<_> = msgs.iter().map(|m| self.outgoing_taken(m)).collect();
        match self.sqs.send_all(&out, 4, &mut |_| {}) {
            (_, None) => Ok(vec![true; msgs.len()]),
            (_, Some(e)) => Err(e),
        }
    }

    fn max_message_size(&mut self) -> Result<Option<u64>> {
        Ok(self.sqs.attributes()?.max_message_size)
    }

    fn take(&mut self, n: usize, lease: Duration) -> Result<Vec<Taken>> {
        // A short poll first (a 1 s long poll on every receive made `migrate --to redis`
        // against moto 5 times slower); an empty answer may be a short poll's sample of SQS's
        // servers, so then a long poll.
        let mut got = self.sqs.receive(n, lease, Duration::ZERO)?;
        if got.is_empty() {
            got = self.sqs.receive(n, lease, Duration::from_secs(1))?;
        }
        self.retaken += got.iter().filter(|r| r.receive_count > 1).count() as u64;
        Ok(got
            .into_iter()
            .map(|r| Taken { body: r.body, receipt: Some(r.receipt), token: r.sqs_message_id, digest: None })
            .collect())
    }

    fn ack(&mut self, taken: &[Taken]) -> Result<()> {
        let receipts: Vec<&str> = taken.iter().filter_map(|t| t.receipt.as_deref()).collect();
        let failed = self.sqs.delete(&receipts)?;
        if !failed.is_empty() {
            return Err(crate::exit::Failure::failed(format!(
                "SQS did not delete {} of {} messages (their visibility ran out?): they will be received again",
                failed.len(),
                receipts.len()
            ))
            .into());
        }
        Ok(())
    }

    fn left(&mut self) -> Result<Left> {
        let a = self.sqs.attributes()?;
        Ok(Left { ready: a.visible + a.delayed, held: a.in_flight, parked: 0 })
    }

    fn retaken(&self) -> u64 {
        self.retaken
    }

    fn counts_approximate(&self) -> bool {
        true
    }

    fn present(&mut self) -> Result<Option<HashMap<String, u64>>> {
        Ok(None)
    }
}
