//! `message inspect | delete | dead-letter | requeue`: one message wherever it is (main,
//! processing, the retry set, the DLQ), found by its id with the profile's readers; each change
//! is one atomic script that first checks the exact bytes are still where they were found.

use std::io::IsTerminal;

use anyhow::Result;
use base64::Engine;
use serde_json::{Value, json};

use crate::cli::{MessageCommand, MessageTarget, MessageWriteArgs, OutputFormat};
use crate::commands::ensure_replicated;
use crate::config::Config;
use crate::exit::{Code, Failure, Quiet};
use crate::output;
use crate::queue::Queue;
use crate::queue::keys::ListName;
use crate::queue::message::{self, Element};
use crate::queue::mint::{self, FailureTag, Original};
use crate::queue::profile::Profile;
use crate::queue::single::{self, Found, MemberFormat, MsgAction, MsgMove, MsgMoved, PLACES};

pub fn run(cfg: &Config, cmd: &MessageCommand, format: OutputFormat) -> Result<()> {
    match cmd {
        MessageCommand::Inspect(a) => inspect(cfg, &a.target, format),
        MessageCommand::Delete(a) => change(
            cfg,
            Change { action: MsgAction::Delete, target: &a.target, write: &a.write, reason: a.reason.as_deref(), force: a.force },
            format,
        ),
        MessageCommand::DeadLetter(a) => change(
            cfg,
            Change { action: MsgAction::DeadLetter, target: &a.target, write: &a.write, reason: Some(&a.reason), force: a.force },
            format,
        ),
        MessageCommand::Requeue(a) => change(
            cfg,
            Change { action: MsgAction::Requeue, target: &a.target, write: &a.write, reason: None, force: a.force },
            format,
        ),
    }
}

// ---- finding --------------------------------------------------------------------------------

/// The places asked for, in search order (all four when none).
fn places(t: &MessageTarget) -> Vec<ListName> {
    if t.places.is_empty() { PLACES.to_vec() } else { PLACES.into_iter().filter(|p| t.places.contains(p)).collect() }
}

fn place_names(places: &[ListName]) -> String {
    places.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(", ")
}

/// Every match of the target, and the server's clock. `substring`: any stored bytes containing
/// the id (opaque queues, where there is no id to read).
fn search(q: &mut Queue, t: &MessageTarget, substring: bool) -> Result<(Vec<Found>, i64)> {
    if t.id.is_empty() {
        return Err(Failure::usage("the ID is empty: give a message_id (mint: or an idempotency_key)").into());
    }
    let profile = q.keys.profile;
    let id = t.id.as_str();
    let hit = |place: ListName, raw: &[u8]| {
        if substring {
            raw.windows(id.len()).any(|w| w == id.as_bytes())
        } else {
            single::identify(profile, place, raw).answers_to(id)
        }
    };
    let s = q.find_messages(&places(t), &hit)?;
    let mut found = s.found;
    if let Some(p) = t.position {
        found.retain(|f| f.positions.contains(&p));
    }
    Ok((found, s.now_ms))
}

/// Mint: whether each match's idempotency key is in the deployer's processed set (it settled).
fn processed_flags(q: &mut Queue, found: &[Found]) -> Result<Vec<Option<bool>>> {
    let profile = q.keys.profile;
    if profile != Profile::Mint {
        return Ok(vec![None; found.len()]);
    }
    let keys: Vec<Option<String>> = found.iter().map(|f| single::identify(profile, f.place, &f.raw).idempotency_key).collect();
    let asked: Vec<&str> = keys.iter().flatten().map(String::as_str).collect();
    let mut answers = q.mint_processed(&asked)?.into_iter();
    Ok(keys.iter().map(|k| k.as_ref().and_then(|_| answers.next())).collect())
}

// ---- inspect --------------------------------------------------------------------------------

