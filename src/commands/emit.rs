//! `emit`: validate like the platform's producer, then push (one message, or a file in atomic batches).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{Context, Result};
use serde_json::{Map, Value, json};

use crate::cli::{EmitArgs, OutputFormat, PayloadFlags};
use crate::config::Config;
use crate::exit::{Failure, Quiet};
use crate::output;
use crate::queue::message::{self, MODEL_READY, SchemaError};
use crate::queue::mint;
use crate::queue::profile::Profile;
use crate::queue::{Batch, Outgoing, Queue, fast_payload, is_connection_error};
use crate::signals::Interrupts;
use crate::ui;

pub fn run(cfg: &Config, args: &EmitArgs, format: OutputFormat) -> Result<()> {
    if args.envelopes && args.file.is_none() {
        return Err(Failure::usage(
            "--envelopes restores a --file of whole envelopes; with --payload give a payload, not an envelope",
        )
        .into());
    }
    check_profile(cfg.keys.profile, &cfg.keys.main, args)?;
    if args.fields.any_set() && (args.payload.is_some() || args.file.is_some()) {
        return Err(Failure::usage("payload field flags (--model-id, ...) cannot be combined with --payload or --file").into());
    }
    if let Some(id) = &args.message_id
        && !message::is_uuid(id)
    {
        return Err(Failure::invalid_input(format!(
            "--message-id {id:?} is not a UUID (like 550e8400-e29b-41d4-a716-446655440000)"
        ))
        .into());
    }
    crate::backend::open(cfg)?.emit(args, format)
}

/// `emit` on Redis ([`crate::backend::QueueOps::emit`]): one message, or a file in atomic
/// batches (resumable).
pub(crate) fn on_redis(cfg: &Config, args: &EmitArgs, format: OutputFormat) -> Result<()> {
    if args.group_id.is_some() {
        return Err(Failure::usage("--group-id is for SQS FIFO queues: give --sqs-queue-url too").into());
    }
    match &args.file {
        Some(path) => emit_file(cfg, args, path, format),
        None => emit_one(cfg, args, format),
    }
}

/// What each profile lets emit build: envelopes (envelope), the flat request as given (mint),
/// exact bytes with --raw (opaque). A flag of another profile is a usage error.
fn check_profile(profile: Profile, queue: &str, args: &EmitArgs) -> Result<()> {
    let envelope_only = [
        (args.fields.any_set(), "payload field flags (--model-id, ...)"),
        (args.envelopes, "--envelopes"),
        (args.message_id.is_some(), "--message-id"),
        (args.message_type != MODEL_READY, "--message-type"),
        (args.max_retries != 3, "--max-retries"),
    ];
    match profile {
        Profile::Envelope if args.raw => Err(Failure::usage(format!(
            "--raw pushes unvalidated bytes, and {queue} has the envelope profile, whose consumers crash on anything \
             but a valid envelope: emit a payload (or --file --envelopes to restore a backup)"
        ))
        .into()),
        Profile::Envelope => Ok(()),
        Profile::Mint => {
            if let Some((_, flag)) = envelope_only.iter().find(|(set, _)| *set) {
                return Err(Failure::usage(format!(
                    "{flag} belongs to the envelope profile; {queue} has the mint profile, whose messages are flat \
                     MintRequest objects: emit one with --payload JSON|@FILE or many with --file (one request a line)"
                ))
                .into());
            }
            if args.raw {
                return Err(Failure::usage(format!(
                    "--raw would skip the deployer's validator; {queue} has the mint profile and takes only requests \
                     that pass it (the deployer dead-letters anything else)"
                ))
                .into());
            }
            if args.payload.is_none() && args.file.is_none() {
                return Err(Failure::usage("a mint request comes whole: give --payload JSON|@FILE|- or --file PATH|-").into());
            }
            Ok(())
        }
        Profile::Opaque if !args.raw => {
            Err(Failure::usage(profile.refuse_to_write(queue, "emit without --raw (it builds an envelope)")).into())
        }
        Profile::Opaque => {
            if let Some((_, flag)) = envelope_only.iter().find(|(set, _)| *set) {
                return Err(Failure::usage(format!("{flag} cannot be combined with --raw")).into());
            }
            if args.payload.is_none() && args.file.is_none() {
                return Err(Failure::usage("--raw needs --payload TEXT|@FILE|- or --file PATH|-").into());
            }
            Ok(())
        }
    }
}

