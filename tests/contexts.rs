//! Contexts: named targets in a config file (`--context`, `$HOKUSAI_CONTEXT`, `current`), the
//! precedence flag > environment > context > default, `config list|show|use|set`, and the
//! caption under every table that says which server and queue it read.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::{Value, json};

use crate::support::*;

/// A config file of its own in a temp dir.
struct ConfigFile {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl ConfigFile {
    fn new(text: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        Self { dir, path }
    }

    /// A path in the temp dir where no file is.
    fn missing() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        Self { dir, path }
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.path).unwrap()
    }

    /// The binary with a clean environment, reading this config file.
    fn hq(&self) -> Command {
        let mut c = bare();
        c.env("HOKUSAI_CONFIG", &self.path).args(["--connect-retries", "0"]);
        c
    }
}

/// Runs, expecting `code`; returns (stdout, stderr).
fn run(cmd: &mut Command, code: i32) -> (String, String) {
    let out = cmd.output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert_eq!(out.status.code(), Some(code), "expected exit {code}:\nstdout: {stdout}\nstderr: {stderr}");
    (stdout, stderr)
}

fn depth(cmd: &mut Command) -> Value {
    json_out(cmd.args(["depth", "-o", "json"]))
}

#[test]
fn a_context_selects_server_queue_and_profile() {
    let (a, b) = (RedisServer::start(), RedisServer::start());
    let cfg = ConfigFile::new(&format!(
        "[contexts.a]\nredis_url = \"{}\"\nqueue = \"jobs\"\nprofile = \"opaque\"\n\n[contexts.b]\nredis_url = \"{}\"\nqueue = \"hokusai:mint_requests\"\n",
        a.url(),
        b.url()
    ));
    a.lpush("jobs", b"one");
    // The opaque profile takes --raw only: it lands on a's "jobs", exactly, and nowhere on b.
    cfg.hq().args(["--context", "a", "emit", "--raw", "--payload", "two"]).assert().success();
    assert_eq!(a.lrange("jobs"), vec![b"two".to_vec(), b"one".to_vec()]);
    assert!(b.keys().is_empty(), "nothing on b: {:?}", b.keys());
    let v = depth(cfg.hq().args(["--context", "a"]));
    assert_eq!((v["queue"].as_str(), v["profile"].as_str(), v["main"].as_u64()), (Some("jobs"), Some("opaque"), Some(2)));
    // b: its queue's name implies the mint profile.
    let v = depth(cfg.hq().args(["--context", "b"]));
    assert_eq!(
        (v["queue"].as_str(), v["profile"].as_str(), v["main"].as_u64()),
        (Some("hokusai:mint_requests"), Some("mint"), Some(0))
    );
    // Without a context asked for and no `current`: exactly as without a file (the defaults).
    let v = json_out(cfg.hq().args(["config", "show", "-o", "json"]));
    assert_eq!(v["context"]["name"], Value::Null);
    for (setting, value) in [("server", "redis://127.0.0.1:6379/0"), ("queue", QUEUE), ("cluster", "false")] {
        assert_eq!(
            (v["settings"][setting]["from"].as_str(), v["settings"][setting]["value"].as_str()),
            (Some("default"), Some(value))
        );
    }
}

