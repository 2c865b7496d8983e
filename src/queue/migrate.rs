//! What `migrate` remembers on Redis between a run that died and its rerun, in keys of the
//! tool's own (`<queue>:hokusai-queue:migrate:*`, so the cluster hash tag is kept):
//! - `run`: the migration's nonce, set by its first run and kept until the source is empty, so
//!   a rerun names every message as the run that died did;
//! - `acked`: HASH element SHA-1 -> how many copies of those bytes this migration has
//!   acknowledged (moved for good), updated in the ack's own step. The k-th copy of equal bytes
//!   is named (nonce, SHA-1, k): two equal messages are two names, and the copy a dead run sent
//!   gets the same name again on the rerun (SQS FIFO drops exactly that resend);
//! - `received` (Redis as the target): HASH of the SQS MessageIds pushed and not yet deleted
//!   on SQS: a rerun does not push those again, and pushes everything else, equal bytes or not.

use std::sync::LazyLock;

use anyhow::Result;
use redis::Script;

use super::Queue;

static MIGRATE_PUSH: LazyLock<Script> = script!("migrate_push.lua");

impl Queue {
    fn migrate_key(&self, what: &str) -> String {
        format!("{}:migrate:{what}", self.keys.tool)
    }

    /// The key of the occurrence counters (for [`Queue::ack_counting`]).
    pub fn migrate_acked_key(&self) -> String {
        self.migrate_key("acked")
    }

    /// This migration's nonce: the one a run that died left, else a new one.
    pub fn migrate_run(&mut self) -> Result<String> {
        let key = self.migrate_key("run");
        let fresh = uuid::Uuid::new_v4().simple().to_string();
        let (run,): (String,) = redis::pipe()
            .atomic()
            .cmd("SET")
            .arg(&key)
            .arg(&fresh)
            .arg("NX")
            .ignore()
            .cmd("GET")
            .arg(&key)
            .query(&mut self.con)
            .map_err(|e| self.error(e, &format!("reading {key}")))?;
        Ok(run)
    }

    /// How many copies of each of these SHA-1s this migration has acknowledged.
    pub fn migrate_acked(&mut self, digests: &[String]) -> Result<Vec<u64>> {
        if digests.is_empty() {
            return Ok(vec![]);
        }
        let key = self.migrate_acked_key();
        let v: Vec<Option<u64>> = redis::cmd("HMGET")
            .arg(&key)
            .arg(digests)
            .query(&mut self.con)
            .map_err(|e| self.error(e, &format!("reading {key}")))?;
        Ok(v.into_iter().map(Option::unwrap_or_default).collect())
    }

    /// Pushes the elements (consumption order) whose token is not in the journal, recording
    /// their tokens, in one step. Returns, per element, whether it was pushed now.
    pub fn migrate_push(&mut self, tokens: &[String], elements: &[Vec<u8>]) -> Result<Vec<bool>> {
        assert_eq!(tokens.len(), elements.len());
        if elements.is_empty() {
            return Ok(vec![]);
        }
        let journal = self.migrate_key("received");
        let mut inv = MIGRATE_PUSH.prepare_invoke();
        inv.key(&self.keys.main).key(&journal).arg(elements.len());
        for t in tokens {
            inv.arg(t);
        }
        for e in elements {
            inv.arg(e);
        }
        let v: Vec<i64> = inv.invoke(&mut self.con).map_err(|e| self.error(e, "pushing a batch"))?;
        Ok(v.into_iter().map(|n| n > 0).collect())
    }

    /// Drops tokens from the journal once their messages left the source for good.
    pub fn migrate_forget(&mut self, tokens: &[String]) -> Result<()> {
        if tokens.is_empty() {
            return Ok(());
        }
        let journal = self.migrate_key("received");
        redis::cmd("HDEL")
            .arg(&journal)
            .arg(tokens)
            .exec(&mut self.con)
            .map_err(|e| self.error(e, &format!("updating {journal}")))
    }

    /// A migration from this queue is over (it is empty): forget its nonce and counters.
    pub fn migrate_source_done(&mut self) -> Result<()> {
        self.migrate_forget_keys(&[self.migrate_key("run"), self.migrate_key("acked")])
    }

    /// A migration into this queue is over (its source is empty): forget its journal.
    pub fn migrate_target_done(&mut self) -> Result<()> {
        self.migrate_forget_keys(&[self.migrate_key("received")])
    }

    fn migrate_forget_keys(&mut self, keys: &[String]) -> Result<()> {
        let mut pipe = redis::pipe();
        for k in keys {
            pipe.cmd("DEL").arg(k).ignore();
        }
        pipe.exec(&mut self.con).map_err(|e| self.error(e, "clearing the migration's keys"))
    }
}
