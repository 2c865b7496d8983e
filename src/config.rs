//! Turns flags and environment into a checked connection target and key set, before any I/O.
//! Owns credential redaction: nothing here ever formats a password.

use std::time::Duration;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

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
    /// The context of the config file in use, if any.
    pub context: Option<String>,
    /// `--sqs-queue-url`: the commands that have an SQS path talk to this queue instead.
    pub sqs: Option<SqsTarget>,
}

/// An Amazon SQS queue (`--sqs-queue-url`, `--endpoint-url`).
#[derive(Clone, Debug)]
pub struct SqsTarget {
    pub queue_url: String,
    pub endpoint_url: Option<String>,
}

impl Config {
    pub fn from_args(g: &GlobalArgs) -> Result<Self> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let layered = Layered::resolve(g, &env, None, false)?;
        let mut warnings = layered.notes.clone();
        let target = resolve_target(g, &layered, &env, &mut warnings)?;
        let (queue, profile) = resolve_queue(layered.queue.as_deref(), layered.profile, &env)?;
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
        let sqs = sqs_target(g)?;
        Ok(Self { target, keys, warnings, context: layered.context.map(|c| c.name), sqs })
    }
}

/// `--sqs-queue-url` checked: an http(s) URL whose last segment names the queue.
fn sqs_target(g: &GlobalArgs) -> Result<Option<SqsTarget>> {
    // --endpoint-url alone is not an error: it may come from the environment of a shell that
    // also runs Redis commands.
    let Some(url) = g.sqs_queue_url.as_deref().filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let name = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).and_then(|rest| rest.rsplit('/').next());
    if name.is_none_or(str::is_empty) {
        return Err(Failure::usage(format!(
            "--sqs-queue-url {url:?} is not an SQS queue URL: give https://sqs.REGION.amazonaws.com/ACCOUNT/NAME \
             (`aws sqs get-queue-url --queue-name NAME` prints it)"
        ))
        .into());
    }
    Ok(Some(SqsTarget { queue_url: url.to_owned(), endpoint_url: g.endpoint_url.clone() }))
}

/// The line under a table that says which server and queue it read (password hidden), e.g.
/// `rediss://ops:***@host:6379 · hokusai:mint_requests (mint) · context prod`.
pub fn caption(cfg: &Config) -> String {
    format!("{} · {} ({}){}", server_caption(cfg), cfg.keys.main, cfg.keys.profile.as_str(), context_caption(cfg))
}

/// The server alone (password hidden), for tables that span queues (`depth --all-queues`).
pub fn server_caption(cfg: &Config) -> String {
    let cluster = if cfg.target.cluster.is_some() { " (cluster)" } else { "" };
    format!("{}{cluster}", cfg.target.shown)
}

