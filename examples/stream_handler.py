#!/usr/bin/env python3
"""hokusai-queue drain --exec-stream 'python3 examples/stream_handler.py': one envelope per line
on stdin; for the Nth line, one answer on stdout: "ok N", "retry N REASON" or "dead N REASON"."""
import json, os, subprocess, sys

for n, line in enumerate(sys.stdin, 1):
    try:
        model = json.loads(line)["payload"]["model_id"]
    except (ValueError, KeyError, TypeError) as e:
        print(f"dead {n} unreadable message: {e!r}", flush=True)
        continue
    # stdout carries the answers only: the deploy's own output goes to stderr.
    deployed = subprocess.run([os.environ.get("DEPLOY_CMD", "./deploy.sh"), model], stdout=sys.stderr)
    print(f"ok {n}" if deployed.returncode == 0 else f"retry {n} deploy of {model} failed", flush=True)
