//! `doctor`'s checks: what an on-call engineer would otherwise learn the hard way. Each check
//! reads only (INFO, TYPE, COMMAND INFO, CONFIG GET when allowed) or queues commands inside a
//! MULTI that is then DISCARDed, so nothing is ever written or moved.

use std::collections::HashMap;

use redis::Value;

use super::Queue;
use super::keys::Keys;
use super::message::Element;
use super::mint;
use super::profile::Profile;

/// The oldest Redis the tool supports: LPOS (every move out of processing checks the element
/// is still there) arrived in 6.0.6; SCAN's TYPE filter (depth --all-queues) in 6.0.
pub const MIN_VERSION: (u32, u32, u32) = (6, 0, 6);

/// Every command the tool sends (all subcommands, scripts included): the server must know
/// them all under their own names (`rename-command` would break the tool).
pub const COMMANDS_USED: &[&str] = &[
    "EVALSHA",
    "SCRIPT",
    "TYPE",
    "TIME",
    "LLEN",
    "LRANGE",
    "LINDEX",
    "LPUSH",
    "RPOPLPUSH",
    "BRPOPLPUSH",
    "RPUSH",
    "LREM",
    "LPOS",
    "ZADD",
    "ZREM",
    "ZCARD",
    "ZCOUNT",
    "ZRANGEBYSCORE",
    "ZRANGE",
    "ZSCORE",
    "LSET",
    "LTRIM",
    "HMGET",
    "HSET",
    "HDEL",
    "HINCRBY",
    "ZSCAN",
    "DEL",
    "SET",
    "GET",
    "PUBLISH",
    "WAIT",
    "INFO",
    "PING",
    "SCAN",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
        }
    }
}

/// One line of the report: what was checked, what was found, and how to fix it.
#[derive(Debug, Clone)]
pub struct Check {
    pub name: String,
    pub status: Status,
    pub detail: String,
    pub fix: Option<String>,
}

impl Check {
    fn ok(name: impl Into<String>, detail: impl Into<String>) -> Self {
        Self { name: name.into(), status: Status::Ok, detail: detail.into(), fix: None }
    }
    fn warn(name: impl Into<String>, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self { name: name.into(), status: Status::Warn, detail: detail.into(), fix: Some(fix.into()) }
    }
    fn fail(name: impl Into<String>, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self { name: name.into(), status: Status::Fail, detail: detail.into(), fix: Some(fix.into()) }
    }
}

/// What one subcommand sends, as commands to queue in the permission probe.
pub struct Needs {
    pub subcommand: &'static str,
    /// Whether it writes: a read-only role is expected to lack it (WARN, not FAIL).
    pub writes: bool,
    pub commands: Vec<Vec<String>>,
}

const NO_SHA: &str = "0000000000000000000000000000000000000000";