fn inspect(cfg: &Config, t: &MessageTarget, format: OutputFormat) -> Result<()> {
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    let profile = q.keys.profile;
    let substring = profile == Profile::Opaque;
    let (found, now_ms) = search(&mut q, t, substring)?;
    if found.is_empty() {
        let how = if substring { "whose bytes contain" } else { "with id" };
        return Err(Failure::failed(format!(
            "no message {how} {:?} in {} of {} ({} profile){}",
            t.id,
            place_names(&places(t)),
            q.keys.queue,
            profile,
            t.position.map_or(String::new(), |p| format!(" at position {p}"))
        ))
        .into());
    }
    let processed = processed_flags(&mut q, &found)?;
    let views: Vec<Value> = found.iter().zip(&processed).map(|(f, p)| view(profile, f, now_ms, *p)).collect();
    match format {
        OutputFormat::Json => output::json(&json!({
            "id": t.id,
            "queue": q.keys.queue,
            "profile": profile.as_str(),
            "searched": places(t).iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            "match": if substring { "substring" } else { "id" },
            "now_ms": now_ms,
            "matches": views,
        }))?,
        OutputFormat::Jsonl => {
            for v in &views {
                output::line(&v.to_string())?;
            }
        }
        _ => {
            for (i, (f, v)) in found.iter().zip(&views).enumerate() {
                if found.len() > 1 {
                    output::line(&format!("match {} of {}:", i + 1, found.len()))?;
                }
                output::print_table(&detail_table(profile, f, v, now_ms))?;
                output::line(&whole(profile, f))?;
                if i + 1 < found.len() {
                    output::line("")?;
                }
            }
        }
    }
    Ok(())
}

/// The JSON view of one match: where it is, its lease or due time, the stored bytes whole, the
/// message parsed, and the profile's fields.
fn view(profile: Profile, f: &Found, now_ms: i64, processed: Option<bool>) -> Value {
    let msg = single::message_bytes(profile, f.place, &f.raw);
    let ident = single::identify(profile, f.place, &f.raw);
    let mut v = json!({
        "place": f.place.as_str(),
        "key": f.key,
        "position": f.position(),
        "copies": f.positions.len(),
        "positions": f.positions,
        "message_id": ident.message_id,
    });
    if profile == Profile::Mint {
        v["idempotency_key"] = json!(ident.idempotency_key);
        v["processed"] = json!(processed);
    }
    match f.place {
        ListName::Retry => {
            let due = f.due_ms.unwrap_or(0);
            let format = MemberFormat::of(profile, &f.raw);
            v["due_ms"] = json!(due);
            v["due_in_seconds"] = json!((due - now_ms) as f64 / 1000.0);
            v["due"] = json!(due <= now_ms && (profile != Profile::Mint || due >= 0));
            v["member_format"] = json!(format.as_str());
            if format == MemberFormat::Nonce {
                v["nonce"] = json!(String::from_utf8_lossy(&f.raw[..32]));
            }
        }
        ListName::Processing => v["lease"] = lease_json(f.lease_ms, f.holder.as_deref(), now_ms),
        _ => {}
    }
    v["bytes"] = json!(f.raw.len());
    v["raw"] = json!(output::display_bytes(&f.raw));
    if std::str::from_utf8(&f.raw).is_err() {
        v["raw_base64"] = json!(base64::engine::general_purpose::STANDARD.encode(&f.raw));
    }
    v["json"] = serde_json::from_slice::<Value>(msg).unwrap_or(Value::Null);
    v["fields"] = fields(profile, f.place, msg, now_ms);
    v
}

/// Whether a processing element may be held by a consumer: a live lease, or none at all (the
/// platform's consumers and the deployer write no leases).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LeaseState {
    Alive,
    Expired,
    None,
}

fn lease_state(lease_ms: Option<i64>, now_ms: i64) -> LeaseState {
    match lease_ms {
        Some(d) if d > now_ms => LeaseState::Alive,
        Some(_) => LeaseState::Expired,
        None => LeaseState::None,
    }
}

fn lease_json(lease_ms: Option<i64>, holder: Option<&str>, now_ms: i64) -> Value {
    let state = lease_state(lease_ms, now_ms);
    json!({
        "holder": holder,
        "deadline_ms": lease_ms,
        "expires_in_seconds": lease_ms.map(|d| (d - now_ms) as f64 / 1000.0),
        "state": match state { LeaseState::Alive => "alive", LeaseState::Expired => "expired", LeaseState::None => "none" },
        "consumer_may_hold": state != LeaseState::Expired,
    })
}

