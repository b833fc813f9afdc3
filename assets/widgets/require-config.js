// Where the widget modules live on this site, so that require.js never falls back to a CDN.
// Loaded after require.js and before embed-amd.js (see nb_ipywidgets_js in _config.yml).
// - anywidget: the front end of every course widget; without a path html-manager fetches it
//   from a CDN.
// - @jupyter-widgets/...: html-manager's bundled modules find their icon fonts beside their
//   own module URL, so those names must resolve to this folder, which holds the fonts.
// Paths are absolute URLs built from this script's own address, so they hold on pages at any
// depth of the site.
(function () {
  "use strict";
  var here = document.currentScript.src.replace(/\/[^/]*$/, "");
  window.require.config({
    paths: {
      anywidget: here + "/anywidget",
      "@jupyter-widgets": here,
      "@jupyter-widgets/html-manager/dist": here,
    },
  });
})();
