#!/usr/bin/env bash
# Jupyter gateway benchmark (issue 12): one llmspell service reached over ZeroMQ, its own websocket (legacy and v1)
# and Jupyter Server 1.23 in gateway mode; POST /api/kernels to the first kernel_info_reply with prespawn 0 and 2.
# Usage: bench/gateway/run.sh [--quick] [--jit]
#   default: the Native AOT binary artifacts/aot/llmspell (published if missing); --jit: the JIT build output.
# Writes raw results to bench/results/<UTC timestamp>-gateway[-quick]/ (gitignored) and prints a Markdown summary.
# Bounded: full < 10 min, --quick < 3 min on a 2-core machine (after the build); loopback only; stops only the
# processes it started, by PID (the harness by its Popen handles; this script's trap by the PIDs it recorded).
set -euo pipefail
cd "$(dirname "$0")/../.."
QUICK=""; BUILD=aot
for a in "$@"; do case "$a" in --quick) QUICK="--quick";; --jit) BUILD=jit;; *) echo "usage: $0 [--quick] [--jit]" >&2; exit 2;; esac; done
PY=/usr/bin/python3
OUT="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-gateway${QUICK:+-quick}"
mkdir -p "$OUT"

$PY -c 'import jupyter_server, jupyter_client, zmq, websocket, tornado' 2>/dev/null \
  || { echo "need Debian jupyter-server python3-jupyter-client python3-zmq python3-websocket" >&2; exit 1; }
if [ "$BUILD" = aot ]; then
  LLMSPELL=artifacts/aot/llmspell
  if [ ! -x "$LLMSPELL" ]; then
    echo "[gateway] publishing the Native AOT binary (a few minutes on 2 cores)" >&2
    dotnet publish src/LlmSpell.Cli/LlmSpell.Cli.csproj -c Release -r linux-x64 -o artifacts/aot --nologo >"$OUT/publish.log" 2>&1 \
      || { cat "$OUT/publish.log" >&2; exit 1; }
  fi
else
  LLMSPELL=src/LlmSpell.Cli/bin/Release/net10.0/llmspell
  echo "[gateway] building" >&2
  ok=""; for i in 1 2 3; do dotnet build src/LlmSpell.Cli -c Release -nologo -v q >"$OUT/build.log" 2>&1 && { ok=1; break; }; sleep 5; done
  [ -n "$ok" ] || { cat "$OUT/build.log" >&2; exit 1; }
fi

# The C# NetMQ client (bench/LlmSpell.Bench) is a reference row: the kernel's ZeroMQ speed with a lean client.
CSHARP=bench/LlmSpell.Bench/bin/Release/net10.0/LlmSpell.Bench
CSHARP_ARG=()
echo "[gateway] building the C# reference client" >&2
for i in 1 2 3; do dotnet build bench/LlmSpell.Bench -c Release -nologo -v q >"$OUT/build-csharp.log" 2>&1 && break; sleep 5; done
if [ -x "$CSHARP" ]; then CSHARP_ARG=(--csharp "$CSHARP"); else echo "[gateway] C# client did not build; its row is skipped" >&2; fi

HARNESS=""
cleanup() {  # the harness stops its children itself; this is for a harness that was killed before it could
  local pid start
  if [ -n "$HARNESS" ] && kill -0 "$HARNESS" 2>/dev/null; then
    kill -TERM "$HARNESS" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$HARNESS" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$HARNESS" 2>/dev/null || true
  fi
  [ -f "$OUT/pids" ] || return 0
  while read -r pid start; do  # only if that PID is still the process the harness started (same start time)
    if [ -r "/proc/$pid/stat" ] && [ "$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f20)" = "$start" ]; then
      kill -TERM "$pid" 2>/dev/null || true; sleep 1; kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
  done <"$OUT/pids"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

machine() {
  $PY - "$1" "$BUILD" "$LLMSPELL" <<'PY'
import json, os, platform, subprocess, sys
def sh(*c):
    try: return subprocess.run(c, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception as e: return str(e)
import jupyter_server, jupyter_client, tornado, websocket, zmq
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(json.dumps({"when": sys.argv[1], "build": sys.argv[2], "llmspell_version": sh(sys.argv[3], "--version"),
  "loadavg": open("/proc/loadavg").read().split()[:3], "nproc": os.cpu_count(), "cpu": cpu,
  "mem_total": next(l.split(":")[1].strip() for l in open("/proc/meminfo") if l.startswith("MemTotal")),
  "kernel": platform.release(), "dotnet": sh("dotnet", "--version"), "python": platform.python_version(),
  "jupyter_server": jupyter_server.__version__, "jupyter_client": jupyter_client.__version__, "tornado": tornado.version,
  "websocket_client": websocket.__version__, "pyzmq": zmq.__version__, "libzmq": zmq.zmq_version(),
  "git": sh("git", "rev-parse", "--short", "HEAD")}))
PY
}
machine before >"$OUT/machine-before.json"
START=$(date +%s)
timeout -s TERM 540 $PY bench/gateway/bench.py $QUICK --llmspell "$LLMSPELL" "${CSHARP_ARG[@]}" --out "$OUT" &
HARNESS=$!
wait "$HARNESS"
HARNESS=""
machine after >"$OUT/machine-after.json"
echo "$(( $(date +%s) - START ))" >"$OUT/elapsed_s"
$PY bench/gateway/report.py "$OUT" | tee "$OUT/summary.md"
echo "[gateway] raw results in $OUT" >&2
