//! Runs one handler process for `drain --exec`: envelope on stdin, heartbeat while it runs,
//! killed (with its whole process group) on timeout or a second interrupt.

use std::io::{BufRead, BufReader, Write};
use std::os::fd::AsFd;
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
        // The handler's stdout goes to our stderr: our stdout stays machine-readable.
        let stdout_fd = std::io::stderr().as_fd().try_clone_to_owned().context("duplicating stderr")?;
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(self.command)
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::piped())
            .stdout(Stdio::from(stdout_fd))
            .stderr(Stdio::piped())
            // Its own process group: a Ctrl-C at the terminal reaches drain, which lets the
            // handler finish; a kill reaches the handler's children too.
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting the handler `{}`", self.command))?;
        let pid = Pid::from_raw(child.id() as i32);

        let mut stdin = child.stdin.take().expect("piped stdin");
        let input = input.to_vec();
        // A handler that never reads its stdin must not block us: write from a thread.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });

        let stderr = child.stderr.take().expect("piped stderr");
        let (last_tx, last_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut last = String::new();
            for line in BufReader::new(stderr).split(b'\n').map_while(Result::ok) {
                let _ = std::io::stderr().write_all(&line).and_then(|_| std::io::stderr().write_all(b"\n"));
                let text = String::from_utf8_lossy(&line).trim().to_owned();
                if !text.is_empty() {
                    last = text;
                }
            }
            let _ = last_tx.send(last);
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
        // A handler may leave a background child holding stderr open: do not wait for it long.
        let last_line = last_rx.recv_timeout(Duration::from_secs(1)).unwrap_or_default();
        let why = match (killed_because, status.code(), status.signal()) {
            (Some(k), _, _) => k,
            (None, Some(0), _) => return Ok(Outcome::Success),
            (None, Some(code), _) => format!("handler exited with status {code}"),
            (None, None, Some(sig)) => format!("handler killed by signal {sig}"),
            (None, None, None) => "handler ended abnormally".into(),
        };
        let last_line: String = last_line.chars().take(500).collect();
        Ok(Outcome::Failed(if last_line.is_empty() { why } else { format!("{why}: {last_line}") }))
    }
}
