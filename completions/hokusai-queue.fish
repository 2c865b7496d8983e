# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_hokusai_queue_global_optspecs
    string join \n redis-url= cluster password-file= user= tls-ca-cert= tls-insecure connect-timeout= command-timeout= connect-retries= connect-backoff-base= connect-backoff-cap= q/queue= profile= processing-key= dlq-key= pubsub-channel= leases-key= retry-key= replays-key= processed-key= audit-key= settlements-key= record-prefix= o/output= h/help V/version
end

function __fish_hokusai_queue_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    if not argparse -s (__fish_hokusai_queue_global_optspecs) -- $cmd 2>/dev/null
        # The last word may be a top-level option still waiting for its value: no command yet.
        set -e cmd[-1]
        argparse -s (__fish_hokusai_queue_global_optspecs) -- $cmd 2>/dev/null
        return
    end
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_hokusai_queue_using_subcommand
    set -l cmd (__fish_hokusai_queue_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -s V -l version -d 'Print version'
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -f -a "emit" -d 'Push messages onto the queue, validated like the platform\'s producer'
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -f -a "peek" -d 'Show messages without consuming or changing them'
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -f -a "depth" -d 'Show the queue\'s depth and the age of its oldest message; health gates for probes'
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -f -a "drain" -d 'Consume messages reliably: to stdout, or through a handler command with retries'
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -f -a "reap-stale" -d 'Return messages of crashed consumers (expired leases) to the queue; promote due retries'
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -f -a "dlq" -d 'Recover the dead-letter queue: list, replay, purge (with export) and import entries'
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -f -a "doctor" -d 'Check the server, the queue\'s keys, persistence, eviction, replicas and ACL permissions: OK / WARN / FAIL with the fix. Reads only; exit 1 on any FAIL'
complete -c hokusai-queue -n "__fish_hokusai_queue_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l model-id -d 'payload.model_id (required unless --payload or --file)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l token-symbol -d 'payload.token_symbol: ^[a-z0-9-]+$, 1-64 characters (required unless --payload or --file)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l metric-name -d 'payload.metric_name (required unless --payload or --file)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l baseline-value -d 'payload.baseline_value (a number) (required unless --payload or --file)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l current-value -d 'payload.current_value (a number) (required unless --payload or --file)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l model-name -d 'payload.model_name (required unless --payload or --file)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l model-version -d 'payload.model_version (a string, e.g. "3") (required unless --payload or --file)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l mlflow-run-id -d 'payload.mlflow_run_id' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l proposal-identifier -d 'payload.proposal_identifier [default: the token symbol]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l improvement-percentage -d 'payload.improvement_percentage [default: (current - baseline) / baseline * 100 when baseline > 0]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l contributor-address -d 'payload.contributor_address: ^0x[a-fA-F0-9]{40}$' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l experiment-name -d 'payload.experiment_name' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l tag -d 'payload.tags entry (repeatable): --tag team=ml --tag env=staging' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l api-schema -d 'payload.api_schema (a JSON object)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l eval-spec -d 'payload.eval_spec' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l scorer-ref -d 'payload.scorer_ref' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l primary-metric -d 'payload.primary_metric' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l benchmark-spec-id -d 'payload.benchmark_spec_id' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l payload-timestamp -d 'payload.timestamp (naive ISO, e.g. 2025-01-27T15:30:00.123456) [default: now, UTC]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l payload -d 'The whole payload as JSON: inline, @FILE, or - for stdin' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l file -d 'Many messages: a JSON-lines file (or - for stdin), one payload object per line. Every line is validated before anything is pushed' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l skip -d 'With --file: skip the first N lines (to resume after a reported failure)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l resume -d 'With --file: continue an interrupted run exactly after the last line that landed (RUN is the id its error printed; progress is kept in Redis for a day)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l message-id -d 'Envelope message_id (a UUID) [default: a new UUIDv4]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l message-type -d 'Envelope message_type. Only model_ready_to_deploy payloads are checked against the schema; others must be a JSON object' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l max-retries -d 'Envelope max_retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l batch-size -d 'Messages per atomic round trip when pushing a file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l max-message-bytes -d 'Refuse a payload or line longer than SIZE (bytes, or with KiB / MiB), before buffering more of it. At most 512MiB (Redis\'s own limit)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l wait-replicas -d 'After each push, wait until N replicas have it (Redis WAIT); exit 1 when fewer acknowledge within --wait-timeout (the data is then on the primary only)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l wait-timeout -d 'How long --wait-replicas waits for the acknowledgements' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l envelopes -d 'With --file: each line is a whole envelope, validated and pushed byte for byte'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l raw -d 'Opaque profile only: push --payload or each --file line exactly as given (no validation, no envelope)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l no-publish -d 'Do not PUBLISH the payload on the queue\'s pub/sub channel after pushing'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand emit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -s n -l limit -d 'How many elements to show' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l from -d 'Which end to start from' -r -f -a "oldest\t'Start at the element the next consumer will take'
newest\t'Start at the element pushed last'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l list -d 'Which list to look at' -r -f -a "main\t''
processing\t''
dlq\t''
retry\t'The delayed-retry sorted set (soonest due first)'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand peek" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l watch -d 'Redraw every DUR until interrupted (default 2s when given without a value)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l fail-above -d 'Exit 5 when the main list holds more than N messages' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l max-age -d 'Exit 5 when the oldest message in the main list is older than DUR' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l dlq-fail-above -d 'Exit 5 when the dead-letter list holds more than N entries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l match -d 'With --all-queues: only queue keys matching this glob' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l all-queues -d 'Every queue on the server (SCAN for lists and their :processing/:dlq/:retry/:leases keys), one row each. Derived keys use the default names'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand depth" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l exec -d 'Handler run through `sh -c` once per message, with the envelope on stdin and HOKUSAI_MESSAGE_ID, HOKUSAI_MESSAGE_TYPE, HOKUSAI_RETRY_COUNT in its environment' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l handler-timeout -d 'Kill a handler running longer than DUR (counts as a failed attempt)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l retry-base -d 'First retry delay; it doubles with each retry, with full jitter' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l retry-cap -d 'Longest retry delay' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l wait -d 'When the queue is empty, wait up to DUR for more before stopping' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l max -d 'Stop after taking N messages' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l batch -d 'Messages claimed per round trip when no --exec is given' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l visibility-timeout -d 'How long a claimed message stays leased without a heartbeat before `reap-stale` may return it to the queue. A running handler\'s lease is extended every third of it' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l max-message-bytes -d 'Dead-letter elements larger than SIZE (bytes, or with KiB / MiB) instead of handling them' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l follow -d 'Run until interrupted, waiting for new messages'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand drain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l visibility-timeout -d 'How long an unleased processing element may stay before it is reclaimed [default: 5m; mint: 15m, long enough for an on-chain confirmation]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l watch -d 'Repeat every DUR until interrupted (default 30s when given without a value)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l promote-retries -d 'Mint: also promote due members of the deployer\'s retry set, as its consumers do (each moved whole, exactly once). Envelope queues always promote the tool\'s own retries'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l dry-run -d 'Show what would move; move nothing and start no clocks'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand reap-stale" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -f -a "list" -d 'Show dead-letter entries (every shape: wrapped, bare envelope, raw bytes), oldest first. Mint: with the official tool\'s index (#0 = newest) and failure tag'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -f -a "inspect" -d 'Mint only: one entry in full, its mint record, processed flag, deadline, validity and what a replay would do. Reads only'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -f -a "replay" -d 'Move matching entries back to their original queue (or --to), unwrapped, retry_count 0. Mint: back onto the inbound list as the deployer\'s validator leaves them, audited'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -f -a "discard" -d 'Mint only: remove matching entries for good, each with an audit record (--reason)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -f -a "purge" -d 'Delete matching entries, after writing them to --export FILE when given (mint: audited, --reason required)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -f -a "import" -d 'Put the entries of a `dlq purge --export` file back into the DLQ, byte for byte'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and not __fish_seen_subcommand_from list inspect replay discard purge import help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l id -d 'Only the entry with this message_id (repeatable)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l match -d 'Only entries whose payload field KEY equals VALUE (repeatable; KEY may be a dotted path, e.g. tags.team=ml). Numbers and booleans compare by value' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l error -d 'Only entries whose error contains TEXT (case-insensitive)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l older-than -d 'Only entries that failed more than DUR ago (failed_at, else the envelope timestamp; measured on the Redis server\'s clock)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l newer-than -d 'Only entries that failed less than DUR ago' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l shape -d 'Only entries of this shape' -r -f -a "wrapped\t'The platform\'s wrapper {original_message, error, failed_at, original_queue}'
envelope\t'A bare envelope (JSON object with a message_id)'
json\t'JSON that is not an envelope (no message_id, an array, ...)'
raw\t'Not JSON, or not UTF-8'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l class -d 'Mint only: entries with this failure tag (repeatable; the official DLQ tool\'s tags; entries it cannot parse count as schema_reject)' -r -f -a "budget_exhausted\t''
outcome_unknown\t''
signer_not_attester\t''
model_inactive\t''
permanent_revert\t''
schema_reject\t''
other\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l limit -d 'At most N matching entries (the oldest first)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l id -d 'Only the entry with this message_id (repeatable)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l match -d 'Only entries whose payload field KEY equals VALUE (repeatable; KEY may be a dotted path, e.g. tags.team=ml). Numbers and booleans compare by value' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l error -d 'Only entries whose error contains TEXT (case-insensitive)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l older-than -d 'Only entries that failed more than DUR ago (failed_at, else the envelope timestamp; measured on the Redis server\'s clock)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l newer-than -d 'Only entries that failed less than DUR ago' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l shape -d 'Only entries of this shape' -r -f -a "wrapped\t'The platform\'s wrapper {original_message, error, failed_at, original_queue}'
envelope\t'A bare envelope (JSON object with a message_id)'
json\t'JSON that is not an envelope (no message_id, an array, ...)'
raw\t'Not JSON, or not UTF-8'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l class -d 'Mint only: entries with this failure tag (repeatable; the official DLQ tool\'s tags; entries it cannot parse count as schema_reject)' -r -f -a "budget_exhausted\t''
outcome_unknown\t''
signer_not_attester\t''
model_inactive\t''
permanent_revert\t''
schema_reject\t''
other\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l limit -d 'At most N matching entries (the oldest first)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l to -d 'Push onto this queue instead of each entry\'s original_queue (not for mint)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l max-replays -d 'Refuse a message already replayed N times (a poison message cannot cycle forever)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l batch-size -d 'Entries per atomic script call (each call holds Redis for about a millisecond at 100)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l rate -d 'At most N entries per second (replay a few, watch them, then the rest)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l wait-replicas -d 'After each push, wait until N replicas have it (Redis WAIT); exit 1 when fewer acknowledge within --wait-timeout (the data is then on the primary only)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l wait-timeout -d 'How long --wait-replicas waits for the acknowledgements' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l keep-retry-count -d 'Keep the envelope\'s retry_count instead of resetting it to 0'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l include-raw -d 'Also replay entries that are not envelopes (raw bytes, other JSON), unchanged'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l force -d 'Replay even messages past --max-replays (mint: even a key in the processed set or a passed deadline; never signer_not_attester)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l confirm-not-minted -d 'Mint: also replay outcome_unknown entries (the transaction may have minted: check processedIdempotencyKeys on-chain first)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -s y -l yes -d 'Do it without asking (required when stdin or stderr is not a terminal)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l dry-run -d 'Show what would happen; change nothing'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from replay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l id -d 'Only the entry with this message_id (repeatable)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l match -d 'Only entries whose payload field KEY equals VALUE (repeatable; KEY may be a dotted path, e.g. tags.team=ml). Numbers and booleans compare by value' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l error -d 'Only entries whose error contains TEXT (case-insensitive)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l older-than -d 'Only entries that failed more than DUR ago (failed_at, else the envelope timestamp; measured on the Redis server\'s clock)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l newer-than -d 'Only entries that failed less than DUR ago' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l shape -d 'Only entries of this shape' -r -f -a "wrapped\t'The platform\'s wrapper {original_message, error, failed_at, original_queue}'
envelope\t'A bare envelope (JSON object with a message_id)'
json\t'JSON that is not an envelope (no message_id, an array, ...)'
raw\t'Not JSON, or not UTF-8'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l class -d 'Mint only: entries with this failure tag (repeatable; the official DLQ tool\'s tags; entries it cannot parse count as schema_reject)' -r -f -a "budget_exhausted\t''
outcome_unknown\t''
signer_not_attester\t''
model_inactive\t''
permanent_revert\t''
schema_reject\t''
other\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l limit -d 'At most N matching entries (the oldest first)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l reason -d 'Why (required, recorded in every audit record)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l export -d 'Append each entry to FILE (JSON lines, byte-exact) and fsync before removing it' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l batch-size -d 'Entries per atomic script call (each call holds Redis for about a millisecond at 100)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l rate -d 'At most N entries per second (replay a few, watch them, then the rest)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l wait-replicas -d 'After each push, wait until N replicas have it (Redis WAIT); exit 1 when fewer acknowledge within --wait-timeout (the data is then on the primary only)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l wait-timeout -d 'How long --wait-replicas waits for the acknowledgements' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -s y -l yes -d 'Do it without asking (required when stdin or stderr is not a terminal)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l dry-run -d 'Show what would happen; change nothing'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from discard" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l id -d 'Only the entry with this message_id (repeatable)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l match -d 'Only entries whose payload field KEY equals VALUE (repeatable; KEY may be a dotted path, e.g. tags.team=ml). Numbers and booleans compare by value' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l error -d 'Only entries whose error contains TEXT (case-insensitive)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l older-than -d 'Only entries that failed more than DUR ago (failed_at, else the envelope timestamp; measured on the Redis server\'s clock)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l newer-than -d 'Only entries that failed less than DUR ago' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l shape -d 'Only entries of this shape' -r -f -a "wrapped\t'The platform\'s wrapper {original_message, error, failed_at, original_queue}'
envelope\t'A bare envelope (JSON object with a message_id)'
json\t'JSON that is not an envelope (no message_id, an array, ...)'
raw\t'Not JSON, or not UTF-8'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l class -d 'Mint only: entries with this failure tag (repeatable; the official DLQ tool\'s tags; entries it cannot parse count as schema_reject)' -r -f -a "budget_exhausted\t''
outcome_unknown\t''
signer_not_attester\t''
model_inactive\t''
permanent_revert\t''
schema_reject\t''
other\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l limit -d 'At most N matching entries (the oldest first)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l export -d 'Append each entry to FILE (JSON lines, byte-exact) and fsync before deleting it' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l reason -d 'Mint: why (required there; recorded in the audit record of every entry deleted)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l batch-size -d 'Entries per atomic script call (each call holds Redis for about a millisecond at 100)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l rate -d 'At most N entries per second (replay a few, watch them, then the rest)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l wait-replicas -d 'After each push, wait until N replicas have it (Redis WAIT); exit 1 when fewer acknowledge within --wait-timeout (the data is then on the primary only)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l wait-timeout -d 'How long --wait-replicas waits for the acknowledgements' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s y -l yes -d 'Do it without asking (required when stdin or stderr is not a terminal)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l dry-run -d 'Show what would happen; change nothing'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from purge" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l batch-size -d 'Entries per atomic script call (each call holds Redis for about a millisecond at 100)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l rate -d 'At most N entries per second (replay a few, watch them, then the rest)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l wait-replicas -d 'After each push, wait until N replicas have it (Redis WAIT); exit 1 when fewer acknowledge within --wait-timeout (the data is then on the primary only)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l wait-timeout -d 'How long --wait-replicas waits for the acknowledgements' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -s y -l yes -d 'Do it without asking (required when stdin or stderr is not a terminal)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l dry-run -d 'Show what would happen; change nothing'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "list" -d 'Show dead-letter entries (every shape: wrapped, bare envelope, raw bytes), oldest first. Mint: with the official tool\'s index (#0 = newest) and failure tag'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Mint only: one entry in full, its mint record, processed flag, deadline, validity and what a replay would do. Reads only'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "replay" -d 'Move matching entries back to their original queue (or --to), unwrapped, retry_count 0. Mint: back onto the inbound list as the deployer\'s validator leaves them, audited'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "discard" -d 'Mint only: remove matching entries for good, each with an audit record (--reason)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "purge" -d 'Delete matching entries, after writing them to --export FILE when given (mint: audited, --reason required)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "import" -d 'Put the entries of a `dlq purge --export` file back into the DLQ, byte for byte'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand dlq; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l redis-url -d 'Redis URL: redis://[user[:password]@]host[:port][/db], or rediss:// for TLS. Falls back to $REDIS_URL, then to $REDIS_HOST/$REDIS_PORT/$REDIS_AUTH_TOKEN, then redis://127.0.0.1:6379/0. Put passwords in $REDIS_AUTH_TOKEN rather than here. With --cluster, repeat it to give several seed nodes' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l password-file -d 'Read the password from the first line of FILE (trailing newline removed; used as is, any characters). Keeps it out of `ps` and shell history. Overrides $REDIS_AUTH_TOKEN' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l user -d 'Redis ACL user name (Redis 6+ ACLs; ElastiCache RBAC) [env: REDIS_USERNAME]. Needs a password: $REDIS_AUTH_TOKEN or --password-file' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l tls-ca-cert -d 'For rediss:// URLs: trust only the CA certificate(s) in this PEM file instead of the public roots (a self-managed Redis with its own CA)' -r -F
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l connect-timeout -d 'How long to wait for a connection (and its AUTH/HELLO handshake)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l command-timeout -d 'How long to wait for any one Redis reply (blocking reads add their block time to this)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l connect-retries -d 'How many times to retry a failed connection before giving up with exit code 3' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l connect-backoff-base -d 'First delay between connection retries; it doubles each time (with full jitter)' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l connect-backoff-cap -d 'Longest delay between connection retries' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -s q -l queue -d 'Queue name: the main list\'s key; the other keys derive from it [default: hokusai:model_ready_queue; with --profile mint, $MINT_REQUEST_QUEUE or hokusai:mint_requests]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l profile -d 'The queue\'s discipline: envelope (the platform\'s model_ready_to_deploy queue), mint (the contract deployer\'s mint requests) or opaque (anything else: exact bytes only). [default: by the queue name: hokusai:mint_requests -> mint, hokusai:model_ready_queue -> envelope, other -> opaque]' -r -f -a "envelope\t'The platform\'s `model_ready_to_deploy` queue: six-key envelopes, `retry_count` in the envelope, delayed retries in a key of the tool\'s own, DLQ wrapper `{original_message, error, failed_at, original_queue}`'
mint\t'The contract deployer\'s `hokusai:mint_requests`: flat MintRequest JSON, the deployer\'s retry set (`_retryCount` members, ms scores), idempotency set, camelCase dead letters and the operator audit list'
opaque\t'Any other list: read and show everything, move only exact bytes, never write a shape'"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l processing-key -d 'Processing list key [default: <queue>:processing]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l dlq-key -d 'Dead-letter list key [default: <queue>:dlq]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l pubsub-channel -d 'Pub/sub channel the payload is published on after each push [default: <queue>:pubsub]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l leases-key -d 'The tool\'s lease sorted-set key [default: <queue>:hokusai-queue:leases]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l retry-key -d 'Delayed-retry sorted-set key [default: envelope and opaque: <queue>:hokusai-queue:retry (the tool\'s own); mint: $MINT_REQUEST_RETRY_QUEUE or <queue>:retry (the deployer\'s)]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l replays-key -d 'DLQ replay-counter hash key [default: <queue>:hokusai-queue:replays]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l processed-key -d 'Mint: the deployer\'s idempotency set [default: $MINT_REQUEST_PROCESSED_SET or <queue>:processed]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l audit-key -d 'Mint: the operator audit list [default: $MINT_DLQ_AUDIT_KEY or <queue>:dlq:audit]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l settlements-key -d 'Mint: the settlement list [default: $MINT_REQUEST_SETTLEMENT_QUEUE or hokusai:mint_request_settlements]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l record-prefix -d 'Mint: prefix of the mint record keys [default: $MINT_RECORD_KEY_PREFIX or hokusai:mint_record:]' -r
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -s o -l output -d 'Output format: a table for people, json for scripts (jsonl for streams), prometheus (depth only) for node_exporter\'s textfile collector' -r -f -a "table\t''
json\t''
jsonl\t''
prometheus\t''"
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l cluster -d 'Talk to a Redis Cluster (follows MOVED/ASK redirects). The queue name needs a {hash tag} so that all its keys share one slot, e.g. hokusai:{model_ready_queue}'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -l tls-insecure -d 'For rediss:// URLs: do NOT verify the server\'s certificate (test servers only; prints a warning). Also required for a URL ending in #insecure'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and not __fish_seen_subcommand_from emit peek depth drain reap-stale dlq doctor help" -f -a "emit" -d 'Push messages onto the queue, validated like the platform\'s producer'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and not __fish_seen_subcommand_from emit peek depth drain reap-stale dlq doctor help" -f -a "peek" -d 'Show messages without consuming or changing them'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and not __fish_seen_subcommand_from emit peek depth drain reap-stale dlq doctor help" -f -a "depth" -d 'Show the queue\'s depth and the age of its oldest message; health gates for probes'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and not __fish_seen_subcommand_from emit peek depth drain reap-stale dlq doctor help" -f -a "drain" -d 'Consume messages reliably: to stdout, or through a handler command with retries'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and not __fish_seen_subcommand_from emit peek depth drain reap-stale dlq doctor help" -f -a "reap-stale" -d 'Return messages of crashed consumers (expired leases) to the queue; promote due retries'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and not __fish_seen_subcommand_from emit peek depth drain reap-stale dlq doctor help" -f -a "dlq" -d 'Recover the dead-letter queue: list, replay, purge (with export) and import entries'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and not __fish_seen_subcommand_from emit peek depth drain reap-stale dlq doctor help" -f -a "doctor" -d 'Check the server, the queue\'s keys, persistence, eviction, replicas and ACL permissions: OK / WARN / FAIL with the fix. Reads only; exit 1 on any FAIL'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and not __fish_seen_subcommand_from emit peek depth drain reap-stale dlq doctor help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "list" -d 'Show dead-letter entries (every shape: wrapped, bare envelope, raw bytes), oldest first. Mint: with the official tool\'s index (#0 = newest) and failure tag'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "inspect" -d 'Mint only: one entry in full, its mint record, processed flag, deadline, validity and what a replay would do. Reads only'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "replay" -d 'Move matching entries back to their original queue (or --to), unwrapped, retry_count 0. Mint: back onto the inbound list as the deployer\'s validator leaves them, audited'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "discard" -d 'Mint only: remove matching entries for good, each with an audit record (--reason)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "purge" -d 'Delete matching entries, after writing them to --export FILE when given (mint: audited, --reason required)'
complete -c hokusai-queue -n "__fish_hokusai_queue_using_subcommand help; and __fish_seen_subcommand_from dlq" -f -a "import" -d 'Put the entries of a `dlq purge --export` file back into the DLQ, byte for byte'
