//! A long-lived handler for `drain --exec-stream`: messages one per line on its stdin, one
//! answer line per message on its stdout (README: "Stream handlers"). This file knows the
//! process and the protocol; `commands/drain.rs` decides what each answer does to a message.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::handler::{self, KillOnDrop};

/// The longest answer line read; a longer one is out of protocol.
const MAX_ANSWER: u64 = 64 * 1024;

/// After the handler process ended, how long its stdout may still deliver answers: a
/// background child holding stdout open must not hold the drain (its group is killed anyway).
const EXIT_GRACE: Duration = Duration::from_millis(200);

/// How long an answer for a line not yet fully written waits for the writer thread to count
/// it: the handler can read a line's last byte just before the writer's `write` returns.
const WRITTEN_GRACE: Duration = Duration::from_millis(200);

/// What a handler said about one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Handled: acknowledge it.
    Ok,
    /// A failed attempt: retried per the profile's rules (dead-lettered once they are spent).
    Retry(String),
    /// Never retry: dead-letter it now, with the reason.
    Dead(String),
}

/// Reads one answer line: `ok N`, `retry N [REASON]` or `dead N [REASON]`, where N is the
/// number of the line the handler was sent (its first line is 1). A trailing `\r` is allowed.
pub fn parse_answer(line: &[u8]) -> Result<(u64, Verdict), String> {
    let text = std::str::from_utf8(line).map_err(|_| "an answer that is not UTF-8".to_owned())?;
    let text = text.strip_suffix('\r').unwrap_or(text);
    let (word, rest) = text.split_once(' ').unwrap_or((text, ""));
    let (num, reason) = rest.split_once(' ').unwrap_or((rest, ""));
    let seq: u64 = match num.parse() {
        Ok(n) if !num.starts_with('+') => n,
        _ => {
            return Err(format!(
                "no line number in the answer {:?} (expected `ok N`, `retry N REASON` or `dead N REASON`)",
                clip(text)
            ));
        }
    };
    let reason = reason.trim();
    let said = |default: &str| if reason.is_empty() { default.to_owned() } else { reason.to_owned() };
    match word {
        "ok" if reason.is_empty() => Ok((seq, Verdict::Ok)),
        "retry" => Ok((seq, Verdict::Retry(said("the stream handler answered retry")))),
        "dead" => Ok((seq, Verdict::Dead(said("the stream handler answered dead")))),
        _ => Err(format!("the answer {:?} is not `ok N`, `retry N REASON` or `dead N REASON`", clip(text))),
    }
}

fn clip(s: &str) -> String {
    s.chars().take(200).collect()
}

/// What the threads of a running handler report, tagged with its slot and generation.
#[derive(Debug)]
pub enum Event {
    /// One line of its stdout (without the newline).
    Answer(Vec<u8>),
    /// The process ended (its group is then killed); sent once its stdout reached end of
    /// file, or `EXIT_GRACE` after it ended, whichever is first.
    Exited(ExitStatus),
    /// Its stdout carried a line longer than the protocol allows.
    Overlong,
}

/// One running stream handler.
pub struct StreamHandler {
    pid: Pid,
    guard: KillOnDrop,
    /// To the thread that writes its stdin; dropped to close stdin (end of input).
    input: Option<mpsc::Sender<Vec<u8>>>,
    /// How many lines were written whole to its stdin (the pipe has them; a line still
    /// waiting in the writer thread, or half written, was not given to it).
    written: Arc<AtomicU64>,
    /// The last non-blank line of its stderr so far.
    last_stderr: Arc<Mutex<String>>,
    /// The last line once its stderr is closed.
    stderr_done: mpsc::Receiver<String>,
}

