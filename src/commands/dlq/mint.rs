//! `dlq list | inspect | replay | discard | purge` for the mint profile: the contract deployer's
//! dead letters (`shared/mint-wire-format.md` sections 4, 5 and 7), read and acted on as its
//! official DLQ tool does, with what that tool lacks: bulk selection, dry runs, pacing,
//! confirmation, and an atomic step per entry that acts only when it removed the exact entry.
//!
//! Entries are read oldest first, like the envelope DLQ, and each also carries the official
//! index (`#0` = the newest), computed from the length read with it in the same atomic step.
//! Indexes shift with every new dead letter (section 7.9): `replay` and `discard` select by
//! content (filters), never by index, and remove the exact bytes they read.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use super::{Pace, confirm};
use crate::cli::{DlqCommand, DlqFilter, DlqInspectArgs, DlqListArgs, DlqReplayArgs, DlqWriteArgs, OutputFormat};
use crate::commands::ensure_replicated;
use crate::config::Config;
use crate::exit::{Failure, Quiet};
use crate::output;
use crate::queue::Queue;
use crate::queue::keys::slot;
use crate::queue::message::{now_naive_iso, parse_timestamp};
use crate::queue::mint::{self, DeployerEntry, FailureTag, Original};
use crate::queue::mint_dlq::{MintDiscard, MintReplay, MintReplayed};
use crate::signals::Interrupts;
use crate::ui;

/// Entries read per round trip.
const PAGE: usize = 1000;
/// Rows a list table shows when no --limit is given.
const TABLE_ROWS: u64 = 100;
/// Per-entry lines a replay / discard report keeps (the counts are always complete).
const LINES_KEPT: usize = 10_000;
/// Per-entry lines a table report shows.
const LINES_SHOWN: usize = 100;

pub fn run(cfg: &Config, cmd: &DlqCommand, format: OutputFormat) -> Result<()> {
    match cmd {
        DlqCommand::List(a) => list(cfg, a, format),
        DlqCommand::Inspect(a) => inspect(cfg, a, format),
        DlqCommand::Replay(a) => replay(cfg, a, format),
        DlqCommand::Discard(a) => {
            let r = Removal { filter: &a.filter, reason: a.reason.as_deref(), export: a.export.as_deref(), write: &a.write };
            remove(cfg, r, "discard", format)
        }
        DlqCommand::Purge(a) => {
            let r = Removal { filter: &a.filter, reason: a.reason.as_deref(), export: a.export.as_deref(), write: &a.write };
            remove(cfg, r, "purge", format)
        }
        DlqCommand::Import(a) => super::import::run(cfg, a, format),
    }
}

// ---- one entry ------------------------------------------------------------------------------

/// One dead-letter entry as read, with the deployer's lenient parse.
struct MintEntry {
    /// Index from the oldest end when read (0 = the oldest, the first a replay takes).
    position: u64,
    /// The official tool's index when read (0 = the newest).
    index: u64,
    raw: Vec<u8>,
    /// `Some` when the entry is a JSON object with a string `reason` (or the deployment flow's
    /// `error`-only shape, which the official tool still counts as unparseable).
    parsed: Option<DeployerEntry>,
}

impl MintEntry {
    fn new(position: u64, len: u64, raw: Vec<u8>) -> Self {
        let parsed = mint::parse_entry(&raw);
        Self { position, index: len.saturating_sub(position + 1), raw, parsed }
    }

    /// Whether the official tool can parse it (a JSON object with a string `reason`).
    fn parseable(&self) -> bool {
        self.parsed.as_ref().is_some_and(|p| p.has_reason)
    }

    /// The failure tag, as the official tool shows it (unparseable entries: schema_reject).
    fn tag(&self) -> FailureTag {
        match &self.parsed {
            Some(p) if p.has_reason => FailureTag::classify(&p.reason),
            _ => FailureTag::SchemaReject,
        }
    }

    /// `originalMessage` when it is an object (read leniently, whatever the entry's shape).
    fn request(&self) -> Option<&Value> {
        match self.parsed.as_ref().map(|p| &p.original) {
            Some(Original::Object(v)) => Some(v),
            _ => None,
        }
    }

    fn field(&self, k: &str) -> Option<&str> {
        self.request().and_then(|r| r.get(k)).and_then(Value::as_str)
    }

    fn key(&self) -> Option<&str> {
        self.field("idempotency_key")
    }

    fn message_id(&self) -> Option<&str> {
        self.field("message_id")
    }

    fn reason(&self) -> Option<&str> {
        self.parsed.as_ref().map(|p| p.reason.as_str())
    }

    /// The entry as text (node-redis reads it as UTF-8, invalid bytes as U+FFFD).
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.raw).into_owned()
    }

    /// Seconds since it was dead-lettered (its `timestamp`), on the server's clock.
    fn age_seconds(&self, now_ms: i64) -> Option<f64> {
        let ts = self.parsed.as_ref()?.timestamp.as_ref()?;
        let t = parse_timestamp(&Value::String(ts.clone()))?;
        Some((now_ms as f64 / 1000.0 - t).max(0.0))
    }

    fn security(&self) -> bool {
        self.tag() == FailureTag::SignerNotAttester
    }

    /// The tag as the tables show it (`SECURITY signer_not_attester`).
    fn tag_cell(&self) -> String {
        if self.security() { format!("SECURITY {}", self.tag().as_str()) } else { self.tag().as_str().to_owned() }
    }

    /// Whether every filter holds (the limit is the caller's business).
    fn matches(&self, f: &DlqFilter, now_ms: i64) -> bool {
        if !f.classes.is_empty() && !f.classes.contains(&self.tag()) {
            return false;
        }
        if !f.ids.is_empty() {
            let hit = |v: Option<&str>| v.is_some_and(|v| f.ids.iter().any(|x| x == v));
            if !hit(self.key()) && !hit(self.message_id()) {
                return false;
            }
        }
        if let Some(text) = &f.error {
            let needle = text.to_lowercase();
            let p = self.parsed.as_ref();
            let hit = |s: Option<&String>| s.is_some_and(|s| s.to_lowercase().contains(&needle));
            if !hit(p.map(|p| &p.reason)) && !hit(p.and_then(|p| p.error.as_ref())) {
                return false;
            }
        }
        if f.older_than.is_some() || f.newer_than.is_some() {
            let Some(age) = self.age_seconds(now_ms) else { return false };
            if f.older_than.is_some_and(|d| age <= d.as_secs_f64()) || f.newer_than.is_some_and(|d| age >= d.as_secs_f64()) {
                return false;
            }
        }
        if !f.matches.is_empty() {
            let Some(request) = self.request() else { return false };
            // Values given for one key are alternatives; different keys must all hold.
            let mut keys: Vec<&str> = f.matches.iter().map(|(k, _)| k.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            for key in keys {
                let field = lookup(request, key);
                if !f.matches.iter().filter(|(k, _)| k == key).any(|(_, want)| field.is_some_and(|v| value_equals(v, want))) {
                    return false;
                }
            }
        }
        true
    }

    /// The official tool's summary (`list --json`): `id, index, idempotencyKey, modelId,
    /// rewardHint, failureTag, ageHours, retryCount, securitySensitive` (request fields are
    /// read only from entries it can parse).
    fn summary(&self, now_ms: i64) -> Value {
        let request = if self.parseable() { self.request() } else { None };
        let text = |k: &str| request.and_then(|r| r.get(k)).and_then(Value::as_str);
        let reward = request.and_then(|r| r.pointer("/evaluation/actual_cost_usd_micro")).and_then(|v| match v {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        });
        let retry = request.and_then(|r| r.get("_retryCount")).filter(|v| v.is_number()).cloned();
        let age_hours = if self.parseable() { self.age_seconds(now_ms).map(|s| s / 3600.0) } else { None };
        json!({
            "id": format!("#{}", self.index),
            "index": self.index,
            "idempotencyKey": text("idempotency_key"),
            "modelId": text("model_id"),
            "rewardHint": reward,
            "failureTag": self.tag().as_str(),
            "ageHours": age_hours,
            "retryCount": retry,
            "securitySensitive": self.security(),
        })
    }

    /// The `list -o json` object: the official summary, then the tool's own fields.
    fn list_json(&self, now_ms: i64) -> Value {
        let mut v = self.summary(now_ms);
        let p = self.parsed.as_ref();
        v["position"] = json!(self.position);
        v["parseable"] = json!(self.parseable());
        v["failureClass"] = json!(p.and_then(|p| p.failure_class.clone()));
        v["reason"] = json!(p.map(|p| p.reason.clone()));
        v["timestamp"] = json!(p.and_then(|p| p.timestamp.clone()));
        v["queue"] = json!(p.and_then(|p| p.queue.clone()));
        v["request"] = self.request().map_or(Value::Null, |r| output::mint_fields(r, now_ms));
        add_raw(&mut v, "entry", &self.raw);
        v
    }
}

