//! Failures: unreachable servers, wrong key types, auth, bad URLs, closed pipes; exit codes.

use predicates::prelude::*;

use crate::support::*;

const SECRET: &str = "hunter2-GREPME";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn unreachable_redis_exits_3_without_the_password() {
    let port = free_port();
    let url = format!("redis://:{SECRET}@127.0.0.1:{port}/0");
    for args in [vec!["depth"], vec!["peek"], emit_flags()] {
        let out = bare()
            .args(["--connect-retries", "1", "--connect-backoff-base", "10ms", "--redis-url", &url])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(!all.contains(SECRET), "password leaked: {all}");
        assert!(all.contains(&format!("127.0.0.1:{port}")), "names the host: {all}");
        // One line for the error, after one line per connection retry.
        let err = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 2, "{all}");
        assert!(lines[0].contains("retry 1 of 1") && lines[1].starts_with("hokusai-queue: error: "), "{all}");
    }
}

#[test]
fn wrong_type_names_the_key() {
    let server = RedisServer::start();
    server.cmd(&["SET", QUEUE, "a string"]);
    hq(&server)
        .arg("depth")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("key {QUEUE} holds a string, expected a list")));
    hq(&server).arg("peek").assert().code(1).stderr(predicate::str::contains(QUEUE));
    hq(&server).args(emit_flags()).assert().code(1).stderr(predicate::str::contains(QUEUE));
    server.cmd(&["DEL", QUEUE]);
    server.cmd(&["HSET", &format!("{QUEUE}:dlq"), "a", "b"]);
    hq(&server).arg("depth").assert().code(1).stderr(predicate::str::contains(format!("{QUEUE}:dlq holds a hash")));
}

#[test]
fn auth_token_with_special_characters() {
    let token = "a!b&c#d$e^f<g>h-i";
    let server = RedisServer::start_with(&["--requirepass", token]);
    let port = server.port.to_string();
    // The platform's variables: host, port and token from the environment, used as is.
    bare()
        .args(["--connect-retries", "0"])
        .env("REDIS_HOST", "127.0.0.1")
        .env("REDIS_PORT", &port)
        .env("REDIS_AUTH_TOKEN", token)
        .args(["depth", "-o", "json"])
        .assert()
        .success();
    // Without it: the server asks for one.
    hq(&server).arg("depth").assert().code(3).stderr(predicate::str::contains("authentication required"));
    // A wrong one: refused, and never echoed.
    let out = hq(&server).env("REDIS_AUTH_TOKEN", SECRET).arg("depth").output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("authentication failed") && !err.contains(SECRET), "{err}");
    // The same token pasted raw into a URL: a clear error that does not echo it.
    let out = bare().args(["--redis-url", &format!("redis://:{token}@127.0.0.1:{port}/0"), "depth"]).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("c#d$e"), "token echoed: {err}");
}

