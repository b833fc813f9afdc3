// SoftmaxExplorer: three logits, their softmax, the cross-entropy and its gradient p − y.

const LOGIT_RANGE = 10;
const CLASSES = [0, 1, 2];

/**
 * @param {{model: import("@anywidget/types").AnyModel<{logits: number[], target: number}>, el: HTMLElement}} context
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const root = html("div", { class: "lossbook-widget lossbook-softmax" });
  const controls = CLASSES.map((k) => rangeControl({
    label: `Logit of class ${k}, z${k}`,
    min: -LOGIT_RANGE, max: LOGIT_RANGE, step: 0.1, digits: 1,
    onInput: (z) => {
      // A new array, so the model sees a change.
      const logits = [...model.get("logits")];
      logits[k] = z;
      model.set("logits", logits);
      model.save_changes();
    },
  }));
  const group = uniqueId("lossbook-target");
  const radios = CLASSES.map((k) => {
    const id = `${group}-${k}`;
    const input = /** @type {HTMLInputElement} */ (html("input", { type: "radio", name: group, id, value: k, ...OWN_KEYS }));
    input.addEventListener("change", () => {
      model.set("target", k);
      model.save_changes();
    });
    return { input, row: html("span", { class: "lossbook-radio" }, [input, html("label", { for: id }, [`class ${k}`])]) };
  });
  const targetField = html("fieldset", { class: "lossbook-choice" }, [html("legend", {}, ["True class"]), ...radios.map((r) => r.row)]);
  const loss = html("strong");
  const readout = html("p", { class: "lossbook-readout" }, ["Cross-entropy −ln p", html("sub", {}, ["target"]), " = ", loss, " nats"]);

  // One row per class: its probability as a bar on [0, 1], its gradient as a bar on [−1, 1].
  const W = 400, rowH = 36, top = 20, labelW = 72, half = (W - labelW - 20) / 4;
  const probX = labelW, gradZero = labelW + 2 * half + 20 + half;
  const chart = svg("svg", { viewBox: `0 0 ${W} ${top + rowH * CLASSES.length}`, class: "lossbook-plot", role: "img",
    "aria-label": "Softmax probabilities and gradient of the loss for each class" });
  chart.append(
    svg("text", { x: probX, y: 12, class: "lossbook-heading" }, ["softmax p"]),
    svg("text", { x: gradZero, y: 12, "text-anchor": "middle", class: "lossbook-heading" }, ["gradient p − y"]),
    svg("line", { x1: gradZero, y1: top - 2, x2: gradZero, y2: top + rowH * CLASSES.length, class: "lossbook-axes-line" }),
  );
  const bars = CLASSES.map((k) => {
    const y = top + k * rowH;
    const label = svg("text", { x: 0, y: y + 14 }, [`class ${k}`]);
    const prob = svg("rect", { x: probX, y: y + 4, height: 14, class: "lossbook-bar" });
    const probText = svg("text", { x: probX, y: y + 30, class: "lossbook-small" });
    const grad = svg("rect", { y: y + 4, height: 14, class: "lossbook-bar-signed" });
    const gradText = svg("text", { x: gradZero, y: y + 30, "text-anchor": "middle", class: "lossbook-small" });
    chart.append(label, prob, probText, grad, gradText);
    return { label, prob, probText, grad, gradText };
  });

  const update = () => {
    const logits = model.get("logits");
    const target = model.get("target");
    const result = softmaxCrossEntropy(logits, target);
    root.dataset.logits = JSON.stringify(logits);
    root.dataset.target = String(target);
    root.dataset.loss = String(result.loss);
    loss.textContent = formatNumber(result.loss);
    CLASSES.forEach((k) => {
      controls[k].show(logits[k]);
      radios[k].input.checked = k === target;
      const b = bars[k];
      b.label.setAttribute("class", k === target ? "lossbook-target" : "");
      b.prob.setAttribute("width", String(2 * half * result.probabilities[k]));
      b.probText.textContent = formatNumber(result.probabilities[k], 3);
      const g = result.gradient[k];
      b.grad.setAttribute("x", String(gradZero + Math.min(g, 0) * half));
      b.grad.setAttribute("width", String(Math.abs(g) * half));
      b.gradText.textContent = formatNumber(g, 3);
    });
  };
  model.on("change:logits change:target", update);
  update();
  root.append(...controls.map((c) => c.row), targetField, readout, chart);
  el.append(root);
  return () => model.off("change:logits change:target", update);
}

export default { render };