/// The exact bytes under `name` (text, `\xNN` for invalid bytes) and, when they are not UTF-8,
/// under `<name>_base64`.
fn add_raw(v: &mut Value, name: &str, raw: &[u8]) {
    v[name] = Value::String(output::display_bytes(raw));
    if std::str::from_utf8(raw).is_err() {
        use base64::Engine;
        v[format!("{name}_base64")] = Value::String(base64::engine::general_purpose::STANDARD.encode(raw));
    }
}

/// A dotted path into a JSON object: `evaluation.metric_name`.
fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(x) = v.get(path) {
        return Some(x);
    }
    path.split('.').try_fold(v, |cur, part| match cur {
        Value::Array(items) => part.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => cur.get(part),
    })
}

/// A string compares as text; a number, boolean or null by value (`7000` matches `7000.0`).
fn value_equals(v: &Value, want: &str) -> bool {
    match v {
        Value::String(s) => s == want,
        Value::Number(n) => match (n.as_f64(), want.trim().parse::<f64>()) {
            (Some(a), Ok(b)) => a == b,
            _ => n.to_string() == want,
        },
        Value::Bool(b) => want.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
        Value::Null => want == "null",
        other => serde_json::from_str::<Value>(want).is_ok_and(|w| &w == other),
    }
}

fn shorten(s: &str, max: usize) -> String {
    let one_line = s.replace(['\n', '\r'], " ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let mut t: String = one_line.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

fn dash(s: Option<&str>) -> String {
    s.map_or_else(|| "-".to_owned(), str::to_owned)
}

/// Flags of the envelope profile that mean nothing here: refused, not ignored.
fn check_filter(f: &DlqFilter) -> Result<()> {
    if f.shape.is_some() {
        return Err(Failure::usage(
            "--shape is for the envelope profile; the mint profile's entries are told apart by their failure tag (--class)",
        )
        .into());
    }
    Ok(())
}

/// Every key a script touches must share a slot on a cluster.
fn check_slots(cfg: &Config, keys: &[&str]) -> Result<()> {
    if cfg.target.cluster.is_none() {
        return Ok(());
    }
    let first = slot(keys[0]);
    if let Some(other) = keys.iter().find(|k| slot(k) != first) {
        return Err(Failure::usage(format!(
            "{other} hashes to cluster slot {}, {} to slot {first}: the mint DLQ's keys move together in one step and must \
             share a slot (give them one {{hash tag}}: --queue, --dlq-key, --audit-key, --processed-key)",
            slot(other),
            keys[0]
        ))
        .into());
    }
    Ok(())
}

/// Who the audit records name: `$USER`, else `unknown` (as the official tool does).
fn operator() -> String {
    std::env::var("USER").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| "unknown".to_owned())
}

fn is_json(format: OutputFormat) -> bool {
    matches!(format, OutputFormat::Json | OutputFormat::Jsonl)
}

fn print_doc(v: &Value, format: OutputFormat) -> Result<()> {
    if format == OutputFormat::Json {
        output::json(v)?
    } else {
        output::line(&v.to_string())?
    }
    Ok(())
}

// ---- list -----------------------------------------------------------------------------------

fn list(cfg: &Config, args: &DlqListArgs, format: OutputFormat) -> Result<()> {
    check_filter(&args.filter)?;
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    let json = is_json(format);
    let limit = args.filter.limit.or(if json { None } else { Some(TABLE_ROWS) });
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let jsonl = format == OutputFormat::Jsonl;
    let mut header =
        vec!["position", "index", "idempotency_key", "model_id", "failure_tag", "failureClass", "reason", "age", "_retryCount"];
    if output::wide() {
        header.extend(["message_id", "deadline", "bytes"]);
    }
    let width = if output::wide() { usize::MAX } else { 48 };
    let mut t = output::table(&header);
    let (mut shown, mut offset, mut len, mut scanned) = (0u64, 0u64, 0u64, 0u64);
    if json && !jsonl {
        out.write_all(b"[")?;
    }
    'pages: loop {
        let page = q.mint_dlq_read(false, offset, PAGE)?;
        if offset == 0 {
            len = page.len;
        }
        let n = page.entries.len() as u64;
        for (i, raw) in page.entries.into_iter().enumerate() {
            if limit == Some(shown) {
                break 'pages;
            }
            scanned += 1;
            let e = MintEntry::new(offset + i as u64, page.len, raw);
            if !e.matches(&args.filter, page.now_ms) {
                continue;
            }
            if json {
                if !jsonl {
                    out.write_all(if shown == 0 { b"\n  " } else { b",\n  " })?;
                }
                serde_json::to_writer(&mut out, &e.list_json(page.now_ms))?;
                if jsonl {
                    out.write_all(b"\n")?;
                }
            } else {
                let p = e.parsed.as_ref();
                t.add_row(vec![
                    e.position.to_string(),
                    format!("#{}", e.index),
                    dash(e.key()),
                    dash(e.field("model_id")),
                    e.tag_cell(),
                    dash(p.and_then(|p| p.failure_class.as_deref())),
                    e.reason().map_or_else(|| shorten(&output::display_bytes(&e.raw), width), |r| shorten(r, width)),
                    output::human_age(e.age_seconds(page.now_ms)),
                    e.request().and_then(|r| r.get("_retryCount")).map_or_else(|| "-".to_owned(), Value::to_string),
                ]);
                if output::wide() {
                    let last = t.row_count() - 1;
                    if let Some(row) = t.row_mut(last) {
                        row.add_cell(dash(e.message_id()).into());
                        row.add_cell(
                            e.request().and_then(|r| r.get("deadline")).map_or_else(|| "-".to_owned(), Value::to_string).into(),
                        );
                        row.add_cell(e.raw.len().to_string().into());
                    }
                }
            }
            shown += 1;
        }
        offset += n;
        if n < PAGE as u64 {
            break;
        }
    }
    if json {
        if !jsonl {
            out.write_all(if shown == 0 { b"]\n" } else { b"\n]\n" })?;
        }
        out.flush()?;
        return Ok(());
    }
    drop(out);
    let dlq = &q.keys.dlq;
    if shown == 0 {
        let f = &args.filter;
        let unfiltered = f.ids.is_empty()
            && f.matches.is_empty()
            && f.error.is_none()
            && f.older_than.is_none()
            && f.newer_than.is_none()
            && f.classes.is_empty();
        let what = if unfiltered { "is empty" } else { "has no entry matching these filters" };
        output::note(&format!("{dlq} {what} ({len} entries)"))?;
        output::note(&crate::config::caption(cfg))?;
        return Ok(());
    }
    output::print_table(&t)?;
    let more =
        if args.filter.limit.is_none() && shown == TABLE_ROWS && scanned < len { "; --limit N or -o jsonl for more" } else { "" };
    output::note(&format!(
        "{shown} shown of {len} entries in {dlq} (oldest first; index #0 is the newest, as `npm run dlq -- list` numbers them){more}"
    ))?;
    output::note(&crate::config::caption(cfg))?;
    Ok(())
}

