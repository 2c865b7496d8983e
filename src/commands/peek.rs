//! `peek`: show elements of a list (or members of the retry set) without changing them.

use anyhow::Result;
use serde_json::{Value, json};

use crate::cli::{OutputFormat, PeekArgs, PeekFrom};
use crate::commands::dlq::entry::{lookup, value_equals};
use crate::config::Config;
use crate::exit::Failure;
use crate::output;
use crate::queue::keys::ListName;
use crate::queue::message::Element;
use crate::queue::profile::Profile;
use crate::queue::{Peeked, Queue};

/// Elements read per round trip while scanning for --id / --match.
const SCAN_PAGE: usize = 1000;

pub fn run(cfg: &Config, args: &PeekArgs, format: OutputFormat) -> Result<()> {
    let filtered = !args.ids.is_empty() || !args.matches.is_empty();
    if args.list == ListName::Retry && (filtered || args.offset > 0) {
        return Err(Failure::usage(
            "--offset, --id and --match read the lists, not the retry set: peek --list retry --limit N shows it soonest due first",
        )
        .into());
    }
    if args.list == ListName::Dlq && filtered {
        return Err(Failure::usage(
            "peek filters read messages, not dead-letter entries: use `dlq list --id ... --match ...` for the DLQ",
        )
        .into());
    }
    crate::backend::open(cfg)?.peek(args, format)
}

/// `peek` on Redis ([`crate::backend::QueueOps::peek`]): any list (with each processing
/// element's lease) or the retry set, read without changing anything.
pub(crate) fn on_redis(cfg: &Config, args: &PeekArgs, format: OutputFormat) -> Result<()> {
    let filtered = !args.ids.is_empty() || !args.matches.is_empty();
    if args.receive {
        return Err(Failure::usage("--receive is for SQS (--sqs-queue-url); on Redis, peek never changes anything").into());
    }
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    if args.list == ListName::Retry {
        peek_retry(&mut q, args, format)?;
        if format.is_table() {
            output::note(&crate::config::caption(cfg))?;
        }
        return Ok(());
    }
    // The DLQ holds dead-letter entries, not requests: its own view is `dlq list`.
    let mint = q.keys.profile == Profile::Mint && args.list != ListName::Dlq;
    let newest = args.from == PeekFrom::Newest;
    let (peeked, scanned) = if filtered {
        let (p, scanned) = scan(&mut q, args, mint)?;
        (p, Some(scanned))
    } else {
        (q.peek(args.list, newest, args.offset, args.limit)?, None)
    };
    // Processing: each element's lease and who holds it (the consumer recorded with the lease).
    let leases = if args.list == ListName::Processing && !peeked.elements.is_empty() {
        let raws: Vec<&[u8]> = peeked.elements.iter().map(|(_, e)| e.raw.as_slice()).collect();
        Some(q.lease_holders(&raws)?.1)
    } else {
        None
    };
    let lease_of = |i: usize| leases.as_ref().and_then(|l| l.get(i)).cloned();
    let item = |i: usize, pos: u64, e: &crate::queue::message::Element| {
        let mut v = if mint {
            output::mint_element_json(pos, &e.raw, peeked.now_ms)
        } else {
            output::element_json(pos, e, peeked.now_ms)
        };
        if let Some((deadline, holder)) = lease_of(i) {
            v["lease"] = json!({
                "deadline_ms": deadline,
                "expires_in_seconds": deadline.map(|d| (d - peeked.now_ms) as f64 / 1000.0),
                "holder": holder,
            });
        }
        v
    };
    match format {
        OutputFormat::Json => {
            let items: Vec<Value> = peeked.elements.iter().enumerate().map(|(i, (pos, e))| item(i, *pos, e)).collect();
            output::json(&Value::Array(items))?;
        }
        OutputFormat::Jsonl => {
            for (i, (pos, e)) in peeked.elements.iter().enumerate() {
                output::line(&item(i, *pos, e).to_string())?;
            }
        }
        _ => {
            let list = q.keys.list(args.list).to_owned();
            if peeked.len == 0 {
                output::note(&format!("{list} is empty"))?;
            } else if let Some(scanned) = scanned {
                if !peeked.elements.is_empty() {
                    print_rows(mint, &peeked, leases.as_deref())?;
                }
                let next = args.offset + scanned;
                output::note(&format!(
                    "({} matching of {scanned} scanned from the {} end{}; {list} holds {}{})",
                    peeked.elements.len(),
                    if newest { "newest" } else { "oldest" },
                    if args.offset > 0 { format!(" after skipping {}", args.offset) } else { String::new() },
                    peeked.len,
                    if next < peeked.len { format!("; --offset {next} to go on") } else { String::new() }
                ))?;
            } else if args.offset >= peeked.len && args.offset > 0 {
                output::note(&format!("(nothing past --offset {}: {list} holds {})", args.offset, peeked.len))?;
            } else if peeked.elements.is_empty() {
                output::note(&format!("(0 of {} shown; --limit N for more)", peeked.len))?;
            } else {
                print_rows(mint, &peeked, leases.as_deref())?;
                let shown = peeked.elements.len() as u64;
                if shown < peeked.len {
                    let from = if args.offset > 0 { format!(" after skipping {}", args.offset) } else { String::new() };
                    let next = args.offset + shown;
                    let more = if next < peeked.len { format!("; --offset {next} for the next") } else { String::new() };
                    output::note(&format!("({shown} of {} shown{from}{more})", peeked.len))?;
                }
            }
            output::note(&crate::config::caption(cfg))?;
        }
    }
    Ok(())
}

