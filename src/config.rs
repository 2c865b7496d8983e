//! Turns flags and environment into a checked connection target and key set, before any I/O.
//! Owns credential redaction: nothing here ever formats a password.

use std::time::Duration;

use std::fs::File;
use std::io::Read;
use std::path::Path;

use anyhow::Result;
use redis::{ConnectionAddr, ConnectionInfo, IntoConnectionInfo, TlsCertificates};

use crate::cli::GlobalArgs;
use crate::exit::Failure;
use crate::queue::keys::{KeyOverrides, Keys};
use crate::queue::profile::{ENVELOPE_QUEUE, MINT_QUEUE, Profile};

pub const DEFAULT_URL: &str = "redis://127.0.0.1:6379/0";

/// A password file is one short line; anything longer is not a password file.
const MAX_PASSWORD_FILE_BYTES: u64 = 64 * 1024;

/// Every secret this process knows, each with what to print instead (`***` for a password; a
/// whole URL's redacted form for a URL), so that [`scrub`] can remove it from any text we print.
static SECRETS: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());

/// Secrets shorter than this are not scrubbed from text (replacing every `a` would garble
/// every message); they are still never formatted on purpose.
const MIN_SCRUBBED: usize = 3;

fn remember(secret: &str, shown: &str) {
    if secret.len() >= MIN_SCRUBBED
        && let Ok(mut v) = SECRETS.lock()
        && !v.iter().any(|(s, _)| s == secret)
    {
        v.push((secret.to_owned(), shown.to_owned()));
    }
}

/// Remembers a secret, and its percent-decoded form when that differs (the redis crate
/// decodes a URL's password, so a library message could echo either).
fn remember_secret(s: &str) {
    remember(s, "***");
    if let Some(decoded) = percent_decoded(s) {
        remember(&decoded, "***");
    }
}

/// Remembers the user info of every Redis URL inside `text` (a command-line argument, an
/// environment value), so that an error quoting `text` can be scrubbed: the URL itself is
/// replaced by its redacted form, and its secrets by `***` wherever they appear alone.
pub fn remember_urls_in(text: &str) {
    let starts: Vec<usize> = URL_SCHEMES.iter().flat_map(|scheme| text.match_indices(scheme).map(|(i, _)| i)).collect();
    for &start in &starts {
        // A URL runs to the end of the text, or to the next URL in it.
        let end = starts.iter().copied().filter(|&s| s > start).min().unwrap_or(text.len());
        remember_url(&text[start..end]);
    }
}

/// Remembers the secrets of one URL (any scheme), and the URL itself with its redacted form.
fn remember_url(url: &str) {
    let mut any = false;
    for secret in url_secrets(url) {
        remember_secret(&secret);
        any = true;
    }
    if any {
        remember(url, &redact_url(url));
    }
}

/// The schemes the redis crate accepts for a server URL.
const URL_SCHEMES: [&str; 4] = ["rediss://", "redis://", "valkeys://", "valkey://"];

/// Replaces every known secret in `text` with `***` (a last line of defence: messages are
/// built without secrets, but a library's error text, or clap's echo of an argument, could
/// hold one). Longest first, so a secret that contains another is removed whole.
pub fn scrub(text: &str) -> String {
    let mut out = text.to_owned();
    let mut known = SECRETS.lock().map(|v| v.clone()).unwrap_or_default();
    known.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
    for (secret, shown) in &known {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), shown);
        }
    }
    out
}

/// `text` with its `%XX` escapes decoded, when it has any and the result is UTF-8.
fn percent_decoded(text: &str) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied().and_then(hex), b.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (c, ..) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok().filter(|d| d != text)
}