// ---- replay checks --------------------------------------------------------------------------

/// Why an entry stays: a stable code (JSON, counts) and the sentence for people.
type Refusal = (&'static str, String);

/// A request that passed the checks that need nothing but its bytes.
struct Ready {
    /// What goes onto the inbound list: the validator's converted message, `_retryCount`
    /// dropped, compact (the official replay's payload).
    payload: Vec<u8>,
    key: String,
    deadline: Option<i64>,
    /// The entry's own reason (the replay audit record's `reason`).
    reason: String,
}

/// The checks on the entry alone, in the official tool's order (plus outcome_unknown).
fn static_check(e: &MintEntry, confirm_not_minted: bool) -> Result<Ready, Refusal> {
    let Some(p) = e.parsed.as_ref().filter(|p| p.has_reason) else {
        return Err((
            "unparseable",
            "the entry is not a dead letter the official tool can parse (a JSON object with a string reason): \
             nothing to replay; `dlq discard` archives it"
                .into(),
        ));
    };
    let Original::Object(original) = &p.original else {
        return Err((
            "not_an_object",
            "originalMessage is not a JSON object (the deployer could not parse the message): nothing to replay; \
             `dlq discard` archives it"
                .into(),
        ));
    };
    if e.tag() == FailureTag::SignerNotAttester {
        return Err((
            "signer_not_attester",
            "security event (SignerNotAttester): never replayed, whatever the flags; follow the security runbook".into(),
        ));
    }
    if let Err(violations) = mint::validate(original) {
        return Err(("schema", format!("Schema validation failed: {}", mint::joi_reason(&violations))));
    }
    if e.tag() == FailureTag::OutcomeUnknown && !confirm_not_minted {
        return Err((
            "outcome_unknown",
            "the transaction's outcome is unknown: it may have minted; check processedIdempotencyKeys on-chain, then \
             replay with --confirm-not-minted"
                .into(),
        ));
    }
    let normalised = mint::normalise(original);
    let key = normalised.get("idempotency_key").and_then(Value::as_str).unwrap_or_default().to_owned();
    let deadline = normalised.get("deadline").and_then(Value::as_i64);
    Ok(Ready { payload: mint::replay_payload(&normalised), key, deadline, reason: p.reason.clone() })
}

/// The checks against the deployer's state (the processed set, the server's clock).
fn gate(r: &Ready, processed: bool, now_ms: i64, force: bool, processed_set: &str) -> Result<(), Refusal> {
    if force {
        return Ok(());
    }
    if processed {
        return Err((
            "processed",
            format!(
                "{} is in {processed_set}: the request settled (the deployer would drop a replay silently); --force \
                 replays it anyway",
                r.key
            ),
        ));
    }
    if let Some(d) = r.deadline.filter(|d| d.saturating_mul(1000) <= now_ms) {
        return Err(("deadline_passed", deadline_passed(d)));
    }
    Ok(())
}

fn deadline_passed(d: i64) -> String {
    format!(
        "its deadline {d} ({}) has passed: the contract would revert SignatureExpired; --force replays it anyway",
        mint::iso_ms(d.saturating_mul(1000))
    )
}

// ---- inspect --------------------------------------------------------------------------------

/// `#n` or `n`: the official index.
fn parse_index(id: &str) -> Option<u64> {
    let digits = id.strip_prefix('#').unwrap_or(id);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok()).flatten()
}

