#!/usr/bin/env bash
# Cluster benchmark (issue 13): three llmspell instances on loopback in cluster mode (plus one alone) in one run.
#   1. the hop: execute round trip over the websocket to A's kernel, connected to A vs connected to B (forwarded)
#   2. kernel starts per second: POST /api/kernels, 4 concurrent clients, one instance alone vs the cluster via A
# Usage: bench/cluster/run.sh [--quick] [--binary PATH | --jit]
#   default binary: artifacts/aot/llmspell of this worktree, else of the main worktree (git worktree list);
#   --jit: the JIT build output (built here).
# Writes raw results to bench/results/<UTC timestamp>-cluster[-quick]/ (gitignored) and prints a Markdown summary.
# Bounded: full < 8 min, --quick < 3 min; loopback only; stops only the processes it started, by PID (the harness
# by its Popen handles; this script's trap by the PIDs and start times the harness recorded).
set -euo pipefail
cd "$(dirname "$0")/../.."
QUICK=""; BIN=""; JIT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK="--quick";;
    --jit) JIT=1;;
    --binary) BIN="${2:?--binary needs a path}"; shift;;
    *) echo "usage: $0 [--quick] [--binary PATH | --jit]" >&2; exit 2;;
  esac
  shift
done
PY=/usr/bin/python3
$PY -c 'import websocket' 2>/dev/null || { echo "need Debian python3-websocket" >&2; exit 1; }
OUT="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-cluster${QUICK:+-quick}"
mkdir -p "$OUT"
if [ -n "$JIT" ]; then
  BIN=src/LlmSpell.Cli/bin/Release/net10.0/llmspell
  echo "[cluster] building" >&2
  ok=""; for _ in 1 2 3; do dotnet build src/LlmSpell.Cli -c Release --nologo -v quiet >"$OUT/build.log" 2>&1 && { ok=1; break; }; sleep 5; done
  [ -n "$ok" ] || { cat "$OUT/build.log" >&2; exit 1; }
elif [ -z "$BIN" ]; then
  MAIN_WT=$(git worktree list --porcelain 2>/dev/null | sed -n '1s/^worktree //p')
  for c in artifacts/aot/llmspell "${MAIN_WT:-.}/artifacts/aot/llmspell"; do [ -x "$c" ] && { BIN=$c; break; }; done
  [ -n "$BIN" ] || { echo "no Native AOT binary: publish one (dotnet publish src/LlmSpell.Cli/LlmSpell.Cli.csproj -c Release -r linux-x64 -o artifacts/aot) or pass --binary / --jit" >&2; exit 1; }
fi
[ -x "$BIN" ] || { echo "not executable: $BIN" >&2; exit 1; }
echo "[cluster] binary $BIN" >&2

HARNESS=""
cleanup() {  # the harness stops its children itself; this is for a harness that was killed before it could
  local pid start
  if [ -n "$HARNESS" ] && kill -0 "$HARNESS" 2>/dev/null; then
    kill -TERM "$HARNESS" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$HARNESS" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$HARNESS" 2>/dev/null || true
  fi
  [ -f "$OUT/pids" ] || return 0
  while read -r pid start; do  # only a PID that is still the process the harness started (same start time)
    if [ -r "/proc/$pid/stat" ] && [ "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f20)" = "$start" ]; then
      kill -TERM "$pid" 2>/dev/null || true; sleep 1; kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
  done <"$OUT/pids"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -n "$QUICK" ]; then LIMIT=150; OUTER=170; else LIMIT=420; OUTER=460; fi
timeout -s TERM "$OUTER" $PY bench/cluster/bench_cluster.py $QUICK --llmspell "$BIN" --out "$OUT" --time-limit "$LIMIT" &
HARNESS=$!
wait "$HARNESS"
HARNESS=""
$PY bench/cluster/report_cluster.py "$OUT" | tee "$OUT/summary.md"
echo "[cluster] raw results in $OUT" >&2
