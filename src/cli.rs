//! Every flag of the tool, in one clap-derive module. `///` comments are the help text.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::exit::EXIT_CODES_HELP;
use crate::queue::keys::ListName;

/// Operate the Redis message queues of the Hokusai ML platform.
///
/// Inspect depth, peek at messages, emit test events, drain with a handler, reclaim stale work,
/// and recover the dead-letter queue, without ever losing or half-moving a message.
#[derive(Debug, Parser)]
#[command(name = "hokusai-queue", version, after_help = EXIT_CODES_HELP, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// The connection, queue and output flags every subcommand takes: shown after the
/// subcommand's own flags, under their own heading.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Use the named context of the config file ($HOKUSAI_CONFIG, else
    /// ~/.config/hokusai-queue/config.toml): server, TLS CA, user, password file, cluster, queue
    /// and profile [default: the file's `current`]. A flag or environment variable still beats
    /// the context's value. See `hokusai-queue config list`.
    #[arg(long, global = true, env = "HOKUSAI_CONTEXT", value_name = "NAME")]
    pub context: Option<String>,

    /// Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back
    /// to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then
    /// redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here.
    /// With --cluster, repeat it to give several seed nodes.
    #[arg(long, global = true, env = "HOKUSAI_REDIS_URL", hide_env_values = true, value_name = "URL", action = clap::ArgAction::Append)]
    pub redis_url: Vec<String>,

    /// Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag}
    /// so that all its keys share one slot, e.g. hokusai:{model_ready_queue}.
    #[arg(long, global = true, env = "HOKUSAI_REDIS_CLUSTER", hide_env_values = true, action = clap::ArgAction::SetTrue, value_parser = clap::builder::BoolishValueParser::new())]
    pub cluster: bool,

    /// Read the password from the first line of FILE (trailing newline removed; used as is,
    /// any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN.
    #[arg(long, global = true, env = "HOKUSAI_REDIS_PASSWORD_FILE", value_name = "FILE")]
    pub password_file: Option<PathBuf>,

    /// Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a
    /// password: $REDIS_AUTH_TOKEN or --password-file.
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,

    /// For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the
    /// public roots (a self-managed Redis with its own CA).
    #[arg(long, global = true, env = "HOKUSAI_TLS_CA_CERT", value_name = "FILE")]
    pub tls_ca_cert: Option<PathBuf>,

    /// For rediss:// URLs: do NOT verify the server's certificate (test servers only; prints a
    /// warning). Also required for a URL ending in #insecure.
    #[arg(long, global = true, conflicts_with = "tls_ca_cert")]
    pub tls_insecure: bool,

    /// How long to wait for a connection (and its AUTH/HELLO handshake).
    #[arg(long, global = true, default_value = "5s", value_parser = parse_timeout, value_name = "DUR")]
    pub connect_timeout: Duration,

    /// How long to wait for any one Redis reply (blocking reads add their block time to this).
    #[arg(long, global = true, default_value = "30s", value_parser = parse_timeout, value_name = "DUR")]
    pub command_timeout: Duration,

    /// How many times to retry a failed connection before giving up with exit code 3.
    #[arg(long, global = true, default_value_t = 3, value_name = "N")]
    pub connect_retries: u32,

    /// First delay between connection retries; it doubles each time (with full jitter).
    #[arg(long, global = true, default_value = "1s", value_parser = parse_retry_delay, value_name = "DUR")]
    pub connect_backoff_base: Duration,

    /// Longest delay between connection retries.
    #[arg(long, global = true, default_value = "30s", value_parser = parse_retry_delay, value_name = "DUR")]
    pub connect_backoff_cap: Duration,

    /// Queue name: the main list's key; the other keys derive from it [default:
    /// hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests].
    #[arg(short, long, global = true, env = "HOKUSAI_QUEUE", value_name = "NAME", action = clap::ArgAction::Append)]
    pub queue: Vec<String>,

    /// The queue's discipline: envelope (the platform's model_ready_to_deploy queue), mint (the
    /// contract deployer's mint requests) or opaque (anything else: exact bytes only). [default:
    /// by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope,
    /// other -> opaque]
    #[arg(long, global = true, env = "HOKUSAI_PROFILE", value_enum, value_name = "PROFILE")]
    pub profile: Option<crate::queue::profile::Profile>,

    /// Processing list key [default: <queue>:processing].
    #[arg(long, global = true, value_name = "KEY")]
    pub processing_key: Option<String>,

    /// Dead-letter list key [default: <queue>:dlq].
    #[arg(long, global = true, value_name = "KEY")]
    pub dlq_key: Option<String>,

    /// Pub/sub channel the payload is published on after each push [default: <queue>:pubsub].
    #[arg(long, global = true, value_name = "CHANNEL")]
    pub pubsub_channel: Option<String>,

    /// The tool's lease sorted-set key [default: <queue>:hokusai-queue:leases].
    #[arg(long, global = true, value_name = "KEY")]
    pub leases_key: Option<String>,

    /// Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the
    /// tool's own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer's)].
    #[arg(long, global = true, value_name = "KEY")]
    pub retry_key: Option<String>,

    /// DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays].
    #[arg(long, global = true, value_name = "KEY")]
    pub replays_key: Option<String>,

    /// Mint: the deployer's idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed].
    #[arg(long, global = true, value_name = "KEY")]
    pub processed_key: Option<String>,

    /// Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit].
    #[arg(long, global = true, value_name = "KEY")]
    pub audit_key: Option<String>,

    /// Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements].
    #[arg(long, global = true, value_name = "KEY")]
    pub settlements_key: Option<String>,

    /// Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:].
    #[arg(long, global = true, value_name = "PREFIX")]
    pub record_prefix: Option<String>,

    /// Amazon SQS instead of Redis: the queue's URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME,
    /// standard or .fifo). emit, depth, peek, drain and dlq list|replay|purge then talk to SQS
    /// (credentials and region as the AWS CLI finds them: environment, profile, IMDS); the
    /// profile (--profile, or by the --queue name) still decides validation and bodies. For
    /// `migrate`, the SQS side of the move.
    #[arg(long, global = true, env = "HOKUSAI_SQS_QUEUE_URL", value_name = "URL")]
    pub sqs_queue_url: Option<String>,

    /// SQS: send requests to this endpoint instead of AWS's (a local emulator such as moto or
    /// LocalStack: http://127.0.0.1:5000). $AWS_ENDPOINT_URL works too.
    #[arg(long, global = true, env = "HOKUSAI_SQS_ENDPOINT_URL", value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Output format: a table for people (wide: with more columns; plain: tab-separated
    /// columns for awk and cut), json for scripts (jsonl for streams), prometheus (depth only)
    /// for node_exporter's textfile collector.
    #[arg(short, long, global = true, value_enum, default_value_t = OutputFormat::Table, value_name = "FORMAT")]
    pub output: OutputFormat,

    /// Tables: print only the rows, no header line; the caption and notes go to stderr.
    #[arg(long, global = true)]
    pub no_headers: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A bordered table for people, with a caption naming the server and queue.
    Table,
    /// The table with more columns (depth, peek, dlq list).
    Wide,
    /// The table's rows as tab-separated columns, header first (unless --no-headers); notes on stderr.
    Plain,
    /// One JSON document.
    Json,
    /// JSON lines: one object per line (streams, --watch).
    Jsonl,
    /// Prometheus text exposition (depth only).
    Prometheus,
}

