// TrainingPlayground: a linear softmax classifier trained by full-batch gradient descent in the
// page. Every step mirrors TrainingPlayground.train in Python (same data, same formulas, the
// operations in the same order), so the page and lossbook agree on the loss after many steps.

const DATASETS = { clouds: "Three clouds", moons: "Two moons", imbalanced: "Imbalanced (one class rare)" };
const LOSSES = { cross_entropy: "Cross-entropy", squared_error: "Squared error", hinge: "Hinge", focal: "Focal" };
const STARTS = { zeros: "All zeros", wrong: "Confidently wrong" };
const WRONG_SCALE = 1.5; // TrainingPlayground.WRONG_SCALE
const CLASS_RGB = [[27, 158, 119], [217, 95, 2], [117, 112, 179]];
const STEPS_PER_FRAME = 2;
const MAX_STEPS = 5000;
const GRID = 96; // decision-region cells per side
const SYNC_MS = 250; // how often a running widget sends its state to the kernel

// --- data: the twin of lossbook/datasets.py, bit for bit ------------------------------------------

/**
 * Uniform numbers in [0, 1), multiples of 2^-32, from the mulberry32 generator.
 * @param {number} seed integer in [0, 2^32)
 * @returns {() => number}
 */
function mulberry32(seed) {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Approximately standard normal: twelve uniforms minus six, exact in floating point.
 * @param {() => number} uniform
 * @returns {number}
 */
function irwinHall(uniform) {
  let total = 0;
  for (let i = 0; i < 12; i++) total += uniform();
  return total - 6;
}

/**
 * @typedef {object} Dataset
 * @property {Float64Array} x coordinates, two per point
 * @property {Int32Array} labels
 * @property {number} k number of classes
 */

/**
 * One of the playground's datasets, as lossbook.datasets.make_dataset draws it.
 * @param {string} name
 * @param {number} seed
 * @returns {Dataset}
 */
function makeDataset(name, seed) {
  const uniform = mulberry32(seed);
  /** @type {number[]} */ const xs = [];
  /** @type {number[]} */ const labels = [];
  if (name === "moons") {
    for (const label of [0, 1]) {
      for (let i = 0; i < 150; i++) {
        const t = 2 * uniform() - 1;
        const u = (1 - t * t) / (1 + t * t);
        const v = (2 * t) / (1 + t * t);
        const [x, y] = label === 0 ? [-v, u] : [1 + v, 0.5 - u];
        const nx = x + 0.2 * irwinHall(uniform);
        xs.push(nx, y + 0.2 * irwinHall(uniform));
        labels.push(label);
      }
    }
  } else {
    const centres = [[-2, -1], [2, -1], [0, 2]];
    const counts = name === "clouds" ? [100, 100, 100] : [140, 140, 20];
    centres.forEach(([cx, cy], label) => {
      for (let i = 0; i < counts[label]; i++) {
        const nx = cx + 1.1 * irwinHall(uniform);
        xs.push(nx, cy + 1.1 * irwinHall(uniform));
        labels.push(label);
      }
    });
  }
  return { x: Float64Array.from(xs), labels: Int32Array.from(labels), k: name === "moons" ? 2 : 3 };
}

// --- the model and its losses ----------------------------------------------------------------------

/**
 * @typedef {object} Settings
 * @property {string} loss
 * @property {number} l2
 * @property {number} smoothing
 * @property {number} gamma
 */

/**
 * One example's loss, and its gradient in the logits written into grad (not yet divided by N).
 * The formulas are lossbook's: cross-entropy with smoothed targets, squared error of the
 * softmax, the Weston-Watkins hinge with margin 1, and the softmax focal loss.
 * @param {Float64Array} z logits
 * @param {number} target
 * @param {Settings} s
 * @param {Float64Array} p scratch for the probabilities
 * @param {Float64Array} grad output
 * @returns {number}
 */
function exampleLoss(z, target, s, p, grad) {
  const k = z.length;
  if (s.loss === "hinge") {
    let loss = 0, violated = 0;
    for (let j = 0; j < k; j++) {
      grad[j] = 0;
      if (j === target) continue;
      const slack = z[j] - z[target] + 1;
      if (slack > 0) { loss += slack; grad[j] = 1; violated++; }
    }
    grad[target] = -violated;
    return loss;
  }
  let m = z[0];
  for (let j = 1; j < k; j++) if (z[j] > m) m = z[j];
  let total = 0;
  for (let j = 0; j < k; j++) { p[j] = Math.exp(z[j] - m); total += p[j]; }
  for (let j = 0; j < k; j++) p[j] /= total;
  const logTotal = Math.log(total);
  if (s.loss === "cross_entropy") {
    let loss = 0;
    for (let j = 0; j < k; j++) {
      const q = (j === target ? 1 - s.smoothing : 0) + s.smoothing / k;
      if (q !== 0) loss += q * ((m - z[j]) + logTotal);
      grad[j] = p[j] - q;
    }
    return loss;
  }
  if (s.loss === "squared_error") {
    let loss = 0, dot = 0;
    for (let j = 0; j < k; j++) {
      const e = p[j] - (j === target ? 1 : 0);
      loss += e * e;
      dot += p[j] * e;
    }
    for (let j = 0; j < k; j++) grad[j] = 2 * p[j] * ((p[j] - (j === target ? 1 : 0)) - dot);
    return loss;
  }
  // Focal: -(1 - p_t)^gamma ln p_t, with 1 - p_t summed from the other classes (no cancellation).
  let rest = 0;
  for (let j = 0; j < k; j++) if (j !== target) rest += p[j];
  const logPt = (z[target] - m) - logTotal;
  const pt = p[target];
  const weight = Math.pow(rest, s.gamma);
  // d/dz_j = c (delta_tj - p_j), c = gamma (1-p_t)^(gamma-1) p_t ln p_t - (1-p_t)^gamma
  const c = rest === 0 ? 0 : s.gamma * Math.pow(rest, s.gamma - 1) * pt * logPt - weight;
  for (let j = 0; j < k; j++) grad[j] = c * ((j === target ? 1 : 0) - p[j]);
  return -weight * logPt;
}

/**
 * @typedef {object} Evaluation
 * @property {number} loss training objective: mean loss + l2 * sum of squared weights (lossbook.l2_penalty)
 * @property {number} accuracy
 * @property {Float64Array} grad gradient of the objective in the parameters (W row by row, then b)
 */

/**
 * The objective, accuracy and gradient at parameters theta, as TrainingPlayground._evaluate.
 * @param {Dataset} data
 * @param {Float64Array} theta W (2 x k, row by row) then b (k)
 * @param {Settings} s
 * @returns {Evaluation}
 */
function evaluate(data, theta, s) {
  const { x, labels, k } = data;
  const n = labels.length;
  const z = new Float64Array(k), p = new Float64Array(k), g = new Float64Array(k);
  const grad = new Float64Array(3 * k);
  let lossSum = 0, correct = 0;
  for (let i = 0; i < n; i++) {
    const x0 = x[2 * i], x1 = x[2 * i + 1];
    let best = 0, finite = true;
    for (let j = 0; j < k; j++) {
      z[j] = (x0 * theta[j] + x1 * theta[k + j]) + theta[2 * k + j];
      if (z[j] > z[best]) best = j;
      finite = finite && Number.isFinite(z[j]);
    }
    if (!finite) return { loss: NaN, accuracy: NaN, grad: grad.fill(NaN) };
    if (best === labels[i]) correct++;
    lossSum += exampleLoss(z, labels[i], s, p, g);
    for (let j = 0; j < k; j++) {
      const gij = g[j] / n;
      grad[j] += x0 * gij;
      grad[k + j] += x1 * gij;
      grad[2 * k + j] += gij;
    }
  }
  let squares = 0;
  for (let j = 0; j < 2 * k; j++) {
    squares += theta[j] * theta[j];
    grad[j] += 2 * s.l2 * theta[j];
  }
  return { loss: lossSum / n + s.l2 * squares, accuracy: correct / n, grad };
}

/**
 * The parameters training starts from, as TrainingPlayground._start_weights.
 * @param {Dataset} data
 * @param {string} start "zeros" or "wrong"
 * @returns {Float64Array}
 */
function startWeights(data, start) {
  const { x, labels, k } = data;
  const theta = new Float64Array(3 * k);
  if (start !== "wrong") return theta;
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < 2; d++) {
      let total = 0, count = 0;
      for (let i = 0; i < labels.length; i++) if (labels[i] === c) { total += x[2 * i + d]; count++; }
      theta[d * k + c] = -WRONG_SCALE * (total / count);
    }
  }
  return theta;
}

