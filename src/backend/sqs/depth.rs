//! `depth` on SQS ([`crate::backend::QueueOps::depth`]): the queue's attributes and its
//! redrive DLQ's.

use anyhow::Result;
use serde_json::json;

use crate::cli::{DepthArgs, OutputFormat};
use crate::commands::depth;
use crate::config::{Config, SqsTarget};
use crate::exit::Failure;
use crate::output;

/// `depth` on SQS: its attributes (visible, in flight, delayed) and its DLQ's, from
/// the RedrivePolicy; the gates as on Redis. SQS gives the oldest message's age only as the
/// CloudWatch metric ApproximateAgeOfOldestMessage, so --max-age is refused here.
pub(super) fn run(cfg: &Config, target: &SqsTarget, args: &DepthArgs, format: OutputFormat) -> Result<()> {
    if args.all_queues || args.textfile.is_some() || format == OutputFormat::Prometheus {
        return Err(Failure::usage(
            "--all-queues, --textfile and -o prometheus are for Redis: SQS queues report to CloudWatch (AWS/SQS)",
        )
        .into());
    }
    if args.max_age.is_some() {
        return Err(Failure::usage(
            "--max-age: SQS does not tell a message's age without receiving it; watch CloudWatch's \
             ApproximateAgeOfOldestMessage for the queue instead",
        )
        .into());
    }
    let sqs = crate::sqs::Sqs::connect(target)?;
    loop {
        let a = sqs.attributes()?;
        let dlq = match sqs.dead_letter_queue()? {
            Some(d) => Some((d.url.clone(), d.attributes()?)),
            None => None,
        };
        let dlq_depth = dlq.as_ref().map(|(_, d)| d.visible + d.in_flight + d.delayed);
        let mut tripped = Vec::new();
        if let Some(n) = args.fail_above
            && a.visible > n
        {
            tripped.push(format!("visible messages {} > {n} (--fail-above)", a.visible));
        }
        if let Some(n) = args.dlq_fail_above
            && dlq_depth.unwrap_or(0) > n
        {
            tripped.push(format!("dlq depth {} > {n} (--dlq-fail-above)", dlq_depth.unwrap_or(0)));
        }
        let v = json!({
            "queue_url": sqs.url,
            "fifo": a.fifo,
            "visible": a.visible,
            "in_flight": a.in_flight,
            "delayed": a.delayed,
            "visibility_timeout_secs": a.visibility_timeout,
            "max_receive_count": a.max_receive_count,
            "dlq": dlq.as_ref().map(|(url, d)| json!({"queue_url": url, "visible": d.visible, "in_flight": d.in_flight, "delayed": d.delayed})),
            "thresholds_exceeded": tripped,
        });
        match format {
            OutputFormat::Json => output::json(&v)?,
            OutputFormat::Jsonl => output::line(&v.to_string())?,
            _ => {
                let mut t = output::table(&["queue", "visible", "in flight", "delayed"]);
                t.add_row(vec!["main".to_owned(), a.visible.to_string(), a.in_flight.to_string(), a.delayed.to_string()]);
                if let Some((_, d)) = &dlq {
                    t.add_row(vec!["dlq".to_owned(), d.visible.to_string(), d.in_flight.to_string(), d.delayed.to_string()]);
                }
                output::print_table(&t)?;
                let redrive = match a.max_receive_count {
                    Some(n) => format!(" · dead-lettered after {n} receives"),
                    None => " · no redrive policy (no DLQ)".to_owned(),
                };
                output::note(&format!("{} ({}){redrive}", sqs.url, cfg.keys.profile.as_str()))?;
            }
        }
        match args.watch {
            Some(every) => std::thread::sleep(every),
            None => return depth::gates_result(&tripped),
        }
    }
}
