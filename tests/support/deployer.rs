//! An independent test-side model of the contract deployer's mint-request consumer (hokusai-token
//! `services/contract-deployer`, TypeScript, not runnable here), written from
//! `/work/shared/mint-wire-format.md` and nothing else. Nothing here comes from the `hokusai_queue`
//! crate: it is a second implementation, so tests can check that what the tool writes is
//! accepted by the peer's discipline, and that the keys/members the peer writes are the ones the
//! tool reads.
//!
//! What is modelled (section numbers of the wire-format document):
//! * 1.1 key names and defaults ([`Keys`], [`Policy`]);
//! * 2.2 the Joi 17 validator: type conversion (numeric strings, `timestamp` rewritten to
//!   `toISOString()`), unknown keys rejected, unsafe integers rejected, all errors collected and
//!   joined with `". "`, Joi's message texts, path labels (`"contributors[0].weight_bps"`) and
//!   error order (known keys in schema order, then unknown keys) ([`accepts`]);
//! * 3.2 the per-message sequence, 3.3 classification, 3.4 retry vs dead-letter, 3.5 retry
//!   member/score, 3.6 promotion ([`Deployer`]);
//! * 4.1/4.2 DLQ entry shape and write sequence, 4.4 the inspector's parse rule
//!   ([`parse_dlq_entry`]);
//! * 6.1 settlement and 6.2 mint record JSON.
//!
//! Node semantics that matter for bytes are reproduced: node-redis hands the consumer a
//! *string* (invalid UTF-8 becomes U+FFFD, and the LREM ack then carries the re-encoded string),
//! `JSON.stringify` number formatting (`1.0` -> `1`, `1e-7`), and JavaScript's property order
//! (integer-like keys first) when a parsed message is re-serialised.
//!
//! Choices where the document leaves the peer's code open (kept in one place so a test can
//! match loosely):
//! * The weight-sum rule is modelled as a `.custom()` on the contributors array doing
//!   `value.reduce((s, c) => s + c.weight_bps, 0) !== 10000` -> `any.invalid`; Joi runs such a rule
//!   even when an item failed (with the item left unconverted).
//! * The sample-size rule's full text is unknown; the document only gives the substring
//!   [`SAMPLE_SIZE_RULE`], which is used as the whole message. Both cross-field rules run only
//!   when every field is valid (a root-level custom rule).
//! * The order of the `recipientKind` valids in its error is taken as `[wallet, escrow, null]`.
//! * Offset-less date-times are read as UTC (the deployer's container clock zone).
//! * Settlement on-chain fields (`tx_hash`, `block_number`, `reward_amount`, `gas_used`) are
//!   synthetic; the record's `model_id` is the message's `model_id`.
//!
//! Known divergences (inputs JSON.parse takes but serde_json refuses, e.g. lone surrogate
//! escapes, numbers beyond f64 range, nesting deeper than 128): they count as `Invalid JSON` here.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

// ---- configuration (section 1.1) --------------------------------------------------------------

/// The deployer's mint keys (env-configured; `Keys::default()` = the documented defaults).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keys {
    pub inbound: String,
    pub processing: String,
    pub dlq: String,
    pub audit: String,
    pub processed: String,
    pub retry: String,
    pub settlements: String,
    pub record_prefix: String,
}

impl Default for Keys {
    fn default() -> Self {
        Self {
            inbound: "hokusai:mint_requests".into(),
            processing: "hokusai:mint_requests:processing".into(),
            dlq: "hokusai:mint_requests:dlq".into(),
            audit: "hokusai:mint_requests:dlq:audit".into(),
            processed: "hokusai:mint_requests:processed".into(),
            retry: "hokusai:mint_requests:retry".into(),
            settlements: "hokusai:mint_request_settlements".into(),
            record_prefix: "hokusai:mint_record:".into(),
        }
    }
}

/// Retry policy (`MINT_REQUEST_MAX_RETRIES`, `MINT_BACKOFF_*`, ...) and the record TTL.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub max_retries: u64,
    pub budget_max_retries: u64,
    pub base_ms: u64,
    pub max_ms: u64,
    pub budget_base_ms: u64,
    pub budget_max_ms: u64,
    pub multiplier: f64,
    /// `MINT_RECORD_TTL_SECONDS`.
    pub record_ttl_secs: u64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            budget_max_retries: 24,
            base_ms: 1000,
            max_ms: 60000,
            budget_base_ms: 60000,
            budget_max_ms: 1_800_000,
            multiplier: 2.0,
            record_ttl_secs: 2_592_000,
        }
    }
}

/// What the handler (the on-chain part) returns for one validated message.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A final outcome: `"minted"`, `"no_delta"`, `"budget_blocked"` or `"replay"`.
    Settled(&'static str),
    /// A thrown error. `permanent: true` is an error tagged `failureClass: "permanent"` (or
    /// `onChainOutcomeUnknown`, or a permanent ethers code); `permanent: false` is an untagged
    /// error, classified by its message (3.3 rules 5 to 7: `Model not registered` is permanent,
    /// anything else transient). A message containing `MintBudgetExceeded` takes the budget path.
    Fail { message: String, permanent: bool },
}

/// What one [`Deployer::process_one`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// The pop timed out (nothing on the inbound list).
    Empty,
    Settled {
        key: String,
        status: String,
    },
    /// The key was already in the processed set: acked and dropped silently.
    Duplicate {
        key: String,
    },
    Retried {
        key: String,
        retry_count: u64,
        score_ms: i64,
    },
    DeadLettered {
        reason: String,
        failure_class: String,
    },
}

// ---- the consumer (sections 3, 4, 6) ----------------------------------------------------------

pub struct Deployer {
    con: redis::Connection,
    pub keys: Keys,
    pub policy: Policy,
    random: Box<dyn FnMut() -> f64>,
}

