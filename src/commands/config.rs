//! `config`: the contexts of the config file. `list` and `show` read; `use` and `set` change
//! only the bytes they mean to (everything else, comments included, stays as it was) and replace
//! the file atomically. Nothing here connects to Redis or reads a secret.

use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde_json::{Value, json};

use crate::cli::{ConfigCommand, GlobalArgs, OutputFormat};
use crate::config::{self, ConfigFile, Context, Layered, Origins, Source};
use crate::exit::Failure;
use crate::output;
use crate::queue::profile::{ENVELOPE_QUEUE, MINT_QUEUE, Profile};

pub fn run(g: &GlobalArgs, cmd: &ConfigCommand, format: OutputFormat) -> Result<()> {
    match cmd {
        ConfigCommand::List => list(format),
        ConfigCommand::Show(args) => show(g, args.name.as_deref(), format),
        ConfigCommand::Use(args) => use_context(&args.name, format),
        ConfigCommand::Set(args) => set(g, &args.name, format),
    }
}

fn json_format(format: OutputFormat) -> bool {
    matches!(format, OutputFormat::Json | OutputFormat::Jsonl)
}

fn print_json(v: &Value, format: OutputFormat) -> Result<()> {
    if format == OutputFormat::Jsonl {
        output::line(&v.to_string())?
    } else {
        output::json(v)?
    }
    Ok(())
}

/// The config file's path, or exit 2 when none can be found.
fn path() -> Result<PathBuf> {
    config::config_path()
        .ok_or_else(|| Failure::usage(format!("no config file can be found: set ${} (or $HOME)", config::CONFIG_ENV)).into())
}

// ---- list ------------------------------------------------------------------------------------

fn list(format: OutputFormat) -> Result<()> {
    let path = path()?;
    let file = ConfigFile::load(&path)?;
    let contexts = file.as_ref().map_or(&[][..], |f| f.contexts.as_slice());
    let current = file.as_ref().and_then(|f| f.current.clone());
    if json_format(format) {
        let items: Vec<Value> = contexts.iter().map(|c| context_json(c, current.as_deref() == Some(c.name.as_str()))).collect();
        let v = json!({
            "config_file": path.display().to_string(),
            "exists": file.is_some(),
            "current": current,
            "contexts": items,
        });
        return print_json(&v, format);
    }
    let Some(file) = &file else {
        output::line(&format!(
            "no config file at {} (its format: `hokusai-queue config list --help`; create one with `hokusai-queue config set NAME --redis-url URL ...`)",
            path.display()
        ))?;
        return Ok(());
    };
    if contexts.is_empty() {
        output::line(&format!("no context in {}", path.display()))?;
        return Ok(());
    }
    let mut t = output::table(&["current", "name", "server", "queue", "profile"]);
    for c in contexts {
        let mark = if current.as_deref() == Some(c.name.as_str()) { "*" } else { "" };
        let server = c.server().unwrap_or_else(|| "(default)".to_owned());
        let server = if c.cluster == Some(true) { format!("{server} (cluster)") } else { server };
        let (queue, profile) = queue_and_profile(c);
        t.add_row(vec![mark.to_owned(), c.name.clone(), server, queue, profile]);
    }
    output::print_table(&t)?;
    let current = match &file.current {
        Some(name) if !contexts.iter().any(|c| &c.name == name) => format!("; current = {name:?} names no context"),
        Some(_) => String::new(),
        None => "; no current context".to_owned(),
    };
    output::line(&format!("config file {}{current}", path.display()))?;
    Ok(())
}

/// A context's queue and profile for the list: what it says, else what applies.
fn queue_and_profile(c: &Context) -> (String, String) {
    let queue = match (&c.queue, c.profile) {
        (Some(q), _) => q.clone(),
        (None, Some(Profile::Mint)) => format!("(default: {MINT_QUEUE})"),
        (None, _) => format!("(default: {ENVELOPE_QUEUE})"),
    };
    let profile = match (c.profile, &c.queue) {
        (Some(p), _) => p.as_str().to_owned(),
        (None, Some(q)) => format!("(by name: {})", Profile::for_queue(q).as_str()),
        (None, None) => "(by name)".to_owned(),
    };
    (queue, profile)
}

