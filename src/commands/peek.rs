//! `peek`: show elements of a list (or members of the retry set) without changing them.

use anyhow::Result;
use serde_json::{Value, json};

use crate::cli::{OutputFormat, PeekArgs, PeekFrom};
use crate::config::Config;
use crate::output;
use crate::queue::Queue;
use crate::queue::keys::ListName;
use crate::queue::profile::Profile;

pub fn run(cfg: &Config, args: &PeekArgs, format: OutputFormat) -> Result<()> {
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    if args.list == ListName::Retry {
        peek_retry(&mut q, args, format)?;
        if format == OutputFormat::Table {
            output::line(&crate::config::caption(cfg))?;
        }
        return Ok(());
    }
    let peeked = q.peek(args.list, args.from == PeekFrom::Newest, args.limit)?;
    // The DLQ holds dead-letter entries, not requests: its own view is `dlq list`.
    let mint = q.keys.profile == Profile::Mint && args.list != ListName::Dlq;
    let item = |pos: u64, e: &crate::queue::message::Element| {
        if mint { output::mint_element_json(pos, &e.raw, peeked.now_ms) } else { output::element_json(pos, e, peeked.now_ms) }
    };
    match format {
        OutputFormat::Json => {
            let items: Vec<Value> = peeked.elements.iter().map(|(pos, e)| item(*pos, e)).collect();
            output::json(&Value::Array(items))?;
        }
        OutputFormat::Jsonl => {
            for (pos, e) in &peeked.elements {
                output::line(&item(*pos, e).to_string())?;
            }
        }
        _ => {
            if peeked.len == 0 {
                output::line(&format!("{} is empty", q.keys.list(args.list)))?;
            } else if peeked.elements.is_empty() {
                output::line(&format!("(0 of {} shown; --limit N for more)", peeked.len))?;
            } else {
                if mint {
                    let rows: Vec<(String, Vec<u8>)> =
                        peeked.elements.iter().map(|(pos, e)| (pos.to_string(), e.raw.clone())).collect();
                    output::print_table(&output::mint_table(&rows, peeked.now_ms))?;
                } else {
                    output::print_table(&output::peek_table(&peeked))?;
                }
                let shown = peeked.elements.len() as u64;
                if shown < peeked.len {
                    output::line(&format!("({shown} of {} shown; --limit N for more)", peeked.len))?;
                }
            }
            output::line(&crate::config::caption(cfg))?;
        }
    }
    Ok(())
}

/// The retry set, soonest due first: each member's due time on the server's clock and what it
/// carries. The envelope profile's members are the tool's own (nonce, ':', element); the mint
/// profile's are the deployer's (the whole request with `_retryCount`). A member in neither
/// format is shown as it is, flagged.
fn peek_retry(q: &mut Queue, args: &PeekArgs, format: OutputFormat) -> Result<()> {
    let p = q.peek_retry(args.from == PeekFrom::Newest, args.limit)?;
    let profile = q.keys.profile;
    let items: Vec<Value> = p
        .members
        .iter()
        .enumerate()
        .map(|(i, (member, due_ms))| {
            let mut v = match profile {
                Profile::Mint => output::mint_element_json(i as u64, member, p.now_ms),
                _ => match nonce_element(member) {
                    Some(el) => output::element_json(i as u64, &crate::queue::message::Element::parse(el.to_vec()), p.now_ms),
                    None => json!({"position": i, "raw": output::display_bytes(member), "problem": "not in the tool's retry format (32-hex nonce, ':', element): left alone"}),
                },
            };
            v["due_ms"] = json!(due_ms);
            v["due_in_seconds"] = json!(((*due_ms - p.now_ms) as f64 / 1000.0).max(0.0));
            v["due"] = json!(*due_ms <= p.now_ms && (profile != Profile::Mint || *due_ms >= 0));
            v
        })
        .collect();
    match format {
        OutputFormat::Json => output::json(&Value::Array(items))?,
        OutputFormat::Jsonl => {
            for v in &items {
                output::line(&v.to_string())?;
            }
        }
        _ => {
            if items.is_empty() {
                return Ok(output::line(&format!("{} is empty", q.keys.retry))?);
            }
            let mut t = output::table(&["position", "due", "retry count", "key / message_id", "problem"]);
            for v in &items {
                let due = if v["due"] == json!(true) {
                    "now".to_owned()
                } else {
                    format!("in {}", output::human_age(v["due_in_seconds"].as_f64()))
                };
                let count = match profile {
                    Profile::Mint => v["_retryCount"].to_string(),
                    _ => v["retry_count"].to_string(),
                };
                let id = v["idempotency_key"].as_str().or(v["message_id"].as_str()).unwrap_or("-").to_owned();
                t.add_row(vec![v["position"].to_string(), due, count, id, v["problem"].as_str().unwrap_or("").to_owned()]);
            }
            output::print_table(&t)?;
            if (items.len() as u64) < p.len {
                output::line(&format!("({} of {} shown; --limit N for more)", items.len(), p.len))?;
            }
        }
    }
    Ok(())
}

/// The element inside one of the tool's own retry members (32-hex nonce, ':', element).
fn nonce_element(member: &[u8]) -> Option<&[u8]> {
    let (nonce, rest) = (member.get(..32)?, member.get(32..)?);
    (nonce.iter().all(u8::is_ascii_hexdigit) && rest.first() == Some(&b':')).then(|| &rest[1..])
}