#[test]
fn context_flag_beats_variable_beats_current() {
    let server = RedisServer::start();
    let url = server.url();
    let cfg = ConfigFile::new(&format!(
        "current = \"a\"\n[contexts.a]\nredis_url = \"{url}\"\nqueue = \"qa\"\n[contexts.b]\nredis_url = \"{url}\"\nqueue = \"qb\"\n[contexts.c]\nredis_url = \"{url}\"\nqueue = \"qc\"\n"
    ));
    assert_eq!(depth(&mut cfg.hq())["queue"], "qa", "current");
    assert_eq!(depth(cfg.hq().env("HOKUSAI_CONTEXT", "b"))["queue"], "qb", "$HOKUSAI_CONTEXT beats current");
    assert_eq!(depth(cfg.hq().env("HOKUSAI_CONTEXT", "b").args(["--context", "c"]))["queue"], "qc", "--context beats both");
    // After the subcommand too (a global flag).
    let v = json_out(cfg.hq().env("HOKUSAI_CONTEXT", "b").args(["depth", "--context", "c", "-o", "json"]));
    assert_eq!(v["queue"], "qc");
    // config show says how it was chosen.
    let v = json_out(cfg.hq().env("HOKUSAI_CONTEXT", "b").args(["config", "show", "-o", "json"]));
    assert_eq!((v["context"]["name"].as_str(), v["context"]["from"].as_str()), (Some("b"), Some("$HOKUSAI_CONTEXT")));
    let v = json_out(cfg.hq().args(["config", "show", "-o", "json"]));
    assert_eq!(v["context"]["name"], "a");
}

#[test]
fn flag_beats_environment_beats_context() {
    let (ctx_server, env_server, flag_server) = (RedisServer::start(), RedisServer::start(), RedisServer::start());
    ctx_server.lpush("qc", b"x");
    env_server.lpush("qc", b"x");
    env_server.lpush("qc", b"y");
    for q in ["qc", "qe", "qf"] {
        flag_server.lpush(q, b"x");
        flag_server.lpush(q, b"y");
        flag_server.lpush(q, b"z");
    }
    let cfg = ConfigFile::new(&format!("current = \"c\"\n[contexts.c]\nredis_url = \"{}\"\nqueue = \"qc\"\n", ctx_server.url()));
    let main = |v: Value| (v["queue"].as_str().unwrap().to_owned(), v["main"].as_u64().unwrap());
    assert_eq!(main(depth(&mut cfg.hq())), ("qc".into(), 1), "the context alone");

    // The server: $HOKUSAI_REDIS_URL (and $REDIS_URL) beat the context, --redis-url beats them.
    for var in ["HOKUSAI_REDIS_URL", "REDIS_URL"] {
        let out = cfg.hq().env(var, env_server.url()).args(["depth", "-o", "json"]).output().unwrap();
        assert!(out.status.success());
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(main(v), ("qc".into(), 2), "{var} beats the context");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("${var} overrides the server of context c")), "said on stderr: {err}");
    }
    let v = depth(cfg.hq().env("HOKUSAI_REDIS_URL", env_server.url()).args(["--redis-url", &flag_server.url()]));
    assert_eq!(main(v), ("qc".into(), 3), "--redis-url beats the variable");

    // The queue: $HOKUSAI_QUEUE beats the context, --queue beats it; same server (the context's).
    let (_, err) = run(cfg.hq().env("HOKUSAI_QUEUE", "qe").args(["depth", "-o", "json"]), 0);
    assert!(err.contains("$HOKUSAI_QUEUE overrides the queue of context c (qc)"), "{err}");
    let v = depth(cfg.hq().env("HOKUSAI_QUEUE", "qe").args(["--redis-url", &flag_server.url()]));
    assert_eq!(main(v), ("qe".into(), 3), "$HOKUSAI_QUEUE beats the context");
    let v = depth(cfg.hq().env("HOKUSAI_QUEUE", "qe").args(["--redis-url", &flag_server.url(), "--queue", "qf"]));
    assert_eq!(main(v), ("qf".into(), 3), "--queue beats the variable");
    // A flag overriding a context's value is meant: nothing said.
    let (_, err) = run(cfg.hq().args(["--queue", "qf", "depth"]), 0);
    assert!(err.is_empty(), "{err}");
}

