//! The operations both backends share at the command level (issue 15): send a batch, take a
//! batch under a lease, acknowledge it, count what is left. `migrate` talks to this trait
//! only, whichever way it moves; Redis delegates to [`crate::queue::Queue`] (its claim, ack
//! and settle scripts), SQS to [`crate::sqs::Sqs`].

use std::collections::HashSet;
use std::time::Duration;

use anyhow::Result;

use crate::queue::keys::ListName;
use crate::queue::profile::Profile;
use crate::queue::{Outgoing, Queue, single};

/// A message taken under a lease: its exact bytes and how the backend acknowledges it.
#[derive(Debug, Clone)]
pub struct Taken {
    pub body: Vec<u8>,
    /// SQS: the receipt handle. Redis: none (the element itself is the handle).
    pub receipt: Option<String>,
}

/// What is left on a source, for the loop's end and the verification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Left {
    /// Ready to be taken now.
    pub ready: u64,
    /// Taken by someone (a lease or SQS's in-flight) and not yet acknowledged or returned.
    pub held: u64,
}

pub trait Backend {
    /// Where this is, for messages: `redis://host:6379 · queue` or the SQS URL.
    fn describe(&self) -> String;
    /// Sends `bodies` in order; returns only when the backend confirmed every one of them.
    fn send(&mut self, bodies: &[Vec<u8>]) -> Result<()>;
    /// Takes up to `n` messages under a lease of `lease` (returns, once, any expired lease of a
    /// run that died first). Empty: nothing ready now.
    fn take(&mut self, n: usize, lease: Duration) -> Result<Vec<Taken>>;
    /// Acknowledges taken messages: they leave the source for good.
    fn ack(&mut self, taken: &[Taken]) -> Result<()>;
    /// What is left.
    fn left(&mut self) -> Result<Left>;
    /// How many of the messages taken so far had been taken before by someone who never
    /// acknowledged them (a run that died): they may already be on the target.
    fn retaken(&self) -> u64;
    /// The identity of every message present (ids, or a digest of the bytes), for the
    /// verification and for skipping what a crashed run already sent. SQS cannot list
    /// without receiving: `None`.
    fn present(&mut self) -> Result<Option<HashSet<String>>>;
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
}

impl RedisBackend {
    pub fn new(mut q: Queue) -> Self {
        q.name_consumer();
        let profile = q.keys.profile;
        Self { q, profile, reclaimed: false, retaken: 0 }
    }
}

impl Backend for RedisBackend {
    fn describe(&self) -> String {
        format!("{} · {}", self.q.endpoint(), self.q.keys.main)
    }

    fn send(&mut self, bodies: &[Vec<u8>]) -> Result<()> {
        let batch: Vec<Outgoing> = bodies.iter().map(|b| Outgoing::with_notice(b.clone(), Vec::new())).collect();
        self.q.push_one(&batch, None).map_err(|e| self.q.error(e, "pushing a batch"))
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
        let (claimed, _) = self.q.claim_batch(n, lease, 0)?;
        if claimed.is_empty() {
            // Look again for leases that expired meanwhile before calling it done.
            self.reclaimed = false;
        }
        Ok(claimed.into_iter().map(|body| Taken { body, receipt: None }).collect())
    }

    fn retaken(&self) -> u64 {
        self.retaken
    }

    fn ack(&mut self, taken: &[Taken]) -> Result<()> {
        let elements: Vec<Vec<u8>> = taken.iter().map(|t| t.body.clone()).collect();
        self.q.ack(&elements)?;
        Ok(())
    }

    fn left(&mut self) -> Result<Left> {
        let d = self.q.depth()?;
        Ok(Left { ready: d.main, held: d.processing })
    }

    fn present(&mut self) -> Result<Option<HashSet<String>>> {
        const PAGE: usize = 1000;
        let mut ids = HashSet::new();
        for list in [ListName::Main, ListName::Processing] {
            let mut offset = 0u64;
            loop {
                let page = self.q.peek(list, false, offset, PAGE)?;
                let n = page.elements.len();
                ids.extend(page.elements.into_iter().map(|(_, e)| identity(self.profile, &e.raw)));
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
    pub fn outgoing(&self, body: &[u8]) -> crate::sqs::Outgoing {
        let fifo = self.sqs.fifo;
        crate::sqs::Outgoing {
            body: body.to_vec(),
            group_id: fifo.then(|| self.group_id.clone().unwrap_or_else(|| group_of(self.profile, body))),
            dedupe_id: fifo.then(|| dedupe_id(&identity(self.profile, body))),
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

    fn send(&mut self, bodies: &[Vec<u8>]) -> Result<()> {
        let out: Vec<_> = bodies.iter().map(|b| self.outgoing(b)).collect();
        match self.sqs.send_all(&out, 4, &mut |_| {}) {
            (_, None) => Ok(()),
            (_, Some(e)) => Err(e),
        }
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
        Ok(got.into_iter().map(|r| Taken { body: r.body, receipt: Some(r.receipt) }).collect())
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
        Ok(Left { ready: a.visible + a.delayed, held: a.in_flight })
    }

    fn retaken(&self) -> u64 {
        self.retaken
    }

    fn present(&mut self) -> Result<Option<HashSet<String>>> {
        Ok(None)
    }
}
