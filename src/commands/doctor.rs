//! `doctor`: one read-only run of every check, each line OK / WARN / FAIL with its fix.

use anyhow::Result;

use crate::cli::OutputFormat;
use crate::config::Config;
use crate::exit::{Code, Quiet, classify};
use crate::output;
use crate::queue::Queue;
use crate::queue::doctor::{Check, Status};

pub fn run(cfg: &Config, format: OutputFormat) -> Result<()> {
    // In cluster mode, examine the master that serves the queue's slot, over a plain connection.
    let examined = Queue::connect(&cfg.target, cfg.keys.clone()).and_then(|mut q| Ok(q.slot_owner()?.unwrap_or(q)));
    let checks = match examined {
        Ok(mut q) => {
            let mut checks = q.doctor();
            if cfg.target.cluster.is_some() {
                let slot = crate::queue::keys::slot(&cfg.keys.main);
                let detail =
                    format!("the queue's slot {slot} is served by {}; the checks above are of that master", q.endpoint());
                checks.insert(0, Check { name: "cluster node".into(), status: Status::Ok, detail, fix: None });
            }
            checks
        }
        Err(e) => {
            // Unreachable or refused: the report is that one line, and the exit code says 3.
            let (message, _) = classify(&e);
            let detail = message.unwrap_or_else(|| e.to_string());
            let check = Check {
                name: "connection".into(),
                status: Status::Fail,
                detail: crate::config::scrub(&detail),
                fix: Some("fix the connection first: URL, network, TLS, credentials (see the finding)".into()),
            };
            render(&[check], format)?;
            return Err(e);
        }
    };
    render(&checks, format)?;
    let failed = checks.iter().filter(|c| c.status == Status::Fail).count();
    if failed > 0 {
        eprintln!("hokusai-queue: doctor: {failed} check(s) FAILED");
        return Err(Quiet(Code::Failed).into());
    }
    Ok(())
}

fn render(checks: &[Check], format: OutputFormat) -> Result<()> {
    match format {
        OutputFormat::Json => output::json(&output::doctor_json(checks))?,
        OutputFormat::Jsonl => output::line(&output::doctor_json(checks).to_string())?,
        _ => output::line(&output::doctor_text(checks))?,
    }
    Ok(())
}
