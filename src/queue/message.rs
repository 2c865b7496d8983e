//! The wire format: strict builders/validators for what we write, lenient readers for what we find.
//!
//! Strict: `emit` refuses anything the platform's `MessageEnvelope(**data)` /
//! `ModelReadyToDeployMessage(**data)` rebuild would crash on. Lenient: every reader accepts any
//! bytes and keeps them as they are (`Element::raw`), so nothing is ever rewritten by accident.

use std::fmt;

use serde_json::{Map, Value};
use time::{OffsetDateTime, PrimitiveDateTime, format_description::BorrowedFormatItem, macros::format_description};

/// The message type the platform's model registry publishes.
pub const MODEL_READY: &str = "model_ready_to_deploy";
/// The platform's default `max_retries`.
pub const DEFAULT_MAX_RETRIES: i64 = 3;
/// The six envelope keys, in the order the platform writes them. No other key may be written.
pub const ENVELOPE_KEYS: [&str; 6] = ["message_id", "message_type", "payload", "timestamp", "retry_count", "max_retries"];

/// Every key `ModelReadyToDeployMessage` accepts, in its field order.
pub const PAYLOAD_KEYS: [&str; 21] = [
    "model_id",
    "token_symbol",
    "metric_name",
    "baseline_value",
    "current_value",
    "model_name",
    "model_version",
    "status",
    "mlflow_run_id",
    "proposal_identifier",
    "improvement_percentage",
    "contributor_address",
    "experiment_name",
    "tags",
    "api_schema",
    "eval_spec",
    "scorer_ref",
    "primary_metric",
    "benchmark_spec_id",
    "timestamp",
    "message_version",
];

/// Python's `datetime.isoformat()` of a naive time with microseconds.
const NAIVE_ISO: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]");

/// A rule of the schema that an input broke: the field and what was wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    pub field: String,
    pub rule: String,
}

impl SchemaError {
    fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Self { field: field.into(), rule: rule.into() }
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "field `{}` {}", self.field, self.rule)
    }
}

impl std::error::Error for SchemaError {}

/// The current UTC time as the platform writes it: naive ISO with microseconds, no offset.
pub fn now_naive_iso() -> String {
    format_naive_iso(OffsetDateTime::now_utc())
}

/// Formats a UTC time as the platform's naive ISO (`YYYY-MM-DDTHH:MM:SS.ffffff`).
pub fn format_naive_iso(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let year = t.year();
    if !(0..=9999).contains(&year) {
        return PrimitiveDateTime::new(t.date(), t.time()).format(NAIVE_ISO).expect("a UTC date formats");
    }
    // By hand: this runs once per emitted message, and the formatter is slower than the rest.
    let mut b = *b"0000-00-00T00:00:00.000000";
    let mut put = |at: usize, width: usize, mut v: u32| {
        for i in (at..at + width).rev() {
            b[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, year as u32);
    put(5, 2, u32::from(u8::from(t.month())));
    put(8, 2, u32::from(t.day()));
    put(11, 2, u32::from(t.hour()));
    put(14, 2, u32::from(t.minute()));
    put(17, 2, u32::from(t.second()));
    put(20, 6, t.microsecond());
    String::from_utf8(b.to_vec()).expect("ASCII digits")
}

/// Whether `s` is exactly what Python's `fromisoformat` accepts from a naive `isoformat()`:
/// `YYYY-MM-DDTHH:MM:SS` with an optional fraction of 1-6 digits, and no offset.
pub fn is_naive_iso(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 19 {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let shape = digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !shape {
        return false;
    }
    let frac = &b[19..];
    let frac_ok =
        frac.is_empty() || (frac[0] == b'.' && (2..=7).contains(&frac.len()) && frac[1..].iter().all(u8::is_ascii_digit));
    frac_ok && parse_timestamp(&Value::String(s.to_owned())).is_some()
}

/// Reads a timestamp leniently: naive ISO (taken as UTC), ISO with `Z` or an offset, or a number
/// of seconds since the epoch (older producers wrote `time.time()`). Returns Unix seconds.
pub fn parse_timestamp(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64().filter(|x| x.is_finite()),
        Value::String(s) => parse_iso(s),
        _ => None,
    }
}

fn parse_iso(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.len() < 19 || !s.is_char_boundary(19) {
        return None;
    }
    let (head, mut rest) = s.split_at(19);
    let base = PrimitiveDateTime::parse(head, format_description!("[year]-[month]-[day][first [T] [ ]][hour]:[minute]:[second]"))
        .ok()?;
    let mut nanos: i64 = 0;
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        let digits = &r[..n.min(9)];
        nanos = digits.parse::<i64>().ok()? * 10i64.pow(9 - digits.len() as u32);
        rest = &r[n..];
    }
    let offset_secs: i64 = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let (sign, hm) = match rest.as_bytes()[0] {
                b'+' => (1, &rest[1..]),
                b'-' => (-1, &rest[1..]),
                _ => return None,
            };
            let hm = hm.replace(':', "");
            if hm.len() != 4 || !hm.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let h: i64 = hm[..2].parse().ok()?;
            let m: i64 = hm[2..].parse().ok()?;
            sign * (h * 3600 + m * 60)
        }
    };
    let unix = base.assume_utc().unix_timestamp() - offset_secs;
    Some(unix as f64 + nanos as f64 / 1e9)
}

/// A parsed envelope: the JSON object exactly as stored (key order kept) plus typed views of
/// the fields readers need. Missing or odd fields are `None`, never an error.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub fields: Map<String, Value>,
}

impl Envelope {
    /// Reads an envelope leniently: any JSON object with a string `message_id` counts.
    pub fn from_value(v: Value) -> Option<Self> {
        match v {
            Value::Object(fields) if fields.get("message_id").is_some_and(Value::is_string) => Some(Self { fields }),
            _ => None,
        }
    }

    pub fn message_id(&self) -> Option<&str> {
        self.fields.get("message_id").and_then(Value::as_str)
    }
    pub fn message_type(&self) -> Option<&str> {
        self.fields.get("message_type").and_then(Value::as_str)
    }
    pub fn payload(&self) -> Option<&Value> {
        self.fields.get("payload")
    }
    pub fn payload_str(&self, key: &str) -> Option<&str> {
        self.payload().and_then(|p| p.get(key)).and_then(Value::as_str)
    }
    pub fn timestamp(&self) -> Option<&Value> {
        self.fields.get("timestamp")
    }
    /// Unix seconds of the envelope's timestamp, read leniently.
    pub fn timestamp_unix(&self) -> Option<f64> {
        self.timestamp().and_then(parse_timestamp)
    }
    pub fn retry_count(&self) -> Option<i64> {
        self.fields.get("retry_count").and_then(Value::as_i64)
    }
    pub fn max_retries(&self) -> Option<i64> {
        self.fields.get("max_retries").and_then(Value::as_i64)
    }

    /// (attempts so far, retries allowed), each clamped at 0: a negative or absent count is a
    /// first attempt (a message with `retry_count` -9223372036854775808 is not retried forever),
    /// and a negative `max_retries` allows none. `max_retries` absent: the platform's 3.
    pub fn attempts(&self) -> (i64, i64) {
        (self.retry_count().unwrap_or(0).max(0), self.max_retries().unwrap_or(DEFAULT_MAX_RETRIES).max(0))
    }