fn context_json(c: &Context, current: bool) -> Value {
    let path = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
    json!({
        "name": c.name,
        "current": current,
        "server": c.server(),
        "redis_url": c.redis_url.iter().map(|u| config::redact_url(u)).collect::<Vec<_>>(),
        "cluster": c.cluster,
        "user": c.user,
        "password_file": path(&c.password_file),
        "tls_ca_cert": path(&c.tls_ca_cert),
        "queue": c.queue,
        "profile": c.profile.map(Profile::as_str),
    })
}

// ---- show ------------------------------------------------------------------------------------

/// One row of `config show`: a setting, its value and where it came from.
struct Row {
    setting: &'static str,
    value: String,
    source: Source,
    /// A context's value for this setting that was not used, and why (`None`: overridden).
    unused: Option<(String, Option<String>)>,
}

fn show(g: &GlobalArgs, name: Option<&str>, format: OutputFormat) -> Result<()> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let l = Layered::resolve(g, &env, name, true)?;
    let rows = rows(g, &l, &env);
    let file_via = if env(config::CONFIG_ENV).is_some() { format!("${}", config::CONFIG_ENV) } else { "default location".into() };
    let file_shown = l.config_file.as_ref().map(|p| p.display().to_string());
    if json_format(format) {
        let mut settings = serde_json::Map::new();
        for r in &rows {
            let mut v = json!({"value": r.value, "from": r.source.kind(), "via": r.source.via()});
            if let Some((value, why)) = &r.unused {
                v["context_value"] = json!(value);
                v["context_value_unused"] = json!(why.as_deref().unwrap_or("overridden"));
            }
            settings.insert(r.setting.to_owned(), v);
        }
        let v = json!({
            "config_file": {"path": file_shown, "exists": l.file.is_some(), "from": file_via},
            "context": {"name": l.context.as_ref().map(|c| c.name.clone()), "from": l.context_via},
            "settings": settings,
            "warnings": l.notes,
        });
        return print_json(&v, format);
    }
    let mut t = output::table(&["setting", "value", "from"]);
    let file_value = match (&file_shown, l.file.is_some()) {
        (Some(p), true) => p.clone(),
        (Some(p), false) => format!("{p} (none there)"),
        (None, _) => "(none: no $HOME)".to_owned(),
    };
    t.add_row(vec!["config file".to_owned(), file_value, file_via]);
    let context = l.context.as_ref().map_or("(none)".to_owned(), |c| c.name.clone());
    t.add_row(vec!["context".to_owned(), context, l.context_via.clone().unwrap_or_else(|| "-".into())]);
    for r in &rows {
        let from = match &r.unused {
            Some((value, None)) => format!("{} (overrides context {}: {value})", r.source, context_name(&l)),
            Some((value, Some(why))) => format!("{} (context {}: {value}, not used: {why})", r.source, context_name(&l)),
            None => r.source.to_string(),
        };
        t.add_row(vec![r.setting.to_owned(), r.value.clone(), from]);
    }
    output::print_table(&t)?;
    for n in &l.notes {
        output::line(&format!("note: {n}"))?;
    }
    Ok(())
}

fn context_name(l: &Layered) -> String {
    l.context.as_ref().map_or(String::new(), |c| c.name.clone())
}

