//! The contract deployer's MintRequest discipline, modelled without Redis: the consumer's Joi
//! validation and conversion, the retry/dead-letter decision and backoff, the retry member and
//! replay payload bytes, the dead-letter entry and audit record shapes, and the DLQ failure tags.
//! Facts: `shared/mint-wire-format.md` sections 2-5 (Joi 17.13.3 under Node, checked against it).
//!
//! How JavaScript is mirrored, and the judgement calls:
//! * Raw bytes are decoded as node-redis does (UTF-8, invalid sequences become U+FFFD), then read
//!   like `JSON.parse`: duplicate keys keep the first position and the last value. A number that
//!   overflows a double (`1e400`) is `Infinity` in JavaScript: it is kept (internally) as such, so it
//!   is a schema reject (`"x" cannot be infinity` in a numeric field, `must be a string` in a string
//!   field, `is not allowed` under an unknown key), never `Invalid JSON`; serialised it is `null`, as
//!   `JSON.stringify` writes it. Known differences, all exotic: a lone UTF-16 surrogate escape
//!   (`"\ud800"`) or nesting deeper than 128 levels reads as `Invalid JSON` here (JavaScript accepts
//!   both).
//! * Violations come in Joi's order, which is what the deployer's dead-letter reason is made of:
//!   an object's schema keys in schema order (a nested object's or array's errors in its place), then
//!   its unknown keys (in `Object.keys` order: array-index-like keys first, ascending), then the
//!   object's cross-field rule, which Joi runs only when nothing else in that object failed. One
//!   field can give two messages (`"message_type" must be [mint_request]` and `... must be a string`).
//! * The `contributors` weight sum is JavaScript's `reduce` over the array as Joi leaves it (valid
//!   items converted, invalid items as they came): a `null` item throws a TypeError, which Joi
//!   reports with an empty message, exactly as the deployer does.
//! * A `__proto__` key is no own key of the object Joi validates (it sets the prototype): it is
//!   neither reported nor kept, and a schema key missing from the object is read from it when it is
//!   an object (appended at the end of the converted object, as Joi does).
//! * `timestamp` is converted as Joi's `isoDate()` does (`new Date(value).toISOString()`): the forms
//!   accepted are those Joi's pattern and V8 both accept (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`, optional
//!   `T`/whitespace and `HH:mm[:ss[.fff...]]` or `24:00`, optional `Z`/`±HH`/`±HHmm`/`±HH:mm`,
//!   `±YYYYYY` years; days 29-31 roll over into the next month like V8). A date-only form is UTC;
//!   a date-time without an offset is read as **UTC**, i.e. as the deployer reads it with `TZ` unset
//!   (its container runs in UTC). Refused although V8 makes something of them (its legacy parser
//!   guesses): basic, week and ordinal forms (`20260505`, `2026-W10`, `2026-123`), hours without
//!   minutes, the year `-000000`, and years 0..=99 when a whitespace (not `T`) separates the time.
//!   Nothing is accepted that Joi refuses, and every accepted form converts to Joi's exact output
//!   (differentially checked against Joi 17.13.3 on Node 20).
//! * Numbers are re-serialised as `JSON.stringify` writes them (`1000.0` and `1e3` become `1000`,
//!   `0.000001` stays `0.000001`, `1e21` becomes `1e+21`).

use std::fmt::Write as _;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// One broken rule, phrased as the deployer's Joi 17 validator phrases it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The Joi label: `evaluation.metric_name`, `contributors[1].weight_bps`, `""` for the root.
    pub path: String,
    /// The full Joi text, e.g. `"evaluation.metric_name" is not allowed to be empty`.
    pub message: String,
}

/// Why the deployer would dead-letter raw bytes before handling them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reject {
    InvalidJson,
    Schema(Vec<Violation>),
}

impl Reject {
    /// The dead-letter reason the deployer writes.
    pub fn reason(&self) -> String {
        match self {
            Reject::InvalidJson => "Invalid JSON".to_owned(),
            Reject::Schema(v) => joi_reason(v),
        }
    }
}

/// Validates a parsed value against every rule of the consumer's Joi schema (all violations).
pub fn validate(v: &Value) -> Result<(), Vec<Violation>> {
    let (_, errors) = run(v);
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// The deployer's dead-letter reason for a schema failure: messages joined by ". ".
pub fn joi_reason(v: &[Violation]) -> String {
    v.iter().map(|v| v.message.as_str()).collect::<Vec<_>>().join(". ")
}

/// Parses raw bytes as the deployer does; `Ok` holds the normalised (Joi-converted) message.
pub fn parse_and_validate(raw: &[u8]) -> Result<Value, Reject> {
    let v = parse_js(raw).ok_or(Reject::InvalidJson)?;
    let (out, errors) = run(&v);
    if errors.is_empty() { Ok(out) } else { Err(Reject::Schema(errors)) }
}

/// Joi's conversion of a valid message, as the deployer re-serialises it: numeric strings in
/// numeric fields become numbers, every number takes its JavaScript value (`1000.0` -> `1000`),
/// `timestamp` becomes `toISOString()` form (see the module notes), key order is kept. Meant for
/// valid messages; for an invalid one the conversions that succeeded are applied.
pub fn normalise(v: &Value) -> Value {
    run(v).0
}

/// The retry member: compact JSON of the normalised message with `_retryCount` = n, in place if
/// present, else appended as the last key (`JSON.stringify({...message, _retryCount: n})`).
pub fn retry_member(normalised: &Value, n: u64) -> Vec<u8> {
    let mut map = match normalised {
        Value::Object(m) => m.clone(),
        _ => Map::new(),
    };
    map.insert("_retryCount".to_owned(), Value::from(n));
    js_json(&Value::Object(map)).into_bytes()
}

/// The replay payload: compact JSON of the normalised message without `_retryCount`.
pub fn replay_payload(normalised: &Value) -> Vec<u8> {
    match normalised {
        Value::Object(m) => {
            let mut map = m.clone();
            map.shift_remove("_retryCount");
            js_json(&Value::Object(map)).into_bytes()
        }
        other => js_json(other).into_bytes(),
    }
}

/// `_retryCount` of a message (absent or not a non-negative integer -> 0; a numeric string is
/// read as Joi converts it).
pub fn retry_count(v: &Value) -> u64 {
    let n = match v.get("_retryCount") {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => match coerce_number(s) {
            Some(Ok(f)) => Some(f),
            _ => None,
        },
        _ => None,
    };
    match n {
        Some(f) if f.is_finite() && f >= 0.0 && f.trunc() == f && f <= MAX_SAFE => f as u64,
        _ => 0,
    }
}

/// Backoff parameters of one retry path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    pub base_ms: u64,
    pub max_ms: u64,
    pub multiplier: f64,
}

/// The backoff cap: 0 if `retry == 0` or `max_ms == 0`, else `min(base * mult^(retry-1), max)`
/// (computed in doubles like the deployer, so it cannot overflow), rounded down: the largest
/// delay [`backoff_delay_ms`] can return.
pub fn backoff_cap_ms(retry: u64, p: &Backoff) -> u64 {
    let cap = cap_f64(retry, p);
    // A double -> integer `as` saturates; `max_ms` bounds it exactly.
    (cap.floor() as u64).min(p.max_ms)
}

/// The delay the deployer draws: `floor(random * (cap + 1))`, uniform in `[0, cap]`, for
/// `random01` in `[0, 1)` (values outside are clamped).
pub fn backoff_delay_ms(retry: u64, p: &Backoff, random01: f64) -> u64 {
    let cap = cap_f64(retry, p);
    if cap <= 0.0 {
        return 0;
    }
    let r = if random01.is_nan() { 0.0 } else { random01.clamp(0.0, 1.0) };
    ((r * (cap + 1.0)).floor() as u64).min(backoff_cap_ms(retry, p))
}

fn cap_f64(retry: u64, p: &Backoff) -> f64 {
    if retry == 0 || p.max_ms == 0 {
        return 0.0;
    }
    let exponent = i32::try_from(retry - 1).unwrap_or(i32::MAX);
    let delay = p.base_ms as f64 * p.multiplier.powi(exponent);
    let max = p.max_ms as f64;
    if delay.is_nan() { max } else { delay.min(max) }
}

/// The retry policy knobs from the deployer's environment.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub max_retries: u64,
    pub budget_max_retries: u64,
    pub backoff: Backoff,
    pub budget_backoff: Backoff,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_retries: 3,
            budget_max_retries: 24,
            backoff: Backoff { base_ms: 1000, max_ms: 60_000, multiplier: 2.0 },
            budget_backoff: Backoff { base_ms: 60_000, max_ms: 1_800_000, multiplier: 2.0 },
        }
    }
}

impl Policy {
    /// Reads `MINT_REQUEST_MAX_RETRIES`, `MINT_REQUEST_BUDGET_MAX_RETRIES`, `MINT_BACKOFF_BASE_MS`,
    /// `MINT_BACKOFF_MAX_MS`, `MINT_BUDGET_BACKOFF_BASE_MS`, `MINT_BUDGET_BACKOFF_MAX_MS` (integers,
    /// at least 0) and `MINT_BACKOFF_MULTIPLIER` (a number, at least 1) with the deployer's Joi rules
    /// (numeric strings, surrounding whitespace allowed; an empty value is not a number). Unset:
    /// the default.
    pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Result<Policy, String> {
        let d = Policy::default();
        let int = |name: &str, default: u64| -> Result<u64, String> {
            match get(name) {
                None => Ok(default),
                Some(raw) => env_number(name, &raw, true, 0.0).map(|f| f as u64),
            }
        };
        let multiplier = match get("MINT_BACKOFF_MULTIPLIER") {
            None => d.backoff.multiplier,
            Some(raw) => env_number("MINT_BACKOFF_MULTIPLIER", &raw, false, 1.0)?,
        };
        Ok(Policy {
            max_retries: int("MINT_REQUEST_MAX_RETRIES", d.max_retries)?,
            budget_max_retries: int("MINT_REQUEST_BUDGET_MAX_RETRIES", d.budget_max_retries)?,
            backoff: Backoff {
                base_ms: int("MINT_BACKOFF_BASE_MS", d.backoff.base_ms)?,
                max_ms: int("MINT_BACKOFF_MAX_MS", d.backoff.max_ms)?,
                multiplier,
            },
            budget_backoff: Backoff {
                base_ms: int("MINT_BUDGET_BACKOFF_BASE_MS", d.budget_backoff.base_ms)?,
                max_ms: int("MINT_BUDGET_BACKOFF_MAX_MS", d.budget_backoff.max_ms)?,
                multiplier,
            },
        })
    }
}

/// One environment value checked like `Joi.number()[.integer()].min(min)`.
fn env_number(name: &str, raw: &str, integer: bool, min: f64) -> Result<f64, String> {
    let mut v = Check::default();
    let spec = NumSpec { integer, min: Some(min), max: None, nullable: false };
    let value = Value::String(raw.to_owned());
    let (out, ok) = v.number(name, Some(&value), true, &spec);
    match (ok, out.as_ref().and_then(Value::as_f64)) {
        (true, Some(f)) => Ok(f),
        _ => {
            let text = v.errors.first().map_or("is invalid".to_owned(), |e| {
                e.message.strip_prefix(&format!("\"{name}\" ")).unwrap_or(&e.message).to_owned()
            });
            let rule = if integer { "an integer >= 0" } else { "a number >= 1" };
            Err(format!("invalid {name}={raw:?}: {text} (it must be {rule})"))
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Schedule a retry: the member carries `_retryCount = member_retry_count`; its delay is
    /// uniform in `[0, delay_cap_ms]`.
    Retry { member_retry_count: u64, delay_cap_ms: u64 },
    /// Dead-letter with this reason and DLQ `failureClass` (`permanent` or `transient`).
    DeadLetter { reason: String, failure_class: &'static str },
}

/// The deployer's decision after a failed attempt of a message whose `_retryCount` is `n`.
/// A budget error is one whose message contains `MintBudgetExceeded` (case-sensitive).
pub fn decide(n: u64, error: &str, permanent: bool, p: &Policy) -> Decision {
    if permanent {
        return Decision::DeadLetter { reason: format!("permanent: {error}"), failure_class: "permanent" };
    }
    let budget = error.contains("MintBudgetExceeded");
    let (max, backoff) = if budget { (p.budget_max_retries, &p.budget_backoff) } else { (p.max_retries, &p.backoff) };
    if n < max {
        let next = n + 1;
        return Decision::Retry { member_retry_count: next, delay_cap_ms: backoff_cap_ms(next, backoff) };
    }
    let kind = if budget { "budget_exhausted" } else { "exhausted" };
    Decision::DeadLetter { reason: format!("{kind} (retries={n}): {error}"), failure_class: "transient" }
}

/// The message rules of the deployer's `classifyError` (rules 5-7 of 3.3; error codes and the
/// explicit `failureClass`/`onChainOutcomeUnknown` flags come first there and are not visible in a
/// message): `"permanent"` or `"transient"`.
pub fn error_class(message: &str) -> &'static str {
    let m = message.to_lowercase();
    let permanent = ["model not registered", "model is deactivated", "mintrequest transaction reverted"];
    if permanent.iter().any(|p| m.contains(p)) { "permanent" } else { "transient" }
}

/// The DLQ failure tags (`classifyFailure`), first match wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum FailureTag {
    BudgetExhausted,
    OutcomeUnknown,
    SignerNotAttester,
    ModelInactive,
    PermanentRevert,
    SchemaReject,
    Other,
}

impl FailureTag {
    pub const ALL: [FailureTag; 7] = [
        FailureTag::BudgetExhausted,
        FailureTag::OutcomeUnknown,
        FailureTag::SignerNotAttester,
        FailureTag::ModelInactive,
        FailureTag::PermanentRevert,
        FailureTag::SchemaReject,
        FailureTag::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FailureTag::BudgetExhausted => "budget_exhausted",
            FailureTag::OutcomeUnknown => "outcome_unknown",
            FailureTag::SignerNotAttester => "signer_not_attester",
            FailureTag::ModelInactive => "model_inactive",
            FailureTag::PermanentRevert => "permanent_revert",
            FailureTag::SchemaReject => "schema_reject",
            FailureTag::Other => "other",
        }
    }

    /// The tag of a dead-letter reason. `signer_not_attester` entries are security events.
    pub fn classify(reason: &str) -> FailureTag {
        if reason.starts_with("budget_exhausted (retries=") {
            FailureTag::BudgetExhausted
        } else if reason.contains("MintRequest transaction outcome unknown after submit") {
            FailureTag::OutcomeUnknown
        } else if reason.contains("SignerNotAttester") {
            FailureTag::SignerNotAttester
        } else if reason.contains("Model not registered") || reason.contains("Model is deactivated") {
            FailureTag::ModelInactive
        } else if reason.contains("MintRequest transaction reverted") || reason.contains("execution reverted") {
            FailureTag::PermanentRevert
        } else if looks_like_joi(reason) {
            FailureTag::SchemaReject
        } else {
            FailureTag::Other
        }
    }
}

