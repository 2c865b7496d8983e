//! Secrets: password files, ACL users, tokens with URL-hostile characters, and redaction of
//! every secret from every failure we can provoke.

use predicates::prelude::*;

use crate::support::*;

/// Every secret below contains this, so one grep finds any leak, whole or partial.
const MARK: &str = "GREPME";
/// An ElastiCache-style token with every character that breaks URLs and shells.
const TOKEN: &str = "GREPME!a&b#c$d^e<f>g-h";

fn password_file(contents: &str) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), contents).unwrap();
    f
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn password_file_and_acl_user() {
    let server = RedisServer::start_with(&["--requirepass", TOKEN]);
    // First line, newline stripped, used as is (no URL escaping involved).
    for contents in [format!("{TOKEN}\n"), format!("{TOKEN}\r\nsecond line ignored\n"), TOKEN.to_owned()] {
        let f = password_file(&contents);
        hq(&server).arg("--password-file").arg(f.path()).args(["depth", "-o", "json"]).assert().success();
    }
    let f = password_file(&format!("{TOKEN}\n"));
    hq(&server).env("HOKUSAI_REDIS_PASSWORD_FILE", f.path()).args(emit_flags()).assert().success();

    // An ACL user: --user + --password-file, or $REDIS_USERNAME + $REDIS_AUTH_TOKEN.
    let ops_pass = "GREPME-ops<&>#";
    server.cmd(&["ACL", "SETUSER", "ops", "on", &format!(">{ops_pass}"), "~*", "&*", "+@all"]);
    let f = password_file(&format!("{ops_pass}\n"));
    hq(&server).args(["--user", "ops", "--password-file"]).arg(f.path()).args(["depth"]).assert().success();
    hq(&server).env("REDIS_USERNAME", "ops").env("REDIS_AUTH_TOKEN", ops_pass).arg("peek").assert().success();
    // The right password for another user: refused, naming the user, not the password.
    hq(&server)
        .args(["--user", "nobody", "--password-file"])
        .arg(f.path())
        .arg("depth")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("authentication failed for user \"nobody\"").and(predicate::str::contains(MARK).not()));
}

#[test]
fn conflicting_or_incomplete_credentials_are_usage_errors() {
    let server = RedisServer::start();
    let f = password_file(&format!("{TOKEN}\n"));
    let with_pw = server.url().replace("redis://", "redis://:GREPMEurl@");
    let check = |cmd: &mut assert_cmd::Command, says: &str| {
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says) && !err.contains(MARK), "{err}");
    };
    check(bare().args(["--redis-url", &with_pw, "--password-file"]).arg(f.path()).arg("depth"), "give it once");
    check(hq(&server).args(["--user", "ops", "depth"]), "no password");
    check(hq(&server).args(["--password-file", "/nonexistent/pw", "depth"]), "cannot read --password-file");
    let empty = password_file("\n");
    check(hq(&server).arg("--password-file").arg(empty.path()).arg("depth"), "is empty");
    let named = server.url().replace("redis://", "redis://alice:GREPMEurl@");
    check(bare().args(["--redis-url", &named, "--user", "bob", "depth"]), "give the user once");
}

