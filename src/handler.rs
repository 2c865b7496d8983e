//! Runs one handler process for `drain --exec`: envelope on stdin, heartbeat while it runs,
//! killed (with its whole process group) on timeout or a second interrupt.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::signals::Interrupts;

/// How one handler run ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// A failed attempt, said in words (exit status or signal or timeout, and the last line
    /// of the handler's stderr).
    Failed(String),
    /// This message cannot be handed to any handler (a NUL byte in a value passed in the
    /// environment, a value over the kernel's limit): dead-letter it and go on.
    Unfit(String),
    /// The handler command itself could not be started (the shell said 126 or 127: not found,
    /// not executable): no attempt was made, and none will succeed.
    NotStarted(String),
}

/// Variables a handler never inherits: the tool's connection and its secrets (README: Handlers).
pub const WITHHELD_ENV: [&str; 7] = [
    "REDIS_AUTH_TOKEN",
    "REDIS_PASSWORD",
    "REDIS_URL",
    "HOKUSAI_REDIS_URL",
    "HOKUSAI_REDIS_PASSWORD_FILE",
    "REDISCLI_AUTH",
    "REDIS_USERNAME",
];

/// The kernel's limit on one environment string (`MAX_ARG_STRLEN`, 32 pages), name and `=` included.
const MAX_ENV_STRING: usize = 128 * 1024;

/// Why a value cannot travel in the handler's environment, if it cannot.
pub fn unfit_env(vars: &[(&str, String)]) -> Option<String> {
    for (k, v) in vars {
        if v.contains('\0') {
            return Some(format!("cannot be handed to a handler: its {k} holds a NUL byte"));
        }
        if k.len() + 1 + v.len() >= MAX_ENV_STRING {
            return Some(format!(
                "cannot be handed to a handler: its {k} is {} bytes, over the kernel's 128 KiB limit for one variable",
                v.len()
            ));
        }
    }
    None
}

/// Kills the handler's process group unless disarmed: whatever way `run` is left (an error
/// from the heartbeat, a panic), no handler runs on unsupervised.
pub(crate) struct KillOnDrop(pub(crate) Option<Pid>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Some(pid) = self.0 {
            let _ = killpg(pid, Signal::SIGKILL);
        }
    }
}

/// Relays a handler's output line by line to our stderr, with every known secret scrubbed;
/// returns the last non-blank line.
pub(crate) fn relay(from: impl std::io::Read) -> String {
    relay_keeping(from, &std::sync::Mutex::default())
}

/// [`relay`], keeping the last non-blank line in `last` as it goes (for a handler that lives on).
pub(crate) fn relay_keeping(from: impl std::io::Read, last_seen: &std::sync::Mutex<String>) -> String {
    let mut last = String::new();
    for line in BufReader::new(from).split(b'\n').map_while(Result::ok) {
        let text = crate::config::scrub(&String::from_utf8_lossy(&line));
        let _ = std::io::stderr().write_all(text.as_bytes()).and_then(|_| std::io::stderr().write_all(b"\n"));
        let t = text.trim();
        if !t.is_empty() {
            last = t.to_owned();
            if let Ok(mut l) = last_seen.lock() {
                l.clone_from(&last);
            }
        }
    }
    last
}

/// `sh -c CMD` as every handler runs: pipes on stdin, stdout and stderr (its stdout goes to our
/// stderr, scrubbed, or carries a stream handler's answers: our stdout stays machine-readable),
/// its own process group (a Ctrl-C at the terminal reaches drain, which lets the handler
/// finish; a kill reaches the handler's children too), the secrets withheld, and death with drain.
pub(crate) fn command(shell_command: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(shell_command).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).process_group(0);
    for k in WITHHELD_ENV {
        cmd.env_remove(k);
    }
    die_with_parent(&mut cmd);
    cmd
}

pub struct Handler<'a> {
    pub command: &'a str,
    pub timeout: Option<Duration>,
    pub heartbeat_every: Duration,
    pub interrupts: &'a Interrupts,
}

