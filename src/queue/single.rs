//! One message wherever it is (`message inspect | delete | dead-letter | requeue`): found by its
//! id in main, processing, the retry set or the DLQ, reading bounded pages with the profile's own
//! readers, then removed or moved by one script that first checks the exact bytes are still there.

use std::sync::LazyLock;

use anyhow::Result;
use redis::{Script, Value};
use serde_json::Value as Json;

use super::Queue;
use super::keys::ListName;
use super::message::Element;
use super::mint::{self, Original};
use super::profile::Profile;

static MOVE: LazyLock<Script> = script!("msg_move.lua");
static LEASES: LazyLock<Script> = script!("msg_leases.lua");

/// Elements (or retry members) read per round trip while searching.
pub const PAGE: usize = 1000;

/// Every place a message can be, in the order they are searched.
pub const PLACES: [ListName; 4] = [ListName::Main, ListName::Processing, ListName::Retry, ListName::Dlq];

/// A processing element's lease deadline (ms, server clock) and the consumer holding it.
pub type LeaseHolder = (Option<i64>, Option<String>);

/// What a stored element says it is (read leniently: anything missing is `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub message_id: Option<String>,
    /// Mint: the request's `idempotency_key`.
    pub idempotency_key: Option<String>,
}

impl Identity {
    /// Whether `id` names this message: its message_id, or (mint) its idempotency key.
    pub fn answers_to(&self, id: &str) -> bool {
        self.message_id.as_deref() == Some(id) || self.idempotency_key.as_deref() == Some(id)
    }
}

/// How a member of the retry set is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberFormat {
    /// The tool's own (envelope and opaque profiles): a 32-hex nonce, ':', then the element.
    Nonce,
    /// The deployer's (mint): the whole request as a JSON object, `_retryCount` inside.
    Deployer,
    /// Neither: a peer's or a hand-made member. Shown, deletable; never moved as a message.
    Foreign,
}

impl MemberFormat {
    pub fn of(profile: Profile, member: &[u8]) -> Self {
        match profile {
            Profile::Mint => {
                let object = member.trim_ascii_start().starts_with(b"{")
                    && serde_json::from_str::<Json>(&String::from_utf8_lossy(member)).is_ok_and(|v| v.is_object());
                if object { MemberFormat::Deployer } else { MemberFormat::Foreign }
            }
            _ => match nonce_element(member) {
                Some(_) => MemberFormat::Nonce,
                None => MemberFormat::Foreign,
            },
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MemberFormat::Nonce => "tool",
            MemberFormat::Deployer => "deployer",
            MemberFormat::Foreign => "foreign",
        }
    }
}

/// The element inside one of the tool's own retry members (32-hex nonce, ':', element).
pub fn nonce_element(member: &[u8]) -> Option<&[u8]> {
    let (nonce, rest) = (member.get(..32)?, member.get(32..)?);
    (nonce.iter().all(u8::is_ascii_hexdigit) && rest.first() == Some(&b':')).then(|| &rest[1..])
}

/// The message a stored element carries: a retry member of the tool's own format stands for the
/// element after its nonce; everything else (list elements, the deployer's retry members, a
/// foreign member) is read as it is.
pub fn message_bytes(profile: Profile, place: ListName, raw: &[u8]) -> &[u8] {
    if place == ListName::Retry && profile != Profile::Mint {
        return nonce_element(raw).unwrap_or(raw);
    }
    raw
}

