#!/usr/bin/env bash
# Runs every test. Installs what the tests need first (Debian packages, NuGet restore, the npm Dockerfile linter),
# then prints one summary line counted from the TRX results: "tests: N passed, M failed[, K skipped]".
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(python3-jupyter-client jupyter-console python3-nbclient python3-ipykernel prometheus systemd logrotate tmux openssl curl procps util-linux
  clang lld zlib1g-dev chromium chromium-driver python3-selenium fonts-dejavu-core
  jupyter-server python3-jupyter-server python3-websocket jupyter-notebook python3-notebook postgresql)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Test tools from npm, kept out of the tree's tracked files: the Dockerfile linter and the official LLM SDKs that
# prove the provider doubles speak the real wire formats (LlmSpell.Llm.Tests/Doubles).
NPM_TOOLS=(dockerfilelint@1.8.0 openai@7.55.0 @anthropic-ai/sdk@1.10.0 ollama@0.6.4)
npm_missing=0
for tool in "${NPM_TOOLS[@]}"; do
  name="${tool%@*}"; version="${tool##*@}"
  manifest="tests/tools/node_modules/$name/package.json"
  [ -f "$manifest" ] && grep -q "\"version\": *\"$version\"" "$manifest" || npm_missing=1
done
if [ "$npm_missing" -eq 1 ]; then
  mkdir -p tests/tools
  npm install --silent --no-audit --no-fund --prefix tests/tools "${NPM_TOOLS[@]}" >/dev/null
fi

results="TestResults"
rm -rf "$results"
dotnet build LlmSpell.sln -c Release --nologo -v quiet

# The end-to-end suite drives the Native AOT binary, published once per run (LLMSPELL_BINARY overrides it).
# The publish log is kept: a test fails on any trim/AOT warning from our own assemblies.
if [ -z "${LLMSPELL_BINARY:-}" ]; then
  mkdir -p artifacts
  dotnet publish src/LlmSpell.Cli/LlmSpell.Cli.csproj -c Release -r linux-x64 -o artifacts/aot --nologo \
    > artifacts/aot-publish.log 2>&1 || { cat artifacts/aot-publish.log; exit 1; }
  export LLMSPELL_BINARY="$PWD/artifacts/aot/llmspell"
  export LLMSPELL_AOT_PUBLISH_LOG="$PWD/artifacts/aot-publish.log"
fi
# The PostgreSQL state tests get a throwaway server (127.0.0.1 on a free port, a random password), stopped and deleted
# on exit, also on failure. A caller that exports LLMSPELL_TEST_POSTGRES brings its own server instead.
if [ -z "${LLMSPELL_TEST_POSTGRES:-}" ]; then
  postgres_dir="$(mktemp -d /tmp/llmspell-pg-XXXXXX)"
  stop_postgres() {
    local status=$?
    scripts/postgres-for-tests.sh destroy "$postgres_dir" || echo "warning: could not stop the test PostgreSQL in $postgres_dir" >&2
    exit "$status"
  }
  trap stop_postgres EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  scripts/postgres-for-tests.sh start "$postgres_dir"
  LLMSPELL_TEST_POSTGRES="$(cat "$postgres_dir/connection_string")"
  export LLMSPELL_TEST_POSTGRES
fi
set +e
dotnet test LlmSpell.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?
set -e

python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True):
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", ns):
        outcome = result.get("outcome")
        if outcome == "Passed": passed += 1
        elif outcome == "NotExecuted": skipped += 1
        else: failed += 1
line = f"tests: {passed} passed, {failed} failed"
if skipped: line += f", {skipped} skipped"
print(line)
PY
exit $status