impl Deployer {
    pub fn new(con: redis::Connection) -> Self {
        Self { con, keys: Keys::default(), policy: Policy::default(), random: Box::new(fastrand::f64) }
    }

    /// Replaces `Math.random` (the backoff jitter): `|| 0.0` makes every retry due at once.
    pub fn with_random(mut self, random: impl FnMut() -> f64 + 'static) -> Self {
        self.random = Box::new(random);
        self
    }

    /// 3.6: `ZRANGEBYSCORE retry 0 <now ms> LIMIT 0 25`, then per member
    /// `MULTI; LPUSH inbound member; ZREM retry member; EXEC`. Returns how many were promoted.
    pub fn promote_due(&mut self) -> usize {
        let now = now_ms();
        let due: Vec<Vec<u8>> = redis::cmd("ZRANGEBYSCORE")
            .arg(&self.keys.retry)
            .arg(0)
            .arg(now)
            .arg("LIMIT")
            .arg(0)
            .arg(25)
            .query(&mut self.con)
            .expect("ZRANGEBYSCORE retry");
        for member in &due {
            // node-redis returns (and sends back) a JS string.
            let member = String::from_utf8_lossy(member).into_owned();
            redis::pipe()
                .atomic()
                .cmd("LPUSH")
                .arg(&self.keys.inbound)
                .arg(&member)
                .ignore()
                .cmd("ZREM")
                .arg(&self.keys.retry)
                .arg(&member)
                .ignore()
                .query::<()>(&mut self.con)
                .expect("promotion MULTI");
        }
        due.len()
    }

    /// 3.2: one message, exactly as the listener handles it. `block_secs` is the BRPOPLPUSH
    /// timeout (the deployer uses 5; pass e.g. 0.1); `<= 0` pops without blocking (RPOPLPUSH).
    pub fn process_one(&mut self, block_secs: f64, handler: &mut dyn FnMut(&Value) -> Outcome) -> Step {
        let mut pop = redis::cmd(if block_secs > 0.0 { "BRPOPLPUSH" } else { "RPOPLPUSH" });
        pop.arg(&self.keys.inbound).arg(&self.keys.processing);
        if block_secs > 0.0 {
            pop.arg(block_secs);
        }
        let popped: Option<Vec<u8>> = run(&mut self.con, &pop);
        let Some(bytes) = popped else { return Step::Empty };
        let raw = String::from_utf8_lossy(&bytes).into_owned();

        let parsed: Value = match serde_json::from_str(&raw) {
            Ok(v) => v,
            Err(_) => {
                let original = Value::String(raw.clone());
                return self.dead_letter(&raw, original, "Invalid JSON".into(), "permanent", None);
            }
        };
        let message = match validate(&parsed) {
            Ok(m) => m,
            Err(reason) => return self.dead_letter(&raw, parsed, reason, "permanent", None),
        };
        let key = message["idempotency_key"].as_str().expect("a validated key").to_owned();

        let seen: bool = run(&mut self.con, redis::cmd("SISMEMBER").arg(&self.keys.processed).arg(&key));
        if seen {
            self.lrem_processing(&raw);
            return Step::Duplicate { key };
        }

        match handler(&message) {
            Outcome::Settled(status) => self.settle(&raw, &message, &key, status),
            Outcome::Fail { message: error, permanent } => self.fail(&raw, parsed, &message, &key, &error, permanent),
        }
    }

