
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'hokusai-queue' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'hokusai-queue'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'hokusai-queue' {
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (and its AUTH/HELLO handshake)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one Redis reply (blocking reads add their block time to this)')
            [CompletionResult]::new('--connect-retries', '--connect-retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection before giving up with exit code 3')
            [CompletionResult]::new('--connect-backoff-base', '--connect-backoff-base', [CompletionResultType]::ParameterName, 'First delay between connection retries; it doubles each time (with full jitter)')
            [CompletionResult]::new('--connect-backoff-cap', '--connect-backoff-cap', [CompletionResultType]::ParameterName, 'Longest delay between connection retries')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--processing-key', '--processing-key', [CompletionResultType]::ParameterName, 'Processing list key [default: <queue>:processing]')
            [CompletionResult]::new('--dlq-key', '--dlq-key', [CompletionResultType]::ParameterName, 'Dead-letter list key [default: <queue>:dlq]')
            [CompletionResult]::new('--pubsub-channel', '--pubsub-channel', [CompletionResultType]::ParameterName, 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]')
            [CompletionResult]::new('--leases-key', '--leases-key', [CompletionResultType]::ParameterName, 'Lease sorted-set key [default: <queue>:leases]')
            [CompletionResult]::new('--retry-key', '--retry-key', [CompletionResultType]::ParameterName, 'Delayed-retry sorted-set key [default: <queue>:retry]')
            [CompletionResult]::new('--replays-key', '--replays-key', [CompletionResultType]::ParameterName, 'DLQ replay-counter hash key [default: <queue>:replays]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('emit', 'emit', [CompletionResultType]::ParameterValue, 'Push messages onto the queue, validated like the platform''s producer')
            [CompletionResult]::new('peek', 'peek', [CompletionResultType]::ParameterValue, 'Show messages without consuming or changing them')
            [CompletionResult]::new('depth', 'depth', [CompletionResultType]::ParameterValue, 'Show the queue''s depth and the age of its oldest message; health gates for probes')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Consume messages reliably: to stdout, or through a handler command with retries')
            [CompletionResult]::new('reap-stale', 'reap-stale', [CompletionResultType]::ParameterValue, 'Return messages of crashed consumers (expired leases) to the queue; promote due retries')
            [CompletionResult]::new('dlq', 'dlq', [CompletionResultType]::ParameterValue, 'Recover the dead-letter queue: list, replay, purge (with export) and import entries')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the server, the queue''s keys, persistence, eviction, replicas and ACL permissions: OK / WARN / FAIL with the fix. Reads only; exit 1 on any FAIL')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write completions and man pages (for maintainers; `generate --out-dir .`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hokusai-queue;emit' {
            [CompletionResult]::new('--model-id', '--model-id', [CompletionResultType]::ParameterName, 'payload.model_id (required unless --payload or --file)')
            [CompletionResult]::new('--token-symbol', '--token-symbol', [CompletionResultType]::ParameterName, 'payload.token_symbol: ^[a-z0-9-]+$, 1-64 characters')
            [CompletionResult]::new('--metric-name', '--metric-name', [CompletionResultType]::ParameterName, 'payload.metric_name')
            [CompletionResult]::new('--baseline-value', '--baseline-value', [CompletionResultType]::ParameterName, 'payload.baseline_value (a number)')
            [CompletionResult]::new('--current-value', '--current-value', [CompletionResultType]::ParameterName, 'payload.current_value (a number)')
            [CompletionResult]::new('--model-name', '--model-name', [CompletionResultType]::ParameterName, 'payload.model_name')
            [CompletionResult]::new('--model-version', '--model-version', [CompletionResultType]::ParameterName, 'payload.model_version (a string, e.g. "3")')
            [CompletionResult]::new('--mlflow-run-id', '--mlflow-run-id', [CompletionResultType]::ParameterName, 'payload.mlflow_run_id')
            [CompletionResult]::new('--proposal-identifier', '--proposal-identifier', [CompletionResultType]::ParameterName, 'payload.proposal_identifier [default: the token symbol]')
            [CompletionResult]::new('--improvement-percentage', '--improvement-percentage', [CompletionResultType]::ParameterName, 'payload.improvement_percentage [default: (current - baseline) / baseline * 100 when baseline > 0]')
            [CompletionResult]::new('--contributor-address', '--contributor-address', [CompletionResultType]::ParameterName, 'payload.contributor_address: ^0x[a-fA-F0-9]{40}$')
            [CompletionResult]::new('--experiment-name', '--experiment-name', [CompletionResultType]::ParameterName, 'payload.experiment_name')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'payload.tags entry (repeatable): --tag team=ml --tag env=staging')
            [CompletionResult]::new('--api-schema', '--api-schema', [CompletionResultType]::ParameterName, 'payload.api_schema (a JSON object)')
            [CompletionResult]::new('--eval-spec', '--eval-spec', [CompletionResultType]::ParameterName, 'payload.eval_spec')
            [CompletionResult]::new('--scorer-ref', '--scorer-ref', [CompletionResultType]::ParameterName, 'payload.scorer_ref')
            [CompletionResult]::new('--primary-metric', '--primary-metric', [CompletionResultType]::ParameterName, 'payload.primary_metric')
            [CompletionResult]::new('--benchmark-spec-id', '--benchmark-spec-id', [CompletionResultType]::ParameterName, 'payload.benchmark_spec_id')
            [CompletionResult]::new('--payload-timestamp', '--payload-timestamp', [CompletionResultType]::ParameterName, 'payload.timestamp (naive ISO, e.g. 2025-01-27T15:30:00.123456) [default: now, UTC]')
            [CompletionResult]::new('--payload', '--payload', [CompletionResultType]::ParameterName, 'The whole payload as JSON: inline, @FILE, or - for stdin')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Many messages: a JSON-lines file (or - for stdin), one payload object per line. Every line is validated before anything is pushed')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'With --file: skip the first N lines (to resume after a reported failure)')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'With --file: continue an interrupted run exactly after the last line that landed (RUN is the id its error printed; progress is kept in Redis for a day)')
            [CompletionResult]::new('--message-id', '--message-id', [CompletionResultType]::ParameterName, 'Envelope message_id (a UUID) [default: a new UUIDv4]')
            [CompletionResult]::new('--message-type', '--message-type', [CompletionResultType]::ParameterName, 'Envelope message_type. Only model_ready_to_deploy payloads are checked against the schema; others must be a JSON object')
            [CompletionResult]::new('--max-retries', '--max-retries', [CompletionResultType]::ParameterName, 'Envelope max_retries')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Messages per atomic round trip when pushing a file')
            [CompletionResult]::new('--max-message-bytes', '--max-message-bytes', [CompletionResultType]::ParameterName, 'Refuse a payload or line longer than SIZE (bytes, or with KiB / MiB), before buffering more of it. At most 512MiB (Redis''s own limit)')
            [CompletionResult]::new('--wait-replicas', '--wait-replicas', [CompletionResultType]::ParameterName, 'After each push, wait until N replicas have it (Redis WAIT); exit 1 when fewer acknowledge within --wait-timeout (the data is then on the primary only)')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long --wait-replicas waits for the acknowledgements')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (and its AUTH/HELLO handshake)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one Redis reply (blocking reads add their block time to this)')
            [CompletionResult]::new('--connect-retries', '--connect-retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection before giving up with exit code 3')
            [CompletionResult]::new('--connect-backoff-base', '--connect-backoff-base', [CompletionResultType]::ParameterName, 'First delay between connection retries; it doubles each time (with full jitter)')
            [CompletionResult]::new('--connect-backoff-cap', '--connect-backoff-cap', [CompletionResultType]::ParameterName, 'Longest delay between connection retries')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--processing-key', '--processing-key', [CompletionResultType]::ParameterName, 'Processing list key [default: <queue>:processing]')
            [CompletionResult]::new('--dlq-key', '--dlq-key', [CompletionResultType]::ParameterName, 'Dead-letter list key [default: <queue>:dlq]')
            [CompletionResult]::new('--pubsub-channel', '--pubsub-channel', [CompletionResultType]::ParameterName, 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]')
            [CompletionResult]::new('--leases-key', '--leases-key', [CompletionResultType]::ParameterName, 'Lease sorted-set key [default: <queue>:leases]')
            [CompletionResult]::new('--retry-key', '--retry-key', [CompletionResultType]::ParameterName, 'Delayed-retry sorted-set key [default: <queue>:retry]')
            [CompletionResult]::new('--replays-key', '--replays-key', [CompletionResultType]::ParameterName, 'DLQ replay-counter hash key [default: <queue>:replays]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--envelopes', '--envelopes', [CompletionResultType]::ParameterName, 'With --file: each line is a whole envelope, validated and pushed byte for byte')
            [CompletionResult]::new('--no-publish', '--no-publish', [CompletionResultType]::ParameterName, 'Do not PUBLISH the payload on the queue''s pub/sub channel after pushing')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hokusai-queue;peek' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many elements to show')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many elements to show')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Which end to start from')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'Which list to look at')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (and its AUTH/HELLO handshake)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one Redis reply (blocking reads add their block time to this)')
            [CompletionResult]::new('--connect-retries', '--connect-retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection before giving up with exit code 3')
            [CompletionResult]::new('--connect-backoff-base', '--connect-backoff-base', [CompletionResultType]::ParameterName, 'First delay between connection retries; it doubles each time (with full jitter)')
            [CompletionResult]::new('--connect-backoff-cap', '--connect-backoff-cap', [CompletionResultType]::ParameterName, 'Longest delay between connection retries')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--processing-key', '--processing-key', [CompletionResultType]::ParameterName, 'Processing list key [default: <queue>:processing]')
            [CompletionResult]::new('--dlq-key', '--dlq-key', [CompletionResultType]::ParameterName, 'Dead-letter list key [default: <queue>:dlq]')
            [CompletionResult]::new('--pubsub-channel', '--pubsub-channel', [CompletionResultType]::ParameterName, 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]')
            [CompletionResult]::new('--leases-key', '--leases-key', [CompletionResultType]::ParameterName, 'Lease sorted-set key [default: <queue>:leases]')
            [CompletionResult]::new('--retry-key', '--retry-key', [CompletionResultType]::ParameterName, 'Delayed-retry sorted-set key [default: <queue>:retry]')
            [CompletionResult]::new('--replays-key', '--replays-key', [CompletionResultType]::ParameterName, 'DLQ replay-counter hash key [default: <queue>:replays]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hokusai-queue;depth' {
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Redraw every DUR until interrupted (default 2s when given without a value)')
            [CompletionResult]::new('--fail-above', '--fail-above', [CompletionResultType]::ParameterName, 'Exit 5 when the main list holds more than N messages')
            [CompletionResult]::new('--max-age', '--max-age', [CompletionResultType]::ParameterName, 'Exit 5 when the oldest message in the main list is older than DUR')
            [CompletionResult]::new('--dlq-fail-above', '--dlq-fail-above', [CompletionResultType]::ParameterName, 'Exit 5 when the dead-letter list holds more than N entries')
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'With --all-queues: only queue keys matching this glob')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (and its AUTH/HELLO handshake)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one Redis reply (blocking reads add their block time to this)')
            [CompletionResult]::new('--connect-retries', '--connect-retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection before giving up with exit code 3')
            [CompletionResult]::new('--connect-backoff-base', '--connect-backoff-base', [CompletionResultType]::ParameterName, 'First delay between connection retries; it doubles each time (with full jitter)')
            [CompletionResult]::new('--connect-backoff-cap', '--connect-backoff-cap', [CompletionResultType]::ParameterName, 'Longest delay between connection retries')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--processing-key', '--processing-key', [CompletionResultType]::ParameterName, 'Processing list key [default: <queue>:processing]')
            [CompletionResult]::new('--dlq-key', '--dlq-key', [CompletionResultType]::ParameterName, 'Dead-letter list key [default: <queue>:dlq]')
            [CompletionResult]::new('--pubsub-channel', '--pubsub-channel', [CompletionResultType]::ParameterName, 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]')
            [CompletionResult]::new('--leases-key', '--leases-key', [CompletionResultType]::ParameterName, 'Lease sorted-set key [default: <queue>:leases]')
            [CompletionResult]::new('--retry-key', '--retry-key', [CompletionResultType]::ParameterName, 'Delayed-retry sorted-set key [default: <queue>:retry]')
            [CompletionResult]::new('--replays-key', '--replays-key', [CompletionResultType]::ParameterName, 'DLQ replay-counter hash key [default: <queue>:replays]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--all-queues', '--all-queues', [CompletionResultType]::ParameterName, 'Every queue on the server (SCAN for lists and their :processing/:dlq/:retry/:leases keys), one row each. Derived keys use the default names')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hokusai-queue;drain' {
            [CompletionResult]::new('--exec', '--exec', [CompletionResultType]::ParameterName, 'Handler run through `sh -c` once per message, with the envelope on stdin and HOKUSAI_MESSAGE_ID, HOKUSAI_MESSAGE_TYPE, HOKUSAI_RETRY_COUNT in its environment')
            [CompletionResult]::new('--handler-timeout', '--handler-timeout', [CompletionResultType]::ParameterName, 'Kill a handler running longer than DUR (counts as a failed attempt)')
            [CompletionResult]::new('--retry-base', '--retry-base', [CompletionResultType]::ParameterName, 'First retry delay; it doubles with each retry, with full jitter')
            [CompletionResult]::new('--retry-cap', '--retry-cap', [CompletionResultType]::ParameterName, 'Longest retry delay')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'When the queue is empty, wait up to DUR for more before stopping')
            [CompletionResult]::new('--max', '--max', [CompletionResultType]::ParameterName, 'Stop after taking N messages')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Messages claimed per round trip when no --exec is given')
            [CompletionResult]::new('--visibility-timeout', '--visibility-timeout', [CompletionResultType]::ParameterName, 'How long a claimed message stays leased without a heartbeat before `reap-stale` may return it to the queue. A running handler''s lease is extended every third of it')
            [CompletionResult]::new('--max-message-bytes', '--max-message-bytes', [CompletionResultType]::ParameterName, 'Dead-letter elements larger than SIZE (bytes, or with KiB / MiB) instead of handling them')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (and its AUTH/HELLO handshake)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one Redis reply (blocking reads add their block time to this)')
            [CompletionResult]::new('--connect-retries', '--connect-retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection before giving up with exit code 3')
            [CompletionResult]::new('--connect-backoff-base', '--connect-backoff-base', [CompletionResultType]::ParameterName, 'First delay between connection retries; it doubles each time (with full jitter)')
            [CompletionResult]::new('--connect-backoff-cap', '--connect-backoff-cap', [CompletionResultType]::ParameterName, 'Longest delay between connection retries')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--processing-key', '--processing-key', [CompletionResultType]::ParameterName, 'Processing list key [default: <queue>:processing]')
            [CompletionResult]::new('--dlq-key', '--dlq-key', [CompletionResultType]::ParameterName, 'Dead-letter list key [default: <queue>:dlq]')
            [CompletionResult]::new('--pubsub-channel', '--pubsub-channel', [CompletionResultType]::ParameterName, 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]')
            [CompletionResult]::new('--leases-key', '--leases-key', [CompletionResultType]::ParameterName, 'Lease sorted-set key [default: <queue>:leases]')
            [CompletionResult]::new('--retry-key', '--retry-key', [CompletionResultType]::ParameterName, 'Delayed-retry sorted-set key [default: <queue>:retry]')
            [CompletionResult]::new('--replays-key', '--replays-key', [CompletionResultType]::ParameterName, 'DLQ replay-counter hash key [default: <queue>:replays]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Run until interrupted, waiting for new messages')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hokusai-queue;reap-stale' {
            [CompletionResult]::new('--visibility-timeout', '--visibility-timeout', [CompletionResultType]::ParameterName, 'How long an unleased processing element may stay before it is reclaimed')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Repeat every DUR until interrupted (default 30s when given without a value)')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (and its AUTH/HELLO handshake)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one Redis reply (blocking reads add their block time to this)')
            [CompletionResult]::new('--connect-retries', '--connect-retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection before giving up with exit code 3')
            [CompletionResult]::new('--connect-backoff-base', '--connect-backoff-base', [CompletionResultType]::ParameterName, 'First delay between connection retries; it doubles each time (with full jitter)')
            [CompletionResult]::new('--connect-backoff-cap', '--connect-backoff-cap', [CompletionResultType]::ParameterName, 'Longest delay between connection retries')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--processing-key', '--processing-key', [CompletionResultType]::ParameterName, 'Processing list key [default: <queue>:processing]')
            [CompletionResult]::new('--dlq-key', '--dlq-key', [CompletionResultType]::ParameterName, 'Dead-letter list key [default: <queue>:dlq]')
            [CompletionResult]::new('--pubsub-channel', '--pubsub-channel', [CompletionResultType]::ParameterName, 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]')
            [CompletionResult]::new('--leases-key', '--leases-key', [CompletionResultType]::ParameterName, 'Lease sorted-set key [default: <queue>:leases]')
            [CompletionResult]::new('--retry-key', '--retry-key', [CompletionResultType]::ParameterName, 'Delayed-retry sorted-set key [default: <queue>:retry]')
            [CompletionResult]::new('--replays-key', '--replays-key', [CompletionResultType]::ParameterName, 'DLQ replay-counter hash key [default: <queue>:replays]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would move; move nothing and start no clocks')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hokusai-queue;dlq' {
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (and its AUTH/HELLO handshake)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one Redis reply (blocking reads add their block time to this)')
            [CompletionResult]::new('--connect-retries', '--connect-retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection before giving up with exit code 3')
            [CompletionResult]::new('--connect-backoff-base', '--connect-backoff-base', [CompletionResultType]::ParameterName, 'First delay between connection retries; it doubles each time (with full jitter)')
            [CompletionResult]::new('--connect-backoff-cap', '--connect-backoff-cap', [CompletionResultType]::ParameterName, 'Longest delay between connection retries')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--processing-key', '--processing-key', [CompletionResultType]::ParameterName, 'Processing list key [default: <queue>:processing]')
            [CompletionResult]::new('--dlq-key', '--dlq-key', [CompletionResultType]::ParameterName, 'Dead-letter list key [default: <queue>:dlq]')
            [CompletionResult]::new('--pubsub-channel', '--pubsub-channel', [CompletionResultType]::ParameterName, 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]')
            [CompletionResult]::new('--leases-key', '--leases-key', [CompletionResultType]::ParameterName, 'Lease sorted-set key [default: <queue>:leases]')
            [CompletionResult]::new('--retry-key', '--retry-key', [CompletionResultType]::ParameterName, 'Delayed-retry sorted-set key [default: <queue>:retry]')
            [CompletionResult]::new('--replays-key', '--replays-key', [CompletionResultType]::ParameterName, 'DLQ replay-counter hash key [default: <queue>:replays]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show dead-letter entries (every shape: wrapped, bare envelope, raw bytes), oldest first')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Move matching entries back to their original queue (or --to), unwrapped, retry_count 0')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete matching entries, after writing them to --export FILE when given')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Put the entries of a `dlq purge --export` file back into the DLQ, byte for byte')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hokusai-queue;dlq;list' {
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Only the entry with this message_id (repeatable)')
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'Only entries whose payload field KEY equals VALUE (repeatable; KEY may be a dotted path, e.g. tags.team=ml). Numbers and booleans compare by value')
            [CompletionResult]::new('--error', '--error', [CompletionResultType]::ParameterName, 'Only entries whose error contains TEXT (case-insensitive)')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only entries that failed more than DUR ago (failed_at, else the envelope timestamp; measured on the Redis server''s clock)')
            [CompletionResult]::new('--newer-than', '--newer-than', [CompletionResultType]::ParameterName, 'Only entries that failed less than DUR ago')
            [CompletionResult]::new('--shape', '--shape', [CompletionResultType]::ParameterName, 'Only entries of this shape')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N matching entries (the oldest first)')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (and its AUTH/HELLO handshake)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one Redis reply (blocking reads add their block time to this)')
            [CompletionResult]::new('--connect-retries', '--connect-retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection before giving up with exit code 3')
            [CompletionResult]::new('--connect-backoff-base', '--connect-backoff-base', [CompletionResultType]::ParameterName, 'First delay between connection retries; it doubles each time (with full jitter)')
            [CompletionResult]::new('--connect-backoff-cap', '--connect-backoff-cap', [CompletionResultType]::ParameterName, 'Longest delay between connection retries')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--processing-key', '--processing-key', [CompletionResultType]::ParameterName, 'Processing list key [default: <queue>:processing]')
            [CompletionResult]::new('--dlq-key', '--dlq-key', [CompletionResultType]::ParameterName, 'Dead-letter list key [default: <queue>:dlq]')
            [CompletionResult]::new('--pubsub-channel', '--pubsub-channel', [CompletionResultType]::ParameterName, 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]')
            [CompletionResult]::new('--leases-key', '--leases-key', [CompletionResultType]::ParameterName, 'Lease sorted-set key [default: <queue>:leases]')
            [CompletionResult]::new('--retry-key', '--retry-key', [CompletionResultType]::ParameterName, 'Delayed-retry sorted-set key [default: <queue>:retry]')
            [CompletionResult]::new('--replays-key', '--replays-key', [CompletionResultType]::ParameterName, 'DLQ replay-counter hash key [default: <queue>:replays]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hokusai-queue;dlq;replay' {
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Only the entry with this message_id (repeatable)')
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'Only entries whose payload field KEY equals VALUE (repeatable; KEY may be a dotted path, e.g. tags.team=ml). Numbers and booleans compare by value')
            [CompletionResult]::new('--error', '--error', [CompletionResultType]::ParameterName, 'Only entries whose error contains TEXT (case-insensitive)')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only entries that failed more than DUR ago (failed_at, else the envelope timestamp; measured on the Redis server''s clock)')
            [CompletionResult]::new('--newer-than', '--newer-than', [CompletionResultType]::ParameterName, 'Only entries that failed less than DUR ago')
            [CompletionResult]::new('--shape', '--shape', [CompletionResultType]::ParameterName, 'Only entries of this shape')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N matching entries (the oldest first)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Push onto this queue instead of each entry''s original_queue')
            [CompletionResult]::new('--max-replays', '--max-replays', [CompletionResultType]::ParameterName, 'Refuse a message already replayed N times (a poison message cannot cycle forever)')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Entries per atomic script call (each call holds Redis for about a millisecond at 100)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most N entries per second (replay a few, watch them, then the rest)')
            [CompletionResult]::new('--wait-replicas', '--wait-replicas', [CompletionResultType]::ParameterName, 'After each push, wait until N replicas have it (Redis WAIT); exit 1 when fewer acknowledge within --wait-timeout (the data is then on the primary only)')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long --wait-replicas waits for the acknowledgements')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (and its AUTH/HELLO handshake)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one Redis reply (blocking reads add their block time to this)')
            [CompletionResult]::new('--connect-retries', '--connect-retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection before giving up with exit code 3')
            [CompletionResult]::new('--connect-backoff-base', '--connect-backoff-base', [CompletionResultType]::ParameterName, 'First delay between connection retries; it doubles each time (with full jitter)')
            [CompletionResult]::new('--connect-backoff-cap', '--connect-backoff-cap', [CompletionResultType]::ParameterName, 'Longest delay between connection retries')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--processing-key', '--processing-key', [CompletionResultType]::ParameterName, 'Processing list key [default: <queue>:processing]')
            [CompletionResult]::new('--dlq-key', '--dlq-key', [CompletionResultType]::ParameterName, 'Dead-letter list key [default: <queue>:dlq]')
            [CompletionResult]::new('--pubsub-channel', '--pubsub-channel', [CompletionResultType]::ParameterName, 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]')
            [CompletionResult]::new('--leases-key', '--leases-key', [CompletionResultType]::ParameterName, 'Lease sorted-set key [default: <queue>:leases]')
            [CompletionResult]::new('--retry-key', '--retry-key', [CompletionResultType]::ParameterName, 'Delayed-retry sorted-set key [default: <queue>:retry]')
            [CompletionResult]::new('--replays-key', '--replays-key', [CompletionResultType]::ParameterName, 'DLQ replay-counter hash key [default: <queue>:replays]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--keep-retry-count', '--keep-retry-count', [CompletionResultType]::ParameterName, 'Keep the envelope''s retry_count instead of resetting it to 0')
            [CompletionResult]::new('--include-raw', '--include-raw', [CompletionResultType]::ParameterName, 'Also replay entries that are not envelopes (raw bytes, other JSON), unchanged')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replay even messages past --max-replays')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do it without asking (required when stdin or stderr is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do it without asking (required when stdin or stderr is not a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would happen; change nothing')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hokusai-queue;dlq;purge' {
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Only the entry with this message_id (repeatable)')
            [CompletionResult]::new('--match', '--match', [CompletionResultType]::ParameterName, 'Only entries whose payload field KEY equals VALUE (repeatable; KEY may be a dotted path, e.g. tags.team=ml). Numbers and booleans compare by value')
            [CompletionResult]::new('--error', '--error', [CompletionResultType]::ParameterName, 'Only entries whose error contains TEXT (case-insensitive)')
            [CompletionResult]::new('--older-than', '--older-than', [CompletionResultType]::ParameterName, 'Only entries that failed more than DUR ago (failed_at, else the envelope timestamp; measured on the Redis server''s clock)')
            [CompletionResult]::new('--newer-than', '--newer-than', [CompletionResultType]::ParameterName, 'Only entries that failed less than DUR ago')
            [CompletionResult]::new('--shape', '--shape', [CompletionResultType]::ParameterName, 'Only entries of this shape')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most N matching entries (the oldest first)')
            [CompletionResult]::new('--export', '--export', [CompletionResultType]::ParameterName, 'Append each entry to FILE (JSON lines, byte-exact) and fsync before deleting it')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Entries per atomic script call (each call holds Redis for about a millisecond at 100)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most N entries per second (replay a few, watch them, then the rest)')
            [CompletionResult]::new('--wait-replicas', '--wait-replicas', [CompletionResultType]::ParameterName, 'After each push, wait until N replicas have it (Redis WAIT); exit 1 when fewer acknowledge within --wait-timeout (the data is then on the primary only)')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long --wait-replicas waits for the acknowledgements')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (and its AUTH/HELLO handshake)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one Redis reply (blocking reads add their block time to this)')
            [CompletionResult]::new('--connect-retries', '--connect-retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection before giving up with exit code 3')
            [CompletionResult]::new('--connect-backoff-base', '--connect-backoff-base', [CompletionResultType]::ParameterName, 'First delay between connection retries; it doubles each time (with full jitter)')
            [CompletionResult]::new('--connect-backoff-cap', '--connect-backoff-cap', [CompletionResultType]::ParameterName, 'Longest delay between connection retries')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--processing-key', '--processing-key', [CompletionResultType]::ParameterName, 'Processing list key [default: <queue>:processing]')
            [CompletionResult]::new('--dlq-key', '--dlq-key', [CompletionResultType]::ParameterName, 'Dead-letter list key [default: <queue>:dlq]')
            [CompletionResult]::new('--pubsub-channel', '--pubsub-channel', [CompletionResultType]::ParameterName, 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]')
            [CompletionResult]::new('--leases-key', '--leases-key', [CompletionResultType]::ParameterName, 'Lease sorted-set key [default: <queue>:leases]')
            [CompletionResult]::new('--retry-key', '--retry-key', [CompletionResultType]::ParameterName, 'Delayed-retry sorted-set key [default: <queue>:retry]')
            [CompletionResult]::new('--replays-key', '--replays-key', [CompletionResultType]::ParameterName, 'DLQ replay-counter hash key [default: <queue>:replays]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do it without asking (required when stdin or stderr is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do it without asking (required when stdin or stderr is not a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would happen; change nothing')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'hokusai-queue;dlq;import' {
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Entries per atomic script call (each call holds Redis for about a millisecond at 100)')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most N entries per second (replay a few, watch them, then the rest)')
            [CompletionResult]::new('--wait-replicas', '--wait-replicas', [CompletionResultType]::ParameterName, 'After each push, wait until N replicas have it (Redis WAIT); exit 1 when fewer acknowledge within --wait-timeout (the data is then on the primary only)')
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'How long --wait-replicas waits for the acknowledgements')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (and its AUTH/HELLO handshake)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one Redis reply (blocking reads add their block time to this)')
            [CompletionResult]::new('--connect-retries', '--connect-retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection before giving up with exit code 3')
            [CompletionResult]::new('--connect-backoff-base', '--connect-backoff-base', [CompletionResultType]::ParameterName, 'First delay between connection retries; it doubles each time (with full jitter)')
            [CompletionResult]::new('--connect-backoff-cap', '--connect-backoff-cap', [CompletionResultType]::ParameterName, 'Longest delay between connection retries')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--processing-key', '--processing-key', [CompletionResultType]::ParameterName, 'Processing list key [default: <queue>:processing]')
            [CompletionResult]::new('--dlq-key', '--dlq-key', [CompletionResultType]::ParameterName, 'Dead-letter list key [default: <queue>:dlq]')
            [CompletionResult]::new('--pubsub-channel', '--pubsub-channel', [CompletionResultType]::ParameterName, 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]')
            [CompletionResult]::new('--leases-key', '--leases-key', [CompletionResultType]::ParameterName, 'Lease sorted-set key [default: <queue>:leases]')
            [CompletionResult]::new('--retry-key', '--retry-key', [CompletionResultType]::ParameterName, 'Delayed-retry sorted-set key [default: <queue>:retry]')
            [CompletionResult]::new('--replays-key', '--replays-key', [CompletionResultType]::ParameterName, 'DLQ replay-counter hash key [default: <queue>:replays]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do it without asking (required when stdin or stderr is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do it without asking (required when stdin or stderr is not a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would happen; change nothing')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hokusai-queue;dlq;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show dead-letter entries (every shape: wrapped, bare envelope, raw bytes), oldest first')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Move matching entries back to their original queue (or --to), unwrapped, retry_count 0')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete matching entries, after writing them to --export FILE when given')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Put the entries of a `dlq purge --export` file back into the DLQ, byte for byte')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hokusai-queue;dlq;help;list' {
            break
        }
        'hokusai-queue;dlq;help;replay' {
            break
        }
        'hokusai-queue;dlq;help;purge' {
            break
        }
        'hokusai-queue;dlq;help;import' {
            break
        }
        'hokusai-queue;dlq;help;help' {
            break
        }
        'hokusai-queue;doctor' {
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (and its AUTH/HELLO handshake)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one Redis reply (blocking reads add their block time to this)')
            [CompletionResult]::new('--connect-retries', '--connect-retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection before giving up with exit code 3')
            [CompletionResult]::new('--connect-backoff-base', '--connect-backoff-base', [CompletionResultType]::ParameterName, 'First delay between connection retries; it doubles each time (with full jitter)')
            [CompletionResult]::new('--connect-backoff-cap', '--connect-backoff-cap', [CompletionResultType]::ParameterName, 'Longest delay between connection retries')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--processing-key', '--processing-key', [CompletionResultType]::ParameterName, 'Processing list key [default: <queue>:processing]')
            [CompletionResult]::new('--dlq-key', '--dlq-key', [CompletionResultType]::ParameterName, 'Dead-letter list key [default: <queue>:dlq]')
            [CompletionResult]::new('--pubsub-channel', '--pubsub-channel', [CompletionResultType]::ParameterName, 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]')
            [CompletionResult]::new('--leases-key', '--leases-key', [CompletionResultType]::ParameterName, 'Lease sorted-set key [default: <queue>:leases]')
            [CompletionResult]::new('--retry-key', '--retry-key', [CompletionResultType]::ParameterName, 'Delayed-retry sorted-set key [default: <queue>:retry]')
            [CompletionResult]::new('--replays-key', '--replays-key', [CompletionResultType]::ParameterName, 'DLQ replay-counter hash key [default: <queue>:replays]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hokusai-queue;generate' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Where to write completions/ and man/')
            [CompletionResult]::new('--redis-url', '--redis-url', [CompletionResultType]::ParameterName, 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file')
            [CompletionResult]::new('--tls-ca-cert', '--tls-ca-cert', [CompletionResultType]::ParameterName, 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'How long to wait for a connection (and its AUTH/HELLO handshake)')
            [CompletionResult]::new('--command-timeout', '--command-timeout', [CompletionResultType]::ParameterName, 'How long to wait for any one Redis reply (blocking reads add their block time to this)')
            [CompletionResult]::new('--connect-retries', '--connect-retries', [CompletionResultType]::ParameterName, 'How many times to retry a failed connection before giving up with exit code 3')
            [CompletionResult]::new('--connect-backoff-base', '--connect-backoff-base', [CompletionResultType]::ParameterName, 'First delay between connection retries; it doubles each time (with full jitter)')
            [CompletionResult]::new('--connect-backoff-cap', '--connect-backoff-cap', [CompletionResultType]::ParameterName, 'Longest delay between connection retries')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--queue', '--queue', [CompletionResultType]::ParameterName, 'Queue name: the main list''s key; the other keys derive from it')
            [CompletionResult]::new('--processing-key', '--processing-key', [CompletionResultType]::ParameterName, 'Processing list key [default: <queue>:processing]')
            [CompletionResult]::new('--dlq-key', '--dlq-key', [CompletionResultType]::ParameterName, 'Dead-letter list key [default: <queue>:dlq]')
            [CompletionResult]::new('--pubsub-channel', '--pubsub-channel', [CompletionResultType]::ParameterName, 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]')
            [CompletionResult]::new('--leases-key', '--leases-key', [CompletionResultType]::ParameterName, 'Lease sorted-set key [default: <queue>:leases]')
            [CompletionResult]::new('--retry-key', '--retry-key', [CompletionResultType]::ParameterName, 'Delayed-retry sorted-set key [default: <queue>:retry]')
            [CompletionResult]::new('--replays-key', '--replays-key', [CompletionResultType]::ParameterName, 'DLQ replay-counter hash key [default: <queue>:replays]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector')
            [CompletionResult]::new('--cluster', '--cluster', [CompletionResultType]::ParameterName, 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}')
            [CompletionResult]::new('--tls-insecure', '--tls-insecure', [CompletionResultType]::ParameterName, 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'hokusai-queue;help' {
            [CompletionResult]::new('emit', 'emit', [CompletionResultType]::ParameterValue, 'Push messages onto the queue, validated like the platform''s producer')
            [CompletionResult]::new('peek', 'peek', [CompletionResultType]::ParameterValue, 'Show messages without consuming or changing them')
            [CompletionResult]::new('depth', 'depth', [CompletionResultType]::ParameterValue, 'Show the queue''s depth and the age of its oldest message; health gates for probes')
            [CompletionResult]::new('drain', 'drain', [CompletionResultType]::ParameterValue, 'Consume messages reliably: to stdout, or through a handler command with retries')
            [CompletionResult]::new('reap-stale', 'reap-stale', [CompletionResultType]::ParameterValue, 'Return messages of crashed consumers (expired leases) to the queue; promote due retries')
            [CompletionResult]::new('dlq', 'dlq', [CompletionResultType]::ParameterValue, 'Recover the dead-letter queue: list, replay, purge (with export) and import entries')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the server, the queue''s keys, persistence, eviction, replicas and ACL permissions: OK / WARN / FAIL with the fix. Reads only; exit 1 on any FAIL')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write completions and man pages (for maintainers; `generate --out-dir .`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hokusai-queue;help;emit' {
            break
        }
        'hokusai-queue;help;peek' {
            break
        }
        'hokusai-queue;help;depth' {
            break
        }
        'hokusai-queue;help;drain' {
            break
        }
        'hokusai-queue;help;reap-stale' {
            break
        }
        'hokusai-queue;help;dlq' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show dead-letter entries (every shape: wrapped, bare envelope, raw bytes), oldest first')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Move matching entries back to their original queue (or --to), unwrapped, retry_count 0')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete matching entries, after writing them to --export FILE when given')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Put the entries of a `dlq purge --export` file back into the DLQ, byte for byte')
            break
        }
        'hokusai-queue;help;dlq;list' {
            break
        }
        'hokusai-queue;help;dlq;replay' {
            break
        }
        'hokusai-queue;help;dlq;purge' {
            break
        }
        'hokusai-queue;help;dlq;import' {
            break
        }
        'hokusai-queue;help;doctor' {
            break
        }
        'hokusai-queue;help;generate' {
            break
        }
        'hokusai-queue;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
