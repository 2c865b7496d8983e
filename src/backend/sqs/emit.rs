//! `emit` on SQS ([`crate::backend::QueueOps::emit`]): the messages `emit` validated, sent in
//! batches; which lines reached the queue when not all did.

use anyhow::Result;
use serde_json::json;

use crate::backend::SqsBackend;
use crate::cli::{EmitArgs, OutputFormat};
use crate::commands::emit;
use crate::config::{Config, SqsTarget};
use crate::exit::Failure;
use crate::output;
use crate::queue::profile::Profile;
use crate::ui;

/// `emit` on SQS: the same validation (every line before anything is sent), then
/// SendMessageBatch, 10 a call with several calls in flight. FIFO: a group id and the
/// message's identity as dedupe id, so a rerun within SQS's 5-minute window is not duplicated.
pub(super) fn run(cfg: &Config, target: &SqsTarget, args: &EmitArgs, format: OutputFormat) -> Result<()> {
    for (set, flag) in [
        (args.resume.is_some(), "--resume"),
        (args.skip_present, "--skip-present"),
        (args.durability.wait_replicas.is_some(), "--wait-replicas"),
    ] {
        if set {
            return Err(Failure::usage(format!(
                "{flag} is for Redis; on SQS a FIFO queue drops a message sent twice within 5 minutes, \
                 and `--skip N` resumes after the N lines that were sent"
            ))
            .into());
        }
    }
    let profile = cfg.keys.profile;
    // With --file: each message's line number, for the reports.
    let (elements, numbers, single): (Vec<Vec<u8>>, Vec<usize>, _) = match &args.file {
        Some(path) => {
            let lines = emit::read_lines(args, profile, path, args.skip)?.0;
            let numbers = lines.iter().map(|l| l.number).collect();
            (lines.into_iter().map(|l| l.out.element).collect(), numbers, None)
        }
        None if profile == Profile::Envelope => {
            let (out, id) = emit::envelope_one(args)?;
            (vec![out.element], vec![], Some((id, None)))
        }
        None => {
            let (out, id, key) = emit::flat_one(cfg, args)?;
            (vec![out.element], vec![], Some((id, key)))
        }
    };
    let backend = SqsBackend { sqs: crate::sqs::Sqs::connect(target)?, profile, group_id: args.group_id.clone(), retaken: 0 };
    // All or nothing for what can be known before sending: every message against the queue's
    // own MaximumMessageSize (256 KiB by default, up to 1 MiB), as SQS counts it (the body as
    // sent, base64 when it is not XML-safe UTF-8, plus its attributes).
    let max = backend.sqs.attributes()?.max_message_size.unwrap_or(crate::sqs::MAX_BATCH_BYTES as u64);
    let too_big: Vec<usize> = (0..elements.len()).filter(|&i| crate::sqs::wire_size(&elements[i]) > max).collect();
    if let Some(&i) = too_big.first() {
        let what = match (&args.file, numbers.get(i)) {
            (Some(path), Some(n)) => format!("{} line {n}", emit::describe(path)),
            _ => "the message".to_owned(),
        };
        let others = if too_big.len() > 1 { format!(" ({} messages are over it)", too_big.len()) } else { String::new() };
        return Err(Failure::invalid_input(format!(
            "{what} is {} bytes as SQS carries it, over the queue's MaximumMessageSize of {max} bytes{others}; \
             nothing was sent. Shorten it, or raise the queue's MaximumMessageSize (at most 1 MiB)",
            crate::sqs::wire_size(&elements[i])
        ))
        .into());
    }
    let out: Vec<_> = elements.iter().map(|e| backend.outgoing(e)).collect();
    let bar = ui::progress(out.len() as u64, "sending");
    let report = backend.sqs.send_each(&out, 8, &mut |n| bar.inc(n as u64));
    bar.finish_and_clear();
    let sent = report.confirmed();
    if sent < out.len() || report.fatal.is_some() {
        let how = match &args.file {
            Some(path) => unsent_advice(&report.status, &numbers, &emit::describe(path)),
            None => "the message was not sent".to_owned(),
        };
        let e = report.error().expect("not every message was confirmed");
        return Err(e.context(how));
    }
    let url = &backend.sqs.url;
    match (format, single) {
        (OutputFormat::Json | OutputFormat::Jsonl, Some((id, key))) => {
            let v = json!({"message_id": id, "idempotency_key": key, "queue_url": url, "bytes": elements[0].len()});
            if format == OutputFormat::Json { output::json(&v)? } else { output::line(&v.to_string())? }
        }
        (OutputFormat::Json | OutputFormat::Jsonl, None) => {
            let v = json!({"emitted": sent, "queue_url": url});
            if format == OutputFormat::Json { output::json(&v)? } else { output::line(&v.to_string())? }
        }
        (_, Some((id, _))) => output::line(if id.is_empty() { "sent" } else { &id })?,
        (_, None) => output::line(&format!("emitted {sent} messages to {url}"))?,
    }
    Ok(())
}

/// Says exactly which lines of a file reached the queue after a send that did not confirm them
/// all, and how to send the rest without sending any line twice.
fn unsent_advice(status: &[crate::sqs::Sent], numbers: &[usize], file: &str) -> String {
    use crate::sqs::Sent;
    let lines = |keep: &dyn Fn(&Sent) -> bool| -> Vec<usize> {
        status.iter().zip(numbers).filter(|(s, _)| keep(s)).map(|(_, n)| *n).collect()
    };
    let sent = lines(&|s| *s == Sent::Confirmed);
    let unsent = lines(&|s| matches!(s, Sent::Refused(_) | Sent::NotAttempted));
    let unknown = lines(&|s| matches!(s, Sent::Unknown(_)));
    let mut text = format!("{} of {} messages were sent", sent.len(), status.len());
    if !unknown.is_empty() {
        text.push_str(&format!(
            "; lines {} may or may not have been (no answer from SQS: check the queue before sending them again)",
            ranges(&unknown, ",")
        ));
    }
    let Some(&first_unsent) = unsent.first() else {
        return text;
    };
    let prefix = unknown.is_empty() && sent.iter().all(|&n| n < first_unsent);
    if prefix {
        text.push_str(&format!(
            " (every line before line {first_unsent} of {file}); send the rest with --skip {}",
            first_unsent - 1
        ));
    } else {
        // Read from stdin, the input is gone: the advice names a file to keep it in.
        let source = if file == "stdin" { "FILE (the same input, saved)" } else { file };
        text.push_str(&format!(
            "; not sent: lines {} of {file}. --skip would send some lines twice: send just those, e.g. \
             sed -n '{}' {source} | hokusai-queue emit --file - (with the same options)",
            ranges(&unsent, ","),
            ranges(&unsent, "p;").replace(['-'], ",") + "p"
        ));
    }
    text
}

/// `3-5,9,12-13` (with `sep` between the runs) from sorted line numbers.
fn ranges(numbers: &[usize], sep: &str) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &n in numbers {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == n => *end = n,
            _ => runs.push((n, n)),
        }
    }
    runs.iter().map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect::<Vec<_>>().join(sep)
}