#[test]
fn a_contexts_credentials_go_to_its_own_server_only() {
    const PASSWORD: &str = "GREPME-ctx-pass";
    let server = RedisServer::start_with(&["--requirepass", PASSWORD]);
    server.cmd(&["ACL", "SETUSER", "ops", "on", &format!(">{PASSWORD}"), "~*", "&*", "+@all"]);
    let other = RedisServer::start_with(&["--requirepass", "another-one"]);
    let cfg = ConfigFile::new(&format!(
        "current = \"prod\"\n[contexts.prod]\nredis_url = \"{}\"\nuser = \"ops\"\npassword_file = \"prod.password\"   # beside this file\n",
        server.url()
    ));
    std::fs::write(cfg.dir.path().join("prod.password"), format!("{PASSWORD}\n")).unwrap();
    let (out, err) = run(cfg.hq().arg("depth"), 0);
    assert!(err.is_empty(), "{err}");
    assert!(out.contains(&format!("{} · hokusai:model_ready_queue (envelope) · context prod", server.url())), "{out}");
    // Another server named by the environment: the context's user and password are not sent there.
    let (_, err) = run(cfg.hq().env("REDIS_URL", other.url()).arg("depth"), 3);
    assert!(err.contains("its user, password_file are not used"), "{err}");
    assert!(err.contains("authentication required") && !err.contains(PASSWORD), "{err}");
    // The context's own server named again (same URL): its user and password still go with it.
    let (out, err) = run(cfg.hq().env("REDIS_URL", server.url()).arg("depth"), 0);
    assert!(!err.contains("not used"), "{err}");
    assert!(out.contains(&server.url()), "{out}");
}

/// Naming the context's own queue again keeps the context's profile for it (a mint queue named
/// `payments:mint` was read as opaque).
#[test]
fn a_contexts_profile_stays_when_its_own_queue_is_named_again() {
    let cfg = ConfigFile::new("current = \"pay\"\n[contexts.pay]\nqueue = \"payments:mint\"\nprofile = \"mint\"\n");
    let v = json_out(cfg.hq().args(["-q", "payments:mint", "config", "show", "-o", "json"]));
    assert_eq!(
        (&v["settings"]["profile"]["value"], &v["settings"]["profile"]["from"]),
        (&json!("mint"), &json!("context")),
        "{v}"
    );
    // Another queue: the context's profile is not used for it.
    let v = json_out(cfg.hq().args(["-q", "payments:other", "config", "show", "-o", "json"]));
    assert_eq!(v["settings"]["profile"]["context_value_unused"], "its queue is not used", "{v}");
}

#[test]
fn a_password_in_a_contexts_url_is_refused() {
    for url in ["redis://:GREPME-pw@127.0.0.1:6379/0", "rediss://ops:GREPME-pw@host:6380", "redis://GREPMEtoken@host:6379"] {
        let cfg = ConfigFile::new(&format!("# prod\n[contexts.prod]\nredis_url = \"{url}\"\n"));
        for args in [vec!["--context", "prod", "depth"], vec!["config", "list"], vec!["depth"]] {
            let (out, err) = run(cfg.hq().args(&args), 2);
            assert!(err.contains("password_file") && err.contains("line 3") && err.contains("\"prod\""), "{err}");
            assert!(!err.contains("GREPME") && !out.contains("GREPME"), "the secret is never echoed: {err}");
        }
    }
    // Nor is it written: config set refuses it too.
    let cfg = ConfigFile::missing();
    let (_, err) = run(cfg.hq().args(["config", "set", "prod", "--redis-url", "redis://:GREPME-pw@h:6379"]), 2);
    assert!(err.contains("--password-file") && !err.contains("GREPME"), "{err}");
    assert!(!cfg.path.exists());
}

