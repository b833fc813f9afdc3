// Question: a self-check question, numeric or multiple-choice, checked in the browser.
// Contract for readers' tools and the tests: the root carries data-check ("" before an answer,
// then "right" or "wrong") and, once Show answer is pressed, data-answer (the number, or the
// exact label of the right choice).

/**
 * Read a number the way a reader may type it: "0.5", ".5", "−2" (a typographic minus), "0,5",
 * "1e-3", possibly followed by a unit ("2 bits").
 * @param {string} text
 * @returns {number} NaN when the text does not start with a number
 */
function parseAnswer(text) {
  let t = text.trim().replace(/[\u2212\u2013]/g, "-");
  if (!t.includes(".")) t = t.replace(",", ".");
  const match = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(t);
  return match ? Number(match[0]) : NaN;
}

/**
 * @param {{model: import("@anywidget/types").AnyModel<any>, el: HTMLElement}} context
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const get = (/** @type {string} */ name) => model.get(name);
  const numeric = get("kind") === "numeric";
  const [chapter, key, answer, tolerance, units] = ["chapter", "key", "answer", "tolerance", "units"].map(get);
  const root = html("div", { class: "lossbook-widget lossbook-question", "data-check": "", "data-kind": get("kind") });
  const feedbackId = uniqueId("lossbook-feedback");
  const feedback = html("p", { id: feedbackId, class: "lossbook-feedback", role: "status" });
  const shownAnswer = numeric ? `${formatNumber(answer, get("digits"))}${units ? ` ${units}` : ""}` : answer;

  /** @type {() => number | string | null} the reader's answer, or null if none is given yet */
  let readAnswer;
  /** @type {HTMLElement} */
  let entry;
  /** @type {HTMLInputElement[]} */
  let radios = [];
  if (numeric) {
    const id = uniqueId("lossbook-answer");
    const input = /** @type {HTMLInputElement} */ (html("input", {
      type: "text", id, inputmode: "decimal", autocomplete: "off", spellcheck: "false",
      class: "lossbook-answer", "aria-describedby": feedbackId, ...OWN_KEYS,
    }));
    readAnswer = () => (input.value.trim() ? parseAnswer(input.value) : null);
    entry = html("div", { class: "lossbook-entry" }, [
      html("label", { for: id, class: "lossbook-prompt" }, [get("prompt")]),
      html("span", { class: "lossbook-answer-row" }, [input, ...(units ? [html("span", {}, [units])] : [])]),
    ]);
  } else {
    const name = uniqueId("lossbook-choice");
    const labels = get("choices").map((/** @type {string} */ label) => {
      const radio = /** @type {HTMLInputElement} */ (html("input", { type: "radio", name, value: label, ...OWN_KEYS }));
      radios.push(radio);
      return html("label", { class: "lossbook-radio lossbook-option" }, [radio, html("span", {}, [label])]);
    });
    readAnswer = () => radios.find((radio) => radio.checked)?.value ?? null;
    entry = html("fieldset", { class: "lossbook-options", "aria-describedby": feedbackId }, [
      html("legend", { class: "lossbook-prompt" }, [get("prompt")]), ...labels,
    ]);
  }

  /**
   * @param {"right" | "wrong" | ""} state
   * @param {string} text
   */
  const say = (state, text) => {
    root.dataset.check = state;
    // A new node each time, so a screen reader announces a repeated message again.
    feedback.replaceChildren(html("span", {}, [text]));
  };

  const check = () => {
    const given = readAnswer();
    if (given === null || Number.isNaN(given)) {
      say("", numeric ? "Type a number first, such as 0.5, then press Check." : "Choose an answer first, then press Check.");
      return;
    }
    const right = numeric ? Math.abs(/** @type {number} */ (given) - answer) <= tolerance : given === answer;
    recordQuizOutcome(chapter, key, right ? "right" : "wrong");
    if (right) {
      say("right", `✓ Right: ${shownAnswer}. ${get("explanation")}`);
      return;
    }
    const slip = get("slips").find((/** @type {[number | string, string]} */ [wrong]) =>
      (numeric ? Math.abs(/** @type {number} */ (given) - /** @type {number} */ (wrong)) <= tolerance : given === wrong));
    say("wrong", `✗ Not quite. ${slip ? slip[1] : get("hint")}`);
  };

  const showAnswer = () => {
    root.dataset.answer = String(answer);
    for (const radio of radios) radio.parentElement?.classList.toggle("lossbook-right-choice", radio.value === answer);
    recordQuizOutcome(chapter, key, "shown");
    say(/** @type {any} */ (root.dataset.check), `The answer is ${shownAnswer}. ${get("explanation")}`);
  };

  const checkButton = html("button", { type: "button", class: "lossbook-button", ...OWN_KEYS }, ["Check"]);
  const showButton = html("button", { type: "button", class: "lossbook-button", ...OWN_KEYS }, ["Show answer"]);
  checkButton.addEventListener("click", check);
  showButton.addEventListener("click", showAnswer);
  // Enter checks, from the text input or a radio button, as it would submit a form.
  entry.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target instanceof HTMLInputElement) {
      event.preventDefault();
      check();
    }
  });
  const before = readQuizRecord(chapter)[key] === "right"
    ? [html("p", { class: "lossbook-muted lossbook-before" }, ["You answered this one right before."])] : [];
  root.append(entry, html("div", { class: "lossbook-buttons" }, [checkButton, showButton]), feedback, ...before);
  el.append(root);
  return () => root.remove();
}

export default { render };