fn inspect(cfg: &Config, args: &DlqInspectArgs, format: OutputFormat) -> Result<()> {
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    let dlq = q.keys.dlq.clone();
    let id = args.id.trim();
    if id.is_empty() {
        return Err(Failure::usage("dlq inspect needs an ID: #n (0 = the newest), an idempotency key or a message_id").into());
    }
    let (e, len, now_ms) = if let Some(i) = parse_index(id) {
        let page = q.mint_dlq_read(true, i, 1)?;
        let Some(raw) = page.entries.into_iter().next() else {
            return Err(Failure::failed(format!("no entry #{i}: {dlq} holds {} entries (#0 is the newest)", page.len)).into());
        };
        (MintEntry::new(page.len.saturating_sub(i + 1), page.len, raw), page.len, page.now_ms)
    } else {
        let (mut found, mut offset, mut len, mut now_ms) = (Vec::new(), 0u64, 0u64, 0i64);
        loop {
            let page = q.mint_dlq_read(false, offset, PAGE)?;
            if offset == 0 {
                (len, now_ms) = (page.len, page.now_ms);
            }
            let n = page.entries.len() as u64;
            for (i, raw) in page.entries.into_iter().enumerate() {
                let e = MintEntry::new(offset + i as u64, page.len, raw);
                if e.key() == Some(id) || e.message_id() == Some(id) {
                    found.push(e);
                }
            }
            offset += n;
            if n < PAGE as u64 {
                break;
            }
        }
        if found.len() > 1 {
            // Newest first, as the official tool lists them.
            found.reverse();
            let ids: Vec<String> = found.iter().map(|e| format!("#{}", e.index)).collect();
            if is_json(format) {
                print_doc(&Value::Array(found.iter().map(|e| e.list_json(now_ms)).collect()), format)?;
            } else {
                let mut t = output::table(&["index", "message_id", "failure_tag", "reason", "age"]);
                for e in &found {
                    t.add_row(vec![
                        format!("#{}", e.index),
                        dash(e.message_id()),
                        e.tag_cell(),
                        shorten(e.reason().unwrap_or("-"), 48),
                        output::human_age(e.age_seconds(now_ms)),
                    ]);
                }
                output::print_table(&t)?;
            }
            return Err(Failure::failed(format!(
                "{} entries in {dlq} match {id}: {}; inspect one by its index (e.g. `dlq inspect '{}'`)",
                found.len(),
                ids.join(", "),
                ids[0]
            ))
            .into());
        }
        let Some(e) = found.pop() else {
            return Err(Failure::failed(format!("no entry in {dlq} has the idempotency key or message_id {id}")).into());
        };
        (e, len, now_ms)
    };

    let key = e.key().map(str::to_owned);
    let record = match &key {
        Some(k) => q.mint_record(k)?,
        None => None,
    };
    let processed = match &key {
        Some(k) => q.mint_processed(&[k.as_str()])?.first().copied(),
        None => None,
    };
    let deadline = e.request().and_then(|r| r.get("deadline")).and_then(Value::as_i64);
    let deadline_passed = deadline.map(|d| d.saturating_mul(1000) <= now_ms);
    let validity = e.request().map(|r| mint::validate(r).map_err(|v| mint::joi_reason(&v)));
    let processed_set = q.keys.processed.clone();
    let verdict = |force: bool, confirm: bool| {
        static_check(&e, confirm).and_then(|r| gate(&r, processed.unwrap_or(false), now_ms, force, &processed_set).map(|()| r))
    };
    let plain = verdict(false, false);
    let allowed_with: Option<Vec<&str>> = match &plain {
        Ok(_) => None,
        Err(_) => [
            (vec!["--confirm-not-minted"], false, true),
            (vec!["--force"], true, false),
            (vec!["--force", "--confirm-not-minted"], true, true),
        ]
        .into_iter()
        .find(|(_, force, confirm)| verdict(*force, *confirm).is_ok())
        .map(|(flags, _, _)| flags),
    };
    let payload = verdict(true, true).ok().map(|r| String::from_utf8_lossy(&r.payload).into_owned());
    let p = e.parsed.as_ref();
    let record_value =
        record.as_ref().map(|r| serde_json::from_slice::<Value>(r).unwrap_or_else(|_| json!(output::display_bytes(r))));
    let entry_value = serde_json::from_slice::<Value>(&e.raw).unwrap_or_else(|_| json!(output::display_bytes(&e.raw)));
    let record_key = key.as_ref().map(|k| format!("{}{k}", q.keys.record_prefix));

    if is_json(format) {
        let mut v = json!({
            "id": format!("#{}", e.index),
            "index": e.index,
            "position": e.position,
            "dlq": dlq,
            "dlq_length": len,
            "failureTag": e.tag().as_str(),
            "securitySensitive": e.security(),
            "parseable": e.parseable(),
            "entry": entry_value,
            "reason": p.map(|p| p.reason.clone()),
            "failureClass": p.and_then(|p| p.failure_class.clone()),
            "timestamp": p.and_then(|p| p.timestamp.clone()),
            "ageHours": e.age_seconds(now_ms).map(|s| s / 3600.0),
            "request": e.request().map_or(Value::Null, |r| output::mint_fields(r, now_ms)),
            "record_key": record_key,
            "record": record_value,
            "processed": processed,
            "deadline": deadline,
            "deadline_passed": deadline_passed,
            "valid": validity.as_ref().map(Result::is_ok),
            "problem": validity.as_ref().and_then(|v| v.as_ref().err().cloned()),
            "replay": {
                "allowed": plain.is_ok(),
                "refused": plain.as_ref().err().map(|(c, _)| *c),
                "why": plain.as_ref().err().map(|(_, w)| w.clone()),
                "allowed_with": allowed_with,
                "payload": payload,
            },
        });
        add_raw(&mut v, "entry_raw", &e.raw);
        return print_doc(&v, format);
    }

    if e.security() {
        output::line(
            "SECURITY signer_not_attester: a signature from a signer that is not an attester. This is a security event: \
             never replay it; follow the security runbook.",
        )?;
    }
    output::line(&format!("entry #{} (position {} from the oldest) of {len} in {dlq}", e.index, e.position))?;
    let mut t = output::table(&["field", "value"]);
    let mut row = |k: &str, v: String| {
        t.add_row(vec![k.to_owned(), v]);
    };
    row("failure tag", e.tag_cell());
    if !e.parseable() {
        row("parseable", "no: the official tool shows it as schema_reject and cannot replay it".into());
    }
    row("failureClass", dash(p.and_then(|p| p.failure_class.as_deref())));
    row("reason", dash(p.map(|p| p.reason.as_str())));
    row(
        "dead-lettered",
        match p.and_then(|p| p.timestamp.as_deref()) {
            Some(ts) => format!("{ts} ({} ago)", output::human_age(e.age_seconds(now_ms))),
            None => "-".into(),
        },
    );
    row("idempotency_key", dash(key.as_deref()));
    row("message_id", dash(e.message_id()));
    row(
        "model",
        match (e.field("model_id"), e.field("model_id_uint")) {
            (None, None) => "-".into(),
            (m, u) => format!("{} ({})", dash(m), dash(u)),
        },
    );
    row("_retryCount", e.request().and_then(|r| r.get("_retryCount")).map_or_else(|| "-".to_owned(), Value::to_string));
    row(
        "deadline",
        match deadline {
            Some(d) => format!(
                "{d} ({}; {})",
                mint::iso_ms(d.saturating_mul(1000)),
                if deadline_passed == Some(true) { "passed" } else { "not passed" }
            ),
            None => "-".into(),
        },
    );
    row(
        "valid",
        match &validity {
            Some(Ok(())) => "yes (the deployer's validator accepts the request)".into(),
            Some(Err(why)) => format!("no: {why}"),
            None => "no request object".into(),
        },
    );
    row(
        "processed",
        match processed {
            Some(true) => format!("yes: in {} (it settled)", q.keys.processed),
            Some(false) => format!("no (not in {})", q.keys.processed),
            None => "-".into(),
        },
    );
    row(
        "mint record",
        match (&record_key, &record) {
            (Some(k), Some(r)) => format!("{k}: {}", output::display_bytes(r)),
            (Some(k), None) => format!("{k}: none"),
            _ => "-".into(),
        },
    );
    row(
        "replay",
        match (&plain, &allowed_with) {
            (Ok(_), _) => format!("allowed: onto {} without _retryCount, audited", q.keys.main),
            (Err((_, why)), Some(flags)) => format!("refused without {}: {why}", flags.join(" ")),
            (Err((_, why)), None) => format!("refused: {why}"),
        },
    );
    output::print_table(&t)?;
    output::line("entry:")?;
    output::line(&match serde_json::from_slice::<Value>(&e.raw) {
        Ok(v) => serde_json::to_string_pretty(&v).expect("a Value serialises"),
        Err(_) => output::display_bytes(&e.raw),
    })?;
    Ok(())
}

// ---- sweeps: replay and discard ---------------------------------------------------------------

/// What a sweep decided for one matching entry before acting.
enum Verdict<P> {
    Act(P),
    Refuse(&'static str, String),
}

/// What acting did with one entry.
enum Acted {
    Done,
    Gone,
    Refused(&'static str, String),
}

/// One entry's line in a replay / discard report.
struct Line {
    /// The pass that saw it (reports list entries by pass, then oldest first).
    pass: u32,
    index: u64,
    position: u64,
    key: Option<String>,
    message_id: Option<String>,
    tag: FailureTag,
    outcome: &'static str,
    refused: Option<&'static str>,
    why: Option<String>,
}

impl Line {
    fn json(&self) -> Value {
        let mut v = json!({
            "index": self.index,
            "position": self.position,
            "idempotency_key": self.key,
            "message_id": self.message_id,
            "failure_tag": self.tag.as_str(),
            "outcome": self.outcome,
        });
        if let Some(code) = self.refused {
            v["refused"] = json!(code);
            v["why"] = json!(self.why);
        }
        v
    }
}

/// How a sweep went.
#[derive(Default)]
struct Tally {
    /// The DLQ's length when the sweep began.
    len: u64,
    /// Stopped at --limit.
    limit_reached: bool,
    /// What the summary can say of what it did not reach (see [`super::Rest`]).
    rest: super::Rest,
    matched: u64,
    /// Replayed / discarded (or, in a dry run, would be).
    done: u64,
    gone: u64,
    refusals: BTreeMap<&'static str, u64>,
    lines: Vec<Line>,
    /// Lines not kept beyond [`LINES_KEPT`].
    lines_dropped: u64,
    /// Entries refused by an earlier pass (not reported twice), by SHA-1.
    refused_before: HashSet<[u8; 20]>,
    refused_now: HashSet<[u8; 20]>,
    /// Entries written to the export file.
    exported: u64,
    /// The pass running now.
    pass: u32,
}

impl Tally {
    fn line(&mut self, e: &MintEntry, outcome: &'static str, refused: Option<(&'static str, String)>) {
        if self.lines.len() >= LINES_KEPT {
            self.lines_dropped += 1;
            return;
        }
        let (refused, why) = match refused {
            Some((c, w)) => (Some(c), Some(w)),
            None => (None, None),
        };
        self.lines.push(Line {
            pass: self.pass,
            index: e.index,
            position: e.position,
            key: e.key().map(str::to_owned),
            message_id: e.message_id().map(str::to_owned),
            tag: e.tag(),
            outcome,
            refused,
            why,
        });
    }

