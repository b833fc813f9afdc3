// SurprisalText: a text shaded character by character by its surprisal −ln p under a character model.

const MODELS = [["bigram", "Bigram (the character before)"], ["unigram", "Unigram (no context)"]];
const SHADE_MAX = 5; // nats at which the shading is darkest (p ≈ 0.007)

/** How a character reads aloud and in the readout: spaces and line ends are named. */
function showChar(c) {
  if (c === " ") return "space";
  if (c === "\n") return "line end";
  return `“${c}”`;
}

/**
 * Surprisal of each predicted character (all but the first) at temperature T.
 * @param {{text: string, alphabet: string, unigram: number[], bigram: number[][], model: string, temperature: number}} s
 * @returns {{p: number, nats: number}[]}
 */
function surprisals(s) {
  const index = new Map([...s.alphabet].map((c, i) => [c, i]));
  const ids = [...s.text].map((c) => index.get(c));
  const scaled = (row) => row.map((v) => v / s.temperature);
  const unigram = scaled(s.unigram);
  const rows = new Map();
  const out = [];
  for (let t = 1; t < ids.length; t++) {
    const prev = ids[t - 1];
    let z = unigram;
    if (s.model === "bigram") {
      if (!rows.has(prev)) rows.set(prev, scaled(s.bigram[prev]));
      z = rows.get(prev);
    }
    const r = softmaxCrossEntropy(z, ids[t]);
    out.push({ p: r.probabilities[ids[t]], nats: r.loss });
  }
  return out;
}

/**
 * @param {{model: import("@anywidget/types").AnyModel<any>, el: HTMLElement}} context
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const root = html("div", { class: "lossbook-widget lossbook-surprisal" });
  const control = rangeControl({
    label: "Temperature T (logits ÷ T)",
    min: 0.25, max: 3, step: 0.05, digits: 2,
    onInput: (t) => {
      model.set("temperature", t);
      model.save_changes();
    },
  });
  const group = uniqueId("lossbook-model");
  const radios = MODELS.map(([value, label]) => {
    const id = `${group}-${value}`;
    const input = /** @type {HTMLInputElement} */ (html("input", { type: "radio", name: group, id, value, ...OWN_KEYS }));
    input.addEventListener("change", () => {
      model.set("model", value);
      model.save_changes();
    });
    return { input, value, row: html("span", { class: "lossbook-radio" }, [input, html("label", { for: id }, [label])]) };
  });
  const modelField = html("fieldset", { class: "lossbook-choice" }, [html("legend", {}, ["Model"]), ...radios.map((r) => r.row)]);

  const nats = html("strong");
  const perplexity = html("strong");
  const bits = html("strong");
  const readout = html("p", { class: "lossbook-readout" },
    ["Mean loss ", nats, " nats per character · perplexity ", perplexity, " · ", bits, " bits per character"]);
  const hintId = uniqueId("lossbook-hint");
  const hint = html("p", { id: hintId, class: "lossbook-muted lossbook-small-text" },
    ["Darker means more surprising. Hover a character, or focus the text and use the arrow keys, Home and End."]);
  const passage = html("div", {
    class: "lossbook-passage", tabindex: 0, role: "group", "aria-roledescription": "text",
    "aria-label": "Text shaded by surprisal", "aria-describedby": hintId, ...OWN_KEYS,
  });
  const detail = html("p", { class: "lossbook-readout", "aria-live": "polite" });
  const worstList = html("ol", { class: "lossbook-worst" });
  const summary = html("details", { class: "lossbook-alt" },
    [html("summary", {}, ["The most surprising characters, as text"]), worstList]);

  /** @type {string[]} */
  let chars = [];
  /** @type {HTMLElement[]} */
  let spans = [];
  const setText = (text) => {
    chars = [...text];
    // A line end is drawn as ↵ and the text flows around it: the source's hard line breaks would
    // leave ragged short lines in a narrow box.
    spans = chars.map((c, t) => html("span", { class: t === 0 ? "lossbook-context" : "lossbook-token", "data-t": t },
      [c === "\n" ? "↵" : c]));
    passage.replaceChildren(...spans);
    active = 1;
  };
  /** @type {{p: number, nats: number}[]} */
  let values = [];
  let active = 1;

  const context = (t) => (model.get("model") === "bigram" ? ` after ${showChar(chars[t - 1])}` : "");
  const describe = (t) => {
    const v = values[t - 1];
    return `${showChar(chars[t])}${context(t)}: p = ${formatNumber(v.p)}, −ln p = ${formatNumber(v.nats, 3)} nats`;
  };
  const show = (t) => {
    spans[active].classList.remove("lossbook-active");
    active = Math.min(Math.max(t, 1), chars.length - 1);
    spans[active].classList.add("lossbook-active");
    detail.textContent = `Character ${active} of ${chars.length - 1}: ${describe(active)}`;
    root.dataset.active = String(active);
    root.dataset.activeP = String(values[active - 1].p);
  };
  passage.addEventListener("mouseover", (event) => {
    const t = Number(/** @type {HTMLElement} */ (event.target).dataset?.t);
    if (t >= 1) show(t);
  });
  passage.addEventListener("keydown", (event) => {
    const moves = { ArrowRight: active + 1, ArrowDown: active + 1, ArrowLeft: active - 1, ArrowUp: active - 1,
      Home: 1, End: chars.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      show(moves[event.key]);
    }
  });
  passage.addEventListener("focus", () => show(active));

  const update = () => {
    const state = {
      text: model.get("text"), alphabet: model.get("alphabet"), unigram: model.get("unigram"),
      bigram: model.get("bigram"), model: model.get("model"), temperature: model.get("temperature"),
    };
    if (state.text !== chars.join("")) setText(state.text);
    values = surprisals(state);
    const mean = values.reduce((a, v) => a + v.nats, 0) / values.length;
    root.dataset.loss = String(mean);
    root.dataset.model = state.model;
    root.dataset.temperature = String(state.temperature);
    nats.textContent = formatNumber(mean, 3);
    perplexity.textContent = formatNumber(Math.exp(mean), 2);
    bits.textContent = formatNumber(mean / Math.LN2, 3);
    control.show(state.temperature);
    radios.forEach((r) => { r.input.checked = r.value === state.model; });
    values.forEach((v, i) => {
      const span = spans[i + 1];
      span.style.setProperty("--shade", String(Math.min(v.nats / SHADE_MAX, 1)));
      span.title = `p = ${formatNumber(v.p)}, −ln p = ${formatNumber(v.nats, 3)} nats`;
    });
    const worst = values.map((v, i) => i + 1).sort((a, b) => values[b - 1].nats - values[a - 1].nats).slice(0, 5);
    worstList.replaceChildren(...worst.map((t) => html("li", {}, [describe(t)])));
    show(active);
  };
  model.on("change", update);
  update();
  root.append(modelField, control.row, readout, hint, passage, detail, summary);
  el.append(root);
  return () => model.off("change", update);
}

export default { render };