/// ElastiCache tokens pasted raw into a URL: a clear error, never the token (not even the
/// part before a '#', which a URL parser would take for a host name).
#[test]
fn raw_tokens_in_urls_are_refused_without_echo() {
    let port = free_port();
    for url in [
        format!("redis://:{TOKEN}@127.0.0.1:{port}/0"),
        format!("redis://default:{TOKEN}@127.0.0.1:{port}/0"),
        format!("redis://{TOKEN}@127.0.0.1:{port}/0"),
        format!("rediss://:GREPME/x?y@127.0.0.1:{port}/0"),
    ] {
        let out = bare().args(["--connect-retries", "0", "--redis-url", &url, "depth"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{url}: {err}");
        assert!(err.contains("$REDIS_AUTH_TOKEN") && err.contains("--password-file"), "{err}");
        assert!(!err.contains(MARK) && !err.contains("GREP"), "secret echoed: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

/// Provokes every failure we can and checks that no secret shows in stdout or stderr.
#[test]
fn no_failure_ever_prints_a_secret() {
    let server = RedisServer::start_with(&["--requirepass", TOKEN]);
    let tls = RedisServer::start_tls(&["--requirepass", TOKEN]);
    server.cmd(&["ACL", "SETUSER", "reader", "on", ">GREPME-reader", "~*", "+@read", "+ping"]);
    server.cmd(&["SET", "taken", "x"]);
    let closed = free_port();
    let good = password_file(&format!("{TOKEN}\n"));
    let wrong = password_file("GREPME-wrong\n");
    let tls_url = tls.url();
    let url_pw =
        |base: &str| base.replace("redis://", "redis://:GREPME-in-url@").replace("rediss://", "rediss://:GREPME-in-url@");

    let mut cases: Vec<(&str, assert_cmd::Command)> = Vec::new();
    let mut add = |name: &'static str, f: &dyn Fn(&mut assert_cmd::Command)| {
        let mut c = bare();
        c.args(["--connect-retries", "1", "--connect-backoff-base", "1ms"]);
        f(&mut c);
        cases.push((name, c));
    };
    add("unreachable, URL password", &|c| {
        c.args(["--redis-url", &url_pw(&format!("redis://127.0.0.1:{closed}/0")), "depth"]);
    });
    add("unreachable, env token", &|c| {
        c.args(["--redis-url", &format!("redis://127.0.0.1:{closed}/0"), "depth"]).env("REDIS_AUTH_TOKEN", TOKEN);
    });
    add("unreachable, REDIS_HOST", &|c| {
        c.env("REDIS_HOST", "127.0.0.1").env("REDIS_PORT", closed.to_string()).env("REDIS_AUTH_TOKEN", TOKEN).arg("peek");
    });
    add("wrong password in URL", &|c| {
        c.args(["--redis-url", &url_pw(&server.url()), "depth"]);
    });
    add("wrong password file", &|c| {
        c.args(["--redis-url", &server.url(), "--password-file"]).arg(wrong.path()).arg("depth");
    });
    add("wrong env token", &|c| {
        c.args(["--redis-url", &server.url(), "depth"]).env("REDIS_AUTH_TOKEN", "GREPME-wrong-env");
    });
    add("bad URL scheme", &|c| {
        c.args(["--redis-url", "ftp://:GREPME-ftp@host/0", "depth"]);
    });
    add("bad port in URL", &|c| {
        c.args(["--redis-url", "redis://:GREPME@host:notaport/0", "depth"]);
    });
    add("TLS: untrusted certificate", &|c| {
        c.args(["--redis-url", &url_pw(&tls_url), "depth"]);
    });
    add("TLS: plain URL to TLS port", &|c| {
        c.args(["--redis-url", &url_pw(&tls_url.replace("rediss", "redis")), "depth"]);
    });
    add("TLS: wrong password over TLS", &|c| {
        c.args(["--redis-url", &url_pw(&tls_url), "--tls-ca-cert"]).arg(&tls.tls().ca).arg("depth");
    });
    add("TLS: insecure warning", &|c| {
        c.args(["--redis-url", &tls_url, "--tls-insecure", "depth"]).env("REDIS_AUTH_TOKEN", TOKEN);
    });
    add("WRONGTYPE", &|c| {
        c.args(["--redis-url", &server.url(), "--queue", "taken", "depth"]).env("REDIS_AUTH_TOKEN", TOKEN);
    });
    add("WRONGTYPE on emit", &|c| {
        c.args(["--redis-url", &server.url(), "--queue", "taken", "--password-file"]).arg(good.path()).args(emit_flags());
    });
    add("invalid input", &|c| {
        c.args(["--redis-url", &server.url(), "emit", "--payload", "{\"model_id\": 1}"]).env("REDIS_AUTH_TOKEN", TOKEN);
    });
    add("permission denied", &|c| {
        c.args(["--redis-url", &server.url(), "--user", "reader", "emit", "--payload", &payload_json("m")])
            .env("REDIS_AUTH_TOKEN", "GREPME-reader");
    });
    add("doctor with warnings", &|c| {
        c.args(["--redis-url", &server.url(), "--user", "reader", "doctor"]).env("REDIS_AUTH_TOKEN", "GREPME-reader");
    });
    add("usage error after secrets", &|c| {
        c.args(["--redis-url", &url_pw(&server.url()), "depth", "--fail-above", "many"]);
    });
    add("empty password file", &|c| {
        c.args(["--redis-url", &server.url(), "--password-file", "/dev/null", "depth"]).env("REDIS_AUTH_TOKEN", TOKEN);
    });
    for (name, mut cmd) in cases {
        let out = cmd.output().unwrap();
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(!all.contains(MARK), "{name}: a secret leaked:\n{all}");
        assert!(!all.contains("a&b#c"), "{name}: a secret leaked:\n{all}");
        if !["TLS: insecure warning", "doctor with warnings"].contains(&name) {
            assert!(!out.status.success(), "{name} succeeded:\n{all}");
        }
    }
}

/// URLs whose user info holds every character that confuses a parser (`# & $ @ : / %`, and
/// `%40` for an encoded '@'): no byte of the password shows, whether the URL fails to connect,
/// is refused, or is echoed by the argument parser (a stray positional, a bad flag value next
/// to it, the URL in the environment). Each case lists the fragments that must never appear
/// (raw and percent-decoded forms).
#[test]
fn hostile_user_info_never_shows_its_password() {
    let port = free_port();
    let at = format!("127.0.0.1:{port}/0");
    let cases: Vec<(String, Vec<&str>)> = vec![
        // The token pasted raw, colon and all: it is the whole user info, up to the LAST '@'.
        (format!("redis://s3cr3t#A&b$c@d:e/f%41g@{at}"), vec!["s3cr3t", "A&b$c", "f%41g", "fAg", "e/f"]),
        (format!("redis://:GREPME%40x%23y@{at}"), vec![MARK, "%40x", "x#y"]),
        (format!("redis://user:GREPME@at@{at}"), vec![MARK, "@at@"]),
        (format!("redis://:GREPME#frag@{at}"), vec![MARK, "frag"]),
        (format!("rediss://default:GREPME&a$b%25c@{at}"), vec![MARK, "a$b"]),
        (format!("redis://us%40er:GREPME:with:colons@{at}"), vec![MARK, "with:colons"]),
        (format!("redis://GREPME-lone%3Atoken@{at}"), vec![MARK, "lone%3A", "lone:t"]),
        (format!("redis://:pw%40GREPME@{at}"), vec![MARK, "pw%40", "pw@"]),
    ];
    for (url, fragments) in &cases {
        let runs: Vec<(&str, assert_cmd::Command)> = vec![
            ("connection failure", {
                let mut c = bare();
                c.args(["--connect-retries", "0", "--redis-url", url, "depth"]);
                c
            }),
            ("stray positional", {
                let mut c = bare();
                c.args(["depth", url]);
                c
            }),
            ("stray positional after a good URL", {
                let mut c = bare();
                c.arg(format!("--redis-url={url}")).args(["depth", url]);
                c
            }),
            ("invalid value next to the URL", {
                let mut c = bare();
                c.args(["--redis-url", url, "depth", "--fail-above", "many"]);
                c
            }),
            ("invalid duration next to the URL", {
                let mut c = bare();
                c.args(["--redis-url", url, "--connect-timeout", "soon", "depth"]);
                c
            }),
            ("URL from the environment, stray argument", {
                let mut c = bare();
                c.env("HOKUSAI_REDIS_URL", url).args(["depth", "extra", url]);
                c
            }),
        ];
        for (name, mut cmd) in runs {
            let out = cmd.output().unwrap();
            let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            assert!(!out.status.success(), "{name}, {url}: succeeded\n{all}");
            if name != "connection failure" {
                assert_eq!(out.status.code(), Some(2), "{name}, {url}: a usage error\n{all}");
            }
            for f in fragments {
                assert!(!all.contains(f), "{name}, {url}: {f:?} leaked:\n{all}");
            }
        }
    }
    // The parser's own message is still there, with the URL redacted.
    let out = bare().args(["depth", "redis://:GREPME@host"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unexpected argument 'redis://:***@host'"), "{err}");
    assert!(!err.contains('\x1b'), "no colours: {err}");
}
