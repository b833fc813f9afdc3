// The reader's results on a chapter's self-check questions, kept in the browser's localStorage
// (shared by question.js and quiz_progress.js). One record per chapter: {question key: outcome},
// the outcome being "right", "wrong" or "shown" (the answer was revealed before it was right).
// Where storage is refused (a sandboxed frame, a private window), the results live as long as
// the page.

const QUIZ_STORAGE_PREFIX = "lossbook-quiz:";
const QUIZ_EVENT = "lossbook-quiz-change";
/** @type {Record<string, Record<string, string>>} */
const quizMemory = {};

/**
 * @param {string} chapter
 * @returns {Record<string, string>}
 */
function readQuizRecord(chapter) {
  try {
    const stored = JSON.parse(localStorage.getItem(QUIZ_STORAGE_PREFIX + chapter) ?? "{}");
    return stored && typeof stored === "object" ? stored : {};
  } catch {
    return { ...quizMemory[chapter] };
  }
}

/**
 * @param {string} chapter
 * @param {Record<string, string> | null} record null clears the chapter's results
 */
function writeQuizRecord(chapter, record) {
  quizMemory[chapter] = record ?? {};
  try {
    if (record) localStorage.setItem(QUIZ_STORAGE_PREFIX + chapter, JSON.stringify(record));
    else localStorage.removeItem(QUIZ_STORAGE_PREFIX + chapter);
  } catch {
    // storage refused: quizMemory keeps the results for this page
  }
  self.dispatchEvent(new CustomEvent(QUIZ_EVENT, { detail: chapter }));
}

/**
 * Record what happened to one question. A question stays "right" once it was found right, and
 * stays "shown" once its answer was revealed before that, so only answers the reader found count.
 * @param {string} chapter
 * @param {string} key
 * @param {"right" | "wrong" | "shown"} outcome
 */
function recordQuizOutcome(chapter, key, outcome) {
  const record = readQuizRecord(chapter);
  if (record[key] === "right" || (record[key] === "shown" && outcome !== "shown")) return;
  record[key] = outcome;
  writeQuizRecord(chapter, record);
}

/**
 * Call `callback` whenever the chapter's results change, in this page or in another tab.
 * @param {string} chapter
 * @param {() => void} callback
 * @returns {() => void} stop listening
 */
function onQuizRecordChange(chapter, callback) {
  /** @param {Event} event */
  const mine = (event) => { if (/** @type {CustomEvent} */ (event).detail === chapter) callback(); };
  /** @param {StorageEvent} event */
  const other = (event) => { if (event.key === null || event.key === QUIZ_STORAGE_PREFIX + chapter) callback(); };
  self.addEventListener(QUIZ_EVENT, mine);
  self.addEventListener("storage", other);
  return () => {
    self.removeEventListener(QUIZ_EVENT, mine);
    self.removeEventListener("storage", other);
  };
}