/// The payload fields a `model_ready_to_deploy` message must have (wire-format.md).
const REQUIRED_FIELDS: [&str; 7] =
    ["model_id", "token_symbol", "metric_name", "baseline_value", "current_value", "model_name", "model_version"];

/// Whether pushes publish a notice: only the envelope profile's producers do.
fn channel<'a>(cfg: &'a Config, args: &EmitArgs) -> Option<&'a str> {
    (cfg.keys.profile == Profile::Envelope && !args.no_publish).then_some(cfg.keys.pubsub.as_str())
}

impl PayloadFlags {
    fn any_set(&self) -> bool {
        !self.to_map().is_empty()
    }

    /// The flags as a payload object, in the platform's field order; unset flags are absent.
    fn to_map(&self) -> Map<String, Value> {
        let mut m = Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.insert(k.to_owned(), v);
            }
        };
        let s = |o: &Option<String>| o.clone().map(Value::String);
        let n = |o: &Option<serde_json::Number>| o.clone().map(Value::Number);
        put("model_id", s(&self.model_id));
        put("token_symbol", s(&self.token_symbol));
        put("metric_name", s(&self.metric_name));
        put("baseline_value", n(&self.baseline_value));
        put("current_value", n(&self.current_value));
        put("model_name", s(&self.model_name));
        put("model_version", s(&self.model_version));
        put("mlflow_run_id", s(&self.mlflow_run_id));
        put("proposal_identifier", s(&self.proposal_identifier));
        put("improvement_percentage", n(&self.improvement_percentage));
        put("contributor_address", s(&self.contributor_address));
        put("experiment_name", s(&self.experiment_name));
        if !self.tags.is_empty() {
            let tags: Map<String, Value> = self.tags.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
            put("tags", Some(Value::Object(tags)));
        }
        // Kept as text here; parsed (and refused when not JSON) by `payload_from_flags`.
        put("api_schema", s(&self.api_schema));
        put("eval_spec", s(&self.eval_spec));
        put("scorer_ref", s(&self.scorer_ref));
        put("primary_metric", s(&self.primary_metric));
        put("benchmark_spec_id", s(&self.benchmark_spec_id));
        put("timestamp", s(&self.timestamp));
        m
    }
}

fn payload_from_flags(flags: &PayloadFlags) -> Result<Map<String, Value>> {
    let mut m = flags.to_map();
    if let Some(Value::String(text)) = m.get("api_schema") {
        let parsed: Value = serde_json::from_str(text).map_err(|e| {
            Failure::invalid_input(format!("--api-schema is not JSON ({e}); pass an object like '{{\"type\":\"object\"}}'"))
        })?;
        m.insert("api_schema".into(), parsed);
    }
    Ok(m)
}

/// Names the flag that sets a field, for errors in flag mode.
fn flag_hint(e: &SchemaError) -> String {
    let field = e.field.split('.').next().unwrap_or(&e.field);
    let flag = match field {
        "timestamp" => "--payload-timestamp".to_owned(),
        "tags" => "--tag".to_owned(),
        "status" | "message_version" => return e.to_string(),
        f => format!("--{}", f.replace('_', "-")),
    };
    format!("{e} (set with {flag})")
}

/// Mint or opaque: one message, the --payload as given (validated by the deployer's rules for
/// mint, compacted token for token; exact bytes for --raw).
fn emit_flat(cfg: &Config, args: &EmitArgs, format: OutputFormat) -> Result<()> {
    let (out, id, key) = flat_one(cfg, args)?;
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    q.push_one(std::slice::from_ref(&out), None).map_err(|e| {
        let lost = is_connection_error(&e);
        let err = q.error(e, "pushing the message");
        if lost {
            err.context(
                "the message may or may not have been pushed: check with `hokusai-queue peek --from newest` before retrying",
            )
        } else {
            err
        }
    })?;
    super::ensure_replicated(&mut q, &args.durability, || {
        "the message is in the queue on the primary (do not emit it again), but a failover now could lose it".to_owned()
    })?;
    match format {
        OutputFormat::Json | OutputFormat::Jsonl => {
            let v = json!({"message_id": id, "idempotency_key": key, "queue": cfg.keys.main, "bytes": out.element.len()});
            if format == OutputFormat::Json { output::json(&v)? } else { output::line(&v.to_string())? }
        }
        _ => output::line(if id.is_empty() { "pushed" } else { &id })?,
    }
    Ok(())
}