fn lease_text(lease_ms: Option<i64>, holder: Option<&str>, now_ms: i64) -> String {
    let who = holder.map_or_else(|| "a consumer".to_owned(), |h| format!("consumer {h}"));
    match (lease_state(lease_ms, now_ms), lease_ms) {
        (LeaseState::Alive, Some(d)) => format!(
            "alive: {who} holds it for {} more (deadline {d} ms, server clock)",
            output::human_age(Some((d - now_ms) as f64 / 1000.0))
        ),
        (LeaseState::Expired, Some(d)) => format!(
            "expired {} ago (deadline {d} ms){}: no consumer holds it; reap-stale will reclaim it",
            output::human_age(Some((now_ms - d) as f64 / 1000.0)),
            holder.map_or_else(String::new, |h| format!(", last held by {h}"))
        ),
        _ => "none: a consumer that writes no leases (the platform's, the deployer) may be working on it".to_owned(),
    }
}

/// The profile's fields of a message (envelope: peek's view; mint: the request's fields and
/// whether the deployer's validator accepts it; a mint dead letter: its reason, class and tag).
fn fields(profile: Profile, place: ListName, msg: &[u8], now_ms: i64) -> Value {
    let mut v = match (profile, place) {
        (Profile::Mint, ListName::Dlq) => match mint::parse_entry(msg) {
            Some(e) => json!({
                "failure_tag": if e.has_reason { FailureTag::classify(&e.reason) } else { FailureTag::SchemaReject }.as_str(),
                "reason": e.reason,
                "error": e.error,
                "failureClass": e.failure_class,
                "timestamp": e.timestamp,
                "queue": e.queue,
                "parseable": e.has_reason,
                "request": match &e.original { Original::Object(r) => output::mint_fields(r, now_ms), _ => Value::Null },
            }),
            None => json!({"failure_tag": FailureTag::SchemaReject.as_str(), "parseable": false}),
        },
        (Profile::Mint, _) => output::mint_element_json(0, msg, now_ms),
        _ => output::element_json(0, &Element::parse(msg.to_vec()), now_ms),
    };
    if let Value::Object(m) = &mut v {
        for k in ["position", "raw", "raw_base64"] {
            m.shift_remove(k);
        }
    }
    v
}

/// What a match's position counts from.
fn position_note(place: ListName) -> &'static str {
    match place {
        ListName::Main => "0 = the next a consumer takes",
        ListName::Processing => "0 = the oldest claimed",
        ListName::Retry => "rank, soonest due first",
        ListName::Dlq => "0 = the oldest, the first a replay takes",
    }
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => "-".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One match for people: a field / value table.
fn detail_table(profile: Profile, f: &Found, v: &Value, now_ms: i64) -> comfy_table::Table {
    let mut t = output::table(&["field", "value"]);
    let mut row = |k: &str, val: String| {
        t.add_row(vec![k.to_owned(), val]);
    };
    row("where", format!("{} ({})", f.place.as_str(), f.key));
    let copies = if f.positions.len() > 1 {
        format!(
            "; {} copies of the same bytes, at {}",
            f.positions.len(),
            f.positions.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
        )
    } else {
        String::new()
    };
    row("position", format!("{} ({}){copies}", f.position(), position_note(f.place)));
    if f.place == ListName::Processing {
        row("lease", lease_text(f.lease_ms, f.holder.as_deref(), now_ms));
    }
    if f.place == ListName::Retry {
        let secs = v["due_in_seconds"].as_f64().unwrap_or(0.0);
        let when = if v["due"] == json!(true) {
            format!("now (due {} ago)", output::human_age(Some(-secs)))
        } else {
            format!("in {}", output::human_age(Some(secs)))
        };
        row("due", format!("{when} (score {} ms)", f.due_ms.unwrap_or(0)));
        let format = MemberFormat::of(profile, &f.raw);
        row(
            "retry member",
            match format {
                MemberFormat::Nonce => format!("the tool's own: nonce {}, then the element", cell(&v["nonce"])),
                MemberFormat::Deployer => "the deployer's: the whole request, _retryCount inside".to_owned(),
                MemberFormat::Foreign => "not in the profile's retry format: left alone by promotion".to_owned(),
            },
        );
    }
    row("message_id", cell(&v["message_id"]));
    if profile == Profile::Mint {
        row("idempotency_key", cell(&v["idempotency_key"]));
        row("processed", cell(&v["processed"]));
    }
    let mut flat = Vec::new();
    flatten("", &v["fields"], &mut flat);
    for (k, val) in flat {
        match k.as_str() {
            "message_id" | "idempotency_key" => {}
            "age_seconds" => row("age", output::human_age(v["fields"]["age_seconds"].as_f64())),
            _ => row(&k, val),
        }
    }
    row("bytes", f.raw.len().to_string());
    t
}

