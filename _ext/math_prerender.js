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
// Each formula's SVG is made lean (see `lean`) unless the request says "raw": true, which the
// tests use to check that the lean SVG draws the same pixels.
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

  // MathJax marks every SVG group with the MathML node it came from (data-mml-node) and every
  // glyph with its character (data-c), for its in-browser menu and explorer, which the pages do
  // not load. Its stylesheet selects on a few node kinds (tables, errors), which keep their mark,
  // and on data-c only to give every glyph a stroke, which the stylesheet written for the pages
  // gives every glyph (<use>) instead. Without the marks most groups have no attribute left and
  // draw nothing of their own, and the rest only move one glyph: a formula keeps its pixels with
  // about half the elements, which the browser then need not style and lay out.
  const STYLESHEET = adaptor.textContent(MathJax.svgStylesheet()).replaceAll("use[data-c]", "use");
  const STYLED_NODES = new Set([...STYLESHEET.matchAll(/data-mml-node="(\w+)"/g)].map((match) => match[1]));
  const UNUSED = ["data-c", "data-mjx-texclass"];
  const isElement = (node) => !["#text", "#comment"].includes(adaptor.kind(node));
  const attributes = (node) => adaptor.allAttributes(node).map((attribute) => attribute.name);

  /** Replace `node` by `replacements`, in its place. */
  function replace(node, replacements) {
    for (const replacement of replacements) adaptor.insert(replacement, node);
    adaptor.remove(node);
  }

  /** Make the SVG below `node` lean, in place: drop UNUSED, unwrap bare groups, fold moves into glyphs. */
  function lean(node) {
    for (const child of adaptor.childNodes(node).filter(isElement)) {
      lean(child);
      for (const name of UNUSED) adaptor.removeAttribute(child, name);
      if (!STYLED_NODES.has(adaptor.getAttribute(child, "data-mml-node"))) adaptor.removeAttribute(child, "data-mml-node");
      if (adaptor.kind(child) !== "g") continue;
      const names = attributes(child);
      const children = adaptor.childNodes(child);
      if (names.length === 0) {
        replace(child, children); // <g>a b</g> draws exactly a b
      } else if (names.length === 1 && names[0] === "transform" && children.length === 1
                 && adaptor.kind(children[0]) === "use" && !attributes(children[0]).includes("transform")) {
        // <g transform="T"><use/></g> draws exactly <use transform="T"/>
        adaptor.setAttribute(children[0], "transform", adaptor.getAttribute(child, "transform"));
        replace(child, children);
      }
    }
  }

  const answer = (request) => {
    if (request.css) {
      // MathJax's own SVG rules, including those that keep the MathML copy off screen but readable.
      return { css: STYLESHEET };
    }
    if (request.defs) {
      const defs = adaptor.outerHTML(output.fontCache.getCache());
      output.clearFontCache();
      return { html: `<svg style="display: none" aria-hidden="true" id="MJX-SVG-global-cache">${defs}</svg>` };
    }
    const node = MathJax.tex2svg(request.tex, { display: request.display });
    if (!request.raw) for (const svg of adaptor.tags(node, "svg")) lean(svg);
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