/// The one message of a mint or opaque emit: what to push, its message_id and idempotency key.
pub(crate) fn flat_one(cfg: &Config, args: &EmitArgs) -> Result<(Outgoing, String, Option<String>)> {
    let spec = args.payload.as_deref().expect("checked by check_profile");
    let text = read_payload_arg(spec, args.max_message_bytes)?;
    let out = flat_message(cfg.keys.profile, &text).map_err(|why| Failure::invalid_input(format!("--payload: {why}")))?;
    let v: Value = serde_json::from_slice(&out.element).unwrap_or(Value::Null);
    let id = v.get("message_id").and_then(Value::as_str).unwrap_or_default().to_owned();
    let key = v.get("idempotency_key").and_then(Value::as_str).map(str::to_owned);
    Ok((out, id, key))
}

/// A flat message of the mint or opaque profile, or why it cannot be pushed.
fn flat_message(profile: Profile, raw: &[u8]) -> Result<Outgoing, String> {
    match profile {
        Profile::Mint => {
            // The common case, decided without a JSON tree; anything else (valid or not) goes to
            // the validator, which gives the deployer's reason. Both push the same bytes.
            if let Some(compact) = crate::queue::mint_fast::accept(raw) {
                return Ok(Outgoing::with_notice(compact, Vec::new()));
            }
            match mint::parse_and_validate(raw) {
                // The producer LPUSHes compact JSON: whitespace goes, every token stays as given.
                Ok(_) => Ok(Outgoing::with_notice(message::minify_json(raw), Vec::new())),
                Err(reject) => Err(format!("not a valid mint request: {}", reject.reason())),
            }
        }
        _ => Ok(Outgoing::with_notice(raw.to_vec(), Vec::new())),
    }
}

fn emit_one(cfg: &Config, args: &EmitArgs, format: OutputFormat) -> Result<()> {
    if cfg.keys.profile != Profile::Envelope {
        return emit_flat(cfg, args, format);
    }
    let (out, id) = envelope_one(args)?;
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    let channel = channel(cfg, args);
    q.push_one(std::slice::from_ref(&out), channel).map_err(|e| {
        let lost = is_connection_error(&e);
        let err = q.error(e, &format!("pushing message {id}"));
        if lost {
            err.context(format!(
                "message {id} may or may not have been pushed: check with `hokusai-queue peek --from newest` before retrying"
            ))
        } else {
            err
        }
    })?;
    super::ensure_replicated(&mut q, &args.durability, || {
        format!("message {id} is in the queue on the primary (do not emit it again), but a failover now could lose it")
    })?;
    match format {
        OutputFormat::Json | OutputFormat::Jsonl => {
            let v = json!({"message_id": id, "queue": cfg.keys.main});
            if format == OutputFormat::Json { output::json(&v)? } else { output::line(&v.to_string())? }
        }
        _ => output::line(&id)?,
    }
    Ok(())
}

/// The one envelope of an emit from flags or --payload, and its message_id.
pub(crate) fn envelope_one(args: &EmitArgs) -> Result<(Outgoing, String)> {
    let mut text = None;
    let (payload, from_flags) = match &args.payload {
        Some(spec) => {
            let t = read_payload_arg(spec, args.max_message_bytes)?;
            let v: Value =
                serde_json::from_slice(&t).map_err(|e| Failure::invalid_input(format!("--payload is not valid JSON: {e}")))?;
            let Value::Object(m) = v else {
                return Err(Failure::invalid_input("--payload must be a JSON object").into());
            };
            text = Some(t);
            (m, false)
        }
        None => {
            let p = payload_from_flags(&args.fields)?;
            // Every missing field at once, not one per run.
            let missing: Vec<String> = REQUIRED_FIELDS
                .iter()
                .filter(|f| !p.contains_key(**f))
                .map(|f| format!("{f} (--{})", f.replace('_', "-")))
                .collect();
            if !missing.is_empty() && args.message_type == MODEL_READY {
                return Err(Failure::invalid_input(format!(
                    "invalid {MODEL_READY} payload: missing {} (all of --{} are required; or give the whole payload with --payload)",
                    missing.join(", "),
                    REQUIRED_FIELDS.map(|f| f.replace('_', "-")).join(", --")
                ))
                .into());
            }
            (p, true)
        }
    };
    let payload = check_payload(payload, &args.message_type).map_err(|e| {
        let text = if from_flags { flag_hint(&e) } else { e.to_string() };
        Failure::invalid_input(format!("invalid {} payload: {text}", args.message_type))
    })?;
    let id = args.message_id.clone().unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let out =
        build(&id, &args.message_type, payload, kept_text(&args.message_type, text.as_deref()), i64::from(args.max_retries));
    Ok((out, id))
}

