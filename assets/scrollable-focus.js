// scrollable-focus.js: a code block or table wider than the page can be scrolled from the
// keyboard, because it takes focus (tabindex 0), and one that fits does not stop the Tab key
// (tabindex -1).
//
// pydata-sphinx-theme decides this by measuring every such box on the page when it loads. That
// makes the browser lay out the whole chapter at once, sections the reader has not reached
// included, which lossbook.css otherwise leaves for later (content-visibility): a 100 ms stall
// just after a long chapter appears. The build removes the theme's version
// (_ext/site_cleanup.py) and writes tabindex="0" on every such box (_ext/a11y_markup.py), so no
// box is out of the keyboard's reach before this script runs. This script measures each box
// when it comes near the screen, already laid out, and again whenever its size changes.
"use strict";

(() => {
  // The boxes the theme measures.
  const BOXES = "pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon, .pst-scrollable-table-container";

  /** @param {Element} box */
  function update(box) {
    const scrolls = box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight;
    box.setAttribute("tabindex", scrolls ? "0" : "-1");
  }

  const resized = new ResizeObserver((entries) => entries.forEach((entry) => update(entry.target)));
  const seen = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      seen.unobserve(entry.target);
      resized.observe(entry.target); // reports the current size at once, then every change
    }
  }, { rootMargin: "300px 0px" });
  document.querySelectorAll(BOXES).forEach((box) => seen.observe(box));
})();
