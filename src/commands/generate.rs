//! `generate` (hidden): completions and man pages from the clap definition, for the repository.
//!
//! Three things clap_complete / clap_mangen get wrong for this tool are corrected here:
//! - hidden subcommands (`generate` itself) are offered by every completion script: they are
//!   removed from the command the scripts are generated from;
//! - clap_complete's bash script spells its states two ways for a hyphenated binary name
//!   (`hokusai__queue__subcmd__dlq` vs `hokusai__subcmd__queue__subcmd__dlq`), so nothing past
//!   the first word completed (clap-rs/clap#6421): the case labels are respelled;
//! - its fish script offered file names for the value of a top-level option (`--profile <TAB>`);
//! - the man pages linked a `hokusai-queue-help(1)` that does not exist, left out the environment
//!   variables flags read, and filled (re-wrapped, hyphenated) the exit-code table and the
//!   examples: the pages are assembled here from clap_mangen's sections, with the after-help
//!   text rendered as EXIT STATUS (a table), NOTES (prose) and EXAMPLES (verbatim).

use std::fs;
use std::path::Path;

use anyhow::{Context, Result, bail};
use clap::builder::Resettable;
use clap::{Command, CommandFactory};
use clap_complete::{Generator, Shell};
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli::{Cli, GenerateArgs};

/// The binary's name, as installed and as completed.
const BIN: &str = "hokusai-queue";

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
    let mut cmd = visible_command()?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut cmd, BIN, &mut buf);
        let script = String::from_utf8(buf).with_context(|| format!("{shell} completions are not UTF-8"))?;
        let script = match shell {
            Shell::Bash => fix_bash_states(&script),
            Shell::Fish => fix_fish_needs_command(&script),
            _ => script,
        };
        let path = completions.join(shell.file_name(BIN));
        fs::write(&path, script).with_context(|| format!("writing {}", path.display()))?;
    }
    let mut man_cmd = without_help_subcommand(document_env(visible_command()?));
    man_cmd.build();
    let version = man_cmd.get_version().unwrap_or_default().to_owned();
    write_man(&man_cmd, &man, BIN, None, &format!("{BIN} {version}"))?;
    Ok(())
}

/// The tool's command without its hidden subcommands. clap has no way to remove a subcommand and
/// clap_complete offers hidden ones, so the root is rebuilt from its parts; its help and usage
/// must come out identical to the original's (hidden subcommands appear in neither), which
/// catches a root setting this copy would miss.
fn visible_command() -> Result<Command> {
    let full = Cli::command();
    let mut cmd = Command::new(full.get_name().to_owned())
        .subcommand_required(full.is_subcommand_required_set())
        .arg_required_else_help(full.is_arg_required_else_help_set())
        .propagate_version(full.is_propagate_version_set())
        .args(full.get_arguments().cloned())
        .groups(full.get_groups().cloned())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    if let Some(v) = full.get_version() {
        cmd = cmd.version(v.to_owned());
    }
    if let Some(v) = full.get_long_version() {
        cmd = cmd.long_version(v.to_owned());
    }
    cmd = cmd
        .about(Resettable::from(full.get_about().cloned()))
        .long_about(Resettable::from(full.get_long_about().cloned()))
        .before_help(Resettable::from(full.get_before_help().cloned()))
        .before_long_help(Resettable::from(full.get_before_long_help().cloned()))
        .after_help(Resettable::from(full.get_after_help().cloned()))
        .after_long_help(Resettable::from(full.get_after_long_help().cloned()));
    let help = |c: &Command| {
        let mut c = c.clone().term_width(100);
        (c.render_usage().to_string(), c.render_help().to_string(), c.render_long_help().to_string(), c.render_version())
    };
    if help(&full) != help(&cmd) {
        bail!("the command rebuilt without hidden subcommands differs from the tool's: update visible_command()");
    }
    Ok(cmd)
}