/// Set when the command about to run never touches the configured queue's keys:
/// `depth --all-queues` derives every queue's keys from the names it finds, so in cluster mode
/// the configured (default) name needs no hash tag. Set once by `main_with_args`, before any
/// [`Config`] is built.
static CONFIGURED_QUEUE_UNUSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Says that this run does not use the configured queue's keys (see [`Config::from_args`]).
pub fn configured_queue_unused() {
    CONFIGURED_QUEUE_UNUSED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Where and how to connect. Its `Debug` is hand-written so the password cannot leak.
#[derive(Clone)]
pub struct Target {
    /// The server (in cluster mode, the first seed node).
    pub info: ConnectionInfo,
    /// Cluster mode: every seed node given (`info` is the first).
    pub cluster: Option<Vec<ConnectionInfo>>,
    /// The CA given with --tls-ca-cert, for the cluster client (which takes it apart).
    pub ca_pem: Option<Vec<u8>>,
    /// The URL as it may be shown: password replaced by `***`.
    pub shown: String,
    pub connect_timeout: Duration,
    pub command_timeout: Duration,
    pub backoff: Backoff,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target").field("url", &self.shown).finish_non_exhaustive()
    }
}

impl Target {
    /// `host:port` of the server, safe to print.
    pub fn endpoint(&self) -> String {
        self.info.addr().to_string()
    }
}

/// Exponential backoff with full jitter (the platform's retry policy).
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub retries: u32,
    pub base: Duration,
    pub cap: Duration,
}

