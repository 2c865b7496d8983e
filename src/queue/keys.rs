//! The Redis key names of one queue, all derived from the queue name and each overridable.

use super::profile::{MINT_QUEUE, Profile, TOOL_SEGMENT};

/// Every key one queue uses. Scripts receive these in KEYS; nothing builds key names in Lua.
///
/// Some keys are shared with a peer (the platform's consumers, the contract deployer) and hold
/// only elements in that peer's format; the others are the tool's own and carry
/// [`TOOL_SEGMENT`] in their names, so no peer ever meets them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    /// The discipline these keys follow.
    pub profile: Profile,
    /// The queue name the others derive from (also the main LIST).
    pub queue: String,
    /// Main LIST: producers LPUSH, consumers take from the right.
    pub main: String,
    /// LIST of messages a consumer has claimed and not yet acknowledged.
    pub processing: String,
    /// Dead-letter LIST.
    pub dlq: String,
    /// Pub/sub channel the payload JSON is published on after each push (envelope profile).
    pub pubsub: String,
    /// The tool's own ZSET of leases (and, for elements a peer took, first-seen clocks):
    /// member = the processing element itself, score = deadline (ms, server clock).
    pub leases: String,
    /// ZSET of delayed retries. Envelope and opaque: the tool's own, member = 32 hex nonce + ':'
    /// + element. Mint: the deployer's, member = the whole message with `_retryCount`.
    pub retry: String,
    /// The tool's own HASH message_id -> how many times `dlq replay` has replayed it.
    pub replays: String,
    /// Prefix of the tool's other keys (emit progress, import progress): `<queue>:hokusai-queue`.
    pub tool: String,
    /// The tool's own HASH of lease holders (see [`Keys::holders`]).
    holders_key: String,
    /// The tool's own ZSET of batch leases: member = a batch id (32 hex), score = deadline (ms,
    /// server clock). A drain into a pipe leases what it claimed as one batch, not an element
    /// at a time (issue 16); `reap-stale` leaves an element a live batch covers where it is.
    pub batch_leases: String,
    /// The tool's own HASH batch id -> the batch's elements, each as `<length>\n<bytes>`.
    pub batches: String,
    /// Mint: the deployer's idempotency SET of settled idempotency keys.
    pub processed: String,
    /// Mint: the operator audit LIST (the official DLQ tool's record shape).
    pub audit: String,
    /// Mint: the settlement LIST (read only: the record of truth for completed mints).
    pub settlements: String,
    /// Mint: prefix of the per-request mint record strings.
    pub record_prefix: String,
}

/// Per-key overrides; `None` means "derive from the queue name" (or, for the mint profile,
/// take the deployer's environment variable, then its default).
#[derive(Debug, Clone, Default)]
pub struct KeyOverrides {
    pub processing: Option<String>,
    pub dlq: Option<String>,
    pub pubsub: Option<String>,
    pub leases: Option<String>,
    pub retry: Option<String>,
    pub replays: Option<String>,
    pub processed: Option<String>,
    pub audit: Option<String>,
    pub settlements: Option<String>,
    pub record_prefix: Option<String>,
}

/// The deployer's environment variables for its key names (`src/config/env.validation.ts`).
pub const MINT_KEY_ENV: [&str; 8] = [
    "MINT_REQUEST_QUEUE",
    "MINT_REQUEST_PROCESSING_QUEUE",
    "MINT_REQUEST_DLQ",
    "MINT_DLQ_AUDIT_KEY",
    "MINT_REQUEST_PROCESSED_SET",
    "MINT_REQUEST_RETRY_QUEUE",
    "MINT_REQUEST_SETTLEMENT_QUEUE",
    "MINT_RECORD_KEY_PREFIX",
];

