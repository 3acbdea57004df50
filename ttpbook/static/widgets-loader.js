// Copied into the site by ttpbook.sphinx_offline: loads the widget manager when a saved widget view comes
// near the screen (or the page is printed), and repairs the rendered widgets' accessibility.
(function () {
  var here = document.currentScript.src;
  var version = document.currentScript.dataset.runtimeVersion;
  var runtime = here.substring(0, here.lastIndexOf("/") + 1) + "embed.js" + (version ? "?v=" + version : "");
  var requested = false;
  function loadRuntime() {
    if (requested) return;
    requested = true;
    // embed.js draws the saved widgets from a window "load" listener. When it arrives after
    // the page has loaded, run that listener at once instead of waiting for an event that
    // has already happened. The override lasts only while embed.js runs.
    var add = window.addEventListener;
    window.addEventListener = function (type, listener, options) {
      if (type === "load" && document.readyState === "complete") { setTimeout(listener, 0); return; }
      return add.call(window, type, listener, options);
    };
    var script = document.createElement("script");
    script.src = runtime;
    script.onload = script.onerror = function () { window.addEventListener = add; };
    document.head.appendChild(script);
  }
  function watch() {
    var views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]');
    if (!views.length) return;
    window.addEventListener("beforeprint", loadRuntime);
    if (!("IntersectionObserver" in window)) { loadRuntime(); return; }
    var seen = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { seen.disconnect(); loadRuntime(); }
    }, {rootMargin: "800px 0px"});
    views.forEach(function (v) { seen.observe(v.parentElement); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
  // ipywidgets' slider handles carry no accessible name: give them the widget's label.
  function label(root) {
    root.querySelectorAll(".noUi-handle:not([aria-label])").forEach(function (h) {
      var box = h.closest(".widget-slider, .jupyter-widgets");
      var lab = box && box.querySelector(".widget-label");
      var text = lab && lab.textContent.trim();
      h.setAttribute("aria-label", text || "slider");
    });
    // A wide table in an explorer's output scrolls; keyboard users must be able to reach it.
    root.querySelectorAll(".widget-output .jp-RenderedHTMLCommon:not([tabindex])").forEach(function (o) {
      o.setAttribute("tabindex", "0");
      o.setAttribute("role", "region");
      o.setAttribute("aria-label", "Explorer output (scrollable)");
    });
  }
  new MutationObserver(function () { label(document); })
    .observe(document.documentElement, {childList: true, subtree: true});
})();
