//! `depth`: list lengths and the oldest message's age, in one round trip; health gates.

use std::path::Path;

use anyhow::Result;
use serde_json::{Value, json};

use crate::cli::{DepthArgs, OutputFormat};
use crate::config::Config;
use crate::exit::{Code, Failure, Quiet};
use crate::output;
use crate::queue::flow::{Flow as FlowSample, Pushed};
use crate::queue::keys::{KeyOverrides, Keys};
use crate::queue::profile::{Profile, TOOL_SEGMENT};
use crate::queue::{Depth, Queue};

/// Flow of one queue's main list between two `--watch` frames (README: depth --watch).
#[derive(Debug, Clone, Copy, Default)]
struct Flow {
    /// Pushed per second; with `in_at_least`, a lower bound (the whole list turned over).
    in_rate: Option<f64>,
    in_at_least: bool,
    /// Taken (by consumers, or removed) per second.
    out_rate: Option<f64>,
    /// How much older (positive) or younger the oldest message got since the last frame.
    age_change: Option<f64>,
}

/// The last frame's sample of each queue, for the rates of the next.
#[derive(Default)]
struct Watcher {
    last: std::collections::HashMap<String, (FlowSample, Option<f64>)>,
}

impl Watcher {
    fn flows(&mut self, q: &mut Queue, depths: &[(String, Depth)]) -> Result<Vec<Flow>> {
        let mut flows = Vec::with_capacity(depths.len());
        for (main, d) in depths {
            let prev = self.last.get(main);
            let sample = q.flow(main, prev.map(|(s, _)| s.head.as_deref()))?;
            let age = output::oldest_age(d);
            let flow = match (prev, sample.pushed) {
                (Some((p, prev_age)), Some(pushed)) if sample.now_ms > p.now_ms => {
                    let dt = (sample.now_ms - p.now_ms) as f64 / 1000.0;
                    // Producers push at the head: the previous head's index is the count pushed
                    // since. When it is gone (the whole list was consumed), at least the whole
                    // list is new, and what left is unknown.
                    let (pushed, at_least) = match pushed {
                        Pushed::Exactly(n) => (n, false),
                        Pushed::AtLeast(n) => (n, true),
                    };
                    let out = (!at_least).then(|| (p.len + pushed).saturating_sub(sample.len) as f64 / dt);
                    Flow {
                        in_rate: Some(pushed as f64 / dt),
                        in_at_least: at_least,
                        out_rate: out,
                        age_change: age.zip(*prev_age).map(|(now, before)| now - before),
                    }
                }
                _ => Flow::default(),
            };
            flows.push(flow);
            self.last.insert(main.clone(), (sample, age));
        }
        Ok(flows)
    }
}

fn rate_cell(rate: Option<f64>, at_least: bool) -> String {
    match rate {
        None => "-".into(),
        Some(r) => {
            format!("{}{}", if at_least { ">=" } else { "" }, if r >= 10.0 { format!("{r:.0}") } else { format!("{r:.1}") })
        }
    }
}

fn age_change_cell(change: Option<f64>) -> String {
    match change {
        None => "-".into(),
        Some(c) if c.abs() < 0.5 => "=".into(),
        Some(c) if c > 0.0 => format!("+{}", output::human_age(Some(c.round()))),
        Some(c) => format!("-{}", output::human_age(Some((-c).round()))),
    }
}

pub fn run(cfg: &Config, args: &DepthArgs, format: OutputFormat) -> Result<()> {
    if args.textfile.is_some() && format != OutputFormat::Prometheus {
        return Err(Failure::usage("--textfile writes the Prometheus text: add -o prometheus").into());
    }
    crate::backend::open(cfg)?.depth(args, format)
}