/// What a command would use, setting by setting. Secrets are never read: a password is said to
/// be in the URL, in a file (named) or in `$REDIS_AUTH_TOKEN`.
fn rows(g: &GlobalArgs, l: &Layered, env: &dyn Fn(&str) -> Option<String>) -> Vec<Row> {
    let row = |setting: &'static str, value: String, source: &Source| {
        // The password row reports the context's password file.
        let key = if setting == "password" { "password_file" } else { setting };
        let unused = l.unused.iter().find(|u| u.setting == key).map(|u| (u.value.clone(), u.why.clone()));
        Row { setting, value, source: source.clone(), unused }
    };
    let server = if l.urls.is_empty() {
        let host = env("REDIS_HOST").unwrap_or_else(|| "127.0.0.1".into());
        let port = env("REDIS_PORT").unwrap_or_else(|| "6379".into());
        format!("redis://{host}:{port}/0")
    } else {
        l.urls.iter().map(|u| config::redact_url(u)).collect::<Vec<_>>().join(", ")
    };
    let first_url = l.urls.first().map(String::as_str).unwrap_or_default();
    let url_password = config::url_has_secret(first_url);
    let password = if url_password {
        row("password", "(in the URL, hidden)".into(), &l.server_src)
    } else if let Some(p) = &l.password_file {
        row("password", format!("first line of {}", p.display()), &l.password_file_src)
    } else if env("REDIS_AUTH_TOKEN").is_some() {
        row("password", "(hidden)".into(), &Source::Env("REDIS_AUTH_TOKEN"))
    } else {
        row("password", "none".into(), &Source::Default)
    };
    let user = match (config::url_user(first_url), &l.flag_user) {
        (Some(u), None) => row("user", format!("{u} (in the URL)"), &l.server_src),
        _ => row("user", l.user.clone().unwrap_or_else(|| "default".into()), &l.user_src),
    };
    let tls = if !first_url.starts_with("rediss://") && !first_url.starts_with("valkeys://") {
        row("tls_ca_cert", "(no TLS)".into(), &l.tls_ca_src)
    } else if g.tls_insecure {
        row("tls_ca_cert", "NOT verified (--tls-insecure)".into(), &Source::Flag("--tls-insecure"))
    } else {
        let ca = l.tls_ca_cert.as_ref().map_or("public roots".to_owned(), |p| p.display().to_string());
        row("tls_ca_cert", ca, &l.tls_ca_src)
    };
    let (queue, queue_src) = match (&l.queue, l.profile) {
        (Some(q), _) => (q.clone(), l.queue_src.clone()),
        (None, Some(Profile::Mint)) => match env("MINT_REQUEST_QUEUE") {
            Some(q) => (q, Source::Env("MINT_REQUEST_QUEUE")),
            None => (MINT_QUEUE.to_owned(), Source::Default),
        },
        (None, _) => (ENVELOPE_QUEUE.to_owned(), Source::Default),
    };
    let profile = match l.profile {
        Some(p) => p.as_str().to_owned(),
        None => format!("{} (by the queue name)", Profile::for_queue(&queue).as_str()),
    };
    vec![
        row("server", server, &l.server_src),
        row("cluster", l.cluster.to_string(), &l.cluster_src),
        user,
        password,
        tls,
        row("queue", queue, &queue_src),
        row("profile", profile, &l.profile_src),
    ]
}

// ---- use -------------------------------------------------------------------------------------

fn use_context(name: &str, format: OutputFormat) -> Result<()> {
    let path = path()?;
    let Some(file) = ConfigFile::load(&path)? else {
        return Err(Failure::usage(format!(
            "there is no config file at {}: create a context first (`hokusai-queue config set {name} --redis-url URL ...`)",
            path.display()
        ))
        .into());
    };
    file.context(name, "config use")?;
    let before = file.current.clone();
    let text = with_current(&file, name)?;
    let changed = text != file.text;
    if changed {
        let after = ConfigFile::parse(&path, text.clone())?;
        if after.current.as_deref() != Some(name) || after.contexts != file.contexts {
            return Err(Failure::failed(format!(
                "could not set `current` in {} without changing anything else; edit the file by hand (current = {})",
                path.display(),
                toml_string(name)
            ))
            .into());
        }
        write_atomically(&path, &text)?;
    }
    if json_format(format) {
        let v = json!({"config_file": path.display().to_string(), "current": name, "previous": before, "changed": changed});
        return print_json(&v, format);
    }
    let was = match before.as_deref() {
        Some(b) if b == name => " (it already was)".to_owned(),
        Some(b) => format!(" (was {b})"),
        None => String::new(),
    };
    output::line(&format!("current context: {name}{was}; {}", path.display()))?;
    Ok(())
}

/// The file's text with `current = "NAME"`: the value replaced where it stands, else the line
/// added before the first table (above the comments that belong to it). Nothing else changes.
fn with_current(file: &ConfigFile, name: &str) -> Result<String> {
    let text = &file.text;
    let doc = toml_edit::Document::parse(text.as_str())
        .map_err(|e| config::file_error(&file.path, text, e.span(), e.message().trim_end()))?;
    if let Some(span) = doc.as_table().get("current").and_then(toml_edit::Item::span) {
        return Ok(splice(text, &[(span, toml_string(name))]));
    }
    let at = match first_header(doc.as_table()) {
        Some(header) => start_of_attached_comments(text, line_start(text, header)),
        None => text.len(),
    };
    let mut line = format!("current = {}\n", toml_string(name));
    if at == text.len() && !text.is_empty() && !text.ends_with('\n') {
        line.insert(0, '\n');
    }
    Ok(splice(text, &[(at..at, line)]))
}

