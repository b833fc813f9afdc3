// Small DOM and SVG helpers shared by the course widgets (prepended to each widget's module).

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * Create an HTML element with attributes and children.
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElement}
 */
function html(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
}

/**
 * Create an SVG element with attributes and children.
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {(Node | string)[]} [children]
 * @returns {SVGElement}
 */
function svg(tag, attrs = {}, children = []) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
}

/**
 * An id no other element on the page has: a page may show the same widget twice.
 * @param {string} prefix
 * @returns {string}
 */
function uniqueId(prefix) {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Format a number for reading (the full value is on the widget's data-loss attribute).
 * @param {number} x
 * @param {number} [digits]
 * @returns {string}
 */
function formatNumber(x, digits = 4) {
  if (x === Infinity) return "∞";
  if (x !== 0 && Math.abs(x) < 10 ** -digits) return x.toExponential(2);
  return x.toFixed(digits);
}

/**
 * Attributes for an input that uses arrow keys, Home and End itself (range, radio). JupyterLab
 * and Notebook 7 bind those keys to notebook navigation for any focused element inside the
 * notebook; Lumino skips its shortcuts only when the focused element itself has this attribute.
 */
const OWN_KEYS = { "data-lm-suppress-shortcuts": "true" };

/**
 * @typedef {object} RangeControl
 * @property {HTMLElement} row the label, the range input and its printed value
 * @property {HTMLInputElement} input
 * @property {HTMLOutputElement} output
 * @property {(value: number) => void} show move the thumb to a value set elsewhere
 */

/**
 * A labelled range input that calls onInput with its numeric value as it moves.
 * @param {{label: string, min: number, max: number, step: number, digits: number,
 *          onInput: (value: number) => void}} options
 * @returns {RangeControl}
 */
function rangeControl({ label, min, max, step, digits, onInput }) {
  const id = uniqueId("lossbook-range");
  const input = /** @type {HTMLInputElement} */ (html("input", { type: "range", id, min, max, step, ...OWN_KEYS }));
  const output = /** @type {HTMLOutputElement} */ (html("output", { for: id }));
  const row = html("div", { class: "lossbook-control" }, [html("label", { for: id }, [label]), input, output]);
  input.addEventListener("input", () => onInput(Number(input.value)));
  /** @param {number} value */
  const show = (value) => {
    output.textContent = formatNumber(value, digits);
    // Only move the thumb when the value came from elsewhere (Python, another slider), so a
    // drag in progress is never snapped back.
    if (Number(input.value) !== value) input.value = String(value);
  };
  return { row, input, output, show };
}

/**
 * @typedef {object} Plot
 * @property {SVGSVGElement} node
 * @property {(x: number) => number} sx data x to SVG x
 * @property {(y: number) => number} sy data y to SVG y, clipped to the top of the plot
 * @property {(f: (x: number) => number) => string} path SVG path data of f over the x range
 */

/**
 * An SVG plot area for a curve on x in [0, 1] and y in [0, yMax], scaled by its viewBox so it
 * shrinks with the page.
 * @param {{title: string, xLabel: string, yLabel: string, yMax: number}} options
 * @returns {Plot}
 */
function makePlot({ title, xLabel, yLabel, yMax }) {
  const W = 400, H = 240, left = 36, right = 10, top = 10, bottom = 42;
  /** @param {number} x */
  const sx = (x) => left + x * (W - left - right);
  /** @param {number} y */
  const sy = (y) => top + (1 - Math.min(y, yMax) / yMax) * (H - top - bottom);
  const node = /** @type {SVGSVGElement} */ (
    svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": title, class: "lossbook-plot" })
  );
  const axes = svg("g", { class: "lossbook-axes" });
  axes.append(svg("line", { x1: sx(0), y1: sy(0), x2: sx(1), y2: sy(0) }));
  axes.append(svg("line", { x1: sx(0), y1: sy(0), x2: sx(0), y2: sy(yMax) }));
  for (const x of [0, 0.25, 0.5, 0.75, 1]) {
    axes.append(svg("line", { x1: sx(x), y1: sy(0), x2: sx(x), y2: sy(0) + 4 }));
    axes.append(svg("text", { x: sx(x), y: sy(0) + 16, "text-anchor": "middle" }, [String(x)]));
  }
  for (let y = 0; y <= yMax; y += yMax > 4 ? 2 : 1) {
    axes.append(svg("line", { x1: sx(0) - 4, y1: sy(y), x2: sx(0), y2: sy(y) }));
    axes.append(svg("text", { x: sx(0) - 6, y: sy(y) + 3, "text-anchor": "end" }, [String(y)]));
  }
  axes.append(svg("text", { x: sx(0.5), y: H - 6, "text-anchor": "middle" }, [xLabel]));
  axes.append(svg("text", { x: 10, y: sy(yMax / 2), "text-anchor": "middle", transform: `rotate(-90 10 ${sy(yMax / 2)})` }, [yLabel]));
  node.append(axes);
  /** @param {(x: number) => number} f */
  const path = (f) => {
    const points = [];
    for (let i = 1; i < 400; i++) {
      const x = i / 400;
      points.push(`${sx(x).toFixed(2)},${sy(f(x)).toFixed(2)}`);
    }
    return `M${points.join("L")}`;
  };
  return { node, sx, sy, path };
}