impl Keys {
    /// The keys of `queue` under `profile`. For the mint profile, a key not overridden by a flag
    /// comes from the deployer's environment variable (`env`), else its default. The deployer's
    /// defaults are fixed names that do not follow `MINT_REQUEST_QUEUE` (1.1): the queue the
    /// deployer is configured with (`$MINT_REQUEST_QUEUE`, or its default) gets exactly those,
    /// `hokusai:mint_requests:<suffix>`; any other mint queue (`-q staging:mint`) gets
    /// `<queue>:<suffix>`. Settlements and records keep the deployer's own names.
    pub fn new(queue: &str, o: &KeyOverrides, profile: Profile, env: &dyn Fn(&str) -> Option<String>) -> Self {
        let mint = profile == Profile::Mint;
        let base = if mint && env("MINT_REQUEST_QUEUE").is_some_and(|q| q == queue) { MINT_QUEUE } else { queue };
        let derive = |over: &Option<String>, var: &str, suffix: &str| {
            over.clone().or_else(|| if mint { env(var) } else { None }).unwrap_or_else(|| format!("{base}:{suffix}"))
        };
        let tool = format!("{queue}:{TOOL_SEGMENT}");
        let own = |over: &Option<String>, suffix: &str| over.clone().unwrap_or_else(|| format!("{tool}:{suffix}"));
        let retry = if mint { derive(&o.retry, "MINT_REQUEST_RETRY_QUEUE", "retry") } else { own(&o.retry, "retry") };
        Self {
            profile,
            queue: queue.to_owned(),
            main: queue.to_owned(),
            processing: derive(&o.processing, "MINT_REQUEST_PROCESSING_QUEUE", "processing"),
            dlq: derive(&o.dlq, "MINT_REQUEST_DLQ", "dlq"),
            pubsub: o.pubsub.clone().unwrap_or_else(|| format!("{queue}:pubsub")),
            leases: own(&o.leases, "leases"),
            retry,
            replays: own(&o.replays, "replays"),
            processed: derive(&o.processed, "MINT_REQUEST_PROCESSED_SET", "processed"),
            audit: o
                .audit
                .clone()
                .or_else(|| if mint { env("MINT_DLQ_AUDIT_KEY") } else { None })
                .unwrap_or_else(|| format!("{base}:dlq:audit")),
            settlements: o
                .settlements
                .clone()
                .or_else(|| if mint { env("MINT_REQUEST_SETTLEMENT_QUEUE") } else { None })
                .unwrap_or_else(|| "hokusai:mint_request_settlements".into()),
            record_prefix: o
                .record_prefix
                .clone()
                .or_else(|| if mint { env("MINT_RECORD_KEY_PREFIX") } else { None })
                .unwrap_or_else(|| "hokusai:mint_record:".into()),
            holders_key: format!("{tool}:holders"),
            batch_leases: format!("{tool}:batch-leases"),
            batches: format!("{tool}:batches"),
            tool,
        }
    }

    /// The tool's own HASH of lease holders: SHA-1 of a processing element -> the consumer
    /// holding its lease (`host:pid`). Informational (peek, message inspect); written and
    /// dropped with the lease, in the same script.
    pub fn holders(&self) -> String {
        self.holders_key.clone()
    }

    /// The keys holding data (not the pub/sub channel) that scripts touch together, with their
    /// role and expected Redis type.
    pub fn data_keys(&self) -> Vec<(&'static str, &str, &'static str)> {
        let mut v = vec![
            ("main", self.main.as_str(), "list"),
            ("processing", &self.processing, "list"),
            ("dlq", &self.dlq, "list"),
            ("leases", &self.leases, "zset"),
            ("retry", &self.retry, "zset"),
            ("replays", &self.replays, "hash"),
            ("holders", &self.holders_key, "hash"),
            ("batch-leases", &self.batch_leases, "zset"),
            ("batches", &self.batches, "hash"),
        ];
        if self.profile == Profile::Mint {
            v.push(("processed", &self.processed, "set"));
            v.push(("audit", &self.audit, "list"));
            v.push(("settlements", &self.settlements, "list"));
        }
        v
    }

    /// Whether a key is the tool's own (a peer never reads it).
    pub fn is_own(&self, key: &str) -> bool {
        key.starts_with(&format!("{}:", self.tool))
    }

    /// The key of a list named by role.
    pub fn list(&self, which: ListName) -> &str {
        match which {
            ListName::Main => &self.main,
            ListName::Processing => &self.processing,
            ListName::Dlq => &self.dlq,
            ListName::Retry => &self.retry,
        }
    }
}

/// The parts of a queue an operator can look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListName {
    Main,
    Processing,
    Dlq,
    /// The delayed-retry sorted set (soonest due first).
    Retry,
}