impl StreamHandler {
    /// Starts `sh -c CMD` as every handler is started (own process group, secrets withheld,
    /// killed when drain dies); its events arrive on `events` as `(slot, generation, event)`.
    pub fn start(command: &str, slot: usize, generation: u64, events: mpsc::Sender<(usize, u64, Event)>) -> Result<Self> {
        let mut cmd = handler::command(command);
        cmd.env("HOKUSAI_HANDLER_SLOT", slot.to_string());
        let mut child = cmd.spawn().with_context(|| format!("starting the stream handler `{command}`"))?;
        let pid = Pid::from_raw(child.id() as i32);
        let guard = KillOnDrop(Some(pid));

        let last_stderr = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("piped stderr");
        let last = last_stderr.clone();
        let (done, stderr_done) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(handler::relay_keeping(stderr, &last));
        });

        let mut stdin = child.stdin.take().expect("piped stdin");
        let (input, lines) = mpsc::channel::<Vec<u8>>();
        let written = Arc::new(AtomicU64::new(0));
        let counted = written.clone();
        // A handler that stops reading must not block drain: write from a thread.
        std::thread::spawn(move || {
            for line in lines {
                if stdin.write_all(&line).is_err() {
                    break; // it is gone or closed its stdin: its waiter thread reports the end
                }
                counted.fetch_add(1, Ordering::SeqCst);
            }
        });

        let stdout = child.stdout.take().expect("piped stdout");
        let (eof, stdout_done) = mpsc::channel::<()>();
        let answers = events.clone();
        std::thread::spawn(move || {
            let mut out = BufReader::with_capacity(64 * 1024, stdout);
            let mut line = Vec::new();
            loop {
                line.clear();
                match (&mut out).take(MAX_ANSWER + 1).read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if line.last() == Some(&b'\n') => {
                        line.pop();
                        if answers.send((slot, generation, Event::Answer(std::mem::take(&mut line)))).is_err() {
                            break;
                        }
                    }
                    Ok(n) if n as u64 > MAX_ANSWER => {
                        let _ = answers.send((slot, generation, Event::Overlong));
                        let _ = killpg(pid, Signal::SIGKILL);
                        break;
                    }
                    // A last line without its newline: the handler ended mid-answer.
                    Ok(_) => break,
                }
            }
            // Its stdout is closed: it ended (or closed stdout, which is as good as ending).
            let _ = killpg(pid, Signal::SIGKILL);
            let _ = eof.send(());
        });

        // Its exit is noticed when it happens, not at end of file on its stdout: a background
        // child of the handler can hold stdout open for as long as it likes.
        std::thread::spawn(move || {
            let status = child.wait().unwrap_or_else(|_| ExitStatus::from_raw(9));
            // What it started goes with it (as at a timeout); its last answers may still be
            // in the pipe: read them for a moment, not until an orphan lets go of stdout.
            let _ = killpg(pid, Signal::SIGKILL);
            let _ = stdout_done.recv_timeout(EXIT_GRACE);
            let _ = events.send((slot, generation, Event::Exited(status)));
        });
        Ok(Self { pid, guard, input: Some(input), written, last_stderr, stderr_done })
    }

    /// Sends one line (its newline included) to the handler's stdin.
    pub fn send(&self, line: Vec<u8>) {
        if let Some(i) = &self.input {
            let _ = i.send(line);
        }
    }

    /// Whether line `n` (its first is 1) was written whole to its stdin: a handler can answer
    /// only a line it was given. Waits a moment for the writer thread to count a line the
    /// handler may have read just before the writer's `write` returned.
    pub fn given(&self, n: u64) -> bool {
        let until = Instant::now() + WRITTEN_GRACE;
        while self.written.load(Ordering::SeqCst) < n {
            if Instant::now() >= until {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        true
    }

    /// Closes its stdin: a handler that reads to the end finishes and exits.
    pub fn close_input(&mut self) {
        self.input = None;
    }

    /// Kills its whole process group; its waiter thread then reports `Exited`.
    pub fn kill(&self) {
        let _ = killpg(self.pid, Signal::SIGKILL);
    }

    /// After `Exited`: nothing of its group is ours to kill any more. Returns the last line
    /// of its stderr (waiting a moment for it: a background child may hold stderr open).
    pub fn ended(mut self) -> String {
        self.guard.0 = None;
        let last = self.stderr_done.recv_timeout(std::time::Duration::from_millis(200));
        last.unwrap_or_else(|_| self.last_stderr.lock().map(|l| l.clone()).unwrap_or_default())
    }
}

/// Why a handler that ended is no longer there, in words.
pub fn ended_because(status: ExitStatus) -> String {
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("the stream handler exited with status {code}"),
        (None, Some(sig)) => format!("the stream handler was killed by signal {sig}"),
        _ => "the stream handler ended abnormally".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        assert_eq!(parse_answer(b"ok 1"), Ok((1, Verdict::Ok)));
        assert_eq!(parse_answer(b"ok 12\r"), Ok((12, Verdict::Ok)));
        assert_eq!(parse_answer(b"retry 3 db down"), Ok((3, Verdict::Retry("db down".into()))));
        assert_eq!(parse_answer(b"dead 4  bad  input "), Ok((4, Verdict::Dead("bad  input".into()))));
        assert!(matches!(parse_answer(b"retry 5"), Ok((5, Verdict::Retry(_)))));
        for bad in [&b"ok"[..], b"ok x", b"ok 1 extra", b"OK 1", b"", b"done 1", b"ok -1", b"ok +1", b"\xff 1"] {
            assert!(parse_answer(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
