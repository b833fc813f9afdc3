// SimilarityMatrix: a batch of B image–text pairs; CLIP's softmax rows or SigLIP's sigmoids per cell.

/**
 * log(1 + e^x), as max(x, 0) + log1p(e^-|x|): both terms are >= 0, so nothing cancels or overflows.
 * @param {number} x
 * @returns {number}
 */
function softplus(x) {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * What each cell shows and the loss, as lossbook.clip_loss and lossbook.siglip_loss compute them.
 * @param {number[][]} s cosine similarities, row i = image i, column j = text j
 * @param {number} tau temperature
 * @param {"clip" | "siglip"} mode
 * @param {number} bias SigLIP's bias
 * @returns {{cells: number[][], loss: number, parts: [number, number]}}
 *   parts: CLIP's mean row and column cross-entropies; SigLIP's positive and negative terms
 */
function pairLosses(s, tau, mode, bias) {
  const n = s.length;
  if (mode === "clip") {
    const logits = s.map((row) => row.map((v) => v / tau));
    const rows = logits.map((row, i) => softmaxCrossEntropy(row, i));
    const columns = logits.map((_, j) => softmaxCrossEntropy(logits.map((row) => row[j]), j));
    const mean = (/** @type {{loss: number}[]} */ xs) => xs.reduce((sum, x) => sum + x.loss, 0) / n;
    const parts = /** @type {[number, number]} */ ([mean(rows), mean(columns)]);
    return { cells: rows.map((r) => r.probabilities), loss: (parts[0] + parts[1]) / 2, parts };
  }
  const t = 1 / tau;
  let positive = 0, negative = 0;
  const cells = s.map((row, i) => row.map((v, j) => {
    const logit = t * v + bias;
    if (i === j) positive += softplus(-logit);
    else negative += softplus(logit);
    return sigmoid(logit);
  }));
  return { cells, loss: (positive + negative) / n, parts: [positive / n, negative / n] };
}

/**
 * @param {{model: import("@anywidget/types").AnyModel<{similarities: number[][], temperature: number,
 *          mode: "clip" | "siglip", bias: number}>, el: HTMLElement}} context
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const root = html("div", { class: "lossbook-widget lossbook-similarity" });
  /** @param {"temperature" | "bias"} name */
  const setter = (name) => (/** @type {number} */ value) => {
    model.set(name, value);
    model.save_changes();
  };
  const tauControl = rangeControl({ label: "Temperature τ (logits = similarity / τ)", min: 0.01, max: 1, step: 0.01, digits: 2,
    onInput: setter("temperature") });
  const biasControl = rangeControl({ label: "SigLIP bias b", min: -15, max: 5, step: 0.5, digits: 1, onInput: setter("bias") });

  const group = uniqueId("lossbook-mode");
  const choices = /** @type {const} */ ([["clip", "CLIP: softmax over each row"], ["siglip", "SigLIP: a sigmoid per cell"]]);
  const radios = choices.map(([value, text]) => {
    const id = `${group}-${value}`;
    const input = /** @type {HTMLInputElement} */ (html("input", { type: "radio", name: group, id, value, ...OWN_KEYS }));
    input.addEventListener("change", () => {
      model.set("mode", value);
      model.save_changes();
    });
    return { value, input, row: html("span", { class: "lossbook-radio" }, [input, html("label", { for: id }, [text])]) };
  });
  const modeField = html("fieldset", { class: "lossbook-choice" }, [html("legend", {}, ["Loss"]), ...radios.map((r) => r.row)]);

  const caption = html("caption");
  const table = html("table", { class: "lossbook-table lossbook-matrix" }, [caption]);
  const n = model.get("similarities").length;
  const header = html("tr", {}, [html("th", { scope: "col" }, ["image \\ text"])]);
  for (let j = 0; j < n; j++) header.append(html("th", { scope: "col" }, [`t${j}`]));
  const body = html("tbody");
  const cells = [];
  for (let i = 0; i < n; i++) {
    const tr = html("tr", {}, [html("th", { scope: "row" }, [`i${i}`])]);
    const row = [];
    for (let j = 0; j < n; j++) {
      const td = html("td", { class: i === j ? "lossbook-pair" : "" });
      row.push(td);
      tr.append(td);
    }
    cells.push(row);
    body.append(tr);
  }
  table.append(html("thead", {}, [header]), body);

  const loss = html("strong");
  const detail = html("p", { class: "lossbook-muted" });
  const readout = html("div", { class: "lossbook-readout" }, [html("p", {}, ["Loss = ", loss, " nats"]), detail]);

  const update = () => {
    const s = model.get("similarities");
    const tau = model.get("temperature");
    const mode = model.get("mode");
    const bias = model.get("bias");
    const result = pairLosses(s, tau, mode, bias);
    root.dataset.similarities = JSON.stringify(s);
    root.dataset.temperature = String(tau);
    root.dataset.mode = mode;
    root.dataset.bias = String(bias);
    root.dataset.loss = String(result.loss);
    tauControl.show(tau);
    biasControl.show(bias);
    biasControl.input.disabled = mode !== "siglip";
    radios.forEach((r) => { r.input.checked = r.value === mode; });
    caption.textContent = mode === "clip"
      ? "Probability that image i goes with text j: softmax of row i of similarity / τ. Diagonal: the true pairs."
      : `Probability that image i and text j are a pair: σ(similarity / τ + b), each cell on its own. Diagonal: the true pairs.`;
    result.cells.forEach((row, i) => row.forEach((p, j) => {
      const td = cells[i][j];
      td.textContent = p.toFixed(3);
      td.style.setProperty("--lossbook-p", `${(100 * p).toFixed(1)}%`);
    }));
    loss.textContent = formatNumber(result.loss);
    const [a, b] = result.parts.map((x) => formatNumber(x));
    detail.textContent = mode === "clip"
      ? `Mean of the rows' cross-entropy (image → text) ${a} and the columns' (text → image) ${b}. Chance level: ln ${n} = ${formatNumber(Math.log(n))}.`
      : `Sum over all ${n * n} cells, divided by ${n}: ${n} positives give ${a}, ${n * n - n} negatives give ${b}.`;
  };
  model.on("change:similarities change:temperature change:mode change:bias", update);
  update();
  root.append(modeField, tauControl.row, biasControl.row, table, readout);
  el.append(root);
  return () => model.off("change:similarities change:temperature change:mode change:bias", update);
}

export default { render };
