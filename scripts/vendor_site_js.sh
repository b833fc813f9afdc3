#!/usr/bin/env bash
# Refresh vendored third-party JavaScript from the npm registry (nothing is fetched at build or read time):
#   _ext/vendored/mathjax/          MathJax 3 components that _ext/math_prerender.js runs in Node.js at build
#                          time (TeX input, SVG output, assistive MathML); never shipped with the site
#   _ext/vendored/icons/            Font Awesome Free SVGs of the icons the theme shows, inlined into pages at build
#                          time (same version as pydata-sphinx-theme's fontawesome.js, which is not loaded)
#   assets/vendored/fonts/          a subset of Font Awesome's solid font with only the glyphs the theme's CSS uses
#   tests/browser/vendor/  axe-core, injected by the accessibility tests only (never shipped with the site)
# Versions are pinned here; bump them deliberately and rebuild.
set -euo pipefail
MATHJAX=3.2.2
AXE=4.14.1
FONTAWESOME=6.5.2
ICONS_SOLID="angle-left angle-right arrow-up bars circle-half-stroke code download expand file file-pdf list magnifying-glass moon rocket sun"
ICONS_BRANDS="github"
# The glyphs the theme's CSS draws with Font Awesome's solid font (its --pst-icon-* variables,
# sphinx-book-theme's "on this page" chevron, sphinx-exercise's pencil): assets/vendored/fonts/ holds a
# subset with only these, made with fontTools from the book's venv (make .venv/.installed).
FONT_GLYPHS="U+f010,U+f019,U+f057,U+f058,U+f05a,U+f064,U+f06a,U+f071,U+f0eb,U+f0f3,U+f104,U+f105,U+f107,U+f303,U+f35d"
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent "mathjax@$MATHJAX" >/dev/null
mkdir mathjax && tar xzf "mathjax-$MATHJAX.tgz" -C mathjax
out="$root/_ext/vendored/mathjax"
rm -rf "$out"
for file in node-main.js input/tex-full.js output/svg.js output/svg/fonts/tex.js a11y/assistive-mml.js; do
  mkdir -p "$(dirname "$out/$file")"
  cp "mathjax/package/es5/$file" "$out/$file"
done
cp mathjax/package/LICENSE "$out/LICENSE"
echo "mathjax@$MATHJAX es5/{node-main,input/tex-full,output/svg,output/svg/fonts/tex,a11y/assistive-mml}.js (Apache-2.0)" > "$out/VERSION"

npm pack --silent "@fortawesome/fontawesome-free@$FONTAWESOME" >/dev/null
mkdir fontawesome && tar xzf "fortawesome-fontawesome-free-$FONTAWESOME.tgz" -C fontawesome
icons="$root/_ext/vendored/icons"
rm -rf "$icons"
mkdir -p "$icons/solid" "$icons/brands"
for name in $ICONS_SOLID; do cp "fontawesome/package/svgs/solid/$name.svg" "$icons/solid/"; done
for name in $ICONS_BRANDS; do cp "fontawesome/package/svgs/brands/$name.svg" "$icons/brands/"; done
cp fontawesome/package/LICENSE.txt "$icons/LICENSE.txt"
echo "@fortawesome/fontawesome-free@$FONTAWESOME svgs/{solid,brands}/*.svg, the icons the theme shows (Icons: CC BY 4.0)" > "$icons/VERSION"
mkdir -p "$root/assets/fonts"
"$root/.venv/bin/python" -m fontTools.subset fontawesome/package/webfonts/fa-solid-900.ttf --unicodes="$FONT_GLYPHS" \
  --flavor=woff --output-file=subset.woff
# A subset is a modified font, and the licence reserves the name "Font Awesome": rename it.
"$root/.venv/bin/python" - subset.woff "$root/assets/vendored/fonts/lossbook-icons.woff" <<'PY'
import sys
from fontTools.ttLib import TTFont
font = TTFont(sys.argv[1])
names = {1: "lossbook icons", 3: "lossbook icons subset", 4: "lossbook icons", 6: "lossbook-icons", 16: "lossbook icons"}
for record in font["name"].names:
    if record.nameID in names:
        record.string = names[record.nameID]
font.save(sys.argv[2])
PY
cp fontawesome/package/LICENSE.txt "$root/assets/vendored/fonts/LICENSE.fontawesome.txt"

npm pack --silent "axe-core@$AXE" >/dev/null
mkdir axe && tar xzf "axe-core-$AXE.tgz" -C axe
mkdir -p "$root/tests/browser/vendor"
cp axe/package/axe.min.js axe/package/LICENSE "$root/tests/browser/vendor/"
echo "axe-core@$AXE axe.min.js (MPL-2.0)" > "$root/tests/browser/vendor/VERSION"
echo "vendored mathjax@$MATHJAX, @fortawesome/fontawesome-free@$FONTAWESOME icons and axe-core@$AXE"
