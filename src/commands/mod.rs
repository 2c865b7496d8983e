//! One file per subcommand; this is the one dispatch.

pub mod depth;
pub mod emit;
pub mod generate;
pub mod peek;

use anyhow::Result;

use crate::cli::{Cli, Command, OutputFormat};
use crate::config::Config;
use crate::exit::Failure;

pub fn run(cli: Cli) -> Result<()> {
    let format = cli.global.output;
    if format == OutputFormat::Prometheus && !matches!(cli.command, Command::Depth(_)) {
        return Err(Failure::usage("--output prometheus is only for `depth`; use table, json or jsonl").into());
    }
    if let Command::Generate(args) = &cli.command {
        return generate::run(args);
    }
    let cfg = Config::from_args(&cli.global)?;
    for w in &cfg.warnings {
        eprintln!("hokusai-queue: warning: {w}");
    }
    match &cli.command {
        Command::Emit(args) => emit::run(&cfg, args, format),
        Command::Peek(args) => peek::run(&cfg, args, format),
        Command::Depth(args) => depth::run(&cfg, args, format),
        Command::Generate(_) => unreachable!("handled above"),
    }
}
