// anywidget-host.js: runs the anywidgets that myst-nb embeds in a page, with no kernel and no
// widget manager library. myst-nb writes the notebook's widget state into one
// <script type="application/vnd.jupyter.widget-state+json"> and, where a cell displayed a widget,
// a <script type="application/vnd.jupyter.widget-view+json"> naming its model. For each view this
// host imports the model's front-end module (the `_esm` string in the state, or the shared file
// it names), adds its `_css` (or the build links the shared stylesheet),
// and calls the module's `initialize` and `render` with a model implementing the anywidget model
// API. The modules are the ones Jupyter and Colab run; nothing here is specific to a widget.
//
// A view of any other kind of widget (ipywidgets' own controls, say) needs code this site does
// not ship: it is replaced by a visible message. The build refuses such pages too
// (_ext/anywidget_check.py), so a reader should never see one.
//
// This is a classic script, not a <script type="module">: browsers refuse module scripts on pages
// opened from file://, and readers may open the downloaded site that way. The widget modules
// themselves are imported from blob: URLs, which work there too. It is loaded `async`: it starts
// importing the widgets' modules while the page is still being parsed, and draws the widgets as
// soon as parsing ends, before the page's deferred scripts (the theme's) run.
"use strict";

(() => {
  const STATE_TYPE = "application/vnd.jupyter.widget-state+json";
  const VIEW_TYPE = "application/vnd.jupyter.widget-view+json";
  const SHARED = "lossbook-shared:";
  const MODULE_EVENT = "lossbook-widget-module";

  /**
   * Whether two trait values are the same, so that setting an equal value fires no event
   * (as in Jupyter). Trait values come from JSON, so comparing their JSON is exact.
   * @param {unknown} a
   * @param {unknown} b
   * @returns {boolean}
   */
  function same(a, b) {
    return a === b || (typeof a === "object" && a !== null && JSON.stringify(a) === JSON.stringify(b));
  }

  /**
   * The model a widget module sees: the anywidget model API over one model's state. There is no
   * kernel, so `save_changes` and `send` have nowhere to send to and do nothing.
   */
  class StaticModel {
    /**
     * @param {Record<string, unknown>} state the model's traits, from the page's widget state
     * @param {{get_model: (id: string) => Promise<StaticModel>}} manager
     */
    constructor(state, manager) {
      this._state = { ...state };
      /** @type {Map<string, Set<{callback: Function, context: unknown}>>} */
      this._listeners = new Map();
      this.widget_manager = manager;
    }

    /** @param {string} name @returns {any} the trait's current value */
    get(name) {
      return this._state[name];
    }

    /**
     * Set a trait; if its value changed, call the `change:<name>` listeners with (model, value),
     * then the `change` listeners with (model).
     * @param {string} name
     * @param {unknown} value
     */
    set(name, value) {
      if (same(this._state[name], value)) return;
      this._state[name] = value;
      this._emit(`change:${name}`, [this, value]);
      this._emit("change", [this]);
    }

    /**
     * Listen to one or more events, named as in Backbone: `"change:p change:y"`.
     * @param {string} names space-separated event names
     * @param {Function} callback
     * @param {unknown} [context] `this` inside the callback
     */
    on(names, callback, context) {
      for (const name of names.split(/\s+/).filter(Boolean)) {
        if (!this._listeners.has(name)) this._listeners.set(name, new Set());
        this._listeners.get(name).add({ callback, context });
      }
    }

    /**
     * Stop listening. Without a callback, remove every listener of the named events; without
     * names, remove the callback from every event (or everything, given neither).
     * @param {string | null} [names]
     * @param {Function | null} [callback]
     */
    off(names, callback) {
      const events = names ? names.split(/\s+/).filter(Boolean) : [...this._listeners.keys()];
      for (const name of events) {
        const listeners = this._listeners.get(name);
        if (!listeners) continue;
        for (const listener of [...listeners]) {
          if (!callback || listener.callback === callback) listeners.delete(listener);
        }
      }
    }

    /** Nothing to save to: the page has no kernel. */
    save_changes() {}

    /** Custom messages go to the kernel; the page has none, so they are dropped. */
    send() {}

    /**
     * @param {string} name
     * @param {unknown[]} args
     */
    _emit(name, args) {
      for (const { callback, context } of [...(this._listeners.get(name) ?? [])]) {
        callback.apply(context ?? this, args);
      }
    }
  }

  /**
   * Why a model cannot run here, or null if it can: it must be an anywidget whose front end is
   * embedded as source text.
   * @param {any} model one entry of the widget state's `state`
   * @returns {string | null}
   */
  function refusal(model) {
    if (!model) return "its model is missing from the page's widget state";
    if (model.model_module !== "anywidget" || typeof model.state?._esm !== "string") {
      return `${model.model_module}.${model.model_name} is not an anywidget`;
    }
    return null;
  }

  /**
   * A widget's front-end source text. The build (_ext/widget_state.py) moves each distinct
   * module out of the page into one file shared by every page that shows the widget; the state
   * then names that file after SHARED. The file is loaded `async`, as this host is, so it may run
   * before or after the host: it registers its text and announces it with MODULE_EVENT.
   * @param {string} esm the model's `_esm` trait
   * @returns {Promise<string>}
   */
  function moduleSource(esm) {
    if (!esm.startsWith(SHARED)) return Promise.resolve(esm);
    const name = esm.slice(SHARED.length);
    const registered = () => self.lossbookWidgetModules?.[name];
    if (typeof registered() === "string") return Promise.resolve(registered());
    return new Promise((resolve, reject) => {
      const arrived = () => {
        if (typeof registered() !== "string") return;
        self.removeEventListener(MODULE_EVENT, arrived);
        resolve(registered());
      };
      self.addEventListener(MODULE_EVENT, arrived);
      self.addEventListener("load", () => {
        if (typeof registered() !== "string") reject(new Error(`its module _static/widgets/${name} did not load`));
      }, { once: true });
    });
  }

  /** Resolves once the page is parsed: before its deferred scripts run, unlike DOMContentLoaded. */
  function parsed() {
    if (document.readyState !== "loading") return Promise.resolve();
    return new Promise((resolve) => document.addEventListener("readystatechange", resolve, { once: true }));
  }

  /**
   * Import a widget's front end from its source text.
   * @param {string} source an ES module whose default export is `{initialize?, render?}` or a
   *   function returning it (anywidget accepts both; a named `render` export also works)
   * @returns {Promise<{initialize?: Function, render?: Function}>}
   */
  async function loadWidget(source) {
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    try {
      const module = await import(url);
      const definition = module.default ?? module;
      return typeof definition === "function" ? await definition() : definition;
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  /**
   * Add a model's stylesheet to the page once.
   * @param {string} id the model id
   * @param {unknown} css
   */
  function addStyles(id, css) {
    if (typeof css !== "string" || !css || document.getElementById(`anywidget-css-${id}`)) return;
    const style = document.createElement("style");
    style.id = `anywidget-css-${id}`;
    style.textContent = css;
    document.head.append(style);
  }

  /**
   * Show a reader why a widget is missing, where it would have been.
   * @param {HTMLElement} el the view's container
   * @param {string} reason
   */
  function showProblem(el, reason) {
    el.dataset.anywidget = "refused";
    const message = document.createElement("p");
    message.className = "anywidget-refused";
    message.setAttribute("role", "note");
    message.textContent = `An interactive widget belongs here but cannot run on this page (${reason}). `
      + "Open this chapter as a notebook, in Jupyter or Colab, to use it.";
    el.replaceChildren(message);
    console.error(`anywidget-host: ${reason}`);
  }

  /** Render every widget view on the page. */
  async function main() {
    // The state is in the head, above this script's tag, unless a page puts it elsewhere.
    let stateScript = document.querySelector(`script[type="${STATE_TYPE}"]`);
    if (!stateScript) {
      await parsed();
      stateScript = document.querySelector(`script[type="${STATE_TYPE}"]`);
    }
    const states = stateScript ? JSON.parse(stateScript.textContent).state : {};
    /** @type {Map<string, Promise<{model: StaticModel, widget: any}>>} */
    const ready = new Map();
    const manager = {
      /** @param {string} id @returns {Promise<StaticModel>} */
      get_model: async (id) => (await start(id)).model,
    };

    // One model object per id, initialised once, however many views show it.
    function start(id) {
      if (!ready.has(id)) {
        ready.set(id, (async () => {
          const model = new StaticModel(states[id].state, manager);
          addStyles(id, model.get("_css"));
          const widget = await loadWidget(await moduleSource(model.get("_esm")));
          await widget.initialize?.({ model, experimental: {} });
          return { model, widget };
        })());
      }
      return ready.get(id);
    }

    // Import and initialise every model's front end while the rest of the page is parsed, then
    // draw the views as soon as it is: a failure is shown where the view is, below.
    for (const [id, state] of Object.entries(states)) {
      if (!refusal(state)) start(id).catch(() => {});
    }
    await parsed();
    const views = [...document.querySelectorAll(`script[type="${VIEW_TYPE}"]`)];
    await Promise.all(views.map(async (script) => {
      const el = document.createElement("div");
      el.className = "anywidget-view";
      script.before(el);
      let id;
      try {
        id = JSON.parse(script.textContent).model_id;
      } catch {
        showProblem(el, "its view description is not valid JSON");
        return;
      }
      const reason = refusal(states[id]);
      if (reason) {
        showProblem(el, reason);
        return;
      }
      try {
        const { model, widget } = await start(id);
        for (const name of model.get("_dom_classes") ?? []) el.classList.add(name);
        await widget.render?.({ model, el, experimental: {} });
        el.dataset.anywidget = "ready";
      } catch (error) {
        showProblem(el, `it failed to start: ${error}`);
      }
    }));
  }

  main();
})();
