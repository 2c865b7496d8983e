//! `generate` (hidden): completions and man pages from the clap definition, for the repository.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::{Cli, GenerateArgs};

pub fn run(args: &GenerateArgs) -> Result<()> {
    write_all(&args.out_dir)
}

/// Writes `completions/` (bash, zsh, fish, PowerShell, elvish) and `man/` (one page for the tool,
/// one per visible subcommand) under `dir`.
pub fn write_all(dir: &Path) -> Result<()> {
    let completions = dir.join("completions");
    let man = dir.join("man");
    fs::create_dir_all(&completions).with_context(|| format!("creating {}", completions.display()))?;
    fs::create_dir_all(&man).with_context(|| format!("creating {}", man.display()))?;
    let mut cmd = Cli::command();
    cmd.build();
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish] {
        clap_complete::generate_to(shell, &mut cmd, "hokusai-queue", &completions)
            .with_context(|| format!("writing {shell} completions"))?;
    }
    write_man(&cmd, &man, "hokusai-queue")?;
    Ok(())
}

fn write_man(cmd: &clap::Command, dir: &Path, name: &str) -> Result<()> {
    let page = clap_mangen::Man::new(cmd.clone().name(name.to_owned()));
    let mut buf = Vec::new();
    page.render(&mut buf).context("rendering a man page")?;
    let path = dir.join(format!("{name}.1"));
    fs::write(&path, buf).with_context(|| format!("writing {}", path.display()))?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        write_man(sub, dir, &format!("{name}-{}", sub.get_name()))?;
    }
    Ok(())
}
