#!/usr/bin/env bash
# Long fuzz run (not part of the test suite): validly signed, mutated Jupyter messages on shell and control against
# the real `llmspell kernel start`, with kernel_info, the heartbeat and a second client's state checked after every
# batch. Usage: scripts/fuzz-kernel.sh [MESSAGES=50000] [SEED=random]. Loopback only, bounded by MESSAGES; it stops
# only the service it started. The last result is recorded in docs/security.md.
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES="${1:-50000}"
SEED="${2:-$RANDOM}"
BIN="${LLMSPELL_BINARY:-src/LlmSpell.Cli/bin/Release/net10.0/llmspell}"
[ -x "$BIN" ] || dotnet build src/LlmSpell.Cli -c Release --nologo -v quiet
/usr/bin/python3 -c 'import jupyter_client' 2>/dev/null || { echo "need Debian python3-jupyter-client" >&2; exit 1; }

work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
printf '[kernel]\nexecution_timeout = 5\n' > "$work/kernel.toml"
LLMSPELL_RUNTIME_DIR="$work/run" "$BIN" kernel start --port 0 --config "$work/kernel.toml" \
  --connection-file "$work/kernel.json" > "$work/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 200); do [ -s "$work/kernel.json" ] && break; sleep 0.05; done
[ -s "$work/kernel.json" ] || { cat "$work/service.log" >&2; exit 1; }

start=$(date +%s)
PYTHONPATH=tests/Shared/python /usr/bin/python3 tests/LlmSpell.EndToEnd.Tests/Reliability/fuzz_kernel.py \
  "$work/kernel.json" "$MESSAGES" "$SEED" 500 | tail -1
status=${PIPESTATUS[0]}
kill -0 "$pid" || { echo "the service died" >&2; cat "$work/service.log" >&2; exit 1; }
echo "service alive after $(( $(date +%s) - start )) s; rss $(awk '/VmRSS/ {print $2, $3}' /proc/$pid/status);" \
  "unhandled exceptions in its log: $(grep -c 'Unhandled exception' "$work/service.log" || true)"
exit "$status"
