//! The committed completion scripts complete in the real shells: a subcommand, a flag of a nested
//! subcommand, a flag's values, and never the hidden `generate`. Bash always; fish and zsh when
//! installed (skipped, with a note on stderr, when not: CI may lack them).

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

fn completions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("completions")
}

fn installed(shell: &str) -> bool {
    std::process::Command::new(shell).arg("--version").output().is_ok_and(|o| o.status.success())
}

fn stdout_lines(cmd: &mut Command) -> Vec<String> {
    let out = cmd.timeout(Duration::from_secs(60)).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\nstdout: {stdout}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    // fish prints `candidate<TAB>description`; zsh may record empty match lists.
    stdout.lines().map(|l| l.split('\t').next().unwrap_or_default().trim().to_owned()).filter(|l| !l.is_empty()).collect()
}

/// What bash offers for `line` (the cursor at its end), through the function `complete -p`
/// names, called the way readline calls it: COMP_WORDS, COMP_CWORD, COMP_LINE, COMP_POINT set,
/// arguments command, current word, previous word.
fn bash(line: &str) -> Vec<String> {
    const SCRIPT: &str = r#"
source "$1" || exit 90
line=$2
read -ra COMP_WORDS <<<"$line"
[[ $line == *' ' ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE=$line
COMP_POINT=${#line}
spec=$(complete -p hokusai-queue) || exit 91
fn=${spec#* -F }
fn=${fn%% *}
"$fn" hokusai-queue "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#;
    let mut cmd = Command::new("bash");
    cmd.args(["--norc", "--noprofile", "-c", SCRIPT, "bash"]).arg(completions().join("hokusai-queue.bash")).arg(line);
    stdout_lines(&mut cmd)
}

/// What fish offers for `line`: `complete -C`, after sourcing the script (no user config).
fn fish(line: &str, home: &Path) -> Vec<String> {
    let mut cmd = Command::new("fish");
    cmd.args(["--no-config", "-c", "source $argv[1]; or exit 90; complete -C $argv[2]"])
        .arg(completions().join("hokusai-queue.fish"))
        .arg(line)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"));
    stdout_lines(&mut cmd)
}

/// zsh completes only inside its line editor: an interactive `zsh -f` in a pseudo-terminal of
/// its own (the zsh/zpty module; no terminal needed here), compinit with completions/ on the
/// fpath, a compadd that also records every match it adds in a file, then `line` and a TAB.
const ZSH_CAPTURE: &str = r#"
zmodload zsh/zpty || exit 77
dir=$1 out=$2 line=$3
: >$out
zpty z zsh -f -i || exit 77
zpty -w z "PROMPT='' ; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "compadd() { if [[ \${@[1,(i)(-|--)]} == *-(O|A|D)\\ * ]]; then builtin compadd \"\$@\"; return; fi; local -a __h; builtin compadd -A __h \"\$@\"; print -rl -- \$__h >>${(q)out}; builtin compadd \"\$@\"; }"
zpty -w z "__done() { print -r -- __DONE__ >>${(q)out}; }; comppostfuncs=( __done )"
zpty -w -n z "$line"$'\t'
for i in {1..300}; do
  grep -q __DONE__ $out && break
  zpty -r -t z junk >/dev/null 2>&1
  sleep 0.1
done
zpty -d z
grep -q __DONE__ $out || exit 78
grep -v __DONE__ $out
exit 0
"#;

fn zsh(line: &str, home: &Path) -> Option<Vec<String>> {
    let script = home.join("capture.zsh");
    std::fs::write(&script, ZSH_CAPTURE).unwrap();
    let out = Command::new("zsh")
        .arg("-f")
        .arg(&script)
        .arg(completions())
        .arg(home.join("matches"))
        .arg(line)
        .env("HOME", home)
        .env("ZDOTDIR", home)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    if out.status.code() == Some(77) {
        return None; // no zsh/zpty module, or no pseudo-terminal to be had
    }
    assert!(out.status.success(), "zsh completion of {line:?} failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect())
}

/// The same checks for every shell: `complete(line)` gives what the shell offers.
fn check(shell: &str, mut complete: impl FnMut(&str) -> Vec<String>) {
    let has = |got: &[String], want: &[&str], line: &str| {
        for w in want {
            assert!(got.iter().any(|g| g == w), "{shell}: `{line}<TAB>` offers {got:?}, not {w}");
        }
    };
    // A subcommand.
    let line = "hokusai-queue dl";
    assert_eq!(complete(line), ["dlq"], "{shell}: `{line}<TAB>`");
    let line = "hokusai-queue dlq ";
    has(&complete(line), &["list", "replay", "inspect", "discard", "purge", "import"], line);
    // Flags of nested subcommands.
    let line = "hokusai-queue depth --fa";
    assert_eq!(complete(line), ["--fail-above"], "{shell}: `{line}<TAB>`");
    let line = "hokusai-queue dlq replay --max-r";
    assert_eq!(complete(line), ["--max-replays"], "{shell}: `{line}<TAB>`");
    // A flag's values.
    let line = "hokusai-queue peek --list ";
    has(&complete(line), &["main", "processing", "dlq", "retry"], line);
    let line = "hokusai-queue --profile ";
    has(&complete(line), &["envelope", "mint", "opaque"], line);
    // The hidden subcommand, never.
    for line in ["hokusai-queue ", "hokusai-queue ge", "hokusai-queue help "] {
        let got = complete(line);
        assert!(!got.iter().any(|g| g == "generate"), "{shell}: `{line}<TAB>` offers the hidden generate: {got:?}");
        if line == "hokusai-queue " {
            has(&got, &["depth", "dlq", "drain"], line);
        }
    }
}

#[test]
fn bash_completes_subcommands_nested_flags_and_values() {
    check("bash", bash);
}

#[test]
fn fish_completes_subcommands_nested_flags_and_values() {
    if !installed("fish") {
        eprintln!("skipping: fish is not installed");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    check("fish", |line| fish(line, home.path()));
}

#[test]
fn zsh_completes_subcommands_nested_flags_and_values() {
    if !installed("zsh") {
        eprintln!("skipping: zsh is not installed");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    if zsh("hokusai-queue ", home.path()).is_none() {
        eprintln!("skipping: zsh cannot run its line editor here (no zsh/zpty module or no pseudo-terminal)");
        return;
    }
    check("zsh", |line| zsh(line, home.path()).expect("zsh stopped completing"));
}
