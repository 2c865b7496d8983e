//! completions/ and man/ are generated from the clap definition: fail when they are stale.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::bare;

fn read_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn completions_and_man_pages_are_up_to_date() {
    let tmp = tempfile::tempdir().unwrap();
    bare().args(["generate", "--out-dir"]).arg(tmp.path()).assert().success();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["completions", "man"] {
        let fresh = read_dir(&tmp.path().join(sub));
        let committed = read_dir(&root.join(sub));
        assert!(!fresh.is_empty());
        let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&committed), names(&fresh), "{sub}/ files differ: run `cargo run -- generate --out-dir .`");
        for (name, bytes) in &fresh {
            assert!(
                committed[name] == *bytes,
                "{sub}/{name} is stale: run `cargo run -- generate --out-dir .` and commit the result"
            );
        }
    }
}

fn man_pages() -> BTreeMap<String, String> {
    read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("man"))
        .into_iter()
        .map(|(name, bytes)| (name, String::from_utf8(bytes).unwrap()))
        .collect()
}

/// Every `hokusai-queue...(1)` a page names (SUBCOMMANDS, SEE ALSO) is a page in man/; there is
/// none for `help`, which is not a command of its own.
#[test]
fn man_pages_link_only_to_pages_that_exist() {
    let pages = man_pages();
    assert!(pages.contains_key("hokusai-queue.1"));
    for (name, text) in &pages {
        assert!(!name.contains("help"), "man/{name}: a page for the help subcommand");
        let plain = text.replace("\\-", "-").replace("\\fB", "").replace("\\fR", "");
        for (i, _) in plain.match_indices("(1)") {
            let start = plain[..i].rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).map_or(0, |s| s + 1);
            let target = &plain[start..i];
            if target.starts_with("hokusai-queue") {
                assert!(pages.contains_key(&format!("{target}.1")), "man/{name} links {target}(1), which does not exist");
            }
        }
    }
}

/// Each page: no hyphenation (`.nh`), the environment variable of every flag that reads one,
/// exit codes as a table, examples verbatim (`.nf`), no catch-all EXTRA section.
#[test]
fn man_pages_show_env_vars_exit_codes_and_verbatim_examples() {
    let pages = man_pages();
    for (name, text) in &pages {
        assert!(text.lines().skip_while(|l| !l.starts_with(".TH ")).nth(1) == Some(".nh"), "man/{name}: no .nh after .TH");
        assert!(!text.contains(".SH EXTRA"), "man/{name}: an EXTRA section");
        if let Some(ex) = text.split(".SH EXAMPLES\n").nth(1) {
            assert!(ex.starts_with(".nf\n") && ex.contains("\n.fi\n"), "man/{name}: examples not verbatim");
        }
    }
    let root = &pages["hokusai-queue.1"];
    for env in [
        "HOKUSAI_REDIS_URL",
        "HOKUSAI_REDIS_CLUSTER",
        "HOKUSAI_REDIS_PASSWORD_FILE",
        "HOKUSAI_TLS_CA_CERT",
        "HOKUSAI_QUEUE",
        "HOKUSAI_PROFILE",
    ] {
        assert!(root.contains(&format!("[env: {env}]")), "man/hokusai-queue.1 does not name {env}");
        assert!(
            pages["hokusai-queue-depth.1"].contains(&format!("[env: {env}]")),
            "man/hokusai-queue-depth.1 does not name {env}"
        );
    }
    let exit = root.split(".SH \"EXIT STATUS\"\n").nth(1).expect("man/hokusai-queue.1 has no EXIT STATUS section");
    for code in ["0", "1", "2", "3", "4", "5", "130", "143"] {
        assert!(
            exit.contains(&format!(".TP\n\\fB{code}\\fR\n")),
            "man/hokusai-queue.1: exit code {code} is not an entry of its own"
        );
    }
}

/// Rendered by man(1) at 80 columns, when installed: no word is hyphenated across lines, every
/// example stays on a line of its own, and each exit code starts its own line.
#[test]
fn man_pages_render_without_hyphenation() {
    if !std::process::Command::new("man").arg("--version").output().is_ok_and(|o| o.status.success()) {
        eprintln!("skipping: man is not installed");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let render = |page: &str| {
        let out = std::process::Command::new("man")
            .arg("-l")
            .arg(root.join(page))
            .env("MANWIDTH", "80")
            .env_remove("MAN_KEEP_FORMATTING")
            .env_remove("MANPAGER")
            .env_remove("PAGER")
            .output()
            .unwrap();
        assert!(out.status.success(), "man -l man/{page}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    for page in man_pages().keys() {
        let text = render(page);
        for pair in text.lines().collect::<Vec<_>>().windows(2) {
            let (line, next) = (pair[0].trim_end(), pair[1].trim_start());
            let hyphenated = (line.ends_with('-') || line.ends_with('\u{2010}'))
                && line.chars().rev().nth(1).is_some_and(char::is_alphabetic)
                && next.starts_with(char::is_lowercase);
            assert!(!hyphenated, "man/{page}: a word hyphenated across lines:\n{line}\n{next}");
        }
    }
    let emit = render("hokusai-queue-emit.1");
    assert!(emit.lines().any(|l| l.trim() == "hokusai-queue emit --payload @payload.json -o json"), "{emit}");
    let tool = render("hokusai-queue.1");
    for code in ["0", "5", "130", "143"] {
        assert!(
            tool.lines().any(|l| l.trim_start().starts_with(&format!("{code} "))),
            "exit code {code} does not start a line:\n{tool}"
        );
    }
}