    /// Records a refusal; false when an earlier pass reported this entry already.
    fn refuse(&mut self, e: &MintEntry, code: &'static str, why: String) -> bool {
        let digest = sha1_smol::Sha1::from(&e.raw).digest().bytes();
        if self.refused_before.contains(&digest) {
            return false;
        }
        self.refused_now.insert(digest);
        *self.refusals.entry(code).or_default() += 1;
        self.line(e, "refused", Some((code, why)));
        true
    }

    fn refused(&self) -> u64 {
        self.refusals.values().sum()
    }

    /// The lines in the order the sweep met the entries (refusals are known before the batch
    /// around them runs).
    fn sort_lines(&mut self) {
        self.lines.sort_by_key(|l| (l.pass, l.position));
    }
}

/// How a sweep runs.
struct Sweeper<'a> {
    dry: bool,
    /// Entries per script call.
    batch: usize,
    pace: &'a Pace,
    stop: &'a dyn Fn() -> bool,
    bar: &'a indicatif::ProgressBar,
    /// The outcome words of the report: (done, dry run).
    words: (&'static str, &'static str),
}

type Plan<'a, P> = dyn FnMut(&mut Queue, &[MintEntry], i64) -> Result<Vec<Verdict<P>>> + 'a;
type Act<'a, P> = dyn FnMut(&mut Queue, &[(u64, &MintEntry, &P)]) -> Result<(Vec<Acted>, bool)> + 'a;

/// Walks the DLQ from its oldest end: matching entries are planned page by page, and those to
/// act on go in batches, one atomic script call each. Another client removing entries meanwhile
/// can slide some past the cursor: the DLQ is then gone over again (three passes at most),
/// refusals reported once.
fn sweep<P>(
    q: &mut Queue,
    filter: &DlqFilter,
    s: &Sweeper<'_>,
    tally: &mut Tally,
    plan: &mut Plan<'_, P>,
    act: &mut Act<'_, P>,
) -> Result<()> {
    let mut left = filter.limit;
    for pass in 1..=3 {
        tally.pass = pass;
        let disturbed = sweep_pass(q, filter, s, tally, &mut left, pass, plan, act)?;
        let now: Vec<[u8; 20]> = tally.refused_now.drain().collect();
        tally.refused_before.extend(now);
        if !disturbed || s.dry || (s.stop)() || left == Some(0) {
            break;
        }
    }
    tally.limit_reached = left == Some(0);
    Ok(())
}

/// After a sweep that stopped early: at --limit, how many matching entries are left (one
/// read-only pass, abandoned on a further signal); interrupted, the DLQ's length.
/// Best effort, as [`super::Rest::find`]: the operation is done whatever this finds.
fn find_rest(q: &mut Queue, filter: &DlqFilter, tally: &mut Tally, interrupted: bool, stop: &dyn Fn() -> bool) {
    if interrupted {
        tally.rest.interrupted_left = q.mint_dlq_read(false, 0, 0).ok().map(|p| p.len);
    } else if tally.limit_reached {
        let mut offset = 0u64;
        let mut n = 0u64;
        tally.rest.limit = Some(loop {
            if stop() || offset > super::REST_SCAN_MAX {
                break None;
            }
            let Ok(page) = q.mint_dlq_read(false, offset, PAGE) else { break None };
            let got = page.entries.len() as u64;
            let now = page.now_ms;
            n += page
                .entries
                .into_iter()
                .enumerate()
                .filter(|(i, raw)| MintEntry::new(offset + *i as u64, page.len, raw.clone()).matches(filter, now))
                .count() as u64;
            offset += got;
            if got < PAGE as u64 {
                break Some(n);
            }
        });
    }
}

#[allow(clippy::too_many_arguments)]
fn sweep_pass<P>(
    q: &mut Queue,
    filter: &DlqFilter,
    s: &Sweeper<'_>,
    tally: &mut Tally,
    left: &mut Option<u64>,
    pass: u32,
    plan: &mut Plan<'_, P>,
    act: &mut Act<'_, P>,
) -> Result<bool> {
    let mut offset = 0u64;
    let mut disturbed = false;
    loop {
        if (s.stop)() || *left == Some(0) {
            return Ok(disturbed);
        }
        let page = q.mint_dlq_read(false, offset, PAGE)?;
        if pass == 1 && offset == 0 {
            tally.len = page.len;
            s.bar.set_length(page.len);
        }
        let n = page.entries.len() as u64;
        let now = page.now_ms;
        let entries: Vec<MintEntry> = page
            .entries
            .into_iter()
            .enumerate()
            .map(|(i, raw)| MintEntry::new(offset + i as u64, page.len, raw))
            .filter(|e| e.matches(filter, now))
            .collect();
        let verdicts = plan(q, &entries, now)?;
        // Entries this page's batches removed: the later ones' positions drop by as many.
        let mut removed = 0u64;
        let mut batch: Vec<(&MintEntry, P)> = Vec::new();
        let mut stopped = false;
        for (e, v) in entries.iter().zip(verdicts) {
            if *left == Some(0) {
                stopped = true;
                break;
            }
            match v {
                Verdict::Refuse(code, why) => {
                    if tally.refuse(e, code, why) || pass == 1 {
                        tally.matched += 1;
                    }
                }
                Verdict::Act(p) => {
                    tally.matched += 1;
                    if let Some(l) = left.as_mut() {
                        *l -= 1;
                    }
                    batch.push((e, p));
                    if batch.len() >= s.batch {
                        let (r, d) = flush(q, s, tally, &mut batch, removed, act)?;
                        removed += r;
                        disturbed |= d;
                        if (s.stop)() {
                            stopped = true;
                            break;
                        }
                    }
                }
            }
        }
        let (r, d) = flush(q, s, tally, &mut batch, removed, act)?;
        removed += r;
        disturbed |= d;
        s.bar.inc(n);
        if stopped || n < PAGE as u64 {
            return Ok(disturbed);
        }
        offset = offset + n - removed;
    }
}

/// Acts on a batch (nothing in a dry run). Returns how many entries it removed and whether
/// the list had moved under it.
fn flush<P>(
    q: &mut Queue,
    s: &Sweeper<'_>,
    tally: &mut Tally,
    batch: &mut Vec<(&MintEntry, P)>,
    removed_before: u64,
    act: &mut Act<'_, P>,
) -> Result<(u64, bool)> {
    if batch.is_empty() {
        return Ok((0, false));
    }
    let items = std::mem::take(batch);
    if s.dry {
        for (e, _) in &items {
            tally.done += 1;
            tally.line(e, s.words.1, None);
        }
        return Ok((0, false));
    }
    let calls: Vec<(u64, &MintEntry, &P)> =
        items.iter().map(|(e, p)| (e.position.saturating_sub(removed_before), *e, p)).collect();
    let (outcomes, undisturbed) = act(q, &calls)?;
    let mut removed = 0;
    let mut disturbed = !undisturbed;
    for ((e, _), o) in items.iter().zip(outcomes) {
        match o {
            Acted::Done => {
                removed += 1;
                tally.done += 1;
                tally.line(e, s.words.0, None);
            }
            Acted::Gone => {
                disturbed = true;
                tally.gone += 1;
                tally.line(e, "gone", None);
            }
            Acted::Refused(code, why) => {
                tally.refuse(e, code, why);
            }
        }
    }
    s.pace.after(tally.done);
    Ok((removed, disturbed))
}

// ---- replay ---------------------------------------------------------------------------------

/// Up to how many requests (inbound, processing, retry together) a replay reads to find keys
/// already queued.
const QUEUED_CHECK_MAX: u64 = 100_000;

