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
  // Below this column width (a phone) legends go under the plot.
  var NARROW = 600;

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

  // On a narrow column legends go under the plot, one entry a line, so the plot keeps the
  // column's width instead of sharing it with a legend beside it.
  function legendsBelow(node, column) {
    if (Array.isArray(node)) { node.forEach(function (n) { legendsBelow(n, column); }); return; }
    if (!node || typeof node !== "object") return;
    Object.keys(node).forEach(function (k) {
      var v = node[k];
      if (k === "data" || k === "datasets") return;
      if (k === "legend" && v && typeof v === "object") {
        v.orient = "bottom";
        delete v.direction;  // lists run down, colour ramps across (config below)
        v.columns = 1;
        // Long series names wrap rather than lose their ends (the legend starts at the plot's edge).
        v.labelExpr = wrapExpr(Math.floor((column - 190) / 6.5));
        v.labelLimit = 0;
        v.titleLimit = column - 20;
      } else legendsBelow(v, column);
    });
  }

  function wrapExpr(chars) {
    return "split(trim(replace(replace(datum.label, regexp('[|]', 'g'), ' '), regexp('(.{1," + chars +
      "})(\\\\s+|$)', 'g'), '$1\\n')), '\\n')";
  }


  // On a phone: wrap long axis and legend titles, and long row labels, so no text has to
  // shrink to fit the column.
  var ONE_LINE = "replace(datum.label, regexp('[|]', 'g'), ' ')";
  var LEGEND_CHANNELS = {color: 1, fill: 1, stroke: 1, shape: 1, strokeDash: 1, size: 1, opacity: 1};
  function narrowText(node, column, plot, key, step) {
    if (Array.isArray(node)) { node.forEach(function (n) { narrowText(n, column, plot, undefined, step); }); return; }
    if (!node || typeof node !== "object") return;
    // The height of a row, where the view sets one: wrapped row labels need about 30 px.
    if (node.height && typeof node.height === "object" && node.height.step) {
      // Bars side by side in a row: a little more room each, so a row holds three label lines.
      if (node.height["for"] === "offset") node.height = Object.assign({}, node.height, {step: Math.max(node.height.step, 15)});
      step = node.height.step;
    }
    // With bars side by side in a row (yOffset) the step is each bar's: a row holds several.
    if (key === "encoding" && node.yOffset && step) {
      var off = node.yOffset, dom = off.scale && off.scale.domain;
      step = step * ((Array.isArray(dom) && dom.length) || (Array.isArray(off.sort) && off.sort.length) || 2);
    }
    var band = node.type === "nominal" || node.type === "ordinal";
    if ((key === "x" || key === "x2") && typeof node.title === "string") node.title = wrap(node.title, Math.floor(plot / 6.8));
    if (key === "x" && band && node.axis !== null && !/year/i.test(node.field || "")) {
      // Category names under narrow columns of bars: turned upright, one line each.
      node.axis = Object.assign({}, node.axis || {}, {labelAngle: -90, labelAlign: "right", labelBaseline: "middle",
                                                       labelExpr: ONE_LINE, labelLimit: 150});
    }
    if (key === "y" && band && node.axis !== null) {
      var axis = node.axis || {};
      // A level title above the row labels must not reach past their left edge.
      if (axis.titleAngle === 0 && typeof (node.title || axis.title) === "string") {
        var lines = wrap(node.title || axis.title, 16);
        if (node.title) node.title = lines; else axis = Object.assign({}, axis, {title: lines});
        // Vega stacks a title's extra lines downward: lift it by their height.
        if (typeof axis.titleY === "number") axis = Object.assign({}, axis, {titleY: axis.titleY - (lines.length - 1) * 14});
      }
      // "|" in a label marks where the builder wanted a break: on a phone the row height decides
      // (wrapped lines where a row has room, else one line cut short; the tooltip has it whole).
      if (!axis.labelExpr || axis.labelExpr === "split(datum.label, '|')")
        axis = Object.assign({}, axis, step >= 30 ? {labelExpr: wrapExpr(Math.floor(column * 0.42 / 6.5)), labelLimit: 0}
                                                  : {labelExpr: ONE_LINE, labelLimit: Math.floor(column * 0.42)});
      node.axis = axis;
    }
    // A legend's title is its own or its channel's; the legend sits under the plot, so it
    // wraps to the plot's width.
    if ((key === "legend" || LEGEND_CHANNELS[key]) && typeof node.title === "string")
      node.title = wrap(node.title, Math.floor((column - 170) / 7.5));
    Object.keys(node).forEach(function (k) {
      if (k !== "data" && k !== "datasets") narrowText(node[k], column, plot, k, step);
    });
  }

  // Charts fill the text column, and on a phone keep their text size instead of shrinking:
  // the plot takes the column's width, and the title and subtitle wrap to it. ``spare`` is what
  // a first drawing overflowed the column by (axis labels, a legend): the plot gives it back.
  function fit(spec, el, spare) {
    var column = el.parentElement ? el.parentElement.clientWidth : 0;
    if (!column) return spec;
    // A stack of views sized "fit-x" takes its width as the whole drawing's, axes included.
    var auto = spec.autosize && (spec.autosize.type || spec.autosize);
    var fitX = typeof auto === "string" && auto.indexOf("fit") === 0;
    var plot = fitX ? column - 2 - (spare || 0) : Math.max(120, column - 90 - (spare || 0));
    var views = spec.vconcat || (spec.hconcat || spec.concat || spec.facet || spec.repeat ? [] : [spec]);
    if (column < NARROW) {
      legendsBelow(spec, column);
      narrowText(spec, column, plot);
      // Several legends under the plot stack one above the other (Vega's legend layout).
      spec.config = merge(spec.config || {}, {legend: {orient: "bottom", symbolDirection: "vertical", columns: 1,
                                                       gradientDirection: "horizontal", gradientLength: Math.min(200, plot),
                                                       labelLimit: column - 110, titleLimit: column - 80,
                                                       layout: {bottom: {direction: "vertical", anchor: "start"}}},
                                              // Fewer ticks on a narrow axis; any label that would still
                                              // touch its neighbour is left out.
                                              // (never on a band axis: every category keeps its name)
                                              axisQuantitative: {labelOverlap: "greedy", tickCount: Math.max(3, Math.floor(plot / 70))},
                                              axisTemporal: {labelOverlap: "greedy"}});
    }
    // Charts meant to fill the column (saved with a fixed width for Jupyter) take its width;
    // others are narrowed when wider than it.
    var fill = spec.usermeta && spec.usermeta.fill_column;
    views.forEach(function (v) {
      if (v.width === "container") return;
      var was = v.width;
      if (fill || typeof v.width !== "number" || v.width > plot) v.width = plot;
      // A map keeps its shape: narrowed, it is made shorter too, or the projection (fitted to
      // the width) leaves bands of empty space above and below it.
      if (v.projection && typeof v.height === "number" && typeof was === "number" && v.width < was)
        v.height = Math.max(200, Math.round(v.height * v.width / was));
    });
    // Characters a line holds: the title is 15 px bold, the subtitle 11 px. Vega does not widen
    // a chart for its title, so the lines fit the drawing (plot and axis), not just the column.
    var room = fitX ? plot : Math.min(column, plot + 90);
    if (spec.title && typeof spec.title === "object") {
      spec.title = Object.assign({}, spec.title, {text: wrap(spec.title.text, Math.max(24, Math.floor(room / 9.5)))});
      if (spec.title.subtitle) spec.title.subtitle = wrap(spec.title.subtitle, Math.max(32, Math.floor(room / 6.6)));
    }
    return spec;
  }

  // A mark container with a graphics role but nothing to announce (no name, and no item with
  // one: a reference rule, or a layer a control has emptied) is noise to a screen reader and
  // fails axe; the chart's own description covers it.
  function quietEmptyMarks(el) {
    el.querySelectorAll("g.role-mark[role]").forEach(function (g) {
      var silent = !g.getAttribute("aria-label") && !g.querySelector("[aria-label]");
      if (silent && !g.dataset.bookQuiet) {
        g.setAttribute("aria-hidden", "true");
        g.dataset.bookQuiet = "1";
      } else if (!silent && g.dataset.bookQuiet) {
        g.removeAttribute("aria-hidden");
        delete g.dataset.bookQuiet;
      }
    });
  }

  function specFor(el, spare) {
    var spec = fit(JSON.parse(document.getElementById(el.dataset.spec).textContent), el, spare);
    if (isDark()) {
      spec = darkInks(spec);
      spec.config = merge(spec.config || {}, DARK);
    }
    return spec;
  }

  function draw(el, spare) {
    var spec = specFor(el, spare);
    if (el.bookView) el.bookView.finalize();
    // SVG, not canvas: the text stays real text for screen readers, search and print.
    window.vegaEmbed(el, spec, {actions: false, mode: "vega-lite", renderer: "svg"}).then(function (result) {
      el.bookView = result.view;
      var svg = el.querySelector("svg");
      var column = el.parentElement ? el.parentElement.clientWidth : 0;
      // The SVG's own width, before the page's CSS scales it down to the column.
      var over = svg && column ? Math.ceil(parseFloat(svg.getAttribute("width")) - column) : 0;
      // Wider than the column (long axis labels, a legend): draw again (at most three times) with a narrower plot
      // rather than let the browser shrink every label.
      el.bookTries = (spare ? el.bookTries : 0) + 1;
      if (over > 0 && el.bookTries < 4) { draw(el, (spare || 0) + over + 8); return; }
      // Set last: tests and the theme switch read it as "drawn in this theme".
      el.dataset.theme = isDark() ? "dark" : "light";
      quietEmptyMarks(el);
      new MutationObserver(function () { quietEmptyMarks(el); }).observe(svg, {childList: true, subtree: true});
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
    document.querySelectorAll("div.book-chart[data-spec]").forEach(function (el) { draw(el); });
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
      timer = setTimeout(function () { document.querySelectorAll("div.book-chart[data-theme]").forEach(function (el) { draw(el); }); }, 250);
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
