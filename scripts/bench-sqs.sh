#!/usr/bin/env bash
# Sourced by scripts/bench.sh (needs its $R, $HQ, $WORK, $URL, row, now, rate, ratio): emit to SQS
# and migrate Redis <-> SQS of SQS_N messages against moto's emulator (scripts/ensure-moto.sh),
# with the emulator's own ceiling measured in the same run: a plain SDK send loop (boto3
# send_message_batch, 10 a call, one call at a time) into a queue of its own, and for the way
# back a plain receive+delete loop. Standard queues:
# moto's FIFO queues slow down as they fill (every send scans the queue for its dedupe id), which
# would measure moto, not the tool. Fake credentials; nothing reaches AWS.
# moto runs through scripts/moto-bench-server.py: moto 5 counts every message of the queue on
# each send, receive and delete, so 100k messages never finish; the launcher makes those lookups
# linear without changing an answer (the tests use moto_server as it is).
SQS_N=${SQS_N:-$N}
MOTO=$(scripts/ensure-moto.sh)
MOTO_PY=$(dirname "$MOTO")/python
MOTO_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$MOTO_PY" scripts/moto-bench-server.py -H 127.0.0.1 -p "$MOTO_PORT" >"$WORK/moto.log" 2>&1 &
MOTO_PID=$!
trap 'kill "$MOTO_PID" 2>/dev/null || true; redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$MOTO_PORT") 2>/dev/null && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_SESSION_TOKEN
ENDPOINT="http://127.0.0.1:$MOTO_PORT"
sqs_queue() { "$MOTO_PY" -c "import boto3,sys; print(boto3.client('sqs', endpoint_url='$ENDPOINT').create_queue(QueueName=sys.argv[1])['QueueUrl'])" "$1"; }
BASE_Q=$(sqs_queue bench-baseline); EMIT_Q=$(sqs_queue bench-emit); MIG_Q=$(sqs_queue bench-migrate)
head -n "$SQS_N" "$WORK/events.jsonl" > "$WORK/sqs-events.jsonl"
ENV_LINE=$(head -1 "$WORK/sqs-events.jsonl")

echo "SQS baseline: boto3 send loop of $SQS_N..." >&2
SQS_BASE_S=$("$MOTO_PY" - "$ENDPOINT" "$BASE_Q" "$SQS_N" "$ENV_LINE" <<'PY'
import sys, time, boto3
endpoint, url, n, body = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
c = boto3.client("sqs", endpoint_url=endpoint)
t = time.time()
for start in range(0, n, 10):
    entries = [{"Id": str(i), "MessageBody": body} for i in range(min(10, n - start))]
    out = c.send_message_batch(QueueUrl=url, Entries=entries)
    assert not out.get("Failed"), out
print(time.time() - t)
PY
)
SQS_BASE=$(rate "$SQS_N" "$SQS_BASE_S")

echo "emit --file $SQS_N to SQS..." >&2
t0=$(now); "$HQ" --sqs-queue-url "$EMIT_Q" --endpoint-url "$ENDPOINT" emit --file "$WORK/sqs-events.jsonl" >/dev/null; t1=$(now)
SQS_EMIT=$(rate "$SQS_N" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")

echo "migrate --to sqs $SQS_N..." >&2
$R del bench:m >/dev/null
"$HQ" -q bench:m emit --no-publish --file "$WORK/sqs-events.jsonl" >/dev/null
t0=$(now); "$HQ" -q bench:m --sqs-queue-url "$MIG_Q" --endpoint-url "$ENDPOINT" migrate --to sqs >"$WORK/mig.out" 2>"$WORK/mig.err" || { cat "$WORK/mig.err" >&2; }; t1=$(now)
SQS_MIG=$(rate "$SQS_N" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
MIG_NOTE=$(grep -o 'verified\|NOT verified' "$WORK/mig.out" | head -1)

echo "migrate --to redis $SQS_N..." >&2
t0=$(now); "$HQ" -q bench:m --sqs-queue-url "$MIG_Q" --endpoint-url "$ENDPOINT" migrate --to redis >"$WORK/back.out" 2>"$WORK/back.err" || { cat "$WORK/back.err" >&2; }; t1=$(now)
SQS_BACK=$(rate "$SQS_N" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')")
BACK_NOTE="$(grep -o 'verified\|NOT verified' "$WORK/back.out" | head -1); back on Redis: $($R llen bench:m)"
echo "SQS baseline: boto3 receive+delete loop of the $SQS_N emitted..." >&2
SQS_RECV_S=$("$MOTO_PY" - "$ENDPOINT" "$EMIT_Q" "$SQS_N" <<'PY'
import sys, time, boto3
endpoint, url, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = boto3.client("sqs", endpoint_url=endpoint)
t, got = time.time(), 0
while got < n:
    ms = c.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60).get("Messages", [])
    if not ms:
        break
    c.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(ms)])
    got += len(ms)
print(time.time() - t)
PY
)
SQS_RECV=$(rate "$SQS_N" "$SQS_RECV_S")
kill "$MOTO_PID" 2>/dev/null || true

row "sqs: boto3 send loop $SQS_N (moto)" "$SQS_BASE msg/s" "1.00" "" "" "the emulator's ceiling for one sender: send_message_batch of 10, one call at a time"
row "emit --file $SQS_N to SQS" "$SQS_EMIT msg/s" "$(ratio "$SQS_EMIT" "$SQS_BASE")" "" "" "standard queue; 10 a call, 8 calls in flight"
row "migrate --to sqs $SQS_N" "$SQS_MIG msg/s" "$(ratio "$SQS_MIG" "$SQS_BASE")" "" "" "Redis -> standard queue, batches of 100 claimed, sent 4 calls at a time, acked; $MIG_NOTE"
row "sqs: boto3 receive+delete loop $SQS_N" "$SQS_RECV msg/s" "1.00" "" "" "the emulator's ceiling for one receiver: receive 10, delete_message_batch"
row "migrate --to redis $SQS_N" "$SQS_BACK msg/s" "$(ratio "$SQS_BACK" "$SQS_RECV")" "" "" "ratio to the receive loop; receive 10, push, delete; $BACK_NOTE"