/// The offset of the first table header (`[...]`) in the document, if any.
fn first_header(t: &toml_edit::Table) -> Option<usize> {
    t.iter()
        .filter_map(|(_, item)| item.as_table())
        .flat_map(|sub| [sub.span().filter(|_| !sub.is_implicit()).map(|s| s.start), first_header(sub)])
        .flatten()
        .min()
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Moves `at` (a line start) up over the comment lines right above it.
fn start_of_attached_comments(text: &str, mut at: usize) -> usize {
    while at > 0 {
        let prev = line_start(text, at - 1);
        if !text[prev..at].trim_start().starts_with('#') {
            break;
        }
        at = prev;
    }
    at
}

/// `text` with each range replaced (ranges do not overlap).
fn splice(text: &str, edits: &[(Range<usize>, String)]) -> String {
    let mut edits: Vec<&(Range<usize>, String)> = edits.iter().collect();
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for (r, with) in edits {
        out.push_str(&text[pos..r.start]);
        out.push_str(with);
        pos = r.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when it can be, else quoted.
fn toml_key(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        s.to_owned()
    } else {
        toml_string(s)
    }
}

/// Replaces the file at `path` with `text` in one step: a temporary file beside it (same
/// permissions; 0600 for a new file), fsynced, renamed over it. A symlink is followed, so a
/// config file kept elsewhere (a dotfiles repository) is updated there.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let dir = target.parent().map_or(PathBuf::from("."), Path::to_owned);
    let file_name = target.file_name().map_or("config.toml".into(), |n| n.to_string_lossy().into_owned());
    let mode = std::fs::metadata(&target).map_or(0o600, |m| m.permissions().mode() & 0o7777);
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let fail = |e: std::io::Error| Failure::failed(format!("cannot write the config file {}: {e}", target.display()));
    let written = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(mode).open(&tmp)?;
        f.set_permissions(std::fs::Permissions::from_mode(mode))?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)?;
        // The rename itself, durable (best effort: not every file system allows it).
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e).into());
    }
    Ok(())
}

// ---- set -------------------------------------------------------------------------------------

/// A value to write into a context: TOML text and how it reads back.
struct NewValue {
    key: &'static str,
    toml: String,
}

