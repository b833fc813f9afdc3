// Accessible names for three stock theme elements, fixed in the page because the theme's
// templates are not ours. Each fix keeps what a sighted reader sees and makes the name a screen
// reader announces agree with it (WCAG 2.5.3, "label in name"; ARIA list structure).
document.addEventListener("DOMContentLoaded", () => {
  // The search buttons show "Search Ctrl+K" but are labelled just "Search": let the visible
  // text be the name.
  for (const button of document.querySelectorAll("button.search-button-field[aria-label]")) {
    button.removeAttribute("aria-label");
  }
  // The colour-mode button is labelled "Color mode"; its icons' titles ("Light", "Dark", ...)
  // count as visible text that the label lacks. The icons are decoration: hide them.
  for (const icon of document.querySelectorAll(".theme-switch-button i.theme-switch")) {
    icon.removeAttribute("title");
    icon.setAttribute("aria-hidden", "true");
  }
  // Bibliography entries sit in a role="list" but carry the retired doc-biblioentry role, so
  // the list has no items; make each entry a list item.
  for (const entry of document.querySelectorAll('[role="list"] > [role="doc-biblioentry"]')) {
    entry.setAttribute("role", "listitem");
  }
});