    /// 3.1 loop: promotion then one message, until the inbound list is empty and nothing in the
    /// retry set is due (or `max_steps` non-empty steps were taken). Returns the steps taken.
    pub fn run_until_idle(&mut self, handler: &mut dyn FnMut(&Value) -> Outcome, max_steps: usize) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut idle_rounds = 0;
        while steps.len() < max_steps && idle_rounds < 1000 {
            self.promote_due();
            let inbound: u64 = run(&mut self.con, redis::cmd("LLEN").arg(&self.keys.inbound));
            if inbound == 0 {
                let due: u64 = run(&mut self.con, redis::cmd("ZCOUNT").arg(&self.keys.retry).arg(0).arg(now_ms()));
                if due == 0 {
                    break;
                }
                idle_rounds += 1;
                continue;
            }
            match self.process_one(0.1, handler) {
                Step::Empty => idle_rounds += 1,
                step => steps.push(step),
            }
        }
        steps
    }

    fn lrem_processing(&mut self, raw: &str) {
        run::<()>(&mut self.con, redis::cmd("LREM").arg(&self.keys.processing).arg(1).arg(raw));
    }

    fn record_key(&self, key: &str) -> String {
        format!("{}{key}", self.keys.record_prefix)
    }

    /// 3.2 steps 5d and 6: settlement LPUSH (standalone), then the ack MULTI.
    fn settle(&mut self, raw: &str, message: &Value, key: &str, status: &str) -> Step {
        let settled_at = iso_ms(now_ms());
        let replay = status == "replay";
        let tx_hash: String = (0..4).fold("0x".into(), |h, _| format!("{h}{:016x}", fastrand::u64(..)));
        let block_number = fastrand::u64(1_000_000..9_000_000);
        let reward = if status == "minted" { "1000000000000000000" } else { "0" };
        let copy = |k: &str| message.get(k).cloned().unwrap_or(Value::Null);

        let mut s = Map::new();
        s.insert("event_type".into(), "mint_request_settled".into());
        s.insert("message_version".into(), "1.0".into());
        s.insert("settled_at".into(), settled_at.clone().into());
        for k in ["idempotency_key", "attestation_hash", "model_id", "model_id_uint", "eval_id"] {
            s.insert(k.into(), copy(k));
        }
        if !replay {
            s.insert("tx_hash".into(), tx_hash.clone().into());
            s.insert("block_number".into(), block_number.into());
        }
        s.insert("status".into(), status.into());
        s.insert("reward_amount".into(), reward.into());
        if !replay {
            s.insert("gas_used".into(), "182000".into());
        }

        let mut r = Map::new();
        r.insert("idempotency_key".into(), key.into());
        r.insert("model_id".into(), copy("model_id"));
        if !replay {
            r.insert("tx_hash".into(), tx_hash.into());
        }
        r.insert("status".into(), status.into());
        r.insert("reward_amount".into(), reward.into());
        if !replay {
            r.insert("block_number".into(), block_number.into());
            r.insert("gas_used".into(), "182000".into());
        }
        r.insert("updated_at".into(), settled_at.into());

        redis::cmd("LPUSH")
            .arg(&self.keys.settlements)
            .arg(js_stringify(&Value::Object(s)))
            .exec(&mut self.con)
            .expect("LPUSH settlement");
        redis::pipe()
            .atomic()
            .cmd("SADD")
            .arg(&self.keys.processed)
            .arg(key)
            .ignore()
            .cmd("LREM")
            .arg(&self.keys.processing)
            .arg(1)
            .arg(raw)
            .ignore()
            .cmd("SET")
            .arg(self.record_key(key))
            .arg(js_stringify(&Value::Object(r)))
            .arg("EX")
            .arg(self.policy.record_ttl_secs)
            .ignore()
            .query::<()>(&mut self.con)
            .expect("ack MULTI");
        Step::Settled { key: key.into(), status: status.into() }
    }

    /// 3.3 to 3.5.
    fn fail(&mut self, raw: &str, parsed: Value, message: &Value, key: &str, error: &str, permanent: bool) -> Step {
        let class = classify(error, permanent);
        if class == "permanent" {
            return self.dead_letter(raw, parsed, format!("permanent: {error}"), "permanent", Some(message));
        }
        let budget = error.contains("MintBudgetExceeded");
        let n = message.get("_retryCount").and_then(Value::as_u64).unwrap_or(0);
        let max = if budget { self.policy.budget_max_retries } else { self.policy.max_retries };
        if n >= max {
            let prefix = if budget { "budget_exhausted" } else { "exhausted" };
            let reason = format!("{prefix} (retries={n}): {error}");
            return self.dead_letter(raw, parsed, reason, "transient", Some(message));
        }

        let retry = n + 1;
        let mut member = message.clone();
        member.as_object_mut().expect("a validated object").insert("_retryCount".into(), retry.into());
        let member = js_stringify(&member);
        let (base, cap) = if budget {
            (self.policy.budget_base_ms, self.policy.budget_max_ms)
        } else {
            (self.policy.base_ms, self.policy.max_ms)
        };
        let random = (self.random)();
        let now = now_ms();
        let score = now + compute_backoff_ms(retry, base, cap, self.policy.multiplier, random) as i64;
        let status = if budget { "budget_exceeded_retry" } else { "error" };
        let record = self.failure_record(message, status, "transient", error);
        redis::pipe()
            .atomic()
            .cmd("LREM")
            .arg(&self.keys.processing)
            .arg(1)
            .arg(raw)
            .ignore()
            .cmd("ZADD")
            .arg(&self.keys.retry)
            .arg(score)
            .arg(&member)
            .ignore()
            .cmd("SET")
            .arg(self.record_key(key))
            .arg(record)
            .arg("EX")
            .arg(self.policy.record_ttl_secs)
            .ignore()
            .query::<()>(&mut self.con)
            .expect("retry MULTI");
        Step::Retried { key: key.into(), retry_count: retry, score_ms: score }
    }

    /// 6.2 record while retrying / after a dead-letter.
    fn failure_record(&self, message: &Value, status: &str, class: &str, error: &str) -> String {
        let mut r = Map::new();
        r.insert("idempotency_key".into(), message["idempotency_key"].clone());
        r.insert("model_id".into(), message["model_id"].clone());
        r.insert("status".into(), status.into());
        r.insert("failure_class".into(), class.into());
        r.insert("reward_amount".into(), "0".into());
        r.insert("error".into(), error.into());
        r.insert("updated_at".into(), iso_ms(now_ms()).into());
        js_stringify(&Value::Object(r))
    }

    /// 4.2: `LPUSH dlq entry`, then `LREM processing 1 raw`, then (validated messages only) the
    /// record. Three separate commands.
    fn dead_letter(&mut self, raw: &str, original: Value, reason: String, class: &str, valid: Option<&Value>) -> Step {
        let mut e = Map::new();
        e.insert("originalMessage".into(), original);
        e.insert("error".into(), reason.clone().into());
        e.insert("reason".into(), reason.clone().into());
        e.insert("failureClass".into(), class.into());
        e.insert("timestamp".into(), iso_ms(now_ms()).into());
        e.insert("queue".into(), self.keys.inbound.clone().into());
        let entry = js_stringify(&Value::Object(e));
        run::<()>(&mut self.con, redis::cmd("LPUSH").arg(&self.keys.dlq).arg(entry));
        self.lrem_processing(raw);
        if let Some(message) = valid {
            let key = message["idempotency_key"].as_str().expect("a validated key").to_owned();
            let record = self.failure_record(message, "error", class, &reason);
            redis::cmd("SET")
                .arg(self.record_key(&key))
                .arg(record)
                .arg("EX")
                .arg(self.policy.record_ttl_secs)
                .exec(&mut self.con)
                .expect("SET record");
        }
        Step::DeadLettered { reason, failure_class: class.into() }
    }
}

/// Runs one command, panicking on a Redis error (the peer's loop would swallow it and go on).
fn run<T: redis::FromRedisValue>(con: &mut redis::Connection, cmd: &redis::Cmd) -> T {
    cmd.query(con).unwrap_or_else(|e| panic!("the deployer's Redis command failed: {e}"))
}