impl OutputFormat {
    /// A table in one of its layouts (table, wide, plain): the format for people and awk.
    pub fn is_table(self) -> bool {
        matches!(self, OutputFormat::Table | OutputFormat::Wide | OutputFormat::Plain)
    }
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per process; boxing buys nothing
pub enum Command {
    /// Push messages onto the queue, validated like the platform's producer.
    Emit(EmitArgs),
    /// Show messages without consuming or changing them.
    Peek(PeekArgs),
    /// Show the queue's depth and the age of its oldest message; health gates for probes.
    Depth(DepthArgs),
    /// Serve Prometheus metrics over HTTP (/metrics, /healthz): every list of each queue and
    /// the server's health, read when scraped.
    Exporter(ExporterArgs),
    /// Consume messages reliably: to stdout, or through a handler command with retries.
    Drain(DrainArgs),
    /// Return messages of crashed consumers (expired leases) to the queue; promote due retries.
    ReapStale(ReapArgs),
    /// Recover the dead-letter queue: list, replay, purge (with export) and import entries.
    #[command(subcommand)]
    Dlq(DlqCommand),
    /// One message anywhere (main, processing, retry, DLQ): find it by id, show it whole,
    /// delete it, dead-letter it or requeue it now, each in one atomic step.
    #[command(subcommand, visible_alias = "msg")]
    Message(MessageCommand),
    /// Check the server, the queue's keys, persistence, eviction, replicas and ACL permissions:
    /// OK / WARN / FAIL with the fix. Reads only; exit 1 on any FAIL.
    Doctor(DoctorArgs),
    /// Named targets (contexts) in the config file: list them, show what a command would use and
    /// where each value comes from, switch the current one, save one.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// A live terminal view of every queue on the server: depths, in/out rates, oldest age,
    /// trend; open one to see its next messages and its DLQ by error. Reads only unless
    /// --allow-writes.
    Top(TopArgs),
    /// Move a queue between Redis and Amazon SQS, either way, losing nothing: each batch is
    /// taken on the source under a lease, sent, and acknowledged there only once the target
    /// confirmed it; a rerun after a crash finishes the move with every message once.
    Migrate(MigrateArgs),
    /// Write completions and man pages (for maintainers; `generate --out-dir .`).
    #[command(hide = true)]
    Generate(GenerateArgs),
}

/// Payload fields of a `model_ready_to_deploy` message, one flag each.
#[derive(Debug, Args, Default)]
pub struct PayloadFlags {
    /// payload.model_id (required unless --payload or --file)
    #[arg(long, value_name = "ID", help_heading = "Payload fields")]
    pub model_id: Option<String>,
    /// payload.token_symbol: ^[a-z0-9-]+$, 1-64 characters (required unless --payload or --file)
    #[arg(long, value_name = "SYMBOL", help_heading = "Payload fields")]
    pub token_symbol: Option<String>,
    /// payload.metric_name (required unless --payload or --file)
    #[arg(long, value_name = "NAME", help_heading = "Payload fields")]
    pub metric_name: Option<String>,
    /// payload.baseline_value (a number) (required unless --payload or --file)
    #[arg(long, value_name = "NUM", value_parser = parse_number, allow_negative_numbers = true, help_heading = "Payload fields")]
    pub baseline_value: Option<serde_json::Number>,
    /// payload.current_value (a number) (required unless --payload or --file)
    #[arg(long, value_name = "NUM", value_parser = parse_number, allow_negative_numbers = true, help_heading = "Payload fields")]
    pub current_value: Option<serde_json::Number>,
    /// payload.model_name (required unless --payload or --file)
    #[arg(long, value_name = "NAME", help_heading = "Payload fields")]
    pub model_name: Option<String>,
    /// payload.model_version (a string, e.g. "3") (required unless --payload or --file)
    #[arg(long, value_name = "VERSION", help_heading = "Payload fields")]
    pub model_version: Option<String>,
    /// payload.mlflow_run_id
    #[arg(long, value_name = "ID", help_heading = "Payload fields")]
    pub mlflow_run_id: Option<String>,
    /// payload.proposal_identifier [default: the token symbol]
    #[arg(long, value_name = "ID", help_heading = "Payload fields")]
    pub proposal_identifier: Option<String>,
    /// payload.improvement_percentage [default: (current - baseline) / baseline * 100 when baseline > 0]
    #[arg(long, value_name = "NUM", value_parser = parse_number, allow_negative_numbers = true, help_heading = "Payload fields")]
    pub improvement_percentage: Option<serde_json::Number>,
    /// payload.contributor_address: ^0x[a-fA-F0-9]{40}$
    #[arg(long, value_name = "ADDRESS", help_heading = "Payload fields")]
    pub contributor_address: Option<String>,
    /// payload.experiment_name
    #[arg(long, value_name = "NAME", help_heading = "Payload fields")]
    pub experiment_name: Option<String>,
    /// payload.tags entry (repeatable): --tag team=ml --tag env=staging
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_key_value, help_heading = "Payload fields")]
    pub tags: Vec<(String, String)>,
    /// payload.api_schema (a JSON object)
    #[arg(long, value_name = "JSON", help_heading = "Payload fields")]
    pub api_schema: Option<String>,
    /// payload.eval_spec
    #[arg(long, value_name = "SPEC", help_heading = "Payload fields")]
    pub eval_spec: Option<String>,
    /// payload.scorer_ref
    #[arg(long, value_name = "REF", help_heading = "Payload fields")]
    pub scorer_ref: Option<String>,
    /// payload.primary_metric
    #[arg(long, value_name = "NAME", help_heading = "Payload fields")]
    pub primary_metric: Option<String>,
    /// payload.benchmark_spec_id
    #[arg(long, value_name = "ID", help_heading = "Payload fields")]
    pub benchmark_spec_id: Option<String>,
    /// payload.timestamp (naive ISO, e.g. 2025-01-27T15:30:00.123456) [default: now, UTC]
    #[arg(long = "payload-timestamp", value_name = "ISO", help_heading = "Payload fields")]
    pub timestamp: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue emit --model-id m-1 --token-symbol msg-ai --metric-name accuracy \\
      --baseline-value 0.85 --current-value 0.88 --model-name msg-ai-clf --model-version 3
  hokusai-queue emit --payload @payload.json -o json
  hokusai-queue emit --file events.jsonl          # one payload object per line; - for stdin
  hokusai-queue emit --file backup.jsonl --envelopes
  hokusai-queue --profile mint emit --payload @request.json   # a flat MintRequest, deployer-validated
  hokusai-queue -q jobs emit --raw --payload 'anything'        # opaque queue: exact bytes
  hokusai-queue --sqs-queue-url https://sqs.us-east-1.amazonaws.com/123456789012/model-ready.fifo \\
      emit --file events.jsonl                                  # to SQS, 10 a call")]