#[test]
fn an_unknown_context_or_key_exits_2_and_names_what_there_is() {
    let cfg = ConfigFile::new("current = \"a\"\n[contexts.a]\nqueue = \"qa\"\n[contexts.b]\nqueue = \"qb\"\n");
    let path = cfg.path.display().to_string();
    for (cmd, via) in [
        (cfg.hq().args(["--context", "nope", "depth"]), "--context"),
        (cfg.hq().env("HOKUSAI_CONTEXT", "nope").arg("peek"), "$HOKUSAI_CONTEXT"),
        (cfg.hq().args(["config", "use", "nope"]), "config use"),
        (cfg.hq().args(["config", "show", "nope"]), "config show NAME"),
    ] {
        let (_, err) = run(cmd, 2);
        assert!(
            err.contains("no context \"nope\"") && err.contains(via) && err.contains(&path) && err.contains("it has: a, b"),
            "{err}"
        );
    }
    let bad_current = ConfigFile::new("current = \"gone\"\n[contexts.a]\nqueue = \"qa\"\n");
    let (_, err) = run(bad_current.hq().arg("depth"), 2);
    assert!(err.contains("no context \"gone\" (`current` in the config file)") && err.contains("it has: a"), "{err}");
    // Asked for, and no file at all.
    let none = ConfigFile::missing();
    let (_, err) = run(none.hq().args(["--context", "prod", "depth"]), 2);
    assert!(err.contains("no config file at") && err.contains(&none.path.display().to_string()), "{err}");
    // Unknown keys, named with their line; wrong types.
    for (text, says) in [
        ("[contexts.a]\nqueue = \"q\"\nquue = \"typo\"\n", "line 3: unknown key \"quue\" in context \"a\""),
        ("curent = \"a\"\n", "line 1: unknown key \"curent\""),
        ("[contexts.a]\ncluster = \"yes\"\n", "cluster of context \"a\" must be true or false"),
        ("[contexts.a]\nprofile = \"fifo\"\n", "must be envelope, mint or opaque"),
        ("[contexts.a\n", "line 1"),
    ] {
        let cfg = ConfigFile::new(text);
        let (_, err) = run(cfg.hq().args(["--context", "a", "depth"]), 2);
        assert!(err.contains(says), "{text:?}: {err}");
    }
}

#[test]
fn config_use_switches_current_and_keeps_the_rest_byte_for_byte() {
    let text = "# My Redis targets.\n\ncurrent = 'a'    # the usual one\n\n# staging: shared\n[contexts.a]\nqueue = \"qa\"  # here\n\n[contexts.'b c']\nqueue   =   \"qb\"\ncluster = false\n";
    let cfg = ConfigFile::new(text);
    std::fs::set_permissions(&cfg.path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (out, _) = run(cfg.hq().args(["config", "use", "b c"]), 0);
    assert!(out.contains("current context: b c (was a)"), "{out}");
    assert_eq!(cfg.text(), text.replace("'a'", "\"b c\""), "only the value of `current` changed");
    assert_eq!(std::fs::metadata(&cfg.path).unwrap().permissions().mode() & 0o777, 0o640, "permissions kept");
    let names: Vec<_> = std::fs::read_dir(cfg.dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from("config.toml")], "no temporary file left");
    assert_eq!(json_out(cfg.hq().args(["config", "show", "-o", "json"]))["context"]["name"], "b c");
    let v = json_out(cfg.hq().args(["config", "list", "-o", "json"]));
    assert_eq!(v["current"], "b c");
    assert_eq!(v["contexts"][1]["current"], true);

    // No `current` yet: one line added, above the comments of the first table; nothing else.
    let text = "# header\n\n# staging: shared\n[contexts.a]\nqueue = \"qa\"\n";
    let cfg = ConfigFile::new(text);
    run(cfg.hq().args(["config", "use", "a"]), 0);
    assert_eq!(cfg.text(), "# header\n\ncurrent = \"a\"\n# staging: shared\n[contexts.a]\nqueue = \"qa\"\n");

    // Refused: nothing written.
    let before = cfg.text();
    run(cfg.hq().args(["config", "use", "zz"]), 2);
    assert_eq!(cfg.text(), before);
    let none = ConfigFile::missing();
    run(none.hq().args(["config", "use", "a"]), 2);
    assert!(!none.path.exists(), "config use creates nothing");
}

