#!/usr/bin/env bash
# Fuzzes the simulator against the spec: Schemathesis (PyPI `schemathesis`)
# generates requests for every operation of spec/generated/openapi-3.1.json,
# valid and invalid, sends them to `camb-simulator`, and runs every check on
# the answers (statuses, bodies and headers as documented, invalid input
# refused, valid input accepted, ...). Exit code: Schemathesis's (0: clean).
#
#   scripts/schemathesis.sh                    # every operation, every check
#   scripts/schemathesis.sh --max-examples 500 # more cases; any other flag passes on
#
# Seed, case count and cache are set in scripts/schemathesis.toml, so a run
# is reproducible (flags given here override them); that file and
# scripts/schemathesis_hooks.py say where the simulator may rightly answer
# differently from what Schemathesis assumes, and why.
#
# Needs python3 (not part of CI, which has no Python). The tool is installed
# once into target/schemathesis-venv (SCHEMATHESIS_VENV to use another venv).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
venv=${SCHEMATHESIS_VENV:-$root/target/schemathesis-venv}
version=4.32.5

if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet "schemathesis==$version"
fi

cargo build --quiet --manifest-path "$root/Cargo.toml" -p camb-simulator
lines=$(mktemp)
"$root/target/debug/camb-simulator" --port 0 >"$lines" 2>/dev/null &
simulator=$!
trap 'kill "$simulator" 2>/dev/null; rm -f "$lines"' EXIT

# The simulator prints its base URL, then its key.
for _ in $(seq 100); do
    [ "$(wc -l <"$lines")" -ge 2 ] && break
    sleep 0.1
done
base_url=$(sed -n 1p "$lines")
api_key=$(sed -n 2p "$lines")
[ -n "$base_url" ] && [ -n "$api_key" ] || { echo "the simulator did not start" >&2; exit 2; }

# The hooks tell the fuzzer how Pydantic's lax mode reads integers.
SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$root/scripts${PYTHONPATH:+:$PYTHONPATH}" \
    "$venv/bin/schemathesis" --config-file "$root/scripts/schemathesis.toml" \
    run "$root/spec/generated/openapi-3.1.json" \
    --url "$base_url" \
    --header "x-api-key: $api_key" \
    --checks all \
    --generation-database none \
    "$@"