fn set(g: &GlobalArgs, name: &str, format: OutputFormat) -> Result<()> {
    if name.is_empty() {
        return Err(Failure::usage("config set needs a context name").into());
    }
    let origins = Origins::of_this_process();
    let given = |id: &str| matches!(origins.of(id, false, "", ""), Some(Source::Flag(_)));
    if g.tls_insecure {
        return Err(Failure::usage(
            "a context cannot turn TLS verification off: give --tls-insecure on the command line each time",
        )
        .into());
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let absolute = |p: &Path| if p.is_absolute() { p.to_owned() } else { cwd.join(p) };
    let mut values: Vec<NewValue> = Vec::new();
    if given("redis_url") {
        let urls: Vec<&String> = g.redis_url.iter().collect();
        for url in &urls {
            config::remember_urls_in(url);
            if url.is_empty() {
                return Err(Failure::usage("--redis-url is empty").into());
            }
            if config::url_has_secret(url) {
                return Err(Failure::usage(format!(
                    "--redis-url {} carries a password or user name, and the config file holds no secret: give --user NAME \
                     and --password-file FILE instead (the password stays in that file)",
                    config::redact_url(url)
                ))
                .into());
            }
            redis::IntoConnectionInfo::into_connection_info(url.as_str()).map_err(|_| {
                Failure::usage(format!(
                    "--redis-url {} is not a Redis URL (redis://host:port or rediss://...)",
                    config::redact_url(url)
                ))
            })?;
        }
        let toml = match urls.as_slice() {
            [one] => toml_string(one),
            many => format!("[{}]", many.iter().map(|u| toml_string(u)).collect::<Vec<_>>().join(", ")),
        };
        values.push(NewValue { key: "redis_url", toml });
    }
    if given("tls_ca_cert")
        && let Some(p) = &g.tls_ca_cert
    {
        values.push(NewValue { key: "tls_ca_cert", toml: toml_string(&absolute(p).to_string_lossy()) });
    }
    if given("user")
        && let Some(u) = g.user.as_deref().filter(|u| !u.is_empty())
    {
        values.push(NewValue { key: "user", toml: toml_string(u) });
    }
    if given("password_file")
        && let Some(p) = &g.password_file
    {
        values.push(NewValue { key: "password_file", toml: toml_string(&absolute(p).to_string_lossy()) });
    }
    if given("cluster") && g.cluster {
        values.push(NewValue { key: "cluster", toml: "true".into() });
    }
    if given("queue")
        && let Some(q) = g.queue.last()
    {
        if q.is_empty() {
            return Err(Failure::usage("--queue must not be empty").into());
        }
        values.push(NewValue { key: "queue", toml: toml_string(q) });
    }
    if given("profile")
        && let Some(p) = g.profile
    {
        values.push(NewValue { key: "profile", toml: toml_string(p.as_str()) });
    }
    if values.is_empty() {
        return Err(Failure::usage(
            "config set writes the flags given with it, and none was: --redis-url, --tls-ca-cert, --user, --password-file, \
             --cluster, --queue or --profile (environment variables are not written)",
        )
        .into());
    }

    let path = path()?;
    let file = ConfigFile::load(&path)?;
    let old_text = file.as_ref().map_or(String::new(), |f| f.text.clone());
    let existing = file.as_ref().and_then(|f| f.contexts.iter().find(|c| c.name == name).cloned());
    let text = match &existing {
        Some(_) => edit_context(&path, &old_text, name, &values)?,
        None => append_context(&old_text, name, &values),
    };
    // Read it back: the context must now say what was given, and nothing else may differ.
    let after = ConfigFile::parse(&path, text.clone())?;
    let mut want = existing.clone().unwrap_or_else(|| Context { name: name.to_owned(), ..Context::default() });
    let probe = ConfigFile::parse(&path, append_context("", name, &values))?;
    let given_ctx = &probe.contexts[0];
    for v in &values {
        match v.key {
            "redis_url" => want.redis_url = given_ctx.redis_url.clone(),
            "tls_ca_cert" => want.tls_ca_cert = given_ctx.tls_ca_cert.clone(),
            "user" => want.user = given_ctx.user.clone(),
            "password_file" => want.password_file = given_ctx.password_file.clone(),
            "cluster" => want.cluster = given_ctx.cluster,
            "queue" => want.queue = given_ctx.queue.clone(),
            "profile" => want.profile = given_ctx.profile,
            _ => {}
        }
    }
    let others = |f: Option<&ConfigFile>| -> Vec<Context> {
        f.map_or(vec![], |f| f.contexts.iter().filter(|c| c.name != name).cloned().collect())
    };
    let same_current = after.current == file.as_ref().and_then(|f| f.current.clone());
    if after.contexts.iter().find(|c| c.name == name) != Some(&want)
        || others(Some(&after)) != others(file.as_ref())
        || !same_current
    {
        return Err(Failure::failed(format!(
            "could not change context {name:?} in {} without changing anything else; edit the file by hand",
            path.display()
        ))
        .into());
    }
    if file.is_none()
        && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::failed(format!("cannot create the directory {}: {e}", dir.display())))?;
    }
    write_atomically(&path, &text)?;
    let keys: Vec<&str> = values.iter().map(|v| v.key).collect();
    let action = if existing.is_some() { "changed" } else { "created" };
    if json_format(format) {
        let v = json!({"config_file": path.display().to_string(), "context": context_json(&want, after.current.as_deref() == Some(name)), "action": action, "keys": keys});
        return print_json(&v, format);
    }
    let hint = if after.current.as_deref() == Some(name) {
        String::new()
    } else {
        format!("; use it with --context {name}, or make it current: hokusai-queue config use {name}")
    };
    output::line(&format!("context {name} {action} ({}) in {}{hint}", keys.join(", "), path.display()))?;
    Ok(())
}

