#!/usr/bin/env bash
# make bench: every benchmark script, each printing its figures beside the native or peer figure
# measured in the same run, as a ratio. Machines are noisy: each figure is a median of runs.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "vphone benchmarks — $(nproc) cores, node $(node --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for script in bench/sip-parse.ts bench/sip-registrations.ts bench/codecs.ts bench/jitter-buffer.ts bench/media-fleet.ts; do
  [ -f "$script" ] || continue
  echo
  echo "== $script"
  node_modules/.bin/tsx "$script"
done