/// `depth` on Redis ([`crate::backend::QueueOps::depth`]): the lists of the queue (or of every
/// queue found), their oldest message's age, `--watch` with the flow between frames.
pub(crate) fn on_redis(cfg: &Config, args: &DepthArgs, format: OutputFormat) -> Result<()> {
    let mut q = Queue::connect(&cfg.target, cfg.keys.clone())?;
    let mut watcher = Watcher::default();
    let clear =
        args.watch.is_some() && format.is_table() && output::for_people() && std::io::IsTerminal::is_terminal(&std::io::stdout());
    loop {
        let depths = measure(&mut q, cfg, args)?;
        let tripped: Vec<String> = depths.iter().flat_map(|(name, d)| gates(args, name, d, depths.len() > 1)).collect();
        if clear {
            output::line("\x1b[2J\x1b[H")?;
        }
        if let Some(path) = &args.textfile {
            write_textfile(path, &output::depth_prometheus(&depths))?;
        } else if args.all_queues && depths.is_empty() && format.is_table() {
            output::note(&format!("no queue matching {:?} on {}", args.r#match, q.endpoint()))?;
        } else if args.watch.is_some() {
            let flows = watcher.flows(&mut q, &depths)?;
            watch_frame(&depths, &flows, format, &tripped, args.all_queues, &q.endpoint())?;
        } else {
            render(&depths, format, &tripped, args.all_queues)?;
        }
        if format.is_table() {
            let all = args.all_queues;
            output::note(&if all { crate::config::server_caption(cfg) } else { crate::config::caption(cfg) })?;
        }
        match args.watch {
            Some(every) => std::thread::sleep(every),
            None => return gates_result(&tripped),
        }
    }
}

/// The depth of the configured queue, or of every queue found.
fn measure(q: &mut Queue, cfg: &Config, args: &DepthArgs) -> Result<Vec<(String, Depth)>> {
    if !args.all_queues {
        return Ok(vec![(cfg.keys.main.clone(), q.depth()?)]);
    }
    let mut depths = Vec::new();
    for keys in found_queues(q, cfg, &args.r#match)? {
        depths.push((keys.main.clone(), q.depth_of(&keys)?));
    }
    Ok(depths)
}

/// The keys of every queue on the server matching `pattern`, each with its profile (shared with
/// `exporter --all-queues`).
pub fn found_queues(q: &mut Queue, cfg: &Config, pattern: &str) -> Result<Vec<Keys>> {
    let names = q.discover_queues(pattern)?;
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let own = format!(":{TOOL_SEGMENT}");
    let mut found = Vec::new();
    // The tool's own keys (leases, retries) belong to the queue before the segment.
    for name in names.into_iter().filter(|name| !name.contains(&own)) {
        let keys = Keys::new(&name, &KeyOverrides::default(), Profile::for_queue(&name), &env);
        // On a cluster, a queue whose keys span slots cannot be read in one step: say so and
        // go on with the others.
        if cfg.target.cluster.is_some()
            && let Err(e) = crate::config::check_one_slot(&keys)
        {
            eprintln!("hokusai-queue: warning: skipped {name}: {e}");
            continue;
        }
        found.push(keys);
    }
    Ok(found)
}

/// Replaces `path` with `text` atomically: a temporary file in the same directory (not named
/// `*.prom`, which the textfile collector would read half-written), synced, then renamed over
/// it. A reader sees the old text or the new, never a mix.
fn write_textfile(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| Failure::usage(format!("--textfile {} names no file", path.display())))?;
    let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Failure::failed(format!(
            "cannot write --textfile {}: {e}; check that its directory exists and is writable",
            path.display()
        ))
    })?;
    Ok(())
}

/// A one-shot `depth`'s end: success, or exit 5 naming each gate that tripped.
pub(crate) fn gates_result(tripped: &[String]) -> Result<()> {
    if tripped.is_empty() {
        return Ok(());
    }
    for t in tripped {
        eprintln!("hokusai-queue: threshold exceeded: {t}");
    }
    Err(Quiet(Code::Threshold).into())
}