/// `/(".*?" (is required|must .*|is not allowed)|must include a positive integer sample_size_candidate)/i`
/// without a regex engine: `.` does not cross a JavaScript line terminator; `/i` without `/u` folds
/// ASCII letters only.
fn looks_like_joi(reason: &str) -> bool {
    let b = reason.as_bytes();
    let lower = reason.to_ascii_lowercase();
    if lower.contains("must include a positive integer sample_size_candidate") {
        return true;
    }
    let l = lower.as_bytes();
    // Whether a `"` was seen since the last line terminator, before the current position.
    let mut open = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' | b'\r' => open = false,
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => open = false,
            b'"' => {
                if open {
                    let rest = &l[i + 1..];
                    if rest.starts_with(b" is required") || rest.starts_with(b" must ") || rest.starts_with(b" is not allowed") {
                        return true;
                    }
                }
                open = true;
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// A dead-letter entry in the deployer's shape, compact JSON, keys in the order `originalMessage,
/// error, reason, failureClass, timestamp, queue` (`error` = `reason`). `originalMessage` is the raw
/// message when it is JSON (as `JSON.parse` decides), embedded with its tokens untouched (only
/// whitespace between tokens is dropped), else the raw text as a JSON string. `None` when the raw
/// bytes are not UTF-8 (the caller then dead-letters them bare: a lossy copy would lie).
pub fn dlq_entry(original_raw: &[u8], reason: &str, failure_class: &str, queue: &str, timestamp_iso: &str) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(original_raw).ok()?;
    let original = match serde_json::from_str::<&RawValue>(text) {
        Ok(raw) => compact_json(raw.get()),
        Err(_) => json_string(text),
    };
    let mut out = String::with_capacity(original.len() + reason.len() * 2 + 128);
    out.push_str("{\"originalMessage\":");
    out.push_str(&original);
    for (key, value) in
        [("error", reason), ("reason", reason), ("failureClass", failure_class), ("timestamp", timestamp_iso), ("queue", queue)]
    {
        let _ = write!(out, ",\"{key}\":{}", json_string(value));
    }
    out.push('}');
    Some(out.into_bytes())
}

/// A DLQ entry read leniently.
#[derive(Debug, Clone, PartialEq)]
pub struct DeployerEntry {
    pub original: Original,
    /// `error`, when a string.
    pub error: Option<String>,
    /// `reason`; for the deployment flow's shape (no `reason`), its `error`.
    pub reason: String,
    /// `failureClass`, when `permanent` or `transient` (the only values the deployer's CLI reads).
    pub failure_class: Option<String>,
    pub timestamp: Option<String>,
    pub queue: Option<String>,
    /// Whether the entry has a string `reason` (the mint consumer's shape; the official CLI treats
    /// any other entry as unparseable).
    pub has_reason: bool,
}

/// An entry's `originalMessage`.
#[derive(Debug, Clone, PartialEq)]
pub enum Original {
    /// A JSON object.
    Object(Value),
    /// A string: the raw text of a message that was not JSON.
    Text(String),
    /// Anything else (number, array, boolean, null; a missing `originalMessage` reads as null).
    Other(Value),
}

impl Original {
    /// The bytes to put back on the queue for a raw-bytes replay: for JSON, compact JSON as
    /// `JSON.stringify` writes it (integers keep their digits); for text, the string's bytes.
    pub fn raw_bytes(&self) -> Vec<u8> {
        match self {
            Original::Object(v) | Original::Other(v) => js_json(v).into_bytes(),
            Original::Text(s) => s.as_bytes().to_vec(),
        }
    }
}

/// Reads a DLQ entry: a JSON object with a string `reason` (the mint consumer's shape), or with no
/// `reason` and a string `error` (the deployment flow's `{originalMessage, error, timestamp,
/// queue}`). `None` for anything else (a non-string `reason` included).
pub fn parse_entry(raw: &[u8]) -> Option<DeployerEntry> {
    let Value::Object(map) = parse_js(raw)? else { return None };
    let string_of = |k: &str| match map.get(k) {
        Some(Value::String(s)) if !is_infinity(s) => Some(s.clone()),
        _ => None,
    };
    let error = string_of("error");
    let (reason, has_reason) = match map.get("reason") {
        Some(Value::String(_)) => (string_of("reason")?, true),
        None => (error.clone()?, false),
        Some(_) => return None,
    };
    let original = match map.get("originalMessage") {
        Some(v @ Value::Object(_)) => Original::Object(v.clone()),
        Some(Value::String(s)) if !is_infinity(s) => Original::Text(s.clone()),
        Some(v) => Original::Other(v.clone()),
        None => Original::Other(Value::Null),
    };
    let failure_class = string_of("failureClass").filter(|c| c == "permanent" || c == "transient");
    let (timestamp, queue) = (string_of("timestamp"), string_of("queue"));
    Some(DeployerEntry { original, error, reason, failure_class, timestamp, queue, has_reason })
}

/// The DLQ CLI's audit record: compact JSON, keys `action, idempotency_key` (string or null),
/// `operator, reason, dlq_entry` (the raw entry as a JSON string), `at`.
pub fn audit_record(
    action: &str,
    idempotency_key: Option<&str>,
    operator: &str,
    reason: &str,
    dlq_entry_raw: &str,
    at_iso: &str,
) -> Vec<u8> {
    let key = idempotency_key.map_or("null".to_owned(), json_string);
    format!(
        "{{\"action\":{},\"idempotency_key\":{key},\"operator\":{},\"reason\":{},\"dlq_entry\":{},\"at\":{}}}",
        json_string(action),
        json_string(operator),
        json_string(reason),
        json_string(dlq_entry_raw),
        json_string(at_iso)
    )
    .into_bytes()
}

/// A unix-milliseconds time as JavaScript's `toISOString()` writes it (`YYYY-MM-DDTHH:mm:ss.sssZ`;
/// years outside 0..=9999 as `±YYYYYY`).
pub fn iso_ms(unix_ms: i64) -> String {
    let days = unix_ms.div_euclid(MS_PER_DAY);
    let ms = unix_ms.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let year = if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else if y < 0 {
        format!("-{:06}", -y)
    } else {
        format!("+{y:06}")
    };
    format!("{year}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000)
}

// ---------------------------------------------------------------------------------------------
// JSON as JavaScript reads and writes it.

const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
/// How a number token that overflows a double (JavaScript `Infinity`) is kept in a `Value`.
const POS_INFINITY: &str = "\u{FDD0}hokusai-mint:+Infinity\u{FDD0}";
const NEG_INFINITY: &str = "\u{FDD0}hokusai-mint:-Infinity\u{FDD0}";

pub(super) fn is_infinity(s: &str) -> bool {
    s == POS_INFINITY || s == NEG_INFINITY
}

/// `JSON.parse` of bytes decoded as node-redis decodes them; `None` when it would throw.
fn parse_js(raw: &[u8]) -> Option<Value> {
    let text = String::from_utf8_lossy(raw);
    match serde_json::from_str::<Value>(&text) {
        Ok(v) => Some(v),
        Err(_) => {
            // serde_json refuses numbers beyond a double's range; JavaScript reads them as
            // Infinity. Mark those (only) and try again.
            let (rewritten, changed) = mark_infinities(&text);
            if changed { serde_json::from_str(&rewritten).ok() } else { None }
        }
    }
}

/// Replaces each number token (outside strings) whose value overflows a double by a marker string.
fn mark_infinities(text: &str) -> (String, bool) {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 16);
    let mut changed = false;
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                    i += 1;
                }
                let token = &text[start..i];
                if is_json_number(token)
                    && let Ok(f) = token.parse::<f64>()
                    && f.is_infinite()
                {
                    out.push_str(&text[copied..start]);
                    out.push_str(&json_string(if f > 0.0 { POS_INFINITY } else { NEG_INFINITY }));
                    copied = i;
                    changed = true;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied.min(text.len())..]);
    (out, changed)
}

/// `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`
fn is_json_number(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - s
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// JSON text with the whitespace between tokens removed (strings and numbers untouched).
fn compact_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

fn json_string(s: &str) -> String {
    // serde_json escapes exactly as JSON.stringify does for well-formed strings.
    serde_json::to_string(s).unwrap_or_default()
}

/// `JSON.stringify` of a value: numbers in JavaScript form (integers keep their digits), the
/// Infinity markers as `null`.
fn js_json(v: &Value) -> String {
    let mut out = String::new();
    write_js(v, &mut out);
    out
}

fn write_js(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if n.is_u64() || n.is_i64() {
                out.push_str(&n.to_string());
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                out.push_str(&if f.is_finite() { js_number(f) } else { "null".to_owned() });
            }
        }
        Value::String(s) if is_infinity(s) => out.push_str("null"),
        Value::String(s) => out.push_str(&json_string(s)),
        Value::Array(a) => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_js(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json_string(k));
                out.push(':');
                write_js(item, out);
            }
            out.push('}');
        }
    }
}