// --- the view --------------------------------------------------------------------------------------

/**
 * A labelled select whose options are the keys of choices.
 * @param {string} label
 * @param {Record<string, string>} choices
 * @param {(value: string) => void} onChange
 * @returns {{row: HTMLElement, select: HTMLSelectElement}}
 */
function selectControl(label, choices, onChange) {
  const id = uniqueId("lossbook-select");
  const select = /** @type {HTMLSelectElement} */ (html("select", { id, ...OWN_KEYS },
    Object.entries(choices).map(([value, text]) => html("option", { value }, [text]))));
  select.addEventListener("change", () => onChange(select.value));
  return { row: html("div", { class: "lossbook-control lossbook-select" }, [html("label", { for: id }, [label]), select]), select };
}

/**
 * Square bounds around the data with a margin, so the regions are not stretched.
 * @param {Dataset} data
 * @returns {{x0: number, y0: number, size: number}}
 */
function boundsOf(data) {
  let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity;
  for (let i = 0; i < data.labels.length; i++) {
    xMin = Math.min(xMin, data.x[2 * i]); xMax = Math.max(xMax, data.x[2 * i]);
    yMin = Math.min(yMin, data.x[2 * i + 1]); yMax = Math.max(yMax, data.x[2 * i + 1]);
  }
  const size = 1.1 * Math.max(xMax - xMin, yMax - yMin);
  return { x0: (xMin + xMax - size) / 2, y0: (yMin + yMax - size) / 2, size };
}