/// The table; for the processing list, with each element's lease and its holder.
fn print_rows(mint: bool, peeked: &Peeked, leases: Option<&[crate::queue::single::LeaseHolder]>) -> Result<()> {
    let mut t = if mint {
        let rows: Vec<(String, Vec<u8>)> = peeked.elements.iter().map(|(pos, e)| (pos.to_string(), e.raw.clone())).collect();
        output::mint_table(&rows, peeked.now_ms)
    } else {
        output::peek_table(peeked)
    };
    if let Some(leases) = leases {
        let header: Vec<String> = t.header().map(|h| h.cell_iter().map(|c| c.content()).collect()).unwrap_or_default();
        let mut header: Vec<&str> = header.iter().map(String::as_str).collect();
        header.extend(["lease", "holder"]);
        t.set_header(header);
        for (i, (deadline, holder)) in leases.iter().enumerate() {
            let lease = match deadline {
                None => "none".to_owned(),
                Some(d) if *d > peeked.now_ms => format!("{} left", output::human_age(Some((d - peeked.now_ms) as f64 / 1000.0))),
                Some(d) => format!("expired {} ago", output::human_age(Some((peeked.now_ms - d) as f64 / 1000.0))),
            };
            if let Some(row) = t.row_mut(i) {
                row.add_cell(lease.into());
                row.add_cell(holder.clone().unwrap_or_else(|| "-".into()).into());
            }
        }
    }
    output::print_table(&t)?;
    Ok(())
}

/// Reads the list page by page from --from's end (after --offset) and keeps the elements that
/// match, until --limit of them or the end. Each page is one atomic read; between pages the
/// list may move (consumers, producers), so a position is the element's as its page was read.
/// Returns the matches (with the list's length at the first page) and how many were scanned.
fn scan(q: &mut Queue, args: &PeekArgs, mint: bool) -> Result<(Peeked, u64)> {
    let newest = args.from == PeekFrom::Newest;
    let mut offset = args.offset;
    let mut out: Option<Peeked> = None;
    let mut scanned = 0u64;
    loop {
        let page = q.peek(args.list, newest, offset, SCAN_PAGE)?;
        let n = page.elements.len();
        let found = out.get_or_insert_with(|| Peeked { len: page.len, now_ms: page.now_ms, elements: Vec::new() });
        for (pos, e) in page.elements {
            if found.elements.len() >= args.limit {
                break;
            }
            scanned += 1;
            if matches(mint, &e, &args.ids, &args.matches) {
                found.elements.push((pos, e));
            }
        }
        offset += n as u64;
        if n < SCAN_PAGE || found.elements.len() >= args.limit {
            break;
        }
    }
    Ok((out.expect("one page read"), scanned))
}

/// --id and --match on one element: the envelope's message_id and payload fields; a mint
/// request's message_id or idempotency_key and its own fields; any other JSON object's
/// top-level fields. An element that is not JSON matches no filter.
fn matches(mint: bool, e: &Element, ids: &[String], kv: &[(String, String)]) -> bool {
    let parsed;
    let (id_fields, fields): (Vec<&str>, Option<&Value>) = match e.envelope() {
        Some(env) if !mint => (env.message_id().into_iter().collect(), env.payload()),
        _ => {
            parsed = serde_json::from_slice::<Value>(&e.raw).ok();
            let text = |k: &str| parsed.as_ref().and_then(|v| v.get(k)).and_then(Value::as_str);
            (["message_id", "idempotency_key"].into_iter().filter_map(text).collect(), parsed.as_ref())
        }
    };
    if !ids.is_empty() && !id_fields.iter().any(|id| ids.iter().any(|x| x == id)) {
        return false;
    }
    if kv.is_empty() {
        return true;
    }
    let Some(fields) = fields else { return false };
    // Values given for one key are alternatives; different keys must all hold.
    let mut keys: Vec<&str> = kv.iter().map(|(k, _)| k.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter().all(|key| {
        let field = lookup(fields, key);
        kv.iter().filter(|(k, _)| k == key).any(|(_, want)| field.is_some_and(|v| value_equals(v, want)))
    })
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
                return Ok(output::note(&format!("{} is empty", q.keys.retry))?);
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
                output::note(&format!("({} of {} shown; --limit N for more)", items.len(), p.len))?;
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