fn replay(cfg: &Config, args: &DlqReplayArgs, format: OutputFormat) -> Result<()> {
    check_filter(&args.filter)?;
    let keys = &cfg.keys;
    let not_here = |flag: &str, why: &str| -> Result<()> {
        Err(Failure::usage(format!("{flag} is not for the mint profile: {why}")).into())
    };
    if args.to.is_some() {
        not_here("--to", &format!("a mint request goes back onto {}, the deployer's inbound list", keys.main))?;
    }
    if args.keep_retry_count {
        not_here("--keep-retry-count", "a replay drops _retryCount, as the official tool's does, so the retry budget restarts")?;
    }
    if args.include_raw {
        not_here("--include-raw", "only requests the deployer's validator accepts are replayed")?;
    }
    if args.max_replays.is_some() {
        not_here(
            "--max-replays",
            &format!(
                "the deployer's DLQ keeps no replay count; {} records each replay (one request per key per run)",
                keys.audit
            ),
        )?;
    }
    check_slots(cfg, &[keys.dlq.as_str(), &keys.main, &keys.audit, &keys.processed])?;
    let mut q = Queue::connect(&cfg.target, keys.clone())?;
    let operator = operator();
    let processed_set = keys.processed.clone();
    let (force, confirm_not_minted) = (args.force, args.confirm_not_minted);
    // One request per idempotency key per run: two dead letters of the same key (a request
    // dead-lettered twice) would both go back, and the second mint would revert on-chain. The
    // official CLI refuses an ambiguous key; here the first entry swept (the oldest) goes back and the
    // others are refused (a later run, once that one settled or failed again, may send the next).
    // Cleared before each sweep (the confirmation's count is a sweep too).
    let seen = std::cell::RefCell::new(std::collections::HashSet::<String>::new());
    // Nor one whose key is already waiting or in flight (a replay run before that one settled):
    // read once per run, up to QUEUED_CHECK_MAX requests.
    let queued = if force { None } else { q.mint_keys_queued(QUEUED_CHECK_MAX)? };
    if queued.is_none() && !force {
        eprintln!(
            "hokusai-queue: note: {}, {} and {} hold over {QUEUED_CHECK_MAX} requests: not checked for keys already queued",
            keys.main, keys.processing, keys.retry
        );
    }
    let queued = queued.unwrap_or_default();
    let (main_key, processing_key, retry_key) = (keys.main.clone(), keys.processing.clone(), keys.retry.clone());
    let mut plan = |q: &mut Queue, entries: &[MintEntry], now_ms: i64| -> Result<Vec<Verdict<Ready>>> {
        let statics: Vec<Result<Ready, Refusal>> = entries.iter().map(|e| static_check(e, confirm_not_minted)).collect();
        let keys: Vec<&str> = statics.iter().filter_map(|r| r.as_ref().ok().map(|r| r.key.as_str())).collect();
        let mut processed = q.mint_processed(&keys)?.into_iter();
        let mut seen = seen.borrow_mut();
        Ok(statics
            .into_iter()
            .map(|r| match r {
                Err((code, why)) => Verdict::Refuse(code, why),
                Ok(ready) => match gate(&ready, processed.next().unwrap_or(false), now_ms, force, &processed_set) {
                    Ok(()) if !ready.key.is_empty() && queued.contains(&ready.key) => Verdict::Refuse(
                        "queued",
                        format!(
                            "a request with idempotency key {} is already in {main_key}, {processing_key} or {retry_key}: \
                             replaying this one too would mint twice (the second reverts on-chain); replay it once that \
                             one settled or failed, or --force",
                            ready.key
                        ),
                    ),
                    Ok(()) if !ready.key.is_empty() && !seen.insert(ready.key.clone()) => Verdict::Refuse(
                        "duplicate_key",
                        format!(
                            "another dead letter of {} goes back in this run: one request per key (replay this one after \
                             that one settled, or discard it)",
                            ready.key
                        ),
                    ),
                    Ok(()) => Verdict::Act(ready),
                    Err((code, why)) => Verdict::Refuse(code, why),
                },
            })
            .collect())
    };
    let processed_set = keys.processed.clone();
    let mut act = |q: &mut Queue, items: &[(u64, &MintEntry, &Ready)]| -> Result<(Vec<Acted>, bool)> {
        let at = mint::iso_ms(q.server_time_ms()?);
        let records: Vec<Vec<u8>> = items
            .iter()
            .map(|(_, e, r)| mint::audit_record("replay", Some(&r.key), &operator, &r.reason, &e.text(), &at))
            .collect();
        let batch: Vec<MintReplay<'_>> = items
            .iter()
            .zip(&records)
            .map(|((hint, e, r), record)| MintReplay {
                hint: *hint,
                entry: &e.raw,
                payload: &r.payload,
                record,
                key: Some(r.key.as_str()).filter(|k| !k.is_empty()),
                deadline: r.deadline,
            })
            .collect();
        let (outcomes, undisturbed) = q.mint_dlq_replay(&batch, force)?;
        let acted = outcomes
            .into_iter()
            .zip(items)
            .map(|(o, (_, _, r))| match o {
                MintReplayed::Replayed => Acted::Done,
                MintReplayed::Gone => Acted::Gone,
                MintReplayed::Processed => Acted::Refused(
                    "processed",
                    format!("{} is in {processed_set}: it settled meanwhile; --force replays it anyway", r.key),
                ),
                MintReplayed::DeadlinePassed => Acted::Refused("deadline_passed", deadline_passed(r.deadline.unwrap_or(0))),
            })
            .collect();
        Ok((acted, undisturbed))
    };

    let what = format!("replay mint dead letters from {} onto {}", keys.dlq, keys.main);
    let stop_never = || false;
    let hidden = indicatif::ProgressBar::hidden();
    let pace_none = Pace::new(None);
    let ok = confirm(&args.write, &what, || {
        let s = Sweeper { dry: true, batch: 1000, pace: &pace_none, stop: &stop_never, bar: &hidden, words: ("", "") };
        let mut t = Tally::default();
        sweep(&mut q, &args.filter, &s, &mut t, &mut plan, &mut act)?;
        Ok(t.done)
    })?;
    if !ok {
        return Err(super::not_confirmed("nothing was replayed"));
    }
    seen.borrow_mut().clear();
    let interrupts = Interrupts::install()?;
    let stop = || interrupts.count() > 0;
    let pace = Pace::new(args.write.rate);
    let bar = ui::progress(0, "replaying");
    let s = Sweeper {
        dry: args.write.dry_run,
        batch: pace.batch(args.write.batch_size),
        pace: &pace,
        stop: &stop,
        bar: &bar,
        words: ("replayed", "would_replay"),
    };
    let mut tally = Tally::default();
    let result = sweep(&mut q, &args.filter, &s, &mut tally, &mut plan, &mut act);
    tally.sort_lines();
    bar.finish_and_clear();
    let interrupted = interrupts.count() > 0;
    if result.is_ok() {
        find_rest(&mut q, &args.filter, &mut tally, interrupted, &|| interrupts.count() > 1);
    }
    if result.is_ok() || tally.done > 0 {
        replay_report(&tally, &q, (args.write.dry_run, args.filter.limit), interrupted, format)?;
    }
    result?;
    if !args.write.dry_run && tally.done > 0 {
        let n = tally.done;
        ensure_replicated(&mut q, &args.write.durability, || format!("{n} entries were replayed"))?;
    }
    if interrupted {
        return Err(Quiet(interrupts.exit_code()).into());
    }
    super::no_entry_for_ids(&args.filter, tally.matched, interrupted, &q.keys.dlq)?;
    if tally.done == 0 && tally.gone == 0 && tally.refused() > 0 {
        return Err(Failure::failed(format!(
            "nothing {}: every matching entry was refused (see above)",
            if args.write.dry_run { "would be replayed" } else { "replayed" }
        ))
        .into());
    }
    Ok(())
}

