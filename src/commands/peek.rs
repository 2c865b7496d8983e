//! `peek`: show elements of a list without consuming or changing them.

use anyhow::Result;
use serde_json::Value;

use crate::cli::{OutputFormat, PeekArgs, PeekFrom};
use crate::config::Config;
use crate::output;
use crate::queue::Queue;

pub fn run(cfg: &Config, args: &PeekArgs, format: OutputFormat) -> Result<()> {
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    let peeked = q.peek(args.list, args.from == PeekFrom::Newest, args.limit)?;
    match format {
        OutputFormat::Json => {
            let items: Vec<Value> = peeked.elements.iter().map(|(pos, e)| output::element_json(*pos, e, peeked.now_ms)).collect();
            output::json(&Value::Array(items))?;
        }
        OutputFormat::Jsonl => {
            for (pos, e) in &peeked.elements {
                output::line(&output::element_json(*pos, e, peeked.now_ms).to_string())?;
            }
        }
        _ => {
            if peeked.elements.is_empty() {
                output::line(&format!("{} is empty", q.keys.list(args.list)))?;
            } else {
                output::print_table(&output::peek_table(&peeked))?;
                let shown = peeked.elements.len() as u64;
                if shown < peeked.len {
                    output::line(&format!("({shown} of {} shown; --limit N for more)", peeked.len))?;
                }
            }
        }
    }
    Ok(())
}