/// Who a stored element is, read with the profile's readers: envelope (and opaque) elements and
/// dead letters with [`Element::parse`] (bare envelopes, the platform's and the deployer's
/// wrappers); mint requests as the deployer's node-redis reads them (UTF-8, invalid bytes as
/// U+FFFD, then JSON), mint dead letters with [`mint::parse_entry`].
pub fn identify(profile: Profile, place: ListName, raw: &[u8]) -> Identity {
    let bytes = message_bytes(profile, place, raw);
    let text = |v: &Json, k: &str| v.get(k).and_then(Json::as_str).map(str::to_owned);
    let of = |v: &Json| Identity { message_id: text(v, "message_id"), idempotency_key: text(v, "idempotency_key") };
    if profile == Profile::Mint {
        if place == ListName::Dlq {
            return match mint::parse_entry(bytes).map(|e| e.original) {
                Some(Original::Object(v)) => of(&v),
                _ => Identity::default(),
            };
        }
        return match serde_json::from_str::<Json>(&String::from_utf8_lossy(bytes)) {
            Ok(v) if v.is_object() => of(&v),
            _ => match mint::parse_and_validate(bytes) {
                Ok(v) => of(&v),
                Err(_) => Identity::default(),
            },
        };
    }
    let el = Element::parse(bytes.to_vec());
    Identity { message_id: el.envelope().and_then(|e| e.message_id()).map(str::to_owned), idempotency_key: None }
}

/// One message found: where, and its exact bytes.
#[derive(Debug, Clone)]
pub struct Found {
    pub place: ListName,
    /// The key it is in.
    pub key: String,
    /// Where each copy of these exact bytes is, nearest the consumer end first. Lists: counted
    /// from the consumer end (0 = the next a consumer takes; processing: the oldest claimed;
    /// DLQ: the oldest, the first a replay takes). Retry set: rank, soonest due first.
    pub positions: Vec<u64>,
    /// Exactly as stored: the list element, or the retry member.
    pub raw: Vec<u8>,
    /// Retry: its due time (the score, ms).
    pub due_ms: Option<i64>,
    /// Processing: its lease deadline (ms, server clock), when it has one.
    pub lease_ms: Option<i64>,
    /// Processing: the consumer holding its lease (`host:pid`), when it recorded itself.
    pub holder: Option<String>,
}

impl Found {
    pub fn position(&self) -> u64 {
        self.positions.first().copied().unwrap_or(0)
    }
}

/// What a search found, and the server's clock right after.
#[derive(Debug)]
pub struct Search {
    pub found: Vec<Found>,
    pub now_ms: i64,
}

/// What `msg_move.lua` is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsgAction {
    Delete,
    DeadLetter,
    Requeue,
}

impl MsgAction {
    pub fn as_str(self) -> &'static str {
        match self {
            MsgAction::Delete => "delete",
            MsgAction::DeadLetter => "dead-letter",
            MsgAction::Requeue => "requeue",
        }
    }
}

/// One message to remove or move.
#[derive(Debug, Clone, Copy)]
pub struct MsgMove<'a> {
    pub action: MsgAction,
    pub place: ListName,
    /// Exactly as stored.
    pub raw: &'a [u8],
    /// What to push: the dead letter, the element requeued, the audit record of a delete.
    pub push: Option<&'a [u8]>,
    /// Only when its lease has expired (processing): a consumer may be working on it.
    pub guard: bool,
}

/// What the script did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsgMoved {
    /// Done; copies of the same bytes still in the source.
    Done { copies_left: u64 },
    /// Not in the source any more (someone else moved or deleted it first): nothing done.
    Gone,
    /// Left in place: its lease is alive (deadline, ms) or it has none (a consumer that writes
    /// no leases may hold it).
    Held { deadline_ms: Option<i64> },
}

impl Queue {
    /// Up to `count` elements of a list from `offset` counted from its consumer end (the tail),
    /// nearest that end first.
    pub fn list_page(&mut self, which: ListName, offset: u64, count: usize) -> Result<Vec<Vec<u8>>> {
        let key = self.keys.list(which).to_owned();
        let (start, stop) = (-(offset as i64) - count.max(1) as i64, -(offset as i64) - 1);
        let mut page: Vec<Vec<u8>> = redis::cmd("LRANGE")
            .arg(&key)
            .arg(start)
            .arg(stop)
            .query(&mut self.con)
            .map_err(|e| self.error(e, &format!("reading list {key}")))?;
        page.reverse();
        Ok(page)
    }

