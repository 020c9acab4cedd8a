#!/usr/bin/env bash
# Instructions per status call for each variant of bench 1, counted by
# callgrind: noise-free on a shared machine, unlike calls per second.
# Each variant runs 1,000 and 3,000 calls; the difference over 2,000 drops
# the setup. Needs valgrind. Usage: benches/instructions.sh (from the repo root).
set -euo pipefail
bin=$(cargo bench -p camb-bench --bench status_call --no-run 2>&1 |
  sed -n 's/.*Executable .*(\(.*\))$/\1/p')
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
count() {
  valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" --only "$1" --calls "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
echo "| variant | instructions per call | vs baseline |"
echo "|---|---:|---:|"
base=""
for variant in baseline generated-type generated camb-no-timeout camb; do
  per_call=$(( ($(count "$variant" 3000) - $(count "$variant" 1000)) / 2000 ))
  base=${base:-$per_call}
  echo "| $variant | $per_call | $(awk "BEGIN { printf \"%+.1f%%\", ($per_call / $base - 1) * 100 }") |"
done