    /// The envelope with `retry_count` set to `n`, every other key kept in place and order.
    /// Re-serialises values (numbers through f64): writers use [`rewrite_retry_count`].
    pub fn with_retry_count(&self, n: i64) -> Vec<u8> {
        let mut fields = self.fields.clone();
        fields.insert("retry_count".into(), Value::from(n));
        serde_json::to_vec(&Value::Object(fields)).expect("a JSON map serialises")
    }
}

/// Who wrote a dead-letter wrapper, and so which keys it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrapperKind {
    /// The platform's publisher: `{original_message, error, failed_at, original_queue}`, the
    /// envelope as a JSON string.
    Platform,
    /// The contract deployer: `{originalMessage, error, timestamp, queue}` (the deployment
    /// flow), sometimes with `reason` and `failureClass` (the mint shape); `originalMessage` is
    /// the message itself as a JSON value, or a string when it was not JSON.
    Deployer,
}

impl WrapperKind {
    /// The key that holds the wrapped message.
    pub fn original_key(self) -> &'static str {
        match self {
            WrapperKind::Platform => "original_message",
            WrapperKind::Deployer => "originalMessage",
        }
    }
}

/// A dead-letter entry in a wrapper shape: the platform publisher's, or the contract
/// deployer's (shared/wire-format.md).
#[derive(Debug, Clone)]
pub struct DlqWrapper {
    pub kind: WrapperKind,
    /// The wrapped message's text: the platform's `original_message` string; the deployer's
    /// `originalMessage` exactly as it stands in the entry (an object's bytes, numbers and
    /// spacing kept), or the string's content when it is a string.
    pub original_message: String,
    /// `error` (the deployer's `reason` when it has no string `error`).
    pub error: Option<String>,
    /// `failed_at` (the deployer's `timestamp`).
    pub failed_at: Option<String>,
    /// `original_queue` (the deployer's `queue`).
    pub original_queue: Option<String>,
}

/// What one list element turned out to be. Every variant keeps the element's bytes in
/// [`Element::raw`]; nothing here is ever written back.
#[derive(Debug, Clone)]
pub enum Shape {
    /// A JSON object with a string `message_id`: an envelope (perhaps an old or odd one).
    Envelope(Envelope),
    /// The DLQ wrapper; `envelope` is its parsed `original_message` when that is an envelope.
    Wrapped { wrapper: DlqWrapper, envelope: Option<Envelope> },
    /// Valid JSON that is not an envelope (an array, a bare payload without message_id, ...).
    OtherJson(Value),
    /// Not JSON at all (or not UTF-8); `reason` says why.
    Raw { reason: String },
}

#[derive(Debug, Clone)]
pub struct Element {
    pub raw: Vec<u8>,
    pub shape: Shape,
}

impl Element {
    /// Classifies bytes read from a list. Never fails, never panics.
    pub fn parse(raw: Vec<u8>) -> Self {
        let shape = classify(&raw);
        Self { raw, shape }
    }

    /// The envelope carried by this element, bare or inside a DLQ wrapper.
    pub fn envelope(&self) -> Option<&Envelope> {
        match &self.shape {
            Shape::Envelope(e) => Some(e),
            Shape::Wrapped { envelope, .. } => envelope.as_ref(),
            _ => None,
        }
    }

    pub fn shape_name(&self) -> &'static str {
        match self.shape {
            Shape::Envelope(_) => "envelope",
            Shape::Wrapped { .. } => "wrapped",
            Shape::OtherJson(_) => "json",
            Shape::Raw { .. } => "raw",
        }
    }

    /// Why this element is not a usable envelope, or `None` when it is one.
    pub fn unusable_reason(&self) -> Option<String> {
        match &self.shape {
            Shape::Envelope(_) => None,
            Shape::Wrapped { envelope: Some(_), .. } => None,
            Shape::Wrapped { wrapper, envelope: None } => {
                Some(format!("DLQ wrapper whose {} is not an envelope", wrapper.kind.original_key()))
            }
            Shape::OtherJson(v) => Some(match v {
                Value::Object(_) => "JSON object without a string message_id".into(),
                _ => format!("JSON {} instead of an envelope object", json_kind(v)),
            }),
            Shape::Raw { reason } => Some(reason.clone()),
        }
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn classify(raw: &[u8]) -> Shape {
    let text = match std::str::from_utf8(raw) {
        Ok(t) => t,
        Err(e) => return Shape::Raw { reason: format!("not UTF-8 (invalid byte at offset {})", e.valid_up_to()) },
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Shape::Raw { reason: format!("not JSON ({e})") },
    };
    if let Value::Object(map) = &value
        && let Some(Value::String(original)) = map.get("original_message")
        && !map.contains_key("message_id")
    {
        let text_field = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_owned);
        let envelope = serde_json::from_str::<Value>(original).ok().and_then(Envelope::from_value);
        return Shape::Wrapped {
            wrapper: DlqWrapper {
                kind: WrapperKind::Platform,
                original_message: original.clone(),
                error: text_field("error"),
                failed_at: text_field("failed_at"),
                original_queue: text_field("original_queue"),
            },
            envelope,
        };
    }
    if let Value::Object(map) = &value
        && let Some(original) = map.get("originalMessage")
        && !map.contains_key("message_id")
    {
        return deployer_wrapper(text, map, original);
    }
    match Envelope::from_value(value.clone()) {
        Some(e) => Shape::Envelope(e),
        None => Shape::OtherJson(value),
    }
}

/// The contract deployer's dead letter (`{originalMessage, error, timestamp, queue}`, perhaps
/// with `reason` and `failureClass`). Its envelope is `originalMessage` when that is an envelope
/// object; the text kept is that object's own slice of the entry, so a replay moves its bytes
/// (numbers such as `1E2` or 30 digits) exactly.
fn deployer_wrapper(text: &str, map: &Map<String, Value>, original: &Value) -> Shape {
    let text_field = |k: &str| map.get(k).and_then(Value::as_str).map(str::to_owned);
    let original_message = match original {
        Value::String(s) => s.clone(),
        // A duplicate key makes the slice ambiguous: then the value serde_json kept (the last,
        // as JSON.parse and Python keep it), re-serialised.
        _ => ordered_fields(text)
            .and_then(|fields| fields.iter().find(|(k, _)| k == "originalMessage").map(|(_, v)| v.get().to_owned()))
            .unwrap_or_else(|| original.to_string()),
    };
    let envelope = match original {
        Value::Object(_) => Envelope::from_value(original.clone()),
        _ => None,
    };
    Shape::Wrapped {
        wrapper: DlqWrapper {
            kind: WrapperKind::Deployer,
            original_message,
            error: text_field("error").or_else(|| text_field("reason")),
            failed_at: text_field("timestamp"),
            original_queue: text_field("queue"),
        },
        envelope,
    }
}

/// The deployer's own retry counter, which it adds to a message it puts back: not an envelope
/// key (the platform's consumer crashes on it), so a replay leaves it out.
pub const DEPLOYER_RETRY_KEY: &str = "_retryCount";

/// The envelope without the deployer's `_retryCount` member, every other member's text kept;
/// `None` when there is no such member (or `envelope` is not an object with unique keys).
pub fn without_deployer_retry(envelope: &str) -> Option<String> {
    let fields = ordered_fields(envelope)?;
    if !fields.iter().any(|(k, _)| k == DEPLOYER_RETRY_KEY) {
        return None;
    }
    let mut out = String::with_capacity(envelope.len());
    out.push('{');
    for (k, v) in fields.iter().filter(|(k, _)| k != DEPLOYER_RETRY_KEY) {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(k.as_ref()).expect("a string serialises"));
        out.push(':');
        out.push_str(v.get());
    }
    out.push('}');
    Some(out)
}

