// ConfidenceSlider: the loss -log p against the probability p of the true class.

const REFERENCE_P = [0.95, 0.9, 0.8, 0.6, 0.4, 0.2, 0.1, 0.05, 0.01];
const P_MIN = 0.001;
const LOSS_MAX = 7; // just above -ln 0.001, the slider's lower end

/**
 * @param {{model: import("@anywidget/types").AnyModel<{p: number}>, el: HTMLElement}} context
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const root = html("div", { class: "lossbook-widget lossbook-confidence" });
  const control = rangeControl({
    label: "Probability of the true class, p",
    min: P_MIN, max: 1, step: 0.001, digits: 3,
    onInput: (p) => {
      model.set("p", p);
      model.save_changes();
    },
  });
  const nats = html("strong");
  const bits = html("strong");
  const readout = html("p", { class: "lossbook-readout" }, ["Loss −ln p = ", nats, " nats = ", bits, " bits"]);

  const plot = makePlot({ title: "Loss −ln p against p", xLabel: "p (true class)", yLabel: "−ln p", yMax: LOSS_MAX });
  plot.node.append(svg("path", { d: plot.path(negLog), class: "lossbook-curve" }));
  for (const p of REFERENCE_P) {
    plot.node.append(svg("circle", { cx: plot.sx(p), cy: plot.sy(negLog(p)), r: 2.5, class: "lossbook-ref" },
      [svg("title", {}, [`p = ${p}: ${formatNumber(negLog(p))} nats`])]));
  }
  const marker = svg("circle", { r: 5, class: "lossbook-marker" });
  plot.node.append(marker);

  const rows = REFERENCE_P.map((p) => html("tr", {}, [
    html("td", {}, [String(p)]), html("td", {}, [formatNumber(negLog(p))]), html("td", {}, [formatNumber(-Math.log2(p))]),
  ]));
  const table = html("table", { class: "lossbook-table" }, [
    html("caption", {}, ["Reference points"]),
    html("thead", {}, [html("tr", {}, [html("th", { scope: "col" }, ["p"]), html("th", { scope: "col" }, ["nats"]), html("th", { scope: "col" }, ["bits"])])]),
    html("tbody", {}, rows),
  ]);

  const update = () => {
    const p = model.get("p");
    const loss = negLog(p);
    // The inputs behind the loss, at full precision, for readers' tools and the tests.
    root.dataset.p = String(p);
    root.dataset.loss = String(loss);
    nats.textContent = formatNumber(loss);
    bits.textContent = formatNumber(p === 0 ? Infinity : -Math.log2(p));
    control.show(p);
    marker.setAttribute("cx", String(plot.sx(p)));
    marker.setAttribute("cy", String(plot.sy(loss)));
  };
  model.on("change:p", update);
  update();
  root.append(control.row, readout, html("div", { class: "lossbook-figure" }, [plot.node, table]));
  el.append(root);
  return () => model.off("change:p", update);
}

export default { render };