#[test]
fn config_show_says_where_each_value_came_from() {
    let server = RedisServer::start();
    let cfg = ConfigFile::new(&format!(
        "current = \"a\"\n[contexts.a]\nredis_url = \"{}\"\nqueue = \"qa\"\nprofile = \"opaque\"\nuser = \"ops\"\npassword_file = \"/run/pw\"\n",
        server.url()
    ));
    let v = json_out(cfg.hq().env("HOKUSAI_QUEUE", "qe").env("REDIS_AUTH_TOKEN", "GREPME").args([
        "--profile",
        "mint",
        "config",
        "show",
        "-o",
        "json",
    ]));
    let from =
        |k: &str| (v["settings"][k]["from"].as_str().unwrap().to_owned(), v["settings"][k]["via"].as_str().map(str::to_owned));
    assert_eq!(from("server"), ("context".into(), Some("a".into())));
    assert_eq!(v["settings"]["server"]["value"], server.url());
    assert_eq!(from("queue"), ("env".into(), Some("HOKUSAI_QUEUE".into())));
    assert_eq!(
        (v["settings"]["queue"]["value"].as_str(), v["settings"]["queue"]["context_value"].as_str()),
        (Some("qe"), Some("qa"))
    );
    assert_eq!(from("profile"), ("flag".into(), Some("--profile".into())));
    assert_eq!(from("cluster"), ("default".into(), None));
    assert_eq!(from("user"), ("context".into(), Some("a".into())));
    // A password file beats $REDIS_AUTH_TOKEN, as always; its content is never read here.
    assert_eq!(from("password"), ("context".into(), Some("a".into())));
    assert_eq!(v["settings"]["password"]["value"], "first line of /run/pw");
    assert_eq!(v["context"]["from"], "`current` in the config file");
    assert!(!v.to_string().contains("GREPME"));

    // The table: one row a setting, its source in words.
    let (out, _) = run(cfg.hq().env("HOKUSAI_QUEUE", "qe").args(["config", "show"]), 0);
    for needle in ["context a", "env HOKUSAI_QUEUE (overrides context a: qa)", "note: $HOKUSAI_QUEUE overrides the queue"] {
        assert!(out.contains(needle), "lacks {needle:?}:\n{out}");
    }
    // Another context, as with --context; and the flags and defaults without any.
    let v = json_out(cfg.hq().args(["config", "show", "a", "--queue", "qf", "-o", "json"]));
    assert_eq!((v["settings"]["queue"]["from"].as_str(), v["settings"]["queue"]["value"].as_str()), (Some("flag"), Some("qf")));
    assert_eq!(v["settings"]["profile"]["from"], "default", "the context's profile is its queue's, not --queue's");
    let none = ConfigFile::missing();
    let v = json_out(none.hq().args(["--redis-url", "redis://:GREPME@h:1", "config", "show", "-o", "json"]));
    assert_eq!(
        (v["settings"]["server"]["from"].as_str(), v["settings"]["server"]["value"].as_str()),
        (Some("flag"), Some("redis://:***@h:1"))
    );
    assert_eq!(v["settings"]["queue"]["from"], "default");
    assert_eq!(v["context"]["name"], Value::Null);
    assert!(!v.to_string().contains("GREPME"));
}

#[test]
fn config_set_writes_flags_only_and_leaves_the_rest() {
    let server = RedisServer::start();
    let cfg = ConfigFile::missing();
    let (out, _) = run(cfg.hq().args(["config", "set", "dev", "--redis-url", &server.url(), "--queue", "jobs"]), 0);
    assert!(out.contains("context dev created (redis_url, queue)"), "{out}");
    assert_eq!(cfg.text(), format!("[contexts.dev]\nredis_url = \"{}\"\nqueue = \"jobs\"\n", server.url()));
    assert_eq!(std::fs::metadata(&cfg.path).unwrap().permissions().mode() & 0o777, 0o600, "a new file is private");
    // Change one value, add one; a comment and the other context stay. Variables are not written.
    let text = format!("{}# mine\n[contexts.other]\nqueue = \"q2\"\n", cfg.text());
    std::fs::write(&cfg.path, &text).unwrap();
    run(cfg.hq().env("HOKUSAI_QUEUE", "from-env").args(["config", "set", "dev", "--queue", "jobs2", "--profile", "opaque"]), 0);
    let want = text.replace("queue = \"jobs\"\n", "queue = \"jobs2\"\nprofile = \"opaque\"\n");
    assert_eq!(cfg.text(), want);
    run(cfg.hq().env("HOKUSAI_QUEUE", "from-env").args(["config", "set", "dev"]), 2);
    assert_eq!(depth(cfg.hq().args(["--context", "dev"]))["queue"], "jobs2");
}

