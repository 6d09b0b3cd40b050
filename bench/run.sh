#!/usr/bin/env bash
# Reproducible benchmarks: the control plane and the kernel, for the Native AOT binary and the JIT build side by side
# in one run, each against ipykernel. Usage: bench/run.sh [--quick]
# Writes raw results to bench/results/<UTC timestamp>/ (gitignored) and prints a Markdown summary.
# Bounded: full < 10 min, --quick < 3 min on a 2-core machine; loopback only; stops only processes it started.
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=""
[[ "${1:-}" == "--quick" ]] && QUICK="--quick"
PY=/usr/bin/python3
OUT="bench/results/$(date -u +%Y%m%dT%H%M%SZ)${QUICK:+-quick}"
mkdir -p "$OUT"
JIT=src/LlmSpell.Cli/bin/Release/net10.0/llmspell
AOT=artifacts/aot/llmspell
CSHARP=bench/LlmSpell.Bench/bin/Release/net10.0/LlmSpell.Bench

for tool in wrk hyperfine; do command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y wrk hyperfine" >&2; exit 1; }; done
$PY -c 'import jupyter_client, ipykernel, zmq' || { echo "need Debian python3-jupyter-client python3-ipykernel python3-zmq" >&2; exit 1; }

build() {  # retry: other builds may hold file locks
  for i in 1 2 3; do dotnet build "$1" -c Release -nologo -v q >"$OUT/build.log" 2>&1 && return 0; sleep 5; done
  cat "$OUT/build.log" >&2; return 1
}
echo "[bench] building" >&2
build src/LlmSpell.Cli
build bench/LlmSpell.Bench
echo "[bench] publishing the Native AOT binary" >&2
dotnet publish src/LlmSpell.Cli/LlmSpell.Cli.csproj -c Release -r linux-x64 -o artifacts/aot --nologo >"$OUT/publish.log" 2>&1 \
  || { cat "$OUT/publish.log" >&2; exit 1; }

machine() {
  $PY - "$1" <<'PY'
import json, os, platform, subprocess, sys
def sh(*c):
    try: return subprocess.run(c, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception as e: return str(e)
import jupyter_client, ipykernel, zmq
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(json.dumps({"when": sys.argv[1], "loadavg": open("/proc/loadavg").read().split()[:3], "nproc": os.cpu_count(),
  "cpu": cpu, "mem_total": next(l.split(":")[1].strip() for l in open("/proc/meminfo") if l.startswith("MemTotal")),
  "kernel": platform.release(), "dotnet": sh("dotnet", "--version"), "python": platform.python_version(),
  "jupyter_client": jupyter_client.__version__, "ipykernel": ipykernel.__version__, "pyzmq": zmq.__version__,
  "libzmq": zmq.zmq_version(), "wrk": sh("wrk", "-v").splitlines()[0] if sh("wrk", "-v") else "?",
  "hyperfine": sh("hyperfine", "--version"), "git": sh("git", "rev-parse", "--short", "HEAD")}))
PY
}
machine before >"$OUT/machine-before.json"
START=$(date +%s)
for build in aot jit; do
  LLMSPELL=$AOT; [ "$build" = jit ] && LLMSPELL=$JIT
  mkdir -p "$OUT/$build"
  echo "[bench] $build: control plane" >&2
  timeout 300 $PY bench/control_plane.py $QUICK --llmspell "$LLMSPELL" --out "$OUT/$build/control.json"
  echo "[bench] $build: kernels" >&2
  timeout 420 $PY bench/kernel_bench.py $QUICK --llmspell "$LLMSPELL" --csharp "$CSHARP" --out "$OUT/$build/kernel.json"
done
machine after >"$OUT/machine-after.json"
echo "$(( $(date +%s) - START ))" >"$OUT/elapsed_s"
$PY bench/report.py "$OUT" | tee "$OUT/summary.md"
echo "[bench] raw results in $OUT" >&2
