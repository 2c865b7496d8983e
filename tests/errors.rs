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
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1, "one line: {all}");
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