/// clap_complete's bash script names its states `<bin>__subcmd__<sub>` with the bin name's
/// hyphens turned into `__` where it sets them, but into `__subcmd__` in the case labels that
/// read them (clap-rs/clap#6421): respell the labels the way they are set. A no-op once fixed
/// upstream, or for a bin name without a hyphen.
fn fix_bash_states(script: &str) -> String {
    if !BIN.contains('-') {
        return script.to_owned();
    }
    let wrong = BIN.replace('-', "__subcmd__");
    let right = BIN.replace('-', "__");
    script.replace(&format!("        {wrong}__subcmd__"), &format!("        {right}__subcmd__"))
}

/// clap_complete's fish script decides "no subcommand yet" by parsing the words so far with
/// argparse, and gives up when that fails, which it does while a top-level option still waits
/// for its value: `hokusai-queue --profile <TAB>` offered file names. Parse again without the
/// last word: if the rest parses, the command line is still at the top level. A no-op if the
/// generated text changes (the completion tests then say whether it is still needed).
fn fix_fish_needs_command(script: &str) -> String {
    let optspecs = format!("__fish_{}_global_optspecs", BIN.replace('-', "_"));
    let parse = format!("argparse -s ({optspecs}) -- $cmd 2>/dev/null");
    let wrong = format!("    {parse}\n    or return\n");
    let right = format!(
        "    if not {parse}\n        \
         # The last word may be a top-level option still waiting for its value: no command yet.\n        \
         set -e cmd[-1]\n        \
         {parse}\n        \
         return\n    \
         end\n"
    );
    script.replacen(&wrong, &right, 1)
}

/// Appends `[env: NAME]` to the help of every flag clap reads from an environment variable
/// (clap_mangen prints them only with its `env` feature), in the command and all its subcommands.
fn document_env(mut cmd: Command) -> Command {
    let ids: Vec<clap::Id> =
        cmd.get_arguments().filter(|a| a.get_env().is_some() && !a.is_hide_env_set()).map(|a| a.get_id().clone()).collect();
    for id in ids {
        cmd = cmd.mut_arg(id, |a| {
            let env = a.get_env().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
            let help = a.get_long_help().or(a.get_help()).map(|h| h.to_string()).unwrap_or_default();
            a.long_help(format!("{help}\n[env: {env}]"))
        });
    }
    cmd.mut_subcommands(document_env)
}

/// No `help` subcommand anywhere: it would get a SUBCOMMANDS entry pointing at a page that does
/// not exist.
fn without_help_subcommand(cmd: Command) -> Command {
    cmd.disable_help_subcommand(true).mut_subcommands(without_help_subcommand)
}

fn write_man(cmd: &Command, dir: &Path, name: &str, parent: Option<&str>, source: &str) -> Result<()> {
    let page = render_man(cmd, name, parent, source).context("rendering a man page")?;
    let path = dir.join(format!("{name}.1"));
    fs::write(&path, page).with_context(|| format!("writing {}", path.display()))?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_man(sub, dir, &format!("{name}-{}", sub.get_name()), Some(name), source)?;
    }
    Ok(())
}

/// One page: clap_mangen's sections, `.nh` (no hyphenation: flags and commands must read as
/// typed) and `.ad l` (no justification: no stretched gaps around long flags), the after-help text as sections of its own, and SEE ALSO the parent page.
fn render_man(cmd: &Command, name: &str, parent: Option<&str>, source: &str) -> Result<String> {
    let after = cmd.get_after_long_help().or(cmd.get_after_help()).map(|s| s.to_string());
    let cmd = cmd.clone().name(name.to_owned()).after_help(None::<&str>).after_long_help(None::<&str>);
    let man = Man::new(cmd.clone()).source(source.to_owned());
    // Every section renders with roff's preamble (the apostrophe string): keep only the first.
    let preamble = Roff::new().render();
    let mut page = preamble.clone();
    let mut section = |render: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| -> Result<()> {
        let mut buf = Vec::new();
        render(&mut buf)?;
        let text = String::from_utf8(buf).context("man page is not UTF-8")?;
        page.push_str(text.strip_prefix(&preamble).unwrap_or(&text));
        Ok(())
    };
    section(&|w| man.render_title(w))?;
    let mut nh = Roff::new();
    nh.control("nh", []).control("ad", ["l"]);
    section(&|w| nh.to_writer(w))?;
    section(&|w| man.render_name_section(w))?;
    section(&|w| man.render_synopsis_section(w))?;
    section(&|w| man.render_description_section(w))?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        section(&|w| man.render_options_section(w))?;
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        section(&|w| man.render_subcommands_section(w))?;
    }
    if let Some(after) = &after {
        let roff = after_help_sections(after);
        section(&|w| roff.to_writer(w))?;
    }
    if let Some(parent) = parent {
        let mut roff = Roff::new();
        roff.control("SH", ["SEE ALSO"]).text([bold(parent), roman("(1)")]);
        section(&|w| roff.to_writer(w))?;
    }
    if cmd.get_version().is_some() || cmd.get_long_version().is_some() {
        section(&|w| man.render_version_section(w))?;
    }
    Ok(page)
}