/// 3.3 `classifyError` for an [`Outcome::Fail`]: `"permanent"` or `"transient"`.
pub fn classify(message: &str, permanent: bool) -> &'static str {
    if permanent {
        return "permanent";
    }
    let m = message.to_lowercase();
    const PERMANENT: [&str; 3] = ["model not registered", "model is deactivated", "mintrequest transaction reverted"];
    if PERMANENT.iter().any(|p| m.contains(p)) {
        return "permanent";
    }
    // Rule 6 (the transient substrings) and rule 7 (the default) agree.
    "transient"
}

/// 3.5 `computeBackoffMs(retry, {baseMs, maxMs, multiplier})` with `Math.random()` = `random`:
/// 0 for retry <= 0 or max 0, else `floor(random * (cap + 1))` with
/// `cap = min(base * multiplier^(retry-1), max)`.
pub fn compute_backoff_ms(retry: u64, base_ms: u64, max_ms: u64, multiplier: f64, random: f64) -> u64 {
    if retry == 0 || max_ms == 0 {
        return 0;
    }
    let cap = (base_ms as f64 * multiplier.powf((retry - 1) as f64)).min(max_ms as f64);
    (random * (cap + 1.0)).floor() as u64
}

/// `Date.now()`.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("a clock after 1970").as_millis() as i64
}

// ---- the validator of section 2.2 -------------------------------------------------------------

/// The message text of the first cross-field rule (only this substring is known).
pub const SAMPLE_SIZE_RULE: &str =
    "must include a positive integer sample_size_candidate or sample_size_baseline to derive totalSamples";

/// Would the deployer accept this inbound element? `Ok(normalised message)` (what the handler
/// and a retry member would see) or `Err(reason)` exactly as the DLQ entry would carry it:
/// `Invalid JSON`, or the Joi messages joined by `". "`.
pub fn accepts(raw: &[u8]) -> Result<Value, String> {
    let raw = String::from_utf8_lossy(raw);
    let parsed: Value = serde_json::from_str(&raw).map_err(|_| "Invalid JSON".to_owned())?;
    validate(&parsed)
}

/// The Joi schema applied to an already parsed value.
pub fn validate(value: &Value) -> Result<Value, String> {
    let mut errors = Vec::new();
    let mut path = Vec::new();
    let Ok(message) = object(value, ROOT, &mut path, &mut errors) else {
        return Err(errors.join(". "));
    };
    // Root-level custom rule: runs only when every key passed.
    let total = message["totalSamples"].as_f64().unwrap_or(f64::NAN);
    let evaluation = &message["evaluation"];
    let positive = |k: &str| evaluation.get(k).and_then(Value::as_f64).filter(|x| *x > 0.0 && x.fract() == 0.0);
    let candidate = positive("sample_size_candidate");
    if candidate.is_none() && positive("sample_size_baseline").is_none() {
        return Err(SAMPLE_SIZE_RULE.to_owned());
    }
    if let Some(c) = candidate
        && c != total
    {
        return Err(format!(
            "\"totalSamples\" ({}) does not match evaluation.sample_size_candidate ({})",
            js_number(total),
            js_number(c)
        ));
    }
    Ok(message)
}

#[derive(Clone, Copy)]
enum Pattern {
    Hash,
    Address,
    Signature,
    Uint,
}

impl Pattern {
    /// The regex as Joi prints it (`regex.toString()`).
    fn source(self) -> &'static str {
        match self {
            Pattern::Hash => "/^0x[0-9a-f]{64}$/",
            Pattern::Address => "/^0x[a-fA-F0-9]{40}$/",
            Pattern::Signature => "/^0x[0-9a-fA-F]{130}$/",
            Pattern::Uint => r"/^[1-9]\d*$/",
        }
    }

    fn test(self, s: &str) -> bool {
        let hex = |body: &str, n: usize, upper: bool| {
            let digit = |b: u8| matches!(b, b'0'..=b'9' | b'a'..=b'f') || (upper && matches!(b, b'A'..=b'F'));
            body.len() == n && body.bytes().all(digit)
        };
        match self {
            Pattern::Hash => s.strip_prefix("0x").is_some_and(|b| hex(b, 64, false)),
            Pattern::Address => s.strip_prefix("0x").is_some_and(|b| hex(b, 40, true)),
            Pattern::Signature => s.strip_prefix("0x").is_some_and(|b| hex(b, 130, true)),
            Pattern::Uint => {
                let b = s.as_bytes();
                !b.is_empty() && (b'1'..=b'9').contains(&b[0]) && b.iter().all(u8::is_ascii_digit)
            }
        }
    }
}

enum Ty {
    /// `Joi.string()` with `.valid(...)`, `.pattern()`, `.max()`, `.isoDate()`.
    Str {
        only: &'static [&'static str],
        pattern: Option<Pattern>,
        max: Option<usize>,
        iso: bool,
    },
    /// `Joi.number()` with `.integer()`, `.min()`, `.max()` in that order.
    Num {
        integer: bool,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// `Joi.array().items(Joi.string().pattern(SIGNATURE)).min(1).max(8)`.
    Signatures,
    Evaluation,
    /// `Joi.array().items(contributor).min(1).max(100)` plus the weight-sum custom rule.
    Contributors,
}

struct Field {
    name: &'static str,
    ty: Ty,
    required: bool,
    /// `.allow(null)`.
    nullable: bool,
}

/// A key of an object schema.
const fn key(name: &'static str, ty: Ty, required: bool, nullable: bool) -> Field {
    Field { name, ty, required, nullable }
}

const fn str_ty(only: &'static [&'static str], pattern: Option<Pattern>, max: Option<usize>, iso: bool) -> Ty {
    Ty::Str { only, pattern, max, iso }
}

/// A required non-empty `Joi.string()`.
const fn string(name: &'static str) -> Field {
    key(name, str_ty(&[], None, None, false), true, false)
}