/// The commands (with the queue's real keys and channel) each subcommand on this branch sends,
/// including those its Lua scripts call: Redis checks a script's calls against the same ACL
/// user. Keep in step with `scripts/*.lua` and the README's ACL rules when adding subcommands.
pub fn needs(k: &Keys) -> Vec<Needs> {
    let c = |parts: &[&str]| parts.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let progress = format!("{}:emit-progress:doctor-probe", k.tool);
    let import = format!("{}:import:doctor-probe", k.tool);
    let mut peek = Vec::new();
    for list in [&k.main, &k.processing, &k.dlq] {
        peek.extend([
            c(&["EVALSHA", NO_SHA, "1", list, "0", "0"]),
            c(&["TYPE", list]),
            c(&["LLEN", list]),
            c(&["LRANGE", list, "0", "0"]),
        ]);
    }
    let holders = k.holders();
    // peek --list processing: each element's lease and its holder.
    peek.extend([
        c(&["SCRIPT", "LOAD", "return 0"]),
        c(&["TIME"]),
        c(&["ZSCORE", &k.leases, "probe"]),
        c(&["HGET", &holders, "probe"]),
    ]);
    vec![
        Needs {
            subcommand: "depth",
            writes: false,
            commands: vec![
                c(&["EVALSHA", NO_SHA, "5", &k.main, &k.processing, &k.dlq, &k.retry, &k.leases]),
                c(&["SCRIPT", "LOAD", "return 0"]),
                c(&["TYPE", &k.main]),
                c(&["TYPE", &k.processing]),
                c(&["TYPE", &k.dlq]),
                c(&["TYPE", &k.retry]),
                c(&["TYPE", &k.leases]),
                c(&["LLEN", &k.main]),
                c(&["LLEN", &k.processing]),
                c(&["LLEN", &k.dlq]),
                c(&["ZCARD", &k.retry]),
                c(&["ZCOUNT", &k.retry, "-inf", "0"]),
                c(&["ZCARD", &k.leases]),
                c(&["LINDEX", &k.main, "-1"]),
                c(&["TIME"]),
                // --watch: where the last frame's head element went.
                c(&["LPOS", &k.main, "probe"]),
                c(&["LINDEX", &k.main, "0"]),
            ],
        },
        Needs { subcommand: "peek", writes: false, commands: peek },
        Needs {
            subcommand: "emit",
            writes: true,
            commands: vec![
                c(&["EVALSHA", NO_SHA, "2", &k.main, &progress, "0"]),
                c(&["SCRIPT", "LOAD", "return 0"]),
                c(&["TYPE", &k.main]),
                c(&["TYPE", &progress]),
                c(&["LPUSH", &k.main, "probe"]),
                c(&["SET", &progress, "0", "EX", "86400"]),
                c(&["PUBLISH", &k.pubsub, "probe"]),
                c(&["LLEN", &k.main]),
                c(&["GET", &progress]),
            ],
        },
        Needs { subcommand: "emit --wait-replicas", writes: true, commands: vec![c(&["WAIT", "0", "0"])] },
        Needs {
            subcommand: "drain",
            writes: true,
            commands: vec![
                c(&["EVALSHA", NO_SHA, "4", &k.main, &k.processing, &k.leases, &k.retry, "0", "0", "0"]),
                c(&["SCRIPT", "LOAD", "return 0"]),
                c(&["TIME"]),
                c(&["TYPE", &k.retry]),
                c(&["RPOPLPUSH", &k.main, &k.processing]),
                c(&["LRANGE", &k.main, "-1", "-1"]),
                c(&["LTRIM", &k.main, "0", "-1"]),
                c(&["LPUSH", &k.processing, "probe"]),
                c(&["LRANGE", &k.processing, "-1", "-1"]),
                c(&["LTRIM", &k.processing, "0", "-1"]),
                c(&["ZADD", &k.leases, "GT", "0", "probe"]),
                c(&["BRPOPLPUSH", &k.main, &k.processing, "0.01"]),
                c(&["ZSCORE", &k.leases, "probe"]),
                c(&["ZADD", &k.leases, "0", "probe"]),
                c(&["LPOS", &k.processing, "probe"]),
                c(&["LREM", &k.processing, "-1", "probe"]),
                c(&["LLEN", &k.processing]),
                c(&["ZREM", &k.leases, "probe"]),
                c(&["ZADD", &k.retry, "0", "probe"]),
                c(&["LPUSH", &k.dlq, "probe"]),
                c(&["RPUSH", &k.main, "probe"]),
                c(&["ZRANGEBYSCORE", &k.retry, "-inf", "0", "LIMIT", "0", "1"]),
                c(&["ZRANGE", &k.retry, "0", "0", "WITHSCORES"]),
                c(&["ZREM", &k.retry, "probe"]),
                c(&["LPUSH", &k.main, "probe"]),
                c(&["TYPE", &holders]),
                c(&["HSET", &holders, "probe", "probe"]),
                c(&["HDEL", &holders, "probe"]),
                // Batched claims into a pipe: one lease per batch, and its record.
                c(&["ZCARD", &k.batch_leases]),
                c(&["ZADD", &k.batch_leases, "0", "probe"]),
                c(&["ZRANGE", &k.batch_leases, "0", "-1", "WITHSCORES"]),
                c(&["ZRANGEBYSCORE", &k.batch_leases, "-inf", "0"]),
                c(&["ZREM", &k.batch_leases, "probe"]),
                c(&["HSET", &k.batches, "probe", "probe"]),
                c(&["HGET", &k.batches, "probe"]),
                c(&["HDEL", &k.batches, "probe"]),
            ],
        },
        Needs {
            subcommand: "dlq list",
            writes: false,
            commands: vec![c(&["LLEN", &k.dlq]), c(&["LRANGE", &k.dlq, "-1", "-1"]), c(&["TIME"])],
        },
        Needs {
            subcommand: "dlq replay",
            writes: true,
            commands: vec![
                c(&["EVALSHA", NO_SHA, "3", &k.dlq, &k.main, &k.replays, "replay"]),
                c(&["SCRIPT", "LOAD", "return 0"]),
                c(&["TIME"]),
                c(&["TYPE", &k.dlq]),
                c(&["TYPE", &k.main]),
                c(&["TYPE", &k.replays]),
                c(&["LLEN", &k.dlq]),
                c(&["LRANGE", &k.dlq, "-1", "-1"]),
                c(&["LINDEX", &k.dlq, "-1"]),
                c(&["LPOS", &k.dlq, "probe", "RANK", "-1"]),
                c(&["HMGET", &k.replays, "probe"]),
                c(&["LPUSH", &k.main, "probe"]),
                c(&["HSET", &k.replays, "probe", "1"]),
                c(&["LTRIM", &k.dlq, "0", "-1"]),
                c(&["LSET", &k.dlq, "0", "probe"]),
                c(&["LREM", &k.dlq, "-1", "probe"]),
            ],
        },
        Needs {
            subcommand: "dlq purge",
            writes: true,
            commands: vec![
                c(&["EVALSHA", NO_SHA, "3", &k.dlq, &k.dlq, &k.dlq, "delete"]),
                c(&["TYPE", &k.dlq]),
                c(&["SET", &format!("{}:purge:doctor-probe", k.tool), "1:", "EX", "86400"]),
                c(&["LLEN", &k.dlq]),
                c(&["LRANGE", &k.dlq, "-1", "-1"]),
                c(&["LINDEX", &k.dlq, "-1"]),
                c(&["LPOS", &k.dlq, "probe", "RANK", "-1"]),
                c(&["LTRIM", &k.dlq, "0", "-1"]),
                c(&["LSET", &k.dlq, "0", "probe"]),
                c(&["LREM", &k.dlq, "-1", "probe"]),
            ],
        },
        Needs {
            subcommand: "dlq import",
            writes: true,
            commands: vec![
                c(&["EVALSHA", NO_SHA, "2", &k.dlq, &import, "0"]),
                c(&["TYPE", &k.dlq]),
                c(&["LPOS", &k.dlq, "probe", "COUNT", "0"]),
                c(&["GET", &import]),
                c(&["LPUSH", &k.dlq, "probe"]),
                c(&["SET", &import, "0", "EX", "86400"]),
            ],
        },
        Needs {
            subcommand: "reap-stale",
            writes: true,
            commands: vec![
                c(&["EVALSHA", NO_SHA, "2", &k.processing, &k.leases, "0"]),
                c(&["SCRIPT", "LOAD", "return 0"]),
                c(&["TIME"]),
                c(&["TYPE", &k.processing]),
                c(&["LLEN", &k.processing]),
                c(&["LRANGE", &k.processing, "0", "0"]),
                c(&["ZSCORE", &k.leases, "probe"]),
                c(&["ZADD", &k.leases, "NX", "0", "probe"]),
                c(&["ZRANGE", &k.leases, "0", "-1"]),
                c(&["ZREM", &k.leases, "probe"]),
                c(&["LPOS", &k.processing, "probe"]),
                c(&["LREM", &k.processing, "1", "probe"]),
                c(&["RPUSH", &k.main, "probe"]),
                c(&["LPUSH", &k.dlq, "probe"]),
                c(&["ZRANGEBYSCORE", &k.retry, "-inf", "0", "LIMIT", "0", "1"]),
                c(&["ZREM", &k.retry, "probe"]),
                c(&["LPUSH", &k.main, "probe"]),
                c(&["TYPE", &holders]),
                c(&["HLEN", &holders]),
                c(&["HKEYS", &holders]),
                c(&["HDEL", &holders, "probe"]),
                // The clean-up of clocks left on a processing list over 1000 elements long.
                c(&["ZSCAN", &k.leases, "0", "COUNT", "1"]),
            ],
        },
        Needs {
            subcommand: "migrate",
            writes: true,
            commands: vec![
                c(&["HINCRBY", &format!("{}:migrate:acked", k.tool), "probe", "0"]),
                c(&["HMGET", &format!("{}:migrate:acked", k.tool), "probe"]),
                c(&["HSET", &format!("{}:migrate:received", k.tool), "probe", "1"]),
                c(&["HDEL", &format!("{}:migrate:received", k.tool), "probe"]),
                c(&["SET", &format!("{}:migrate:run", k.tool), "probe", "NX"]),
                c(&["GET", &format!("{}:migrate:run", k.tool)]),
                c(&["DEL", &format!("{}:migrate:run", k.tool)]),
            ],
        },
    ]
}