#[test]
fn bad_urls_and_usage_errors() {
    let out = bare().args(["--redis-url", &format!("ftp://:{SECRET}@host/0"), "depth"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains(SECRET));
    bare().args(["depth", "--fail-above", "many"]).assert().code(2);
    bare().args(["frobnicate"]).assert().code(2);
    bare().args(["peek", "-o", "prometheus"]).assert().code(2).stderr(predicate::str::contains("only for `depth`"));
    bare().args(["depth", "--connect-timeout", "soon"]).assert().code(2).stderr(predicate::str::contains("10ms"));
    bare().arg("--help").assert().success().stdout(predicate::str::contains("Exit codes:"));
}

#[test]
fn closed_pipe_is_not_an_error() {
    let server = RedisServer::start();
    let f = tempfile::NamedTempFile::new().unwrap();
    let lines: String = (0..300).map(|i| payload_json(&format!("m-{i}")) + "\n").collect();
    std::fs::write(f.path(), lines).unwrap();
    hq(&server).args(["emit", "--no-publish", "--file"]).arg(f.path()).assert().success();
    let bin = assert_cmd::cargo::cargo_bin("hokusai-queue");
    let script =
        format!("set -o pipefail; '{}' --redis-url {} peek -o jsonl -n 300 | head -c 10 >/dev/null", bin.display(), server.url());
    let status = std::process::Command::new("bash").arg("-c").arg(script).status().unwrap();
    assert!(status.success(), "peek | head exited {status}");
}

/// Zero and absurd durations are usage errors naming the flag's range: `--watch 0s` would
/// spin, a zero timeout fails every command, a century overflows the clock arithmetic.
#[test]
fn zero_and_absurd_durations_are_usage_errors_with_the_range() {
    let closed = format!("redis://127.0.0.1:{}/0", free_port());
    let cases: [(&[&str], &str, &str); 14] = [
        (&["depth", "--watch", "0s"], "--watch", "100ms"),
        (&["depth", "--watch", "0ms"], "--watch", "1day"),
        (&["reap-stale", "--watch", "0s"], "--watch", "100ms"),
        (&["reap-stale", "--visibility-timeout", "0s"], "--visibility-timeout", "10ms"),
        (&["drain", "--visibility-timeout", "0s"], "--visibility-timeout", "7days"),
        (&["drain", "--visibility-timeout", "1000y"], "--visibility-timeout", "7days"),
        (&["--connect-timeout", "0s", "depth"], "--connect-timeout", "10ms"),
        (&["--command-timeout", "0s", "depth"], "--command-timeout", "1h"),
        (&["--command-timeout", "100years", "peek"], "--command-timeout", "1h"),
        (&["--connect-backoff-base", "0s", "depth"], "--connect-backoff-base", "1ms"),
        (&["drain", "--exec", "true", "--handler-timeout", "0s"], "--handler-timeout", "10ms"),
        (&["drain", "--retry-base", "0s"], "--retry-base", "1ms"),
        (&["drain", "--retry-cap", "5000y"], "--retry-cap", "1day"),
        (&["emit", "--wait-replicas", "1", "--wait-timeout", "0s"], "--wait-timeout", "1ms"),
    ];
    for (args, flag, range) in cases {
        let out = bare().args(["--connect-retries", "0", "--redis-url", &closed]).args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(flag) && err.contains("out of range") && err.contains(range), "{args:?}: {err}");
    }
    // The ends of the ranges are accepted (and then the closed port says 3).
    for args in [
        &["--connect-timeout", "10ms", "--command-timeout", "1h", "depth"][..],
        &["--connect-backoff-base", "1ms", "--connect-backoff-cap", "1d", "peek"],
        &["reap-stale", "--visibility-timeout", "10ms"],
        &["drain", "--visibility-timeout", "7d", "--retry-base", "1ms", "--retry-cap", "1d", "--wait", "0s"],
    ] {
        bare().args(["--connect-retries", "0", "--redis-url", &closed]).args(args).assert().code(3);
    }
    // A cap below the base is refused before anything connects; the base alone raises the cap.
    let out = bare()
        .args(["--connect-retries", "0", "--redis-url", &closed, "drain", "--retry-base", "1h", "--retry-cap", "30s"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--retry-cap 30s is shorter than --retry-base 1h") && err.lines().count() == 1, "{err}");
    bare().args(["--connect-retries", "0", "--redis-url", &closed, "drain", "--retry-base", "1h"]).assert().code(3);
}

/// A Redis still loading its dataset answers LOADING to every command: that is "not reachable
/// yet". Without retries: exit 3 saying so (not 1); with retries: waited for, then it works.
/// `DEBUG RELOAD` with `key-load-delay` keeps a server loading for a few seconds, just as after
/// a restart with a big dataset.
#[test]
fn a_redis_loading_its_dataset_exits_3_or_is_waited_for() {
    let server = RedisServer::start_with(&[
        "--enable-debug-command",
        "yes",
        "--key-load-delay",
        "100",
        "--loading-process-events-interval-bytes",
        "1024",
    ]);
    server.lpush(QUEUE, b"x");
    server.cmd(&["DEBUG", "POPULATE", "20000"]);
    let mut reloader = server.client();
    let reload = std::thread::spawn(move || redis::cmd("DEBUG").arg("RELOAD").exec(&mut reloader));
    let loading =
        |s: &RedisServer| matches!(redis::cmd("PING").query::<String>(&mut s.client()), Err(e) if e.code() == Some("LOADING"));
    server.wait_until("the server to be loading", loading);

    let out = hq(&server).arg("depth").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("loading its dataset") && err.contains(&format!("127.0.0.1:{}", server.port)), "{err}");
    assert!(loading(&server), "the server stopped loading too soon for this test to mean anything");

    let started = std::time::Instant::now();
    let v = json_out(bare().args([
        "--redis-url",
        &server.url(),
        "--connect-retries",
        "200",
        "--connect-backoff-base",
        "100ms",
        "--connect-backoff-cap",
        "100ms",
        "depth",
        "-o",
        "json",
    ]));
    assert_eq!(v["main"], 1, "{v}");
    assert!(started.elapsed() > std::time::Duration::from_millis(300), "it waited for the load to end");
    reload.join().unwrap().unwrap();
}

/// A command line clap refuses is one line on stderr like every other error (what was wrong,
/// clap's tip inline, which --help to read), exit 2.
#[test]
fn refused_command_lines_are_one_line_with_the_help_to_read() {
    let cases: [(&[&str], &str); 8] = [
        (&["drain", "--retry-cap", "bogus"], "see `hokusai-queue drain --help`"),
        (&["-q", "depth", "dlq", "replay", "--max-replays", "x"], "see `hokusai-queue dlq replay --help`"),
        (&["dlq"], "`hokusai-queue dlq` needs a subcommand (list, inspect, replay, discard, purge, import)"),
        (
            &["drain", "--maxx", "3"],
            "unexpected argument '--maxx' found (tip: a similar argument exists: '--max'); see `hokusai-queue drain --help`",
        ),
        (&["frob"], "unrecognized subcommand 'frob'"),
        (
            &["emit", "--skip-present", "--file", "x"],
            "the following required arguments were not provided: --envelopes; see `hokusai-queue emit --help`",
        ),
        (&["dlq", "replay", "--bogus"], "see `hokusai-queue dlq replay --help`"),
        (&["drain", "--exec", "a", "--exec-stream", "b"], "'--exec <CMD>' cannot be used with '--exec-stream <CMD>'"),
    ];
    for (args, want) in cases {
        let out = bare().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with("hokusai-queue: error: ") && err.lines().count() == 1, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
    // --help is not an error: the whole text, on stdout, exit 0.
    let out = bare().args(["drain", "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).lines().count() > 20);
}
