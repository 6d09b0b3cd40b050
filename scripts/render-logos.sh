#!/usr/bin/env bash
# Renders the kernelspec logo (src/LlmSpell.Server/Api/Kernelspecs/logo-svg.svg) to logo-32x32.png and
# logo-64x64.png beside it, with headless Chromium (Debian: chromium), on a transparent background.
# Run it after editing the SVG and commit the PNGs; the build only embeds them.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$PWD/src/LlmSpell.Server/Api/Kernelspecs"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sandbox=(); [ "$(id -u)" -ne 0 ] || sandbox=(--no-sandbox)
for size in 32 64; do
  printf '<html><body style="margin:0;background:transparent"><img src="file://%s/logo-svg.svg" width="%s" height="%s" style="display:block"></body></html>\n' \
    "$dir" "$size" "$size" > "$work/logo.html"
  chromium --headless "${sandbox[@]}" --disable-gpu --hide-scrollbars --default-background-color=00000000 \
    --window-size="$size,$size" --user-data-dir="$work/profile" --screenshot="$dir/logo-${size}x${size}.png" \
    "file://$work/logo.html" 2>/dev/null
done
echo "rendered $dir/logo-32x32.png and $dir/logo-64x64.png"