/// Validates and completes a payload for its message type. Any type's `timestamp`, when given,
/// becomes the envelope's, so it must be one the tool may write.
fn check_payload(payload: Map<String, Value>, message_type: &str) -> Result<Map<String, Value>, SchemaError> {
    let payload = if message_type == MODEL_READY { message::complete_model_payload(payload)? } else { payload };
    message::envelope_timestamp(&payload, "")?;
    Ok(payload)
}

/// Builds the envelope, and the notice published after it (the payload JSON, not the envelope).
/// The envelope's `timestamp` is the payload's own when it has one, as the platform's publisher
/// sets it, else now.
/// `text` is the payload as given, when it goes into the envelope unchanged (its whitespace
/// dropped, every token kept: numbers like 123456789012345678901234567890 are not re-printed).
fn build(id: &str, message_type: &str, payload: Map<String, Value>, text: Option<&[u8]>, max_retries: i64) -> Outgoing {
    let now = message::now_naive_iso();
    let timestamp = message::envelope_timestamp(&payload, &now).expect("checked by check_payload").to_owned();
    let payload = match text {
        Some(t) => message::minify_json(t),
        None => serde_json::to_vec(&Value::Object(payload)).expect("a JSON map serialises"),
    };
    let (element, at) = message::envelope_around_at_time(id, message_type, &payload, max_retries, &timestamp);
    Outgoing::with_notice_within(element, at)
}

/// The payload text to keep as given: every message type but `model_ready_to_deploy`, whose
/// payload the schema completes (status, proposal_identifier, ...).
fn kept_text<'a>(message_type: &str, text: Option<&'a [u8]>) -> Option<&'a [u8]> {
    if message_type == MODEL_READY { None } else { text }
}

/// `--payload` text: inline JSON, `@FILE`, or `-` for stdin; never more than `max` bytes are
/// buffered.
fn read_payload_arg(spec: &str, max: usize) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    let limit = max as u64 + 1;
    if spec == "-" {
        io::stdin().lock().take(limit).read_to_end(&mut buf).context("reading the payload from stdin")?;
    } else if let Some(path) = spec.strip_prefix('@') {
        File::open(path)
            .and_then(|f| f.take(limit).read_to_end(&mut buf))
            .map_err(|e| Failure::invalid_input(format!("cannot read payload file {path}: {e}")))?;
    } else {
        buf = spec.as_bytes().to_vec();
    }
    if buf.len() > max {
        return Err(Failure::invalid_input(format!(
            "the payload is larger than {max} bytes (--max-message-bytes); nothing was pushed. \
             Raise --max-message-bytes if a message this big is meant"
        ))
        .into());
    }
    Ok(buf)
}

/// One validated line of a file: its 1-based line number and what to push.
pub(crate) struct Line {
    pub(crate) number: usize,
    pub(crate) out: Outgoing,
}

fn open_input(path: &Path) -> Result<Box<dyn BufRead>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(BufReader::new(io::stdin())));
    }
    let f = File::open(path).map_err(|e| Failure::invalid_input(format!("cannot read {}: {e}", path.display())))?;
    Ok(Box::new(BufReader::with_capacity(1 << 20, f)))
}

pub(crate) fn describe(path: &Path) -> String {
    if path.as_os_str() == "-" { "stdin".to_owned() } else { path.display().to_string() }
}

/// The non-blank lines after `skip`, in one buffer: each line's 1-based number and its bytes'
/// range (one allocation for the whole input, not one per line).
struct RawLines {
    buf: Vec<u8>,
    lines: Vec<(usize, std::ops::Range<usize>)>,
    /// The whole input's fingerprint (every line, skipped ones too): `--resume` checks it is
    /// the run's file.
    fingerprint: String,
}