impl ListName {
    pub fn as_str(self) -> &'static str {
        match self {
            ListName::Main => "main",
            ListName::Processing => "processing",
            ListName::Dlq => "dlq",
            ListName::Retry => "retry",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_and_overridden() {
        let none = |_: &str| None;
        let o = KeyOverrides { dlq: Some("other:dlq".into()), ..Default::default() };
        let k = Keys::new("hokusai:model_ready_queue", &o, Profile::Envelope, &none);
        assert_eq!(k.processing, "hokusai:model_ready_queue:processing");
        assert_eq!(k.pubsub, "hokusai:model_ready_queue:pubsub");
        assert_eq!(k.dlq, "other:dlq");
        assert_eq!(k.retry, "hokusai:model_ready_queue:hokusai-queue:retry", "the envelope retry set is the tool's own");
        assert_eq!(k.leases, "hokusai:model_ready_queue:hokusai-queue:leases");
        assert!(k.is_own(&k.leases) && k.is_own(&k.retry) && k.is_own(&k.replays) && !k.is_own(&k.dlq));
    }

    #[test]
    fn mint_keys_follow_the_deployer() {
        let none = |_: &str| None;
        let k = Keys::new("hokusai:mint_requests", &KeyOverrides::default(), Profile::Mint, &none);
        assert_eq!(k.processing, "hokusai:mint_requests:processing");
        assert_eq!(k.retry, "hokusai:mint_requests:retry", "the deployer's own retry set");
        assert_eq!(k.processed, "hokusai:mint_requests:processed");
        assert_eq!(k.audit, "hokusai:mint_requests:dlq:audit");
        assert_eq!(k.settlements, "hokusai:mint_request_settlements");
        assert_eq!(k.record_prefix, "hokusai:mint_record:");
        assert_eq!(k.leases, "hokusai:mint_requests:hokusai-queue:leases");
        let env = |v: &str| (v == "MINT_REQUEST_DLQ").then(|| "custom:dlq".to_owned());
        let o = KeyOverrides { processing: Some("flag:processing".into()), ..Default::default() };
        let k = Keys::new("hokusai:mint_requests", &o, Profile::Mint, &env);
        assert_eq!((k.dlq.as_str(), k.processing.as_str()), ("custom:dlq", "flag:processing"), "flag > env > default");
        // MINT_REQUEST_QUEUE alone moves only the inbound list: the deployer's other defaults
        // are fixed names. Another mint queue (named with -q) derives its own.
        let env = |v: &str| (v == "MINT_REQUEST_QUEUE").then(|| "staging:mint_requests".to_owned());
        let k = Keys::new("staging:mint_requests", &KeyOverrides::default(), Profile::Mint, &env);
        assert_eq!(k.main, "staging:mint_requests");
        assert_eq!(
            [k.processing.as_str(), &k.dlq, &k.retry, &k.processed, &k.audit],
            [
                "hokusai:mint_requests:processing",
                "hokusai:mint_requests:dlq",
                "hokusai:mint_requests:retry",
                "hokusai:mint_requests:processed",
                "hokusai:mint_requests:dlq:audit"
            ]
        );
        assert_eq!(k.leases, "staging:mint_requests:hokusai-queue:leases", "the tool's own keys follow the queue");
        let k = Keys::new("test:mint", &KeyOverrides::default(), Profile::Mint, &env);
        assert_eq!((k.processing.as_str(), k.audit.as_str()), ("test:mint:processing", "test:mint:dlq:audit"));
    }
}

/// The Redis Cluster hash slot of a key: CRC16 (XMODEM) of the key, or of its `{hash tag}`
/// when it has a non-empty one, modulo 16384.
pub fn slot(key: &str) -> u16 {
    let bytes = key.as_bytes();
    let tagged = bytes.iter().position(|&b| b == b'{').and_then(|open| {
        let close = bytes[open + 1..].iter().position(|&b| b == b'}')?;
        (close > 0).then(|| &bytes[open + 1..open + 1 + close])
    });
    crc16(tagged.unwrap_or(bytes)) % 16384
}

fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0;
    for &b in data {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

#[cfg(test)]
mod slot_tests {
    use super::*;

    #[test]
    fn slots_match_redis() {
        // Values from CLUSTER KEYSLOT on Redis 7.0 (and the issue's own figures).
        assert_eq!(slot("hokusai:model_ready_queue"), 8858);
        assert_eq!(slot("hokusai:model_ready_queue:processing"), 6517);
        assert_eq!(slot("hokusai:model_ready_queue:dlq"), 1734);
        assert_eq!(slot("foo"), 12182);
        assert_eq!(slot("hokusai:{model_ready_queue}"), slot("model_ready_queue"));
        assert_eq!(slot("hokusai:{model_ready_queue}:dlq"), slot("hokusai:{model_ready_queue}"));
        assert_eq!(slot("a{}b"), slot("a{}b"), "an empty tag hashes the whole key");
    }
}
