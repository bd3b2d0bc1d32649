#!/usr/bin/env bash
# Checks the Flink jobs against scripts/spec-check.mjs (plain loops over SPEC.md) on a small input:
# every query at parallelism 1 and 2 (the seed job at 1 only: its pairwise-mean reduce depends on
# the order in which a device's readings arrive, which two source subtasks interleave freely).
#   bench/reference/flink/scripts/check.sh [EVENTS] [RATE]      (defaults 20000 and 1000)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
events="${1:-20000}"
rate="${2:-1000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failed=0
node "$here/scripts/spec-check.mjs" --dump 1000 > "$tmp/dump-js.txt"
"$here/run.sh" --dump 1000 > "$tmp/dump-flink.txt"
if cmp -s "$tmp/dump-js.txt" "$tmp/dump-flink.txt"; then echo "generator: first 1000 events identical"; else echo "generator: DIFFERENT"; failed=1; fi
for q in q0 q1 q2 q3 q5 q7 q8 q11 seed; do
  node "$here/scripts/spec-check.mjs" --query "$q" --events "$events" --rate "$rate" > "$tmp/$q-js.txt"
  for p in 1 2; do
    [[ "$q" == seed && "$p" == 2 ]] && continue
    "$here/run.sh" --query "$q" --events "$events" --rate "$rate" --parallelism "$p" --output "$tmp/$q-p$p.txt" > /dev/null
    if cmp -s "$tmp/$q-js.txt" "$tmp/$q-p$p.txt"; then
      echo "$q p=$p: $(wc -l < "$tmp/$q-js.txt") lines identical"
    else
      echo "$q p=$p: DIFFERENT ($(wc -l < "$tmp/$q-js.txt") expected, $(wc -l < "$tmp/$q-p$p.txt") from Flink)"
      failed=1
    fi
  done
done
exit "$failed"