/// JavaScript's `Number.prototype.toString()` (ECMA-262 Number::toString, radix 10).
fn js_number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_owned();
    }
    if x == 0.0 {
        return "0".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    // Rust's `{:e}` writes the fewest digits that read back as the same double, as JS does; when
    // several such digit strings exist JS takes the one closest to the value (ties: the even one),
    // which is the value correctly rounded to that many digits whenever that reads back too.
    let shortest = format!("{:e}", x.abs());
    let k = shortest.split_once('e').map_or(1, |(m, _)| m.chars().filter(char::is_ascii_digit).count());
    let nearest = format!("{:.*e}", k.saturating_sub(1), x.abs());
    let e = if nearest.parse::<f64>().ok() == Some(x.abs()) { nearest } else { shortest };
    let (mantissa, exponent) = e.split_once('e').unwrap_or((&e, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i64;
    let n = exponent.parse::<i64>().unwrap_or(0) + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let sign = if e < 0 { '-' } else { '+' };
        if k == 1 {
            format!("{digits}e{sign}{}", e.abs())
        } else {
            format!("{}.{}e{sign}{}", &digits[..1], &digits[1..], e.abs())
        }
    };
    format!("{sign}{body}")
}

/// A JavaScript number as a JSON value: integral values within the safe range as integers.
fn js_number_value(f: f64) -> Value {
    if f.trunc() == f && f.abs() <= MAX_SAFE {
        if f >= 0.0 { Value::from(f as u64) } else { Value::from(f as i64) }
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// JavaScript's `\s` (and what `String.prototype.trim` removes).
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{B}' | '\u{C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\u{FEFF}'
    )
}

/// Joi's number coercion of a string: `None` when it is not numeric (it stays a string),
/// `Some(Err(()))` when Joi calls it unsafe (precision lost), else the number.
fn coerce_number(s: &str) -> Option<Result<f64, ()>> {
    let t = s.trim_matches(is_js_space);
    if !is_numeric_text(t) {
        return None;
    }
    let mut value: f64 = t.parse().ok()?;
    if value == 0.0 {
        value = 0.0;
    }
    let shown = js_number(value);
    if t.contains(['e', 'E']) {
        if significant_digits(t) != significant_digits(&shown) {
            return Some(Err(()));
        }
    } else if !shown.contains(['e', 'E']) && shown != normalize_decimal(t) {
        return Some(Err(()));
    }
    Some(Ok(value))
}

/// `[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?`, whole string.
fn is_numeric_text(t: &str) -> bool {
    let b = t.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let count = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - s
    };
    let int = count(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac = count(&mut i);
        if int == 0 && frac == 0 {
            return false;
        }
    } else if int == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if count(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Joi's `extractSignificantDigits`.
fn significant_digits(s: &str) -> String {
    let mut s = s.to_owned();
    if let Some(p) = s.rfind(['e', 'E']) {
        let rest = &s[p + 1..];
        let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            s.truncate(p);
        }
    }
    if let Some(p) = s.find('.') {
        s.remove(p);
    }
    let s = s.trim_end_matches('0');
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    s.trim_start_matches('0').to_owned()
}

/// Joi's `normalizeDecimal`.
fn normalize_decimal(s: &str) -> String {
    let mut s = s.strip_prefix('+').unwrap_or(s).to_owned();
    // /\.0*$/ -> ''
    let trimmed = s.trim_end_matches('0');
    if let Some(head) = trimmed.strip_suffix('.') {
        s = head.to_owned();
    }
    // /^(-?)\.([^\.]*)$/ -> '$10.$2'
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => ("-", b.to_owned()),
        None => ("", s.clone()),
    };
    let body = if body.starts_with('.') && !body[1..].contains('.') { format!("0{body}") } else { body };
    // /^(-?)0+([0-9])/ -> '$1$2'
    let zeros = body.len() - body.trim_start_matches('0').len();
    let body = if zeros > 0 && body[zeros..].starts_with(|c: char| c.is_ascii_digit()) {
        body[zeros..].to_owned()
    } else if zeros > 1 && !body[zeros..].starts_with(|c: char| c.is_ascii_digit()) {
        // `0+` is greedy but must leave one digit: "00.5" -> "0.5".
        body[zeros - 1..].to_owned()
    } else {
        body
    };
    let mut s = format!("{neg}{body}");
    if s.contains('.') && s.ends_with('0') {
        s = s.trim_end_matches('0').to_owned();
    }
    if s == "-0" { "0".to_owned() } else { s }
}

// ---------------------------------------------------------------------------------------------
// Dates as V8 reads the forms Joi's isoDate() lets through.

const MS_PER_DAY: i64 = 86_400_000;

/// Days from 1970-01-01 of a proleptic Gregorian date (month 1..=12, any day >= 1 rolls over).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + (d - 1)
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The time value (unix ms) of a timestamp Joi's `isoDate()` accepts, or `None`.
pub(super) fn parse_iso(s: &str) -> Option<i64> {
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let num = |i: &mut usize, n: usize| -> Option<i64> {
        let mut v = 0i64;
        for _ in 0..n {
            let d = c.get(*i)?.to_digit(10)?;
            v = v * 10 + i64::from(d);
            *i += 1;
        }
        Some(v)
    };
    let year = match c.first() {
        Some(&sign @ ('+' | '-')) => {
            i = 1;
            let y = num(&mut i, 6)?;
            if sign == '-' {
                if y == 0 {
                    return None;
                }
                -y
            } else {
                y
            }
        }
        _ => num(&mut i, 4)?,
    };
    let (mut month, mut day) = (1, 1);
    let mut ms_of_day = 0i64;
    let mut offset_min = 0i64;
    if i < c.len() {
        if c[i] != '-' {
            return None;
        }
        i += 1;
        month = num(&mut i, 2)?;
        if !(1..=12).contains(&month) {
            return None;
        }
        if c.get(i) == Some(&'-') {
            i += 1;
            day = num(&mut i, 2)?;
            if !(1..=31).contains(&day) {
                return None;
            }
        }
        if i < c.len() {
            // V8 takes these (not a line or paragraph separator) from Joi's `[T\s]`; past anything but
            // `T` its legacy parser reads years 0..=99 as 19xx/20xx and worse: refused here.
            let legacy = c[i] != 'T';
            if legacy && (!is_js_space(c[i]) || matches!(c[i], '\u{2028}' | '\u{2029}') || (0..=99).contains(&year)) {
                return None;
            }
            i += 1;
            let hour = num(&mut i, 2)?;
            if c.get(i) != Some(&':') {
                return None;
            }
            i += 1;
            let minute = num(&mut i, 2)?;
            let (mut second, mut milli) = (0, 0);
            if hour == 24 {
                if minute != 0 {
                    return None;
                }
            } else {
                if hour > 23 || minute > 59 {
                    return None;
                }
                if c.get(i) == Some(&':') {
                    i += 1;
                    second = num(&mut i, 2)?;
                    if second > 59 {
                        return None;
                    }
                    if c.get(i) == Some(&'.') {
                        i += 1;
                        let start = i;
                        while c.get(i).is_some_and(char::is_ascii_digit) {
                            i += 1;
                        }
                        if i == start {
                            return None;
                        }
                        let frac: String = c[start..i].iter().chain(['0', '0', '0'].iter()).take(3).collect();
                        milli = frac.parse::<i64>().ok()?;
                    }
                }
            }
            ms_of_day = ((hour * 60 + minute) * 60 + second) * 1000 + milli;
            match c.get(i) {
                None => {}
                Some('Z') => i += 1,
                Some(&sign @ ('+' | '-')) => {
                    i += 1;
                    let oh = num(&mut i, 2)?;
                    if oh > 23 {
                        return None;
                    }
                    let mut om = 0;
                    if c.get(i) == Some(&':') {
                        i += 1;
                        om = num(&mut i, 2)?;
                    } else if i < c.len() {
                        om = num(&mut i, 2)?;
                    }
                    if om > 59 {
                        return None;
                    }
                    offset_min = if sign == '-' { -(oh * 60 + om) } else { oh * 60 + om };
                }
                Some(_) => return None,
            }
            if i != c.len() {
                return None;
            }
        }
    }
    let t = days_from_civil(year, month, day) * MS_PER_DAY + ms_of_day - offset_min * 60_000;
    (t.abs() <= 8_640_000_000_000_000).then_some(t)
}

// ---------------------------------------------------------------------------------------------
// The schema. `emit` decides the common valid request without a `Value` tree in `mint_fast`
// (a strict subset of these rules, same pattern tests and `parse_iso`): a rule changed here must
// be changed there too (its property test compares the two).

pub(super) struct Pattern {
    /// As Joi shows the regex in its message.
    shown: &'static str,
    pub(super) test: fn(&str) -> bool,
}

fn hex_tail(s: &str, n: usize, lower_only: bool) -> bool {
    s.len() == n + 2
        && s.starts_with("0x")
        && s[2..].bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b) || (!lower_only && (b'A'..=b'F').contains(&b)))
}

pub(super) const HASH: Pattern = Pattern { shown: "/^0x[0-9a-f]{64}$/", test: |s| hex_tail(s, 64, true) };
pub(super) const ADDRESS: Pattern = Pattern { shown: "/^0x[a-fA-F0-9]{40}$/", test: |s| hex_tail(s, 40, false) };
pub(super) const SIGNATURE: Pattern = Pattern { shown: "/^0x[0-9a-fA-F]{130}$/", test: |s| hex_tail(s, 130, false) };
pub(super) const UINT: Pattern = Pattern {
    shown: "/^[1-9]\\d*$/",
    test: |s| s.bytes().next().is_some_and(|b| (b'1'..=b'9').contains(&b)) && s.bytes().all(|b| b.is_ascii_digit()),
};

struct StrSpec {
    /// `valid(...)` values (Joi's `only`); `null` is added to the list shown when `nullable`.
    only: &'static [&'static str],
    nullable: bool,
    pattern: Option<&'static Pattern>,
    /// `max(n)`, in UTF-16 code units.
    max: Option<usize>,
    iso: bool,
}

struct NumSpec {
    integer: bool,
    min: Option<f64>,
    max: Option<f64>,
    nullable: bool,
}

enum Rule {
    Str(StrSpec),
    Num(NumSpec),
    Signatures,
    Evaluation,
    Contributors,
}

struct Field {
    key: &'static str,
    required: bool,
    rule: Rule,
}

const fn text(key: &'static str, required: bool, nullable: bool) -> Field {
    Field { key, required, rule: Rule::Str(StrSpec { only: &[], nullable, pattern: None, max: None, iso: false }) }
}

const fn pattern(key: &'static str, pattern: &'static Pattern) -> Field {
    Field {
        key,
        required: true,
        rule: Rule::Str(StrSpec { only: &[], nullable: false, pattern: Some(pattern), max: None, iso: false }),
    }
}

const fn int(key: &'static str, required: bool, min: f64, max: Option<f64>, nullable: bool) -> Field {
    Field { key, required, rule: Rule::Num(NumSpec { integer: true, min: Some(min), max, nullable }) }
}

const ROOT: &[Field] = &[
    Field {
        key: "message_type",
        required: true,
        rule: Rule::Str(StrSpec { only: &["mint_request"], nullable: false, pattern: None, max: None, iso: false }),
    },
    Field {
        key: "schema_version",
        required: true,
        rule: Rule::Str(StrSpec { only: &["1.0"], nullable: false, pattern: None, max: None, iso: false }),
    },
    text("message_id", true, false),
    Field {
        key: "timestamp",
        required: true,
        rule: Rule::Str(StrSpec { only: &[], nullable: false, pattern: None, max: None, iso: true }),
    },
    text("model_id", true, false),
    pattern("model_id_uint", &UINT),
    text("eval_id", true, false),
    text("benchmark_spec_id", true, false),
    pattern("dataset_hash", &HASH),
    pattern("attestation_hash", &HASH),
    pattern("idempotency_key", &HASH),
    pattern("baseline_commitment", &HASH),
    pattern("candidate_commitment", &HASH),
    Field { key: "attester_signatures", required: true, rule: Rule::Signatures },
    int("totalSamples", true, 1.0, None, false),
    int("deadline", true, 1.0, None, false),
    Field { key: "evaluation", required: true, rule: Rule::Evaluation },
    Field { key: "contributors", required: true, rule: Rule::Contributors },
    int("_retryCount", false, 0.0, None, false),
];

const BPS: Option<f64> = Some(10_000.0);

const EVALUATION: &[Field] = &[
    text("metric_name", true, false),
    text("metric_family", true, false),
    int("baseline_score_bps", true, 0.0, BPS, false),
    int("new_score_bps", true, 0.0, BPS, false),
    int("max_cost_usd_micro", true, 0.0, None, false),
    int("actual_cost_usd_micro", true, 0.0, None, false),
    int("sample_size_baseline", false, 0.0, None, true),
    int("sample_size_candidate", false, 0.0, None, true),
    int("ci_low_bps", false, 0.0, BPS, true),
    int("ci_high_bps", false, 0.0, BPS, true),
    Field {
        key: "p_value",
        required: false,
        rule: Rule::Num(NumSpec { integer: false, min: Some(0.0), max: Some(1.0), nullable: true }),
    },
    int("effect_size_bps", false, 0.0, BPS, true),
    Field {
        key: "statistical_method",
        required: false,
        rule: Rule::Str(StrSpec { only: &[], nullable: true, pattern: None, max: Some(128), iso: false }),
    },
    Field {
        key: "statistical_reason",
        required: false,
        rule: Rule::Str(StrSpec { only: &[], nullable: true, pattern: None, max: Some(1024), iso: false }),
    },
];

const CONTRIBUTOR: &[Field] = &[
    pattern("wallet_address", &ADDRESS),
    int("weight_bps", true, 1.0, BPS, false),
    Field {
        key: "recipientKind",
        required: false,
        rule: Rule::Str(StrSpec { only: &["wallet", "escrow"], nullable: true, pattern: None, max: None, iso: false }),
    },
    text("submissionId", false, true),
    text("contributionBatchId", false, true),
    text("contributorId", false, true),
];

const SAMPLE_SIZE_MESSAGE: &str =
    "\"evaluation\" must include a positive integer sample_size_candidate or sample_size_baseline to derive totalSamples";

/// Validates and converts like `mintRequestSchema.validate(value)` (abortEarly false).
fn run(v: &Value) -> (Value, Vec<Violation>) {
    let mut check = Check::default();
    let (out, ok) = check.object("", Some(v), true, ROOT);
    let out = out.unwrap_or_else(|| v.clone());
    if ok {
        // The root's cross-field rule (it runs only when nothing else failed).
        let candidate = out.get("evaluation").and_then(|e| e.get("sample_size_candidate")).and_then(positive_integer);
        let total = out.get("totalSamples").and_then(Value::as_f64);
        if let (Some(c), Some(t)) = (candidate, total)
            && c != t
        {
            check.raw(
                "",
                format!("\"totalSamples\" ({}) does not match evaluation.sample_size_candidate ({})", js_number(t), js_number(c)),
            );
        }
    }
    (out, check.errors)
}

/// A number that is an integer > 0 (`typeof x === 'number' && Number.isInteger(x) && x > 0`).
fn positive_integer(v: &Value) -> Option<f64> {
    let f = v.as_f64()?;
    (f.trunc() == f && f > 0.0).then_some(f)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// JavaScript's `Object.keys` order: array-index keys ascending, then the rest in insertion order.
fn js_key_order(map: &Map<String, Value>) -> Vec<&String> {
    let index = |k: &str| -> Option<u64> {
        let ok = k == "0" || (k.len() <= 10 && !k.starts_with('0') && !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()));
        ok.then(|| k.parse::<u64>().ok()).flatten().filter(|&n| n < u64::from(u32::MAX))
    };
    let mut indexed: Vec<(u64, &String)> = map.keys().filter_map(|k| index(k).map(|n| (n, k))).collect();
    indexed.sort_unstable_by_key(|(n, _)| *n);
    let mut keys: Vec<&String> = indexed.into_iter().map(|(_, k)| k).collect();
    keys.extend(map.keys().filter(|k| index(k).is_none()));
    keys
}

/// The validated value Joi hands back: `None` for undefined. The `bool` says whether the value
/// passed (every violation is recorded in `errors`).
type Checked = (Option<Value>, bool);

#[derive(Default)]
struct Check {
    errors: Vec<Violation>,
}

impl Check {
    /// A message `"<label>" <text>` (the label of the root is `value`).
    fn say(&mut self, path: &str, text: impl std::fmt::Display) {
        let label = if path.is_empty() { "value" } else { path };
        self.raw(path, format!("\"{label}\" {text}"));
    }

    fn raw(&mut self, path: &str, message: String) {
        self.errors.push(Violation { path: path.to_owned(), message });
    }

