//! Queue profiles: each queue's own discipline, named, in one place.
//!
//! A profile says what the elements of a queue are, which keys belong to it (and which of them
//! are shared with a peer that reads them in its own format), how a retry is represented, which
//! dead-letter shapes are read and which one is written, and what each command may write.
//! Commands ask the profile; they never test queue names.

use std::fmt;

/// The disciplines the tool speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Profile {
    /// The platform's `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the
    /// envelope, delayed retries in a key of the tool's own, DLQ wrapper
    /// `{original_message, error, failed_at, original_queue}`.
    Envelope,
    /// The contract deployer's `hokusai:mint_requests`: flat MintRequest JSON, the deployer's
    /// retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and
    /// the operator audit list.
    Mint,
    /// Any other list: read and show everything, move only exact bytes, never write a shape.
    Opaque,
}

/// The segment that marks a key as the tool's own (no peer reads or writes such a key). It
/// follows the queue name, so a `{hash tag}` in the name still covers it.
pub const TOOL_SEGMENT: &str = "hokusai-queue";

/// The deployer's default inbound list (`MINT_REQUEST_QUEUE`); the pipeline hard-codes it.
pub const MINT_QUEUE: &str = "hokusai:mint_requests";
/// The platform's envelope queue.
pub const ENVELOPE_QUEUE: &str = "hokusai:model_ready_queue";

impl Profile {
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Envelope => "envelope",
            Profile::Mint => "mint",
            Profile::Opaque => "opaque",
        }
    }

    /// The profile a queue gets when none is named: by its name, with any `{hash tag}` braces
    /// ignored (`hokusai:{model_ready_queue}` is the envelope queue on a cluster).
    pub fn for_queue(name: &str) -> Profile {
        let bare: String = name.chars().filter(|c| *c != '{' && *c != '}').collect();
        match bare.as_str() {
            MINT_QUEUE => Profile::Mint,
            ENVELOPE_QUEUE => Profile::Envelope,
            _ => Profile::Opaque,
        }
    }

    /// Whether the tool may build messages of this profile (emit from fields or a payload,
    /// retries that rewrite a counter, replays that unwrap or rewrite).
    pub fn writes_messages(self) -> bool {
        self != Profile::Opaque
    }

    /// How long an element may sit in processing before `reap-stale` reclaims it, when not
    /// given: the mint consumer may wait minutes for an on-chain confirmation.
    pub fn default_visibility_secs(self) -> u64 {
        match self {
            Profile::Mint => 15 * 60,
            _ => 5 * 60,
        }
    }

    /// The refusal for a command that would have to invent a message format.
    pub fn refuse_to_write(self, queue: &str, what: &str) -> String {
        format!(
            "{what} would write a message format, and {queue} has the opaque profile (the tool does not know who \
             reads it or how): name its discipline with --profile envelope or --profile mint (or $HOKUSAI_PROFILE), \
             or move exact bytes only"
        )
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chosen_by_name_with_hash_tags_ignored() {
        assert_eq!(Profile::for_queue("hokusai:mint_requests"), Profile::Mint);
        assert_eq!(Profile::for_queue("hokusai:{mint_requests}"), Profile::Mint);
        assert_eq!(Profile::for_queue("hokusai:model_ready_queue"), Profile::Envelope);
        assert_eq!(Profile::for_queue("{hokusai:model_ready_queue}"), Profile::Envelope);
        assert_eq!(Profile::for_queue("hokusai:mint_requests:dlq"), Profile::Opaque);
        assert_eq!(Profile::for_queue("jobs"), Profile::Opaque);
    }
}
