#!/usr/bin/env bash
# LLM-call benchmark (issue 11): llmspell against the official OpenAI SDK (npm) on one provider double, same run.
# Usage: bench/llm/run.sh [--quick] [--aot]   (--aot: use artifacts/aot/llmspell, publishing it if missing)
# Writes raw results to bench/results/<UTC timestamp>-llm/ (gitignored) and prints a Markdown summary.
# Bounded (< 3 min after the build; --quick < 1.5 min); loopback only; stops only the processes it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
QUICK=""; BUILD=jit
for a in "$@"; do case "$a" in --quick) QUICK="--quick";; --aot) BUILD=aot;; *) echo "usage: $0 [--quick] [--aot]" >&2; exit 2;; esac; done
PY=/usr/bin/python3
OUT="bench/results/$(date -u +%Y%m%dT%H%M%SZ)-llm${QUICK:+-quick}"
mkdir -p "$OUT"
LLMSPELL=src/LlmSpell.Cli/bin/Release/net10.0/llmspell
SDK=tests/tools/node_modules/openai/index.mjs

command -v node >/dev/null || { echo "missing node (20+)" >&2; exit 1; }
if [ ! -f "$SDK" ]; then
  echo "[llm] installing openai@7.55.0 into tests/tools" >&2
  npm install --silent --no-audit --no-fund --prefix tests/tools openai@7.55.0
fi
if [ "$BUILD" = aot ]; then
  LLMSPELL=artifacts/aot/llmspell
  if [ ! -x "$LLMSPELL" ]; then
    echo "[llm] publishing the Native AOT binary" >&2
    dotnet publish src/LlmSpell.Cli/LlmSpell.Cli.csproj -c Release -r linux-x64 -o artifacts/aot --nologo >"$OUT/publish.log" 2>&1 \
      || { cat "$OUT/publish.log" >&2; exit 1; }
  fi
else
  echo "[llm] building" >&2
  ok=""; for i in 1 2 3; do dotnet build src/LlmSpell.Cli -c Release -nologo -v q >"$OUT/build.log" 2>&1 && { ok=1; break; }; sleep 5; done
  [ -n "$ok" ] || { cat "$OUT/build.log" >&2; exit 1; }
fi

machine() {
  $PY - "$1" "$BUILD" "$SDK" <<'PY'
import json, os, platform, subprocess, sys
def sh(*c):
    try: return subprocess.run(c, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception as e: return str(e)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
sdk = json.load(open(os.path.join(os.path.dirname(sys.argv[3]), "package.json")))["version"]
print(json.dumps({"when": sys.argv[1], "build": sys.argv[2], "loadavg": open("/proc/loadavg").read().split()[:3],
  "nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(), "dotnet": sh("dotnet", "--version"),
  "node": sh("node", "--version"), "openai_sdk": sdk, "python": platform.python_version(),
  "git": sh("git", "rev-parse", "--short", "HEAD")}))
PY
}
machine before >"$OUT/machine-before.json"
START=$(date +%s)
timeout 170 $PY bench/llm/bench.py $QUICK --llmspell "$LLMSPELL" --sdk "$SDK" --out "$OUT"
machine after >"$OUT/machine-after.json"
echo "$(( $(date +%s) - START ))" >"$OUT/elapsed_s"
$PY bench/llm/report.py "$OUT" | tee "$OUT/summary.md"
echo "[llm] raw results in $OUT" >&2