/// Reads the non-blank lines after `skip`, refusing any longer than the limit before it is
/// buffered whole.
fn read_raw_lines(path: &Path, skip: usize, max: usize) -> Result<RawLines> {
    let mut input = open_input(path)?;
    let mut raw = RawLines { buf: Vec::new(), lines: Vec::new(), fingerprint: String::new() };
    let mut number = 0;
    let mut hash = xxhash_rust::xxh3::Xxh3::new();
    loop {
        let start = raw.buf.len();
        // Never buffer more than one message and its line ending: a 100 MB line is refused
        // after reading max + 2 bytes of it.
        let read = (&mut input).take(max as u64 + 2).read_until(b'\n', &mut raw.buf).context("reading the input")?;
        if read == 0 {
            raw.fingerprint = format!("{number} lines, xxh3 {:016x}", hash.digest());
            return Ok(raw);
        }
        number += 1;
        while raw.buf.len() > start && matches!(raw.buf.last(), Some(b'\n' | b'\r')) {
            raw.buf.pop();
        }
        let line = &raw.buf[start..];
        hash.update(line);
        hash.update(b"\n");
        if line.len() > max {
            return Err(Failure::invalid_input(format!(
                "{} line {number}: longer than {max} bytes (--max-message-bytes); nothing was pushed. \
                 Raise --max-message-bytes if a message this big is meant",
                describe(path)
            ))
            .into());
        }
        if number > skip && !line.iter().all(u8::is_ascii_whitespace) {
            raw.lines.push((number, start..raw.buf.len()));
        } else {
            raw.buf.truncate(start);
        }
    }
}

/// Validates one line into what to push, or says what is wrong with it.
fn validate_line(args: &EmitArgs, profile: Profile, raw: &[u8]) -> Result<Outgoing, String> {
    if profile != Profile::Envelope {
        return flat_message(profile, raw);
    }
    if let Some(out) = fast_line(args, raw) {
        return Ok(out);
    }
    let value: Value = serde_json::from_slice(raw).map_err(|e| format!("not valid JSON ({e})"))?;
    if args.envelopes {
        // A restore: the envelope's shape is checked as the platform's consumer takes it, not
        // the rules for building a new one, and the line's bytes are pushed as they are.
        message::validate_envelope(&value).map_err(|e| format!("invalid envelope: {e}"))?;
        return Ok(restored(raw, &value));
    }
    let Value::Object(payload) = value else {
        return Err("must be a JSON object (one payload per line)".into());
    };
    let payload =
        check_payload(payload, &args.message_type).map_err(|e| format!("invalid {} payload: {e}", args.message_type))?;
    let text = kept_text(&args.message_type, Some(raw));
    Ok(build(&uuid::Uuid::new_v4().to_string(), &args.message_type, payload, text, i64::from(args.max_retries)))
}

/// A restored envelope: exactly the line's bytes; its notice is the payload's own text within
/// them (numbers as written), or, when the line repeats the `payload` key, the payload serde_json
/// kept (the last, as the platform's `json.loads` keeps it).
fn restored(raw: &[u8], value: &Value) -> Outgoing {
    #[derive(serde::Deserialize)]
    struct Payload<'a> {
        #[serde(borrow)]
        payload: &'a serde_json::value::RawValue,
    }
    let within = std::str::from_utf8(raw).ok().and_then(|text| {
        let p: Payload<'_> = serde_json::from_str(text).ok()?;
        let start = p.payload.get().as_ptr() as usize - text.as_ptr() as usize;
        Some(start..start + p.payload.get().len())
    });
    match within {
        Some(at) => Outgoing::with_notice_within(raw.to_vec(), at),
        None => Outgoing::with_notice(raw.to_vec(), serde_json::to_vec(&value["payload"]).expect("a JSON value serialises")),
    }
}