/// A required `Joi.string().pattern(p)`.
const fn pattern(name: &'static str, p: Pattern) -> Field {
    key(name, str_ty(&[], Some(p), None, false), true, false)
}

/// `Joi.string().valid(...)`, `.allow(null)` when nullable.
const fn one_of(name: &'static str, only: &'static [&'static str], required: bool, nullable: bool) -> Field {
    key(name, str_ty(only, None, None, false), required, nullable)
}

/// `Joi.number().integer().min(min)[.max(max)]`.
const fn int(name: &'static str, min: f64, max: Option<f64>, required: bool, nullable: bool) -> Field {
    key(name, Ty::Num { integer: true, min: Some(min), max }, required, nullable)
}

/// An optional `Joi.string()[.max(n)].allow(null)` (an empty string is still refused).
const fn text(name: &'static str, max: Option<usize>) -> Field {
    key(name, str_ty(&[], None, max, false), false, true)
}

const BPS: Option<f64> = Some(10000.0);

/// Root keys, in the schema's (table) order: Joi reports errors in this order, then unknown keys.
const ROOT: &[Field] = &[
    one_of("message_type", &["mint_request"], true, false),
    one_of("schema_version", &["1.0"], true, false),
    string("message_id"),
    key("timestamp", str_ty(&[], None, None, true), true, false),
    string("model_id"),
    pattern("model_id_uint", Pattern::Uint),
    string("eval_id"),
    string("benchmark_spec_id"),
    pattern("dataset_hash", Pattern::Hash),
    pattern("attestation_hash", Pattern::Hash),
    pattern("idempotency_key", Pattern::Hash),
    pattern("baseline_commitment", Pattern::Hash),
    pattern("candidate_commitment", Pattern::Hash),
    key("attester_signatures", Ty::Signatures, true, false),
    int("totalSamples", 1.0, None, true, false),
    int("deadline", 1.0, None, true, false),
    key("evaluation", Ty::Evaluation, true, false),
    key("contributors", Ty::Contributors, true, false),
    int("_retryCount", 0.0, None, false, false),
];

const EVALUATION: &[Field] = &[
    string("metric_name"),
    string("metric_family"),
    int("baseline_score_bps", 0.0, BPS, true, false),
    int("new_score_bps", 0.0, BPS, true, false),
    int("max_cost_usd_micro", 0.0, None, true, false),
    int("actual_cost_usd_micro", 0.0, None, true, false),
    int("sample_size_baseline", 0.0, None, false, true),
    int("sample_size_candidate", 0.0, None, false, true),
    int("ci_low_bps", 0.0, BPS, false, true),
    int("ci_high_bps", 0.0, BPS, false, true),
    key("p_value", Ty::Num { integer: false, min: Some(0.0), max: Some(1.0) }, false, true),
    int("effect_size_bps", 0.0, BPS, false, true),
    text("statistical_method", Some(128)),
    text("statistical_reason", Some(1024)),
];

const CONTRIBUTOR: &[Field] = &[
    pattern("wallet_address", Pattern::Address),
    int("weight_bps", 1.0, BPS, true, false),
    one_of("recipientKind", &["wallet", "escrow"], false, true),
    text("submissionId", None),
    text("contributionBatchId", None),
    text("contributorId", None),
];

enum Seg {
    Key(String),
    Index(usize),
}

/// Joi's default label: the path (`a.b[0].c`), or `value` at the root, in double quotes.
fn label(path: &[Seg]) -> String {
    let mut l = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !l.is_empty() {
                    l.push('.');
                }
                l.push_str(k);
            }
            Seg::Index(i) => l.push_str(&format!("[{i}]")),
        }
    }
    if l.is_empty() { "\"value\"".into() } else { format!("\"{l}\"") }
}

/// An object schema: known keys in schema order, then unknown keys; `Err` when anything failed.
fn object(value: &Value, fields: &[Field], path: &mut Vec<Seg>, errors: &mut Vec<String>) -> Result<Value, ()> {
    let Value::Object(map) = value else {
        errors.push(format!("{} must be of type object", label(path)));
        return Err(());
    };
    let before = errors.len();
    let mut out = map.clone();
    for field in fields {
        path.push(Seg::Key(field.name.into()));
        if let Some(v) = check(map.get(field.name), field, path, errors) {
            out.insert(field.name.into(), v);
        }
        path.pop();
    }
    for key in js_keys(map) {
        if !fields.iter().any(|f| f.name == key) {
            path.push(Seg::Key(key.clone()));
            errors.push(format!("{} is not allowed", label(path)));
            path.pop();
        }
    }
    if errors.len() > before { Err(()) } else { Ok(Value::Object(out)) }
}

