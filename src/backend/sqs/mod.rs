//! SQS's side of the commands ([`crate::backend::QueueOps`] over [`crate::sqs::Sqs`]), one
//! file per command.

mod depth;
mod dlq;
mod drain;
mod emit;
mod peek;

use anyhow::Result;

use crate::backend::QueueOps;
use crate::cli::{DepthArgs, DlqCommand, DrainArgs, EmitArgs, OutputFormat, PeekArgs};
use crate::config::{Config, SqsTarget};

/// The queue at `--sqs-queue-url` (and the DLQ its RedrivePolicy names).
pub struct SqsOps<'a> {
    pub cfg: &'a Config,
    pub target: &'a SqsTarget,
}

impl QueueOps for SqsOps<'_> {
    fn emit(&self, args: &EmitArgs, format: OutputFormat) -> Result<()> {
        emit::run(self.cfg, self.target, args, format)
    }

    fn depth(&self, args: &DepthArgs, format: OutputFormat) -> Result<()> {
        depth::run(self.cfg, self.target, args, format)
    }

    fn peek(&self, args: &PeekArgs, format: OutputFormat) -> Result<()> {
        peek::run(self.cfg, self.target, args, format)
    }

    fn drain(&self, args: &DrainArgs, format: OutputFormat) -> Result<()> {
        drain::run(self.cfg, self.target, args, format)
    }

    fn dlq(&self, cmd: &DlqCommand, format: OutputFormat) -> Result<()> {
        dlq::run(self.target, cmd, format)
    }
}