/// A new `[contexts.NAME]` table at the end of the file.
fn append_context(text: &str, name: &str, values: &[NewValue]) -> String {
    let mut out = text.to_owned();
    if !out.is_empty() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    out.push_str(&format!("[contexts.{}]\n", toml_key(name)));
    for v in values {
        out.push_str(&format!("{} = {}\n", v.key, v.toml));
    }
    out
}

/// Changes the keys given in an existing `[contexts.NAME]` table: a value in place, a new key
/// on a line after the table's last one. Other shapes (inline tables, dotted keys) are left to
/// the user.
fn edit_context(path: &Path, text: &str, name: &str, values: &[NewValue]) -> Result<String> {
    let doc = toml_edit::Document::parse(text).map_err(|e| config::file_error(path, text, e.span(), e.message().trim_end()))?;
    let by_hand = || -> anyhow::Error {
        Failure::usage(format!(
            "context {name:?} in {} is not written as a [contexts.{}] table: edit it by hand",
            path.display(),
            toml_key(name)
        ))
        .into()
    };
    let table = doc
        .as_table()
        .get("contexts")
        .and_then(toml_edit::Item::as_table)
        .and_then(|t| t.get(name))
        .and_then(toml_edit::Item::as_table)
        .filter(|t| !t.is_implicit() && !t.is_dotted())
        .ok_or_else(by_hand)?;
    let header = table.span().ok_or_else(by_hand)?;
    // Where a new key goes: after the line of the table's last value (or of its header).
    let mut end = header.end;
    for (_, item) in table.iter() {
        if item.as_table_like().is_some() && item.as_value().is_none() {
            return Err(by_hand());
        }
        end = end.max(item.span().ok_or_else(by_hand)?.end);
    }
    let insert_at = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let mut edits = Vec::new();
    let mut added = String::new();
    if insert_at == text.len() && !text.ends_with('\n') {
        added.push('\n');
    }
    for v in values {
        match table.get(v.key) {
            Some(item) => edits.push((item.span().ok_or_else(by_hand)?, v.toml.clone())),
            None => added.push_str(&format!("{} = {}\n", v.key, v.toml)),
        }
    }
    if added.trim().is_empty() {
        added.clear();
    }
    if !added.is_empty() {
        edits.push((insert_at..insert_at, added));
    }
    Ok(splice(text, &edits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> ConfigFile {
        ConfigFile::parse(Path::new("/x/config.toml"), text.to_owned()).unwrap()
    }

    #[test]
    fn current_is_replaced_in_place_or_added_before_the_first_table() {
        let f = file("current = \"a\" # why\n[contexts.a]\n[contexts.b]\n");
        assert_eq!(with_current(&f, "b").unwrap(), "current = \"b\" # why\n[contexts.a]\n[contexts.b]\n");
        // Inline tables only: no header, the line goes at the end.
        let f = file("contexts = { a = { queue = \"q\" }, \"x y\" = {} }");
        assert_eq!(with_current(&f, "x y").unwrap(), "contexts = { a = { queue = \"q\" }, \"x y\" = {} }\ncurrent = \"x y\"\n");
        // An explicit [contexts] header counts; the comment right above it stays with it.
        let f = file("# top\n\n# all of them\n[contexts]\na = {}\n");
        assert_eq!(with_current(&f, "a").unwrap(), "# top\n\ncurrent = \"a\"\n# all of them\n[contexts]\na = {}\n");
    }

    #[test]
    fn set_edits_standard_tables_only() {
        let v = [NewValue { key: "queue", toml: toml_string("q2") }];
        let text = "[contexts.a]\nqueue = \"q\"";
        assert_eq!(edit_context(Path::new("/x"), text, "a", &v).unwrap(), "[contexts.a]\nqueue = \"q2\"");
        let text = "[contexts.a]\ncluster = true";
        assert_eq!(edit_context(Path::new("/x"), text, "a", &v).unwrap(), "[contexts.a]\ncluster = true\nqueue = \"q2\"\n");
        for by_hand in ["contexts = { a = { queue = \"q\" } }", "[contexts]\na.queue = \"q\"\n"] {
            assert!(edit_context(Path::new("/x"), by_hand, "a", &v).is_err(), "{by_hand}");
        }
        assert_eq!(append_context("x = 1", "b c", &v), "x = 1\n\n[contexts.\"b c\"]\nqueue = \"q2\"\n");
        assert_eq!(toml_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000A\"");
    }
}