    /// Up to `count` members of the retry set from rank `offset` (soonest due first), with their
    /// due times (ms).
    pub fn retry_page(&mut self, offset: u64, count: usize) -> Result<Vec<(Vec<u8>, i64)>> {
        let key = self.keys.retry.clone();
        let page: Vec<(Vec<u8>, f64)> = redis::cmd("ZRANGE")
            .arg(&key)
            .arg(offset)
            .arg(offset + count.max(1) as u64 - 1)
            .arg("WITHSCORES")
            .query(&mut self.con)
            .map_err(|e| self.error(e, &format!("reading {key}")))?;
        Ok(page.into_iter().map(|(m, s)| (m, s as i64)).collect())
    }

    /// Searches `places` for stored elements `hit` accepts, one page of [`PAGE`] per round trip
    /// (memory holds one page and the hits). Identical bytes in one place are one hit with
    /// several positions. Then reads the leases of the processing hits and the server's clock.
    /// A message that moves while it is searched can be missed: the search is not one snapshot.
    pub fn find_messages(&mut self, places: &[ListName], hit: &dyn Fn(ListName, &[u8]) -> bool) -> Result<Search> {
        let mut found: Vec<Found> = Vec::new();
        for &place in places {
            let first = found.len();
            let key = self.keys.list(place).to_owned();
            let mut offset = 0u64;
            loop {
                let page: Vec<(Vec<u8>, Option<i64>)> = if place == ListName::Retry {
                    self.retry_page(offset, PAGE)?.into_iter().map(|(m, s)| (m, Some(s))).collect()
                } else {
                    self.list_page(place, offset, PAGE)?.into_iter().map(|r| (r, None)).collect()
                };
                let n = page.len();
                for (i, (raw, due_ms)) in page.into_iter().enumerate() {
                    if !hit(place, &raw) {
                        continue;
                    }
                    let position = offset + i as u64;
                    match found[first..].iter_mut().find(|f| f.raw == raw) {
                        Some(f) if place != ListName::Retry => f.positions.push(position),
                        Some(_) => {}
                        None => found.push(Found {
                            place,
                            key: key.clone(),
                            positions: vec![position],
                            raw,
                            due_ms,
                            lease_ms: None,
                            holder: None,
                        }),
                    }
                }
                if n < PAGE {
                    break;
                }
                offset += n as u64;
            }
        }
        let now_ms = self.leases_and_clock(&mut found)?;
        Ok(Search { found, now_ms })
    }

    /// Fills in the lease deadline of each processing hit and returns the server's clock, in one
    /// read-only script (atomic, and routed like any script on a cluster).
    fn leases_and_clock(&mut self, found: &mut [Found]) -> Result<i64> {
        let held: Vec<usize> = (0..found.len()).filter(|&i| found[i].place == ListName::Processing).collect();
        let elements: Vec<&[u8]> = held.iter().map(|&i| found[i].raw.as_slice()).collect();
        let (now_ms, leases) = self.lease_holders(&elements)?;
        for (&i, (lease_ms, holder)) in held.iter().zip(leases) {
            found[i].lease_ms = lease_ms;
            found[i].holder = holder;
        }
        Ok(now_ms)
    }

    /// The server's clock (ms) and, for each processing element, its lease deadline and the
    /// consumer holding it (`host:pid`), each None when there is none. One read-only script.
    pub fn lease_holders(&mut self, elements: &[&[u8]]) -> Result<(i64, Vec<LeaseHolder>)> {
        let leases = self.keys.leases.clone();
        let mut inv = LEASES.prepare_invoke();
        inv.key(&leases).key(self.keys.holders()).key(&self.keys.batch_leases).key(&self.keys.batches);
        for e in elements {
            inv.arg(*e);
        }
        let v: Vec<Value> = inv.invoke(&mut self.con).map_err(|e| self.error(e, &format!("reading the leases in {leases}")))?;
        let mut it = v.into_iter();
        let now_ms = it.next().and_then(|t| redis::from_redis_value::<i64>(t).ok()).unwrap_or(0);
        let mut out = Vec::with_capacity(elements.len());
        while let (Some(score), Some(who)) = (it.next(), it.next()) {
            out.push((
                redis::from_redis_value::<Option<f64>>(score).ok().flatten().map(|s| s as i64),
                redis::from_redis_value::<Option<String>>(who).ok().flatten(),
            ));
        }
        out.resize(elements.len(), (None, None));
        Ok((now_ms, out))
    }