/// Valid JSON text without the whitespace between its tokens; every token (strings, numbers)
/// is kept byte for byte. Raw line breaks can only be whitespace in valid JSON, so the result
/// is one line.
pub fn minify_json(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let (mut in_string, mut escaped) = (false, false);
    for &b in raw {
        if in_string {
            out.push(b);
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            if b == b'"' {
                in_string = true;
            }
            out.push(b);
        }
    }
    out
}

/// Builds the DLQ wrapper the platform's publisher writes (shape 1 of the wire format).
/// Returns `None` when the element is not UTF-8: such bytes cannot sit inside a JSON string and
/// are dead-lettered bare instead.
pub fn dlq_wrapper(original: &[u8], error: &str, original_queue: &str) -> Option<Vec<u8>> {
    let original = std::str::from_utf8(original).ok()?;
    let mut m = Map::new();
    m.insert("original_message".into(), Value::String(original.to_owned()));
    m.insert("error".into(), Value::String(error.to_owned()));
    m.insert("failed_at".into(), Value::String(now_naive_iso()));
    m.insert("original_queue".into(), Value::String(original_queue.to_owned()));
    Some(serde_json::to_vec(&Value::Object(m)).expect("a JSON map serialises"))
}

// ---------------------------------------------------------------------------------------------
// Strict writer
// ---------------------------------------------------------------------------------------------

/// Builds a new envelope around `payload`: the six keys in the platform's order, the
/// `timestamp` the payload's own when it is naive ISO, else now (see [`envelope_timestamp`]).
pub fn new_envelope(message_id: &str, message_type: &str, payload: Map<String, Value>, max_retries: i64) -> Vec<u8> {
    let now = now_naive_iso();
    let timestamp = envelope_timestamp(&payload, &now).unwrap_or(&now).to_owned();
    let payload = serde_json::to_vec(&Value::Object(payload)).expect("a JSON map serialises");
    envelope_around_at_time(message_id, message_type, &payload, max_retries, &timestamp).0
}

/// The same envelope, spliced around an already serialised payload (emit serialises each
/// payload once: it is both the envelope's `payload` and the published notice), timestamped
/// now. The bytes are exactly what serde_json writes for the six-key object.
pub fn envelope_around(message_id: &str, message_type: &str, payload_json: &[u8], max_retries: i64) -> Vec<u8> {
    envelope_around_at(message_id, message_type, payload_json, max_retries).0
}

/// [`envelope_around`], also returning where the payload's bytes sit in the envelope.
pub fn envelope_around_at(
    message_id: &str,
    message_type: &str,
    payload_json: &[u8],
    max_retries: i64,
) -> (Vec<u8>, std::ops::Range<usize>) {
    envelope_around_at_time(message_id, message_type, payload_json, max_retries, &now_naive_iso())
}

/// [`envelope_around_at`] with the envelope's `timestamp` given: naive ISO (see
/// [`envelope_timestamp`]), which needs no escaping and is written as is.
pub fn envelope_around_at_time(
    message_id: &str,
    message_type: &str,
    payload_json: &[u8],
    max_retries: i64,
    now: &str,
) -> (Vec<u8>, std::ops::Range<usize>) {
    // Exactly enough for the fixed parts (174 bytes with a 36-character id), so the vector
    // never grows: a doubling here would double the memory a bulk emit holds.
    let mut out = Vec::with_capacity(payload_json.len() + message_id.len() + message_type.len() + 150);
    out.extend_from_slice(b"{\"message_id\":");
    serde_json::to_writer(&mut out, message_id).expect("a string serialises");
    out.extend_from_slice(b",\"message_type\":");
    serde_json::to_writer(&mut out, message_type).expect("a string serialises");
    out.extend_from_slice(b",\"payload\":");
    let at = out.len()..out.len() + payload_json.len();
    out.extend_from_slice(payload_json);
    out.extend_from_slice(b",\"timestamp\":\"");
    out.extend_from_slice(now.as_bytes());
    out.extend_from_slice(b"\",\"retry_count\":0,\"max_retries\":");
    out.extend_from_slice(max_retries.to_string().as_bytes());
    out.push(b'}');
    (out, at)
}

/// Whether `s` is a UUID in the hyphenated form the platform's `str(uuid4())` writes.
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}

/// Checks a `model_ready_to_deploy` payload against the platform's schema and fills in what the
/// platform derives (`status`, `message_version`, `timestamp`, `proposal_identifier`,
/// `improvement_percentage`). Keys keep the caller's order; derived keys are appended.
pub fn complete_model_payload(p: Map<String, Value>) -> Result<Map<String, Value>, SchemaError> {
    complete_model_payload_at(p, &now_naive_iso())
}

/// [`complete_model_payload`], with `now` as the time a missing `timestamp` gets.
pub fn complete_model_payload_at(mut p: Map<String, Value>, now: &str) -> Result<Map<String, Value>, SchemaError> {
    if let Some(k) = p.keys().find(|k| !PAYLOAD_KEYS.contains(&k.as_str())) {
        return Err(SchemaError::new(
            k.as_str(),
            "is not a field of model_ready_to_deploy (the platform's consumer rejects unknown keys)",
        ));
    }
    for f in ["model_id", "metric_name", "model_name", "model_version"] {
        require_nonempty_string(&p, f, true)?;
    }
    let token = require_nonempty_string(&p, "token_symbol", true)?.unwrap_or_default();
    if token.len() > 64 || !token.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-') {
        return Err(SchemaError::new(
            "token_symbol",
            "must match ^[a-z0-9-]+$ and be 1-64 characters (lower-case letters, digits, '-')",
        ));
    }
    let baseline = require_number(&p, "baseline_value")?;
    let current = require_number(&p, "current_value")?;
    match p.get("status") {
        None | Some(Value::Null) => {
            p.insert("status".into(), Value::from("registered"));
        }
        Some(Value::String(s)) if s == "registered" => {}
        Some(_) => return Err(SchemaError::new("status", "must be \"registered\"")),
    }
    for f in ["mlflow_run_id", "experiment_name"] {
        match p.get(f) {
            None | Some(Value::Null) | Some(Value::String(_)) => {}
            Some(_) => return Err(SchemaError::new(f, "must be a string or null")),
        }
    }
    for f in ["proposal_identifier", "eval_spec", "scorer_ref", "primary_metric", "benchmark_spec_id"] {
        require_nonempty_string(&p, f, false)?;
    }
    match p.get("improvement_percentage") {
        None | Some(Value::Null) => {
            if baseline > 0.0 {
                let pct = (current - baseline) / baseline * 100.0;
                let v = serde_json::Number::from_f64(pct).map(Value::Number).ok_or_else(|| {
                    SchemaError::new("improvement_percentage", "cannot be derived (the result is not a finite number)")
                })?;
                p.insert("improvement_percentage".into(), v);
            }
        }
        Some(Value::Number(_)) => {}
        Some(_) => return Err(SchemaError::new("improvement_percentage", "must be a number or null")),
    }
    match p.get("contributor_address") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if is_eth_address(s) => {}
        Some(_) => return Err(SchemaError::new("contributor_address", "must match ^0x[a-fA-F0-9]{40}$")),
    }
    match p.get("tags") {
        None | Some(Value::Null) => {}
        Some(Value::Object(m)) => {
            if let Some((k, _)) = m.iter().find(|(_, v)| !v.is_string()) {
                return Err(SchemaError::new(format!("tags.{k}"), "must be a string (tags is an object of string values)"));
            }
        }
        Some(_) => return Err(SchemaError::new("tags", "must be an object of string values")),
    }
    match p.get("api_schema") {
        None | Some(Value::Null) | Some(Value::Object(_)) => {}
        Some(_) => return Err(SchemaError::new("api_schema", "must be a JSON object or null")),
    }
    match p.get("timestamp") {
        None | Some(Value::Null) => {
            p.insert("timestamp".into(), Value::String(now.to_owned()));
        }
        Some(Value::String(s)) if is_naive_iso(s) => {}
        Some(_) => {
            return Err(SchemaError::new(
                "timestamp",
                "must be a naive ISO time like 2025-01-27T15:30:00.123456 (no Z, no offset)",
            ));
        }
    }
    match p.get("message_version") {
        None | Some(Value::Null) => {
            p.insert("message_version".into(), Value::from("1.0"));
        }
        Some(Value::String(s)) if s == "1.0" => {}
        Some(_) => return Err(SchemaError::new("message_version", "must be \"1.0\"")),
    }
    if matches!(p.get("proposal_identifier"), None | Some(Value::Null)) {
        p.insert("proposal_identifier".into(), Value::String(token));
    }
    Ok(p)
}