impl Handler<'_> {
    /// Runs the handler on `input`. `heartbeat` is called every `heartbeat_every` while it runs.
    pub fn run(&self, input: &[u8], env: &[(&str, String)], heartbeat: &mut dyn FnMut() -> Result<()>) -> Result<Outcome> {
        if let Some(why) = unfit_env(env) {
            return Ok(Outcome::Unfit(why));
        }
        let mut cmd = command(self.command);
        cmd.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) if e.raw_os_error() == Some(nix::libc::E2BIG) => {
                return Ok(Outcome::Unfit(format!("cannot be handed to a handler: {e} (the message's values are too large)")));
            }
            Err(e) => return Err(e).with_context(|| format!("starting the handler `{}`", self.command)),
        };
        let pid = Pid::from_raw(child.id() as i32);
        let mut guard = KillOnDrop(Some(pid));
        let out = child.stdout.take().expect("piped stdout");
        std::thread::spawn(move || relay(out));

        let mut stdin = child.stdin.take().expect("piped stdin");
        let input = input.to_vec();
        // A handler that never reads its stdin must not block us: write from a thread.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });

        let stderr = child.stderr.take().expect("piped stderr");
        let (last_tx, last_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = last_tx.send(relay(stderr));
        });

        let (done_tx, done_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = done_tx.send(child.wait());
        });

        let started = Instant::now();
        let mut next_beat = started + self.heartbeat_every;
        let mut killed_because: Option<String> = None;
        let status: ExitStatus = loop {
            match done_rx.recv_timeout(Duration::from_millis(50)) {
                Ok(status) => break status.context("waiting for the handler")?,
                Err(mpsc::RecvTimeoutError::Disconnected) => anyhow::bail!("lost track of the handler process"),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if killed_because.is_none() {
                if let Some(limit) = self.timeout
                    && started.elapsed() >= limit
                {
                    killed_because =
                        Some(format!("timed out after {} (--handler-timeout); killed", humantime::format_duration(limit)));
                } else if self.interrupts.count() >= 2 {
                    killed_because = Some("killed by a second interrupt".into());
                }
                if killed_because.is_some() {
                    let _ = killpg(pid, Signal::SIGKILL);
                }
            }
            if Instant::now() >= next_beat {
                heartbeat()?;
                next_beat = Instant::now() + self.heartbeat_every;
            }
        };
        // It ended: nothing of its group is ours to kill any more (a background child it left
        // is its business, as with any shell command).
        guard.0 = None;
        // A handler may leave a background child holding stderr open: do not wait for it long.
        let last_line = last_rx.recv_timeout(Duration::from_secs(1)).unwrap_or_default();
        let why = match (killed_because, status.code(), status.signal()) {
            (Some(k), _, _) => k,
            (None, Some(0), _) => return Ok(Outcome::Success),
            (None, Some(code @ (126 | 127)), _) => {
                let said = if last_line.is_empty() {
                    String::new()
                } else {
                    format!(": {}", last_line.chars().take(500).collect::<String>())
                };
                return Ok(Outcome::NotStarted(format!(
                    "the handler `{}` could not be started (exit {code}){said}",
                    self.command
                )));
            }
            (None, Some(code), _) => format!("handler exited with status {code}"),
            (None, None, Some(sig)) => format!("handler killed by signal {sig}"),
            (None, None, None) => "handler ended abnormally".into(),
        };
        let last_line: String = last_line.chars().take(500).collect();
        Ok(Outcome::Failed(if last_line.is_empty() { why } else { format!("{why}: {last_line}") }))
    }
}

/// Asks the kernel to SIGKILL the handler's shell when drain dies (even by SIGKILL), so a
/// handler never works on a message nobody will acknowledge; if drain is already gone when the
/// child starts, the child exits at once. (`sh -c` execs a simple command in place, so the
/// signal reaches the handler itself.)
#[allow(unsafe_code)]
fn die_with_parent(cmd: &mut Command) {
    let parent = nix::unistd::getpid();
    // SAFETY: the closure runs in the child between fork and exec and calls only prctl(2),
    // getppid(2) and _exit(2), which are async-signal-safe; it allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            nix::sys::prctl::set_pdeathsig(Signal::SIGKILL).map_err(std::io::Error::from)?;
            if nix::unistd::getppid() != parent {
                nix::libc::_exit(1);
            }
            Ok(())
        });
    }
}
