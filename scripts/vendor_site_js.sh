#!/usr/bin/env bash
# Refresh the third-party browser files the site and its tests serve themselves (no CDN):
#   assets/mathjax/        MathJax 3, SVG output (one self-contained file, so it also works from file://)
#   tests/browser/vendor/  axe-core, injected by the accessibility tests only (never shipped with the site)
# Versions are pinned here; bump them deliberately and rebuild.
set -euo pipefail
MATHJAX=3.2.2
AXE=4.14.1
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent "mathjax@$MATHJAX" >/dev/null
mkdir mathjax && tar xzf "mathjax-$MATHJAX.tgz" -C mathjax
mkdir -p "$root/assets/mathjax"
cp mathjax/package/es5/tex-svg.js "$root/assets/mathjax/tex-svg.js"
cp mathjax/package/LICENSE "$root/assets/mathjax/LICENSE"
echo "mathjax@$MATHJAX es5/tex-svg.js (Apache-2.0)" > "$root/assets/mathjax/VERSION"

npm pack --silent "axe-core@$AXE" >/dev/null
mkdir axe && tar xzf "axe-core-$AXE.tgz" -C axe
mkdir -p "$root/tests/browser/vendor"
cp axe/package/axe.min.js axe/package/LICENSE "$root/tests/browser/vendor/"
echo "axe-core@$AXE axe.min.js (MPL-2.0)" > "$root/tests/browser/vendor/VERSION"
echo "vendored mathjax@$MATHJAX and axe-core@$AXE"