/// Nested objects as dotted rows (`request.model_id`); arrays and scalars as one cell.
fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let name = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                flatten(&name, x, out);
            }
        }
        other if !prefix.is_empty() => out.push((prefix.to_owned(), cell(other))),
        _ => {}
    }
}

/// The stored bytes whole, for people: JSON indented with every token kept; anything else as
/// text with invalid bytes as `\xNN`, plus base64 when not UTF-8.
fn whole(profile: Profile, f: &Found) -> String {
    let msg = single::message_bytes(profile, f.place, &f.raw);
    let prefix = if msg.len() < f.raw.len() { &f.raw[..f.raw.len() - msg.len()] } else { &[][..] };
    let mut out = String::new();
    if !prefix.is_empty() {
        out.push_str(&format!("{} then:\n", output::display_bytes(prefix)));
    }
    match std::str::from_utf8(msg) {
        Ok(text) if serde_json::from_str::<&serde_json::value::RawValue>(text).is_ok() => out.push_str(&indent_json(text)),
        Ok(text) => out.push_str(text),
        Err(_) => {
            out.push_str(&output::display_bytes(msg));
            out.push_str("\n(not UTF-8; base64: ");
            out.push_str(&base64::engine::general_purpose::STANDARD.encode(&f.raw));
            out.push(')');
        }
    }
    out
}