/// Checks an envelope restored as is (`emit --envelopes`, a drain backup) as the platform's
/// consumer takes it, `MessageEnvelope(**data)`: exactly the six keys (an extra one crashes it,
/// a missing one too), `message_id`, `message_type` and `timestamp` strings, `payload` an object,
/// `retry_count` and `max_retries` integers. Nothing more: a backup holds what real queues hold
/// (legacy payloads that miss fields or carry a float-epoch `timestamp`, envelope timestamps with
/// an offset since May 2026), and a restore puts back exactly what was there.
pub fn validate_envelope(v: &Value) -> Result<(), SchemaError> {
    let m = v.as_object().ok_or_else(|| SchemaError::new("(envelope)", "must be a JSON object"))?;
    if let Some(k) = m.keys().find(|k| !ENVELOPE_KEYS.contains(&k.as_str())) {
        return Err(SchemaError::new(
            k.as_str(),
            "is not an envelope key (allowed: message_id, message_type, payload, timestamp, retry_count, max_retries; \
             the platform's consumer crashes on any other)",
        ));
    }
    if let Some(k) = ENVELOPE_KEYS.iter().find(|k| !m.contains_key(**k)) {
        return Err(SchemaError::new(*k, "is missing (the platform's consumer needs all six envelope keys)"));
    }
    let integer = |v: &Value| v.as_i64().is_some() || v.as_u64().is_some();
    for (k, ok, rule) in [
        ("message_id", m["message_id"].is_string(), "must be a string"),
        ("message_type", m["message_type"].is_string(), "must be a string"),
        ("payload", m["payload"].is_object(), "must be a JSON object"),
        (
            "timestamp",
            m["timestamp"].as_str().is_some_and(|t| parse_iso(t).is_some()),
            "must be an ISO time like 2025-01-27T15:30:00.123456 (the platform's consumer runs datetime.fromisoformat on it)",
        ),
        ("retry_count", integer(&m["retry_count"]), "must be an integer"),
        ("max_retries", integer(&m["max_retries"]), "must be an integer"),
    ] {
        if !ok {
            return Err(SchemaError::new(k, rule));
        }
    }
    Ok(())
}

/// The `timestamp` of a new envelope around `payload`, as the platform's publisher sets it since
/// May 2026: the payload's own `timestamp` when it has one, else `now`. The tool writes naive ISO
/// only (the platform's monitor subtracts it from a naive `utcnow()`), so a payload `timestamp` of
/// another form is refused. A `model_ready_to_deploy` payload completed by
/// [`complete_model_payload`] always has one, and it passes.
pub fn envelope_timestamp<'a>(payload: &'a Map<String, Value>, now: &'a str) -> Result<&'a str, SchemaError> {
    match payload.get("timestamp") {
        None | Some(Value::Null) => Ok(now),
        Some(Value::String(s)) if is_naive_iso(s) => Ok(s),
        Some(_) => Err(SchemaError::new(
            "timestamp",
            "must be a naive ISO time like 2025-01-27T15:30:00.123456 (no Z, no offset): it becomes the envelope's timestamp",
        )),
    }
}

fn require_nonempty_string(p: &Map<String, Value>, field: &str, required: bool) -> Result<Option<String>, SchemaError> {
    match p.get(field) {
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(SchemaError::new(field, "must not be empty")),
        None | Some(Value::Null) if !required => Ok(None),
        None | Some(Value::Null) => Err(SchemaError::new(field, "is required (a non-empty string)")),
        Some(_) => Err(SchemaError::new(field, "must be a string")),
    }
}

fn require_number(p: &Map<String, Value>, field: &str) -> Result<f64, SchemaError> {
    match p.get(field) {
        Some(Value::Number(n)) => n.as_f64().ok_or_else(|| SchemaError::new(field, "must be a finite number")),
        None | Some(Value::Null) => Err(SchemaError::new(field, "is required (a number)")),
        Some(_) => Err(SchemaError::new(field, "must be a number")),
    }
}

