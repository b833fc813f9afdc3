// BernoulliExplorer: likelihood and binary cross-entropy of a prediction p against a label y.

const LOGIT_MAX = 7;
const BRANCH_MAX = 5;

/**
 * @param {{model: import("@anywidget/types").AnyModel<{p: number, y: number}>, el: HTMLElement}} context
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const root = html("div", { class: "lossbook-widget lossbook-bernoulli" });
  /** @param {number} p */
  const setP = (p) => {
    model.set("p", p);
    model.save_changes();
  };
  const pControl = rangeControl({ label: "Predicted probability, p", min: 0.001, max: 0.999, step: 0.001, digits: 3, onInput: setP });
  const zControl = rangeControl({
    label: "Same prediction as a logit, z = ln(p / (1 − p))",
    min: -LOGIT_MAX, max: LOGIT_MAX, step: 0.01, digits: 2,
    onInput: (z) => setP(sigmoid(z)),
  });
  const yControl = rangeControl({
    label: "Label, y (0 or 1; values between are soft labels)",
    min: 0, max: 1, step: 0.01, digits: 2,
    onInput: (y) => {
      model.set("y", y);
      model.save_changes();
    },
  });
  const likelihood = html("strong");
  const loss = html("strong");
  const branch1 = html("span");
  const branch0 = html("span");
  const readout = html("div", { class: "lossbook-readout" }, [
    html("p", {}, ["Likelihood p", html("sup", {}, ["y"]), "(1 − p)", html("sup", {}, ["1−y"]), " = ", likelihood]),
    html("p", {}, ["Binary cross-entropy = ", loss, " nats"]),
    html("p", { class: "lossbook-muted" }, ["Branches at this p: −ln p = ", branch1, " (y = 1), −ln(1 − p) = ", branch0, " (y = 0)"]),
  ]);

  const plot = makePlot({ title: "Binary cross-entropy against p, with its two branches", xLabel: "p", yLabel: "loss (nats)", yMax: BRANCH_MAX });
  plot.node.append(
    svg("path", { d: plot.path(negLog), class: "lossbook-branch lossbook-branch-1" }),
    svg("path", { d: plot.path((p) => -Math.log1p(-p)), class: "lossbook-branch lossbook-branch-0" }),
  );
  const mixture = svg("path", { class: "lossbook-curve" });
  const marker = svg("circle", { r: 5, class: "lossbook-marker" });
  plot.node.append(mixture, marker);
  const legend = html("p", { class: "lossbook-legend" }, [
    html("span", { class: "lossbook-key lossbook-key-curve" }, ["loss for this y"]),
    html("span", { class: "lossbook-key lossbook-key-branch-1" }, ["−ln p (y = 1)"]),
    html("span", { class: "lossbook-key lossbook-key-branch-0" }, ["−ln(1 − p) (y = 0)"]),
  ]);

  let drawnY = NaN;
  const update = () => {
    const p = model.get("p");
    const y = model.get("y");
    const value = binaryCrossEntropy(p, y);
    root.dataset.p = String(p);
    root.dataset.y = String(y);
    root.dataset.loss = String(value);
    likelihood.textContent = formatNumber(bernoulliLikelihood(p, y));
    loss.textContent = formatNumber(value);
    branch1.textContent = formatNumber(negLog(p));
    branch0.textContent = formatNumber(binaryCrossEntropy(p, 0));
    pControl.show(p);
    if (p > 0 && p < 1) zControl.show(logit(p));
    yControl.show(y);
    if (y !== drawnY) {
      mixture.setAttribute("d", plot.path((q) => binaryCrossEntropy(q, y)));
      drawnY = y;
    }
    marker.setAttribute("cx", String(plot.sx(p)));
    marker.setAttribute("cy", String(plot.sy(value)));
  };
  model.on("change:p change:y", update);
  update();
  root.append(pControl.row, zControl.row, yControl.row, readout, plot.node, legend);
  el.append(root);
  return () => model.off("change:p change:y", update);
}

export default { render };