/// The common case of [`validate_line`] without a JSON tree: a `model_ready_to_deploy`
/// payload the fast path can decide (see `queue::fast_payload`). `None`: take the full path.
fn fast_line(args: &EmitArgs, raw: &[u8]) -> Option<Outgoing> {
    if args.envelopes || args.message_type != MODEL_READY {
        return None;
    }
    let now = message::now_naive_iso();
    // The envelope's timestamp is the payload's, as in `build`.
    let (payload, timestamp) = fast_payload::complete_with_timestamp(raw, &now)?;
    let id = uuid::Uuid::new_v4();
    let (element, at) = message::envelope_around_at_time(
        id.hyphenated().encode_lower(&mut uuid::Uuid::encode_buffer()),
        &args.message_type,
        &payload,
        i64::from(args.max_retries),
        timestamp,
    );
    Some(Outgoing::with_notice_within(element, at))
}

/// Reads and validates every line before anything is pushed, on every core; the first bad
/// line (by number) is the error, naming its number and the rule it broke.
pub(crate) fn read_lines(args: &EmitArgs, profile: Profile, path: &Path, skip: usize) -> Result<(Vec<Line>, String)> {
    let raw = read_raw_lines(path, skip, args.max_message_bytes)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let chunk = raw.lines.len().div_ceil(threads).max(1024);
    let buf = &raw.buf;
    let results: Vec<Result<Vec<Line>, (usize, String)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = raw
            .lines
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(number, range)| {
                            validate_line(args, profile, &buf[range.clone()])
                                .map(|out| Line { number: *number, out })
                                .map_err(|why| (*number, why))
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a validation thread panicked")).collect()
    });
    let mut lines = Vec::new();
    for r in results {
        match r {
            Ok(part) => lines.extend(part),
            Err((number, why)) => {
                return Err(Failure::invalid_input(format!("{} line {number}: {why}; nothing was pushed", describe(path))).into());
            }
        }
    }
    Ok((lines, raw.fingerprint))
}

/// How many batches may be in flight on the connection at once.
const WINDOW: usize = 4;