pub struct EmitArgs {
    #[command(flatten)]
    pub fields: PayloadFlags,

    /// The whole payload as JSON: inline, @FILE, or - for stdin.
    #[arg(long, value_name = "JSON|@FILE|-", conflicts_with = "file")]
    pub payload: Option<String>,

    /// Many messages: a JSON-lines file (or - for stdin), one payload object per line. Every
    /// line is validated before anything is pushed.
    #[arg(long, value_name = "PATH|-")]
    pub file: Option<PathBuf>,

    /// With --file: each line is a whole envelope, validated and pushed byte for byte.
    #[arg(long, requires = "file")]
    pub envelopes: bool,

    /// With --envelopes: leave out envelopes whose message_id is already in the queue (main,
    /// processing, retry set or DLQ), so restoring the same backup twice adds nothing twice.
    /// Reads those lists once, before the first push.
    #[arg(long, requires = "envelopes")]
    pub skip_present: bool,

    /// Opaque profile only: push --payload or each --file line exactly as given (no validation,
    /// no envelope).
    #[arg(long)]
    pub raw: bool,

    /// With --file: skip the first N lines (to resume after a reported failure).
    #[arg(long, value_name = "N", default_value_t = 0, requires = "file")]
    pub skip: usize,

    /// With --file: continue an interrupted run exactly after the last line that landed
    /// (RUN is the id its error printed; progress is kept in Redis for a day).
    #[arg(long, value_name = "RUN", requires = "file", conflicts_with = "skip")]
    pub resume: Option<String>,

    /// Envelope message_id (a UUID) [default: a new UUIDv4]
    #[arg(long, value_name = "UUID", conflicts_with = "file")]
    pub message_id: Option<String>,

    /// Envelope message_type. Only model_ready_to_deploy payloads are checked against the schema;
    /// others must be a JSON object.
    #[arg(long, value_name = "TYPE", default_value = "model_ready_to_deploy")]
    pub message_type: String,

    /// Envelope max_retries.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub max_retries: u32,

    /// Do not PUBLISH the payload on the queue's pub/sub channel after pushing.
    #[arg(long)]
    pub no_publish: bool,

    /// Messages per atomic round trip when pushing a file.
    #[arg(long, value_name = "N", default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub batch_size: u32,

    /// Refuse a payload or line longer than SIZE (bytes, or with KiB / MiB), before buffering
    /// more of it. At most 512MiB (Redis's own limit).
    #[arg(long, value_name = "SIZE", default_value = "4MiB", value_parser = parse_size)]
    pub max_message_bytes: usize,

    /// SQS FIFO queues: the MessageGroupId of every message [default: the payload's model_id
    /// (envelope), the request's model_id (mint), else hokusai-queue].
    #[arg(long, value_name = "ID")]
    pub group_id: Option<String>,

    #[command(flatten)]
    pub durability: DurabilityArgs,
}

/// Replication acknowledgement for commands that write (emit now; replay and others later).
#[derive(Debug, Args, Clone, Copy, Default)]
pub struct DurabilityArgs {
    /// After each push, wait until N replicas have it (Redis WAIT); exit 1 when fewer
    /// acknowledge within --wait-timeout (the data is then on the primary only).
    #[arg(long, value_name = "N", help_heading = "Durability")]
    pub wait_replicas: Option<u32>,

