// QuizProgress: how many of a chapter's self-check questions the reader got right, from the
// browser's storage, with a button that clears them. The root carries data-right and data-total.

/**
 * @param {{model: import("@anywidget/types").AnyModel<{chapter: string, questions: string[]}>, el: HTMLElement}} context
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const chapter = model.get("chapter");
  const keys = model.get("questions");
  const root = html("div", { class: "lossbook-widget lossbook-quiz-progress" });
  const summary = html("p", { class: "lossbook-readout" });
  const meter = /** @type {HTMLProgressElement} */ (html("progress", { max: keys.length, "aria-hidden": "true" }));
  const status = html("p", { class: "lossbook-muted", role: "status" });
  const clear = html("button", { type: "button", class: "lossbook-button", ...OWN_KEYS }, ["Clear my answers"]);

  const update = () => {
    const record = readQuizRecord(chapter);
    const right = keys.filter((/** @type {string} */ key) => record[key] === "right").length;
    const revealed = keys.filter((/** @type {string} */ key) => record[key] === "shown").length;
    root.dataset.right = String(right);
    root.dataset.total = String(keys.length);
    meter.value = right;
    summary.replaceChildren(`You got ${right} of this chapter's ${keys.length} questions right`,
      revealed ? `, and revealed the answer to ${revealed}.` : ".");
  };
  clear.addEventListener("click", () => {
    writeQuizRecord(chapter, null);
    status.replaceChildren(html("span", {}, ["Your answers to this chapter's questions were cleared."]));
  });
  const stop = onQuizRecordChange(chapter, update);
  update();
  root.append(summary, meter, html("div", { class: "lossbook-buttons" }, [clear]), status);
  el.append(root);
  return () => {
    stop();
    root.remove();
  };
}

export default { render };