fn is_eth_address(s: &str) -> bool {
    s.len() == 42 && s.starts_with("0x") && s[2..].bytes().all(|c| c.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_is_what_the_full_parse_decides() {
        let deep = |n: usize| format!("{{\"message_id\":\"a\",\"p\":{}{}}}", "[".repeat(n), "]".repeat(n));
        let cases: Vec<Vec<u8>> = vec![
            br#"{"message_id":"a","payload":{"x":[1,2.5,-0,1E2,"\u00e9",null,true]}}"#.to_vec(),
            b"{\"message_id\":\"a\",\"payload\":\"\xff\"}".to_vec(),
            br#"{"message_id":"a","payload":"\ud800"}"#.to_vec(),
            br#"{"message_id":"a","x":1e400}"#.to_vec(),
            br#"{"message_id":"a","x":1e300}"#.to_vec(),
            br#"{"message_id":"a","x":[1,]}"#.to_vec(),
            br#"{"message_id":"a"} x"#.to_vec(),
            b"\xef\xbb\xbf{}".to_vec(),
            deep(120).into_bytes(),
            deep(127).into_bytes(),
            deep(130).into_bytes(),
        ];
        let mut valid = 0;
        for raw in &cases {
            let full = !matches!(Element::parse(raw.clone()).shape, Shape::Raw { .. });
            assert_eq!(is_valid_json(raw), full, "{}", String::from_utf8_lossy(raw));
            valid += usize::from(full);
        }
        assert_eq!(valid, 3, "the cases cover both answers");
    }

    #[test]
    fn hand_formatted_time_matches_the_formatter() {
        for secs in [0i64, 1, 59, 86_399, 951_782_400, 1_738_000_000, 253_402_300_799] {
            for micros in [0u32, 1, 999_999, 123_456] {
                let t = OffsetDateTime::from_unix_timestamp(secs).unwrap() + time::Duration::microseconds(i64::from(micros));
                let want = PrimitiveDateTime::new(t.date(), t.time()).format(NAIVE_ISO).unwrap();
                assert_eq!(format_naive_iso(t), want);
            }
        }
    }

    #[test]
    fn naive_iso_forms() {
        assert!(is_naive_iso("2025-01-27T15:30:00.123456"));
        assert!(is_naive_iso("2025-01-27T15:30:00"));
        assert!(!is_naive_iso("2025-01-27T15:30:00Z"));
        assert!(!is_naive_iso("2025-01-27T15:30:00.123456+00:00"));
        assert!(!is_naive_iso("2025-13-27T15:30:00"));
        assert!(is_naive_iso(&now_naive_iso()));
    }

    #[test]
    fn lenient_timestamps() {
        let base = parse_timestamp(&Value::from("2025-01-27T15:30:00")).unwrap();
        assert_eq!(parse_timestamp(&Value::from("2025-01-27T15:30:00Z")), Some(base));
        assert_eq!(parse_timestamp(&Value::from("2025-01-27T16:30:00+01:00")), Some(base));
        assert_eq!(parse_timestamp(&Value::from(base)), Some(base));
        assert!((parse_timestamp(&Value::from("2025-01-27T15:30:00.5")).unwrap() - base - 0.5).abs() < 1e-6);
        assert_eq!(parse_timestamp(&Value::from("yesterday")), None);
        assert_eq!(parse_timestamp(&Value::from("2025-01-27T15:30:00é")), None);
    }

    #[test]
    fn spliced_envelope_is_the_serialised_object() {
        let mut p = Map::new();
        p.insert("model_id".into(), Value::from("m \"1\""));
        let raw = new_envelope("550e8400-e29b-41d4-a716-446655440000", "t\u{e9}", p.clone(), 3);
        let v: Value = serde_json::from_slice(&raw).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ENVELOPE_KEYS);
        assert_eq!(v["payload"], Value::Object(p));
        assert_eq!(serde_json::to_vec(&v).unwrap(), raw);
    }

    #[test]
    fn classify_never_fails() {
        for raw in [&b"\xff\xfe"[..], b"", b"[1,2]", b"{\"a\":1}", b"nope", b"{\"message_id\":\"x\"}"] {
            let e = Element::parse(raw.to_vec());
            assert_eq!(e.raw, raw);
        }
    }

    const RESTORED: &str = r#"{"message_id": "not-a-uuid", "message_type": "model_ready_to_deploy", "payload": {"model_id": "m", "token_symbol": "MSG-AI", "timestamp": 1737991800.5}, "timestamp": "2026-05-05T12:00:00.123456+00:00", "retry_count": 2, "max_retries": 3}"#;

    #[test]
    fn a_restore_checks_the_envelope_shape_only() {
        let ok: Value = serde_json::from_str(RESTORED).unwrap();
        assert_eq!(validate_envelope(&ok), Ok(()), "legacy payload, offset timestamp, odd id: the consumer takes it");
        let mut any_payload = ok.clone();
        any_payload["payload"] = serde_json::json!({});
        assert_eq!(validate_envelope(&any_payload), Ok(()));
        let broken = |key: &str, v: Option<Value>| {
            let mut e = ok.clone();
            match v {
                Some(v) => e[key] = v,
                None => {
                    e.as_object_mut().unwrap().shift_remove(key);
                }
            }
            validate_envelope(&e).unwrap_err()
        };
        assert_eq!(broken("lease", Some(Value::from(1))).field, "lease");
        assert!(broken("lease", Some(Value::from(1))).rule.contains("not an envelope key"));
        for k in ENVELOPE_KEYS {
            let e = broken(k, None);
            assert_eq!((e.field.as_str(), e.rule.starts_with("is missing")), (k, true));
        }
        for (k, v) in [
            ("message_id", Value::from(1)),
            ("message_type", Value::Null),
            ("payload", Value::from("{}")),
            ("payload", serde_json::json!([1])),
            ("timestamp", Value::from(1737991800.5)),
            ("retry_count", Value::from("0")),
            ("retry_count", Value::from(1.5)),
            ("max_retries", Value::Null),
        ] {
            assert_eq!(broken(k, Some(v.clone())).field, k, "{k} = {v}");
        }
        assert_eq!(validate_envelope(&serde_json::json!([1])).unwrap_err().field, "(envelope)");
    }

    #[test]
    fn the_envelope_timestamp_comes_from_the_payload() {
        let p = |v: Value| v.as_object().unwrap().clone();
        let now = "2026-11-27T01:02:03.456789";
        assert_eq!(
            envelope_timestamp(&p(serde_json::json!({"timestamp": "2025-01-27T15:30:00"})), now),
            Ok("2025-01-27T15:30:00")
        );
        assert_eq!(envelope_timestamp(&p(serde_json::json!({"timestamp": null})), now), Ok(now));
        assert_eq!(envelope_timestamp(&p(serde_json::json!({})), now), Ok(now));
        for bad in [serde_json::json!(1737991800.5), serde_json::json!("2025-01-27T15:30:00Z"), serde_json::json!("soon")] {
            assert_eq!(envelope_timestamp(&p(serde_json::json!({"timestamp": bad})), now).unwrap_err().field, "timestamp");
        }
        let mut payload = p(serde_json::json!({"model_id": "m"}));
        payload.insert("timestamp".into(), Value::from("2025-01-27T15:30:00.5"));
        let env: Value = serde_json::from_slice(&new_envelope("a", "t", payload, 3)).unwrap();
        assert_eq!(env["timestamp"], "2025-01-27T15:30:00.5");
    }

    /// The contract deployer's shape: `originalMessage` an object (kept as the entry's own
    /// text), or a string; `reason` when there is no `error`; its `_retryCount` left out.
    #[test]
    fn deployer_dead_letters_are_wrapped_entries() {
        let env =
            r#"{"message_id":"a","payload":{"v": 123456789012345678901234567890, "w": 1E2},"retry_count":3,"_retryCount":2}"#;
        let raw = format!(
            r#"{{"originalMessage": {env}, "error": "Deployment failed", "timestamp": "2026-05-05T12:00:00.000Z", "queue": "hokusai:model_ready_queue"}}"#
        );
        let el = Element::parse(raw.clone().into_bytes());
        let Shape::Wrapped { wrapper, envelope: Some(e) } = &el.shape else { panic!("{:?}", el.shape) };
        assert_eq!((wrapper.kind, wrapper.original_message.as_str()), (WrapperKind::Deployer, env));
        assert_eq!(wrapper.error.as_deref(), Some("Deployment failed"));
        assert_eq!(wrapper.failed_at.as_deref(), Some("2026-05-05T12:00:00.000Z"));
        assert_eq!(wrapper.original_queue.as_deref(), Some("hokusai:model_ready_queue"));
        assert_eq!((e.message_id(), el.shape_name()), (Some("a"), "wrapped"));
        assert!(Quick::parse(raw.as_bytes()).is_none(), "the full reader decides this shape");
        let q = Quick::of(&el);
        let kept = r#"{"message_id":"a","payload":{"v": 123456789012345678901234567890, "w": 1E2},"retry_count":3}"#;
        assert_eq!(q.original.as_deref(), Some(kept), "the deployer's retry counter is no envelope key");
        let reset = r#"{"message_id":"a","payload":{"v": 123456789012345678901234567890, "w": 1E2},"retry_count":0}"#;
        assert_eq!(q.reset.as_deref(), Some(reset.as_bytes()));
        assert_eq!((q.has_envelope, q.error.as_deref()), (true, Some("Deployment failed")));

        let mint =
            r#"{"originalMessage":"not json {","reason":"Invalid JSON","failureClass":"permanent","timestamp":"t","queue":"q"}"#;
        let el = Element::parse(mint.as_bytes().to_vec());
        let Shape::Wrapped { wrapper, envelope: None } = &el.shape else { panic!("{:?}", el.shape) };
        assert_eq!((wrapper.original_message.as_str(), wrapper.error.as_deref()), ("not json {", Some("Invalid JSON")));
        assert!(el.unusable_reason().unwrap().contains("originalMessage"));
        assert_eq!(Quick::of(&el).original.as_deref(), Some("not json {"));
        let not_envelope = Element::parse(br#"{"originalMessage":{"model_id":"m"},"error":"e"}"#.to_vec());
        assert!(matches!(not_envelope.shape, Shape::Wrapped { envelope: None, .. }));
        assert_eq!(Quick::of(&not_envelope).original.as_deref(), Some(r#"{"model_id":"m"}"#));
        assert_eq!(without_deployer_retry(r#"{"a":1}"#), None);
    }
}

// ---------------------------------------------------------------------------------------------
// Quick reader (dlq replay / purge over a million entries)
// ---------------------------------------------------------------------------------------------

/// The top-level fields a DLQ sweep needs, borrowed from the element without building a JSON
/// tree. Any surprise (not an object, a duplicate key, a non-string where a string belongs,
/// bytes that are not UTF-8) makes
/// [`Quick::parse`] give up, and the caller falls back to [`Element::parse`].
#[derive(serde::Deserialize)]
struct TopFields<'a> {
    /// `None`: absent; `Some(None)`: null (which still makes the object no wrapper).
    #[serde(borrow, default, deserialize_with = "present")]
    message_id: Option<Option<&'a serde_json::value::RawValue>>,
    #[serde(borrow, default)]
    original_message: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    error: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    failed_at: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    original_queue: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    retry_count: Option<&'a serde_json::value::RawValue>,
    #[serde(borrow, default)]
    timestamp: Option<&'a serde_json::value::RawValue>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<&'de serde_json::value::RawValue>>, D::Error> {
    use serde::Deserialize;
    Ok(Some(Option::<&'de serde_json::value::RawValue>::deserialize(d)?))
}

fn raw_str(v: Option<&serde_json::value::RawValue>) -> Option<String> {
    v.filter(|r| r.get().starts_with('"')).and_then(|r| serde_json::from_str::<String>(r.get()).ok())
}

/// Whether `raw` is UTF-8 JSON that `Element::parse` reads as JSON (not `Shape::Raw`), checked
/// without building a tree: every string (keys too) is decoded, so bad UTF-8 and lone
/// surrogates are refused; every number is read, so `1e400` is refused; serde_json's nesting
/// limit applies. (Skipping a value with `IgnoredAny` or `RawValue` checks none of these.)
pub fn is_valid_json(raw: &[u8]) -> bool {
    struct Valid;
    impl<'de> serde::Deserialize<'de> for Valid {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(Valid)
        }
    }
    impl<'de> serde::de::Visitor<'de> for Valid {
        type Value = Valid;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Valid, E> {
            Ok(Valid)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Valid, E> {
            Ok(Valid)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Valid, E> {
            Ok(Valid)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Valid, E> {
            Ok(Valid)
        }
        fn visit_str<E>(self, _: &str) -> Result<Valid, E> {
            Ok(Valid)
        }
        fn visit_unit<E>(self) -> Result<Valid, E> {
            Ok(Valid)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Valid, A::Error> {
            while a.next_element::<Valid>()?.is_some() {}
            Ok(Valid)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Valid, A::Error> {
            while m.next_entry::<Valid, Valid>()?.is_some() {}
            Ok(Valid)
        }
    }
    std::str::from_utf8(raw).is_ok() && serde_json::from_slice::<Valid>(raw).is_ok()
}

/// Whether `raw` is, for certain, what `is_valid_json(raw) && Quick::parse(raw)` calls an
/// envelope, decided in one pass instead of two (issue 16: the drain to stdout checks every
/// message). Every value is read as [`is_valid_json`] reads it; the top-level object must hold
/// `message_id` once, as a string, and the other fields `Quick::parse` reads at most once, the
/// four text ones as strings or null. `false` means "not sure": the caller takes the full path.
pub fn is_quick_envelope(raw: &[u8]) -> bool {
    use serde::de::{DeserializeSeed, MapAccess, Visitor};
    struct Valid;
    impl<'de> serde::Deserialize<'de> for Valid {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            // is_valid_json's visitor: every string decoded, every number read.
            d.deserialize_any(ValidVisitor).map(|_| Valid)
        }
    }
    /// What a value was, for the fields whose type matters.
    #[derive(PartialEq)]
    enum Kind {
        Str,
        Null,
        Other,
    }
    struct ValidVisitor;
    impl<'de> Visitor<'de> for ValidVisitor {
        type Value = Kind;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<Kind, E> {
            Ok(Kind::Other)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Kind, E> {
            Ok(Kind::Other)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Kind, E> {
            Ok(Kind::Other)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Kind, E> {
            Ok(Kind::Other)
        }
        fn visit_str<E>(self, _: &str) -> Result<Kind, E> {
            Ok(Kind::Str)
        }
        fn visit_unit<E>(self) -> Result<Kind, E> {
            Ok(Kind::Null)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Kind, A::Error> {
            while a.next_element::<Valid>()?.is_some() {}
            Ok(Kind::Other)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Kind, A::Error> {
            while m.next_entry::<Valid, Valid>()?.is_some() {}
            Ok(Kind::Other)
        }
    }
    struct KindOf;
    impl<'de> DeserializeSeed<'de> for KindOf {
        type Value = Kind;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
            d.deserialize_any(ValidVisitor)
        }
    }
    /// The top level: an object; `Ok(true)` only when sure (see above).
    struct Top;
    impl<'de> Visitor<'de> for Top {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<bool, A::Error> {
            const READ: [&str; 7] =
                ["message_id", "original_message", "error", "failed_at", "original_queue", "retry_count", "timestamp"];
            let mut seen = [0u8; 7];
            let mut sure = true;
            while let Some(key) = m.next_key::<std::borrow::Cow<'de, str>>()? {
                let kind = m.next_value_seed(KindOf)?;
                if let Some(i) = READ.iter().position(|k| *k == key) {
                    seen[i] += 1;
                    let typed = match i {
                        0 => kind == Kind::Str,
                        1..=4 => kind != Kind::Other,
                        _ => true,
                    };
                    sure &= typed && seen[i] == 1;
                }
            }
            Ok(sure && seen[0] == 1)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(raw);
    matches!(serde::Deserializer::deserialize_map(&mut de, Top), Ok(true)) && de.end().is_ok()
}

/// What [`Element::parse`] would find, for the fields a sweep uses, read without a JSON tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Quick {
    pub shape: &'static str,
    pub message_id: Option<String>,
    pub error: Option<String>,
    pub failed_at: Option<String>,
    pub original_queue: Option<String>,
    /// The wrapped message's text, as a replay pushes it (wrapped entries): the platform's
    /// `original_message`; the deployer's `originalMessage` slice, less its `_retryCount`.
    pub original: Option<String>,
    /// Whether there is an envelope (bare, or inside the wrapper).
    pub has_envelope: bool,
    pub retry_count: Option<i64>,
    /// The envelope's timestamp as written (JSON), read when a filter needs it.
    pub timestamp: Option<String>,
    /// For a wrapped envelope whose retry_count is not 0: the envelope with retry_count 0.
    pub reset: Option<Vec<u8>>,
}

impl Quick {
    /// The envelope's timestamp, Unix seconds.
    pub fn timestamp_unix(&self) -> Option<f64> {
        self.timestamp.as_deref().and_then(|t| serde_json::from_str::<Value>(t).ok()).and_then(|v| parse_timestamp(&v))
    }

    /// `None` when the quick reader is not sure: use `Quick::of(&Element::parse(..))`.
    pub fn parse(raw: &[u8]) -> Option<Quick> {
        let top: TopFields<'_> = serde_json::from_slice(raw).ok()?;
        if top.message_id.is_none()
            && let Some(original) = top.original_message.map(std::borrow::Cow::into_owned)
        {
            let inner = if original.trim_start().starts_with('{') { Quick::parse_envelope(&original) } else { None };
            if inner.is_none() && memfind(original.as_bytes(), b"\"message_id\"") {
                return None;
            }
            let (message_id, retry_count, timestamp, reset) = match inner {
                Some((id, retry, ts, reset)) => (Some(id), retry, ts, reset),
                None => (None, None, None, None),
            };
            return Some(Quick {
                shape: "wrapped",
                has_envelope: message_id.is_some(),
                message_id,
                error: top.error.map(std::borrow::Cow::into_owned),
                failed_at: top.failed_at.map(std::borrow::Cow::into_owned),
                original_queue: top.original_queue.map(std::borrow::Cow::into_owned),
                original: Some(original),
                retry_count,
                timestamp,
                reset,
            });
        }
        let message_id = raw_str(top.message_id.flatten())?;
        Some(Quick {
            shape: "envelope",
            message_id: Some(message_id),
            error: None,
            failed_at: None,
            original_queue: None,
            original: None,
            has_envelope: true,
            retry_count: top.retry_count.and_then(|r| r.get().parse::<i64>().ok()),
            timestamp: top.timestamp.map(|r| r.get().to_owned()),
            reset: None,
        })
    }

    /// An envelope's (message_id, retry_count, timestamp, itself with retry_count 0 when it
    /// was not 0), when it is one for sure.
    #[allow(clippy::type_complexity)]
    fn parse_envelope(raw: &str) -> Option<(String, Option<i64>, Option<String>, Option<Vec<u8>>)> {
        let fields = ordered_fields(raw)?;
        let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| *v);
        let id = raw_str(get("message_id"))?;
        let retry = get("retry_count").and_then(|r| r.get().parse::<i64>().ok());
        let ts = get("timestamp").map(|r| r.get().to_owned());
        let reset = (retry != Some(0)).then(|| write_with_retry_count(raw, &fields, 0));
        Some((id, retry, ts, reset))
    }

    /// The same fields read from a fully parsed element.
    pub fn of(el: &Element) -> Quick {
        let env = el.envelope();
        let (error, failed_at, original_queue, original) = match &el.shape {
            Shape::Wrapped { wrapper, envelope } => {
                let original = match (wrapper.kind, envelope) {
                    // What a replay pushes: the deployer's envelope less its own retry counter.
                    (WrapperKind::Deployer, Some(_)) => without_deployer_retry(&wrapper.original_message),
                    _ => None,
                };
                (
                    wrapper.error.clone(),
                    wrapper.failed_at.clone(),
                    wrapper.original_queue.clone(),
                    Some(original.unwrap_or_else(|| wrapper.original_message.clone())),
                )
            }
            _ => (None, None, None, None),
        };
        let retry_count = env.and_then(Envelope::retry_count);
        // The deployer's envelope is the entry's own text: reset it here, token for token.
        let reset = match (&el.shape, &original) {
            (Shape::Wrapped { wrapper, envelope: Some(_) }, Some(text))
                if wrapper.kind == WrapperKind::Deployer && retry_count != Some(0) =>
            {
                reset_retry_count(text, 0)
            }
            _ => None,
        };
        Quick {
            shape: el.shape_name(),
            message_id: env.and_then(Envelope::message_id).map(str::to_owned),
            error,
            failed_at,
            original_queue,
            original,
            has_envelope: env.is_some(),
            retry_count,
            timestamp: env.and_then(Envelope::timestamp).map(Value::to_string),
            reset,
        }
    }
}

fn memfind(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The element `raw` (the bytes `env` was read from) with `retry_count` set to `n`: only those
/// digits change; every other value stays byte for byte (numbers like
/// 123456789012345678901234567890 or 1E2 are not re-printed). Only an object with duplicate
/// keys, which cannot be rewritten that way, is re-serialised from `env`.
pub fn rewrite_retry_count(raw: &[u8], env: &Envelope, n: i64) -> Vec<u8> {
    std::str::from_utf8(raw).ok().and_then(|s| reset_retry_count(s, n)).unwrap_or_else(|| env.with_retry_count(n))
}

/// The envelope JSON with `retry_count` set to `n`: every other key kept, in order, its value
/// byte for byte (no re-formatting of numbers or strings); `retry_count` appended when absent.
/// `None` when `envelope` is not a JSON object with unique keys (use [`Envelope::with_retry_count`]).
pub fn reset_retry_count(envelope: &str, n: i64) -> Option<Vec<u8>> {
    Some(write_with_retry_count(envelope, &ordered_fields(envelope)?, n))
}

/// A JSON object's members in order, values unparsed; `None` unless it is an object with
/// unique keys.
fn ordered_fields(json: &str) -> Option<Vec<(std::borrow::Cow<'_, str>, &serde_json::value::RawValue)>> {
    use serde::de::{Deserializer, MapAccess, Visitor};
    type Fields<'a> = Vec<(std::borrow::Cow<'a, str>, &'a serde_json::value::RawValue)>;
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Fields<'de>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(8);
            while let Some(k) = m.next_key::<std::borrow::Cow<'de, str>>()? {
                let v: &'de serde_json::value::RawValue = m.next_value()?;
                out.push((k, v));
            }
            Ok(out)
        }
    }
    let mut de = serde_json::Deserializer::from_str(json);
    let fields = de.deserialize_map(V).ok()?;
    de.end().ok()?;
    for (i, (k, _)) in fields.iter().enumerate() {
        if fields[..i].iter().any(|(other, _)| other == k) {
            return None;
        }
    }
    Some(fields)
}

/// `json` (the text `fields` were read from) with `retry_count` set to `n`, spliced in place:
/// only the value's bytes change, so the platform's `json.dumps` spacing (`", "`, `": "`) and
/// every other byte stay as they were. Absent, `"retry_count": n` is appended before the closing
/// brace, spaced like the object's first separator.
fn write_with_retry_count(json: &str, fields: &[(std::borrow::Cow<'_, str>, &serde_json::value::RawValue)], n: i64) -> Vec<u8> {
    let base = json.as_ptr() as usize;
    let value = n.to_string();
    if let Some((_, v)) = fields.iter().find(|(k, _)| k == "retry_count") {
        let text = v.get();
        let at = text.as_ptr() as usize - base;
        let mut out = Vec::with_capacity(json.len() + value.len());
        out.extend_from_slice(&json.as_bytes()[..at]);
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(&json.as_bytes()[at + text.len()..]);
        return out;
    }
    let close = json.rfind('}').expect("an object ends with }");
    let spaced = fields.first().is_some_and(|(_, v)| {
        let at = v.get().as_ptr() as usize - base;
        json[..at].ends_with(": ")
    });
    let mut out = Vec::with_capacity(json.len() + value.len() + 18);
    let head = json[..close].trim_end();
    out.extend_from_slice(head.as_bytes());
    if !fields.is_empty() {
        out.extend_from_slice(if spaced { b", " } else { b"," });
    }
    out.extend_from_slice(if spaced { b"\"retry_count\": " } else { b"\"retry_count\":" });
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(&json.as_bytes()[head.len()..]);
    out
}

#[cfg(test)]
mod quick_tests {
    use super::*;

    /// The old two-pass predicate the drain used.
    fn two_pass(raw: &[u8]) -> bool {
        is_valid_json(raw) && Quick::parse(raw).is_some_and(|q| q.shape == "envelope")
    }

    #[test]
    fn the_one_pass_envelope_check_is_never_surer_than_the_two_pass_one() {
        let env = r#"{"message_id":"a","message_type":"t","payload":{"x":[1,2.5,{"y":null}],"s":"\u00e9\n"},"timestamp":"2025-01-27T15:30:00","retry_count":0,"max_retries":3}"#;
        let mut cases: Vec<String> = vec![
            env.into(),
            format!("  {env}  "),
            env.replace(r#""message_id":"a""#, r#""message_id":null"#),
            env.replace(r#""message_id":"a""#, r#""message_id":7"#),
            env.replace(r#""message_id":"a","#, ""),
            env.replace(r#""message_id":"a","#, r#""message_id":"a","message_id":"b","#),
            env.replace(r#""retry_count":0"#, r#""retry_count":0,"retry_count":1"#),
            env.replace(r#""x":[1,2.5"#, r#""x":[1e400,2.5"#),
            env.replace(r#"\u00e9"#, r#"\ud800"#),
            env.replace(r#""max_retries":3}"#, r#""max_retries":3,"error":5}"#),
            env.replace(r#""max_retries":3}"#, r#""max_retries":3,"error":null}"#),
            env.replace(r#""max_retries":3}"#, r#""max_retries":3,"original_message":"{}"}"#),
            format!("{env}x"),
            format!("[{env}]"),
            env[..env.len() - 1].into(),
            format!("{}{}{}", "[".repeat(200), 1, "]".repeat(200)),
            env.replace(r#""x":"#, &format!(r#""x":{}1{},"z":"#, "[".repeat(200), "]".repeat(200))),
            r#"{"original_message":"{\"message_id\":\"a\"}","error":"e"}"#.into(),
            env.replace("\"t\"", "\"\u{1}\""),
        ];
        // Every prefix and a byte flipped at every place of the envelope.
        for i in 0..env.len() {
            cases.push(env[..i].to_owned());
            let mut b = env.as_bytes().to_vec();
            for x in [b'"', b'{', b'}', b',', b':', b'\\', b'0', 0xff] {
                b[i] = x;
                cases.push(String::from_utf8_lossy(&b).into_owned());
            }
        }
        let mut sure = 0;
        for c in &cases {
            let one = is_quick_envelope(c.as_bytes());
            assert!(!one || two_pass(c.as_bytes()), "one pass is sure, two passes are not: {c}");
            sure += usize::from(one);
        }
        assert!(is_quick_envelope(env.as_bytes()) && is_quick_envelope(cases[1].as_bytes()));
        assert!(sure > 20, "the one pass is sure of the plain envelopes ({sure})");
        // Where both agree it is an envelope and nothing is duplicated or mistyped, so is it.
        for c in &cases[..3] {
            assert_eq!(is_quick_envelope(c.as_bytes()), two_pass(c.as_bytes()), "{c}");
        }
    }

    fn agree(raw: &[u8]) {
        let full = Quick::of(&Element::parse(raw.to_vec()));
        if let Some(mut q) = Quick::parse(raw) {
            q.reset = None;
            assert_eq!(q.timestamp_unix(), full.timestamp_unix(), "{}", String::from_utf8_lossy(raw));
            q.timestamp = full.timestamp.clone();
            assert_eq!(q, full, "{}", String::from_utf8_lossy(raw));
        }
    }

    #[test]
    fn quick_agrees_with_the_full_reader() {
        let env = r#"{"message_id": "a", "message_type": "t", "payload": {"x": 1}, "timestamp": "2025-01-27T15:30:00.123456", "retry_count": 3, "max_retries": 3}"#;
        let wrapped =
            serde_json::json!({"original_message": env, "error": "e", "failed_at": "2025-01-27T15:31:00", "original_queue": "q"})
                .to_string();
        for raw in [
            env.as_bytes(),
            wrapped.as_bytes(),
            br#"{"original_message": "not json", "error": "e"}"#,
            br#"{"original_message": "{\"message_id\": 5}"}"#,
            br#"{"message_id": null, "original_message": "x"}"#,
            br#"{"message_id": 7}"#,
            br#"{"message_id": "a", "message_id": "b"}"#,
            br#"[1, 2]"#,
            b"\xff\xfe",
            b"plain",
            br#"{"original_message": 3}"#,
            br#"{"message_id": "a", "retry_count": 1.5, "timestamp": 1737992000.5}"#,
        ] {
            agree(raw);
        }
        assert!(Quick::parse(wrapped.as_bytes()).is_some(), "the common shapes take the quick path");
        assert!(Quick::parse(env.as_bytes()).is_some());
    }

    #[test]
    fn reset_keeps_everything_else_byte_for_byte() {
        let env = r#"{"message_id": "a", "payload": {"v": 0.850, "s": "\u00e9"}, "retry_count": 3, "max_retries": 3}"#;
        let out = String::from_utf8(reset_retry_count(env, 0).unwrap()).unwrap();
        // Only the digits change: the platform's json.dumps spacing stays (DESIGN: "changes
        // those bytes and nothing else").
        assert_eq!(out, r#"{"message_id": "a", "payload": {"v": 0.850, "s": "\u00e9"}, "retry_count": 0, "max_retries": 3}"#);
        let compact = r#"{"message_id":"a","retry_count":12}"#;
        assert_eq!(reset_retry_count(compact, 7).unwrap(), br#"{"message_id":"a","retry_count":7}"#);
        let full = Element::parse(env.as_bytes().to_vec());
        let slow: Value = serde_json::from_slice(&full.envelope().unwrap().with_retry_count(0)).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), slow);
        assert_eq!(reset_retry_count(r#"{"message_id":"a"}"#, 0).unwrap(), br#"{"message_id":"a","retry_count":0}"#);
        assert_eq!(reset_retry_count(r#"{"message_id": "a"} "#, 1).unwrap(), br#"{"message_id": "a", "retry_count": 1} "#);
        assert_eq!(reset_retry_count("{}", 1).unwrap(), br#"{"retry_count":1}"#);
        assert!(reset_retry_count(r#"{"a":1,"a":2}"#, 0).is_none());
        assert!(reset_retry_count("[1]", 0).is_none());
    }
}