    /// How long --wait-replicas waits for the acknowledgements.
    #[arg(long, value_name = "DUR", default_value = "5s", value_parser = parse_positive_duration, requires = "wait_replicas", help_heading = "Durability")]
    pub wait_timeout: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeekFrom {
    /// Start at the element the next consumer will take.
    Oldest,
    /// Start at the element pushed last.
    Newest,
}

#[derive(Debug, Args)]
pub struct PeekArgs {
    /// How many elements to show.
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Which end to start from.
    #[arg(long, value_enum, default_value_t = PeekFrom::Oldest)]
    pub from: PeekFrom,
    /// Which list to look at.
    #[arg(long, value_enum, default_value_t = ListName::Main)]
    pub list: ListName,
    /// Skip the first N elements from --from's end (page through a long list: --offset 10,
    /// --offset 20, ...).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: u64,
    /// SQS: really receive the messages to show them (SQS has no peek). Each is received with
    /// visibility 0 (it stays available), but every receive counts toward the redrive policy's
    /// maxReceiveCount: a message near it may be dead-lettered by this look.
    #[arg(long)]
    pub receive: bool,
    /// Only the message with this message_id (mint: or this idempotency_key) (repeatable).
    #[arg(long = "id", value_name = "ID", help_heading = "Filters")]
    pub ids: Vec<String>,
    /// Only messages whose payload field KEY equals VALUE (mint: the request's field);
    /// repeatable, as `dlq list --match`: KEY may be a dotted path, values of one key are
    /// alternatives, numbers compare by value. Scans the list page by page (after --offset)
    /// until --limit messages match.
    #[arg(long = "match", value_name = "KEY=VALUE", value_parser = parse_key_value, help_heading = "Filters")]
    pub matches: Vec<(String, String)>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue depth
  hokusai-queue depth -o prometheus > /var/lib/node_exporter/textfile/hokusai.prom
  hokusai-queue depth --fail-above 1000 --max-age 10m --dlq-fail-above 0   # exit 5 when tripped
  hokusai-queue depth --watch 2s
  hokusai-queue depth --all-queues --match 'hokusai:*'
  hokusai-queue depth --all-queues -o plain --no-headers | awk '$3 > 100 {print $1}'")]
pub struct DepthArgs {
    /// Redraw every DUR until interrupted (default 2s when given without a value).
    #[arg(long, value_name = "DUR", num_args = 0..=1, default_missing_value = "2s", value_parser = parse_watch)]
    pub watch: Option<Duration>,
    /// Exit 5 when the main list holds more than N messages.
    #[arg(long, value_name = "N")]
    pub fail_above: Option<u64>,
    /// Exit 5 when the oldest message in the main list is older than DUR.
    #[arg(long, value_name = "DUR", value_parser = parse_duration)]
    pub max_age: Option<Duration>,
    /// Exit 5 when the dead-letter list holds more than N entries.
    #[arg(long, value_name = "N")]
    pub dlq_fail_above: Option<u64>,
    /// Every queue on the server (SCAN for lists and their :processing/:dlq/:retry/:leases
    /// keys), one row each. Derived keys use the default names.
    #[arg(long)]
    pub all_queues: bool,
    /// With --all-queues: only queue keys matching this glob.
    #[arg(long, value_name = "GLOB", default_value = "*", requires = "all_queues")]
    pub r#match: String,
    /// With -o prometheus: write the text to FILE atomically (a temporary file in the same
    /// directory, then renamed) for node_exporter's textfile collector; with --watch, rewrite it
    /// each round. Nothing goes to stdout.
    #[arg(long, value_name = "FILE")]
    pub textfile: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue exporter                                   # the configured queue, on 127.0.0.1:10379
  hokusai-queue exporter -q hokusai:model_ready_queue -q hokusai:mint_requests
  hokusai-queue exporter --all-queues --match 'hokusai:*' --listen 0.0.0.0:10379

Repeat --queue (-q) to watch several queues, each with its profile. GET /metrics answers the Prometheus text format (OpenMetrics 1.0.0 when the Accept header asks for
application/openmetrics-text); GET /healthz answers 200 while the exporter runs. A scrape that
cannot reach Redis still answers 200, with hokusai_queue_up 0; the next scrape reconnects.
SIGINT/SIGTERM: stop listening and exit 0.")]
pub struct ExporterArgs {
    /// Address and port to listen on (the port is not in Prometheus' allocation list; README).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:10379")]
    pub listen: std::net::SocketAddr,
    /// Watch every queue on the server (as `depth --all-queues`; found again every 60s) instead
    /// of the --queue ones.
    #[arg(long)]
    pub all_queues: bool,
    /// With --all-queues: only queue keys matching this glob.
    #[arg(long, value_name = "GLOB", default_value = "*", requires = "all_queues")]
    pub r#match: String,
    /// Serve scrapes that come within DUR of the last read from that read: many scrapers cost
    /// Redis nothing more.
    #[arg(long, value_name = "DUR", default_value = "1s", value_parser = parse_min_interval)]
    pub min_interval: Duration,
    /// Connections reading queues at once (each scrape reads each queue in one round trip).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub connections: u16,
    /// Longest a scrape waits for one Redis reply before answering `hokusai_queue_up 0`: under
    /// Prometheus' scrape timeout (10s by default), so a hung Redis is reported, not a failed
    /// scrape. The global --command-timeout does not apply to scrapes.
    #[arg(long, value_name = "DUR", default_value = "5s", value_parser = parse_timeout)]
    pub scrape_timeout: Duration,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue drain > backup.jsonl                  # empty the queue into a file, safely
  hokusai-queue drain --exec './deploy.sh' --follow   # envelope on the handler's stdin
  hokusai-queue drain --exec 'python handle.py' --handler-timeout 2m --max 100

A message is acknowledged only once delivered: its line flushed to a file or terminal, taken by
the reader of a pipe (a reader that stops early costs at most what it took; the rest goes back in
order), or its handler exited 0. A failed attempt (non-zero exit, signal, --handler-timeout) is
retried later with exponential backoff and full jitter (envelope: retry_count + 1; mint: the
deployer's retry member with _retryCount + 1); once retries are spent the message is
dead-lettered with the reason. The handler's output goes to drain's stderr, secrets scrubbed;
it never sees the connection's secrets, and dies with drain. Exit 1 when any attempt failed.
SIGINT/SIGTERM: stop taking messages, let the running handlers finish (a second signal kills
them and schedules their retries), print the summary, exit 130/143.

--concurrency N runs up to N handlers at once, each message leased, heartbeated and settled on
its own; messages in flight at the same time finish in no particular order.
--exec-stream CMD starts CMD once (N times with --concurrency) and keeps it: one message per line
on its stdin, and for the Nth line it read it answers `ok N`, `retry N REASON` or `dead N REASON`
on its stdout (README: \"Stream handlers\").")]
#[command(group(clap::ArgGroup::new("handler").args(["exec", "exec_stream"])))]
pub struct DrainArgs {
    /// Handler run through `sh -c` once per message, with the envelope on stdin and
    /// HOKUSAI_MESSAGE_ID, HOKUSAI_MESSAGE_TYPE, HOKUSAI_RETRY_COUNT in its environment.
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,

    /// Long-lived handler run through `sh -c` and kept: messages one per line on its stdin, one
    /// answer line per message on its stdout: `ok N`, `retry N REASON`, `dead N REASON`, N
    /// counting the lines it was sent from 1 (README: "Stream handlers").
    #[arg(long, value_name = "CMD")]
    pub exec_stream: Option<String>,

    /// Up to N handlers at once (--exec: N processes, one message each; --exec-stream: N
    /// long-lived handlers). No order across messages in flight together.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=256), requires = "handler")]
    pub concurrency: u32,

    /// --exec-stream: lines sent to each handler ahead of its answers.
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1024), requires = "exec_stream", conflicts_with = "exec")]
    pub window: u32,

    /// Kill a handler running longer than DUR on one message (counts as a failed attempt);
    /// --exec-stream: a handler with messages in flight that gives no answer for DUR.
    #[arg(long, value_name = "DUR", value_parser = parse_handler_timeout, requires = "handler")]
    pub handler_timeout: Option<Duration>,

    /// First retry delay; it doubles with each retry, with full jitter.
    #[arg(long, value_name = "DUR", default_value = "1s", value_parser = parse_retry_delay)]
    pub retry_base: Duration,

    /// Longest retry delay [default: 30s, or --retry-base when that is longer].
    #[arg(long, value_name = "DUR", value_parser = parse_retry_delay)]
    pub retry_cap: Option<Duration>,

    /// When the queue is empty, wait up to DUR for more before stopping.
    #[arg(long, value_name = "DUR", value_parser = parse_drain_wait, conflicts_with = "follow")]
    pub wait: Option<Duration>,

    /// Run until interrupted, waiting for new messages.
    #[arg(long)]
    pub follow: bool,

    /// Stop after taking N messages.
    #[arg(long, value_name = "N")]
    pub max: Option<u64>,

    /// Messages claimed per round trip when no --exec is given.
    #[arg(long, value_name = "N", default_value_t = 250, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub batch: u32,

    /// How long a claimed message stays leased without a heartbeat before `reap-stale` may
    /// return it to the queue. A running handler's lease is extended every third of it.
    #[arg(long, value_name = "DUR", default_value = "5m", value_parser = parse_visibility)]
    pub visibility_timeout: Duration,