/// Valid JSON text indented by two spaces, every token (strings, numbers) kept byte for byte:
/// unlike re-serialising a parsed value, `1E2` stays `1E2` and 30-digit numbers keep their digits.
fn indent_json(text: &str) -> String {
    fn newline(out: &mut String, depth: usize) {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * 2);
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            ' ' | '\t' | '\n' | '\r' => {}
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                let close = if c == '{' { '}' } else { ']' };
                let mut j = i;
                while j < chars.len() && matches!(chars[j], ' ' | '\t' | '\n' | '\r') {
                    j += 1;
                }
                out.push(c);
                if chars.get(j) == Some(&close) {
                    out.push(close);
                    i = j + 1;
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

/// One line about a match, for the list of an ambiguous id.
fn summary(profile: Profile, f: &Found) -> String {
    let msg = single::message_bytes(profile, f.place, &f.raw);
    let text = match (profile, f.place) {
        (Profile::Mint, ListName::Dlq) => mint::parse_entry(msg).map(|e| format!("dead letter: {}", e.reason)),
        (Profile::Mint, _) => serde_json::from_str::<Value>(&String::from_utf8_lossy(msg)).ok().map(|v| {
            format!("model {} eval {} _retryCount {}", cell(&v["model_id"]), cell(&v["eval_id"]), cell(&v["_retryCount"]))
        }),
        _ => {
            let el = Element::parse(msg.to_vec());
            match &el.shape {
                message::Shape::Wrapped { wrapper, .. } => {
                    Some(format!("dead letter: {}", wrapper.error.as_deref().unwrap_or("-")))
                }
                _ => el.envelope().map(|e| {
                    format!(
                        "{} at {} retry_count {}",
                        e.message_type().unwrap_or("-"),
                        e.timestamp().map_or("-".to_owned(), cell),
                        e.retry_count().map_or("-".to_owned(), |n| n.to_string())
                    )
                }),
            }
        }
    };
    let text = text.unwrap_or_else(|| output::display_bytes(msg));
    let one_line = text.replace(['\n', '\r'], " ");
    if one_line.chars().count() > 80 { format!("{}…", one_line.chars().take(79).collect::<String>()) } else { one_line }
}

// ---- changes --------------------------------------------------------------------------------

struct Change<'a> {
    action: MsgAction,
    target: &'a MessageTarget,
    write: &'a MessageWriteArgs,
    /// delete (mint): the audit record's reason; dead-letter: the entry's error / reason.
    reason: Option<&'a str>,
    /// Take it out of processing although a consumer may hold it.
    force: bool,
}

/// What a change did (or, in a dry run, would do).
struct Report<'a> {
    c: &'a Change<'a>,
    profile: Profile,
    found: Option<&'a Found>,
    outcome: &'static str,
    to: Option<(&'static str, String)>,
    pushed: Option<&'a [u8]>,
    copies_left: Option<u64>,
    now_ms: i64,
}

fn change(cfg: &Config, c: Change<'_>, format: OutputFormat) -> Result<()> {
    let profile = cfg.keys.profile;
    let queue = &cfg.keys.queue;
    let verb = c.action.as_str();
    if profile == Profile::Opaque {
        return Err(Failure::usage(format!(
            "message {verb} finds a message by the id its profile reads, and {queue} has the opaque profile (no id, no \
             known format): name its discipline with --profile envelope or --profile mint (or $HOKUSAI_PROFILE); \
             `message inspect` searches an opaque queue's bytes"
        ))
        .into());
    }
    let reason = c.reason.map(str::trim).filter(|r| !r.is_empty());
    match c.action {
        MsgAction::Delete if profile == Profile::Mint && reason.is_none() => {
            return Err(Failure::usage(
                "message delete on the mint queue requires --reason (recorded in the audit record, as the official tool's discard)",
            )
            .into());
        }
        MsgAction::Delete if profile != Profile::Mint && c.reason.is_some() => {
            return Err(Failure::usage(format!(
                "--reason is recorded in the mint profile's audit list; {queue} has the {profile} profile, which keeps no \
                 audit: drop --reason"
            ))
            .into());
        }
        MsgAction::DeadLetter if reason.is_none() => {
            return Err(
                Failure::usage("message dead-letter requires a --reason that is not blank (the dead letter's error)").into()
            );
        }
        _ => {}
    }

    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    let (found, now_ms) = search(&mut q, c.target, false)?;
    if found.is_empty() {
        render(
            &Report { c: &c, profile, found: None, outcome: "gone", to: None, pushed: None, copies_left: None, now_ms },
            &q.keys,
            format,
        )?;
        return Err(Quiet(Code::Failed).into());
    }
    if found.len() > 1 {
        list_ambiguous(&c, profile, &found, now_ms, format)?;
        return Err(Failure::failed(format!(
            "{} messages match {:?} (listed above): nothing changed; narrow it with --in PLACE and, within one place, \
             --position N",
            found.len(),
            c.target.id
        ))
        .into());
    }
    let f = &found[0];
    refuse_where(&c, profile, f, now_ms)?;

    let msg = single::message_bytes(profile, f.place, &f.raw);
    let ident = single::identify(profile, f.place, &f.raw);
    let keys = &q.keys;
    let at = mint::iso_ms(now_ms);
    let (push, to): (Option<Vec<u8>>, Option<(&'static str, String)>) = match c.action {
        MsgAction::Delete if profile == Profile::Mint => {
            // The audit record's dlq_entry is a whole DLQ entry (5.4): a request deleted from
            // main, processing or retry is recorded in the deployer's dead-letter shape.
            let entry = if f.place == ListName::Dlq {
                f.raw.clone()
            } else {
                let why = format!("discarded from {} by an operator: {}", f.place.as_str(), reason.unwrap_or_default());
                mint::dlq_entry(msg, &why, "permanent", &keys.main, &at).unwrap_or_else(|| {
                    let text = String::from_utf8_lossy(msg);
                    mint::dlq_entry(text.as_bytes(), &why, "permanent", &keys.main, &at).unwrap_or_default()
                })
            };
            let text = String::from_utf8_lossy(&entry);
            let record = mint::audit_record(
                "discard",
                ident.idempotency_key.as_deref(),
                &operator(),
                reason.unwrap_or_default(),
                &text,
                &at,
            );
            (Some(record), Some(("audit", keys.audit.clone())))
        }
        MsgAction::Delete => (None, None),
        MsgAction::DeadLetter => {
            let why = reason.unwrap_or_default();
            let entry = match profile {
                // The deployer's DLQ holds only entries its tools can read: bytes that are not
                // UTF-8 go in as text with replacement characters, as drain and reap-stale do.
                Profile::Mint => mint::dlq_entry(msg, why, "permanent", &keys.main, &at)
                    .or_else(|| mint::dlq_entry(String::from_utf8_lossy(msg).as_bytes(), why, "permanent", &keys.main, &at)),
                _ => message::dlq_wrapper(msg, why, &keys.main),
            };
            // Envelope: bytes that are not UTF-8 cannot sit inside a JSON entry: dead-lettered bare.
            (Some(entry.unwrap_or_else(|| msg.to_vec())), Some(("dlq", keys.dlq.clone())))
        }
        MsgAction::Requeue => (Some(msg.to_vec()), Some(("main", keys.main.clone()))),
    };
    let base = Report { c: &c, profile, found: Some(f), outcome: "", to, pushed: push.as_deref(), copies_left: None, now_ms };

    if c.write.dry_run {
        let outcome = match c.action {
            MsgAction::Delete => "would_delete",
            MsgAction::DeadLetter => "would_dead_letter",
            MsgAction::Requeue => "would_requeue",
        };
        return render(&Report { outcome, ..base }, &q.keys, format);
    }
    confirm(c.write, &describe(&c, profile, f, base.to.as_ref().map(|(_, k)| k.as_str())))?;

    let guard = f.place == ListName::Processing && !c.force;
    let moved = q.move_message(&MsgMove { action: c.action, place: f.place, raw: &f.raw, push: push.as_deref(), guard })?;
    match moved {
        MsgMoved::Done { copies_left } => {
            let outcome = match c.action {
                MsgAction::Delete => "deleted",
                MsgAction::DeadLetter => "dead_lettered",
                MsgAction::Requeue => "requeued",
            };
            ensure_replicated(&mut q, &c.write.durability, || {
                format!("message {} was {outcome} on the primary", c.target.id).replace('_', "-")
            })?;
            render(&Report { outcome, copies_left: Some(copies_left), ..base }, &q.keys, format)
        }
        MsgMoved::Gone => {
            render(&Report { outcome: "gone", ..base }, &q.keys, format)?;
            Err(Quiet(Code::Failed).into())
        }
        MsgMoved::Held { .. } => {
            render(&Report { outcome: "held", ..base }, &q.keys, format)?;
            Err(Quiet(Code::Failed).into())
        }
    }
}

/// Refuses a change that does not apply where the message is (exit 2), or one that would take
/// work a consumer may be doing (exit 1, `--force` overrides).
fn refuse_where(c: &Change<'_>, profile: Profile, f: &Found, now_ms: i64) -> Result<()> {
    let id = &c.target.id;
    let here = format!("{} at position {}", f.key, f.position());
    let usage = |why: String| Err(Failure::usage(format!("{why}; nothing changed")).into());
    match (c.action, f.place) {
        (MsgAction::DeadLetter, ListName::Dlq) => {
            return usage(format!(
                "message {id} is already in the DLQ ({here}): `message delete` removes it, `dlq replay --id {id}` puts it back"
            ));
        }
        (MsgAction::Requeue, ListName::Dlq) => {
            return usage(format!(
                "message {id} is a dead letter ({here}): put it back with `hokusai-queue dlq replay --id {id}` (it keeps \
                 the replay counters{})",
                if profile == Profile::Mint { ", the audit record and the deployer's gates" } else { "" }
            ));
        }
        (MsgAction::Requeue, ListName::Main) => {
            return usage(format!(
                "message {id} is already in main ({here}: {} ahead of it); requeue moves messages out of processing or retry",
                f.position()
            ));
        }
        (MsgAction::DeadLetter | MsgAction::Requeue, ListName::Retry)
            if MemberFormat::of(profile, &f.raw) == MemberFormat::Foreign =>
        {
            return usage(format!(
                "the retry member of {id} ({here}) is not in the {profile} profile's retry format, so it stands for no \
                 message the tool can move (`message delete` removes it)"
            ));
        }
        _ => {}
    }
    // A delete is guarded too: the consumer holding it would still act on it (mint: mint it)
    // while the record says it was discarded.
    let guarded = f.place == ListName::Processing && !c.force;
    let held = match (lease_state(f.lease_ms, now_ms), f.lease_ms) {
        (LeaseState::Alive, Some(d)) => Some(format!(
            "its lease is alive for {} more (deadline {d} ms, server clock): a consumer holds it",
            output::human_age(Some((d - now_ms) as f64 / 1000.0))
        )),
        (LeaseState::None, _) => {
            Some("it has no lease: a consumer that writes none (the platform's, the deployer) may be working on it".to_owned())
        }
        _ => None,
    };
    if let Some(why) = held.filter(|_| guarded) {
        return Err(Failure::failed(format!(
            "message {id} is in {here}, and {why}; nothing changed: wait until reap-stale reclaims it, or add --force \
             to take it anyway"
        ))
        .into());
    }
    Ok(())
}

/// The sentence a prompt asks.
fn describe(c: &Change<'_>, profile: Profile, f: &Found, dest: Option<&str>) -> String {
    let from = format!("{} ({}, position {})", f.place.as_str(), f.key, f.position());
    let id = &c.target.id;
    match c.action {
        MsgAction::Delete => format!("delete message {id} from {from}"),
        MsgAction::DeadLetter => format!("dead-letter message {id} from {from} onto {}", dest.unwrap_or("the DLQ")),
        MsgAction::Requeue => format!("requeue message {id} from {from} to {}", requeue_end(profile, dest.unwrap_or("main"))),
    }
}

/// Where a requeue puts the message: the consumer end of main (next taken), or on the mint
/// queue its newest end (LPUSH, the only push the deployer's inbound list takes).
fn requeue_end(profile: Profile, main: &str) -> String {
    if profile == Profile::Mint {
        format!("the newest end of {main} (LPUSH, as the deployer's retry promotion does)")
    } else {
        format!("the consumer end of {main} (next to be taken)")
    }
}

/// Asks on a terminal; without one, `--yes` is required. Either refusal exits 2, nothing changed.
fn confirm(w: &MessageWriteArgs, what: &str) -> Result<()> {
    if w.yes || w.dry_run {
        return Ok(());
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Failure::usage(format!(
            "refusing to {what} without confirmation: not running on a terminal; add --yes to go ahead (or --dry-run to \
             see what it would do)"
        ))
        .into());
    }
    let mut c = what.chars();
    let question = c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default();
    let yes = dialoguer::Confirm::new()
        .with_prompt(format!("{question}?"))
        .default(false)
        .interact()
        .map_err(|e| Failure::usage(format!("no confirmation ({e}); add --yes to go ahead")))?;
    if !yes {
        return Err(Failure::usage("not confirmed: nothing changed").into());
    }
    Ok(())
}

/// Who the audit records name: `$USER`, else `unknown` (as the official tool does).
fn operator() -> String {
    std::env::var("USER").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| "unknown".to_owned())
}

