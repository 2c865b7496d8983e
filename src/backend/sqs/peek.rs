//! `peek` on SQS ([`crate::backend::QueueOps::peek`]): only by receiving, with --receive.

use anyhow::Result;
use serde_json::{Value, json};

use crate::cli::{OutputFormat, PeekArgs, PeekFrom};
use crate::config::{Config, SqsTarget};
use crate::exit::Failure;
use crate::output;
use crate::queue::keys::ListName;

/// `peek` on SQS: only with --receive, since SQS cannot show a message without receiving it
/// (which counts toward maxReceiveCount). Received with visibility 0, so the messages stay
/// available; each shows its receive count.
pub(super) fn run(cfg: &Config, target: &SqsTarget, args: &PeekArgs, format: OutputFormat) -> Result<()> {
    if !args.receive {
        return Err(Failure::usage(
            "SQS has no peek: showing a message means receiving it, which counts toward the redrive \
             policy's maxReceiveCount (a message near it may be dead-lettered). Add --receive to do it \
             anyway (visibility 0: the messages stay available), or use `depth` for the counts",
        )
        .into());
    }
    if args.list == ListName::Retry || args.list == ListName::Processing || args.offset > 0 || args.from == PeekFrom::Newest {
        return Err(Failure::usage(
            "on SQS, peek --receive shows what a receive returns: no --list retry/processing, --offset or --from newest",
        )
        .into());
    }
    let sqs = crate::sqs::Sqs::connect(target)?;
    let sqs = if args.list == ListName::Dlq {
        sqs.dead_letter_queue()?.ok_or_else(|| Failure::usage(format!("{} has no redrive policy, so no DLQ", sqs.url)))?
    } else {
        sqs
    };
    let mut seen = std::collections::HashSet::new();
    let mut got = Vec::new();
    // Visibility 0: the same message can come back in the next receive; stop when a round
    // brings nothing new.
    while got.len() < args.limit {
        let asked = (args.limit - got.len()).min(crate::sqs::BATCH);
        let round = sqs.receive(asked, std::time::Duration::ZERO, std::time::Duration::ZERO)?;
        let (n, before) = (round.len(), got.len());
        for m in round {
            if seen.insert(m.sqs_message_id.clone()) && got.len() < args.limit {
                got.push(m);
            }
        }
        // A short round, or one that repeats: no further receive (each one is counted).
        if n < asked || got.len() - before < n {
            break;
        }
    }
    let profile = cfg.keys.profile;
    let items: Vec<Value> = got
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let id = crate::queue::single::identify(profile, ListName::Main, &m.body);
            json!({
                "position": i,
                "message_id": id.message_id,
                "idempotency_key": id.idempotency_key,
                "sqs_message_id": m.sqs_message_id,
                "receive_count": m.receive_count,
                "sent_at_ms": m.sent_at_ms,
                "group_id": m.group_id,
                "raw": String::from_utf8_lossy(&m.body),
            })
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
            let mut t = output::table(&["#", "message_id", "receives", "body"]);
            for (v, m) in items.iter().zip(&got) {
                let body: String = String::from_utf8_lossy(&m.body).chars().take(60).collect();
                t.add_row(vec![
                    v["position"].to_string(),
                    v["message_id"].as_str().or(v["idempotency_key"].as_str()).unwrap_or("-").to_owned(),
                    m.receive_count.to_string(),
                    body,
                ]);
            }
            output::print_table(&t)?;
            output::note(&format!("{} · received with visibility 0 (each receive counted)", sqs.url))?;
        }
    }
    Ok(())
}