    /// Dead-letter elements larger than SIZE (bytes, or with KiB / MiB) instead of handling them.
    #[arg(long, value_name = "SIZE", default_value = "4MiB", value_parser = parse_size)]
    pub max_message_bytes: usize,
}

impl DrainArgs {
    /// The longest retry delay: `--retry-cap`, else 30 s or `--retry-base` when that is longer
    /// (`--retry-base 1h` alone means delays of up to an hour, not a silent 30 s). A cap below
    /// the base is refused.
    pub fn retry_cap(&self) -> Result<Duration, String> {
        const DEFAULT_CAP: Duration = Duration::from_secs(30);
        match self.retry_cap {
            None => Ok(self.retry_base.max(DEFAULT_CAP)),
            Some(cap) if cap < self.retry_base => Err(format!(
                "--retry-cap {} is shorter than --retry-base {}: raise --retry-cap or lower --retry-base",
                humantime::format_duration(cap),
                humantime::format_duration(self.retry_base)
            )),
            Some(cap) => Ok(cap),
        }
    }
}

#[derive(Debug, Args)]
#[command(after_help = "Envelope: processing elements whose lease expired (their consumer died) go back to the
front of the main queue with retry_count + 1, or to the DLQ once retries are exhausted. Elements
with no lease (taken by a consumer that does not write leases, like the platform's own) get one
now and are reclaimed once they have been in processing longer than --visibility-timeout. A lease
a live consumer extends is never taken over. Due delayed retries are promoted to the main queue.
Mint: stale elements go back to the inbound head byte for byte, or are removed when their
idempotency key already settled; --promote-retries promotes the deployer's due retries.
Opaque: stale elements go back to the front as they are.")]
pub struct ReapArgs {
    /// How long an unleased processing element may stay before it is reclaimed [default: 5m;
    /// mint: 15m, long enough for an on-chain confirmation].
    #[arg(long, value_name = "DUR", value_parser = parse_visibility)]
    pub visibility_timeout: Option<Duration>,

    /// Mint: also promote due members of the deployer's retry set, as its consumers do (each
    /// moved whole, exactly once). Envelope queues always promote the tool's own retries.
    #[arg(long)]
    pub promote_retries: bool,

    /// Mint: a request reclaimed this many times already (it crashes or hangs whoever takes it)
    /// is dead-lettered instead, in the deployer's shape: a reclaim counts as an attempt.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub max_reclaims: u32,

    /// Show what would move; move nothing and start no clocks.
    #[arg(long)]
    pub dry_run: bool,

    /// Repeat every DUR until interrupted (default 30s when given without a value).
    #[arg(long, value_name = "DUR", num_args = 0..=1, default_missing_value = "30s", value_parser = parse_watch)]
    pub watch: Option<Duration>,
}

#[derive(Debug, Args)]
#[command(after_help = "Checks: server version (>= 6.0.6) and the commands the tool sends; the type of every queue key;
persistence (AOF / RDB); maxmemory-policy (anything but noeviction can evict queue keys: WARN);
replicas; the ACL user's permissions per subcommand (probed inside a MULTI that is discarded:
nothing is written); in cluster mode, whether the queue's keys share a slot.
Exit 0 when nothing FAILs (WARNs included), 1 on any FAIL, 3 when Redis cannot be reached.")]
pub struct DoctorArgs {}

#[derive(Debug, Subcommand)]
pub enum DlqCommand {
    /// Show dead-letter entries (every shape: wrapped, bare envelope, raw bytes), oldest first.
    /// Mint: with the official tool's index (#0 = newest) and failure tag.
    List(DlqListArgs),
    /// Mint only: one entry in full, its mint record, processed flag, deadline, validity and
    /// what a replay would do. Reads only.
    Inspect(DlqInspectArgs),
    /// Move matching entries back to their original queue (or --to), unwrapped, retry_count 0.
    /// Mint: back onto the inbound list as the deployer's validator leaves them, audited.
    Replay(DlqReplayArgs),
    /// Mint only: remove matching entries for good, each with an audit record (--reason).
    Discard(DlqDiscardArgs),
    /// Delete matching entries, after writing them to --export FILE when given (mint: audited,
    /// --reason required).
    Purge(DlqPurgeArgs),
    /// Put the entries of a `dlq purge --export` file back into the DLQ, byte for byte.
    Import(DlqImportArgs),
}

/// Which dead-letter entries a command applies to. Filters combine with AND; repeated --id or
/// --match values of one key combine with OR.
#[derive(Debug, Args, Clone, Default)]
pub struct DlqFilter {
    /// Only the entry with this message_id (repeatable).
    #[arg(long = "id", value_name = "MESSAGE_ID", help_heading = "Filters")]
    pub ids: Vec<String>,
    /// Only entries whose payload field KEY equals VALUE (repeatable; KEY may be a dotted path,
    /// e.g. tags.team=ml). Numbers and booleans compare by value.
    #[arg(long = "match", value_name = "KEY=VALUE", value_parser = parse_key_value, help_heading = "Filters")]
    pub matches: Vec<(String, String)>,
    /// Only entries whose error contains TEXT (case-insensitive).
    #[arg(long, value_name = "TEXT", help_heading = "Filters")]
    pub error: Option<String>,
    /// Only entries that failed more than DUR ago (failed_at, else the envelope timestamp;
    /// measured on the Redis server's clock).
    #[arg(long, value_name = "DUR", value_parser = parse_duration, help_heading = "Filters")]
    pub older_than: Option<Duration>,
    /// Only entries that failed less than DUR ago.
    #[arg(long, value_name = "DUR", value_parser = parse_duration, help_heading = "Filters")]
    pub newer_than: Option<Duration>,
    /// Only entries of this shape.
    #[arg(long, value_enum, value_name = "SHAPE", help_heading = "Filters")]
    pub shape: Option<EntryShape>,
    /// Mint only: entries with this failure tag (repeatable; the official DLQ tool's tags;
    /// entries it cannot parse count as schema_reject).
    #[arg(long = "class", value_enum, value_name = "TAG", help_heading = "Filters")]
    pub classes: Vec<crate::queue::mint::FailureTag>,
    /// At most N matching entries (the oldest first).
    #[arg(long, value_name = "N", help_heading = "Filters")]
    pub limit: Option<u64>,
}

/// The shape of a dead-letter entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EntryShape {
    /// The platform's wrapper {original_message, error, failed_at, original_queue}.
    Wrapped,
    /// A bare envelope (JSON object with a message_id).
    Envelope,
    /// JSON that is not an envelope (no message_id, an array, ...).
    Json,
    /// Not JSON, or not UTF-8.
    Raw,
}