impl Backoff {
    /// The delay before retry number `attempt` (0-based): uniform in [0, min(cap, base * 2^attempt)].
    pub fn delay(&self, attempt: u32) -> Duration {
        let ceiling = self.base.saturating_mul(2u32.saturating_pow(attempt.min(30))).min(self.cap);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Everything a subcommand needs to reach its queue.
#[derive(Debug, Clone)]
pub struct Config {
    pub target: Target,
    pub keys: Keys,
    /// Said on stderr before anything runs (e.g. `--tls-insecure`).
    pub warnings: Vec<String>,
}

impl Config {
    pub fn from_args(g: &GlobalArgs) -> Result<Self> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let mut warnings = Vec::new();
        let target = resolve_target(g, &env, &mut warnings)?;
        let (queue, profile) = resolve_queue(g.queue.as_deref(), g.profile, &env)?;
        let overrides = KeyOverrides {
            processing: g.processing_key.clone(),
            dlq: g.dlq_key.clone(),
            pubsub: g.pubsub_channel.clone(),
            leases: g.leases_key.clone(),
            retry: g.retry_key.clone(),
            replays: g.replays_key.clone(),
            processed: g.processed_key.clone(),
            audit: g.audit_key.clone(),
            settlements: g.settlements_key.clone(),
            record_prefix: g.record_prefix.clone(),
        };
        let keys = Keys::new(&queue, &overrides, profile, &env);
        if let Some((role, key)) = keys.data_keys().iter().map(|(r, k, _)| (*r, *k)).find(|(_, k)| k.is_empty()) {
            return Err(Failure::usage(format!("the {role} key name is empty ({key:?}): give a name")).into());
        }
        // Every script of a queue touches several of its keys: on a cluster they must share a
        // slot. Not checked when the run never uses them (`depth --all-queues`).
        if target.cluster.is_some() && !CONFIGURED_QUEUE_UNUSED.load(std::sync::atomic::Ordering::Relaxed) {
            check_one_slot(&keys)?;
        }
        warnings.dedup();
        Ok(Self { target, keys, warnings })
    }
}

/// The queue name and its profile: the named profile, else the one the name implies. With
/// `--profile mint` and no queue, the deployer's `MINT_REQUEST_QUEUE`, else its default.
fn resolve_queue(
    queue: Option<&str>,
    profile: Option<Profile>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(String, Profile)> {
    if queue == Some("") {
        return Err(Failure::usage("--queue must not be empty (unset $HOKUSAI_QUEUE or give a name)").into());
    }
    let queue = match (queue, profile) {
        (Some(q), _) => q.to_owned(),
        (None, Some(Profile::Mint)) => env("MINT_REQUEST_QUEUE").unwrap_or_else(|| MINT_QUEUE.to_owned()),
        (None, _) => ENVELOPE_QUEUE.to_owned(),
    };
    let profile = profile.unwrap_or_else(|| Profile::for_queue(&queue));
    Ok((queue, profile))
}

/// In cluster mode every script touches several of the queue's keys: they must share one hash
/// slot, or Redis refuses with CROSSSLOT. Refused before anything is touched, with the fix.
pub fn check_one_slot(keys: &Keys) -> Result<()> {
    let slots: Vec<(&str, u16)> = keys.data_keys().iter().map(|(_, k, _)| (*k, crate::queue::keys::slot(k))).collect();
    if slots.iter().all(|(_, s)| *s == slots[0].1) {
        return Ok(());
    }
    let listed: Vec<String> = slots.iter().map(|(k, s)| format!("{k} -> slot {s}")).collect();
    let suggestion = match keys.queue.rsplit_once(':') {
        _ if keys.queue.contains('{') => "keep the {hash tag} in every --*-key override too".to_owned(),
        Some((prefix, last)) => format!("name the queue with a hash tag, e.g. --queue '{prefix}:{{{last}}}'"),
        None => format!("name the queue with a hash tag, e.g. --queue '{{{}}}'", keys.queue),
    };
    Err(Failure::usage(format!(
        "in cluster mode all keys of a queue must hash to one slot, and these do not ({}): {suggestion} \
         (asynq and BullMQ name their queues this way); the platform's producers must use the same name",
        listed.join(", ")
    ))
    .into())
}

fn resolve_target(g: &GlobalArgs, env: &dyn Fn(&str) -> Option<String>, warnings: &mut Vec<String>) -> Result<Target> {
    let token = env("REDIS_AUTH_TOKEN");
    if let Some(t) = &token {
        remember_secret(t);
    }
    let mut urls: Vec<String> = g.redis_url.iter().filter(|u| !u.is_empty()).cloned().collect();
    if urls.is_empty() {
        urls.extend(env("REDIS_URL"));
    }
    if urls.len() > 1 && !g.cluster {
        return Err(Failure::usage(
            "several --redis-url were given: they are the seed nodes of a Redis Cluster, so add --cluster (or give one URL)",
        )
        .into());
    }
    let mut infos = Vec::new();
    let mut shown_first = None;
    for url in urls.iter().map(Some).chain(urls.is_empty().then_some(None)) {
        let (info, shown) = resolve_address(g, env, url)?;
        let info = resolve_credentials(g, env, info, token.clone())?;
        let info = resolve_tls(g, info, &shown, warnings)?;
        let tcp = redis::io::tcp::TcpSettings::default().set_nodelay(true);
        infos.push(info.set_tcp_settings(tcp));
        shown_first.get_or_insert(shown);
    }
    let info = infos[0].clone();
    let shown = shown_first.expect("at least one address");
    let ca_pem = match &g.tls_ca_cert {
        Some(path) if !g.tls_insecure => std::fs::read(path).ok(),
        _ => None,
    };
    Ok(Target {
        info,
        cluster: g.cluster.then_some(infos),
        ca_pem,
        shown,
        connect_timeout: g.connect_timeout,
        command_timeout: g.command_timeout,
        backoff: Backoff { retries: g.connect_retries, base: g.connect_backoff_base, cap: g.connect_backoff_cap },
    })
}

/// One server address from a URL, or from $REDIS_HOST/$REDIS_PORT (default 127.0.0.1:6379).
fn resolve_address(
    g: &GlobalArgs,
    env: &dyn Fn(&str) -> Option<String>,
    url: Option<&String>,
) -> Result<(ConnectionInfo, String)> {
    Ok(match url {
        Some(url) => {
            remember_url(url);
            let shown = redact_url(url);
            check_url_shape(url, &shown, g.tls_insecure)?;
            let info = url.as_str().into_connection_info().map_err(|_| {
                if !url.contains("://") {
                    // redis-cli's habit: host:port without a scheme.
                    return Failure::usage(format!(
                        "the Redis URL {shown} has no scheme: write redis://{shown} (or rediss:// for TLS)"
                    ));
                }
                Failure::usage(format!(
                    "the Redis URL {shown} is not valid: expected redis://[user[:password]@]host[:port][/db] or rediss://...; \
                     a password with special characters (# ! & $ ^ < > -) belongs in $REDIS_AUTH_TOKEN or --password-file, not in the URL"
                ))
            })?;
            (info, shown)
        }
        None => {
            let host = env("REDIS_HOST").unwrap_or_else(|| "127.0.0.1".into());
            let port = match env("REDIS_PORT") {
                Some(p) => {
                    p.parse::<u16>().map_err(|_| Failure::usage(format!("REDIS_PORT={p} is not a port number (1-65535)")))?
                }
                None => 6379,
            };
            let info = ConnectionAddr::Tcp(host.clone(), port).into_connection_info().expect("a TCP address converts");
            (info, format!("redis://{host}:{port}/0"))
        }
    })
}

/// Refuses URLs that would be read as something other than what the operator meant, without
/// ever echoing the part that may hold a secret.
fn check_url_shape(url: &str, shown: &str, tls_insecure: bool) -> Result<()> {
    let start = url.find("://").map_or(0, |i| i + 3);
    if let Some(at) = url.rfind('@').filter(|&at| at >= start)
        && url[start..at].contains(['#', '/', '?'])
    {
        // `redis://tok#en@host` is read as host `tok`: part of the secret would become a host
        // name in every later error. Refuse before parsing.
        return Err(Failure::usage(format!(
            "the password in the Redis URL {shown} contains a character that cannot appear raw in a URL ('#', '/' or '?'); \
             put it in $REDIS_AUTH_TOKEN or a --password-file instead (or percent-encode it in the URL)"
        ))
        .into());
    }
    let after_userinfo = url.rfind('@').filter(|&at| at >= start).map_or(start, |at| at + 1);
    if let Some(hash) = url[after_userinfo..].find('#') {
        let fragment = &url[after_userinfo + hash + 1..];
        let tls = url.starts_with("rediss://") || url.starts_with("valkeys://");
        if fragment == "insecure" && tls {
            if !tls_insecure {
                return Err(Failure::usage(format!(
                    "the Redis URL {shown} ends in #insecure, which turns off TLS certificate verification; \
                     give the server's CA with --tls-ca-cert FILE instead, or pass --tls-insecure if you really mean it"
                ))
                .into());
            }
        } else {
            return Err(Failure::usage(format!(
                "the Redis URL {shown} has a #fragment, which a Redis URL does not use (only rediss://...#insecure, with --tls-insecure); remove it"
            ))
            .into());
        }
    }
    Ok(())
}

/// Fills in the user and password: the URL's, else `--user` / `--password-file`, else
/// `$REDIS_USERNAME` / `$REDIS_AUTH_TOKEN`. A secret from a file or the environment is used
/// as is (it may hold `#`, `&`, `$`...), never pasted into a URL.
fn resolve_credentials(
    g: &GlobalArgs,
    env: &dyn Fn(&str) -> Option<String>,
    info: ConnectionInfo,
    token: Option<String>,
) -> Result<ConnectionInfo> {
    let mut settings = info.redis_settings().clone();
    let file_password = g.password_file.as_deref().map(read_password_file).transpose()?;
    match (settings.password(), file_password) {
        (Some(_), Some(_)) => {
            return Err(Failure::usage(
                "the Redis URL already carries a password and --password-file gives another: give it once \
                 (keep --password-file and drop the password from the URL)",
            )
            .into());
        }
        (None, Some(p)) => settings = settings.set_password(p),
        (None, None) => {
            if let Some(t) = token {
                settings = settings.set_password(t);
            }
        }
        (Some(_), None) => {}
    }
    match (settings.username(), g.user.as_deref().filter(|u| !u.is_empty())) {
        (Some(url_user), Some(flag_user)) if url_user != flag_user => {
            return Err(Failure::usage(format!(
                "the Redis URL names user {url_user:?} and --user names {flag_user:?}: give the user once"
            ))
            .into());
        }
        (None, Some(flag_user)) => settings = settings.set_username(flag_user),
        (None, None) => {
            if let Some(u) = env("REDIS_USERNAME") {
                settings = settings.set_username(u);
            }
        }
        _ => {}
    }
    if settings.username().is_some() && settings.password().is_none() {
        return Err(Failure::usage(
            "a Redis user is named (--user, $REDIS_USERNAME or user@ in the URL) but no password is given: \
             set $REDIS_AUTH_TOKEN or --password-file (a lone redis://TOKEN@host is read as a user name)",
        )
        .into());
    }
    if let Some(p) = settings.password() {
        remember_secret(p);
    }
    Ok(info.set_redis_settings(settings))
}

/// The first line of a password file, without its line ending; refused when empty.
fn read_password_file(path: &Path) -> Result<String> {
    let shown = path.display();
    let mut buf = Vec::new();
    File::open(path)
        .and_then(|f| f.take(MAX_PASSWORD_FILE_BYTES + 1).read_to_end(&mut buf))
        .map_err(|e| Failure::usage(format!("cannot read --password-file {shown}: {e}")))?;
    let line = buf.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.len() as u64 > MAX_PASSWORD_FILE_BYTES {
        return Err(Failure::usage(format!("--password-file {shown}: the first line is too long to be a password")).into());
    }
    let password = String::from_utf8(line.to_vec())
        .map_err(|_| Failure::usage(format!("--password-file {shown}: the password is not UTF-8 text")))?;
    remember_secret(&password);
    if password.is_empty() {
        return Err(Failure::usage(format!("--password-file {shown} is empty: its first line must be the password")).into());
    }
    Ok(password)
}

/// Applies `--tls-ca-cert` / `--tls-insecure` to a `rediss://` target; refuses them on a
/// plain one (they would silently do nothing).
fn resolve_tls(g: &GlobalArgs, info: ConnectionInfo, shown: &str, warnings: &mut Vec<String>) -> Result<ConnectionInfo> {
    let ConnectionAddr::TcpTls { host, port, insecure, .. } = info.addr().clone() else {
        if g.tls_insecure || g.tls_ca_cert.is_some() {
            let flag = if g.tls_insecure { "--tls-insecure" } else { "--tls-ca-cert" };
            return Err(Failure::usage(format!(
                "{flag} needs a TLS connection, but {shown} is plain: use a rediss:// URL (--redis-url rediss://HOST:PORT)"
            ))
            .into());
        }
        return Ok(info);
    };
    if g.tls_insecure || insecure {
        warnings.push(format!(
            "--tls-insecure: the TLS certificate of {host}:{port} is NOT verified; anyone on the network path can \
             impersonate the server and read the password. Use --tls-ca-cert FILE outside of tests."
        ));
        let addr = ConnectionAddr::TcpTls { host, port, insecure: true, tls_params: None };
        return Ok(info.set_addr(addr));
    }
    let Some(path) = &g.tls_ca_cert else {
        return Ok(info); // the public roots (webpki-roots), as for ElastiCache
    };
    let pem = std::fs::read(path).map_err(|e| Failure::usage(format!("cannot read --tls-ca-cert {}: {e}", path.display())))?;
    if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
        return Err(Failure::usage(format!(
            "--tls-ca-cert {} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA bundle that signed the server's certificate",
            path.display()
        ))
        .into());
    }
    let certs = TlsCertificates { client_tls: None, root_cert: Some(pem) };
    let client = redis::Client::build_with_tls(info, certs)
        .map_err(|e| Failure::usage(format!("--tls-ca-cert {}: cannot use it as a CA certificate ({e})", path.display())))?;
    Ok(client.get_connection_info().clone())
}

/// Where the user info of a URL lies: after `scheme://`, up to the LAST '@' (a password
/// pasted raw may hold '@', '/', '#', ...). `None` when the URL has none.
fn userinfo_span(url: &str) -> Option<(usize, usize)> {
    let start = url.find("://")? + 3;
    let at = url.rfind('@').filter(|&at| at >= start)?;
    Some((start, at))
}

/// Whether `user` can be a URL's user name as it stands: only the characters RFC 3986 allows
/// in user info (no ':'), '%' only as an escape. Anything else (`#`, '@', '/', ...) means a
/// token was pasted raw and the "user" is part of it.
fn plausible_user(user: &str) -> bool {
    let b = user.as_bytes();
    b.iter().enumerate().all(|(i, &c)| {
        c.is_ascii_alphanumeric()
            || b"-._~!$&'()*+,;=".contains(&c)
            || (c == b'%' && b.len() > i + 2 && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit())
    })
}

/// The secrets in a URL's user info that [`redact_url`] hides: the password (everything after
/// the first ':'), a lone token, or, when the part before the ':' cannot be a user name, the
/// whole user info and both its parts. Raw forms only ([`remember_secret`] adds decoded ones).
fn url_secrets(url: &str) -> impl Iterator<Item = String> {
    let mut out = Vec::new();
    if let Some((start, at)) = userinfo_span(url) {
        let userinfo = &url[start..at];
        match userinfo.split_once(':') {
            Some((user, password)) if plausible_user(user) => out.push(password.to_owned()),
            Some((user, password)) => out.extend([userinfo.to_owned(), user.to_owned(), password.to_owned()]),
            None => out.push(userinfo.to_owned()),
        }
    }
    out.into_iter().filter(|s| !s.is_empty())
}

/// Replaces the password of a Redis URL with `***`. Robust to passwords pasted raw (with '@',
/// '/', '#', ':' in them): everything between `scheme://` and the last '@' is user info, and
/// everything after its first ':' is the password. A user part that cannot be a user name is
/// hidden too (it is the start of a pasted token).
pub fn redact_url(url: &str) -> String {
    if !url.contains("://") {
        return if url.contains('@') { "***".into() } else { url.to_owned() };
    }
    let Some((start, at)) = userinfo_span(url) else {
        return url.to_owned();
    };
    let userinfo = &url[start..at];
    let user = match userinfo.split_once(':') {
        Some((user, _)) if plausible_user(user) => format!("{user}:***"),
        // `redis://secret@host`: the redis crate reads the lone part as a user name, but people
        // paste tokens there; hide it too. Likewise a "user" that no URL could hold.
        _ => "***".into(),
    };
    format!("{}{}{}", &url[..start], user, &url[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction() {
        assert_eq!(redact_url("redis://:s3cret@h:6379/0"), "redis://:***@h:6379/0");
        assert_eq!(redact_url("rediss://user:p@ss/w#rd@h:6379"), "rediss://user:***@h:6379");
        assert_eq!(redact_url("redis://h:6379"), "redis://h:6379");
        assert_eq!(redact_url("redis://tok@h"), "redis://***@h");
        assert_eq!(redact_url("garbage@x"), "***");
        assert_eq!(url_secrets("redis://u:p#w@h").collect::<Vec<_>>(), ["p#w"]);
        // A token pasted raw: '@', '#', ':', '/', '%' in it; the user info ends at the last '@'.
        let raw = "redis://s3cr3t#A&b$c@d:e/f%41g@host:6379";
        assert_eq!(redact_url(raw), "redis://***@host:6379");
        assert_eq!(url_secrets(raw).collect::<Vec<_>>(), ["s3cr3t#A&b$c@d:e/f%41g", "s3cr3t#A&b$c@d", "e/f%41g"]);
        assert_eq!(redact_url("redis://al%40ice:p:w@d@h"), "redis://al%40ice:***@h");
        assert_eq!(redact_url("redis://:pw@h"), "redis://:***@h");
    }

    #[test]
    fn scrub_removes_encoded_and_decoded_forms_and_urls() {
        remember_urls_in("--redis-url=redis://:GREP%40ME%2fx@h:1/0");
        assert_eq!(scrub("x 'redis://:GREP%40ME%2fx@h:1/0' y"), "x 'redis://:***@h:1/0' y");
        assert_eq!(scrub("GREP@ME/x and GREP%40ME%2fx"), "*** and ***");
        remember_secret("xyzzy");
        remember_secret("xyzzy-plugh");
        assert_eq!(scrub("xyzzy-plugh"), "***", "the longer secret first");
        assert_eq!(percent_decoded("a%41%zz%4"), Some("aA%zz%4".to_owned()));
    }

    #[test]
    fn scrub_removes_remembered_secrets() {
        remember_secret("hunter2-secret");
        assert_eq!(scrub("auth hunter2-secret failed"), "auth *** failed");
    }

    #[test]
    fn backoff_is_capped() {
        let b = Backoff { retries: 3, base: Duration::from_secs(1), cap: Duration::from_secs(30) };
        for attempt in 0..40 {
            assert!(b.delay(attempt) <= Duration::from_secs(30));
        }
        assert!(b.delay(0) <= Duration::from_secs(1));
    }
}