/**
 * SVG path data of a series on a chart of width w and height h, y in [0, yMax].
 * @param {number[]} values
 * @param {number} xMax
 * @param {number} yMax
 * @param {{left: number, top: number, w: number, h: number}} box
 * @returns {string}
 */
function seriesPath(values, xMax, yMax, box) {
  const stride = Math.max(1, Math.ceil(values.length / 400));
  const points = [];
  for (let i = 0; i < values.length; i += stride) {
    const v = values[i];
    if (!Number.isFinite(v)) break;
    const px = box.left + (i / xMax) * box.w;
    const py = box.top + (1 - Math.min(v, yMax) / yMax) * box.h;
    points.push(`${px.toFixed(1)},${py.toFixed(1)}`);
  }
  return points.length ? `M${points.join("L")}` : "";
}

/**
 * A small line chart of one series against the step.
 * @param {string} title
 * @param {string} curveClass
 * @returns {{node: SVGSVGElement, draw: (values: number[], xMax: number, yMax: number) => void}}
 */
function curveChart(title, curveClass) {
  const W = 200, H = 120, box = { left: 34, top: 16, w: 158, h: 80 };
  const node = /** @type {SVGSVGElement} */ (svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "lossbook-plot", "aria-hidden": "true" }));
  const yTop = svg("text", { x: box.left - 4, y: box.top + 4, "text-anchor": "end", class: "lossbook-small" });
  const xRight = svg("text", { x: box.left + box.w, y: box.top + box.h + 14, "text-anchor": "end", class: "lossbook-small" });
  const curve = svg("path", { class: curveClass });
  node.append(
    svg("text", { x: box.left, y: 10, class: "lossbook-heading" }, [title]),
    svg("line", { x1: box.left, y1: box.top + box.h, x2: box.left + box.w, y2: box.top + box.h, class: "lossbook-axes-line" }),
    svg("line", { x1: box.left, y1: box.top, x2: box.left, y2: box.top + box.h, class: "lossbook-axes-line" }),
    svg("text", { x: box.left - 4, y: box.top + box.h + 4, "text-anchor": "end", class: "lossbook-small" }, ["0"]),
    svg("text", { x: box.left, y: box.top + box.h + 14, class: "lossbook-small" }, ["step 0"]),
    yTop, xRight, curve,
  );
  return {
    node,
    draw(values, xMax, yMax) {
      yTop.textContent = formatNumber(yMax, yMax < 10 ? 2 : 0);
      xRight.textContent = String(xMax);
      curve.setAttribute("d", seriesPath(values, xMax, yMax, box));
    },
  };
}

