//! `top` in a real pseudo-terminal (tmux) against a real redis-server: start, keys, resize,
//! exit (the terminal restored), Redis going away and coming back, a replay after y. Layouts at
//! 80x24 and 200x60 are unit tests (ratatui's TestBackend, src/commands/top/view.rs).

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::{QUEUE, RedisServer, emit_flags, hq};

/// A tmux server of the test's own (its own socket), one window running `sh`.
struct Tmux {
    socket: PathBuf,
    dir: tempfile::TempDir,
}

impl Tmux {
    fn start(width: u16, height: u16) -> Self {
        if Command::new("tmux").arg("-V").output().is_err() {
            panic!(
                "tmux is missing: the top tests run it in a real pseudo-terminal. Install it (apt-get install tmux; \
                 .ci/run does) and run the tests again"
            );
        }
        let dir = tempfile::tempdir().unwrap();
        let socket = dir.path().join("tmux.sock");
        let me = Self { socket, dir };
        let path = std::env::var("PATH").unwrap_or_default();
        let home = me.dir.path().display().to_string();
        let shell = format!("env -i PATH='{path}' HOME='{home}' TERM=xterm-256color PS1='top-test$ ' sh");
        let (w, h) = (width.to_string(), height.to_string());
        me.tmux(&["-f", "/dev/null", "new-session", "-d", "-x", &w, "-y", &h, &shell]);
        me.wait_for("the shell prompt", |s| s.contains("top-test$"));
        me
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").arg("-S").arg(&self.socket).args(args).output().unwrap();
        assert!(out.status.success(), "tmux {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Types a command line and Enter.
    fn run(&self, line: &str) {
        self.tmux(&["send-keys", "-l", line]);
        self.tmux(&["send-keys", "Enter"]);
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", k]);
        }
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    fn alternate_screen(&self) -> bool {
        self.tmux(&["display-message", "-p", "#{alternate_on}"]).trim() == "1"
    }

    /// Waits (up to a minute: the machine may be busy) until the screen passes `check`.
    fn wait_for(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if check(&s) {
                return s;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "timed out waiting for {what}; the screen:\n{s}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// After top has exited: the normal screen is back, the prompt answers, and the terminal's
    /// mode is sane again (canonical input, echo, signals).
    fn assert_restored(&self, exit: &str) {
        let screen = self.wait_for("top to exit", |s| s.contains(&format!("top exited {exit}")));
        assert!(!self.alternate_screen(), "the alternate screen was left:\n{screen}");
        let stty = self.path("stty.txt");
        // The marker is computed by the shell: the typed line does not contain it.
        self.run(&format!("stty -a > '{}'; echo stty-$((40 + 2))", stty.display()));
        self.wait_for("stty", |s| s.lines().any(|l| l.trim_end() == "stty-42"));
        let mode = std::fs::read_to_string(&stty).unwrap();
        let words: Vec<&str> = mode.split_whitespace().collect();
        for flag in ["icanon", "echo", "isig", "icrnl", "opost"] {
            assert!(words.contains(&flag), "{flag} is set again after top: {mode}");
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").arg("-S").arg(&self.socket).arg("kill-server").output();
    }
}

/// The command line that starts top against `server` and then says how it exited.
fn top_line(server: &RedisServer, env: &str, args: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin("hokusai-queue");
    format!(
        "env HOKUSAI_CONFIG=/nonexistent/hokusai-queue-tests/config.toml {env} '{}' --redis-url {} --connect-retries 0 \
         --connect-timeout 1s top --interval 300ms {args}; echo \"top exited $?\"",
        bin.display(),
        server.url()
    )
}

fn emit(server: &RedisServer, n: usize) {
    for _ in 0..n {
        hq(server).args(emit_flags()).assert().success();
    }
}

/// A dead letter the way the platform's consumer writes them.
fn dead_letter(server: &RedisServer, id: &str, error: &str) {
    let original = serde_json::json!({
        "message_id": id, "message_type": "model_ready_to_deploy", "payload": {"model_id": "m"},
        "timestamp": "2026-01-01T00:00:00", "retry_count": 3, "max_retries": 3
    })
    .to_string();
    let entry = serde_json::json!({"original_message": original, "error": error, "failed_at": "2026-01-01T00:00:01"});
    server.lpush(&format!("{QUEUE}:dlq"), entry.to_string().as_bytes());
}

/// The row of `queue` in the list, as its cells.
fn row<'a>(screen: &'a str, queue: &str) -> Option<Vec<&'a str>> {
    screen.lines().find(|l| l.starts_with(queue)).map(|l| l.split_whitespace().collect())
}

#[test]
fn top_refuses_when_stdout_is_not_a_terminal() {
    let server = RedisServer::start();
    let out = hq(&server).arg("top").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not") && err.contains("terminal") && err.contains("depth --all-queues --watch"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(out.stdout.is_empty(), "nothing drawn into a pipe");
}

#[test]
fn top_shows_the_queues_navigates_resizes_and_restores_the_terminal() {
    let server = RedisServer::start();
    emit(&server, 3);
    dead_letter(&server, "dead-1", "boom: model not found");
    dead_letter(&server, "dead-2", "boom: model not found");
    server.lpush("jobs:other", b"not an envelope");
    let t = Tmux::start(80, 24);
    t.run(&top_line(&server, "", ""));
    let s = t.wait_for("the queue list", |s| row(s, QUEUE).is_some_and(|r| r[1] == "3") && row(s, "jobs:other").is_some());
    assert!(t.alternate_screen(), "top draws on the alternate screen");
    assert_eq!(&row(&s, QUEUE).unwrap()[1..5], ["3", "0", "0", "2"], "main, processing, retry, dlq:\n{s}");
    assert!(s.lines().next().unwrap().contains("read-only"), "{s}");

    // The rates follow what arrives: two more pushed show up as a count and a rate.
    emit(&server, 2);
    t.wait_for("the new depth", |s| row(s, QUEUE).is_some_and(|r| r[1] == "5"));

    // Down to the other queue and back, then open ours.
    t.keys(&["j"]);
    t.keys(&["k", "Enter"]);
    t.wait_for("the detail of the queue", |s| {
        s.contains("1 main (5)") && s.contains("4 dlq (2)") && s.contains("model_ready_to_deploy")
    });
    t.keys(&["4"]);
    let s = t.wait_for("the DLQ grouped by error", |s| s.contains("dlq by error"));
    assert!(s.lines().any(|l| l.contains("2  boom: model not found")), "{s}");
    t.keys(&["R"]);
    t.wait_for("the read-only refusal", |s| s.contains("read-only: R replays only when top was started with --allow-writes"));

    // Resize: the layout follows the terminal.
    t.tmux(&["resize-window", "-x", "200", "-y", "60"]);
    // Redrawn: the key line on the last of 60 rows, boxes wider than 80 columns.
    t.wait_for("the layout at 200x60", |s| {
        s.lines().nth(59).is_some_and(|l| l.contains("Esc back")) && s.lines().any(|l| l.trim_end().chars().count() > 150)
    });
    // Esc and ? together (a terminal sends them as Alt-?): back to the list, then the help.
    t.keys(&["Escape", "?"]);
    let s = t.wait_for("the list again, wide, and the help", |s| {
        s.lines().nth(1).is_some_and(|l| l.contains("profile")) && s.contains("help (any key closes)")
    });
    assert!(row(&s, QUEUE).is_some_and(|r| r.contains(&"envelope")), "{s}");
    t.keys(&["Escape", "q"]);
    t.assert_restored("0");
}

#[test]
fn top_shows_redis_going_away_and_reconnects() {
    let mut server = RedisServer::start();
    emit(&server, 2);
    let t = Tmux::start(80, 24);
    t.run(&top_line(&server, "", ""));
    t.wait_for("the queue list", |s| row(s, QUEUE).is_some_and(|r| r[1] == "2"));
    server.kill();
    let s = t.wait_for("the link down", |s| s.contains("disconnected:"));
    assert!(s.contains("retrying"), "{s}");
    assert!(row(&s, QUEUE).is_some(), "the last reading stays on screen:\n{s}");
    server.restart();
    emit(&server, 4); // a restart without persistence starts empty
    t.wait_for("the link back", |s| !s.contains("disconnected") && row(s, QUEUE).is_some_and(|r| r[1] == "4"));
    t.keys(&["C-c"]);
    t.assert_restored("0");
}

#[test]
fn top_with_allow_writes_replays_one_dead_letter_after_y() {
    let server = RedisServer::start();
    dead_letter(&server, "dead-1", "boom");
    dead_letter(&server, "dead-2", "boom");
    let t = Tmux::start(80, 24);
    t.run(&top_line(&server, "", "--allow-writes"));
    t.wait_for("the queue list", |s| row(s, QUEUE).is_some_and(|r| r[4] == "2"));
    t.keys(&["Enter", "4"]);
    t.wait_for("the DLQ", |s| s.contains("dead-1") && s.contains("dead-2"));
    // The oldest (dead-1) is selected. No: nothing changes.
    t.keys(&["R"]);
    t.wait_for("the question", |s| s.contains("Replay dead letter dead-1") && s.contains("[y/N]"));
    t.keys(&["n"]);
    t.wait_for("the refusal", |s| s.contains("not confirmed: nothing changed"));
    assert_eq!(server.llen(&format!("{QUEUE}:dlq")), 2);
    assert_eq!(server.llen(QUEUE), 0);
    t.keys(&["R"]);
    t.wait_for("the question again", |s| s.contains("[y/N]"));
    t.keys(&["y"]);
    t.wait_for("the outcome", |s| s.contains(&format!("replayed dead-1 onto {QUEUE}")));
    assert_eq!(server.llen(&format!("{QUEUE}:dlq")), 1, "one dead letter replayed, the other left");
    let main = server.lrange(QUEUE);
    assert_eq!(main.len(), 1);
    let v: serde_json::Value = serde_json::from_slice(&main[0]).unwrap();
    assert_eq!((v["message_id"].as_str(), v["retry_count"].as_i64()), (Some("dead-1"), Some(0)), "unwrapped, retry_count reset");
    t.keys(&["q"]);
    t.assert_restored("0");
}

#[test]
fn a_panic_in_top_restores_the_terminal_before_its_message() {
    let server = RedisServer::start();
    let t = Tmux::start(80, 24);
    t.run(&top_line(&server, "HOKUSAI_TOP_TEST_PANIC=1", ""));
    let s = t.wait_for("the panic", |s| s.contains("top exited 101"));
    assert!(s.contains("internal error") && s.contains("HOKUSAI_TOP_TEST_PANIC"), "the message is on the normal screen:\n{s}");
    t.assert_restored("101");
}

#[test]
fn top_honours_no_color() {
    let server = RedisServer::start();
    emit(&server, 1);
    let colours = |t: &Tmux| {
        let s = t.tmux(&["capture-pane", "-p", "-e"]);
        // SGR colour parameters: 30-37, 40-47, 90-97, 38;5 / 48;5 / 38;2.
        s.split('\x1b').filter(|seq| seq.starts_with('[') && seq.contains('m')).any(|seq| {
            let params = &seq[1..seq.find('m').unwrap()];
            params.split(';').any(|p| matches!(p.parse::<u32>(), Ok(30..=37 | 40..=47 | 90..=97 | 38 | 48)))
        })
    };
    for (env, coloured) in [("", true), ("NO_COLOR=1", false)] {
        let t = Tmux::start(80, 24);
        t.run(&top_line(&server, env, ""));
        t.wait_for("the queue list", |s| row(s, QUEUE).is_some());
        assert_eq!(colours(&t), coloured, "with {env:?}:\n{}", t.tmux(&["capture-pane", "-p", "-e"]));
        t.keys(&["q"]);
        t.assert_restored("0");
    }
}

#[test]
fn top_with_allow_writes_requeues_a_retry_message_and_refuses_a_held_one() {
    let server = RedisServer::start();
    let envelope = |id: &str| {
        serde_json::json!({"message_id": id, "message_type": "model_ready_to_deploy", "payload": {},
            "timestamp": "2026-01-01T00:00:00", "retry_count": 1, "max_retries": 3})
        .to_string()
    };
    // A delayed retry in the tool's own format (nonce, ':', the element), due in an hour.
    let member = format!("{}:{}", "0123456789abcdef0123456789abcdef", envelope("later-1"));
    let due = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() + 3_600_000).to_string();
    server.cmd(&["ZADD", &format!("{QUEUE}:hokusai-queue:retry"), &due, &member]);
    // Claimed by a consumer that writes no lease (the platform's): it may be working on it.
    server.lpush(&format!("{QUEUE}:processing"), envelope("held-1").as_bytes());
    let t = Tmux::start(80, 24);
    t.run(&top_line(&server, "", "--allow-writes"));
    t.wait_for("the queue list", |s| row(s, QUEUE).is_some_and(|r| r[2] == "1" && r[3] == "1"));
    t.keys(&["Enter", "2"]);
    t.wait_for("processing", |s| s.contains("held-1"));
    t.keys(&["u"]);
    t.wait_for("the question", |s| s.contains("Requeue message held-1 from processing") && s.contains("[y/N]"));
    t.keys(&["y"]);
    t.wait_for("the refusal", |s| s.contains("not requeued: held-1 has no lease"));
    assert_eq!(server.llen(&format!("{QUEUE}:processing")), 1, "left where it was");
    t.keys(&["3"]);
    t.wait_for("retry", |s| s.contains("later-1") && s.contains("due in"));
    t.keys(&["u"]);
    t.wait_for("the question", |s| s.contains("Requeue message later-1 from retry"));
    t.keys(&["y"]);
    t.wait_for("the outcome", |s| s.contains(&format!("requeued later-1 to the consumer end of {QUEUE}")));
    assert_eq!(server.lrange(QUEUE), vec![envelope("later-1").into_bytes()], "the element, without its nonce");
    assert_eq!(server.cmd(&["ZCARD", &format!("{QUEUE}:hokusai-queue:retry")]), redis::Value::Int(0));
    t.keys(&["q"]);
    t.assert_restored("0");
}

/// The reading behind the rates, against a real server: where the previous head went.
#[test]
fn flow_counts_what_was_pushed_since_the_last_reading() {
    use clap::Parser;
    use hokusai_queue::queue::flow::Pushed;
    let server = RedisServer::start();
    let cli = hokusai_queue::cli::Cli::try_parse_from(["hq", "--redis-url", &server.url(), "depth"]).unwrap();
    let cfg = hokusai_queue::config::Config::from_args(&cli.global).unwrap();
    let mut q = hokusai_queue::queue::Queue::connect(&cfg.target, cfg.keys.clone()).unwrap();
    let first = q.flow("jobs", None).unwrap();
    assert_eq!((first.len, first.head.as_ref(), first.pushed), (0, None, None), "a first reading has no rate");
    for i in 0..5 {
        server.lpush("jobs", format!("a{i}").as_bytes());
    }
    let f = q.flow("jobs", Some(first.head.as_deref())).unwrap();
    assert_eq!((f.len, f.pushed), (5, Some(Pushed::Exactly(5))), "empty before: all five are new");
    assert_eq!(f.head.as_deref(), Some(&b"a4"[..]));
    server.lpush("jobs", b"b0");
    server.lpush("jobs", b"b1");
    server.cmd(&["RPOP", "jobs", "3"]);
    let g = q.flow("jobs", Some(f.head.as_deref())).unwrap();
    assert_eq!((g.len, g.pushed), (4, Some(Pushed::Exactly(2))), "two above a4; 5 + 2 - 4 = 3 left");
    server.cmd(&["DEL", "jobs"]);
    server.lpush("jobs", b"c0");
    let h = q.flow("jobs", Some(g.head.as_deref())).unwrap();
    assert_eq!(h.pushed, Some(Pushed::AtLeast(1)), "the old head is gone: a lower bound");
}