/// The after-help text, in paragraphs separated by blank lines: a paragraph titled `Exit codes:`
/// becomes EXIT STATUS, one entry per code (`  N    text`, continuation lines indented deeper);
/// one titled `Examples:` becomes EXAMPLES, verbatim (no filling, no hyphenation); any other is
/// prose, under NOTES. Sections come in man-pages(7) order.
fn after_help_sections(text: &str) -> Roff {
    let mut exit_codes: Vec<(String, String)> = Vec::new();
    let mut notes: Vec<Vec<&str>> = Vec::new();
    let mut examples: Vec<&str> = Vec::new();
    for para in text.split("\n\n").map(|p| p.trim_matches('\n')).filter(|p| !p.is_empty()) {
        let mut lines = para.lines();
        let title = lines.next().unwrap_or_default();
        let body: Vec<&str> = lines.collect();
        match title.trim() {
            "Exit codes:" => {
                for line in body {
                    let trimmed = line.trim_start();
                    let indent = line.len() - trimmed.len();
                    match trimmed.split_once(char::is_whitespace) {
                        Some((code, rest)) if indent <= 2 && is_code(code) => {
                            // `130  interrupted (SIGINT); 143 terminated (SIGTERM)`: two entries.
                            let mut rest = rest.trim();
                            let mut code = code;
                            while let Some((desc, next)) = split_second_code(rest) {
                                exit_codes.push((code.to_owned(), desc.to_owned()));
                                (code, rest) = next;
                            }
                            exit_codes.push((code.to_owned(), rest.to_owned()));
                        }
                        _ => match exit_codes.last_mut() {
                            Some((_, desc)) => {
                                desc.push(' ');
                                desc.push_str(trimmed);
                            }
                            None => exit_codes.push((String::new(), trimmed.to_owned())),
                        },
                    }
                }
            }
            "Examples:" => {
                if !examples.is_empty() {
                    examples.push("");
                }
                examples.extend(body.iter().map(|l| l.strip_prefix("  ").unwrap_or(l)));
            }
            _ => notes.push(para.lines().collect()),
        }
    }
    fn is_code(s: &str) -> bool {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
    }
    /// `text; N more text` -> (`text`, (`N`, `more text`)).
    fn split_second_code(s: &str) -> Option<(&str, (&str, &str))> {
        let (desc, next) = s.split_once("; ")?;
        let (code, rest) = next.split_once(' ')?;
        is_code(code).then_some((desc, (code, rest)))
    }
    let mut roff = Roff::new();
    if !exit_codes.is_empty() {
        roff.control("SH", ["EXIT STATUS"]);
        for (code, desc) in exit_codes {
            roff.control("TP", []).text([bold(code)]).text([roman(desc)]);
        }
    }
    for (i, para) in notes.iter().enumerate() {
        if i == 0 {
            roff.control("SH", ["NOTES"]);
        } else {
            roff.control("PP", []);
        }
        for line in para {
            roff.text([roman(*line)]);
        }
    }
    if !examples.is_empty() {
        roff.control("SH", ["EXAMPLES"]).control("nf", []);
        for line in examples {
            roff.text([roman(line)]);
        }
        roff.control("fi", []);
    }
    roff
}