/// One key, the way Joi's `internals.validate` runs: coerce, presence, allowed values, base
/// type (stops on error), then every rule. Returns the (converted) value, `None` when absent.
fn check(value: Option<&Value>, field: &Field, path: &mut Vec<Seg>, errors: &mut Vec<String>) -> Option<Value> {
    let lab = label(path);
    let mut value = value.cloned();
    // Coerce (convert: true).
    match (&field.ty, &value) {
        (Ty::Num { .. }, Some(Value::String(s))) => match coerce_number(s) {
            None => {}
            Some(Ok(x)) => value = Some(number(x)),
            Some(Err(())) => {
                errors.push(format!("{lab} must be a safe number"));
                return value;
            }
        },
        (Ty::Str { iso: true, .. }, Some(Value::String(s))) => {
            if let Some(iso) = iso_date(s) {
                value = Some(Value::String(iso));
            }
        }
        _ => {}
    }
    let Some(v) = value else {
        if field.required {
            errors.push(format!("{lab} is required"));
        }
        return None;
    };
    if field.nullable && v.is_null() {
        return Some(v);
    }
    if let Ty::Str { only, .. } = &field.ty
        && !only.is_empty()
    {
        if v.as_str().is_some_and(|s| only.contains(&s)) {
            return Some(v);
        }
        let mut valids: Vec<&str> = only.to_vec();
        if field.nullable {
            valids.push("null");
        }
        let one_of = if valids.len() == 1 { "" } else { "one of " };
        errors.push(format!("{lab} must be {one_of}[{}]", valids.join(", ")));
    }
    match &field.ty {
        Ty::Str { pattern, max, iso, .. } => {
            let Some(s) = v.as_str() else {
                errors.push(format!("{lab} must be a string"));
                return Some(v);
            };
            if s.is_empty() {
                errors.push(format!("{lab} is not allowed to be empty"));
                return Some(v);
            }
            if let Some(p) = pattern
                && !p.test(s)
            {
                errors.push(format!("{lab} with value \"{s}\" fails to match the required pattern: {}", p.source()));
            }
            if let Some(max) = max
                && s.encode_utf16().count() > *max
            {
                errors.push(format!("{lab} length must be less than or equal to {max} characters long"));
            }
            if *iso && iso_date(s).is_none() {
                errors.push(format!("{lab} must be in iso format"));
            }
            Some(v)
        }
        Ty::Num { integer, min, max } => {
            let Some(x) = v.as_f64() else {
                errors.push(format!("{lab} must be a number"));
                return Some(v);
            };
            if x.abs() > MAX_SAFE {
                errors.push(format!("{lab} must be a safe number"));
                return Some(v);
            }
            if *integer && x.fract() != 0.0 {
                errors.push(format!("{lab} must be an integer"));
            }
            if let Some(min) = min
                && x < *min
            {
                errors.push(format!("{lab} must be greater than or equal to {}", js_number(*min)));
            }
            if let Some(max) = max
                && x > *max
            {
                errors.push(format!("{lab} must be less than or equal to {}", js_number(*max)));
            }
            Some(number(x))
        }
        Ty::Evaluation => Some(object(&v, EVALUATION, path, errors).unwrap_or(v)),
        Ty::Signatures | Ty::Contributors => {
            let Value::Array(items) = &v else {
                errors.push(format!("{lab} must be an array"));
                return Some(v);
            };
            let contributors = matches!(field.ty, Ty::Contributors);
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                let checked = if contributors {
                    object(item, CONTRIBUTOR, path, errors).ok()
                } else {
                    let before = errors.len();
                    let signature = key("", str_ty(&[], Some(Pattern::Signature), None, false), false, false);
                    check(Some(item), &signature, path, errors).filter(|_| errors.len() == before)
                };
                path.pop();
                // An item that failed stays as it was (unconverted).
                out.push(checked.unwrap_or_else(|| item.clone()));
            }
            let (min, max) = if contributors { (1, 100) } else { (1, 8) };
            if out.len() < min {
                errors.push(format!("{lab} must contain at least {min} items"));
            }
            if out.len() > max {
                errors.push(format!("{lab} must contain less than or equal to {max} items"));
            }
            if contributors && let Some(e) = weight_sum_error(&out, &lab) {
                errors.push(e);
            }
            Some(Value::Array(out))
        }
    }
}

/// The weight-sum custom rule as JavaScript would evaluate
/// `items.reduce((s, c) => s + c.weight_bps, 0) !== 10000` on the (partly converted) array.
fn weight_sum_error(items: &[Value], lab: &str) -> Option<String> {
    enum Acc {
        Num(f64),
        Str,
    }
    let mut acc = Acc::Num(0.0);
    for item in items {
        let w = match item {
            Value::Null => {
                return Some(format!(
                    "{lab} failed custom validation because Cannot read properties of null (reading 'weight_bps')"
                ));
            }
            Value::Object(m) => m.get("weight_bps"),
            _ => None,
        };
        acc = match (acc, w) {
            (Acc::Str, _) => Acc::Str,
            (Acc::Num(s), Some(Value::Number(n))) => Acc::Num(s + n.as_f64().unwrap_or(f64::NAN)),
            (Acc::Num(s), Some(Value::Null)) => Acc::Num(s),
            (Acc::Num(s), Some(Value::Bool(b))) => Acc::Num(s + f64::from(u8::from(*b))),
            (Acc::Num(_), None) => Acc::Num(f64::NAN),
            (Acc::Num(_), Some(_)) => Acc::Str,
        };
    }
    let sum_ok = match acc {
        Acc::Num(s) => s == 10000.0,
        Acc::Str => false,
    };
    (!sum_ok).then(|| format!("{lab} contains an invalid value"))
}