fn emit_file(cfg: &Config, args: &EmitArgs, path: &Path, format: OutputFormat) -> Result<()> {
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    // Recorded atomically with each batch (compare-and-set on the previous batch's marker):
    // after a lost reply it tells exactly which batches landed, and `--resume RUN` continues
    // after the last line that did.
    let (run_id, skip, mut expected) = match &args.resume {
        Some(run) => {
            let at = resume_point(&mut q, &progress_key(cfg, run), run)?;
            (run.clone(), at, Some(at.to_string()))
        }
        None => (uuid::Uuid::new_v4().simple().to_string(), args.skip, None),
    };
    let progress_key = progress_key(cfg, &run_id);
    let interrupts = Interrupts::install()?;
    let (lines, fingerprint) = read_lines(args, cfg.keys.profile, path, skip)?;
    if interrupts.count() > 0 {
        eprintln!("hokusai-queue: interrupted while reading {}: nothing was pushed", describe(path));
        return Err(Quiet(interrupts.exit_code()).into());
    }
    // The file a run reads is recorded with its progress: a resume from another (or a shorter)
    // file would skip or repeat lines.
    let file_key = format!("{progress_key}:file");
    if args.resume.is_some() {
        if let Some(recorded) = q.retrying(|q| q.get_string(&file_key))?
            && recorded != fingerprint
        {
            return Err(Failure::invalid_input(format!(
                "{} is not the input of emit run {run_id} (it read {recorded}; this is {fingerprint}): resume with the same \
                 file, or start a new run with --skip N",
                describe(path)
            ))
            .into());
        }
    } else {
        // The link may have broken while the file was read: reconnect as the pushes would.
        q.retrying(|q| q.set_string_ex(&file_key, &fingerprint, crate::queue::EMIT_PROGRESS_SECS))?;
    }
    let mut lines = lines;
    let mut present = 0;
    if args.skip_present {
        let ids = q.retrying(present_message_ids)?;
        let before = lines.len();
        lines.retain(|l| message_id_of(&l.out.element).is_none_or(|id| !ids.contains(&id)));
        present = before - lines.len();
        if present > 0 && format.is_table() {
            eprintln!("hokusai-queue: left out {present} envelopes already in {} (--skip-present)", cfg.keys.main);
        }
    }
    let (numbers, outgoing): (Vec<usize>, Vec<Outgoing>) = lines.into_iter().map(|l| (l.number, l.out)).unzip();
    let size = args.batch_size as usize;
    let batches: Vec<Batch<'_>> = outgoing
        .chunks(size)
        .zip(numbers.chunks(size))
        .map(|(messages, ns)| Batch { messages, marker: ns.last().copied().unwrap_or(0).to_string() })
        .collect();
    let channel = channel(cfg, args);
    let bar = ui::progress(outgoing.len() as u64, "emitting");
    // With --wait-replicas, one batch at a time and a WAIT after each (so a failure says exactly
    // which lines are on the primary only); otherwise the whole file pipelined.
    // Otherwise a few batches per step, so that a signal is noticed between steps.
    let step = if args.durability.wait_replicas.is_some() { 1 } else { 16 };
    let mut done = 0; // batches confirmed
    let mut reconnects = 0;
    while done < batches.len() {
        if interrupts.count() > 0 {
            bar.abandon();
            let pushed: usize = batches[..done].iter().map(|b| b.messages.len()).sum();
            let through = expected.clone().unwrap_or_else(|| skip.to_string());
            eprintln!(
                "hokusai-queue: interrupted: {pushed} messages were pushed (through line {through} of {}), none after it \
                 (run {run_id}). To continue exactly there: {}",
                describe(path),
                resume_command(&run_id)
            );
            return Err(Quiet(interrupts.exit_code()).into());
        }
        let end = (done + step).min(batches.len());
        let result = q.push_pipelined(&batches[done..end], channel, &progress_key, expected.as_deref(), WINDOW, &mut |i| {
            bar.inc(batches[done + i].messages.len() as u64);
        });
        let (failed_at, err) = match result {
            Ok(()) => {
                let first_line = expected.as_deref().map_or(skip, |m| m.parse().unwrap_or(skip)) + 1;
                done = end;
                reconnects = 0;
                expected = Some(batches[end - 1].marker.clone());
                let last_line = &batches[end - 1].marker;
                let pushed: usize = batches[..done].iter().map(|b| b.messages.len()).sum();
                super::ensure_replicated(&mut q, &args.durability, || {
                    bar.abandon();
                    format!(
                        "{pushed} messages were pushed through line {last_line} and are in the queue on the primary, but lines \
                         {first_line}-{last_line} could be lost in a failover now. To continue without duplicates, rerun with \
                         `--file {} --skip {last_line}` (or `--resume {run_id}`)",
                        path.display()
                    )
                })?;
                continue;
            }
            Err(x) => x,
        };
        done += failed_at;
        if failed_at > 0 {
            reconnects = 0; // progress since the last break: count breaks in a row only
        }
        expected = done.checked_sub(1).map(|i| batches[i].marker.clone()).or(expected);
        let pushed: usize = batches[..done].iter().map(|b| b.messages.len()).sum();
        let through = expected.clone().unwrap_or_else(|| skip.to_string());
        let confirmed = format!("{pushed} messages were pushed (through line {through})");
        if !is_connection_error(&err) {
            bar.abandon();
            let how = format!("rerun with `--file {} --skip {through}` to continue without duplicates", path.display());
            return Err(q.error(err, "pushing").context(format!("{confirmed} and the next batch was not; {how}")));
        }
        // The link broke: batches in flight may or may not have landed. Reconnect, ask the marker.
        let in_doubt = |q: &Queue, err| {
            q.error(err, "pushing").context(format!(
                "{confirmed}; later batches were in flight when the connection broke. When Redis is back, \
                 rerun with `--file {} --resume {run_id}` to continue exactly after the last line that landed",
                path.display()
            ))
        };
        // Reading the marker can break too (the same fault may still be going on): that is
        // one more break in a row, within the same budget.
        let marker = loop {
            reconnects += 1;
            if reconnects > cfg.target.backoff.retries.max(1) || q.reconnect().is_err() {
                bar.abandon();
                return Err(in_doubt(&q, err));
            }
            match q.try_get_string(&progress_key) {
                Ok(marker) => break marker,
                Err(e) if is_connection_error(&e) => continue,
                Err(_) => {
                    bar.abandon();
                    return Err(in_doubt(&q, err));
                }
            }
        };
        if marker != expected {
            // Later batches landed before the link broke: skip past the last one that did.
            let Some(k) = batches.iter().position(|b| Some(&b.marker) == marker.as_ref()) else {
                bar.abandon();
                return Err(in_doubt(&q, err));
            };
            for b in &batches[done..=k] {
                bar.inc(b.messages.len() as u64);
            }
            done = k + 1;
            expected = marker;
        }
    }
    bar.finish_and_clear();
    let pushed = outgoing.len();
    let last_line = batches.last().map_or(skip.to_string(), |b| b.marker.clone());
    match format {
        OutputFormat::Json | OutputFormat::Jsonl => {
            let last_line: usize = last_line.parse().unwrap_or(skip);
            let mut v = json!({"emitted": pushed, "queue": cfg.keys.main, "run_id": run_id, "last_line": last_line});
            if args.skip_present {
                v["skipped_present"] = json!(present);
            }
            if format == OutputFormat::Json { output::json(&v)? } else { output::line(&v.to_string())? }
        }
        _ if args.skip_present => {
            output::line(&format!("emitted {pushed} messages to {} ({present} already there left out)", cfg.keys.main))?
        }
        _ => output::line(&format!("emitted {pushed} messages to {}", cfg.keys.main))?,
    }
    Ok(())
}