    /// Undefined: `is required` when required; `Some(result)` means "done".
    fn presence(&mut self, path: &str, item: Option<&Value>, required: bool) -> Option<Checked> {
        if item.is_some() {
            return None;
        }
        if required {
            self.say(path, "is required");
            return Some((None, false));
        }
        Some((None, true))
    }

    fn field(&mut self, path: &str, item: Option<&Value>, f: &Field) -> Checked {
        match &f.rule {
            Rule::Str(spec) => self.string(path, item, f.required, spec),
            Rule::Num(spec) => self.number(path, item, f.required, spec),
            Rule::Signatures => self.array(path, item, f.required, 1, 8, |c, p, item| {
                let spec = StrSpec { only: &[], nullable: false, pattern: Some(&SIGNATURE), max: None, iso: false };
                c.string(p, Some(item), false, &spec)
            }),
            Rule::Evaluation => {
                let (out, ok) = self.object(path, item, f.required, EVALUATION);
                if ok && let Some(Value::Object(e)) = &out {
                    let derived = ["sample_size_candidate", "sample_size_baseline"]
                        .iter()
                        .any(|k| e.get(*k).and_then(positive_integer).is_some());
                    if !derived {
                        self.raw(path, SAMPLE_SIZE_MESSAGE.to_owned());
                        return (out, false);
                    }
                }
                (out, ok)
            }
            Rule::Contributors => {
                let (out, ok) =
                    self.array(path, item, f.required, 1, 100, |c, p, item| c.object(p, Some(item), false, CONTRIBUTOR));
                if let Some(Value::Array(items)) = &out {
                    match weight_sum(items) {
                        Ok(10_000.0) => return (out, ok),
                        Ok(_) => self.say(path, "contains an invalid value"),
                        // `contributor.weight_bps` of null throws; Joi reports a thrown error with
                        // the custom message template, which renders empty.
                        Err(()) => self.raw(path, String::new()),
                    }
                    return (out, false);
                }
                (out, ok)
            }
        }
    }

    fn string(&mut self, path: &str, item: Option<&Value>, required: bool, spec: &StrSpec) -> Checked {
        if let Some(done) = self.presence(path, item, required) {
            return done;
        }
        let x = item.unwrap_or(&Value::Null);
        if x.is_null() && spec.nullable {
            return (Some(Value::Null), true);
        }
        let mut ok = true;
        if !spec.only.is_empty() {
            if let Value::String(s) = x
                && spec.only.contains(&s.as_str())
            {
                return (Some(x.clone()), true);
            }
            let mut shown: Vec<&str> = spec.only.to_vec();
            if spec.nullable {
                shown.push("null");
            }
            let one_of = if shown.len() == 1 { "" } else { "one of " };
            self.say(path, format!("must be {one_of}[{}]", shown.join(", ")));
            ok = false;
        }
        let s = match x {
            Value::String(s) if !is_infinity(s) => s,
            _ => {
                self.say(path, "must be a string");
                return (Some(x.clone()), false);
            }
        };
        if s.is_empty() {
            self.say(path, "is not allowed to be empty");
            return (Some(x.clone()), false);
        }
        let mut out = x.clone();
        if let Some(p) = spec.pattern
            && !(p.test)(s)
        {
            self.say(path, format!("with value \"{s}\" fails to match the required pattern: {}", p.shown));
            ok = false;
        }
        if let Some(max) = spec.max
            && s.encode_utf16().count() > max
        {
            self.say(path, format!("length must be less than or equal to {max} characters long"));
            ok = false;
        }
        if spec.iso {
            match parse_iso(s) {
                Some(t) => out = Value::String(iso_ms(t)),
                None => {
                    self.say(path, "must be in iso format");
                    ok = false;
                }
            }
        }
        (Some(if ok { out } else { x.clone() }), ok)
    }

    fn number(&mut self, path: &str, item: Option<&Value>, required: bool, spec: &NumSpec) -> Checked {
        if let Some(done) = self.presence(path, item, required) {
            return done;
        }
        let x = item.unwrap_or(&Value::Null);
        if x.is_null() && spec.nullable {
            return (Some(Value::Null), true);
        }
        let n = match x {
            Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
            Value::String(s) if s == POS_INFINITY => f64::INFINITY,
            Value::String(s) if s == NEG_INFINITY => f64::NEG_INFINITY,
            Value::String(s) => match coerce_number(s) {
                Some(Ok(f)) => f,
                Some(Err(())) => {
                    self.say(path, "must be a safe number");
                    return (Some(x.clone()), false);
                }
                None => f64::NAN,
            },
            _ => f64::NAN,
        };
        if n.is_infinite() {
            self.say(path, "cannot be infinity");
            return (Some(x.clone()), false);
        }
        if n.is_nan() {
            self.say(path, "must be a number");
            return (Some(x.clone()), false);
        }
        if n.abs() > MAX_SAFE {
            self.say(path, "must be a safe number");
            return (Some(x.clone()), false);
        }
        let mut ok = true;
        if spec.integer && n.trunc() != n {
            self.say(path, "must be an integer");
            ok = false;
        }
        if let Some(min) = spec.min.filter(|&m| n < m) {
            self.say(path, format!("must be greater than or equal to {}", js_number(min)));
            ok = false;
        }
        if let Some(max) = spec.max.filter(|&m| n > m) {
            self.say(path, format!("must be less than or equal to {}", js_number(max)));
            ok = false;
        }
        (Some(js_number_value(n)), ok)
    }

    fn array(
        &mut self,
        path: &str,
        item: Option<&Value>,
        required: bool,
        min: usize,
        max: usize,
        mut each: impl FnMut(&mut Check, &str, &Value) -> Checked,
    ) -> Checked {
        if let Some(done) = self.presence(path, item, required) {
            return done;
        }
        let Some(Value::Array(items)) = item else {
            self.say(path, "must be an array");
            return (item.cloned(), false);
        };
        let mut ok = true;
        let mut out = Vec::with_capacity(items.len());
        for (i, it) in items.iter().enumerate() {
            let (converted, passed) = each(self, &format!("{path}[{i}]"), it);
            // Joi keeps an item that failed as it came.
            out.push(if passed { converted.unwrap_or(Value::Null) } else { it.clone() });
            ok &= passed;
        }
        if items.len() < min {
            self.say(path, format!("must contain at least {min} items"));
            ok = false;
        }
        if items.len() > max {
            self.say(path, format!("must contain less than or equal to {max} items"));
            ok = false;
        }
        (Some(Value::Array(out)), ok)
    }

    fn object(&mut self, path: &str, item: Option<&Value>, required: bool, fields: &[Field]) -> Checked {
        if let Some(done) = self.presence(path, item, required) {
            return done;
        }
        let Some(Value::Object(map)) = item else {
            self.say(path, "must be of type object");
            return (item.cloned(), false);
        };
        // Joi validates a copy made with Object.assign: `__proto__` sets the copy's prototype.
        let proto = match map.get("__proto__") {
            Some(Value::Object(p)) => Some(p),
            _ => None,
        };
        let mut out: Map<String, Value> =
            map.iter().filter(|(k, _)| k.as_str() != "__proto__").map(|(k, v)| (k.clone(), v.clone())).collect();
        let before = self.errors.len();
        for f in fields {
            let child = map.get(f.key).or_else(|| proto.and_then(|p| p.get(f.key)));
            let (converted, _) = self.field(&join(path, f.key), child, f);
            if let Some(c) = converted {
                out.insert(f.key.to_owned(), c);
            }
        }
        for key in js_key_order(map) {
            if key != "__proto__" && !fields.iter().any(|f| f.key == key) {
                self.say(&join(path, key), "is not allowed");
            }
        }
        (Some(Value::Object(out)), self.errors.len() == before)
    }
}

