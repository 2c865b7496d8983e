//! hokusai-queue: operate the Redis message queues of the Hokusai ML platform.

pub mod cli;
pub mod commands;
pub mod config;
pub mod exit;
pub mod handler;
pub mod output;
pub mod queue;
pub mod signals;
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
        Err(e) => {
            let code = e.exit_code();
            // --help/--version print to stdout; a closed pipe there is not an error.
            let _ = e.print();
            return code;
        }
    };
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
