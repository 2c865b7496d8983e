
use builtin;
use str;

set edit:completion:arg-completer[hokusai-queue] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'hokusai-queue'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'hokusai-queue'= {
            cand --redis-url 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here'
            cand --password-file 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN'
            cand --user 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file'
            cand --tls-ca-cert 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)'
            cand --connect-timeout 'How long to wait for a connection (and its AUTH/HELLO handshake)'
            cand --command-timeout 'How long to wait for any one Redis reply (blocking reads add their block time to this)'
            cand --connect-retries 'How many times to retry a failed connection before giving up with exit code 3'
            cand --connect-backoff-base 'First delay between connection retries; it doubles each time (with full jitter)'
            cand --connect-backoff-cap 'Longest delay between connection retries'
            cand -q 'Queue name: the main list''s key; the other keys derive from it'
            cand --queue 'Queue name: the main list''s key; the other keys derive from it'
            cand --processing-key 'Processing list key [default: <queue>:processing]'
            cand --dlq-key 'Dead-letter list key [default: <queue>:dlq]'
            cand --pubsub-channel 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]'
            cand --leases-key 'Lease sorted-set key [default: <queue>:leases]'
            cand --retry-key 'Delayed-retry sorted-set key [default: <queue>:retry]'
            cand --replays-key 'DLQ replay-counter hash key [default: <queue>:replays]'
            cand -o 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector'
            cand --output 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector'
            cand --tls-insecure 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand emit 'Push messages onto the queue, validated like the platform''s producer'
            cand peek 'Show messages without consuming or changing them'
            cand depth 'Show the queue''s depth and the age of its oldest message; health gates for probes'
            cand generate 'Write completions and man pages (for maintainers; `generate --out-dir .`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hokusai-queue;emit'= {
            cand --model-id 'payload.model_id (required unless --payload or --file)'
            cand --token-symbol 'payload.token_symbol: ^[a-z0-9-]+$, 1-64 characters'
            cand --metric-name 'payload.metric_name'
            cand --baseline-value 'payload.baseline_value (a number)'
            cand --current-value 'payload.current_value (a number)'
            cand --model-name 'payload.model_name'
            cand --model-version 'payload.model_version (a string, e.g. "3")'
            cand --mlflow-run-id 'payload.mlflow_run_id'
            cand --proposal-identifier 'payload.proposal_identifier [default: the token symbol]'
            cand --improvement-percentage 'payload.improvement_percentage [default: (current - baseline) / baseline * 100 when baseline > 0]'
            cand --contributor-address 'payload.contributor_address: ^0x[a-fA-F0-9]{40}$'
            cand --experiment-name 'payload.experiment_name'
            cand --tag 'payload.tags entry (repeatable): --tag team=ml --tag env=staging'
            cand --api-schema 'payload.api_schema (a JSON object)'
            cand --eval-spec 'payload.eval_spec'
            cand --scorer-ref 'payload.scorer_ref'
            cand --primary-metric 'payload.primary_metric'
            cand --benchmark-spec-id 'payload.benchmark_spec_id'
            cand --payload-timestamp 'payload.timestamp (naive ISO, e.g. 2025-01-27T15:30:00.123456) [default: now, UTC]'
            cand --payload 'The whole payload as JSON: inline, @FILE, or - for stdin'
            cand --file 'Many messages: a JSON-lines file (or - for stdin), one payload object per line. Every line is validated before anything is pushed'
            cand --skip 'With --file: skip the first N lines (to resume after a reported failure)'
            cand --resume 'With --file: continue an interrupted run exactly after the last line that landed (RUN is the id its error printed; progress is kept in Redis for a day)'
            cand --message-id 'Envelope message_id (a UUID) [default: a new UUIDv4]'
            cand --message-type 'Envelope message_type. Only model_ready_to_deploy payloads are checked against the schema; others must be a JSON object'
            cand --max-retries 'Envelope max_retries'
            cand --batch-size 'Messages per atomic round trip when pushing a file'
            cand --max-message-bytes 'Refuse a payload or line longer than SIZE (bytes, or with KiB / MiB), before buffering more of it. At most 512MiB (Redis''s own limit)'
            cand --wait-replicas 'After each push, wait until N replicas have it (Redis WAIT); exit 1 when fewer acknowledge within --wait-timeout (the data is then on the primary only)'
            cand --wait-timeout 'How long --wait-replicas waits for the acknowledgements'
            cand --redis-url 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here'
            cand --password-file 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN'
            cand --user 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file'
            cand --tls-ca-cert 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)'
            cand --connect-timeout 'How long to wait for a connection (and its AUTH/HELLO handshake)'
            cand --command-timeout 'How long to wait for any one Redis reply (blocking reads add their block time to this)'
            cand --connect-retries 'How many times to retry a failed connection before giving up with exit code 3'
            cand --connect-backoff-base 'First delay between connection retries; it doubles each time (with full jitter)'
            cand --connect-backoff-cap 'Longest delay between connection retries'
            cand -q 'Queue name: the main list''s key; the other keys derive from it'
            cand --queue 'Queue name: the main list''s key; the other keys derive from it'
            cand --processing-key 'Processing list key [default: <queue>:processing]'
            cand --dlq-key 'Dead-letter list key [default: <queue>:dlq]'
            cand --pubsub-channel 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]'
            cand --leases-key 'Lease sorted-set key [default: <queue>:leases]'
            cand --retry-key 'Delayed-retry sorted-set key [default: <queue>:retry]'
            cand --replays-key 'DLQ replay-counter hash key [default: <queue>:replays]'
            cand -o 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector'
            cand --output 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector'
            cand --envelopes 'With --file: each line is a whole envelope, validated and pushed byte for byte'
            cand --no-publish 'Do not PUBLISH the payload on the queue''s pub/sub channel after pushing'
            cand --tls-insecure 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hokusai-queue;peek'= {
            cand -n 'How many elements to show'
            cand --limit 'How many elements to show'
            cand --from 'Which end to start from'
            cand --list 'Which list to look at'
            cand --redis-url 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here'
            cand --password-file 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN'
            cand --user 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file'
            cand --tls-ca-cert 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)'
            cand --connect-timeout 'How long to wait for a connection (and its AUTH/HELLO handshake)'
            cand --command-timeout 'How long to wait for any one Redis reply (blocking reads add their block time to this)'
            cand --connect-retries 'How many times to retry a failed connection before giving up with exit code 3'
            cand --connect-backoff-base 'First delay between connection retries; it doubles each time (with full jitter)'
            cand --connect-backoff-cap 'Longest delay between connection retries'
            cand -q 'Queue name: the main list''s key; the other keys derive from it'
            cand --queue 'Queue name: the main list''s key; the other keys derive from it'
            cand --processing-key 'Processing list key [default: <queue>:processing]'
            cand --dlq-key 'Dead-letter list key [default: <queue>:dlq]'
            cand --pubsub-channel 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]'
            cand --leases-key 'Lease sorted-set key [default: <queue>:leases]'
            cand --retry-key 'Delayed-retry sorted-set key [default: <queue>:retry]'
            cand --replays-key 'DLQ replay-counter hash key [default: <queue>:replays]'
            cand -o 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector'
            cand --output 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector'
            cand --tls-insecure 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'hokusai-queue;depth'= {
            cand --watch 'Redraw every DUR until interrupted (default 2s when given without a value)'
            cand --fail-above 'Exit 5 when the main list holds more than N messages'
            cand --max-age 'Exit 5 when the oldest message in the main list is older than DUR'
            cand --dlq-fail-above 'Exit 5 when the dead-letter list holds more than N entries'
            cand --redis-url 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here'
            cand --password-file 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN'
            cand --user 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file'
            cand --tls-ca-cert 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)'
            cand --connect-timeout 'How long to wait for a connection (and its AUTH/HELLO handshake)'
            cand --command-timeout 'How long to wait for any one Redis reply (blocking reads add their block time to this)'
            cand --connect-retries 'How many times to retry a failed connection before giving up with exit code 3'
            cand --connect-backoff-base 'First delay between connection retries; it doubles each time (with full jitter)'
            cand --connect-backoff-cap 'Longest delay between connection retries'
            cand -q 'Queue name: the main list''s key; the other keys derive from it'
            cand --queue 'Queue name: the main list''s key; the other keys derive from it'
            cand --processing-key 'Processing list key [default: <queue>:processing]'
            cand --dlq-key 'Dead-letter list key [default: <queue>:dlq]'
            cand --pubsub-channel 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]'
            cand --leases-key 'Lease sorted-set key [default: <queue>:leases]'
            cand --retry-key 'Delayed-retry sorted-set key [default: <queue>:retry]'
            cand --replays-key 'DLQ replay-counter hash key [default: <queue>:replays]'
            cand -o 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector'
            cand --output 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector'
            cand --tls-insecure 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hokusai-queue;generate'= {
            cand --out-dir 'Where to write completions/ and man/'
            cand --redis-url 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here'
            cand --password-file 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN'
            cand --user 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file'
            cand --tls-ca-cert 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)'
            cand --connect-timeout 'How long to wait for a connection (and its AUTH/HELLO handshake)'
            cand --command-timeout 'How long to wait for any one Redis reply (blocking reads add their block time to this)'
            cand --connect-retries 'How many times to retry a failed connection before giving up with exit code 3'
            cand --connect-backoff-base 'First delay between connection retries; it doubles each time (with full jitter)'
            cand --connect-backoff-cap 'Longest delay between connection retries'
            cand -q 'Queue name: the main list''s key; the other keys derive from it'
            cand --queue 'Queue name: the main list''s key; the other keys derive from it'
            cand --processing-key 'Processing list key [default: <queue>:processing]'
            cand --dlq-key 'Dead-letter list key [default: <queue>:dlq]'
            cand --pubsub-channel 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]'
            cand --leases-key 'Lease sorted-set key [default: <queue>:leases]'
            cand --retry-key 'Delayed-retry sorted-set key [default: <queue>:retry]'
            cand --replays-key 'DLQ replay-counter hash key [default: <queue>:replays]'
            cand -o 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector'
            cand --output 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter''s textfile collector'
            cand --tls-insecure 'For rediss:// URLs: do NOT verify the server''s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'hokusai-queue;help'= {
            cand emit 'Push messages onto the queue, validated like the platform''s producer'
            cand peek 'Show messages without consuming or changing them'
            cand depth 'Show the queue''s depth and the age of its oldest message; health gates for probes'
            cand generate 'Write completions and man pages (for maintainers; `generate --out-dir .`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hokusai-queue;help;emit'= {
        }
        &'hokusai-queue;help;peek'= {
        }
        &'hokusai-queue;help;depth'= {
        }
        &'hokusai-queue;help;generate'= {
        }
        &'hokusai-queue;help;help'= {
        }
    ]
    $completions[$command]
}