/**
 * @param {{model: import("@anywidget/types").AnyModel<any>, el: HTMLElement}} context
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const root = html("div", { class: "lossbook-widget lossbook-playground" });

  /** @type {Map<string, Dataset>} */
  const datasets = new Map();
  const data = () => {
    const key = `${model.get("dataset")}:${model.get("seed")}`;
    if (!datasets.has(key)) datasets.set(key, makeDataset(model.get("dataset"), model.get("seed")));
    return /** @type {Dataset} */ (datasets.get(key));
  };
  /** @returns {Settings} */
  const settings = () => ({ loss: model.get("loss_function"), l2: model.get("l2"),
    smoothing: model.get("label_smoothing"), gamma: model.get("gamma") });
  const theta = () => Float64Array.from(model.get("weights"), (v) => (v === null ? NaN : v));
  // The evaluation at the model's current weights and settings: advance() has usually just
  // computed it, and update() needs it again.
  let known = { weights: null, key: "", result: /** @type {Evaluation | null} */ (null) };
  const settingsKey = () => JSON.stringify([model.get("dataset"), model.get("seed"), settings()]);
  const current = () => {
    if (known.weights !== model.get("weights") || known.key !== settingsKey()) {
      known = { weights: model.get("weights"), key: settingsKey(), result: evaluate(data(), theta(), settings()) };
    }
    return /** @type {Evaluation} */ (known.result);
  };

  // --- state changes: all go through the model, so Python and the page see the same state
  let lastSync = 0;
  /** @param {boolean} now */
  const sync = (now) => {
    if (now || performance.now() - lastSync >= SYNC_MS) {
      model.save_changes();
      lastSync = performance.now();
    }
  };
  const reset = () => {
    const start = startWeights(data(), model.get("start"));
    const first = evaluate(data(), start, settings());
    model.set("weights", Array.from(start));
    model.set("step", 0);
    model.set("loss_history", [first.loss]);
    model.set("accuracy_history", [first.accuracy]);
  };
  /** @param {number} count */
  const advance = (count) => {
    const d = data(), s = settings(), lr = model.get("learning_rate");
    const w = theta();
    const losses = [...model.get("loss_history")], accuracies = [...model.get("accuracy_history")];
    let now = current(), taken = 0;
    while (taken < count && Number.isFinite(now.loss)) {
      for (let j = 0; j < w.length; j++) w[j] = w[j] - lr * now.grad[j];
      now = evaluate(d, w, s);
      losses.push(now.loss);
      accuracies.push(now.accuracy);
      taken++;
    }
    const weights = Array.from(w, (v) => (Number.isFinite(v) ? v : null));
    known = { weights, key: settingsKey(), result: now };
    model.set("weights", weights);
    model.set("step", model.get("step") + taken);
    model.set("loss_history", losses);
    model.set("accuracy_history", accuracies);
    return Number.isFinite(now.loss) && model.get("step") < MAX_STEPS;
  };

  // --- controls
  const dataset = selectControl("Dataset", DATASETS, (value) => {
    pause();
    model.set("dataset", value);
    reset();
    sync(true);
  });
  const lossChoice = selectControl("Loss", LOSSES, (value) => {
    pause();
    model.set("loss_function", value);
    reset();
    sync(true);
  });
  const startChoice = selectControl("Start from", STARTS, (value) => {
    pause();
    model.set("start", value);
    reset();
    sync(true);
  });
  /** @param {string} name @returns {(value: number) => void} */
  const setter = (name) => (value) => { model.set(name, value); sync(true); };
  const rate = rangeControl({ label: "Learning rate (log scale)", min: -3, max: 1.5, step: 0.05, digits: 3,
    onInput: (exponent) => setter("learning_rate")(10 ** exponent) });
  const l2 = rangeControl({ label: "L2 strength", min: 0, max: 0.5, step: 0.01, digits: 2, onInput: setter("l2") });
  const smoothing = rangeControl({ label: "Label smoothing (cross-entropy)", min: 0, max: 0.5, step: 0.01, digits: 2,
    onInput: setter("label_smoothing") });
  const gamma = rangeControl({ label: "Focal γ", min: 0, max: 5, step: 0.1, digits: 1, onInput: setter("gamma") });

  const playButton = html("button", { type: "button", class: "lossbook-button", ...OWN_KEYS }, ["Play"]);
  const stepButton = html("button", { type: "button", class: "lossbook-button", ...OWN_KEYS }, ["Step"]);
  const resetButton = html("button", { type: "button", class: "lossbook-button", ...OWN_KEYS }, ["Reset"]);
  let playing = false, frame = 0;
  const tick = () => {
    const more = advance(STEPS_PER_FRAME);
    // Text and picture in this same frame, rather than the text in a microtask and the
    // picture a frame later.
    update();
    draw();
    sync(!more);
    if (more && playing) frame = requestAnimationFrame(tick);
    else pause();
  };
  const pause = () => {
    playing = false;
    cancelAnimationFrame(frame);
    playButton.textContent = "Play";
  };
  playButton.addEventListener("click", () => {
    if (playing) { pause(); sync(true); return; }
    playing = true;
    playButton.textContent = "Pause";
    frame = requestAnimationFrame(tick);
  });
  stepButton.addEventListener("click", () => { pause(); advance(1); sync(true); });
  resetButton.addEventListener("click", () => { pause(); reset(); sync(true); });

  // --- the picture: decision regions (canvas) under the data (SVG), and two curves
  const canvas = /** @type {HTMLCanvasElement} */ (html("canvas", { width: GRID, height: GRID, class: "lossbook-regions-canvas" }));
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  const image = context.createImageData(GRID, GRID);
  const points = svg("svg", { viewBox: "0 0 300 300", class: "lossbook-regions-points", "aria-hidden": "true" });
  const regions = html("div", { class: "lossbook-regions", role: "img" }, [canvas, points]);
  const lossChart = curveChart("Loss", "lossbook-curve");
  const accuracyChart = curveChart("Accuracy", "lossbook-curve lossbook-curve-second");
  const curves = html("div", { class: "lossbook-curves", role: "img" }, [lossChart.node, accuracyChart.node]);
  const stepText = html("strong"), lossText = html("strong"), accuracyText = html("strong");
  const readout = html("p", { class: "lossbook-readout" },
    ["Step ", stepText, " · loss ", lossText, " · accuracy ", accuracyText]);

  let drawnData = /** @type {Dataset | null} */ (null);
  let bounds = { x0: 0, y0: 0, size: 1 };
  const drawPoints = (/** @type {Dataset} */ d) => {
    bounds = boundsOf(d);
    const marks = [];
    for (let i = 0; i < d.labels.length; i++) {
      const px = ((d.x[2 * i] - bounds.x0) / bounds.size) * 300;
      const py = (1 - (d.x[2 * i + 1] - bounds.y0) / bounds.size) * 300;
      const label = d.labels[i], cls = `lossbook-point lossbook-class-${label}`;
      // A different shape per class, so the classes differ without colour too.
      marks.push(label === 0 ? svg("circle", { cx: px.toFixed(1), cy: py.toFixed(1), r: 4, class: cls })
        : label === 1 ? svg("rect", { x: (px - 3.5).toFixed(1), y: (py - 3.5).toFixed(1), width: 7, height: 7, class: cls })
          : svg("path", { d: `M${px.toFixed(1)},${(py - 4.5).toFixed(1)}l4,7.5h-8z`, class: cls }));
    }
    points.replaceChildren(...marks);
    drawnData = d;
  };
  const drawRegions = (/** @type {Dataset} */ d, /** @type {Float64Array} */ w) => {
    const k = d.k, pixels = image.data, z = new Float64Array(k);
    for (let row = 0; row < GRID; row++) {
      const y = bounds.y0 + (1 - (row + 0.5) / GRID) * bounds.size;
      for (let col = 0; col < GRID; col++) {
        const x = bounds.x0 + ((col + 0.5) / GRID) * bounds.size;
        let best = 0, total = 0;
        for (let j = 0; j < k; j++) {
          z[j] = x * w[j] + y * w[k + j] + w[2 * k + j];
          if (z[j] > z[best]) best = j;
        }
        for (let j = 0; j < k; j++) total += Math.exp(z[j] - z[best]);
        // Stronger colour where the model is surer: the winning probability, from 1/k to 1.
        const confidence = Number.isFinite(total) ? (1 / total - 1 / k) / (1 - 1 / k) : 0;
        const o = 4 * (row * GRID + col), rgb = CLASS_RGB[best];
        pixels[o] = rgb[0]; pixels[o + 1] = rgb[1]; pixels[o + 2] = rgb[2];
        pixels[o + 3] = Math.round(255 * (0.1 + 0.4 * confidence));
      }
    }
    context.putImageData(image, 0, 0);
  };

  let drawPending = false;
  const draw = () => {
    drawPending = false;
    const d = data();
    if (drawnData !== d) drawPoints(d);
    drawRegions(d, theta());
    const losses = model.get("loss_history"), accuracies = model.get("accuracy_history");
    const xMax = Math.max(50, losses.length - 1);
    const finite = losses.filter(Number.isFinite);
    lossChart.draw(losses, xMax, Math.max(1e-3, ...finite.slice(0, 2000)));
    accuracyChart.draw(accuracies, xMax, 1);
  };

  // Text, attributes and controls follow the model at once; the pictures on the next frame.
  let updatePending = false, shownControls = "";
  const update = () => {
    if (!updatePending) return;
    updatePending = false;
    const { loss, accuracy } = current();
    const step = model.get("step");
    const summary = `step ${step}, loss ${formatNumber(loss)}, accuracy ${formatNumber(accuracy, 3)}`;
    root.dataset.loss = String(loss);
    root.dataset.accuracy = String(accuracy);
    root.dataset.step = String(step);
    stepText.textContent = String(step);
    lossText.textContent = formatNumber(loss);
    accuracyText.textContent = formatNumber(accuracy, 3);
    regions.setAttribute("aria-label", `Decision regions of the ${data().k} classes with the training points, at ${summary}`);
    curves.setAttribute("aria-label", `Training loss and accuracy over the steps so far; now ${summary}`);
    // The controls change rarely; rewriting them every frame while playing would cost a layout.
    const controlsKey = settingsKey() + model.get("start") + model.get("learning_rate");
    if (controlsKey !== shownControls) {
      shownControls = controlsKey;
      dataset.select.value = model.get("dataset");
      lossChoice.select.value = model.get("loss_function");
      startChoice.select.value = model.get("start");
      const lr = model.get("learning_rate");
      rate.show(Math.log10(lr));
      rate.output.textContent = formatNumber(lr, lr < 0.01 ? 4 : 3);
      rate.input.setAttribute("aria-valuetext", `learning rate ${rate.output.textContent}`);
      l2.show(model.get("l2"));
      smoothing.show(model.get("label_smoothing"));
      smoothing.input.disabled = model.get("loss_function") !== "cross_entropy";
      gamma.show(model.get("gamma"));
      gamma.input.disabled = model.get("loss_function") !== "focal";
    }
    if (!drawPending) {
      drawPending = true;
      requestAnimationFrame(() => drawPending && draw());
    }
  };
  const schedule = () => {
    if (updatePending) return;
    updatePending = true;
    queueMicrotask(update);
  };
  const events = ["dataset", "seed", "loss_function", "start", "learning_rate", "l2", "label_smoothing", "gamma",
    "weights", "step", "loss_history", "accuracy_history"].map((name) => `change:${name}`);
  for (const event of events) model.on(event, schedule);
  updatePending = true;
  update();
  draw();

  root.append(
    html("div", { class: "lossbook-buttons" }, [playButton, stepButton, resetButton]),
    readout,
    html("div", { class: "lossbook-playground-view" }, [regions, curves]),
    html("div", { class: "lossbook-playground-controls" },
      [dataset.row, lossChoice.row, startChoice.row, rate.row, l2.row, smoothing.row, gamma.row]),
  );
  el.append(root);
  return () => {
    pause();
    for (const event of events) model.off(event, schedule);
  };
}

export default { render };