/// The gates that tripped, each said in words.
fn gates(args: &DepthArgs, queue: &str, d: &Depth, name_it: bool) -> Vec<String> {
    let on = if name_it { format!("{queue}: ") } else { String::new() };
    let mut tripped = Vec::new();
    if let Some(n) = args.fail_above
        && d.main > n
    {
        tripped.push(format!("{on}main depth {} > {n} (--fail-above)", d.main));
    }
    if let Some(n) = args.dlq_fail_above
        && d.dlq > n
    {
        tripped.push(format!("{on}dlq depth {} > {n} (--dlq-fail-above)", d.dlq));
    }
    if let Some(max) = args.max_age
        && let Some(age) = output::oldest_age(d)
        && age > max.as_secs_f64()
    {
        tripped.push(format!("{on}oldest message {age:.0}s old > {} (--max-age)", humantime::format_duration(max)));
    }
    tripped
}

/// One `--watch` frame: stamped with the server's clock (and, for people, the server): JSON
/// frames are one compact line each, so a stream of them is JSON lines.
fn watch_frame(
    depths: &[(String, Depth)],
    flows: &[Flow],
    format: OutputFormat,
    tripped: &[String],
    all: bool,
    server: &str,
) -> Result<()> {
    let now_ms = depths.first().map_or(0, |(_, d)| d.now_ms);
    let at = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(now_ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default();
    match format {
        OutputFormat::Json | OutputFormat::Jsonl => {
            let one = |(n, d): &(String, Depth), f: &Flow| {
                let mut v = output::depth_json(n, d);
                v["in_per_second"] = json!(f.in_rate);
                v["in_is_lower_bound"] = json!(f.in_at_least);
                v["out_per_second"] = json!(f.out_rate);
                v["oldest_age_change_seconds"] = json!(f.age_change);
                v
            };
            let mut v = if all {
                json!({"queues": depths.iter().zip(flows).map(|(d, f)| one(d, f)).collect::<Vec<_>>()})
            } else {
                one(&depths[0], &flows[0])
            };
            v["at"] = json!(at);
            if !tripped.is_empty() {
                v["tripped"] = json!(tripped);
            }
            output::line(&v.to_string())?;
        }
        OutputFormat::Prometheus => render(depths, format, tripped, all)?,
        _ => {
            output::note(&format!("{server}  {at}"))?;
            let mut t = output::depth_table(depths);
            // The flow between this frame and the last, as extra columns.
            let header: Vec<String> = t.header().map(|h| h.cell_iter().map(|c| c.content()).collect()).unwrap_or_default();
            let mut header: Vec<&str> = header.iter().map(String::as_str).collect();
            header.extend(["in/s", "out/s", "oldest Δ"]);
            t.set_header(header);
            for (i, f) in flows.iter().enumerate() {
                if let Some(row) = t.row_mut(i) {
                    row.add_cell(rate_cell(f.in_rate, f.in_at_least).into());
                    row.add_cell(rate_cell(f.out_rate, false).into());
                    row.add_cell(age_change_cell(f.age_change).into());
                }
            }
            output::print_table(&t)?;
            if !all
                && !output::wide()
                && let Some(line) = output::mint_depth_line(&depths[0].1)
            {
                output::note(&line)?;
            }
            for t in tripped {
                output::note(&format!("TRIPPED: {t}"))?;
            }
        }
    }
    Ok(())
}

fn render(depths: &[(String, Depth)], format: OutputFormat, tripped: &[String], all: bool) -> Result<()> {
    match format {
        OutputFormat::Json | OutputFormat::Jsonl => {
            let mut v = if all {
                let queues: Vec<Value> = depths.iter().map(|(n, d)| output::depth_json(n, d)).collect();
                json!({ "queues": queues })
            } else {
                output::depth_json(&depths[0].0, &depths[0].1)
            };
            if !tripped.is_empty() {
                v["tripped"] = json!(tripped);
            }
            if format == OutputFormat::Json { output::json(&v)? } else { output::line(&v.to_string())? }
        }
        OutputFormat::Prometheus => output::line(output::depth_prometheus(depths).trim_end())?,
        _ => {
            output::print_table(&output::depth_table(depths))?;
            if !all
                && !output::wide()
                && let Some(line) = output::mint_depth_line(&depths[0].1)
            {
                output::note(&line)?;
            }
            for t in tripped {
                output::note(&format!("TRIPPED: {t}"))?;
            }
        }
    }
    Ok(())
}
