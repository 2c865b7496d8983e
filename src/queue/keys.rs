//! The Redis key names of one queue, all derived from the queue name and each overridable.

/// Every key one queue uses. Scripts receive these in KEYS; nothing builds key names in Lua.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    /// The queue name the others derive from (also the main LIST).
    pub queue: String,
    /// Main LIST: producers LPUSH, consumers take from the right.
    pub main: String,
    /// LIST of messages a consumer has claimed and not yet acknowledged.
    pub processing: String,
    /// Dead-letter LIST.
    pub dlq: String,
    /// Pub/sub channel the payload JSON is published on after each push.
    pub pubsub: String,
    /// ZSET of leases: member = the processing element itself (hashing each element with SHA1
    /// in Lua cost more than the memory of in-flight copies), score = deadline (ms, server clock).
    pub leases: String,
    /// ZSET of delayed retries: member = 32 hex nonce + ':' + element, score = due time (ms).
    pub retry: String,
    /// HASH message_id -> how many times `dlq replay` has replayed it (the loop guard).
    pub replays: String,
}

/// Per-key overrides; `None` means "derive from the queue name".
#[derive(Debug, Clone, Default)]
pub struct KeyOverrides {
    pub processing: Option<String>,
    pub dlq: Option<String>,
    pub pubsub: Option<String>,
    pub leases: Option<String>,
    pub retry: Option<String>,
    pub replays: Option<String>,
}

impl Keys {
    pub fn new(queue: &str, o: &KeyOverrides) -> Self {
        let derive = |over: &Option<String>, suffix: &str| over.clone().unwrap_or_else(|| format!("{queue}:{suffix}"));
        Self {
            queue: queue.to_owned(),
            main: queue.to_owned(),
            processing: derive(&o.processing, "processing"),
            dlq: derive(&o.dlq, "dlq"),
            pubsub: derive(&o.pubsub, "pubsub"),
            leases: derive(&o.leases, "leases"),
            retry: derive(&o.retry, "retry"),
            replays: derive(&o.replays, "replays"),
        }
    }

    /// The keys holding data (not the pub/sub channel), with their role and expected Redis type.
    pub fn data_keys(&self) -> [(&'static str, &str, &'static str); 6] {
        [
            ("main", &self.main, "list"),
            ("processing", &self.processing, "list"),
            ("dlq", &self.dlq, "list"),
            ("leases", &self.leases, "zset"),
            ("retry", &self.retry, "zset"),
            ("replays", &self.replays, "hash"),
        ]
    }

    /// The key of a list named by role.
    pub fn list(&self, which: ListName) -> &str {
        match which {
            ListName::Main => &self.main,
            ListName::Processing => &self.processing,
            ListName::Dlq => &self.dlq,
        }
    }
}

/// The three lists an operator can look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListName {
    Main,
    Processing,
    Dlq,
}

impl ListName {
    pub fn as_str(self) -> &'static str {
        match self {
            ListName::Main => "main",
            ListName::Processing => "processing",
            ListName::Dlq => "dlq",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_and_overridden() {
        let k = Keys::new("hokusai:model_ready_queue", &KeyOverrides { dlq: Some("other:dlq".into()), ..Default::default() });
        assert_eq!(k.processing, "hokusai:model_ready_queue:processing");
        assert_eq!(k.pubsub, "hokusai:model_ready_queue:pubsub");
        assert_eq!(k.dlq, "other:dlq");
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