const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// A number as serde_json holds it: integral values as integers (so `json!(200)` compares equal).
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() <= MAX_SAFE {
        if x == 0.0 { 0.into() } else { (x as i64).into() }
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

/// `true` for JavaScript's `\s` / `String.prototype.trim` whitespace.
fn js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// Joi's number coerce from a string: `None` when it is not numeric (left to fail as
/// `must be a number`), `Some(Err)` for `number.unsafe`, else the parsed value.
fn coerce_number(s: &str) -> Option<Result<f64, ()>> {
    let t = s.trim_matches(js_space);
    // numberRx: [+-]? (\d+(\.\d*)? | \.\d+) (e[+-]?\d+)?, case-insensitive.
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac_digits = i - f;
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    let has_exponent = i < b.len() && (b[i] == b'e' || b[i] == b'E');
    if has_exponent {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let mut x: f64 = t.parse().ok()?;
    if x == 0.0 {
        x = 0.0; // -0
    }
    if has_exponent {
        if significant_digits(t) != significant_digits(&js_number(x)) {
            return Some(Err(()));
        }
    } else {
        let printed = js_number(x);
        if !printed.contains('e') && printed != normalize_decimal(t) {
            return Some(Err(()));
        }
    }
    Some(Ok(x))
}

/// Joi's `extractSignificantDigits`.
fn significant_digits(v: &str) -> String {
    let mut s = v.to_owned();
    // /[eE][+-]?\d+$/
    if let Some(pos) = s.rfind(['e', 'E']) {
        let tail = &s[pos + 1..];
        let digits = tail.strip_prefix(['+', '-']).unwrap_or(tail);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            s.truncate(pos);
        }
    }
    if let Some(dot) = s.find('.') {
        s.remove(dot);
    }
    let s = s.trim_end_matches('0');
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    s.trim_start_matches('0').to_owned()
}

/// Joi's `normalizeDecimal`.
fn normalize_decimal(v: &str) -> String {
    let mut s = v.strip_prefix('+').unwrap_or(v).to_owned();
    // /\.0*$/ -> ''
    if let Some(dot) = s.rfind('.')
        && s[dot + 1..].bytes().all(|b| b == b'0')
    {
        s.truncate(dot);
    }
    // /^(-?)\.([^\.]*)$/ -> '$10.$2'
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest.to_owned()),
        None => ("", s.clone()),
    };
    let body = if body.starts_with('.') && !body[1..].contains('.') { format!("0{body}") } else { body };
    // /^(-?)0+([0-9])/ -> '$1$2'
    let zeros = body.bytes().take_while(|b| *b == b'0').count();
    let body = if zeros > 0 && body.as_bytes().get(zeros).is_some_and(u8::is_ascii_digit) {
        body[zeros..].to_owned()
    } else if zeros > 1 {
        body[zeros - 1..].to_owned() // the greedy 0+ gives one zero back to ([0-9])
    } else {
        body
    };
    let mut s = format!("{neg}{body}");
    if s.contains('.') && s.ends_with('0') {
        s = s.trim_end_matches('0').to_owned();
    }
    if s == "-0" { "0".into() } else { s }
}

// ---- JavaScript number and JSON output --------------------------------------------------------

/// `Number.prototype.toString()` (also what `JSON.stringify` prints for finite numbers).
pub fn js_number(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if x == 0.0 {
        return "0".into();
    }
    let sign = if x < 0.0 { "-" } else { "" };
    // Shortest round-trip digits: d.ddd e E.
    let sci = format!("{:e}", x.abs());
    let (mantissa, exp) = sci.split_once('e').expect("{:e} has an exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i64;
    let n = exp.parse::<i64>().expect("an exponent") + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let e = if e >= 0 { format!("+{e}") } else { e.to_string() };
        if k == 1 { format!("{digits}e{e}") } else { format!("{}.{}e{e}", &digits[..1], &digits[1..]) }
    };
    format!("{sign}{body}")
}

/// Whether `k` is an array index property name (enumerated first, ascending, by JavaScript).
fn array_index(k: &str) -> Option<u32> {
    let n: u32 = k.parse().ok()?;
    (n != u32::MAX && n.to_string() == k).then_some(n)
}

/// An object's keys in JavaScript property order: array indexes ascending, then the others in
/// insertion order.
fn js_keys(map: &Map<String, Value>) -> Vec<&String> {
    let mut indexes: Vec<(u32, &String)> = map.keys().filter_map(|k| array_index(k).map(|n| (n, k))).collect();
    indexes.sort_unstable();
    let mut keys: Vec<&String> = indexes.into_iter().map(|(_, k)| k).collect();
    keys.extend(map.keys().filter(|k| array_index(k).is_none()));
    keys
}

/// `JSON.stringify(value)` (compact) of a value as JavaScript would hold it after `JSON.parse`.
pub fn js_stringify(value: &Value) -> String {
    let mut out = String::new();
    write_js(value, &mut out);
    out
}

fn write_js(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            out.push_str(&if x.is_finite() { js_number(x) } else { "null".into() });
        }
        Value::String(s) => out.push_str(&serde_json::to_string(s).expect("a string serialises")),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_js(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, k) in js_keys(map).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).expect("a string serialises"));
                out.push(':');
                write_js(&map[k], out);
            }
            out.push('}');
        }
    }
}

// ---- dates: Joi isoDate + new Date() + toISOString() ------------------------------------------

const MAX_TIME_MS: i64 = 8_640_000_000_000_000;

