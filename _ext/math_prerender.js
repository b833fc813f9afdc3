// Typesets TeX to SVG for _ext/math_prerender.py, once, when the book is built, so that pages
// ship their maths as inline SVG (with MathML beside it for screen readers) and load no MathJax.
//
// Usage: node math_prerender.js <folder holding MathJax's es5 components>
// Reads one JSON request per line on stdin and writes one JSON answer per line on stdout:
//   {"tex": "...", "display": true}  ->  {"html": "<mjx-container ...>...</mjx-container>"}
//                                       or {"error": "message"} if the TeX does not parse
//   {"defs": true}                   ->  {"html": "<svg ...><defs>...</defs></svg>"}: the glyph
//                                       shapes of every formula since the last such request,
//                                       which the page carries once (MathJax's global font cache)
//   {"css": true}                    ->  {"css": "..."}: the stylesheet the SVG output needs
"use strict";

const readline = require("readline");
const path = require("path");

const components = path.resolve(process.argv[2]);

require(path.join(components, "node-main.js")).init({
  loader: { paths: { mathjax: components }, load: ["input/tex-full", "output/svg", "a11y/assistive-mml"] },
  // Glyphs are defined once per page and referenced by every formula that uses them.
  svg: { fontCache: "global" },
  startup: { typeset: false },
}).then((MathJax) => {
  const adaptor = MathJax.startup.adaptor;
  const output = MathJax.startup.output;
  output.clearFontCache();

  const answer = (request) => {
    if (request.css) {
      // MathJax's own SVG rules, including those that keep the MathML copy off screen but readable.
      return { css: adaptor.textContent(MathJax.svgStylesheet()) };
    }
    if (request.defs) {
      const defs = adaptor.outerHTML(output.fontCache.getCache());
      output.clearFontCache();
      return { html: `<svg style="display: none" aria-hidden="true" id="MJX-SVG-global-cache">${defs}</svg>` };
    }
    const node = MathJax.tex2svg(request.tex, { display: request.display });
    const error = adaptor.tags(node, "mjx-merror")[0] ?? adaptor.tags(node, "merror")[0];
    if (error) return { error: adaptor.getAttribute(error, "data-mjx-error") || adaptor.textContent(error) };
    // A display equation wider than the column scrolls sideways; tabindex lets a keyboard
    // reader scroll it too (MathJax's interactive build makes every container focusable).
    if (request.display) adaptor.setAttribute(node, "tabindex", "0");
    return { html: adaptor.outerHTML(node) };
  };

  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    let reply;
    try {
      reply = answer(JSON.parse(line));
    } catch (error) {
      reply = { error: String(error && error.message ? error.message : error) };
    }
    process.stdout.write(JSON.stringify(reply) + "\n");
  });
}).catch((error) => {
  process.stderr.write(`MathJax did not start: ${error}\n`);
  process.exit(1);
});