/// The message_id of an element (an envelope), if it has one.
fn message_id_of(element: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Id {
        message_id: Option<String>,
    }
    serde_json::from_slice::<Id>(element).ok()?.message_id
}

/// Every message_id now in the queue: the retry set (the tool's `nonce:element` members), then
/// main, processing and the DLQ (wrapped or bare envelopes). The retry set is read first, in
/// one call, so a retry promoted to main meanwhile is met in main. Lists are read page by page
/// from the head (the newest end): producers push there, which only makes a page re-read
/// elements already seen, while consumers take from the tail, which moves nothing that is not
/// read yet (read from the tail, a running consumer would slide unread elements past the
/// cursor). A message moving between lists while they are read can still be missed: for an
/// exact restore, stop the consumers first (README: emit).
fn present_message_ids(q: &mut Queue) -> Result<std::collections::HashSet<String>> {
    use crate::queue::keys::ListName;
    const PAGE: usize = 1000;
    let mut ids = std::collections::HashSet::new();
    let retry = q.peek_retry(false, 10_000_000)?;
    for (member, _) in retry.members {
        // The tool's member: a 32-hex nonce, ':', the element.
        if let Some(el) = member.get(33..) {
            ids.extend(message_id_of(el));
        }
    }
    for list in [ListName::Main, ListName::Processing, ListName::Dlq] {
        let mut offset = 0u64;
        loop {
            let page = q.peek(list, true, offset, PAGE)?;
            let n = page.elements.len();
            for (pos, e) in page.elements {
                let id = match list {
                    ListName::Dlq => crate::commands::dlq::entry::Entry::parse(pos, e.raw).message_id().map(str::to_owned),
                    _ => message_id_of(&e.raw),
                };
                ids.extend(id);
            }
            offset += n as u64;
            if n < PAGE {
                break;
            }
        }
    }
    Ok(ids)
}

/// This very command line with `--resume RUN` (and no `--skip`), secrets scrubbed.
fn resume_command(run_id: &str) -> String {
    let mut out = vec!["hokusai-queue".to_owned()];
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--resume" || a == "--skip" {
            args.next();
            continue;
        }
        if a.starts_with("--resume=") || a.starts_with("--skip=") {
            continue;
        }
        out.push(if a.chars().all(|c| c.is_ascii_alphanumeric() || "-_.:/@=,".contains(c)) {
            a
        } else {
            format!("'{}'", a.replace('\'', "'\\''"))
        });
    }
    out.push("--resume".into());
    out.push(run_id.into());
    crate::config::scrub(&out.join(" "))
}

fn progress_key(cfg: &Config, run_id: &str) -> String {
    format!("{}:emit-progress:{run_id}", cfg.keys.tool)
}

/// The line after which `--resume RUN` continues: the last line recorded as landed.
fn resume_point(q: &mut Queue, key: &str, run: &str) -> Result<usize> {
    match q.get_string(key)? {
        Some(v) => v.parse().map_err(|_| Failure::failed(format!("the progress marker {key} holds {v:?}, not a line number")).into()),
        None => Err(Failure::invalid_input(format!(
            "no progress is recorded for emit run {run} (markers expire after a day, and a Redis without persistence loses them); \
             use --skip N with the line number the failed run reported"
        ))
        .into()),
    }
}
