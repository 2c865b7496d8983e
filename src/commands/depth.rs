//! `depth`: list lengths and the oldest message's age, in one round trip; health gates.

use anyhow::Result;
use serde_json::json;

use crate::cli::{DepthArgs, OutputFormat};
use crate::config::Config;
use crate::exit::{Code, Quiet};
use crate::output;
use crate::queue::{Depth, Queue};

pub fn run(cfg: &Config, args: &DepthArgs, format: OutputFormat) -> Result<()> {
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    let Some(every) = args.watch else {
        let d = q.depth()?;
        let tripped = gates(args, &d);
        render(&cfg.keys.main, &d, format, &tripped)?;
        if !tripped.is_empty() {
            for t in &tripped {
                eprintln!("hokusai-queue: threshold exceeded: {t}");
            }
            return Err(Quiet(Code::Threshold).into());
        }
        return Ok(());
    };
    let clear = format == OutputFormat::Table && std::io::IsTerminal::is_terminal(&std::io::stdout());
    loop {
        let d = q.depth()?;
        if clear {
            output::line("\x1b[2J\x1b[H")?;
        }
        render(&cfg.keys.main, &d, format, &[])?;
        std::thread::sleep(every);
    }
}

/// The gates that tripped, each said in words.
fn gates(args: &DepthArgs, d: &Depth) -> Vec<String> {
    let mut tripped = Vec::new();
    if let Some(n) = args.fail_above
        && d.main > n
    {
        tripped.push(format!("main depth {} > {n} (--fail-above)", d.main));
    }
    if let Some(n) = args.dlq_fail_above
        && d.dlq > n
    {
        tripped.push(format!("dlq depth {} > {n} (--dlq-fail-above)", d.dlq));
    }
    if let Some(max) = args.max_age
        && let Some(age) = output::oldest_age(d)
        && age > max.as_secs_f64()
    {
        tripped.push(format!("oldest message {age:.0}s old > {} (--max-age)", humantime::format_duration(max)));
    }
    tripped
}

fn render(queue: &str, d: &Depth, format: OutputFormat, tripped: &[String]) -> Result<()> {
    match format {
        OutputFormat::Json | OutputFormat::Jsonl => {
            let mut v = output::depth_json(queue, d);
            if !tripped.is_empty() {
                v["tripped"] = json!(tripped);
            }
            if format == OutputFormat::Json { output::json(&v)? } else { output::line(&v.to_string())? }
        }
        OutputFormat::Prometheus => output::line(output::depth_prometheus(queue, d).trim_end())?,
        OutputFormat::Table => {
            output::print_table(&output::depth_table(queue, d))?;
            for t in tripped {
                output::line(&format!("TRIPPED: {t}"))?;
            }
        }
    }
    Ok(())
}