fn context_caption(cfg: &Config) -> String {
    cfg.context.as_deref().map_or(String::new(), |c| format!(" · context {c}"))
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

fn resolve_target(
    g: &GlobalArgs,
    l: &Layered,
    env: &dyn Fn(&str) -> Option<String>,
    warnings: &mut Vec<String>,
) -> Result<Target> {
    let token = env("REDIS_AUTH_TOKEN");
    if let Some(t) = &token {
        remember_secret(t);
    }
    let urls = &l.urls;
    if urls.len() > 1 && !l.cluster {
        return Err(Failure::usage(
            "several --redis-url were given: they are the seed nodes of a Redis Cluster, so add --cluster (or give one URL)",
        )
        .into());
    }
    let mut infos = Vec::new();
    let mut shown_first = None;
    for url in urls.iter().map(Some).chain(urls.is_empty().then_some(None)) {
        let (info, shown) = resolve_address(g, env, url)?;
        let info = resolve_credentials(l, info, token.clone())?;
        let info = resolve_tls(g, l, info, &shown, warnings)?;
        let tcp = redis::io::tcp::TcpSettings::default().set_nodelay(true);
        infos.push(info.set_tcp_settings(tcp));
        shown_first.get_or_insert(shown);
    }
    let info = infos[0].clone();
    let shown = shown_first.expect("at least one address");
    let ca_pem = match &l.tls_ca_cert {
        Some(path) if !g.tls_insecure => std::fs::read(path).ok(),
        _ => None,
    };
    Ok(Target {
        info,
        cluster: l.cluster.then_some(infos),
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
fn resolve_credentials(l: &Layered, info: ConnectionInfo, token: Option<String>) -> Result<ConnectionInfo> {
    let mut settings = info.redis_settings().clone();
    let what = l.password_file_src.label("--password-file", "password_file");
    let file_password = l.password_file.as_deref().map(|p| read_password_file(p, &what)).transpose()?;
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
    match (settings.username(), l.flag_user.as_deref().filter(|u| !u.is_empty())) {
        (Some(url_user), Some(flag_user)) if url_user != flag_user => {
            return Err(Failure::usage(format!(
                "the Redis URL names user {url_user:?} and --user names {flag_user:?}: give the user once"
            ))
            .into());
        }
        (None, Some(flag_user)) => settings = settings.set_username(flag_user),
        (None, None) => {
            // $REDIS_USERNAME, else the context's user.
            if let Some(u) = l.user.clone() {
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

/// The first line of a password file, without its line ending; refused when empty. `what`
/// names where the file was given (`--password-file`, `password_file of context prod`).
fn read_password_file(path: &Path, what: &str) -> Result<String> {
    let shown = path.display();
    let mut buf = Vec::new();
    File::open(path)
        .and_then(|f| f.take(MAX_PASSWORD_FILE_BYTES + 1).read_to_end(&mut buf))
        .map_err(|e| Failure::usage(format!("cannot read {what} {shown}: {e}")))?;
    let line = buf.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.len() as u64 > MAX_PASSWORD_FILE_BYTES {
        return Err(Failure::usage(format!("{what} {shown}: the first line is too long to be a password")).into());
    }
    let password = String::from_utf8(line.to_vec())
        .map_err(|_| Failure::usage(format!("{what} {shown}: the password is not UTF-8 text")))?;
    remember_secret(&password);
    if password.is_empty() {
        return Err(Failure::usage(format!("{what} {shown} is empty: its first line must be the password")).into());
    }
    Ok(password)
}

/// Applies `--tls-ca-cert` / `--tls-insecure` to a `rediss://` target; refuses them on a
/// plain one (they would silently do nothing).
fn resolve_tls(
    g: &GlobalArgs,
    l: &Layered,
    info: ConnectionInfo,
    shown: &str,
    warnings: &mut Vec<String>,
) -> Result<ConnectionInfo> {
    let what = l.tls_ca_src.label("--tls-ca-cert", "tls_ca_cert");
    let ConnectionAddr::TcpTls { host, port, insecure, .. } = info.addr().clone() else {
        if g.tls_insecure || l.tls_ca_cert.is_some() {
            let flag = if g.tls_insecure { "--tls-insecure" } else { what.as_str() };
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
    let Some(path) = &l.tls_ca_cert else {
        return Ok(info); // the public roots (webpki-roots), as for ElastiCache
    };
    let pem = std::fs::read(path).map_err(|e| Failure::usage(format!("cannot read {what} {}: {e}", path.display())))?;
    if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
        return Err(Failure::usage(format!(
            "{what} {} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA bundle that signed the server's certificate",
            path.display()
        ))
        .into());
    }
    let certs = TlsCertificates { client_tls: None, root_cert: Some(pem) };
    let client = redis::Client::build_with_tls(info, certs)
        .map_err(|e| Failure::usage(format!("{what} {}: cannot use it as a CA certificate ({e})", path.display())))?;
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

/// Whether a URL carries a secret in its user info (a password, or a lone token).
pub fn url_has_secret(url: &str) -> bool {
    url_secrets(url).next().is_some()
}

/// The user name in a URL's `user:password@`, when it is one.
pub fn url_user(url: &str) -> Option<String> {
    let (start, at) = userinfo_span(url)?;
    let (user, _) = url[start..at].split_once(':')?;
    (!user.is_empty() && plausible_user(user)).then(|| user.to_owned())
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

// ---- Contexts: named targets in the config file ---------------------------------------------

/// `$HOKUSAI_CONFIG`: the config file to read instead of the default one.
pub const CONFIG_ENV: &str = "HOKUSAI_CONFIG";
/// `$HOKUSAI_CONTEXT`: the context to use when no `--context` is given.
pub const CONTEXT_ENV: &str = "HOKUSAI_CONTEXT";
/// The keys a context may have; any other is refused, named.
pub const CONTEXT_KEYS: [&str; 7] = ["redis_url", "tls_ca_cert", "user", "password_file", "cluster", "queue", "profile"];

/// Where the config file is: `$HOKUSAI_CONFIG`, else `$XDG_CONFIG_HOME/hokusai-queue/config.toml`
/// (an absolute `$XDG_CONFIG_HOME` only, as the XDG spec says), else
/// `~/.config/hokusai-queue/config.toml`. `None` when none of them is set.
pub fn config_path() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(p) = var(CONFIG_ENV) {
        return Some(p);
    }
    if let Some(xdg) = var("XDG_CONFIG_HOME").filter(|p| p.is_absolute()) {
        return Some(xdg.join("hokusai-queue").join("config.toml"));
    }
    var("HOME").map(|home| home.join(".config").join("hokusai-queue").join("config.toml"))
}

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A command-line flag (named).
    Flag(&'static str),
    /// An environment variable (named).
    Env(&'static str),
    /// The named context of the config file.
    Context(String),
    /// None of those: the built-in default.
    Default,
}

impl Source {
    /// `flag`, `env`, `context` or `default`.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Flag(_) => "flag",
            Source::Env(_) => "env",
            Source::Context(_) => "context",
            Source::Default => "default",
        }
    }

    /// The flag, variable or context name; `None` for a default.
    pub fn via(&self) -> Option<String> {
        match self {
            Source::Flag(s) | Source::Env(s) => Some((*s).to_owned()),
            Source::Context(c) => Some(c.clone()),
            Source::Default => None,
        }
    }

    fn is_context(&self) -> bool {
        matches!(self, Source::Context(_))
    }

    /// How an error names where a file was given: the flag (also for its variable, as always),
    /// or `KEY of context NAME`.
    fn label(&self, flag: &str, key: &str) -> String {
        match self {
            Source::Context(c) => format!("{key} of context {c}"),
            _ => flag.to_owned(),
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Flag(s) => write!(f, "flag {s}"),
            Source::Env(s) => write!(f, "env {s}"),
            Source::Context(c) => write!(f, "context {c}"),
            Source::Default => f.write_str("default"),
        }
    }
}

/// Whether each global flag was given on the command line or by its environment variable. clap
/// merges the two (and fills in defaults), so the command line is parsed again for its
/// `value_source`; only when a context is in play, or `config show` asks.
pub struct Origins(Option<clap::ArgMatches>);

impl Origins {
    fn none() -> Self {
        Self(None)
    }

    pub fn of_this_process() -> Self {
        use clap::CommandFactory;
        let Ok(mut m) = crate::cli::Cli::command().try_get_matches_from(std::env::args_os()) else {
            return Self(None);
        };
        // Global arguments are propagated down: the innermost subcommand's matches hold them all.
        while let Some((_, sub)) = m.remove_subcommand() {
            m = sub;
        }
        Self(Some(m))
    }

    /// Where the value of global argument `id` came from; `None` when it was not given (absent,
    /// or clap's default). Without the matches, a value clap filled in counts as given, from its
    /// variable when that is set.
    pub fn of(&self, id: &str, present: bool, flag: &'static str, var: &'static str) -> Option<Source> {
        use clap::parser::ValueSource;
        match &self.0 {
            Some(m) => match m.value_source(id) {
                Some(ValueSource::CommandLine) => Some(Source::Flag(flag)),
                Some(ValueSource::EnvVariable) => Some(Source::Env(var)),
                _ => None,
            },
            None => present.then(|| {
                if std::env::var_os(var).is_some_and(|v| !v.is_empty()) { Source::Env(var) } else { Source::Flag(flag) }
            }),
        }
    }
}

/// One named target of the config file. Its URLs hold no credentials (refused on load).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    pub name: String,
    /// One URL, or the seed nodes of a cluster.
    pub redis_url: Vec<String>,
    pub tls_ca_cert: Option<PathBuf>,
    pub user: Option<String>,
    pub password_file: Option<PathBuf>,
    pub cluster: Option<bool>,
    pub queue: Option<String>,
    pub profile: Option<Profile>,
}

impl Context {
    /// Its server as shown (its URLs carry no password), or `None` when it names none.
    pub fn server(&self) -> Option<String> {
        (!self.redis_url.is_empty()).then(|| self.redis_url.iter().map(|u| redact_url(u)).collect::<Vec<_>>().join(", "))
    }

    /// The settings it has that belong to its own server (never sent to another one).
    fn server_bound(&self) -> Vec<&'static str> {
        let has = [
            ("user", self.user.is_some()),
            ("password_file", self.password_file.is_some()),
            ("tls_ca_cert", self.tls_ca_cert.is_some()),
            ("cluster", self.cluster.is_some()),
        ];
        has.iter().filter(|(_, h)| *h).map(|(k, _)| *k).collect()
    }
}

/// The config file, parsed and checked: every context valid, no secret, no unknown key.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub text: String,
    pub current: Option<String>,
    /// In the file's order.
    pub contexts: Vec<Context>,
}

impl ConfigFile {
    /// The file at `path`; `None` when there is none.
    pub fn load(path: &Path) -> Result<Option<Self>> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Failure::usage(format!("cannot read the config file {}: {e}", path.display())).into()),
        };
        let text = String::from_utf8(bytes)
            .map_err(|_| Failure::usage(format!("the config file {} is not UTF-8 text", path.display())))?;
        Self::parse(path, text).map(Some)
    }

    /// Parses and checks `text`. Errors name the file, the line and the key, never a value.
    pub fn parse(path: &Path, text: String) -> Result<Self> {
        // A URL with a password in it is refused below without being echoed; remember its
        // secret first, so that no message (a TOML error, say) can carry it either.
        remember_urls_in_file(&text);
        let (current, contexts) = {
            let doc = toml_edit::Document::parse(text.as_str())
                .map_err(|e| file_error(path, &text, e.span(), e.message().trim_end()))?;
            let root = doc.as_table();
            let mut current = None;
            let mut contexts = Vec::new();
            for (key, item) in root.iter() {
                match key {
                    "current" => {
                        let name = item.as_str().filter(|s| !s.is_empty()).ok_or_else(|| {
                            file_error(path, &text, item.span(), "`current` must be the name of a context (a string)")
                        })?;
                        current = Some(name.to_owned());
                    }
                    "contexts" => {
                        let table = item
                            .as_table_like()
                            .ok_or_else(|| file_error(path, &text, item.span(), "`contexts` must be a table: [contexts.NAME]"))?;
                        for (name, item) in table.iter() {
                            let key_span = table.get_key_value(name).and_then(|(k, _)| k.span());
                            contexts.push(parse_context(path, &text, name, item, key_span)?);
                        }
                    }
                    other => {
                        let span = root.get_key_value(other).and_then(|(k, _)| k.span());
                        return Err(file_error(
                            path,
                            &text,
                            span,
                            format!("unknown key {other:?} (the file has `current = \"NAME\"` and [contexts.NAME] tables)"),
                        ));
                    }
                }
            }
            (current, contexts)
        };
        Ok(Self { path: path.to_owned(), text, current, contexts })
    }

    /// The context named `name`, or exit 2 naming the file and the contexts it has.
    pub fn context(&self, name: &str, asked_by: &str) -> Result<&Context> {
        self.contexts.iter().find(|c| c.name == name).ok_or_else(|| {
            Failure::usage(format!(
                "no context {name:?} ({asked_by}) in the config file {}; it has: {}",
                self.path.display(),
                self.names()
            ))
            .into()
        })
    }

    /// The names of its contexts, for messages.
    pub fn names(&self) -> String {
        if self.contexts.is_empty() {
            return "none".to_owned();
        }
        self.contexts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// One context's table, checked key by key.
fn parse_context(
    path: &Path,
    text: &str,
    name: &str,
    item: &toml_edit::Item,
    key_span: Option<std::ops::Range<usize>>,
) -> Result<Context> {
    let here = |span: Option<std::ops::Range<usize>>, msg: String| file_error(path, text, span, msg);
    let table = item.as_table_like().ok_or_else(|| {
        here(
            item.span().or(key_span.clone()),
            format!("context {name:?} must be a table ([contexts.{name}] with redis_url = ..., queue = ...)"),
        )
    })?;
    if name.is_empty() {
        return Err(here(key_span, "a context needs a name: [contexts.NAME]".to_owned()));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut c = Context { name: name.to_owned(), ..Context::default() };
    for (key, value) in table.iter() {
        let span = value.span();
        let string = || {
            value
                .as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| here(span.clone(), format!("{key} of context {name:?} must be a non-empty string")))
        };
        match key {
            "redis_url" => {
                let urls = match value.as_array() {
                    Some(a) => a
                        .iter()
                        .map(|v| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                        .filter(|v| !v.is_empty())
                        .ok_or_else(|| {
                            here(span.clone(), format!("redis_url of context {name:?} must be a URL, or a list of seed URLs"))
                        })?,
                    None => vec![string()?],
                };
                for url in &urls {
                    remember_url(url);
                    if url_has_secret(url) {
                        return Err(here(
                            span,
                            format!(
                                "the redis_url of context {name:?} ({}) carries a password or user name, and the config \
                                 file must hold no secret: put the password in a file named by password_file = \"FILE\" \
                                 (the user in user = \"NAME\"), or in $REDIS_AUTH_TOKEN",
                                redact_url(url)
                            ),
                        ));
                    }
                }
                c.redis_url = urls;
            }
            "tls_ca_cert" => c.tls_ca_cert = Some(file_relative(dir, &string()?)),
            "password_file" => c.password_file = Some(file_relative(dir, &string()?)),
            "user" => c.user = Some(string()?),
            "queue" => c.queue = Some(string()?),
            "cluster" => {
                c.cluster = Some(
                    value.as_bool().ok_or_else(|| here(span, format!("cluster of context {name:?} must be true or false")))?,
                );
            }
            "profile" => {
                let p = string()?;
                let profile = <Profile as clap::ValueEnum>::from_str(&p, false).map_err(|_| {
                    here(span, format!("profile of context {name:?} must be envelope, mint or opaque, not {p:?}"))
                })?;
                c.profile = Some(profile);
            }
            other => {
                let span = table.get_key_value(other).and_then(|(k, _)| k.span());
                return Err(here(
                    span,
                    format!("unknown key {other:?} in context {name:?} (a context has: {})", CONTEXT_KEYS.join(", ")),
                ));
            }
        }
    }
    Ok(c)
}

/// A path of the config file: `~/` is the home directory, a relative path is relative to the
/// file's directory (not to wherever the command runs).
fn file_relative(dir: &Path, p: &str) -> PathBuf {
    if let Some(rest) = p.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty())
    {
        return PathBuf::from(home).join(rest);
    }
    let p = PathBuf::from(p);
    if p.is_absolute() { p } else { dir.join(p) }
}

/// An error about the config file: its path, the line, the message (never the line's text,
/// which may hold a secret).
pub fn file_error(path: &Path, text: &str, span: Option<std::ops::Range<usize>>, msg: impl std::fmt::Display) -> anyhow::Error {
    let at = span.map_or(String::new(), |s| {
        let line = text.as_bytes()[..s.start.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1;
        format!(", line {line}")
    });
    Failure::usage(format!("config file {}{at}: {msg}", path.display())).into()
}

/// Remembers the secrets of every Redis URL written in a file's text (a URL ends at white
/// space or a quote).
fn remember_urls_in_file(text: &str) {
    for scheme in URL_SCHEMES {
        for (i, _) in text.match_indices(scheme) {
            let rest = &text[i..];
            let end = rest.find(|c: char| c.is_whitespace() || c == '"' || c == '\'').unwrap_or(rest.len());
            remember_url(&rest[..end]);
        }
    }
}

/// A context's setting that was not used, and why (for `config show`).
#[derive(Debug, Clone)]
pub struct Unused {
    pub setting: &'static str,
    pub value: String,
    /// Why it was not used; `None`: a flag or variable overrides it.
    pub why: Option<String>,
}

/// The connection and queue settings after layering command-line flag > environment variable >
/// the selected context > built-in default, each with where it came from.
///
/// One refinement keeps secrets with their server: a context's user, password file, TLS CA and
/// cluster setting are used only with its own server. When a flag or the environment names the
/// server instead, they are left out (and a warning says so). Likewise its profile goes with its
/// queue.
#[derive(Debug, Clone)]
pub struct Layered {
    pub config_file: Option<PathBuf>,
    pub file: Option<ConfigFile>,
    pub context: Option<Context>,
    /// How the context was selected: `--context`, `$HOKUSAI_CONTEXT`, the file's `current`, ...
    pub context_via: Option<String>,
    /// The server URLs; empty: `$REDIS_HOST`/`$REDIS_PORT`, or the default.
    pub urls: Vec<String>,
    pub server_src: Source,
    pub cluster: bool,
    pub cluster_src: Source,
    pub password_file: Option<PathBuf>,
    pub password_file_src: Source,
    /// `--user`: must agree with a user in the URL.
    pub flag_user: Option<String>,
    /// The user unless the URL names one: `--user`, `$REDIS_USERNAME`, the context's.
    pub user: Option<String>,
    pub user_src: Source,
    pub tls_ca_cert: Option<PathBuf>,
    pub tls_ca_src: Source,
    pub queue: Option<String>,
    pub queue_src: Source,
    pub profile: Option<Profile>,
    pub profile_src: Source,
    /// What the context said that was not used.
    pub unused: Vec<Unused>,
    /// Warnings for stderr: an environment variable overriding a context's value, a context's
    /// server replaced.
    pub notes: Vec<String>,
}

impl Layered {
    /// Layers `g` (flags and the variables clap reads), the environment and the selected
    /// context. `wanted`: a context named by `config show NAME`, in place of `--context`.
    /// `want_sources`: tell flags from variables even when no context is in play.
    pub fn resolve(
        g: &GlobalArgs,
        env: &dyn Fn(&str) -> Option<String>,
        wanted: Option<&str>,
        want_sources: bool,
    ) -> Result<Self> {
        let config_file = config_path();
        let file = match &config_file {
            Some(p) => ConfigFile::load(p)?,
            None => None,
        };
        let asked = wanted.or(g.context.as_deref().filter(|c| !c.is_empty()));
        let in_play = asked.is_some() || file.as_ref().is_some_and(|f| f.current.is_some());
        let origins = if in_play || want_sources { Origins::of_this_process() } else { Origins::none() };
        let (context, context_via) = select_context(g, wanted, asked, &origins, config_file.as_deref(), file.as_ref())?;
        let ctx = context.as_ref();
        let from_ctx = || Source::Context(ctx.map(|c| c.name.clone()).unwrap_or_default());
        let mut unused = Vec::new();
        let mut notes = Vec::new();

        // The server: --redis-url / $HOKUSAI_REDIS_URL, $REDIS_URL, $REDIS_HOST / $REDIS_PORT,
        // the context's, the default.
        let given_urls: Vec<String> = g.redis_url.iter().filter(|u| !u.is_empty()).cloned().collect();
        let (urls, server_src) = if !given_urls.is_empty() {
            let src = origins.of("redis_url", true, "--redis-url", "HOKUSAI_REDIS_URL");
            (given_urls, src.unwrap_or(Source::Flag("--redis-url")))
        } else if let Some(url) = env("REDIS_URL") {
            (vec![url], Source::Env("REDIS_URL"))
        } else if env("REDIS_HOST").is_some() {
            (vec![], Source::Env("REDIS_HOST"))
        } else if env("REDIS_PORT").is_some() {
            (vec![], Source::Env("REDIS_PORT"))
        } else if let Some(c) = ctx.filter(|c| !c.redis_url.is_empty()) {
            (c.redis_url.clone(), from_ctx())
        } else {
            (vec![], Source::Default)
        };
        // The context's server-bound settings, when its server is the one used (or it names none).
        // Naming the context's own server again (the same URLs by flag or env) keeps them.
        let same_server = ctx.is_some_and(|c| !c.redis_url.is_empty() && c.redis_url == urls);
        let bound = ctx.filter(|c| c.redis_url.is_empty() || server_src.is_context() || same_server);
        if let Some(c) = ctx
            && let Some(server) = c.server()
            && !server_src.is_context()
            && !same_server
        {
            let left_out = c.server_bound();
            let tail = if left_out.is_empty() {
                String::new()
            } else {
                format!("; its {} are not used (they belong to its own server)", left_out.join(", "))
            };
            unused.push(Unused { setting: "server", value: server.clone(), why: None });
            for k in &left_out {
                let why = Some("its server is not used".to_owned());
                unused.push(Unused { setting: k, value: context_value(c, k), why });
            }
            match &server_src {
                Source::Env(var) => notes.push(format!("${var} overrides the server of context {} ({server}){tail}", c.name)),
                Source::Flag(flag) if !left_out.is_empty() => {
                    notes.push(format!("{flag} replaces the server of context {} ({server}){tail}", c.name));
                }
                _ => {}
            }
        }

        let (cluster, cluster_src) = match origins.of("cluster", g.cluster, "--cluster", "HOKUSAI_REDIS_CLUSTER") {
            Some(src) => (g.cluster, src),
            None => match bound.and_then(|c| c.cluster) {
                Some(b) => (b, from_ctx()),
                None => (false, Source::Default),
            },
        };
        let (password_file, password_file_src) = match &g.password_file {
            Some(p) => {
                let src = origins.of("password_file", true, "--password-file", "HOKUSAI_REDIS_PASSWORD_FILE");
                (Some(p.clone()), src.unwrap_or(Source::Flag("--password-file")))
            }
            None => match bound.and_then(|c| c.password_file.clone()) {
                Some(p) => (Some(p), from_ctx()),
                None => (None, Source::Default),
            },
        };
        let flag_user = g.user.clone().filter(|u| !u.is_empty());
        let (user, user_src) = if let Some(u) = &flag_user {
            (Some(u.clone()), Source::Flag("--user"))
        } else if let Some(u) = env("REDIS_USERNAME") {
            (Some(u), Source::Env("REDIS_USERNAME"))
        } else if let Some(u) = bound.and_then(|c| c.user.clone()) {
            (Some(u), from_ctx())
        } else {
            (None, Source::Default)
        };
        let (tls_ca_cert, tls_ca_src) = match &g.tls_ca_cert {
            Some(p) => {
                let src = origins.of("tls_ca_cert", true, "--tls-ca-cert", "HOKUSAI_TLS_CA_CERT");
                (Some(p.clone()), src.unwrap_or(Source::Flag("--tls-ca-cert")))
            }
            None => match bound.and_then(|c| c.tls_ca_cert.clone()) {
                Some(p) => (Some(p), from_ctx()),
                None => (None, Source::Default),
            },
        };
        let (queue, queue_src) = match g.queue.last() {
            Some(q) => {
                (Some(q.clone()), origins.of("queue", true, "--queue", "HOKUSAI_QUEUE").unwrap_or(Source::Flag("--queue")))
            }
            None => match ctx.and_then(|c| c.queue.clone()) {
                Some(q) => (Some(q), from_ctx()),
                None => (None, Source::Default),
            },
        };
        // The context's profile describes its queue: not another one.
        // (Naming the context's own queue again, by flag or env, keeps it.)
        let profile_ctx = ctx.filter(|c| c.queue.is_none() || queue_src.is_context() || c.queue == queue);
        if let Some(c) = ctx
            && let Some(p) = c.profile
            && profile_ctx.is_none()
        {
            let why = Some("its queue is not used".to_owned());
            unused.push(Unused { setting: "profile", value: p.as_str().to_owned(), why });
        }
        let (profile, profile_src) = match g.profile {
            Some(p) => {
                (Some(p), origins.of("profile", true, "--profile", "HOKUSAI_PROFILE").unwrap_or(Source::Flag("--profile")))
            }
            None => match profile_ctx.and_then(|c| c.profile) {
                Some(p) => (Some(p), from_ctx()),
                None => (None, Source::Default),
            },
        };

        // A value of the context that a flag or variable beats: said on stderr for variables
        // (a flag on the command line is plainly meant).
        if let Some(c) = ctx {
            let used: [(&'static str, Option<String>, &Source, bool); 6] = [
                ("cluster", Some(cluster.to_string()), &cluster_src, bound.is_some()),
                ("password_file", password_file.as_ref().map(|p| p.display().to_string()), &password_file_src, bound.is_some()),
                ("user", user.clone(), &user_src, bound.is_some()),
                ("tls_ca_cert", tls_ca_cert.as_ref().map(|p| p.display().to_string()), &tls_ca_src, bound.is_some()),
                ("queue", queue.clone(), &queue_src, true),
                ("profile", profile.map(|p| p.as_str().to_owned()), &profile_src, profile_ctx.is_some()),
            ];
            for (key, value, src, applies) in used {
                let theirs = context_value(c, key);
                if !applies || theirs.is_empty() || src.is_context() {
                    continue;
                }
                unused.push(Unused { setting: key, value: theirs.clone(), why: None });
                if let Source::Env(var) = src
                    && value.as_deref() != Some(theirs.as_str())
                {
                    notes.push(format!("${var} overrides the {key} of context {} ({theirs})", c.name));
                }
            }
        }

        Ok(Self {
            config_file,
            file,
            context,
            context_via,
            urls,
            server_src,
            cluster,
            cluster_src,
            password_file,
            password_file_src,
            flag_user,
            user,
            user_src,
            tls_ca_cert,
            tls_ca_src,
            queue,
            queue_src,
            profile,
            profile_src,
            unused,
            notes,
        })
    }
}

/// A context's value for `key` as shown (empty when it has none).
pub fn context_value(c: &Context, key: &str) -> String {
    let path = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
    match key {
        "server" | "redis_url" => c.server(),
        "tls_ca_cert" => path(&c.tls_ca_cert),
        "password_file" => path(&c.password_file),
        "user" => c.user.clone(),
        "cluster" => c.cluster.map(|b| b.to_string()),
        "queue" => c.queue.clone(),
        "profile" => c.profile.map(|p| p.as_str().to_owned()),
        _ => None,
    }
    .unwrap_or_default()
}

/// The context in use and how it was chosen: `config show NAME`, else `--context` /
/// `$HOKUSAI_CONTEXT`, else the file's `current`, else none.
fn select_context(
    g: &GlobalArgs,
    wanted: Option<&str>,
    asked: Option<&str>,
    origins: &Origins,
    path: Option<&Path>,
    file: Option<&ConfigFile>,
) -> Result<(Option<Context>, Option<String>)> {
    let (name, via) = match asked {
        Some(name) => {
            let via = match (wanted, origins.of("context", g.context.is_some(), "--context", CONTEXT_ENV)) {
                (Some(_), _) => "config show NAME".to_owned(),
                (None, Some(Source::Env(var))) => format!("${var}"),
                (None, _) => "--context".to_owned(),
            };
            (name.to_owned(), via)
        }
        None => match file.and_then(|f| f.current.clone()) {
            Some(name) => (name, "`current` in the config file".to_owned()),
            None => return Ok((None, None)),
        },
    };
    let Some(file) = file else {
        let place = match path {
            Some(p) => format!("there is no config file at {}", p.display()),
            None => format!("no config file can be found (set ${CONFIG_ENV}, or $HOME)"),
        };
        return Err(Failure::usage(format!(
            "context {name:?} is asked for ({via}) but {place}: create it with `hokusai-queue config set {name} --redis-url URL ...`"
        ))
        .into());
    };
    Ok((Some(file.context(&name, &via)?.clone()), Some(via)))
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
