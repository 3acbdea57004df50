// Copied into the site by ttpbook.sphinx_offline: draws every chart on the page with the site's
// own vega-embed (no network), when it comes near the screen, in the page's colour theme, and
// redraws when the reader switches theme. Each chart is a <div class="book-chart" data-spec="ID"> beside a JSON script holding
// its Vega-Lite spec. When a chart is drawn, the div fires "bookchart:ready" with its view.
(function () {
  "use strict";
  // Dark theme: the chart takes the page's background and light text; the mark colours of the
  // book's palette are chosen to keep 3:1 contrast on both backgrounds.
  var DARK = {
    background: "#121212",
    title: {color: "#e8e8e8", subtitleColor: "#c4c4c4"},
    axis: {labelColor: "#d0d0d0", titleColor: "#e0e0e0", gridColor: "#3a3a3a", domainColor: "#8a8a8a", tickColor: "#8a8a8a"},
    legend: {labelColor: "#d0d0d0", titleColor: "#e0e0e0"},
    header: {labelColor: "#d0d0d0", titleColor: "#e0e0e0"},
    text: {color: "#e0e0e0"},
    view: {stroke: null}
  };

  // Neutral inks that builders set on marks (labels, rules, span marks) and their dark-theme
  // counterparts; data colours come from the book's palette and are left as they are.
  var INK = {"#000000": "#ececec", "#222222": "#e0e0e0", "#333333": "#d6d6d6", "#444444": "#c2c2c2",
             "#555555": "#b8b8b8", "#666666": "#ababab", "black": "#ececec"};
  var INK_KEYS = {color: 1, fill: 1, stroke: 1};

  function darkInks(node) {
    if (Array.isArray(node)) return node.map(darkInks);
    if (!node || typeof node !== "object") return node;
    var out = {};
    Object.keys(node).forEach(function (k) {
      var v = node[k];
      out[k] = INK_KEYS[k] && typeof v === "string" && INK[v.toLowerCase()] ? INK[v.toLowerCase()]
        : (k === "data" || k === "datasets" ? v : darkInks(v));
    });
    return out;
  }

  function isDark() {
    return document.documentElement.dataset.theme === "dark";
  }

  function merge(base, extra) {
    var out = Object.assign({}, base);
    Object.keys(extra).forEach(function (k) {
      var v = extra[k];
      out[k] = v && typeof v === "object" && !Array.isArray(v) && base && typeof base[k] === "object"
        ? merge(base[k], v) : v;
    });
    return out;
  }

  // Lines of at most `max` characters, broken at spaces.
  function wrap(text, max) {
    var lines = [], line = "";
    [].concat(text).join(" ").split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > max) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    return lines;
  }

  // Charts fill the text column, and on a phone keep their text size instead of shrinking:
  // the plot takes the column's width, and the title and subtitle wrap to it.
  function fit(spec, el) {
    var column = el.parentElement ? el.parentElement.clientWidth : 0;
    if (!column) return spec;
    var plot = Math.max(200, column - 90);
    var views = spec.vconcat || (spec.hconcat || spec.concat || spec.facet || spec.repeat ? [] : [spec]);
    views.forEach(function (v) { if (typeof v.width !== "number" || v.width > plot) v.width = plot; });
    var chars = Math.max(28, Math.floor(column / 8.5));
    if (spec.title && typeof spec.title === "object") {
      spec.title = Object.assign({}, spec.title, {text: wrap(spec.title.text, chars)});
      if (spec.title.subtitle) spec.title.subtitle = wrap(spec.title.subtitle, Math.floor(chars * 1.3));
    }
    return spec;
  }

  function specFor(el) {
    var spec = fit(JSON.parse(document.getElementById(el.dataset.spec).textContent), el);
    if (isDark()) {
      spec = darkInks(spec);
      spec.config = merge(spec.config || {}, DARK);
    }
    return spec;
  }

  function draw(el) {
    var spec = specFor(el);
    if (el.bookView) el.bookView.finalize();
    // SVG, not canvas: the text stays real text for screen readers, search and print.
    window.vegaEmbed(el, spec, {actions: false, mode: "vega-lite", renderer: "svg"}).then(function (result) {
      el.bookView = result.view;
      el.dataset.theme = isDark() ? "dark" : "light";
      el.dispatchEvent(new CustomEvent("bookchart:ready", {bubbles: true, detail: {view: result.view, spec: spec}}));
    }).catch(function (err) {
      el.innerHTML = "";
      var p = document.createElement("p");
      p.className = "chart-error";
      p.textContent = "This chart could not be drawn: " + err.message;
      el.appendChild(p);
    });
  }

  function drawAll() {
    document.querySelectorAll("div.book-chart[data-spec]").forEach(draw);
  }

  // The Vega runtime (0.9 MB) is fetched only when a chart comes near the screen, so the text
  // of a chart page paints and answers first, and a reader who never scrolls to a chart does
  // not download it. charts.js's own script tag names the runtime's version (long caching).
  var script = document.currentScript;
  var runtime = script ? script.src.substring(0, script.src.lastIndexOf("/") + 1) + "vega-bundle.js" +
    (script.dataset.runtimeVersion ? "?v=" + script.dataset.runtimeVersion : "") : null;
  var loading = null;

  function loadRuntime() {
    if (window.vegaEmbed) return Promise.resolve();
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = runtime;
        s.onload = resolve;
        s.onerror = function () { reject(new Error("could not load the chart runtime")); };
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  function show(el) {
    if (el.dataset.requested) return;
    el.dataset.requested = "1";
    loadRuntime().then(function () { draw(el); }, function (err) {
      el.textContent = "This chart could not be drawn: " + err.message;
    });
  }

  function start() {
    var charts = document.querySelectorAll("div.book-chart[data-spec]");
    if (!charts.length) return;
    if (!("IntersectionObserver" in window) || !runtime) charts.forEach(show);
    else {
      var near = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) { if (e.isIntersecting) { near.unobserve(e.target); show(e.target); } });
      }, {rootMargin: "600px 0px"});
      charts.forEach(function (el) { near.observe(el); });
    }
    // Printing from the browser: draw what is not drawn yet (charts not ready in time are left
    // out by the print stylesheet rather than printed as empty frames).
    window.addEventListener("beforeprint", function () { charts.forEach(show); });
    // A phone turned sideways, or a window resized: fit the drawn charts to the new column.
    var width = window.innerWidth, timer = null;
    window.addEventListener("resize", function () {
      if (Math.abs(window.innerWidth - width) < 40) return;
      width = window.innerWidth;
      clearTimeout(timer);
      timer = setTimeout(function () { document.querySelectorAll("div.book-chart[data-theme]").forEach(draw); }, 250);
    });
    // The theme switch sets data-theme on <html>: redraw the drawn charts in the new colours.
    new MutationObserver(function () {
      var want = isDark() ? "dark" : "light";
      document.querySelectorAll("div.book-chart[data-theme]").forEach(function (el) {
        if (el.dataset.theme !== want) draw(el);
      });
    }).observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme"]});
  }

  // For `make pdf` (print-book.js): every chart, now.
  window.bookCharts = {showAll: function () { document.querySelectorAll("div.book-chart[data-spec]").forEach(show); }};

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
