#!/bin/sh
# hokusai-queue drain --exec-stream 'sh examples/stream-handler.sh': one envelope per line on
# stdin; for the Nth line, one answer on stdout: "ok N", "retry N REASON" or "dead N REASON".
n=0
while IFS= read -r message; do
  n=$((n + 1))
  model=$(printf '%s\n' "$message" | sed -n 's/.*"model_id":"\([^"]*\)".*/\1/p')
  if [ -z "$model" ]; then echo "dead $n no payload.model_id"; continue; fi
  # stdout carries the answers only: the deploy's own output goes to stderr.
  if ${DEPLOY_CMD:-./deploy.sh} "$model" >&2; then echo "ok $n"; else echo "retry $n deploy of $model failed"; fi
done