fn refusal_hint(code: &str) -> &'static str {
    match code {
        "signer_not_attester" => " (security events: never replayed)",
        "outcome_unknown" => " (check the chain, then --confirm-not-minted)",
        "processed" | "deadline_passed" => " (--force overrides)",
        "duplicate_key" => " (one request per key per run)",
        "queued" => " (its key is already queued or in flight; --force overrides)",
        "unparseable" | "not_an_object" | "schema" => " (`dlq discard --reason ...` archives them)",
        _ => "",
    }
}

fn lines_table(tally: &Tally) -> Result<()> {
    if tally.lines.is_empty() {
        return Ok(());
    }
    let mut t = output::table(&["position", "index", "idempotency_key", "failure_tag", "outcome"]);
    for l in tally.lines.iter().take(LINES_SHOWN) {
        let outcome = match (&l.refused, &l.why) {
            (Some(code), Some(why)) => format!("refused ({code}): {}", shorten(why, 120)),
            _ => l.outcome.replace('_', " "),
        };
        let tag = if l.tag == FailureTag::SignerNotAttester {
            format!("SECURITY {}", l.tag.as_str())
        } else {
            l.tag.as_str().to_owned()
        };
        t.add_row(vec![l.position.to_string(), format!("#{}", l.index), dash(l.key.as_deref()), tag, outcome]);
    }
    output::print_table(&t)?;
    let total = tally.lines.len() as u64 + tally.lines_dropped;
    if total > LINES_SHOWN as u64 {
        output::note(&format!("(first {LINES_SHOWN} of {total} entries shown; -o json for all)"))?;
    }
    Ok(())
}

fn replay_report(
    tally: &Tally,
    q: &Queue,
    (dry, limit): (bool, Option<u64>),
    interrupted: bool,
    format: OutputFormat,
) -> Result<()> {
    let k = &q.keys;
    if is_json(format) {
        let v = json!({
            "dlq": k.dlq,
            "queue": k.main,
            "audit": k.audit,
            "dry_run": dry,
            "matched": tally.matched,
            "replayed": tally.done,
            "refused": tally.refused(),
            "gone": tally.gone,
            "refusals": tally.refusals,
            "entries": tally.lines.iter().map(Line::json).collect::<Vec<_>>(),
            "entries_left_out": tally.lines_dropped,
            "interrupted": interrupted,
            "limit_reached": tally.rest.limit.is_some(),
            "more_matching": tally.rest.limit.flatten(),
            "dlq_left": tally.rest.interrupted_left,
        });
        return print_doc(&v, format);
    }
    lines_table(tally)?;
    let verb = if dry { "would replay" } else { "replayed" };
    let place = format!("from {} onto {} (audited in {})", k.dlq, k.main, k.audit);
    output::line(&tally.rest.summary(verb, tally.done, tally.matched, dry, limit, &place, &k.dlq))?;
    for (code, n) in &tally.refusals {
        output::line(&format!("refused {n}: {code}{}", refusal_hint(code)))?;
    }
    if tally.gone > 0 {
        output::line(&format!("gone {}: {}", tally.gone, super::GONE_NOTE))?;
    }
    if interrupted {
        output::line("interrupted: stopped after the last whole batch; run the same command again to go on")?;
    }
    Ok(())
}

// ---- discard and purge ----------------------------------------------------------------------

/// What `dlq discard` and the mint `dlq purge` share.
struct Removal<'a> {
    filter: &'a DlqFilter,
    reason: Option<&'a str>,
    export: Option<&'a Path>,
    write: &'a DlqWriteArgs,
}

fn remove(cfg: &Config, r: Removal<'_>, verb: &'static str, format: OutputFormat) -> Result<()> {
    check_filter(r.filter)?;
    let keys = &cfg.keys;
    let Some(reason) = r.reason.filter(|s| !s.trim().is_empty()) else {
        return Err(Failure::usage(format!(
            "{verb} requires --reason (the mint profile records it in the audit record of every entry removed, in {})",
            keys.audit
        ))
        .into());
    };
    check_slots(cfg, &[keys.dlq.as_str(), &keys.audit])?;
    let mut q = Queue::connect(&cfg.target, keys.clone())?;
    let what = format!("{verb} mint dead letters from {} (audited in {})", keys.dlq, keys.audit);
    let mut plan = |_: &mut Queue, entries: &[MintEntry], _: i64| -> Result<Vec<Verdict<()>>> {
        Ok(entries.iter().map(|_| Verdict::Act(())).collect())
    };
    let ok = {
        let stop_never = || false;
        let hidden = indicatif::ProgressBar::hidden();
        let pace_none = Pace::new(None);
        let mut no_act = |_: &mut Queue, _: &[(u64, &MintEntry, &())]| -> Result<(Vec<Acted>, bool)> { Ok((vec![], true)) };
        confirm(r.write, &what, || {
            let s = Sweeper { dry: true, batch: 1000, pace: &pace_none, stop: &stop_never, bar: &hidden, words: ("", "") };
            let mut t = Tally::default();
            sweep(&mut q, r.filter, &s, &mut t, &mut plan, &mut no_act)?;
            Ok(t.done)
        })?
    };
    if !ok {
        return Err(super::not_confirmed("nothing was removed"));
    }
    let dry = r.write.dry_run;
    let mut export = match (r.export, dry) {
        (Some(path), false) => Some(Export::open(path, &keys.dlq)?),
        _ => None,
    };
    let operator = operator();
    let mut exported = 0u64;
    let mut act = |q: &mut Queue, items: &[(u64, &MintEntry, &())]| -> Result<(Vec<Acted>, bool)> {
        // On disk before anything is removed.
        let first = match export.as_mut() {
            Some(x) => Some(x.write(items.iter().map(|(_, e, _)| e.raw.as_slice()))?),
            None => None,
        };
        exported += if first.is_some() { items.len() as u64 } else { 0 };
        let at = mint::iso_ms(q.server_time_ms()?);
        let records: Vec<Vec<u8>> =
            items.iter().map(|(_, e, _)| mint::audit_record("discard", e.key(), &operator, reason, &e.text(), &at)).collect();
        let batch: Vec<MintDiscard<'_>> =
            items.iter().zip(&records).map(|((hint, e, _), record)| MintDiscard { hint: *hint, entry: &e.raw, record }).collect();
        let (removed, undisturbed) = q.mint_dlq_discard(&batch)?;
        if let (Some(x), Some(first)) = (export.as_mut(), first) {
            let gone: Vec<u64> = removed.iter().enumerate().filter(|(_, r)| !**r).map(|(i, _)| first + i as u64).collect();
            if !gone.is_empty() {
                x.not_deleted(&gone)?;
            }
        }
        Ok((removed.into_iter().map(|r| if r { Acted::Done } else { Acted::Gone }).collect(), undisturbed))
    };
    let interrupts = Interrupts::install()?;
    let stop = || interrupts.count() > 0;
    let pace = Pace::new(r.write.rate);
    let bar = ui::progress(0, if verb == "purge" { "purging" } else { "discarding" });
    let s = Sweeper {
        dry,
        batch: pace.batch(r.write.batch_size),
        pace: &pace,
        stop: &stop,
        bar: &bar,
        words: ("discarded", "would_discard"),
    };
    let mut tally = Tally::default();
    let result = sweep(&mut q, r.filter, &s, &mut tally, &mut plan, &mut act);
    tally.sort_lines();
    tally.exported = exported;
    bar.finish_and_clear();
    let interrupted = interrupts.count() > 0;
    if result.is_ok() {
        find_rest(&mut q, r.filter, &mut tally, interrupted, &|| interrupts.count() > 1);
    }
    if result.is_ok() || tally.done > 0 {
        remove_report(&tally, &q, &r, reason, export.as_ref(), verb, interrupted, format)?;
    }
    result?;
    if !dry && tally.done > 0 {
        let n = tally.done;
        ensure_replicated(&mut q, &r.write.durability, || format!("{n} entries were removed (and audited)"))?;
    }
    if interrupted {
        return Err(Quiet(interrupts.exit_code()).into());
    }
    super::no_entry_for_ids(r.filter, tally.matched, interrupted, &q.keys.dlq)
}

