//! One file per subcommand; this is the one dispatch.

pub mod config;
pub mod depth;
pub mod dlq;
pub mod doctor;
pub mod drain;
pub mod emit;
pub mod exporter;
pub mod generate;
pub mod message;
pub mod migrate;
pub mod peek;
pub mod reap_stale;
pub mod top;

use anyhow::Result;

use crate::cli::{Cli, Command, DurabilityArgs, OutputFormat};
use crate::config::Config;
use crate::exit::Failure;
use crate::queue::Queue;

pub fn run(cli: Cli) -> Result<()> {
    let format = cli.global.output;
    crate::output::set_layout(
        match format {
            OutputFormat::Wide => crate::output::Layout::Wide,
            OutputFormat::Plain => crate::output::Layout::Plain,
            _ => crate::output::Layout::Table,
        },
        !cli.global.no_headers,
    );
    if format == OutputFormat::Prometheus && !matches!(cli.command, Command::Depth(_)) {
        return Err(Failure::usage("--output prometheus is only for `depth`; use table, json or jsonl").into());
    }
    if cli.global.queue.len() > 1 && !matches!(cli.command, Command::Exporter(_)) {
        return Err(Failure::usage(
            "--queue is given more than once: only `exporter` watches several queues; run the command once per queue",
        )
        .into());
    }
    if let Command::Generate(args) = &cli.command {
        return generate::run(args);
    }
    if let Command::Config(cmd) = &cli.command {
        return config::run(&cli.global, cmd, format);
    }
    let cfg = Config::from_args(&cli.global)?;
    for w in &cfg.warnings {
        eprintln!("hokusai-queue: warning: {w}");
    }
    crate::backend::ensure_supported(&cfg, &cli.command)?;
    match &cli.command {
        Command::Emit(args) => emit::run(&cfg, args, format),
        Command::Peek(args) => peek::run(&cfg, args, format),
        Command::Depth(args) => depth::run(&cfg, args, format),
        Command::Exporter(args) => exporter::run(&cfg, &cli.global, args),
        Command::Drain(args) => drain::run(&cfg, args, format),
        Command::ReapStale(args) => reap_stale::run(&cfg, args, format),
        Command::Dlq(cmd) => dlq::run(&cfg, cmd, format),
        Command::Message(cmd) => message::run(&cfg, cmd, format),
        Command::Doctor(_) => doctor::run(&cfg, format),
        Command::Top(args) => top::run(&cfg, args),
        Command::Migrate(args) => migrate::run(&cfg, args, format),
        Command::Generate(_) | Command::Config(_) => unreachable!("handled above"),
    }
}

/// After a write: with `--wait-replicas N`, waits for N replica acknowledgements and fails
/// (exit 1) when fewer came. `what` says what was written and how to go on, for the error
/// (also when WAIT itself fails: the write did happen).
pub fn ensure_replicated(q: &mut Queue, d: &DurabilityArgs, what: impl FnOnce() -> String) -> Result<()> {
    let Some(n) = d.wait_replicas.filter(|&n| n > 0) else {
        return Ok(());
    };
    // The write itself succeeded: whatever happens to WAIT, say what is where.
    let acked = match q.wait_replicas(n, d.wait_timeout) {
        Ok(acked) => acked,
        Err(e) => return Err(e.context(what())),
    };
    if acked < u64::from(n) {
        return Err(Failure::failed(format!(
            "only {acked} of {n} replicas acknowledged within {} (--wait-replicas {n}): {}. \
             Check the replicas with `hokusai-queue doctor`",
            humantime::format_duration(d.wait_timeout),
            what()
        ))
        .into());
    }
    Ok(())
}