/// `contributors.reduce((sum, c) => sum + c.weight_bps, 0)` in JavaScript: `Err` when it throws
/// (an item is null); `Ok(NaN)` stands for any result that is not a number.
fn weight_sum(items: &[Value]) -> Result<f64, ()> {
    let mut sum = Some(0.0f64); // None: the sum became a string
    for item in items {
        let addend = match item {
            Value::Null => return Err(()),
            Value::Object(m) => m.get("weight_bps"),
            _ => None,
        };
        sum = match (sum, addend) {
            (None, _) => None,
            (Some(_), None) => Some(f64::NAN),
            (Some(s), Some(Value::Null)) => Some(s),
            (Some(s), Some(Value::Bool(b))) => Some(s + f64::from(u8::from(*b))),
            (Some(s), Some(Value::Number(n))) => Some(s + n.as_f64().unwrap_or(f64::NAN)),
            (Some(s), Some(Value::String(t))) if t == POS_INFINITY => Some(s + f64::INFINITY),
            (Some(s), Some(Value::String(t))) if t == NEG_INFINITY => Some(s + f64::NEG_INFINITY),
            (Some(_), Some(_)) => None,
        };
    }
    Ok(sum.unwrap_or(f64::NAN))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The minimal valid example of the wire-format document (2.5), verbatim.
    const EXAMPLE: &str = r#"{
  "message_type": "mint_request",
  "schema_version": "1.0",
  "message_id": "3f1c2b7e-9a4d-4c1e-8b2a-6d5e4f3a2b1c",
  "timestamp": "2026-07-01T09:30:00.000Z",
  "model_id": "demo-model",
  "model_id_uint": "42",
  "eval_id": "eval-demo-0001",
  "benchmark_spec_id": "bench-demo-v1",
  "dataset_hash": "0xed53b1cbbf774dc829eccc7ee102ede858194627e6272bca5a7495217daf93e3",
  "attestation_hash": "0xf168e12a2b29dae69cb575919a62fef18386c7a67932ba3afff74fb8043d0039",
  "idempotency_key": "0x427c76a552778fffdcb1467cd6db85e3014bb0fa0aceea1f429757b432fd8603",
  "baseline_commitment": "0x3be99f6dd92401c494487c87af6d32b7afa5d9f990fb7ee62d1d8b01b530ed05",
  "candidate_commitment": "0x533c61f2bf6326d9a213e238d072763dd157238040d8278c380a27f3d64ea860",
  "attester_signatures": [
    "0xabababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababab1b"
  ],
  "totalSamples": 200,
  "deadline": 4102444800,
  "evaluation": {
    "metric_name": "accuracy",
    "metric_family": "proportion",
    "baseline_score_bps": 7000,
    "new_score_bps": 7200,
    "max_cost_usd_micro": 1000000,
    "actual_cost_usd_micro": 250000,
    "sample_size_candidate": 200
  },
  "contributors": [
    { "wallet_address": "0x1111222233334444555566667777888899990000", "weight_bps": 10000 }
  ]
}"#;

    const SIG: &str = "0xabababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababababab1b";

    fn example() -> Value {
        serde_json::from_str(EXAMPLE).unwrap()
    }

    /// The same request as the pipeline publishes it: every optional key present.
    fn pipeline() -> Value {
        let mut v = example();
        let e = v["evaluation"].as_object_mut().unwrap();
        for k in ["ci_low_bps", "ci_high_bps", "p_value", "effect_size_bps", "statistical_method", "statistical_reason"] {
            e.insert(k.to_owned(), Value::Null);
        }
        e.shift_insert(6, "sample_size_baseline".to_owned(), Value::Null);
        let c = v["contributors"][0].as_object_mut().unwrap();
        for k in ["submissionId", "contributionBatchId", "contributorId"] {
            c.insert(k.to_owned(), Value::Null);
        }
        c.insert("recipientKind".to_owned(), json!("wallet"));
        v
    }

    fn compact(v: &Value) -> Vec<u8> {
        serde_json::to_vec(v).unwrap()
    }

    /// Sets (or with `None` deletes) the value at a JSON pointer; the last step may append to an array.
    fn edit(v: &mut Value, ptr: &str, new: Option<Value>) {
        let (parent, last) = ptr.rsplit_once('/').unwrap();
        let target = if parent.is_empty() { &mut *v } else { v.pointer_mut(parent).unwrap() };
        match (target, new) {
            (Value::Object(m), Some(n)) => {
                m.insert(last.to_owned(), n);
            }
            (Value::Object(m), None) => {
                m.shift_remove(last);
            }
            (Value::Array(a), Some(n)) => {
                let i: usize = last.parse().unwrap();
                if i == a.len() { a.push(n) } else { a[i] = n }
            }
            (Value::Array(a), None) => {
                a.remove(last.parse().unwrap());
            }
            _ => panic!("cannot edit {ptr}"),
        }
    }

    fn expand(s: &str) -> String {
        s.replace("{SIG}", SIG).replace("{M129}", &"m".repeat(129)).replace("{E1025}", &"é".repeat(1025))
    }

    fn violations(v: &Value) -> Vec<(String, String)> {
        validate(v).err().unwrap_or_default().into_iter().map(|v| (v.path, v.message)).collect()
    }

    #[test]
    fn the_documented_example_passes_unchanged() {
        let v = example();
        assert_eq!(validate(&v), Ok(()));
        assert_eq!(normalise(&v), v);
        let wire = compact(&v);
        assert_eq!(parse_and_validate(&wire), Ok(v.clone()));
        assert_eq!(parse_and_validate(EXAMPLE.as_bytes()), Ok(v.clone()));
        // Re-serialised, the message is the producer's compact line byte for byte.
        assert_eq!(replay_payload(&normalise(&v)), wire);
    }

    #[test]
    fn the_pipeline_variant_with_null_optionals_passes_unchanged() {
        let v = pipeline();
        assert_eq!(v["evaluation"].as_object().unwrap().len(), 14);
        assert_eq!(validate(&v), Ok(()));
        assert_eq!(normalise(&v), v);
        assert_eq!(replay_payload(&parse_and_validate(&compact(&v)).unwrap()), compact(&v));
        // The other accepted values of the nullable and enumerated keys.
        let mut w = v.clone();
        w["contributors"][0]["recipientKind"] = json!("escrow");
        w["contributors"][0]["recipientKind"] = Value::Null;
        w["contributors"][0]["submissionId"] = json!("sub-1");
        w["contributors"][0]["wallet_address"] = json!("0xABCDEF2233334444555566667777888899990000");
        w["evaluation"]["p_value"] = json!(0.03);
        w["evaluation"]["statistical_method"] = json!("m".repeat(128));
        w["evaluation"]["statistical_reason"] = json!("é".repeat(1024));
        w["_retryCount"] = json!(0);
        assert_eq!(validate(&w), Ok(()));
    }

    /// A rule-breaking case: its name, the edits (JSON pointer, new JSON text or deletion), and
    /// the expected (path, message) pairs.
    type Case = (&'static str, &'static [(&'static str, Option<&'static str>)], &'static [(&'static str, &'static str)]);

    /// Each rule broken once; the expected texts are what Joi 17.13.3 answers for the same edit.
    #[test]
    fn each_rule_broken_once_gives_joi_text() {
        let cases: &[Case] = &[
            ("message_type required", &[("/message_type", None)], &[("message_type", "\"message_type\" is required")]),
            (
                "message_type exact",
                &[("/message_type", Some("\"mint\""))],
                &[("message_type", "\"message_type\" must be [mint_request]")],
            ),
            (
                "message_type not a string",
                &[("/message_type", Some("5"))],
                &[
                    ("message_type", "\"message_type\" must be [mint_request]"),
                    ("message_type", "\"message_type\" must be a string"),
                ],
            ),
            (
                "schema_version number",
                &[("/schema_version", Some("1"))],
                &[
                    ("schema_version", "\"schema_version\" must be [1.0]"),
                    ("schema_version", "\"schema_version\" must be a string"),
                ],
            ),
            (
                "schema_version other string",
                &[("/schema_version", Some("\"1\""))],
                &[("schema_version", "\"schema_version\" must be [1.0]")],
            ),
            (
                "message_id empty",
                &[("/message_id", Some("\"\""))],
                &[("message_id", "\"message_id\" is not allowed to be empty")],
            ),
            ("message_id not a string", &[("/message_id", Some("5"))], &[("message_id", "\"message_id\" must be a string")]),
            (
                "timestamp not iso",
                &[("/timestamp", Some("\"yesterday\""))],
                &[("timestamp", "\"timestamp\" must be in iso format")],
            ),
            ("timestamp empty", &[("/timestamp", Some("\"\""))], &[("timestamp", "\"timestamp\" is not allowed to be empty")]),
            ("model_id empty", &[("/model_id", Some("\"\""))], &[("model_id", "\"model_id\" is not allowed to be empty")]),
            (
                "model_id_uint leading zero",
                &[("/model_id_uint", Some("\"042\""))],
                &[("model_id_uint", "\"model_id_uint\" with value \"042\" fails to match the required pattern: /^[1-9]\\d*$/")],
            ),
            (
                "model_id_uint zero",
                &[("/model_id_uint", Some("\"0\""))],
                &[("model_id_uint", "\"model_id_uint\" with value \"0\" fails to match the required pattern: /^[1-9]\\d*$/")],
            ),
            (
                "model_id_uint number",
                &[("/model_id_uint", Some("42"))],
                &[("model_id_uint", "\"model_id_uint\" must be a string")],
            ),
            ("eval_id empty", &[("/eval_id", Some("\"\""))], &[("eval_id", "\"eval_id\" is not allowed to be empty")]),
            (
                "benchmark_spec_id null",
                &[("/benchmark_spec_id", Some("null"))],
                &[("benchmark_spec_id", "\"benchmark_spec_id\" must be a string")],
            ),
            (
                "dataset_hash uppercase",
                &[("/dataset_hash", Some("\"0xED53B1CBBF774DC829ECCC7EE102EDE858194627E6272BCA5A7495217DAF93E3\""))],
                &[(
                    "dataset_hash",
                    "\"dataset_hash\" with value \"0xED53B1CBBF774DC829ECCC7EE102EDE858194627E6272BCA5A7495217DAF93E3\" fails to match the required pattern: /^0x[0-9a-f]{64}$/",
                )],
            ),
            (
                "attestation_hash short",
                &[("/attestation_hash", Some("\"0x1234\""))],
                &[(
                    "attestation_hash",
                    "\"attestation_hash\" with value \"0x1234\" fails to match the required pattern: /^0x[0-9a-f]{64}$/",
                )],
            ),
            (
                "idempotency_key required",
                &[("/idempotency_key", None)],
                &[("idempotency_key", "\"idempotency_key\" is required")],
            ),
            (
                "baseline_commitment no prefix",
                &[("/baseline_commitment", Some("\"3be99f6dd92401c494487c87af6d32b7afa5d9f990fb7ee62d1d8b01b530ed05\""))],
                &[(
                    "baseline_commitment",
                    "\"baseline_commitment\" with value \"3be99f6dd92401c494487c87af6d32b7afa5d9f990fb7ee62d1d8b01b530ed05\" fails to match the required pattern: /^0x[0-9a-f]{64}$/",
                )],
            ),
            (
                "candidate_commitment empty",
                &[("/candidate_commitment", Some("\"\""))],
                &[("candidate_commitment", "\"candidate_commitment\" is not allowed to be empty")],
            ),
            (
                "signatures empty",
                &[("/attester_signatures", Some("[]"))],
                &[("attester_signatures", "\"attester_signatures\" must contain at least 1 items")],
            ),
            (
                "signatures nine",
                &[(
                    "/attester_signatures",
                    Some("[\"{SIG}\",\"{SIG}\",\"{SIG}\",\"{SIG}\",\"{SIG}\",\"{SIG}\",\"{SIG}\",\"{SIG}\",\"{SIG}\"]"),
                )],
                &[("attester_signatures", "\"attester_signatures\" must contain less than or equal to 8 items")],
            ),
            (
                "signature pattern",
                &[("/attester_signatures", Some("[\"{SIG}\",\"0x12\"]"))],
                &[(
                    "attester_signatures[1]",
                    "\"attester_signatures[1]\" with value \"0x12\" fails to match the required pattern: /^0x[0-9a-fA-F]{130}$/",
                )],
            ),
            (
                "signature not a string",
                &[("/attester_signatures", Some("[null]"))],
                &[("attester_signatures[0]", "\"attester_signatures[0]\" must be a string")],
            ),
            (
                "signatures not an array",
                &[("/attester_signatures", Some("\"{SIG}\""))],
                &[("attester_signatures", "\"attester_signatures\" must be an array")],
            ),
            (
                "totalSamples zero",
                &[("/totalSamples", Some("0"))],
                &[("totalSamples", "\"totalSamples\" must be greater than or equal to 1")],
            ),
            (
                "totalSamples fraction",
                &[("/totalSamples", Some("1.5"))],
                &[("totalSamples", "\"totalSamples\" must be an integer")],
            ),
            (
                "totalSamples negative fraction",
                &[("/totalSamples", Some("-1.5"))],
                &[
                    ("totalSamples", "\"totalSamples\" must be an integer"),
                    ("totalSamples", "\"totalSamples\" must be greater than or equal to 1"),
                ],
            ),
            (
                "totalSamples text",
                &[("/totalSamples", Some("\"abc\""))],
                &[("totalSamples", "\"totalSamples\" must be a number")],
            ),
            (
                "totalSamples unsafe",
                &[("/totalSamples", Some("9007199254740992"))],
                &[("totalSamples", "\"totalSamples\" must be a safe number")],
            ),
            (
                "totalSamples unsafe string",
                &[("/totalSamples", Some("\"9007199254740993\""))],
                &[("totalSamples", "\"totalSamples\" must be a safe number")],
            ),
            (
                "totalSamples boolean",
                &[("/totalSamples", Some("true"))],
                &[("totalSamples", "\"totalSamples\" must be a number")],
            ),
            ("deadline zero", &[("/deadline", Some("0"))], &[("deadline", "\"deadline\" must be greater than or equal to 1")]),
            ("deadline required", &[("/deadline", None)], &[("deadline", "\"deadline\" is required")]),
            ("evaluation null", &[("/evaluation", Some("null"))], &[("evaluation", "\"evaluation\" must be of type object")]),
            ("evaluation array", &[("/evaluation", Some("[]"))], &[("evaluation", "\"evaluation\" must be of type object")]),
            ("evaluation required", &[("/evaluation", None)], &[("evaluation", "\"evaluation\" is required")]),
            (
                "contributors empty",
                &[("/contributors", Some("[]"))],
                &[
                    ("contributors", "\"contributors\" must contain at least 1 items"),
                    ("contributors", "\"contributors\" contains an invalid value"),
                ],
            ),
            (
                "contributors not an array",
                &[("/contributors", Some("{}"))],
                &[("contributors", "\"contributors\" must be an array")],
            ),
            (
                "contributors weights short",
                &[
                    ("/contributors/0/weight_bps", Some("7000")),
                    (
                        "/contributors/1",
                        Some("{\"wallet_address\":\"0x2222222233334444555566667777888899990000\",\"weight_bps\":2000}"),
                    ),
                ],
                &[("contributors", "\"contributors\" contains an invalid value")],
            ),
            (
                "contributors null item",
                &[("/contributors/0", Some("null"))],
                &[("contributors[0]", "\"contributors[0]\" must be of type object"), ("contributors", "")],
            ),
            (
                "contributors number item",
                &[("/contributors/0", Some("5"))],
                &[
                    ("contributors[0]", "\"contributors[0]\" must be of type object"),
                    ("contributors", "\"contributors\" contains an invalid value"),
                ],
            ),
            (
                "retryCount negative",
                &[("/_retryCount", Some("-1"))],
                &[("_retryCount", "\"_retryCount\" must be greater than or equal to 0")],
            ),
            ("retryCount fraction", &[("/_retryCount", Some("1.5"))], &[("_retryCount", "\"_retryCount\" must be an integer")]),
            ("retryCount null", &[("/_retryCount", Some("null"))], &[("_retryCount", "\"_retryCount\" must be a number")]),
            ("unknown root key", &[("/note", Some("\"x\""))], &[("note", "\"note\" is not allowed")]),
            (
                "metric_name empty",
                &[("/evaluation/metric_name", Some("\"\""))],
                &[("evaluation.metric_name", "\"evaluation.metric_name\" is not allowed to be empty")],
            ),
            (
                "metric_family required",
                &[("/evaluation/metric_family", None)],
                &[("evaluation.metric_family", "\"evaluation.metric_family\" is required")],
            ),
            (
                "baseline_score_bps above",
                &[("/evaluation/baseline_score_bps", Some("10001"))],
                &[("evaluation.baseline_score_bps", "\"evaluation.baseline_score_bps\" must be less than or equal to 10000")],
            ),
            (
                "baseline_score_bps below",
                &[("/evaluation/baseline_score_bps", Some("-1"))],
                &[("evaluation.baseline_score_bps", "\"evaluation.baseline_score_bps\" must be greater than or equal to 0")],
            ),
            (
                "new_score_bps fraction",
                &[("/evaluation/new_score_bps", Some("7200.5"))],
                &[("evaluation.new_score_bps", "\"evaluation.new_score_bps\" must be an integer")],
            ),
            (
                "max_cost_usd_micro unsafe",
                &[("/evaluation/max_cost_usd_micro", Some("9007199254740992"))],
                &[("evaluation.max_cost_usd_micro", "\"evaluation.max_cost_usd_micro\" must be a safe number")],
            ),
            (
                "actual_cost_usd_micro negative",
                &[("/evaluation/actual_cost_usd_micro", Some("-1"))],
                &[(
                    "evaluation.actual_cost_usd_micro",
                    "\"evaluation.actual_cost_usd_micro\" must be greater than or equal to 0",
                )],
            ),
            (
                "sample_size_baseline negative",
                &[("/evaluation/sample_size_baseline", Some("-1"))],
                &[("evaluation.sample_size_baseline", "\"evaluation.sample_size_baseline\" must be greater than or equal to 0")],
            ),
            (
                "sample_size_candidate fraction",
                &[("/evaluation/sample_size_candidate", Some("200.5"))],
                &[("evaluation.sample_size_candidate", "\"evaluation.sample_size_candidate\" must be an integer")],
            ),
            (
                "ci_low_bps above",
                &[("/evaluation/ci_low_bps", Some("10001"))],
                &[("evaluation.ci_low_bps", "\"evaluation.ci_low_bps\" must be less than or equal to 10000")],
            ),
            (
                "ci_high_bps below",
                &[("/evaluation/ci_high_bps", Some("-1"))],
                &[("evaluation.ci_high_bps", "\"evaluation.ci_high_bps\" must be greater than or equal to 0")],
            ),
            (
                "p_value above",
                &[("/evaluation/p_value", Some("1.5"))],
                &[("evaluation.p_value", "\"evaluation.p_value\" must be less than or equal to 1")],
            ),
            (
                "p_value below",
                &[("/evaluation/p_value", Some("-0.1"))],
                &[("evaluation.p_value", "\"evaluation.p_value\" must be greater than or equal to 0")],
            ),
            (
                "p_value text",
                &[("/evaluation/p_value", Some("\"small\""))],
                &[("evaluation.p_value", "\"evaluation.p_value\" must be a number")],
            ),
            (
                "effect_size_bps above",
                &[("/evaluation/effect_size_bps", Some("20000"))],
                &[("evaluation.effect_size_bps", "\"evaluation.effect_size_bps\" must be less than or equal to 10000")],
            ),
            (
                "statistical_method empty",
                &[("/evaluation/statistical_method", Some("\"\""))],
                &[("evaluation.statistical_method", "\"evaluation.statistical_method\" is not allowed to be empty")],
            ),
            (
                "statistical_method long",
                &[("/evaluation/statistical_method", Some("\"{M129}\""))],
                &[(
                    "evaluation.statistical_method",
                    "\"evaluation.statistical_method\" length must be less than or equal to 128 characters long",
                )],
            ),
            (
                "statistical_reason long",
                &[("/evaluation/statistical_reason", Some("\"{E1025}\""))],
                &[(
                    "evaluation.statistical_reason",
                    "\"evaluation.statistical_reason\" length must be less than or equal to 1024 characters long",
                )],
            ),
            (
                "statistical_reason number",
                &[("/evaluation/statistical_reason", Some("5"))],
                &[("evaluation.statistical_reason", "\"evaluation.statistical_reason\" must be a string")],
            ),
            (
                "evaluation unknown key",
                &[("/evaluation/foo", Some("1"))],
                &[("evaluation.foo", "\"evaluation.foo\" is not allowed")],
            ),
            (
                "no sample size",
                &[("/evaluation/sample_size_candidate", None)],
                &[(
                    "evaluation",
                    "\"evaluation\" must include a positive integer sample_size_candidate or sample_size_baseline to derive totalSamples",
                )],
            ),
            (
                "zero sample sizes",
                &[("/evaluation/sample_size_candidate", Some("0")), ("/evaluation/sample_size_baseline", Some("0"))],
                &[(
                    "evaluation",
                    "\"evaluation\" must include a positive integer sample_size_candidate or sample_size_baseline to derive totalSamples",
                )],
            ),
            (
                "null sample sizes",
                &[("/evaluation/sample_size_candidate", Some("null")), ("/evaluation/sample_size_baseline", Some("null"))],
                &[(
                    "evaluation",
                    "\"evaluation\" must include a positive integer sample_size_candidate or sample_size_baseline to derive totalSamples",
                )],
            ),
            (
                "candidate mismatch",
                &[("/evaluation/sample_size_candidate", Some("300"))],
                &[("", "\"totalSamples\" (200) does not match evaluation.sample_size_candidate (300)")],
            ),
            (
                "candidate mismatch hidden by another error",
                &[("/evaluation/sample_size_candidate", Some("300")), ("/model_id", Some("\"\""))],
                &[("model_id", "\"model_id\" is not allowed to be empty")],
            ),
            (
                "wallet pattern",
                &[("/contributors/0/wallet_address", Some("\"0x123\""))],
                &[(
                    "contributors[0].wallet_address",
                    "\"contributors[0].wallet_address\" with value \"0x123\" fails to match the required pattern: /^0x[a-fA-F0-9]{40}$/",
                )],
            ),
            (
                "wallet required",
                &[("/contributors/0/wallet_address", None)],
                &[("contributors[0].wallet_address", "\"contributors[0].wallet_address\" is required")],
            ),
            (
                "weight zero",
                &[("/contributors/0/weight_bps", Some("0"))],
                &[
                    ("contributors[0].weight_bps", "\"contributors[0].weight_bps\" must be greater than or equal to 1"),
                    ("contributors", "\"contributors\" contains an invalid value"),
                ],
            ),
            (
                "weight above",
                &[("/contributors/0/weight_bps", Some("10001"))],
                &[
                    ("contributors[0].weight_bps", "\"contributors[0].weight_bps\" must be less than or equal to 10000"),
                    ("contributors", "\"contributors\" contains an invalid value"),
                ],
            ),
            (
                "weight text",
                &[("/contributors/0/weight_bps", Some("\"all\""))],
                &[
                    ("contributors[0].weight_bps", "\"contributors[0].weight_bps\" must be a number"),
                    ("contributors", "\"contributors\" contains an invalid value"),
                ],
            ),
            (
                "recipientKind other",
                &[("/contributors/0/recipientKind", Some("\"bank\""))],
                &[("contributors[0].recipientKind", "\"contributors[0].recipientKind\" must be one of [wallet, escrow, null]")],
            ),
            (
                "recipientKind empty",
                &[("/contributors/0/recipientKind", Some("\"\""))],
                &[
                    ("contributors[0].recipientKind", "\"contributors[0].recipientKind\" must be one of [wallet, escrow, null]"),
                    ("contributors[0].recipientKind", "\"contributors[0].recipientKind\" is not allowed to be empty"),
                ],
            ),
            (
                "submissionId empty",
                &[("/contributors/0/submissionId", Some("\"\""))],
                &[("contributors[0].submissionId", "\"contributors[0].submissionId\" is not allowed to be empty")],
            ),
            (
                "contributionBatchId number",
                &[("/contributors/0/contributionBatchId", Some("5"))],
                &[("contributors[0].contributionBatchId", "\"contributors[0].contributionBatchId\" must be a string")],
            ),
            (
                "contributorId empty",
                &[("/contributors/0/contributorId", Some("\"\""))],
                &[("contributors[0].contributorId", "\"contributors[0].contributorId\" is not allowed to be empty")],
            ),
            (
                "contributor unknown key",
                &[("/contributors/0/note", Some("\"x\""))],
                &[("contributors[0].note", "\"contributors[0].note\" is not allowed")],
            ),
            (
                "contributor unknown key with string weight",
                &[("/contributors/0/note", Some("\"x\"")), ("/contributors/0/weight_bps", Some("\"10000\""))],
                &[
                    ("contributors[0].note", "\"contributors[0].note\" is not allowed"),
                    ("contributors", "\"contributors\" contains an invalid value"),
                ],
            ),
            (
                "several errors in order",
                &[
                    ("/zzz", Some("1")),
                    ("/5", Some("1")),
                    ("/message_type", None),
                    ("/evaluation/foo", Some("1")),
                    ("/evaluation/metric_name", Some("\"\"")),
                    ("/contributors/0/weight_bps", Some("0")),
                    ("/dataset_hash", Some("\"x\"")),
                ],
                &[
                    ("message_type", "\"message_type\" is required"),
                    ("dataset_hash", "\"dataset_hash\" with value \"x\" fails to match the required pattern: /^0x[0-9a-f]{64}$/"),
                    ("evaluation.metric_name", "\"evaluation.metric_name\" is not allowed to be empty"),
                    ("evaluation.foo", "\"evaluation.foo\" is not allowed"),
                    ("contributors[0].weight_bps", "\"contributors[0].weight_bps\" must be greater than or equal to 1"),
                    ("contributors", "\"contributors\" contains an invalid value"),
                    ("5", "\"5\" is not allowed"),
                    ("zzz", "\"zzz\" is not allowed"),
                ],
            ),
        ];
        for (name, edits, expected) in cases {
            let mut v = pipeline();
            for (ptr, new) in *edits {
                edit(&mut v, ptr, new.map(|t| serde_json::from_str(&expand(t)).unwrap()));
            }
            let expected: Vec<(String, String)> = expected.iter().map(|(p, m)| (p.to_string(), expand(m))).collect();
            assert_eq!(violations(&v), expected, "{name}");
        }
    }

    #[test]
    fn joi_reason_joins_messages_like_the_deployer() {
        let mut v = example();
        edit(&mut v, "/message_id", Some(json!("")));
        edit(&mut v, "/contributors/0", Some(Value::Null));
        let Err(Reject::Schema(errors)) = parse_and_validate(&compact(&v)) else { panic!() };
        assert_eq!(
            joi_reason(&errors),
            "\"message_id\" is not allowed to be empty. \"contributors[0]\" must be of type object. "
        );
        assert_eq!(Reject::Schema(errors).reason(), joi_reason(&violations_of(&v)));
        assert_eq!(Reject::InvalidJson.reason(), "Invalid JSON");
    }

    fn violations_of(v: &Value) -> Vec<Violation> {
        validate(v).unwrap_err()
    }

    #[test]
    fn raw_bytes_are_read_like_json_parse() {
        for raw in ["", "{", "x", "\u{feff}{}", "{\"a\":1,}", "{'a':1}", "NaN"] {
            assert_eq!(parse_and_validate(raw.as_bytes()), Err(Reject::InvalidJson), "{raw:?}");
        }
        for raw in ["5", "[]", "null", "\"text\"", "1e400"] {
            let Err(Reject::Schema(e)) = parse_and_validate(raw.as_bytes()) else { panic!("{raw}") };
            assert_eq!(joi_reason(&e), "\"value\" must be of type object", "{raw}");
            assert_eq!(e[0].path, "");
        }
        let wire = String::from_utf8(compact(&example())).unwrap();
        let reason = |text: String| parse_and_validate(text.as_bytes()).map_err(|r| r.reason());
        // Overflowing numbers are JavaScript's Infinity: a schema reject, not a parse failure.
        assert_eq!(
            reason(wire.replace("\"totalSamples\":200", "\"totalSamples\":1e400")).unwrap_err(),
            "\"totalSamples\" cannot be infinity"
        );
        assert_eq!(
            reason(wire.replace("\"deadline\":4102444800", "\"deadline\":-1e400")).unwrap_err(),
            "\"deadline\" cannot be infinity"
        );
        assert_eq!(
            reason(wire.replace("\"model_id\":\"demo-model\"", "\"model_id\":1e400")).unwrap_err(),
            "\"model_id\" must be a string"
        );
        assert_eq!(reason(wire.replacen('{', "{\"zz\":1e400,", 1)).unwrap_err(), "\"zz\" is not allowed");
        assert_eq!(
            reason(wire.replace("\"weight_bps\":10000", "\"weight_bps\":1e400")).unwrap_err(),
            "\"contributors[0].weight_bps\" cannot be infinity. \"contributors\" contains an invalid value"
        );
        // Integral numbers written as decimals or exponents are integers to JavaScript.
        let ok = reason(wire.replace("\"totalSamples\":200", "\"totalSamples\":200.000").replace("4102444800", "4.1024448e9"))
            .unwrap();
        assert_eq!(ok, example());
        assert_eq!(reason(wire.replace("4102444800", "4102444800.5")).unwrap_err(), "\"deadline\" must be an integer");
        // Duplicate keys: first position, last value.
        let dup = wire.replacen('{', "{\"message_type\":\"x\",", 1).replacen("\"message_type\":\"mint_request\",", "", 1);
        assert_eq!(reason(dup).unwrap_err(), "\"message_type\" must be [mint_request]");
        let dup = wire.replacen('{', "{\"message_type\":\"x\",", 1);
        assert_eq!(reason(dup).unwrap(), example());
        // Invalid UTF-8 is replaced as node-redis decodes it.
        let lossy = parse_and_validate(
            &wire
                .replace("demo-model", "demo\u{1}model")
                .as_bytes()
                .iter()
                .map(|&b| if b == 1 { 0xff } else { b })
                .collect::<Vec<_>>(),
        )
        .unwrap();
        assert_eq!(lossy["model_id"], "demo\u{fffd}model");
        // Unknown keys in Object.keys order: array-index keys first.
        let keys = wire.replacen('{', "{\"b\":1,\"10\":1,\"2\":1,\"01\":1,", 1);
        assert_eq!(
            reason(keys).unwrap_err(),
            "\"2\" is not allowed. \"10\" is not allowed. \"b\" is not allowed. \"01\" is not allowed"
        );
    }

    #[test]
    fn proto_keys_act_as_in_javascript() {
        let wire = String::from_utf8(compact(&example())).unwrap();
        let run_raw = |text: String| parse_and_validate(text.as_bytes()).map_err(|r| r.reason());
        // Neither reported nor kept.
        for proto in ["5", "null", "{\"zzz\":1}", "[1]"] {
            let out = run_raw(wire.replacen('{', &format!("{{\"__proto__\":{proto},"), 1)).unwrap();
            assert_eq!(out, example(), "{proto}");
        }
        // A missing schema key is read from it and appended, converted.
        let out = run_raw(wire.replacen('{', "{\"__proto__\":{\"_retryCount\":\"3\"},", 1)).unwrap();
        assert_eq!(out.as_object().unwrap().keys().next_back().unwrap(), "_retryCount");
        assert_eq!(out["_retryCount"], 3);
        assert_eq!(
            run_raw(wire.replacen('{', "{\"__proto__\":{\"_retryCount\":-1},", 1)).unwrap_err(),
            "\"_retryCount\" must be greater than or equal to 0"
        );
    }

    #[test]
    fn numeric_strings_convert_as_joi_does() {
        let set = |ptr: &str, value: Value| {
            let mut v = example();
            edit(&mut v, ptr, Some(value));
            v
        };
        for (text, n) in [
            ("200", 200),
            (" 200 ", 200),
            ("+200", 200),
            ("0200", 200),
            ("200.0", 200),
            ("200.", 200),
            ("2e2", 200),
            ("\u{a0}200\u{3000}", 200),
        ] {
            let v = set("/totalSamples", json!(text));
            assert_eq!(validate(&v), Ok(()), "{text:?}");
            assert_eq!(normalise(&v)["totalSamples"], json!(n), "{text:?}");
        }
        let messages = |v: Value| violations(&v).into_iter().map(|(_, m)| m).collect::<Vec<_>>();
        assert_eq!(
            messages(set("/totalSamples", json!("1000.0"))),
            ["\"totalSamples\" (1000) does not match evaluation.sample_size_candidate (200)"]
        );
        assert_eq!(
            messages(set("/totalSamples", json!(".5"))),
            ["\"totalSamples\" must be an integer", "\"totalSamples\" must be greater than or equal to 1"]
        );
        for bad in ["", " ", "0x10", "1_000", "ten", "Infinity", "1e", "e5", "--1"] {
            assert_eq!(messages(set("/totalSamples", json!(bad))), ["\"totalSamples\" must be a number"], "{bad:?}");
        }
        for unsafe_ in ["1e400", "9007199254740993", "100000000000000000000000"] {
            assert_eq!(messages(set("/totalSamples", json!(unsafe_))), ["\"totalSamples\" must be a safe number"], "{unsafe_:?}");
        }
        assert_eq!(
            messages(set("/evaluation/p_value", json!("0.1000000000000000055511151231257827"))),
            ["\"evaluation.p_value\" must be a safe number"]
        );
        for (text, expected) in
            [("0.03", json!(0.03)), ("0.10", json!(0.1)), ("1e-7", json!(1e-7)), ("1", json!(1)), ("-0", json!(0))]
        {
            let v = set("/evaluation/p_value", json!(text));
            assert_eq!(normalise(&v)["evaluation"]["p_value"], expected, "{text}");
        }
        // Strings do not take numbers.
        assert_eq!(messages(set("/model_id", json!(7))), ["\"model_id\" must be a string"]);
    }

    #[test]
    fn normalise_converts_like_the_deployer() {
        let mut v = pipeline();
        v["timestamp"] = json!("2026-05-05T12:00:00.123456+02:00");
        v["totalSamples"] = json!("200");
        v["evaluation"]["baseline_score_bps"] = json!("7000");
        v["evaluation"]["p_value"] = json!("0.03");
        v["contributors"][0]["weight_bps"] = json!(1e4);
        v["_retryCount"] = json!("2");
        let n = normalise(&v);
        assert_eq!(n["timestamp"], "2026-05-05T10:00:00.123Z");
        assert_eq!(n["totalSamples"], json!(200));
        assert_eq!(n["evaluation"]["baseline_score_bps"], json!(7000));
        assert_eq!(n["evaluation"]["p_value"], json!(0.03));
        assert_eq!(n["contributors"][0]["weight_bps"], json!(10000));
        assert_eq!(n["_retryCount"], json!(2));
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&n), keys(&v));
        assert_eq!(keys(&n["evaluation"]), keys(&v["evaluation"]));
        let bytes = String::from_utf8(retry_member(&n, 3)).unwrap();
        assert!(bytes.contains("\"totalSamples\":200,\"deadline\":4102444800,"), "{bytes}");
        assert!(bytes.contains("\"p_value\":0.03,"), "{bytes}");
        assert!(bytes.contains("\"weight_bps\":10000,"), "{bytes}");
    }

    #[test]
    fn timestamps_convert_as_new_date_to_iso_string() {
        // Outputs checked against Joi 17.13.3 under Node 20 with TZ=UTC.
        let cases: &[(&str, Option<&str>)] = &[
            ("2026-05-05T12:00:00.000000+00:00", Some("2026-05-05T12:00:00.000Z")),
            ("2026-05-05T12:00:00+00:00", Some("2026-05-05T12:00:00.000Z")),
            ("2026-05-05T12:00:00.123456789Z", Some("2026-05-05T12:00:00.123Z")),
            ("2026-05-05T23:59:59.9999Z", Some("2026-05-05T23:59:59.999Z")),
            ("2026-05-05T12:00:00.5", Some("2026-05-05T12:00:00.500Z")),
            ("2026-05-05T12:00:00+02:00", Some("2026-05-05T10:00:00.000Z")),
            ("2026-05-05T12:00:00+0200", Some("2026-05-05T10:00:00.000Z")),
            ("2026-05-05T12:00:00+02", Some("2026-05-05T10:00:00.000Z")),
            ("2026-05-05T12:00:00-05:30", Some("2026-05-05T17:30:00.000Z")),
            ("2026-05-05T00:00:00+00:59", Some("2026-05-04T23:01:00.000Z")),
            ("2026-05-05T12:00", Some("2026-05-05T12:00:00.000Z")),
            ("2026-05-05T12:00:00", Some("2026-05-05T12:00:00.000Z")),
            ("2026-05-05 12:00:00", Some("2026-05-05T12:00:00.000Z")),
            ("2026-05-05\t12:00:00Z", Some("2026-05-05T12:00:00.000Z")),
            ("2026-05-05 12:00+02", Some("2026-05-05T10:00:00.000Z")),
            ("2026-05-05T24:00", Some("2026-05-06T00:00:00.000Z")),
            ("2026-05-05T24:00+01:00", Some("2026-05-05T23:00:00.000Z")),
            ("2026-05-05", Some("2026-05-05T00:00:00.000Z")),
            ("2026-05", Some("2026-05-01T00:00:00.000Z")),
            ("2026", Some("2026-01-01T00:00:00.000Z")),
            ("2026-05T12:00", Some("2026-05-01T12:00:00.000Z")),
            ("2026-02-30", Some("2026-03-02T00:00:00.000Z")),
            ("2026-02-29T12:00Z", Some("2026-03-01T12:00:00.000Z")),
            ("+002026-05-05", Some("2026-05-05T00:00:00.000Z")),
            ("-002026-05-05", Some("-002026-05-05T00:00:00.000Z")),
            ("0000-01-01T00:00:00+01:00", Some("-000001-12-31T23:00:00.000Z")),
            ("9999-12-31T23:59:59-01:00", Some("+010000-01-01T00:59:59.000Z")),
            ("+275760-09-13T00:00:00Z", Some("+275760-09-13T00:00:00.000Z")),
            ("+275760-09-13T00:00:00.001Z", None),
            ("-271821-04-19T23:59:59.999Z", None),
            ("20260505", None),
            ("2026-W10", None),
            ("2026-123", None),
            ("2026-05-05T12", None),
            ("2026-05-05T12Z", None),
            ("2026-05-05T", None),
            ("2026-05-05T12:00:00,5", None),
            ("2026-05-05T12:00.5", None),
            ("2026-05-05T1200", None),
            ("2026-05-05T24:00:00", None),
            ("2026-05-05T12:60", None),
            ("2026-05-05T12:00:00z", None),
            ("2026-05-05t12:00:00Z", None),
            ("2026-05-05T12:00:00 Z", None),
            ("2026-05-05T12:00:00+24:00", None),
            ("2026-05-05\u{2028}12:00:00Z", None),
            ("2026-5-5", None),
            ("2026-13-01", None),
            ("2026-05-05Z", None),
            ("yesterday", None),
        ];
        for (input, expected) in cases {
            let mut v = example();
            v["timestamp"] = json!(input);
            match expected {
                Some(out) => assert_eq!(normalise(&v)["timestamp"], json!(out), "{input:?}"),
                None => assert_eq!(
                    violations(&v),
                    [("timestamp".to_owned(), "\"timestamp\" must be in iso format".to_owned())],
                    "{input:?}"
                ),
            }
        }
    }

    #[test]
    fn retry_member_and_replay_payload_bytes() {
        let n = example();
        let wire = String::from_utf8(compact(&n)).unwrap();
        let member = String::from_utf8(retry_member(&n, 1)).unwrap();
        assert_eq!(member, format!("{},\"_retryCount\":1}}", &wire[..wire.len() - 1]));
        assert!(member.ends_with("\"weight_bps\":10000}],\"_retryCount\":1}"));
        // Kept in place when present.
        let mut with = n.clone();
        with.as_object_mut().unwrap().shift_insert(1, "_retryCount".to_owned(), json!(2));
        let member = String::from_utf8(retry_member(&with, 3)).unwrap();
        assert!(member.starts_with("{\"message_type\":\"mint_request\",\"_retryCount\":3,\"schema_version\""), "{member}");
        assert_eq!(retry_count(&with), 2);
        assert_eq!(retry_count(&n), 0);
        assert_eq!(retry_count(&json!({"_retryCount": "4"})), 4);
        assert_eq!(retry_count(&json!({"_retryCount": 4.0})), 4);
        assert_eq!(retry_count(&json!({"_retryCount": -1})), 0);
        // The replay drops the counter and keeps the order of the rest.
        assert_eq!(String::from_utf8(replay_payload(&with)).unwrap(), wire);
        assert_eq!(replay_payload(&n), wire.as_bytes());
        // Members round-trip through the consumer.
        let back = parse_and_validate(&retry_member(&n, 1)).unwrap();
        assert_eq!(retry_count(&back), 1);
    }

    #[test]
    fn numbers_are_written_as_javascript_writes_them() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "0"),
            (1000.0, "1000"),
            (0.03, "0.03"),
            (1e21, "1e+21"),
            (1.5e21, "1.5e+21"),
            (1e20, "100000000000000000000"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (123.456, "123.456"),
            (-2.5, "-2.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            // Two shortest candidates, equally near: JavaScript takes the even one.
            (1944810262307570.2, "1944810262307570.2"),
            (270136745849456.12, "270136745849456.12"),
        ];
        for (f, text) in cases {
            assert_eq!(js_number(*f), *text, "{f:e}");
        }
        assert_eq!(
            js_json(&json!({"a": 1e-6, "b": [1.0, -3, 12345678901234567890u64], "c": POS_INFINITY})),
            "{\"a\":0.000001,\"b\":[1,-3,12345678901234567890],\"c\":null}"
        );
    }

    #[test]
    fn backoff_caps_and_delays() {
        let p = Policy::default();
        let ordinary: Vec<u64> = (0..=8).map(|r| backoff_cap_ms(r, &p.backoff)).collect();
        assert_eq!(ordinary, [0, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
        let budget: Vec<u64> = (1..=7).map(|r| backoff_cap_ms(r, &p.budget_backoff)).collect();
        assert_eq!(budget, [60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000, 1_800_000]);
        assert_eq!(backoff_cap_ms(24, &p.budget_backoff), 1_800_000);
        assert_eq!(backoff_cap_ms(u64::MAX, &p.budget_backoff), 1_800_000);
        assert_eq!(backoff_cap_ms(3, &Backoff { base_ms: 1000, max_ms: 0, multiplier: 2.0 }), 0);
        assert_eq!(backoff_cap_ms(2, &Backoff { base_ms: u64::MAX, max_ms: u64::MAX, multiplier: 1e300 }), u64::MAX);
        // The pinned numbers of the deployer's tests.
        let base = Backoff { base_ms: 1000, max_ms: 60_000, multiplier: 2.0 };
        assert_eq!(backoff_cap_ms(1, &base), 1000);
        assert_eq!(backoff_delay_ms(1, &base, 0.5), 500);
        let capped = Backoff { base_ms: 1000, max_ms: 3000, multiplier: 2.0 };
        assert_eq!(backoff_cap_ms(3, &capped), 3000);
        assert_eq!(backoff_delay_ms(3, &capped, 0.5), 1500);
        assert_eq!(1000 + backoff_delay_ms(1, &p.budget_backoff, 0.5), 31_000);
        assert_eq!(backoff_delay_ms(1, &base, 0.0), 0);
        assert_eq!(backoff_delay_ms(1, &base, 0.999_999_9), 1000);
        assert_eq!(backoff_delay_ms(1, &base, 1.0), 1000);
        assert_eq!(backoff_delay_ms(0, &base, 0.5), 0);
        let fractional = Backoff { base_ms: 1000, max_ms: 60_000, multiplier: 1.5 };
        assert_eq!(backoff_cap_ms(3, &fractional), 2250);
    }

    #[test]
    fn policy_from_env() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
        };
        assert_eq!(Policy::from_env(env(&[])), Ok(Policy::default()));
        let p = Policy::from_env(env(&[
            ("MINT_REQUEST_MAX_RETRIES", "0"),
            ("MINT_REQUEST_BUDGET_MAX_RETRIES", " 5 "),
            ("MINT_BACKOFF_BASE_MS", "500"),
            ("MINT_BACKOFF_MAX_MS", "1e4"),
            ("MINT_BUDGET_BACKOFF_BASE_MS", "1000"),
            ("MINT_BUDGET_BACKOFF_MAX_MS", "2000"),
            ("MINT_BACKOFF_MULTIPLIER", "1.5"),
        ]))
        .unwrap();
        assert_eq!(p.max_retries, 0);
        assert_eq!(p.budget_max_retries, 5);
        assert_eq!(p.backoff, Backoff { base_ms: 500, max_ms: 10_000, multiplier: 1.5 });
        assert_eq!(p.budget_backoff, Backoff { base_ms: 1000, max_ms: 2000, multiplier: 1.5 });
        let err = |pairs| Policy::from_env(env(pairs)).unwrap_err();
        let e = err(&[("MINT_REQUEST_MAX_RETRIES", "-1")]);
        assert!(e.contains("MINT_REQUEST_MAX_RETRIES") && e.contains("must be greater than or equal to 0"), "{e}");
        let e = err(&[("MINT_BACKOFF_BASE_MS", "1.5")]);
        assert!(e.contains("MINT_BACKOFF_BASE_MS") && e.contains("must be an integer"), "{e}");
        let e = err(&[("MINT_BACKOFF_MAX_MS", "")]);
        assert!(e.contains("MINT_BACKOFF_MAX_MS") && e.contains("must be a number"), "{e}");
        let e = err(&[("MINT_BACKOFF_MULTIPLIER", "0.5")]);
        assert!(e.contains("MINT_BACKOFF_MULTIPLIER") && e.contains("must be greater than or equal to 1"), "{e}");
        let e = err(&[("MINT_REQUEST_BUDGET_MAX_RETRIES", "9007199254740993")]);
        assert!(e.contains("must be a safe number"), "{e}");
    }

    #[test]
    fn decide_retries_and_dead_letters() {
        let p = Policy::default();
        assert_eq!(
            decide(0, "Model not registered", true, &p),
            Decision::DeadLetter { reason: "permanent: Model not registered".into(), failure_class: "permanent" }
        );
        assert_eq!(decide(0, "socket hang up", false, &p), Decision::Retry { member_retry_count: 1, delay_cap_ms: 1000 });
        assert_eq!(decide(2, "socket hang up", false, &p), Decision::Retry { member_retry_count: 3, delay_cap_ms: 4000 });
        assert_eq!(
            decide(3, "socket hang up", false, &p),
            Decision::DeadLetter { reason: "exhausted (retries=3): socket hang up".into(), failure_class: "transient" }
        );
        let budget = "MintBudgetExceeded: modelId=42 required=5 remaining=1";
        assert_eq!(decide(0, budget, false, &p), Decision::Retry { member_retry_count: 1, delay_cap_ms: 60_000 });
        assert_eq!(decide(5, budget, false, &p), Decision::Retry { member_retry_count: 6, delay_cap_ms: 1_800_000 });
        assert_eq!(decide(23, budget, false, &p), Decision::Retry { member_retry_count: 24, delay_cap_ms: 1_800_000 });
        assert_eq!(
            decide(24, budget, false, &p),
            Decision::DeadLetter { reason: format!("budget_exhausted (retries=24): {budget}"), failure_class: "transient" }
        );
        // One counter for both kinds: after 5 budget retries an ordinary error dead-letters at once.
        assert_eq!(
            decide(5, "timeout", false, &p),
            Decision::DeadLetter { reason: "exhausted (retries=5): timeout".into(), failure_class: "transient" }
        );
        // The budget test is case-sensitive; a permanent error is permanent even when it is a budget one.
        assert_eq!(
            decide(3, "mintbudgetexceeded", false, &p),
            Decision::DeadLetter { reason: "exhausted (retries=3): mintbudgetexceeded".into(), failure_class: "transient" }
        );
        assert!(matches!(decide(0, budget, true, &p), Decision::DeadLetter { failure_class: "permanent", .. }));
        let none = Policy { max_retries: 0, ..Policy::default() };
        assert_eq!(
            decide(0, "x", false, &none),
            Decision::DeadLetter { reason: "exhausted (retries=0): x".into(), failure_class: "transient" }
        );
        assert_eq!(error_class("Model is deactivated"), "permanent");
        assert_eq!(error_class("MINTREQUEST TRANSACTION REVERTED"), "permanent");
        assert_eq!(error_class("anything else"), "transient");
    }

    #[test]
    fn failure_tags_first_match_wins() {
        use FailureTag::*;
        let cases: &[(&str, FailureTag)] = &[
            ("budget_exhausted (retries=24): MintBudgetExceeded: modelId=1 required=2 remaining=0", BudgetExhausted),
            ("budget_exhausted (retries=24): MintRequest transaction outcome unknown after submit: x", BudgetExhausted),
            ("permanent: MintRequest transaction outcome unknown after submit: ECONNRESET", OutcomeUnknown),
            ("permanent: execution reverted: SignerNotAttester()", SignerNotAttester),
            ("permanent: Model not registered", ModelInactive),
            ("permanent: Model is deactivated", ModelInactive),
            ("permanent: MintRequest transaction reverted", PermanentRevert),
            ("permanent: execution reverted (unknown custom error)", PermanentRevert),
            ("\"attester_signatures\" must contain at least 1 items", SchemaReject),
            ("\"message_type\" is required", SchemaReject),
            ("\"evaluation.foo\" is not allowed", SchemaReject),
            ("\"message_id\" is not allowed to be empty", SchemaReject),
            ("\"X\" IS REQUIRED", SchemaReject),
            (
                "\"evaluation\" must include a positive integer sample_size_candidate or sample_size_baseline to derive totalSamples",
                SchemaReject,
            ),
            ("MUST INCLUDE A POSITIVE INTEGER SAMPLE_SIZE_CANDIDATE", SchemaReject),
            ("\"a\" with value \"x\" fails to match the required pattern: /^x$/. \"b\" is required", SchemaReject),
            // The verified quirks: all `other`.
            ("Invalid JSON", Other),
            ("\"dataset_hash\" with value \"0x12\" fails to match the required pattern: /^0x[0-9a-f]{64}$/", Other),
            ("\"contributors\" contains an invalid value", Other),
            ("\"totalSamples\" (200) does not match evaluation.sample_size_candidate (300)", Other),
            ("exhausted (retries=3): socket hang up", Other),
            ("permanent: Direct-mint settlement failed: HTTP 500", Other),
            // `.` stops at a line terminator; the quote must be closed by another one.
            ("\"a\n\" is required", Other),
            ("\"a\u{2028}\" is required", Other),
            ("\" is required", Other),
            ("\"a\" must", Other),
            ("", Other),
        ];
        for (reason, tag) in cases {
            assert_eq!(FailureTag::classify(reason), *tag, "{reason:?}");
        }
        let names: Vec<&str> = FailureTag::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(
            names,
            [
                "budget_exhausted",
                "outcome_unknown",
                "signer_not_attester",
                "model_inactive",
                "permanent_revert",
                "schema_reject",
                "other"
            ]
        );
        use clap::ValueEnum;
        for tag in FailureTag::ALL {
            assert_eq!(FailureTag::from_str(tag.as_str(), false), Ok(tag));
        }
        // What the consumer actually writes classifies as documented.
        let Err(r) = parse_and_validate(b"{") else { panic!() };
        assert_eq!(FailureTag::classify(&r.reason()), Other);
    }

    #[test]
    fn dlq_entry_layout() {
        let ts = "2026-07-01T10:00:00.000Z";
        let q = "hokusai:mint_requests";
        let raw = b"{ \"a\" : 1000.0, \"b\":[12345678901234567890, \"x y\"] }";
        let entry = dlq_entry(raw, "Invalid JSON", "permanent", q, ts).unwrap();
        assert_eq!(
            String::from_utf8(entry).unwrap(),
            "{\"originalMessage\":{\"a\":1000.0,\"b\":[12345678901234567890,\"x y\"]},\"error\":\"Invalid JSON\",\
             \"reason\":\"Invalid JSON\",\"failureClass\":\"permanent\",\"timestamp\":\"2026-07-01T10:00:00.000Z\",\
             \"queue\":\"hokusai:mint_requests\"}"
        );
        let entry = dlq_entry(b"not \"json\"\n", "Invalid JSON", "permanent", q, ts).unwrap();
        assert!(String::from_utf8(entry).unwrap().starts_with("{\"originalMessage\":\"not \\\"json\\\"\\n\",\"error\":"));
        let entry = dlq_entry(b"5", "\"value\" must be of type object", "permanent", q, ts).unwrap();
        assert!(String::from_utf8(entry).unwrap().starts_with("{\"originalMessage\":5,\"error\":\"\\\"value\\\" must be"));
        // What JSON.parse accepts is JSON, even where serde_json's Value would refuse it.
        let entry = dlq_entry(b"{\"x\":1e400,\"y\":\"\\ud800\"}", "r", "permanent", q, ts).unwrap();
        assert!(String::from_utf8(entry).unwrap().starts_with("{\"originalMessage\":{\"x\":1e400,\"y\":\"\\ud800\"},"));
        assert_eq!(dlq_entry(b"{\"a\":\"\xff\"}", "r", "permanent", q, ts), None);
        assert_eq!(dlq_entry(b"\xff", "r", "permanent", q, ts), None);
        // A retried message's entry as the consumer writes it.
        let member = retry_member(&example(), 3);
        let entry = dlq_entry(&member, "exhausted (retries=3): timeout", "transient", q, ts).unwrap();
        let text = String::from_utf8(entry).unwrap();
        assert_eq!(
            text,
            format!(
                "{{\"originalMessage\":{},\"error\":\"exhausted (retries=3): timeout\",\"reason\":\"exhausted (retries=3): timeout\",\"failureClass\":\"transient\",\"timestamp\":\"{ts}\",\"queue\":\"{q}\"}}",
                String::from_utf8(member).unwrap()
            )
        );
    }

    #[test]
    fn parse_entry_reads_both_shapes() {
        let ts = "2026-07-01T10:00:00.000Z";
        let q = "hokusai:mint_requests";
        let wire = compact(&example());
        let entry = parse_entry(&dlq_entry(&wire, "permanent: Model not registered", "permanent", q, ts).unwrap()).unwrap();
        assert_eq!(entry.original, Original::Object(example()));
        assert_eq!(entry.original.raw_bytes(), wire);
        assert_eq!(entry.reason, "permanent: Model not registered");
        assert_eq!(entry.error.as_deref(), Some("permanent: Model not registered"));
        assert_eq!(entry.failure_class.as_deref(), Some("permanent"));
        assert_eq!(entry.timestamp.as_deref(), Some(ts));
        assert_eq!(entry.queue.as_deref(), Some(q));
        assert!(entry.has_reason);

        let entry = parse_entry(&dlq_entry(b"{oops", "Invalid JSON", "permanent", q, ts).unwrap()).unwrap();
        assert_eq!(entry.original, Original::Text("{oops".into()));
        assert_eq!(entry.original.raw_bytes(), b"{oops");

        for (original, expected) in [("5", json!(5)), ("[1,2]", json!([1, 2])), ("null", Value::Null), ("true", json!(true))] {
            let raw = format!("{{\"originalMessage\":{original},\"reason\":\"r\"}}");
            let entry = parse_entry(raw.as_bytes()).unwrap();
            assert_eq!(entry.original, Original::Other(expected), "{original}");
            assert_eq!(entry.original.raw_bytes(), original.as_bytes());
            assert_eq!((entry.error, entry.failure_class, entry.timestamp, entry.queue), (None, None, None, None));
        }
        assert_eq!(parse_entry(b"{\"reason\":\"r\"}").unwrap().original, Original::Other(Value::Null));

        // The deployment flow's shape: no reason, the error stands for it.
        let raw = br#"{"originalMessage":{"model_id":"m","_retryCount":3},"error":"boom","timestamp":"t","queue":"hokusai:model_ready_queue"}"#;
        let entry = parse_entry(raw).unwrap();
        assert!(!entry.has_reason);
        assert_eq!(entry.reason, "boom");
        assert_eq!(entry.queue.as_deref(), Some("hokusai:model_ready_queue"));
        assert_eq!(entry.original.raw_bytes(), br#"{"model_id":"m","_retryCount":3}"#);

        // Unparseable for the official CLI.
        for raw in [&b"{\"reason\":5,\"error\":\"e\"}"[..], b"{\"error\":5}", b"{}", b"[]", b"\"reason\"", b"{", b""] {
            assert_eq!(parse_entry(raw), None, "{}", String::from_utf8_lossy(raw));
        }
        let entry = parse_entry(br#"{"originalMessage":{},"reason":"r","failureClass":"fatal","error":7}"#).unwrap();
        assert_eq!((entry.failure_class, entry.error), (None, None));
        // Numbers keep their JavaScript text when put back.
        let entry = parse_entry(br#"{"originalMessage":{"a":1e+21,"b":0.000001,"c":1.0},"reason":"r"}"#).unwrap();
        assert_eq!(entry.original.raw_bytes(), br#"{"a":1e+21,"b":0.000001,"c":1}"#);
    }

    #[test]
    fn audit_record_layout() {
        let dlq = r#"{"originalMessage":"x","error":"Invalid JSON","reason":"Invalid JSON"}"#;
        let rec = audit_record("discard", None, "alice", "junk \"bytes\"", dlq, "2026-07-01T10:00:00.000Z");
        assert_eq!(
            String::from_utf8(rec).unwrap(),
            r#"{"action":"discard","idempotency_key":null,"operator":"alice","reason":"junk \"bytes\"","dlq_entry":"{\"originalMessage\":\"x\",\"error\":\"Invalid JSON\",\"reason\":\"Invalid JSON\"}","at":"2026-07-01T10:00:00.000Z"}"#
        );
        let key = "0x427c76a552778fffdcb1467cd6db85e3014bb0fa0aceea1f429757b432fd8603";
        let rec = String::from_utf8(audit_record("replay", Some(key), "unknown", "permanent: x", "{}", "t")).unwrap();
        assert_eq!(
            rec,
            format!(
                r#"{{"action":"replay","idempotency_key":"{key}","operator":"unknown","reason":"permanent: x","dlq_entry":"{{}}","at":"t"}}"#
            )
        );
        let parsed: Value = serde_json::from_str(&rec).unwrap();
        assert_eq!(
            parsed.as_object().unwrap().keys().collect::<Vec<_>>(),
            ["action", "idempotency_key", "operator", "reason", "dlq_entry", "at"]
        );
    }

    #[test]
    fn iso_ms_is_to_iso_string() {
        assert_eq!(iso_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_ms(1_782_898_200_123), "2026-07-01T09:30:00.123Z");
        assert_eq!(iso_ms(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(iso_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso_ms(253_402_300_800_000), "+010000-01-01T00:00:00.000Z");
        assert_eq!(iso_ms(-62_167_219_200_001), "-000001-12-31T23:59:59.999Z");
        assert_eq!(iso_ms(8_640_000_000_000_000), "+275760-09-13T00:00:00.000Z");
        for t in [0, 1, -1, 1_782_898_200_123, -62_167_219_200_001, 8_640_000_000_000_000, -8_640_000_000_000_000] {
            assert_eq!(parse_iso(&iso_ms(t)), Some(t));
        }
    }
}