    /// Removes or moves one message in one step (`msg_move.lua`): checks its exact bytes are
    /// still where they were found (and, with `guard`, that its lease has expired), writes the
    /// destination, then removes one copy from the source (and, from processing, its lease with
    /// the last copy).
    pub fn move_message(&mut self, m: &MsgMove<'_>) -> Result<MsgMoved> {
        let k = &self.keys;
        let source = k.list(m.place).to_owned();
        let dest = match (m.action, m.push) {
            (MsgAction::DeadLetter, _) => k.dlq.clone(),
            (MsgAction::Requeue, _) => k.main.clone(),
            (MsgAction::Delete, Some(_)) => k.audit.clone(),
            (MsgAction::Delete, None) => source.clone(),
        };
        let kind = if m.place == ListName::Retry { "zset" } else { "list" };
        let v: Vec<Value> = MOVE
            .key(&source)
            .key(&k.leases)
            .key(&dest)
            .key(k.holders())
            .key(&k.batch_leases)
            .key(&k.batches)
            .arg(m.action.as_str())
            .arg(kind)
            .arg(m.raw)
            .arg(m.push.unwrap_or_default())
            .arg(if m.place == ListName::Processing { "1" } else { "0" })
            .arg(if m.guard { "1" } else { "0" })
            .arg(if k.profile == Profile::Mint { "newest" } else { "consumer" })
            .invoke(&mut self.con)
            .map_err(|e| self.error(e, &format!("{} a message in {source}", m.action.as_str())))?;
        let mut it = v.into_iter();
        let status: String = it.next().and_then(|x| redis::from_redis_value(x).ok()).unwrap_or_default();
        let n: i64 = it.next().and_then(|x| redis::from_redis_value(x).ok()).unwrap_or(0);
        Ok(match status.as_str() {
            "ok" => MsgMoved::Done { copies_left: n.max(0) as u64 },
            "held" => MsgMoved::Held { deadline_ms: (n >= 0).then_some(n) },
            _ => MsgMoved::Gone,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_by_profile() {
        let env = br#"{"message_id":"m-1","message_type":"t","payload":{},"timestamp":"x","retry_count":0,"max_retries":3}"#;
        let id = identify(Profile::Envelope, ListName::Main, env);
        assert_eq!(id.message_id.as_deref(), Some("m-1"));
        let mut member = b"0123456789abcdef0123456789abcdef:".to_vec();
        member.extend_from_slice(env);
        assert!(identify(Profile::Envelope, ListName::Retry, &member).answers_to("m-1"), "inside the nonce member");
        assert_eq!(MemberFormat::of(Profile::Envelope, &member), MemberFormat::Nonce);
        assert_eq!(MemberFormat::of(Profile::Envelope, env), MemberFormat::Foreign);
        let wrapped = serde_json::json!({"original_message": String::from_utf8_lossy(env), "error": "e"}).to_string();
        assert!(identify(Profile::Envelope, ListName::Dlq, wrapped.as_bytes()).answers_to("m-1"), "a DLQ wrapper");

        let request = br#"{"message_id":"r-1","idempotency_key":"0xabc","_retryCount":2}"#;
        let id = identify(Profile::Mint, ListName::Retry, request);
        assert!(id.answers_to("r-1") && id.answers_to("0xabc") && !id.answers_to("m-1"));
        assert_eq!(MemberFormat::of(Profile::Mint, request), MemberFormat::Deployer);
        let entry = mint::dlq_entry(request, "boom", "permanent", "q", "t").unwrap();
        assert!(identify(Profile::Mint, ListName::Dlq, &entry).answers_to("0xabc"), "the deployer's dead letter");
        assert_eq!(identify(Profile::Mint, ListName::Main, b"\xff not json"), Identity::default());
    }
}
