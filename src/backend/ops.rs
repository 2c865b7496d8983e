//! The one place that picks the backend of a command (issue 15): [`open`] reads the
//! configuration once and hands back a [`QueueOps`]; `emit`, `depth`, `peek`, `drain` and
//! `dlq list|replay|purge` call it and never ask which backend they talk to.

use anyhow::Result;

use crate::cli::{Command, DepthArgs, DlqCommand, DrainArgs, EmitArgs, OutputFormat, PeekArgs};
use crate::config::Config;
use crate::exit::Failure;

/// The command-level operations of a queue, whichever backend holds it. Each command checks
/// what both backends share (its arguments, the payload), then calls one of these, which
/// connects, does the work and renders it; a flag that only one backend has is refused by the
/// other with a usage error (exit 2) naming the backend it is for.
///
/// - [`RedisOps`] (no `--sqs-queue-url`) implements every operation, delegating to the
///   commands' Redis paths over [`crate::queue::Queue`]: lists, leases, the profile's retry set
///   and dead letters, and what only Redis has (`emit --resume`, `--skip-present`,
///   `--wait-replicas`; `depth --all-queues`, `--max-age`, `-o prometheus`; `peek` of processing,
///   the retry set, `--offset`; `drain --concurrency` and `--exec-stream`; `dlq replay --to`,
///   `--rate`, `--class`; `dlq inspect|discard|import`, which [`ensure_supported`] keeps from
///   SQS). It refuses the SQS-only flags (`emit --group-id`, `peek --receive`).
/// - `SqsOps` (`--sqs-queue-url`, cargo feature `sqs`, src/backend/sqs/) implements the same
///   operations over [`crate::sqs::Sqs`]: `emit` sends in batches (FIFO: group and dedupe ids);
///   `depth` reads the queue's and its redrive DLQ's attributes; `peek` only with `--receive`
///   (SQS cannot look without receiving); `drain` runs one `--exec` handler at a time, with
///   ChangeMessageVisibility as heartbeat and backoff; `dlq` works on the DLQ the RedrivePolicy
///   names, receiving to list. It refuses the Redis-only flags above.
pub trait QueueOps {
    /// `emit`: validated messages onto the queue (one, or a file's lines).
    fn emit(&self, args: &EmitArgs, format: OutputFormat) -> Result<()>;
    /// `depth`: the counts, with the health gates (exit 5 when one trips).
    fn depth(&self, args: &DepthArgs, format: OutputFormat) -> Result<()>;
    /// `peek`: shows messages without taking them.
    fn peek(&self, args: &PeekArgs, format: OutputFormat) -> Result<()>;
    /// `drain`: takes messages under a lease, to stdout or a handler, and settles each one.
    fn drain(&self, args: &DrainArgs, format: OutputFormat) -> Result<()>;
    /// `dlq list | replay | purge` (Redis: every `dlq` subcommand).
    fn dlq(&self, cmd: &DlqCommand, format: OutputFormat) -> Result<()>;
}

/// The backend `cfg` names: SQS with `--sqs-queue-url` (an error in a build without the `sqs`
/// feature), else Redis. Connects to nothing: each operation connects once it has checked its
/// arguments, so a usage error never waits on a server.
pub fn open(cfg: &Config) -> Result<Box<dyn QueueOps + '_>> {
    match &cfg.sqs {
        None => Ok(Box::new(RedisOps { cfg })),
        #[cfg(feature = "sqs")]
        Some(target) => Ok(Box::new(super::sqs::SqsOps { cfg, target })),
        #[cfg(not(feature = "sqs"))]
        Some(_) => Err(no_sqs()),
    }
}

/// Refuses, before anything runs, a command that has no SQS side when the configuration names
/// an SQS queue (it would talk to Redis instead, unasked). `migrate` talks to both.
pub fn ensure_supported(cfg: &Config, command: &Command) -> Result<()> {
    if cfg.sqs.is_some() && !sqs_capable(command) {
        return Err(Failure::usage(
            "this command has no SQS path: with --sqs-queue-url, use emit, depth, peek, drain, dlq list|replay|purge \
             or migrate (unset HOKUSAI_SQS_QUEUE_URL for Redis)",
        )
        .into());
    }
    Ok(())
}

/// Whether a command can talk to SQS (`--sqs-queue-url`).
fn sqs_capable(command: &Command) -> bool {
    matches!(
        command,
        Command::Emit(_)
            | Command::Depth(_)
            | Command::Peek(_)
            | Command::Drain(_)
            | Command::Migrate(_)
            | Command::Dlq(DlqCommand::List(_) | DlqCommand::Replay(_) | DlqCommand::Purge(_))
    )
}

/// The error of an SQS flag in a build without the `sqs` feature.
#[cfg(not(feature = "sqs"))]
pub fn no_sqs() -> anyhow::Error {
    Failure::usage("this hokusai-queue was built without SQS support (cargo feature `sqs`): rebuild with default features").into()
}

/// Redis: the commands' own paths over [`crate::queue::Queue`].
pub struct RedisOps<'a> {
    cfg: &'a Config,
}

impl QueueOps for RedisOps<'_> {
    fn emit(&self, args: &EmitArgs, format: OutputFormat) -> Result<()> {
        crate::commands::emit::on_redis(self.cfg, args, format)
    }

    fn depth(&self, args: &DepthArgs, format: OutputFormat) -> Result<()> {
        crate::commands::depth::on_redis(self.cfg, args, format)
    }

    fn peek(&self, args: &PeekArgs, format: OutputFormat) -> Result<()> {
        crate::commands::peek::on_redis(self.cfg, args, format)
    }

    fn drain(&self, args: &DrainArgs, format: OutputFormat) -> Result<()> {
        crate::commands::drain::on_redis(self.cfg, args, format)
    }

    fn dlq(&self, cmd: &DlqCommand, format: OutputFormat) -> Result<()> {
        crate::commands::dlq::on_redis(self.cfg, cmd, format)
    }
}