/// `"7.0.15"` -> (7, 0, 15); missing parts count as 0.
pub fn parse_version(s: &str) -> Option<(u32, u32, u32)> {
    let mut it = s.trim().split('.').map(|p| p.parse::<u32>());
    let major = it.next()?.ok()?;
    let minor = it.next().unwrap_or(Ok(0)).ok()?;
    let patch = it.next().unwrap_or(Ok(0)).ok()?;
    Some((major, minor, patch))
}

/// `INFO section` as a map of its `name:value` lines.
fn parse_info(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// A redis error as one short line for the report (never a password: nothing here has one).
fn said(e: &redis::RedisError) -> String {
    let text = match (e.code(), e.detail()) {
        (Some(code), Some(detail)) => format!("{code} {detail}"),
        _ => e.to_string(),
    };
    text.lines().next().unwrap_or_default().replace("this user has no permissions", "no permission").to_owned()
}

/// How to point the tool elsewhere for a key of this role (main has no flag of its own: it is
/// the queue name).
fn key_flag(role: &str) -> String {
    match role {
        "main" => "point --queue elsewhere".to_owned(),
        "record_prefix" => "set --record-prefix".to_owned(),
        r => format!("point --queue or --{}-key elsewhere", r.replace('_', "-")),
    }
}

/// The same rule as `retry_member_ok` in prelude.lua: what this profile's promotion moves.
pub(crate) fn retry_member_ok(profile: Profile, m: &[u8]) -> bool {
    match profile {
        Profile::Mint => m.first() == Some(&b'{') && serde_json::from_slice::<serde_json::Value>(m).is_ok_and(|v| v.is_object()),
        _ => m.len() > 32 && m[..32].iter().all(u8::is_ascii_hexdigit) && m[32] == b':',
    }
}

impl Queue {
    /// Runs every check and returns the report; never fails (a check that cannot run says so).
    pub fn doctor(&mut self) -> Vec<Check> {
        let mut report = Vec::new();
        report.push(self.check_server());
        report.push(self.check_commands());
        report.push(self.check_profile());
        report.extend(self.check_key_types());
        report.extend(self.check_contents());
        report.push(self.check_persistence());
        report.push(self.check_eviction());
        report.push(self.check_replication());
        report.extend(self.check_permissions());
        if let Some(c) = self.check_cluster_slots() {
            report.push(c);
        }
        report
    }

    fn info(&mut self, section: &str) -> Result<HashMap<String, String>, redis::RedisError> {
        let text: String = redis::cmd("INFO").arg(section).query(&mut self.con)?;
        Ok(parse_info(&text))
    }

    /// `CONFIG GET name`, or None when CONFIG is not allowed (ElastiCache, ACL) or unknown.
    fn config_get(&mut self, name: &str) -> Option<String> {
        let v: Vec<String> = redis::cmd("CONFIG").arg("GET").arg(name).query(&mut self.con).ok()?;
        v.get(1).cloned()
    }

    fn check_server(&mut self) -> Check {
        let name = "server";
        let at = self.endpoint();
        if let Err(e) = redis::cmd("PING").query::<String>(&mut self.con) {
            return Check::fail(
                name,
                format!("{at} does not answer PING: {}", said(&e)),
                "check the URL, the network and the ACL user (+ping)",
            );
        }
        let version = match self.info("server") {
            Ok(i) => i.get("redis_version").cloned().unwrap_or_default(),
            Err(e) => {
                return Check::warn(
                    name,
                    format!("{at} answers, but INFO is refused: {}", said(&e)),
                    "grant +info to read the version",
                );
            }
        };
        let (a, b, c) = MIN_VERSION;
        match parse_version(&version) {
            Some(v) if v >= MIN_VERSION => Check::ok(name, format!("Redis {version} answers at {at} (>= {a}.{b}.{c})")),
            Some(_) => Check::fail(
                name,
                format!("Redis {version} at {at} is older than {a}.{b}.{c}: LPOS needs 6.0.6"),
                format!("upgrade the server to Redis {a}.{b} or later"),
            ),
            None => Check::warn(
                name,
                format!("{at} answers, but reports an unreadable version {version:?}"),
                "check that this is Redis 6.0.6 or later",
            ),
        }
    }

    fn check_commands(&mut self) -> Check {
        let name = "commands";
        let mut cmd = redis::cmd("COMMAND");
        cmd.arg("INFO");
        for c in COMMANDS_USED {
            cmd.arg(*c);
        }
        let reply: Vec<Value> = match cmd.query(&mut self.con) {
            Ok(v) => v,
            Err(e) => {
                return Check::warn(
                    name,
                    format!("cannot list the server's commands (COMMAND INFO: {})", said(&e)),
                    "grant +command to let doctor check them",
                );
            }
        };
        let missing: Vec<&str> =
            COMMANDS_USED.iter().zip(reply.iter()).filter(|(_, v)| matches!(v, Value::Nil)).map(|(c, _)| *c).collect();
        if missing.is_empty() {
            Check::ok(name, format!("all {} commands the tool sends are available", COMMANDS_USED.len()))
        } else {
            Check::fail(
                name,
                format!("the server does not know {} (renamed or disabled with rename-command?)", missing.join(", ")),
                "remove the rename-command lines for these from redis.conf, or upgrade Redis",
            )
        }
    }

    /// Which discipline the queue is read with, and which keys are shared with a peer.
    fn check_profile(&mut self) -> Check {
        let k = &self.keys;
        let shared: Vec<&str> = k.data_keys().iter().filter(|(_, key, _)| !k.is_own(key)).map(|(role, _, _)| *role).collect();
        let detail = format!(
            "profile {} for {} (shared with its peers: {}; the tool's own keys: {}:*)",
            k.profile,
            k.main,
            shared.join(", "),
            k.tool
        );
        match k.profile {
            Profile::Opaque => Check::warn(
                "profile",
                detail,
                "an opaque queue is read and moved as exact bytes only; if it is the platform's or the deployer's \
                 queue under another name, say so with --profile envelope|mint",
            ),
            _ => Check::ok("profile", detail),
        }
    }

    /// Samples the shared keys for elements in a format their owner does not read: members of
    /// the retry set no promotion of this profile would understand (left in place by the
    /// scripts), and main-list elements the profile's consumers would reject.
    fn check_contents(&mut self) -> Vec<Check> {
        let mut out = Vec::new();
        let k = self.keys.clone();
        match redis::cmd("ZRANGE").arg(&k.retry).arg(0).arg(999).query::<Vec<Vec<u8>>>(&mut self.con) {
            Ok(members) => {
                let foreign: Vec<&Vec<u8>> = members.iter().filter(|m| !retry_member_ok(k.profile, m)).collect();
                let format = match k.profile {
                    Profile::Mint => "a whole MintRequest JSON object, as the deployer writes it",
                    _ => "the tool's own: a 32-hex nonce, ':', then the element",
                };
                if foreign.is_empty() {
                    out.push(Check::ok("retry members", format!("{} members of {} read, all {format}", members.len(), k.retry)));
                } else {
                    let sample = crate::output::display_bytes(&foreign[0][..foreign[0].len().min(80)]);
                    out.push(Check::warn(
                        "retry members",
                        format!(
                            "{} of the first {} members of {} are not {format} (e.g. {sample:?}): they are left in place, \
                             never promoted by this tool",
                            foreign.len(),
                            members.len(),
                            k.retry
                        ),
                        "find out who wrote them (another tool, another profile, a hand-made member) before removing any",
                    ));
                }
            }
            Err(e) if e.code() == Some("WRONGTYPE") => {} // said by the key-type check
            Err(e) => out.push(Check::warn("retry members", format!("cannot read {}: {}", k.retry, said(&e)), "grant +zrange")),
        }
        if k.profile == Profile::Envelope {
            // Keys of the tool's own from before profiles: pending retries there are never
            // promoted until moved (README: Upgrading).
            let legacy: Vec<String> = ["retry", "replays", "leases"]
                .iter()
                .map(|s| format!("{}:{s}", k.queue))
                .filter(|key| redis::cmd("EXISTS").arg(key).query::<i64>(&mut self.con).unwrap_or(0) > 0)
                .collect();
            if !legacy.is_empty() {
                out.push(Check::warn(
                    "old tool keys",
                    format!("{} exist: the tool's keys before profiles, now under {}:*", legacy.join(", "), k.tool),
                    "move them once, with no drain running (README: Profiles, Upgrading); pending retries in the old \
                     retry set are not promoted until then",
                ));
            }
        }
        if k.profile == Profile::Opaque {
            return out;
        }
        match redis::cmd("LRANGE").arg(&k.main).arg(-100).arg(-1).query::<Vec<Vec<u8>>>(&mut self.con) {
            Ok(els) => {
                let bad: Vec<String> = els
                    .iter()
                    .filter_map(|raw| match k.profile {
                        Profile::Mint => mint::parse_and_validate(raw).err().map(|r| r.reason()),
                        _ => Element::parse(raw.clone()).unusable_reason(),
                    })
                    .collect();
                if bad.is_empty() {
                    out.push(Check::ok(
                        "main contents",
                        format!("the {} oldest elements of {} are {} messages", els.len(), k.main, k.profile),
                    ));
                } else {
                    out.push(Check::warn(
                        "main contents",
                        format!(
                            "{} of the {} oldest elements of {} would be dead-lettered by a {} consumer (e.g. {})",
                            bad.len(),
                            els.len(),
                            k.main,
                            k.profile,
                            bad[0]
                        ),
                        "look at them with `hokusai-queue peek`; a queue of another discipline needs --profile",
                    ));
                }
            }
            Err(e) if e.code() == Some("WRONGTYPE") => {}
            Err(e) => out.push(Check::warn("main contents", format!("cannot read {}: {}", k.main, said(&e)), "grant +lrange")),
        }
        out
    }

    fn check_key_types(&mut self) -> Vec<Check> {
        let keys: Vec<(&str, String, &str)> =
            self.keys.data_keys().iter().map(|(role, key, want)| (*role, key.to_string(), *want)).collect();
        keys.into_iter()
            .map(|(role, key, want)| {
                let name = format!("key {role}");
                match redis::cmd("TYPE").arg(&key).query::<String>(&mut self.con) {
                    Ok(t) if t == "none" => {
                        Check::ok(name, format!("{key} does not exist yet (created as a {want} on first use)"))
                    }
                    Ok(t) if t == want => Check::ok(name, format!("{key} is a {want}")),
                    Ok(t) => Check::fail(
                        name,
                        format!("{key} holds a {t}, expected a {want}: every command on this queue will fail"),
                        format!("another program uses this name: {}, or remove {key} once you know what it is", key_flag(role)),
                    ),
                    Err(e) => Check::fail(
                        name,
                        format!("cannot read the type of {key}: {}", said(&e)),
                        "grant +type on the queue's keys",
                    ),
                }
            })
            .collect()
    }

    fn check_persistence(&mut self) -> Check {
        let name = "persistence";
        let info = match self.info("persistence") {
            Ok(i) => i,
            Err(e) => return Check::warn(name, format!("cannot read INFO persistence: {}", said(&e)), "grant +info"),
        };
        let conf_fix =
            "set `appendonly yes` and `appendfsync everysec` in redis.conf (see deploy/redis.conf), or CONFIG SET appendonly yes";
        for (field, what) in
            [("aof_last_write_status", "the last AOF write"), ("rdb_last_bgsave_status", "the last RDB snapshot")]
        {
            if info.get(field).is_some_and(|s| s != "ok") {
                return Check::fail(
                    name,
                    format!("{what} failed ({field}:{}): writes may not be persisted", info[field]),
                    "check the server log and the disk (space, permissions)",
                );
            }
        }
        if info.get("aof_enabled").map(String::as_str) == Some("1") {
            return match self.config_get("appendfsync") {
                Some(f) if f == "no" => Check::warn(
                    name,
                    "AOF is on but appendfsync is `no`: the OS decides when writes reach the disk",
                    "CONFIG SET appendfsync everysec (or always)",
                ),
                Some(f) => Check::ok(name, format!("AOF on (appendfsync {f})")),
                None => Check::ok(name, "AOF on"),
            };
        }
        match self.config_get("save") {
            Some(s) if s.trim().is_empty() => {
                Check::fail(name, "no persistence (AOF off, no RDB save points): a restart empties every queue", conf_fix)
            }
            Some(s) => Check::warn(
                name,
                format!("RDB snapshots only (save {s}): a crash loses every message pushed since the last snapshot"),
                conf_fix,
            ),
            None => Check::warn(
                name,
                "AOF is off and the RDB save points cannot be read (CONFIG GET is not allowed here)",
                "on ElastiCache rely on replicas and backups, or enable AOF where the engine allows it; elsewhere: appendonly yes",
            ),
        }
    }

    fn check_eviction(&mut self) -> Check {
        let name = "maxmemory-policy";
        let info = match self.info("memory") {
            Ok(i) => i,
            Err(e) => return Check::warn(name, format!("cannot read INFO memory: {}", said(&e)), "grant +info"),
        };
        let policy = info.get("maxmemory_policy").cloned().or_else(|| self.config_get("maxmemory-policy")).unwrap_or_default();
        match policy.as_str() {
            "noeviction" => Check::ok(name, "noeviction: when memory is full writes fail loudly; no key is dropped"),
            "" => Check::warn(name, "the eviction policy cannot be read", "make sure maxmemory-policy is noeviction"),
            p => {
                let limit = info.get("maxmemory").map_or("unknown", String::as_str);
                let now = if limit == "0" { " (no maxmemory limit is set now, so nothing is evicted yet)" } else { "" };
                Check::warn(
                    name,
                    format!("{p}: when memory runs out Redis silently deletes keys, queue lists included{now}"),
                    "CONFIG SET maxmemory-policy noeviction (ElastiCache: in the parameter group), and keep it in redis.conf",
                )
            }
        }
    }

    fn check_replication(&mut self) -> Check {
        let name = "replication";
        let info = match self.info("replication") {
            Ok(i) => i,
            Err(e) => return Check::warn(name, format!("cannot read INFO replication: {}", said(&e)), "grant +info"),
        };
        if info.get("role").map(String::as_str) == Some("slave") {
            let primary = format!(
                "{}:{}",
                info.get("master_host").map_or("?", String::as_str),
                info.get("master_port").map_or("?", String::as_str)
            );
            return Check::fail(
                name,
                format!("this server is a read-only replica of {primary}: emit and every other writer fail with READONLY"),
                "point --redis-url at the primary (ElastiCache: the primary endpoint)",
            );
        }
        let connected: usize = info.get("connected_slaves").and_then(|n| n.parse().ok()).unwrap_or(0);
        if connected == 0 {
            return Check::warn(
                name,
                "no replica is connected: losing this server loses the queue, and --wait-replicas cannot be met",
                "add a replica (ElastiCache: a replica node with Multi-AZ)",
            );
        }
        let lagging: Vec<String> = (0..connected)
            .filter_map(|i| info.get(&format!("slave{i}")))
            .filter(|line| {
                let field = |k: &str| line.split(',').find_map(|kv| kv.strip_prefix(&format!("{k}="))).unwrap_or("");
                field("state") != "online" || field("lag").parse::<u64>().map_or(true, |lag| lag > 10)
            })
            .cloned()
            .collect();
        if lagging.is_empty() {
            Check::ok(name, format!("{connected} replica(s) connected and online"))
        } else {
            Check::warn(
                name,
                format!("{connected} replica(s), but not all online and current: {}", lagging.join("; ")),
                "check the replicas' logs and network; --wait-replicas will time out meanwhile",
            )
        }
    }

    /// Permission probe: each subcommand's commands queued in a MULTI that is then DISCARDed.
    /// Redis checks ACLs (command, keys, channels) when it queues a command, so a denied one
    /// answers NOPERM at once and nothing is ever executed. (`ACL DRYRUN` would do the same but
    /// needs admin rights; `ACL GETUSER` too.)
    fn check_permissions(&mut self) -> Vec<Check> {
        let user: String = redis::cmd("ACL").arg("WHOAMI").query(&mut self.con).unwrap_or_else(|_| "?".into());
        let needs = needs(&self.keys);
        let mut report = Vec::new();
        for need in needs {
            let name = format!("acl {}", need.subcommand);
            if let Err(e) = redis::cmd("MULTI").query::<()>(&mut self.con) {
                report.push(Check::warn(
                    name,
                    format!("cannot probe permissions of user {user}: MULTI refused ({})", said(&e)),
                    "grant +multi +discard (harmless: doctor queues commands and discards them), or check the ACL by hand",
                ));
                continue;
            }
            let mut denied = Vec::new();
            for parts in &need.commands {
                let mut cmd = redis::cmd(&parts[0]);
                for p in &parts[1..] {
                    cmd.arg(p);
                }
                if let Err(e) = cmd.query::<Value>(&mut self.con) {
                    // The command and the key or channel it was refused on, if any.
                    let target = parts[1..].iter().find(|p| p.contains(&self.keys.queue) || **p == self.keys.pubsub);
                    let shown = target.map_or(parts[0].clone(), |t| format!("{} {t}", parts[0]));
                    denied.push(format!("{shown} ({})", said(&e)));
                }
            }
            let _ = redis::cmd("DISCARD").query::<()>(&mut self.con);
            denied.dedup();
            report.push(if denied.is_empty() {
                Check::ok(name, format!("user {user} may run {}", need.subcommand))
            } else {
                let detail = format!("user {user} may not run {}: {}", need.subcommand, denied.join("; "));
                let fix = "grant the operator role (README: Production, ACL roles)";
                if need.writes {
                    Check::warn(name, format!("{detail} (expected for a read-only role)"), fix)
                } else {
                    Check::fail(name, detail, fix)
                }
            });
        }
        report
    }

    /// In cluster mode, multi-key scripts need every key of the queue in one hash slot.
    fn check_cluster_slots(&mut self) -> Option<Check> {
        let info = self.info("cluster").ok()?;
        if info.get("cluster_enabled").map(String::as_str) != Some("1") {
            return None;
        }
        let name = "cluster slots";
        let keys: Vec<String> = self.keys.data_keys().iter().map(|(_, k, _)| k.to_string()).collect();
        let mut slots = Vec::new();
        for key in &keys {
            match redis::cmd("CLUSTER").arg("KEYSLOT").arg(key).query::<u64>(&mut self.con) {
                Ok(s) => slots.push(s),
                Err(e) => {
                    return Some(Check::warn(name, format!("cannot compute key slots: {}", said(&e)), "grant +cluster|keyslot"));
                }
            }
        }
        let mut distinct = slots.clone();
        distinct.sort_unstable();
        distinct.dedup();
        Some(if distinct.len() == 1 {
            Check::ok(name, format!("all {} queue keys share slot {}", keys.len(), distinct[0]))
        } else {
            Check::fail(
                name,
                format!("the queue's keys fall in {} different slots: its scripts fail with CROSSSLOT", distinct.len()),
                format!("use a hash-tagged queue name such as {{{}}} (every derived key then shares its slot)", self.keys.queue),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_version("7.0.15"), Some((7, 0, 15)));
        assert_eq!(parse_version("6.2"), Some((6, 2, 0)));
        assert!(parse_version("6.0.5").unwrap() < MIN_VERSION);
        assert!(parse_version("6.0.6").unwrap() >= MIN_VERSION);
        assert!(parse_version("6.2.0").unwrap() >= MIN_VERSION);
        assert_eq!(parse_version("x"), None);
    }

    #[test]
    fn info_lines() {
        let i = parse_info("# Server\r\nredis_version:7.0.15\r\nrole:master\r\n");
        assert_eq!(i["redis_version"], "7.0.15");
        assert_eq!(i["role"], "master");
    }
}