#[allow(clippy::too_many_arguments)]
fn remove_report(
    tally: &Tally,
    q: &Queue,
    r: &Removal<'_>,
    reason: &str,
    export: Option<&Export>,
    verb: &str,
    interrupted: bool,
    format: OutputFormat,
) -> Result<()> {
    let k = &q.keys;
    let dry = r.write.dry_run;
    if is_json(format) {
        let v = json!({
            "dlq": k.dlq,
            "audit": k.audit,
            "dry_run": dry,
            "reason": reason,
            "matched": tally.matched,
            "discarded": tally.done,
            "deleted": tally.done,
            "gone": tally.gone,
            "exported": tally.exported,
            "export_file": r.export.map(|p| p.display().to_string()),
            "export_id": export.map(|x| x.id.clone()),
            "entries": tally.lines.iter().map(Line::json).collect::<Vec<_>>(),
            "entries_left_out": tally.lines_dropped,
            "interrupted": interrupted,
            "limit_reached": tally.rest.limit.is_some(),
            "more_matching": tally.rest.limit.flatten(),
            "dlq_left": tally.rest.interrupted_left,
        });
        return print_doc(&v, format);
    }
    lines_table(tally)?;
    let done = if dry {
        format!("would {verb}")
    } else if verb == "purge" {
        "deleted".into()
    } else {
        "discarded".into()
    };
    let place = format!("from {} (each with an audit record in {})", k.dlq, k.audit);
    output::line(&tally.rest.summary(&done, tally.done, tally.matched, dry, r.filter.limit, &place, &k.dlq))?;
    if let (Some(x), Some(path)) = (export, r.export) {
        output::line(&format!(
            "exported {} entries to {} (export {}); `hokusai-queue dlq import {}` puts them back",
            tally.exported,
            path.display(),
            x.id,
            path.display()
        ))?;
    }
    if tally.gone > 0 {
        output::line(&format!("gone {}: {}", tally.gone, super::GONE_NOTE))?;
    }
    if interrupted {
        output::line("interrupted: stopped after the last whole batch; run the same command again to go on")?;
    }
    Ok(())
}

/// An export file being appended to, in the `dlq purge --export` format (README: dlq purge): a
/// header line, one `{"n", "entry"}` (or `entry_base64`) line per entry, fsynced per batch
/// before the batch is removed, and `{"not_deleted": [...]}` for entries found gone, so that
/// `dlq import` puts back exactly what was removed.
struct Export {
    file: BufWriter<File>,
    id: String,
    written: u64,
    path: String,
}

impl Export {
    fn open(path: &Path, dlq: &str) -> Result<Self> {
        let shown = path.display().to_string();
        let cannot =
            |e: std::io::Error| Failure::failed(format!("cannot write the export file {shown}: {e}; nothing was removed"));
        let existed = path.exists();
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(cannot)?;
        let id = uuid::Uuid::new_v4().to_string();
        let mut x = Self { file: BufWriter::with_capacity(1 << 20, file), id, written: 0, path: shown };
        let header = json!({super::purge::EXPORT_FORMAT: 1, "export_id": x.id, "dlq": dlq, "exported_at": now_naive_iso()});
        x.append(&header)?;
        x.sync()?;
        if !existed {
            // Make the new file's directory entry durable too.
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(x)
    }

    fn append(&mut self, v: &Value) -> Result<()> {
        serde_json::to_writer(&mut self.file, v).with_context(|| format!("writing the export file {}", self.path))?;
        self.file.write_all(b"\n").with_context(|| format!("writing the export file {}", self.path))?;
        Ok(())
    }

    fn sync(&mut self) -> Result<()> {
        self.file.flush().with_context(|| format!("writing the export file {}", self.path))?;
        self.file.get_ref().sync_data().with_context(|| format!("syncing the export file {}", self.path))?;
        Ok(())
    }

    /// Appends a batch and syncs it; returns the number of its first entry line.
    fn write<'e>(&mut self, batch: impl Iterator<Item = &'e [u8]>) -> Result<u64> {
        let first = self.written + 1;
        for raw in batch {
            self.written += 1;
            let mut v = json!({"n": self.written});
            match std::str::from_utf8(raw) {
                Ok(text) => v["entry"] = Value::String(text.to_owned()),
                Err(_) => {
                    use base64::Engine;
                    v["entry_base64"] = Value::String(base64::engine::general_purpose::STANDARD.encode(raw));
                }
            }
            self.append(&v)?;
        }
        self.sync()?;
        Ok(first)
    }

    /// Records entries that were exported but found gone: an import leaves them out.
    fn not_deleted(&mut self, ns: &[u64]) -> Result<()> {
        self.append(&json!({"not_deleted": ns, "reason": "gone before the delete"}))?;
        self.sync()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(raw: &str) -> MintEntry {
        MintEntry::new(0, 3, raw.as_bytes().to_vec())
    }

    #[test]
    fn tags_index_and_filters() {
        let e = entry(
            r#"{"originalMessage":{"message_id":"m-1","idempotency_key":"0xabc","model_id":"demo","evaluation":{"metric_name":"accuracy"}},"error":"permanent: x SignerNotAttester y","reason":"permanent: x SignerNotAttester y","failureClass":"permanent","timestamp":"2026-07-01T09:30:00.000Z","queue":"hokusai:mint_requests"}"#,
        );
        assert_eq!(
            (e.index, e.tag(), e.security(), e.tag_cell().as_str()),
            (2, FailureTag::SignerNotAttester, true, "SECURITY signer_not_attester")
        );
        let now = 1_782_898_200_000; // 2026-07-01T09:30:00Z + 1 h
        let mut f = DlqFilter { ids: vec!["0xabc".into()], ..DlqFilter::default() };
        assert!(e.matches(&f, now));
        f.ids = vec!["m-1".into()];
        assert!(e.matches(&f, now), "--id matches the message_id too");
        f.matches = vec![("evaluation.metric_name".into(), "accuracy".into())];
        f.error = Some("signernotattester".into());
        f.classes = vec![FailureTag::SignerNotAttester, FailureTag::Other];
        assert!(e.matches(&f, now));
        f.classes = vec![FailureTag::Other];
        assert!(!e.matches(&f, now));

        let bad = entry("not json");
        assert_eq!((bad.tag(), bad.parseable()), (FailureTag::SchemaReject, false));
        assert!(static_check(&bad, true).is_err_and(|(c, _)| c == "unparseable"));
        let deployment_shape = entry(r#"{"originalMessage":{"a":1},"error":"boom","timestamp":"x","queue":"q"}"#);
        assert_eq!((deployment_shape.tag(), deployment_shape.parseable()), (FailureTag::SchemaReject, false));
    }

    #[test]
    fn indexes() {
        assert_eq!(parse_index("#0"), Some(0));
        assert_eq!(parse_index("12"), Some(12));
        assert_eq!(parse_index("#"), None);
        assert_eq!(parse_index("0xabc"), None);
        assert_eq!(parse_index("3f1c2b7e-9a4d"), None);
    }
}
