#!/usr/bin/env bash
# make bench: every benchmark script, each printing its figures beside the native or peer figure
# measured in the same run, as a ratio. Machines are noisy: each figure is a median of runs.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "vphone benchmarks — $(nproc) cores, node $(node --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for script in bench/sip-parse.ts bench/sip-registrations.ts bench/codecs.ts bench/jitter-buffer.ts bench/media-udp-floor.ts bench/media-fleet.ts; do
  [ -f "$script" ] || continue
  echo
  echo "== $script"
  # The product's V8 settings (bin/vphone): a larger young generation cuts GC work by ~1/3 for
  # the many small, short-lived objects of SIP traffic (6,000 lines: 8.1 % -> 5.5 % of a core),
  # and without V8's memory reducer (made for idle browser tabs) the heap is not shrunk between
  # bursts of traffic only to be regrown by repeated full GCs (6,000 lines: ~4.2 % -> ~2.6 %).
  # Node refuses these in NODE_OPTIONS: they go on the command line, tsx as an --import.
  node --max-semi-space-size=32 --no-memory-reducer --import tsx "$script"
done
# The peer figure of the media sockets: the same 500-pair fleet over node:dgram instead of the
# batched UDP addon (native/udp), in the same run.
if [ -f bench/media-fleet.ts ]; then
  echo
  echo "== bench/media-fleet.ts over node:dgram (VPHONE_UDP=dgram), for comparison"
  VPHONE_UDP=dgram node --max-semi-space-size=32 --no-memory-reducer --import tsx bench/media-fleet.ts --pairs 500 --workers 2
fi