fn list_ambiguous(c: &Change<'_>, profile: Profile, found: &[Found], now_ms: i64, format: OutputFormat) -> Result<()> {
    if matches!(format, OutputFormat::Json | OutputFormat::Jsonl) {
        let views: Vec<Value> = found.iter().map(|f| view(profile, f, now_ms, None)).collect();
        let doc = json!({"action": c.action.as_str(), "id": c.target.id, "ambiguous": true, "matches": views});
        if format == OutputFormat::Json {
            output::json(&doc)?;
        } else {
            output::line(&doc.to_string())?;
        }
        return Ok(());
    }
    let mut t = output::table(&["where", "key", "position", "copies", "summary"]);
    for f in found {
        t.add_row(vec![
            f.place.as_str().to_owned(),
            f.key.clone(),
            f.position().to_string(),
            f.positions.len().to_string(),
            summary(profile, f),
        ]);
    }
    Ok(output::print_table(&t)?)
}

fn render(r: &Report<'_>, keys: &crate::queue::keys::Keys, format: OutputFormat) -> Result<()> {
    let c = r.c;
    let ident = r.found.map(|f| single::identify(r.profile, f.place, &f.raw)).unwrap_or_default();
    if matches!(format, OutputFormat::Json | OutputFormat::Jsonl) {
        let mut v = json!({
            "action": c.action.as_str(),
            "id": c.target.id,
            "queue": keys.queue,
            "profile": r.profile.as_str(),
            "dry_run": c.write.dry_run,
            "outcome": r.outcome,
            "from": r.found.map(|f| json!({"place": f.place.as_str(), "key": f.key, "position": f.position()})),
            "to": r.to.as_ref().map(|(place, key)| json!({"place": place, "key": key})),
            "message_id": ident.message_id,
        });
        if r.profile == Profile::Mint {
            v["idempotency_key"] = json!(ident.idempotency_key);
        }
        if let Some(f) = r.found.filter(|f| f.place == ListName::Processing) {
            v["lease"] = lease_json(f.lease_ms, f.holder.as_deref(), r.now_ms);
        }
        v["copies_left"] = json!(r.copies_left);
        v["pushed"] = json!(r.pushed.map(output::display_bytes));
        if let Some(p) = r.pushed.filter(|p| std::str::from_utf8(p).is_err()) {
            v["pushed_base64"] = json!(base64::engine::general_purpose::STANDARD.encode(p));
        }
        if r.found.is_none() {
            v["searched"] = json!(places(c.target).iter().map(|p| p.as_str()).collect::<Vec<_>>());
        }
        if format == OutputFormat::Json {
            output::json(&v)?;
        } else {
            output::line(&v.to_string())?;
        }
        return Ok(());
    }
    let id = &c.target.id;
    let Some(f) = r.found else {
        return Ok(output::line(&format!(
            "gone: no message {id} in {} of {} (moved or deleted already, or never there); nothing changed",
            place_names(&places(c.target)),
            keys.queue
        ))?);
    };
    let from = format!("{} ({}, position {})", f.place.as_str(), f.key, f.position());
    let dest = r.to.as_ref().map_or(String::new(), |(_, k)| k.clone());
    let mut line = match r.outcome {
        "gone" => format!(
            "gone: message {id} left {} before it could be changed (someone else moved or deleted it first); nothing changed",
            f.key
        ),
        "held" => format!(
            "held: the lease of message {id} in {} was renewed meanwhile (a live consumer holds it); nothing changed: \
             --force takes it anyway",
            f.key
        ),
        _ => {
            let dry = c.write.dry_run;
            let (delete, dead_letter, requeue) = if dry {
                ("dry run: would delete", "dry run: would dead-letter", "dry run: would requeue")
            } else {
                ("deleted", "dead-lettered", "requeued")
            };
            let mut s = match c.action {
                MsgAction::Delete => format!("{delete} message {id} from {from}"),
                MsgAction::DeadLetter => format!("{dead_letter} message {id} from {from} onto {dest}"),
                MsgAction::Requeue => format!("{requeue} message {id} from {from} to {}", requeue_end(r.profile, &dest)),
            };
            if f.place == ListName::Processing {
                s.push_str("; its lease is dropped with the last copy");
            }
            if c.action == MsgAction::Delete && r.to.is_some() {
                let pushed = if dry { "to be pushed" } else { "pushed" };
                s.push_str(&format!("; audit record (action discard) {pushed} onto {dest}"));
            }
            match r.copies_left {
                Some(n) if n > 0 => {
                    s.push_str(&format!("; {n} more cop{} of the same bytes remain there", if n == 1 { "y" } else { "ies" }))
                }
                _ => {}
            }
            if c.write.dry_run {
                s.push_str("; nothing changed");
            }
            s
        }
    };
    if c.write.dry_run
        && c.action != MsgAction::Delete
        && let Some(p) = r.pushed
    {
        line.push_str(&format!("\nwould push: {}", output::display_bytes(p)));
    }
    Ok(output::line(&line)?)
}