#[test]
fn the_caption_names_the_server_redacted_and_the_queue_in_tables_only() {
    const PASSWORD: &str = "GREPME-caption";
    let server = RedisServer::start_with(&["--requirepass", PASSWORD]);
    let url = format!("redis://:{PASSWORD}@127.0.0.1:{}/0", server.port);
    let shown = format!("redis://:***@127.0.0.1:{}/0", server.port);
    server.lpush(QUEUE, b"raw element");
    server.lpush(&format!("{QUEUE}:dlq"), b"dead");
    let none = ConfigFile::missing();
    let caption = format!("{shown} · {QUEUE} (envelope)");
    for args in [vec!["depth"], vec!["peek"], vec!["peek", "--list", "retry"], vec!["dlq", "list"]] {
        let (out, err) = run(none.hq().args(["--redis-url", &url]).args(&args), 0);
        assert!(out.trim_end().ends_with(&caption), "{args:?}: the last line is the caption:\n{out}");
        assert!(!out.contains(PASSWORD) && !err.contains(PASSWORD));
        // JSON: no caption, just the document.
        json_out(none.hq().args(["--redis-url", &url]).args(&args).args(["-o", "json"]));
    }
    let (out, _) = run(none.hq().args(["--redis-url", &url, "depth", "--all-queues"]), 0);
    assert!(out.trim_end().ends_with(&shown), "{out}");
    // Mint: the deployer's DLQ view too; an empty list still says where it looked.
    let (out, _) = run(none.hq().args(["--redis-url", &url, "-q", "hokusai:mint_requests", "dlq", "list"]), 0);
    assert!(out.trim_end().ends_with(&format!("{shown} · hokusai:mint_requests (mint)")), "{out}");
    // With a context: named last.
    let cfg = ConfigFile::new(&format!("[contexts.a]\nredis_url = \"redis://127.0.0.1:{}/0\"\nqueue = \"jobs\"\n", server.port));
    let (out, _) = run(cfg.hq().env("REDIS_AUTH_TOKEN", PASSWORD).args(["--context", "a", "peek"]), 0);
    assert!(out.trim_end().ends_with(&format!("redis://127.0.0.1:{}/0 · jobs (opaque) · context a", server.port)), "{out}");
}

#[test]
fn the_config_file_is_found_by_hokusai_config_xdg_or_home() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let file =
        |cmd: &mut Command| json_out(cmd.args(["config", "list", "-o", "json"]))["config_file"].as_str().unwrap().to_owned();
    // bare() points HOKUSAI_CONFIG nowhere (no developer's file leaks into tests): unset it here.
    let bare = || {
        let mut c = bare();
        c.env_remove("HOKUSAI_CONFIG");
        c
    };
    assert_eq!(file(bare().env("XDG_CONFIG_HOME", &d)), format!("{d}/hokusai-queue/config.toml"));
    assert_eq!(file(bare().env_remove("XDG_CONFIG_HOME").env("HOME", &d)), format!("{d}/.config/hokusai-queue/config.toml"));
    assert_eq!(
        file(bare().env("XDG_CONFIG_HOME", "relative/ignored").env("HOME", &d)),
        format!("{d}/.config/hokusai-queue/config.toml")
    );
    assert_eq!(file(bare().env("HOKUSAI_CONFIG", format!("{d}/x.toml")).env("XDG_CONFIG_HOME", &d)), format!("{d}/x.toml"));
    let (out, _) = run(bare().env("HOKUSAI_CONFIG", format!("{d}/x.toml")).args(["config", "list"]), 0);
    assert!(out.contains("no config file at"), "{out}");
}