/// Joi's `string.isoDate()` conversion: `Some(new Date(s).toISOString())` when Joi's ISO regex
/// matches and V8 parses the string, else `None` (`must be in iso format`). Covers the forms V8
/// accepts: `[±YY]YYYY[-MM[-DD]]`, and after a month a `T`/whitespace time `HH:mm[:ss[.f+]]`
/// (or `24:00`) with `Z`, `±HH`, `±HHmm`, `±HH:mm` or nothing (local time, taken as UTC).
/// Week dates, ordinal dates, basic (dash-less) forms and comma fractions are refused, as V8
/// refuses them.
pub fn iso_date(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize, n: usize| -> Option<i64> {
        let part = b.get(*i..*i + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        *i += n;
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let year = match b.first()? {
        b'+' | b'-' => {
            let negative = b[0] == b'-';
            i = 1;
            let y = digits(&mut i, 6)?;
            if negative && y == 0 {
                return None;
            }
            if negative { -y } else { y }
        }
        _ => digits(&mut i, 4)?,
    };
    let (mut month, mut day, mut has_month) = (1, 1, false);
    if b.get(i) == Some(&b'-') {
        i += 1;
        month = digits(&mut i, 2)?;
        has_month = true;
        if b.get(i) == Some(&b'-') {
            i += 1;
            day = digits(&mut i, 2)?;
            if !(1..=31).contains(&day) {
                return None;
            }
        }
        if !(1..=12).contains(&month) {
            return None;
        }
    }
    let mut ms_of_day = 0;
    let mut offset_ms = 0;
    if i < b.len() {
        let sep = s[i..].chars().next()?;
        if !has_month || !(sep == 'T' || js_space(sep)) {
            return None;
        }
        i += sep.len_utf8();
        let hours = digits(&mut i, 2)?;
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        let minutes = digits(&mut i, 2)?;
        let (mut seconds, mut millis) = (0, 0);
        if hours == 24 {
            if minutes != 0 {
                return None;
            }
        } else {
            if hours > 23 || minutes > 59 {
                return None;
            }
            if b.get(i) == Some(&b':') {
                i += 1;
                seconds = digits(&mut i, 2)?;
                if seconds > 59 {
                    return None;
                }
                if b.get(i) == Some(&b'.') {
                    i += 1;
                    let start = i;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                    if i == start {
                        return None;
                    }
                    let frac = format!("{:0<3}", &s[start..(start + 3).min(i)]);
                    millis = frac.parse::<i64>().ok()?;
                }
            }
        }
        ms_of_day = ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
        match b.get(i) {
            None => {}
            Some(b'Z') => i += 1,
            Some(sign @ (b'+' | b'-')) => {
                let negative = *sign == b'-';
                i += 1;
                let oh = digits(&mut i, 2)?;
                let mut om = 0;
                if i < b.len() {
                    if b[i] == b':' {
                        i += 1;
                    }
                    om = digits(&mut i, 2)?;
                }
                if oh > 23 || om > 59 {
                    return None;
                }
                offset_ms = (oh * 60 + om) * 60_000 * if negative { -1 } else { 1 };
            }
            Some(_) => return None,
        }
        if i != b.len() {
            return None;
        }
    }
    let days = days_from_civil(year, month, 1) + day - 1;
    let ms = days * 86_400_000 + ms_of_day - offset_ms;
    (ms.abs() <= MAX_TIME_MS).then(|| iso_ms(ms))
}

/// `new Date(ms).toISOString()`.
pub fn iso_ms(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let year = if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else if y < 0 {
        format!("-{:06}", -y)
    } else {
        format!("+{y:06}")
    };
    let (hours, minutes, seconds, millis) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
    format!("{year}-{m:02}-{d:02}T{hours:02}:{minutes:02}:{seconds:02}.{millis:03}Z")
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

// ---- the official DLQ inspector's parse rule (4.4) --------------------------------------------

/// `Some((originalMessage, reason, failureClass))` when the entry is a JSON object with a
/// string `reason` (`originalMessage` is `null` when absent; `failureClass` only when it is
/// `permanent` or `transient`), else `None` (the CLI's "unparseable").
pub fn parse_dlq_entry(raw: &[u8]) -> Option<(Value, String, Option<String>)> {
    let v: Value = serde_json::from_str(&String::from_utf8_lossy(raw)).ok()?;
    let m = v.as_object()?;
    let reason = m.get("reason")?.as_str()?.to_owned();
    let class = m.get("failureClass").and_then(Value::as_str);
    let class = class.filter(|c| *c == "permanent" || *c == "transient").map(str::to_owned);
    Some((m.get("originalMessage").cloned().unwrap_or(Value::Null), reason, class))
}

// ---- example messages (2.5) -------------------------------------------------------------------

/// The valid example of section 2.5 (passes the Joi schema unchanged).
pub fn example_request() -> Value {
    serde_json::json!({
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
        "attester_signatures": [format!("0x{}1b", "ab".repeat(64))],
        "totalSamples": 200,
        "deadline": 4102444800u64,
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
    })
}

/// A valid request distinct from the example and from every other `n`: `message_id`,
/// `attestation_hash` and `idempotency_key` carry `n` (the key does not follow the sha256
/// formula; the consumer does not check it).
pub fn example_request_with(n: u32) -> Value {
    let mut v = example_request();
    let vary = |field: &str, v: &Value| {
        let old = v[field].as_str().expect("a hash");
        format!("0x{n:016x}{}", &old[18..])
    };
    v["attestation_hash"] = vary("attestation_hash", &v).into();
    v["idempotency_key"] = vary("idempotency_key", &v).into();
    v["message_id"] = format!("3f1c2b7e-9a4d-4c1e-8b2a-{n:012x}").into();
    v
}

/// [`example_request_with`] as the pipeline publishes it (2.1): pydantic's field order, every
/// optional evaluation key (`null`), the contributor provenance keys (`null`, `recipientKind`
/// `"wallet"`), and Python's `isoformat()` timestamp (which the consumer rewrites to
/// `2026-07-01T09:30:00.123Z`).
pub fn pipeline_request(n: u32) -> Value {
    let mut v = example_request_with(n);
    v["timestamp"] = "2026-07-01T09:30:00.123456+00:00".into();
    let e = v["evaluation"].clone();
    v["evaluation"] = serde_json::json!({
        "metric_name": e["metric_name"],
        "metric_family": e["metric_family"],
        "baseline_score_bps": e["baseline_score_bps"],
        "new_score_bps": e["new_score_bps"],
        "max_cost_usd_micro": e["max_cost_usd_micro"],
        "actual_cost_usd_micro": e["actual_cost_usd_micro"],
        "sample_size_baseline": null,
        "sample_size_candidate": e["sample_size_candidate"],
        "ci_low_bps": null,
        "ci_high_bps": null,
        "p_value": null,
        "effect_size_bps": null,
        "statistical_method": null,
        "statistical_reason": null
    });
    let contributors: Vec<Value> = v["contributors"]
        .as_array()
        .expect("contributors")
        .iter()
        .map(|c| {
            serde_json::json!({
                "wallet_address": c["wallet_address"].as_str().expect("an address").to_lowercase(),
                "weight_bps": c["weight_bps"],
                "submissionId": null,
                "contributionBatchId": null,
                "contributorId": null,
                "recipientKind": "wallet"
            })
        })
        .collect();
    v["contributors"] = contributors.into();
    v
}
