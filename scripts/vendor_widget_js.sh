#!/usr/bin/env bash
# Refresh the browser files that run the course widgets on the static site, from the npm registry
# (no CDN at run time). Into assets/widgets/:
#   require.js      requirejs: the AMD loader html-manager expects on the page
#   embed-amd.js    @jupyter-widgets/html-manager: renders the widget state myst-nb embeds in each page
#   *.woff, *.woff2 its icon fonts, which it looks up beside its own module URL
#   anywidget.js    anywidget's AMD front end, which runs each widget's own ES module
#   LICENSE.*, NOTICES.html-manager.txt, VERSION
# require-config.js (maps those module names to this folder) is the site's own file and is kept.
# Versions are pinned and must match the Python anywidget/ipywidgets in requirements.txt; bump
# them deliberately, rebuild the book and run tests/browser.
set -euo pipefail
REQUIREJS=2.3.7
HTML_MANAGER=1.0.15
ANYWIDGET=0.11.0
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/assets/widgets"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

unpack() {  # unpack <npm spec> <dir>: fetch one pinned tarball and extract it into <dir>
  local tarball
  tarball=$(npm pack --silent "$1")
  mkdir "$2" && tar xzf "$tarball" -C "$2" --strip-components=1
}
unpack "requirejs@$REQUIREJS" requirejs
unpack "@jupyter-widgets/html-manager@$HTML_MANAGER" html-manager
unpack "anywidget@$ANYWIDGET" anywidget

mkdir -p "$out"
rm -f "$out"/*.woff "$out"/*.woff2
cp requirejs/require.js "$out/require.js"
cp html-manager/dist/embed-amd.js html-manager/dist/*.woff html-manager/dist/*.woff2 "$out/"
# The bundle's notices for the libraries it includes (jQuery, Lumino, ...).
cp html-manager/dist/embed.js.LICENSE.txt "$out/NOTICES.html-manager.txt"
cp anywidget/dist/index.js "$out/anywidget.js"
cp anywidget/LICENSE "$out/LICENSE.anywidget"

# Neither requirejs nor html-manager ships a LICENSE file; their package.json declare MIT and
# BSD-3-Clause, and these are the LICENSE files of their source repositories
# (github.com/requirejs/requirejs, github.com/jupyter-widgets/ipywidgets).
cat > "$out/LICENSE.requirejs" <<'TXT'
Copyright jQuery Foundation and other contributors, https://jquery.org/

This software consists of voluntary contributions made by many
individuals. For exact contribution history, see the revision history
available at https://github.com/requirejs/requirejs

The following license applies to all parts of this software except as
documented below:

====

Permission is hereby granted, free of charge, to any person obtaining
a copy of this software and associated documentation files (the
"Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to
the following conditions:

The above copyright notice and this permission notice shall be
included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION
OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

====

Copyright and related rights for sample code are waived via CC0. Sample
code is defined as all source code displayed within the prose of the
documentation.

CC0: http://creativecommons.org/publicdomain/zero/1.0/

====

Files located in the node_modules directory, and certain utilities used
to build or test the software in the test and dist directories, are
externally maintained libraries used by this software which have their own
licenses; we recommend you read them, as their terms may differ from the
terms above.
TXT
cat > "$out/LICENSE.html-manager" <<'TXT'
Copyright (c) 2015 Project Jupyter Contributors
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this
   list of conditions and the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice,
   this list of conditions and the following disclaimer in the documentation
   and/or other materials provided with the distribution.

3. Neither the name of the copyright holder nor the names of its
   contributors may be used to endorse or promote products derived from
   this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
TXT

cat > "$out/VERSION" <<TXT
requirejs@$REQUIREJS require.js (MIT)
@jupyter-widgets/html-manager@$HTML_MANAGER dist/embed-amd.js and its .woff/.woff2 fonts (BSD-3-Clause)
anywidget@$ANYWIDGET dist/index.js as anywidget.js (MIT)
TXT
echo "vendored requirejs@$REQUIREJS, @jupyter-widgets/html-manager@$HTML_MANAGER, anywidget@$ANYWIDGET into assets/widgets/"
