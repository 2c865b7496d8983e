//! hokusai-queue: operate the Redis message queues of the Hokusai ML platform.

pub mod backend;
pub mod cli;
pub mod commands;
pub mod config;
pub mod delivery;
pub mod exit;
pub mod handler;
pub mod output;
pub mod queue;
pub mod signals;
#[cfg(feature = "sqs")]
pub mod sqs;
pub mod stream;
pub mod ui;

use clap::Parser;

/// Parses the command line, runs, and returns the process exit code.
pub fn main_with_args() -> i32 {
    // A panic message could quote a value that holds a secret: scrub it like any error.
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload.downcast_ref::<&str>().copied().or_else(|| payload.downcast_ref::<String>().map(String::as_str));
        let at = info.location().map_or(String::new(), |l| format!(" at {}:{}", l.file(), l.line()));
        eprintln!("hokusai-queue: internal error (a bug, please report it){at}: {}", config::scrub(what.unwrap_or("panic")));
    }));
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return print_parse_error(&e),
    };
    if matches!(
        &cli.command,
        cli::Command::Depth(cli::DepthArgs { all_queues: true, .. })
            | cli::Command::Exporter(cli::ExporterArgs { all_queues: true, .. })
    ) {
        // It measures the queues it finds, never the configured one: on a cluster, that name
        // (the default has no hash tag) must not be refused.
        config::configured_queue_unused();
    }
    match commands::run(cli) {
        Ok(()) => exit::Code::Success as i32,
        Err(err) => {
            let (message, code) = exit::classify(&err);
            if let Some(m) = message {
                eprintln!("hokusai-queue: error: {}", config::scrub(&m));
            }
            code
        }
    }
}

/// The subcommand path the command line names (`hokusai-queue dlq replay`), walking clap's
/// tree over the arguments that are subcommand names (flags and their values skipped), for the
/// `--help` an error points to when clap's message has no `Usage:` line.
fn command_path() -> String {
    let root = <cli::Cli as clap::CommandFactory>::command();
    let mut cmd = root.clone();
    let mut path = vec!["hokusai-queue".to_owned()];
    let mut args = std::env::args().skip(1);
    // Whether `flag` (no `=value` in it) takes the next argument as its value, in this command or
    // as a global of the root.
    let takes_value = |cmd: &clap::Command, flag: &str| {
        let matches = |a: &clap::Arg| match flag.strip_prefix("--") {
            Some(long) => a.get_long() == Some(long),
            None => flag.len() == 2 && a.get_short() == flag.chars().nth(1),
        };
        cmd.get_arguments().chain(root.get_arguments()).find(|a| matches(a)).is_some_and(|a| a.get_action().takes_values())
    };
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg.starts_with('-') {
            if !arg.contains('=') && takes_value(&cmd, &arg) {
                args.next();
            }
            continue;
        }
        let found = cmd.get_subcommands().find(|c| c.get_name() == arg || c.get_all_aliases().any(|a| a == arg)).cloned();
        if let Some(sub) = found {
            path.push(sub.get_name().to_owned());
            cmd = sub;
        }
    }
    path.join(" ")
}

/// clap's refusal in one line, as every other error of the tool: its `error:` line, its tips
/// inline, and which `--help` to read (the command from its `Usage:` line), e.g.
/// `hokusai-queue: error: unexpected argument '--maxx' found (tip: a similar argument exists:
/// '--max'); see `hokusai-queue drain --help``.
fn one_line(text: &str, path: &str) -> String {
    let mut error = String::new();
    let mut tips = Vec::new();
    let mut command = path.to_owned();
    let mut in_error = false;
    for line in text.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("error: ") {
            error = rest.to_owned();
            in_error = true;
        } else if line.is_empty() {
            in_error = false;
        } else if let Some(tip) = line.strip_prefix("tip: ") {
            tips.push(tip.to_owned());
        } else if let Some(usage) = line.strip_prefix("Usage: ") {
            let words: Vec<&str> = usage.split_whitespace().take_while(|w| !w.starts_with(['[', '<', '-', '{'])).collect();
            if !words.is_empty() {
                command = words.join(" ");
            }
        } else if in_error {
            // The rest of a multi-line message (the missing arguments, one per line).
            let sep = if error.ends_with(':') { " " } else { ", " };
            error = format!("{error}{sep}{line}");
        }
    }
    if error.is_empty() {
        return text.to_owned();
    }
    let tips = if tips.is_empty() { String::new() } else { format!(" (tip: {})", tips.join("; ")) };
    format!("hokusai-queue: error: {error}{tips}; see `{command} --help`\n")
}

/// Prints clap's message for a command line it refused (or --help/--version), and returns its
/// exit code. clap echoes the arguments it quarrels with, and one may be a URL with a password
/// in it (`hokusai-queue depth 'redis://:pw@host'`): the message goes through the same
/// scrubbing as every other error, without colours.
fn print_parse_error(e: &clap::Error) -> i32 {
    use clap::error::ErrorKind;
    use std::io::Write;
    let code = e.exit_code();
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        // `hokusai-queue` or `hokusai-queue dlq` alone: one line naming the choices, not the
        // whole help on stderr.
        let path = command_path();
        let mut cmd = <cli::Cli as clap::CommandFactory>::command();
        for name in path.split_whitespace().skip(1) {
            match cmd.find_subcommand(name) {
                Some(sub) => cmd = sub.clone(),
                None => break,
            }
        }
        let subs: Vec<String> = cmd.get_subcommands().filter(|c| !c.is_hide_set()).map(|c| c.get_name().to_owned()).collect();
        eprintln!("hokusai-queue: error: `{path}` needs a subcommand ({}); see `{path} --help`", subs.join(", "));
        return code;
    }
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // Our own text, no argument in it. To stdout; a closed pipe there is not an error.
        let _ = e.print();
        return code;
    }
    for arg in std::env::args_os() {
        config::remember_urls_in(&arg.to_string_lossy());
    }
    for var in ["HOKUSAI_REDIS_URL", "REDIS_URL"] {
        if let Some(v) = std::env::var_os(var) {
            config::remember_urls_in(&v.to_string_lossy());
        }
    }
    let text = config::scrub(&e.render().to_string());
    let text = if e.use_stderr() { one_line(&text, &command_path()) } else { text };
    let _ = if e.use_stderr() {
        std::io::stderr().lock().write_all(text.as_bytes())
    } else {
        std::io::stdout().lock().write_all(text.as_bytes())
    };
    code
}
