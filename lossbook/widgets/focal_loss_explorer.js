// FocalLossExplorer: the focal loss -alpha (1 - p_t)^gamma ln p_t against p_t, beside -ln p_t.

const FOCAL_P_MIN = 0.001;
const FOCAL_LOSS_MAX = 5;

/**
 * @param {{model: import("@anywidget/types").AnyModel<{gamma: number, alpha: number, p_t: number}>,
 *          el: HTMLElement}} context
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const root = html("div", { class: "lossbook-widget lossbook-focal" });
  /**
   * @param {"gamma" | "alpha" | "p_t"} name
   * @returns {(value: number) => void}
   */
  const setter = (name) => (value) => {
    model.set(name, value);
    model.save_changes();
  };
  const gammaControl = rangeControl({ label: "Focusing parameter, γ", min: 0, max: 5, step: 0.1, digits: 1, onInput: setter("gamma") });
  const alphaControl = rangeControl({ label: "Class weight, α", min: 0, max: 1, step: 0.01, digits: 2, onInput: setter("alpha") });
  const pControl = rangeControl({
    label: "Probability of the true class, p_t",
    min: FOCAL_P_MIN, max: 1, step: 0.001, digits: 3, onInput: setter("p_t"),
  });

  const focal = html("strong");
  const plain = html("span");
  const factor = html("span");
  const readout = html("div", { class: "lossbook-readout" }, [
    html("p", {}, ["Focal loss −α(1 − p_t)", html("sup", {}, ["γ"]), " ln p_t = ", focal, " nats"]),
    html("p", { class: "lossbook-muted" }, ["Cross-entropy −ln p_t = ", plain, "; focal loss is α(1 − p_t)",
      html("sup", {}, ["γ"]), " = ", factor, " of it"]),
  ]);

  const plot = makePlot({ title: "Focal loss and cross-entropy against p_t", xLabel: "p_t (true class)", yLabel: "loss (nats)", yMax: FOCAL_LOSS_MAX });
  plot.node.append(svg("path", { d: plot.path(negLog), class: "lossbook-branch lossbook-branch-1" }));
  const curve = svg("path", { class: "lossbook-curve" });
  const marker = svg("circle", { r: 5, class: "lossbook-marker" });
  plot.node.append(curve, marker);
  const legend = html("p", { class: "lossbook-legend" }, [
    html("span", { class: "lossbook-key lossbook-key-curve" }, ["focal loss, this γ and α"]),
    html("span", { class: "lossbook-key lossbook-key-branch-1" }, ["cross-entropy −ln p_t"]),
  ]);

  let drawn = "";
  const update = () => {
    const gamma = model.get("gamma");
    const alpha = model.get("alpha");
    const p = model.get("p_t");
    const loss = focalLoss(p, gamma, alpha);
    // The inputs behind the loss, at full precision, for readers' tools and the tests.
    root.dataset.gamma = String(gamma);
    root.dataset.alpha = String(alpha);
    root.dataset.pT = String(p);
    root.dataset.loss = String(loss);
    focal.textContent = formatNumber(loss);
    plain.textContent = formatNumber(negLog(p));
    factor.textContent = formatNumber(alpha * Math.pow(1 - p, gamma));
    gammaControl.show(gamma);
    alphaControl.show(alpha);
    pControl.show(p);
    // Redraw the curve only when its shape changes, not on every move of p_t.
    const shape = `${gamma},${alpha}`;
    if (shape !== drawn) {
      curve.setAttribute("d", plot.path((q) => focalLoss(q, gamma, alpha)));
      drawn = shape;
    }
    marker.setAttribute("cx", String(plot.sx(p)));
    marker.setAttribute("cy", String(plot.sy(loss)));
  };
  model.on("change:gamma change:alpha change:p_t", update);
  update();
  root.append(gammaControl.row, alphaControl.row, pControl.row, readout, plot.node, legend);
  el.append(root);
  return () => model.off("change:gamma change:alpha change:p_t", update);
}

export default { render };
