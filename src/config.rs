//! Turns flags and environment into a checked connection target and key set, before any I/O.
//! Owns credential redaction: nothing here ever formats a password.

use std::time::Duration;

use anyhow::Result;
use redis::{ConnectionAddr, ConnectionInfo, IntoConnectionInfo};

use crate::cli::GlobalArgs;
use crate::exit::Failure;
use crate::queue::keys::{KeyOverrides, Keys};

pub const DEFAULT_URL: &str = "redis://127.0.0.1:6379/0";

/// Every secret this process knows, so that [`scrub`] can remove it from any text we print.
static SECRETS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn remember_secret(s: &str) {
    if s.len() >= 3
        && let Ok(mut v) = SECRETS.lock()
    {
        v.push(s.to_owned());
    }
}

/// Replaces every known secret in `text` with `***` (a last line of defence: messages are
/// built without secrets, but a library's error text could echo one).
pub fn scrub(text: &str) -> String {
    let mut out = text.to_owned();
    if let Ok(v) = SECRETS.lock() {
        for s in v.iter() {
            out = out.replace(s.as_str(), "***");
        }
    }
    out
}

/// Where and how to connect. Its `Debug` is hand-written so the password cannot leak.
#[derive(Clone)]
pub struct Target {
    pub info: ConnectionInfo,
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
}

impl Config {
    pub fn from_args(g: &GlobalArgs) -> Result<Self> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let target = resolve_target(g, &env)?;
        if g.queue.is_empty() {
            return Err(Failure::usage("--queue must not be empty").into());
        }
        let overrides = KeyOverrides {
            processing: g.processing_key.clone(),
            dlq: g.dlq_key.clone(),
            pubsub: g.pubsub_channel.clone(),
            leases: g.leases_key.clone(),
            retry: g.retry_key.clone(),
            replays: g.replays_key.clone(),
        };
        Ok(Self { target, keys: Keys::new(&g.queue, &overrides) })
    }
}

fn resolve_target(g: &GlobalArgs, env: &dyn Fn(&str) -> Option<String>) -> Result<Target> {
    let token = env("REDIS_AUTH_TOKEN");
    let url = g.redis_url.clone().filter(|u| !u.is_empty()).or_else(|| env("REDIS_URL"));
    let (mut info, shown) = match url {
        Some(url) => {
            if let Some(secret) = url_secret(&url) {
                remember_secret(&secret);
            }
            let shown = redact_url(&url);
            let info = url.as_str().into_connection_info().map_err(|_| {
                Failure::usage(format!(
                    "the Redis URL {shown} is not valid: expected redis://[user[:password]@]host[:port][/db] or rediss://...; \
                     a password with special characters (# ! & $ ^ < > -) belongs in $REDIS_AUTH_TOKEN, not in the URL"
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
            let shown =
                if token.is_some() { format!("redis://:***@{host}:{port}/0") } else { format!("redis://{host}:{port}/0") };
            (info, shown)
        }
    };
    // A token from the environment is used as is, never pasted into a URL (it may hold '#', '&'...).
    if let Some(token) = token
        && info.redis_settings().password().is_none()
    {
        let settings = info.redis_settings().clone().set_password(token);
        info = info.set_redis_settings(settings);
    }
    if let Some(p) = info.redis_settings().password() {
        remember_secret(p);
    }
    let tcp = redis::io::tcp::TcpSettings::default().set_nodelay(true);
    info = info.set_tcp_settings(tcp);
    Ok(Target {
        info,
        shown,
        connect_timeout: g.connect_timeout,
        command_timeout: g.command_timeout,
        backoff: Backoff { retries: g.connect_retries, base: g.connect_backoff_base, cap: g.connect_backoff_cap },
    })
}

/// The user-info part of a URL that [`redact_url`] hides (the password, or a lone token).
fn url_secret(url: &str) -> Option<String> {
    let start = url.find("://")? + 3;
    let at = url.rfind('@').filter(|&at| at >= start)?;
    let userinfo = &url[start..at];
    Some(userinfo.split_once(':').map_or(userinfo, |(_, p)| p).to_owned())
}

/// Replaces the password of a Redis URL with `***`. Robust to passwords pasted raw (with '@',
/// '/', '#' in them): everything between `scheme://` and the last '@' is user info.
pub fn redact_url(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return if url.contains('@') { "***".into() } else { url.to_owned() };
    };
    let Some(at) = url.rfind('@').filter(|&at| at >= start) else {
        return url.to_owned();
    };
    let userinfo = &url[start..at];
    let user = match userinfo.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        // `redis://secret@host`: the redis crate reads the lone part as a user name, but people
        // paste tokens there; hide it too.
        None => "***".into(),
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
        assert_eq!(url_secret("redis://u:p#w@h").as_deref(), Some("p#w"));
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