/// Confirmation and pacing shared by the commands that change the DLQ.
#[derive(Debug, Args, Clone, Copy)]
pub struct DlqWriteArgs {
    /// Do it without asking (required when stdin or stderr is not a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Show what would happen; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Entries per atomic script call (each call holds Redis for about a millisecond at 100).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub batch_size: u32,
    /// At most N entries per second, from the first one (spares the consumers downstream of a
    /// replay, and Redis).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate: Option<u32>,
    #[command(flatten)]
    pub durability: DurabilityArgs,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue dlq list
  hokusai-queue dlq list --match token_symbol=msg-ai --error timeout --older-than 1h
  hokusai-queue dlq list -o jsonl > dlq.jsonl      # every entry, streamed

Position 0 is the oldest entry (the first a replay takes). The table shows the first 100 matches
unless --limit is given; -o json / jsonl stream every match in bounded memory.

Mint (hokusai:mint_requests): each entry also shows the official tool's index (#0 = the newest,
as `npm run dlq -- list` numbers them), its failure tag (--class) and the request's fields; --id
matches the message_id or the idempotency_key, --match the request's fields, --error the reason.")]
pub struct DlqListArgs {
    #[command(flatten)]
    pub filter: DlqFilter,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue dlq replay --dry-run
  hokusai-queue dlq replay --id 550e8400-e29b-41d4-a716-446655440000 --yes
  hokusai-queue dlq replay --match token_symbol=msg-ai --limit 10 --yes   # a few first
  hokusai-queue dlq replay --error 'connection refused' --rate 50 --yes

Each entry goes to its original_queue (bare envelopes: --queue), unless --to is given, as the
envelope alone with retry_count 0. Every entry is moved by one atomic step that first checks it is
still in the DLQ; one that is gone (another operator got it) is counted, never pushed. A counter
per message_id (the --replays-key hash) refuses a message replayed --max-replays times already.
An envelope is never pushed onto a queue with the mint profile (hokusai:mint_requests).
Without --yes on a non-terminal: exit 2, nothing moved.

Mint (hokusai:mint_requests): the request goes back onto the inbound list as the deployer's
validator converts it, without _retryCount, with the official audit record, in one atomic step
that pushes only if it removed the exact entry. Refused: entries the official tool cannot parse,
signer_not_attester (a security event: always), requests the validator rejects; unless --force,
keys already in the processed set and passed deadlines; outcome_unknown unless
--confirm-not-minted (check the chain first). Exit 1 when every matching entry was refused.")]
pub struct DlqReplayArgs {
    #[command(flatten)]
    pub filter: DlqFilter,
    /// Push onto this queue instead of each entry's original_queue (not for mint).
    #[arg(long, value_name = "QUEUE")]
    pub to: Option<String>,
    /// Keep the envelope's retry_count instead of resetting it to 0.
    #[arg(long)]
    pub keep_retry_count: bool,
    /// Also replay entries that are not envelopes (raw bytes, other JSON), unchanged, onto a
    /// queue of another profile (--to): never onto an envelope or mint queue.
    #[arg(long)]
    pub include_raw: bool,
    /// Refuse a message already replayed N times (a poison message cannot cycle forever)
    /// [default: 3]. Not for mint: the deployer's DLQ keeps no replay count (the audit list
    /// records each replay).
    #[arg(long, value_name = "N")]
    pub max_replays: Option<u64>,
    /// Replay even messages past --max-replays (mint: even a key in the processed set or a
    /// passed deadline; never signer_not_attester).
    #[arg(long)]
    pub force: bool,
    /// Mint: also replay outcome_unknown entries (the transaction may have minted: check
    /// processedIdempotencyKeys on-chain first).
    #[arg(long)]
    pub confirm_not_minted: bool,
    #[command(flatten)]
    pub write: DlqWriteArgs,
}

impl DlqReplayArgs {
    /// `--max-replays`, or its default 3.
    pub fn max_replays(&self) -> u64 {
        self.max_replays.unwrap_or(3)
    }
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue -q hokusai:mint_requests dlq inspect '#0'      # the newest entry
  hokusai-queue -q hokusai:mint_requests dlq inspect 0x427c...8603 -o json

ID is an index as the official tool numbers entries (#n or n, #0 = the newest), an idempotency
key or a message_id. When several entries match a key, they are listed and the command exits 1:
inspect one by its index.")]
pub struct DlqInspectArgs {
    /// #n / n (index, 0 = newest), an idempotency key, or a message_id.
    #[arg(value_name = "ID")]
    pub id: String,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue -q hokusai:mint_requests dlq discard --id 0x427c...8603 --reason 'superseded by eval-2' --dry-run
  hokusai-queue -q hokusai:mint_requests dlq discard --class schema_reject --reason 'bad producer build' --yes

Each entry is removed (LREM of its exact bytes) and its audit record pushed in one atomic step,
only if it was still there. With --export, entries are appended to FILE (the `dlq purge --export`
format) and fsynced first. Without --yes on a non-terminal: exit 2, nothing removed.")]
pub struct DlqDiscardArgs {
    #[command(flatten)]
    pub filter: DlqFilter,
    /// Why (required, recorded in every audit record).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Append each entry to FILE (JSON lines, byte-exact) and fsync before removing it.
    #[arg(long, value_name = "FILE")]
    pub export: Option<PathBuf>,
    #[command(flatten)]
    pub write: DlqWriteArgs,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue dlq purge --dry-run --older-than 30d
  hokusai-queue dlq purge --older-than 30d --export dlq-archive.jsonl --yes
  hokusai-queue dlq import dlq-archive.jsonl --yes     # undo

With --export, every entry is appended to FILE and the file fsynced before that entry is deleted.
Mint: as `dlq discard`, --reason required, an audit record for every entry deleted.
Without --yes on a non-terminal: exit 2, nothing deleted.")]
pub struct DlqPurgeArgs {
    #[command(flatten)]
    pub filter: DlqFilter,
    /// Append each entry to FILE (JSON lines, byte-exact) and fsync before deleting it.
    #[arg(long, value_name = "FILE")]
    pub export: Option<PathBuf>,
    /// Mint: why (required there; recorded in the audit record of every entry deleted).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    #[command(flatten)]
    pub write: DlqWriteArgs,
}

#[derive(Debug, Args)]
#[command(after_help = "Entries go back on the DLQ's newest end in the file's order, byte for byte. Progress is kept
per export in Redis (<queue>:hokusai-queue:import:<export_id>, for 30 days): importing the same file again, or
after an interruption, adds only what is not there yet.")]
pub struct DlqImportArgs {
    /// A file written by `dlq purge --export` (- for stdin is not accepted: it is read twice).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub write: DlqWriteArgs,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// The contexts of the config file: name, current (*), server (password hidden), queue, profile.
    #[command(after_help = CONFIG_FILE_HELP)]
    List,
    /// The settings a command would use (server, cluster, user, password, TLS CA, queue, profile)
    /// and where each comes from: flag, environment, context or default. Reads no secret.
    #[command(after_help = "Examples:
  hokusai-queue config show              # this invocation: flags, environment, the selected context
  hokusai-queue config show prod         # as with --context prod
  hokusai-queue --queue jobs config show -o json")]
    Show(ConfigShowArgs),
    /// Make NAME the current context: rewrites the `current = ...` line of the config file and
    /// nothing else (atomically: a temporary file renamed over it).
    Use(ConfigUseArgs),
    /// Create or change context NAME from the connection flags given with it: --redis-url (no
    /// password in it), --tls-ca-cert, --user, --password-file, --cluster, --queue, --profile.
    #[command(after_help = "Examples:
  hokusai-queue config set prod --redis-url rediss://master.abc.cache.amazonaws.com:6379 \\
      --user ops --password-file ~/.config/hokusai-queue/prod.password --queue hokusai:mint_requests
  hokusai-queue config set prod --queue hokusai:model_ready_queue   # change one value

Only values given as flags on this command line are written (environment variables are not).
Paths are saved absolute. Everything else in the file stays byte for byte.")]
    Set(ConfigSetArgs),
}

/// Where the config file is and what it holds (`config list --help`).
pub const CONFIG_FILE_HELP: &str = "The config file: $HOKUSAI_CONFIG, else $XDG_CONFIG_HOME/hokusai-queue/config.toml, else
~/.config/hokusai-queue/config.toml. TOML:

  current = \"prod\"
  [contexts.prod]
  redis_url = \"rediss://master.abc.cache.amazonaws.com:6379\"   # never a password here
  tls_ca_cert = \"/etc/ssl/redis-ca.pem\"
  user = \"ops\"
  password_file = \"prod.password\"     # relative paths: to the config file's directory
  cluster = false
  queue = \"hokusai:mint_requests\"
  profile = \"mint\"

Precedence: flag > environment variable > context > default. The context: --context NAME, else
$HOKUSAI_CONTEXT, else `current`.";

#[derive(Debug, Args)]
pub struct ConfigShowArgs {
    /// Show the settings as if --context NAME were given [default: this invocation's context].
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct ConfigUseArgs {
    /// The context to make current.
    #[arg(value_name = "NAME")]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct ConfigSetArgs {
    /// The context to create or change.
    #[arg(value_name = "NAME")]
    pub name: String,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue --sqs-queue-url https://sqs.us-east-1.amazonaws.com/123456789012/model-ready.fifo \\
      migrate --to sqs --dry-run
  hokusai-queue --sqs-queue-url URL migrate --to sqs --include-dlq
  hokusai-queue --sqs-queue-url URL migrate --to redis          # the way back")]
pub struct MigrateArgs {
    /// Which way: sqs (from the Redis queue of --redis-url/--queue to --sqs-queue-url) or redis
    /// (back from SQS to Redis).
    #[arg(long, value_enum, value_name = "BACKEND")]
    pub to: MigrateTo,

    /// Also move the dead letters, after the main queue: Redis's DLQ list to the DLQ of the SQS
    /// queue's RedrivePolicy, or back.
    #[arg(long)]
    pub include_dlq: bool,

    /// Say what would move, change nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Messages taken from the source per step (sent 10 a call to SQS).
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub batch: u32,

    /// How long a taken batch stays leased (Redis) or invisible (SQS) on the source: after a
    /// crash, the rerun takes it again once this has passed.
    #[arg(long, value_name = "DUR", default_value = "30s", value_parser = parse_visibility)]
    pub visibility_timeout: Duration,

    /// SQS FIFO target: the MessageGroupId of every message [default: the payload's model_id
    /// (envelope), the request's model_id (mint), else hokusai-queue].
    #[arg(long, value_name = "ID")]
    pub group_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MigrateTo {
    /// Redis -> SQS.
    Sqs,
    /// SQS -> Redis (the way back).
    Redis,
}

#[derive(Debug, Args)]
#[command(after_help = "Keys: Up/Down or j/k select, Enter open, Esc or Backspace back, Tab or 1-4 pick a list,
r refresh now, + / - refresh slower / faster, ? help, q or Ctrl-C quit. With --allow-writes:
R replays the selected dead letter, u requeues the selected message (processing or retry), each
after a y/N question. Needs a terminal; for a log or a pipe use `depth --all-queues --watch`.")]
pub struct TopArgs {
    /// Time between refreshes (+ and - change it while running).
    #[arg(long, value_name = "DUR", default_value = "2s", value_parser = parse_watch)]
    pub interval: Duration,
    /// Only queue keys matching this glob.
    #[arg(long, value_name = "GLOB", default_value = "*")]
    pub r#match: String,
    /// Allow replaying one dead letter or requeueing one message (each asked y/N first).
    #[arg(long)]
    pub allow_writes: bool,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Where to write completions/ and man/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out_dir: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum MessageCommand {
    /// Find a message by id and show it whole: where it is (key, position, due time, lease),
    /// every byte, the profile's fields. Reads only.
    Inspect(MessageInspectArgs),
    /// Remove a message from main, processing, retry or the DLQ (mint: audited, --reason
    /// required).
    Delete(MessageDeleteArgs),
    /// Move a message from main, processing or retry to the DLQ, in the profile's dead-letter
    /// shape.
    DeadLetter(MessageDeadLetterArgs),
    /// Move a message from retry or processing back to main (mint: its newest end).
    Requeue(MessageRequeueArgs),
}

/// Which message: its id, and where to look.
#[derive(Debug, Args, Clone)]
pub struct MessageTarget {
    /// The message_id (mint: or the idempotency_key). Opaque queues: `inspect` only, any
    /// substring of the stored bytes.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Look only here (repeatable) [default: main, processing, retry and dlq].
    #[arg(long = "in", value_enum, value_name = "PLACE")]
    pub places: Vec<ListName>,
    /// Of several matches, only the one at this position (as listed: from the consumer end;
    /// retry: soonest due first).
    #[arg(long, value_name = "N")]
    pub position: Option<u64>,
}

/// Confirmation shared by the commands that change a message.
#[derive(Debug, Args, Clone, Copy)]
pub struct MessageWriteArgs {
    /// Do it without asking (required when stdin or stderr is not a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Show what would happen; change nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub durability: DurabilityArgs,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue message inspect 550e8400-e29b-41d4-a716-446655440000
  hokusai-queue message inspect 550e8400-e29b-41d4-a716-446655440000 --in processing -o json
  hokusai-queue -q hokusai:mint_requests msg inspect 0x427c...8603   # or its message_id
  hokusai-queue -q jobs message inspect 'order-17'   # opaque: a substring of the bytes

Searches main, processing, the retry set and the DLQ (--in narrows it) in pages of 1,000 per round
trip, and shows every match: its key and position (lists: 0 = the next a consumer takes; DLQ: 0 =
the oldest; retry: soonest due first, with the due time), a processing element's lease (its
deadline on the server's clock, and whether a consumer may still hold it), the stored bytes whole
(JSON indented with every token kept; other bytes as \\xNN text and base64) and the profile's
fields. Exit 1 when nothing matches.")]
pub struct MessageInspectArgs {
    #[command(flatten)]
    pub target: MessageTarget,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue message delete 550e8400-e29b-41d4-a716-446655440000 --dry-run
  hokusai-queue message delete 550e8400-e29b-41d4-a716-446655440000 --in retry --yes
  hokusai-queue -q hokusai:mint_requests msg delete 0x427c...8603 --reason 'superseded' --yes

Removes one copy of the exact bytes found, in one step that first checks they are still there
(else: gone, exit 1, nothing done). From processing only when its lease has expired (a consumer
may hold it and would still act on it): --force otherwise; its lease goes with the last copy.
Mint: an audit record like the official tool's discard (action \"discard\"; dlq_entry: the DLQ
entry, or for a request deleted from main, processing or retry that request in the deployer's
dead-letter shape) is pushed onto the audit list in the same step. Several matches: listed, exit
1 (narrow with --in or --position). Without --yes: a prompt on a terminal, else exit 2;
answering no exits 2 too.")]
pub struct MessageDeleteArgs {
    #[command(flatten)]
    pub target: MessageTarget,
    /// Mint: why (required there; recorded in the audit record).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// Delete from processing even though a consumer may hold it (a live lease, or none).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub write: MessageWriteArgs,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue message dead-letter 550e8400-e29b-41d4-a716-446655440000 --reason 'poison' --yes
  hokusai-queue -q hokusai:mint_requests msg dead-letter 0x427c...8603 --in retry --reason 'x' --yes

Envelope: the platform's wrapper {original_message, error, failed_at, original_queue} (bytes that
are not UTF-8 go bare); mint: the deployer's entry with failureClass \"permanent\" and reason
--reason. A retry member of the tool's own format is dead-lettered as the element inside it. The
entry is pushed onto the DLQ and the message removed in one step that first checks it is still
there. From processing only when its lease has expired (a consumer may hold it): --force
otherwise. A message already in the DLQ is refused (exit 2).")]
pub struct MessageDeadLetterArgs {
    #[command(flatten)]
    pub target: MessageTarget,
    /// Why (the dead letter's error / reason).
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Take it out of processing even though a consumer may hold it (a live lease, or none).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub write: MessageWriteArgs,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  hokusai-queue message requeue 550e8400-e29b-41d4-a716-446655440000 --dry-run
  hokusai-queue message requeue 550e8400-e29b-41d4-a716-446655440000 --in processing --force --yes
  hokusai-queue -q hokusai:mint_requests msg requeue 0x427c...8603 --yes   # a retry, due now

Moves the message to main in one step that first checks it is still there: envelope and
opaque, to the consumer end (RPUSH: the next one taken); mint, to the newest end (LPUSH, the
only push the deployer's inbound list takes, as its own retry promotion does: taken after
those already waiting). From the retry set: envelope, the element inside the tool's member;
mint, the deployer's member whole (with its _retryCount), as the deployer promotes it.
From processing: the exact bytes, only when the lease has expired (--force otherwise: a live
consumer may be working on it). A DLQ entry is refused (exit 2): use `dlq replay --id ID`. A
message already in main is refused too (exit 2).")]
pub struct MessageRequeueArgs {
    #[command(flatten)]
    pub target: MessageTarget,
    /// Take it out of processing even though a consumer may hold it (a live lease, or none).
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub write: MessageWriteArgs,
}

/// Reads a duration like `10ms`, `1s`, `5m`, `1h30m`.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    humantime::parse_duration(s).map_err(|e| format!("{e} (write durations like 10ms, 1s, 5m)"))
}

/// A duration within `min..=max`; the error names the range. Zero and absurd values are usage
/// errors: `--watch 0s` would spin, and a year-long timeout overflows the clock arithmetic.
fn duration_in(s: &str, min: Duration, max: Duration) -> Result<Duration, String> {
    let d = parse_duration(s)?;
    if d < min || d > max {
        let show = |d: Duration| humantime::format_duration(d).to_string();
        return Err(format!("{s} is out of range: give a duration from {} to {}", show(min), show(max)));
    }
    Ok(d)
}

const MS: Duration = Duration::from_millis(1);
const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(86_400);

/// `--connect-timeout`, `--command-timeout`: 10ms to 1h.
fn parse_timeout(s: &str) -> Result<Duration, String> {
    duration_in(s, 10 * MS, HOUR)
}

/// `exporter --min-interval`: 0 (no cache) to 1h.
fn parse_min_interval(s: &str) -> Result<Duration, String> {
    duration_in(s, Duration::ZERO, HOUR)
}

/// `--watch` (depth, reap-stale): 100ms to 1d between rounds.
fn parse_watch(s: &str) -> Result<Duration, String> {
    duration_in(s, 100 * MS, DAY)
}

/// `--visibility-timeout`: 10ms (tests) to 7d.
fn parse_visibility(s: &str) -> Result<Duration, String> {
    duration_in(s, 10 * MS, 7 * DAY)
}

/// `--handler-timeout`: 10ms to 30d.
fn parse_handler_timeout(s: &str) -> Result<Duration, String> {
    duration_in(s, 10 * MS, 30 * DAY)
}

/// Retry delays (`--retry-base/-cap`, `--connect-backoff-base/-cap`): 1ms to 1d.
fn parse_retry_delay(s: &str) -> Result<Duration, String> {
    duration_in(s, MS, DAY)
}

/// `drain --wait`: 0 (do not wait) to 1d.
fn parse_drain_wait(s: &str) -> Result<Duration, String> {
    duration_in(s, Duration::ZERO, DAY)
}

/// `--wait-timeout`: 1ms to 1d (never 0: Redis `WAIT n 0` would block forever).
fn parse_positive_duration(s: &str) -> Result<Duration, String> {
    duration_in(s, MS, DAY)
}

/// A byte size: `4194304`, `512KiB`, `4MiB` (K, KB, KiB and M, MB, MiB all count in 1024s).
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let bad = || format!("{s:?} is not a size: write bytes (4194304) or 512KiB / 4MiB");
    if digits == 0 {
        return Err(bad());
    }
    let n: u64 = t[..digits].parse().map_err(|_| bad())?;
    let unit: u64 = match t[digits..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1024,
        "m" | "mb" | "mib" => 1024 * 1024,
        _ => return Err(bad()),
    };
    let bytes = n.checked_mul(unit).ok_or_else(bad)?;
    if bytes == 0 || bytes > 512 * 1024 * 1024 {
        return Err(format!("{s:?} is out of range: between 1 byte and 512MiB"));
    }
    Ok(bytes as usize)
}

fn parse_number(s: &str) -> Result<serde_json::Number, String> {
    match serde_json::from_str::<serde_json::Value>(s.trim()) {
        Ok(serde_json::Value::Number(n)) => Ok(n),
        _ => Err("expected a number like 0.85".into()),
    }
}

fn parse_key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err("expected KEY=VALUE".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4MiB"), Ok(4 * 1024 * 1024));
        assert_eq!(parse_size("512k"), Ok(512 * 1024));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("0").is_err());
        assert!(parse_size("1GiB").is_err());
        assert!(parse_size("99999999999999999999").is_err());
        assert!(parse_size("MiB").is_err());
    }

    #[test]
    fn global_flags_after_subcommand() {
        let cli = Cli::try_parse_from(["hokusai-queue", "depth", "--queue", "q", "-o", "json"]).unwrap();
        assert_eq!(cli.global.queue, ["q"]);
        assert_eq!(cli.global.output, OutputFormat::Json);
    }
}
