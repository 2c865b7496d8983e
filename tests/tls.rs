//! TLS: rediss:// against a redis-server that speaks only TLS, with certificates made by the test.

use predicates::prelude::*;

use crate::support::*;

#[test]
fn trusted_ca_connects_and_untrusted_is_refused() {
    let server = RedisServer::start_tls(&[]);
    let tls = server.tls();
    // The CA that signed the server's certificate: works, for writes and reads.
    hq(&server).args(emit_flags()).arg("--tls-ca-cert").arg(&tls.ca).assert().success();
    let d = json_out(hq(&server).args(["depth", "-o", "json"]).env("HOKUSAI_TLS_CA_CERT", &tls.ca));
    assert_eq!(d["main"], 1);
    // Another CA, or the public roots: exit 3, naming TLS verification, not retried.
    for ca in [Some(&tls.other_ca), None] {
        let mut cmd = hq(&server);
        if let Some(ca) = ca {
            cmd.arg("--tls-ca-cert").arg(ca);
        }
        cmd.arg("depth").assert().code(3).stderr(
            predicate::str::contains("TLS certificate verification failed").and(predicate::str::contains("--tls-ca-cert")),
        );
    }
    assert_eq!(server.llen(QUEUE), 1);
}

#[test]
fn plain_url_against_tls_port_fails_fast() {
    let server = RedisServer::start_tls(&[]);
    let plain = server.url().replace("rediss://", "redis://");
    bare()
        .args(["--connect-retries", "0", "--redis-url", &plain, "depth"])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("cannot reach Redis").and(predicate::str::contains("rediss://")));
}

#[test]
fn insecure_only_when_asked() {
    let server = RedisServer::start_tls(&[]);
    hq(&server)
        .args(["--tls-insecure", "depth"])
        .assert()
        .success()
        .stderr(predicate::str::contains("warning: --tls-insecure").and(predicate::str::contains("NOT verified")));
    let fragment = format!("{}#insecure", server.url());
    let run =
        |extra: &[&str]| bare().args(["--connect-retries", "0", "--redis-url", &fragment]).args(extra).arg("depth").assert();
    run(&[]).code(2).stderr(predicate::str::contains("#insecure").and(predicate::str::contains("--tls-insecure")));
    run(&["--tls-insecure"]).success();
    // Both: which one did the operator mean? Refused.
    hq(&server).arg("--tls-insecure").arg("--tls-ca-cert").arg(&server.tls().ca).arg("depth").assert().code(2);
    // Meaningless combinations are refused instead of silently ignored.
    let plain = RedisServer::start();
    hq(&plain).args(["--tls-insecure", "depth"]).assert().code(2).stderr(predicate::str::contains("rediss://"));
    hq(&plain).args(["--tls-ca-cert", "/nonexistent/ca.pem", "depth"]).assert().code(2);
    hq(&server)
        .args(["--tls-ca-cert", "/nonexistent/ca.pem", "depth"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
    let junk = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(junk.path(), "not a certificate\n").unwrap();
    hq(&server).arg("--tls-ca-cert").arg(junk.path()).arg("depth").assert().code(2).stderr(predicate::str::contains("no PEM"));
    bare()
        .args(["--redis-url", &format!("{}#other", plain.url()), "depth"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fragment"));
}
