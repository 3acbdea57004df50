// Copied into the site by ttpbook.sphinx_offline: the data card under every chart, as Our World in
// Data has: the rows the chart draws (following its controls), downloads (CSV, SVG, PNG), the
// full sources and a citation. No network and no library: the card reads the chart's spec and its
// card data (two JSON scripts beside the chart, see ttpbook/build/chart_cards.py) and the Vega
// view that charts.js announces with "bookchart:ready". The card is built when first opened.
(function () {
  "use strict";
  var MAX_ROWS = 50;
  var ISO = /^\d{4}-\d{2}-\d{2}/;
  var SEP = "\u0001";
  var cards = {};
  // The full citations live in one file for the whole site, beside this script, loaded when a
  // reader first opens a card (see ttpbook/build/chart_cards.py, sources_script).
  var here = document.currentScript ? document.currentScript.src : "";
  var folder = here.substring(0, here.lastIndexOf("/") + 1);
  var waiting = null;

  function withSources(file, done) {
    if (window.bookChartSources) { done(window.bookChartSources); return; }
    if (!waiting) {
      waiting = [];
      var script = make("script", {src: folder + file});
      script.onload = script.onerror = function () {
        var queue = waiting;
        waiting = null;
        queue.forEach(function (f) { f(window.bookChartSources || null); });
      };
      document.head.appendChild(script);
    }
    waiting.push(done);
  }

  function make(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  function slug(text) {
    return String(text || "chart").toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "") || "chart";
  }

  // A value as Vega may hold it after parsing (dates become numbers), for matching drawn items
  // to the rows of the spec.
  function norm(v) {
    if (v == null) return "";
    if (v instanceof Date) return String(+v);
    if (typeof v === "string" && ISO.test(v)) { var t = Date.parse(v); return isNaN(t) ? v : String(t); }
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  }

  // A value as the table and the CSV show it.
  function show(v) {
    if (v == null || (typeof v === "number" && isNaN(v))) return "";
    if (Array.isArray(v)) return v.map(show).join("; ");
    if (v instanceof Date) return isNaN(v) ? "" : v.toISOString().replace("T00:00:00.000Z", "");
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  }

  function csvText(columns, rows) {
    function field(s) { return /[",\r\n]|^\s|\s$/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; }
    var lines = [columns.map(field).join(",")];
    rows.forEach(function (r) { lines.push(columns.map(function (c) { return field(show(r[c])); }).join(",")); });
    return "\ufeff" + lines.join("\r\n") + "\r\n";  // the BOM lets spreadsheets read it as UTF-8
  }

  // The rows of each table in the spec, untouched, and an index from their values to positions.
  function rawTables(card) {
    if (card.raw) return card.raw;
    var spec = JSON.parse(document.getElementById(card.chart.dataset.spec).textContent);
    card.raw = card.data.tables.map(function (t) {
      var rows = t.values || (spec.datasets || {})[t.name] || [];
      var index = new Map();
      rows.forEach(function (r, i) {
        var key = t.columns.map(function (c) { return norm(r[c]); }).join(SEP);
        if (!index.has(key)) index.set(key, []);
        index.get(key).push(i);
      });
      return {table: t, rows: rows, index: index};
    });
    return card.raw;
  }

  // Every datum each named mark draws, read from the view's scene graph.
  function drawnItems(view) {
    var out = {};
    (function walk(mark) {
      if (!mark || !mark.items) return;
      if (mark.marktype === "group") {
        mark.items.forEach(function (g) { (g.items || []).forEach(walk); });
      } else if (mark.name) {
        var list = out[mark.name] || (out[mark.name] = []);
        mark.items.forEach(function (item) { if (item.datum) list.push(item.datum); });
      }
    })(view.scenegraph().root);
    return out;
  }

  // For each table: the rows the chart draws now (all rows when it is not drawn). A table whose
  // marks draw rows computed in the chart (an aggregate) lists those computed rows instead.
  function currentTables(card) {
    var items = card.view ? drawnItems(card.view) : null;
    return rawTables(card).map(function (raw) {
      var t = raw.table;
      if (!items) return {table: t, columns: t.columns, rows: raw.rows, input: null};
      var marks = t.marks.length ? t.marks : Object.keys(items).filter(function (m) { return /marks$/.test(m); });
      var hit = new Set(), computed = [], seen = new Set();
      marks.forEach(function (m) {
        (items[m] || []).forEach(function (d) {
          var at = raw.index.get(t.columns.map(function (c) { return norm(d[c]); }).join(SEP));
          if (at) at.forEach(function (i) { hit.add(i); });
          else if (t.computed) {
            var key = JSON.stringify(d, function (k, v) { return k && v && typeof v === "object" && !Array.isArray(v) ? undefined : v; });
            if (!seen.has(key)) { seen.add(key); computed.push(d); }
          }
        });
      });
      if (t.computed && !hit.size) {
        var columns = [];
        computed.forEach(function (d) {
          Object.keys(d).forEach(function (k) {
            var v = d[k];
            if (columns.indexOf(k) < 0 && !(v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date))) columns.push(k);
          });
        });
        return {table: t, columns: columns, rows: computed, input: raw.rows};
      }
      var rows = Array.from(hit).sort(function (a, b) { return a - b; }).map(function (i) { return raw.rows[i]; });
      return {table: t, columns: t.columns, rows: rows, input: null};
    });
  }

  function headingLevel(node) {
    var level = 2;
    document.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach(function (h) {
      if (h.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) level = +h.tagName[1] + 1;
    });
    return Math.min(level, 6);
  }

  function selectionText(card) {
    var parts = [], clicks = false;
    card.data.params.forEach(function (p) {
      if (!p.label) { clicks = true; return; }
      var value;
      try { value = card.view ? card.view.signal(p.name) : undefined; } catch (e) { value = undefined; }
      if (value !== undefined) parts.push(p.label + ": " + show(value));
    });
    var follows = [];
    if (parts.length) follows.push("the chart's controls (" + parts.join("; ") + ")");
    if (clicks) follows.push("what you select in the chart");
    return follows.length ? " It follows " + follows.join(" and ") + "." : "";
  }

  function tableView(card, entry, i) {
    var t = entry.table, n = entry.rows.length;
    var id = card.chart.id + "-table-" + i;
    var box = make("div", {"class": "chart-card-scroll", role: "group", tabindex: "0", "aria-labelledby": id + "-caption"});
    var table = make("table", {id: id, "data-rows": String(n)});
    var caption = make("caption", {id: id + "-caption"});
    var what = entry.input ? " rows computed in the chart from " + entry.input.length + " input rows" : (n === 1 ? " row" : " rows");
    caption.textContent = t.label + ": " + n + what + (n > MAX_ROWS ? " (first " + MAX_ROWS + " shown; " + (n - MAX_ROWS) + " more rows, all in the CSV)" : "");
    if (!n) caption.textContent = t.label + ": no rows for the current selection";
    table.appendChild(caption);
    var head = make("tr");
    entry.columns.forEach(function (c) { head.appendChild(make("th", {scope: "col"}, c)); });
    table.appendChild(make("thead")).appendChild(head);
    var body = table.appendChild(make("tbody"));
    entry.rows.slice(0, MAX_ROWS).forEach(function (r) {
      var tr = body.appendChild(make("tr"));
      entry.columns.forEach(function (c) {
        var text = show(r[c]);
        tr.appendChild(make("td", typeof r[c] === "number" ? {"class": "num"} : text.length > 40 ? {"class": "long"} : {}, text));
      });
    });
    box.appendChild(table);
    return box;
  }

  function setLink(link, url, label) {
    if (link.dataset.blob) URL.revokeObjectURL(link.dataset.blob);
    delete link.dataset.blob;
    if (url && url.indexOf("blob:") === 0) link.dataset.blob = url;
    if (url) { link.href = url; link.removeAttribute("aria-disabled"); }
    else { link.removeAttribute("href"); link.setAttribute("aria-disabled", "true"); }
    link.textContent = label;
  }

  function blobURL(text, type) {
    return URL.createObjectURL(new Blob([text], {type: type}));
  }

  // Fill the Data and Download sections from the current view. Tables and CSVs are rebuilt only
  // when the rows change (a redraw for the theme or the window's width keeps them, and the focus
  // of a reader inside a table); the pictures are made again, since they change with the theme.
  function refresh(card) {
    if (!card.details.open || !card.body) { card.stale = true; return; }
    card.stale = false;
    var run = ++card.run;
    card.details.dataset.state = "preparing";
    var entries = currentTables(card);
    var texts = entries.map(function (e) { return csvText(e.columns, e.rows); });
    var total = entries.reduce(function (s, e) { return s + e.rows.length; }, 0);
    var status = (card.view
      ? "The table" + (entries.length > 1 ? "s list " : " lists ") + "the rows the chart draws: " + total + " in all."
      : "The chart has not been drawn; the tables list all its rows.") + selectionText(card);
    var key = texts.join("\u0002") + status;
    if (key !== card.key) {
      card.key = key;
      if (card.parts.status.textContent !== status) card.parts.status.textContent = status;
      var data = card.parts.data;
      data.textContent = "";
      entries.forEach(function (e, i) { data.appendChild(tableView(card, e, i)); });
      var shapes = (card.data.outlines || []).reduce(function (s, o) { return s + o.rows; }, 0);
      if (shapes) data.appendChild(make("p", {}, "The map's outlines (" + shapes + " shapes) are drawn too; they are not listed here."));
      card.csvLinks.forEach(function (a) { setLink(a, null, ""); a.parentNode.remove(); });
      card.csvLinks = [];
      var base = slug(card.data.title), before = card.parts.svg.parentNode;
      var addLink = function (cls, file, text, label) {
        var a = card.parts.downloads.insertBefore(make("li"), before).appendChild(make("a", {"class": cls, download: file}));
        setLink(a, blobURL(text, "text/csv;charset=utf-8"), label);
        card.csvLinks.push(a);
        return a;
      };
      entries.forEach(function (e, i) {
        var name = base + (i ? "-" + slug(e.table.label) : "");
        addLink("chart-card-csv", name + ".csv", texts[i], "Rows as CSV: " + e.table.label + " (" + e.rows.length +
          (e.rows.length === 1 ? " row)" : " rows)")).dataset.table = card.chart.id + "-table-" + i;
        if (e.input) addLink("chart-card-input", name + "-input.csv", csvText(e.table.columns, e.input),
          "Input rows as CSV: " + e.table.label + " (" + e.input.length + " rows)");
      });
    }
    var svg = card.parts.svg, png = card.parts.png;
    if (!card.view) {
      setLink(svg, null, "Chart as SVG (not available: the chart was not drawn)");
      setLink(png, null, "Chart as PNG (not available: the chart was not drawn)");
      card.details.dataset.state = "ready";
      return;
    }
    var view = card.view;
    Promise.all([view.toSVG(), view.toImageURL("png", 2)]).then(function (out) {
      if (run !== card.run) return;
      setLink(svg, blobURL(out[0], "image/svg+xml"), "Chart as SVG (vector image)");
      setLink(png, out[1], "Chart as PNG (image)");
      card.details.dataset.state = "ready";
    }).catch(function () {
      if (run !== card.run) return;
      setLink(svg, null, "Chart as SVG (could not be made)");
      setLink(png, null, "Chart as PNG (could not be made)");
      card.details.dataset.state = "ready";
    });
  }

  function schedule(card) {
    clearTimeout(card.timer);
    card.timer = setTimeout(function () {
      if (card.view) card.view.runAsync().then(function () { refresh(card); });
      else refresh(card);
    }, 100);
  }

  function citation(card) {
    var c = card.data.cite, when = new Date();
    var url = c.url || "";
    if (!/^[a-z]+:/i.test(url) && /^https?:$/.test(location.protocol)) url = location.href.split("#")[0];
    url += "#" + card.chart.id;
    var data = c.data_date ? "Latest data: " + c.data_date + "."
      : "Data as in data/ at build time" + (c.version ? " (repository version " + c.version + ")." : ".");
    var accessed = when.getDate() + " " + when.toLocaleString("en-GB", {month: "long"}) + " " + when.getFullYear();
    return (c.author ? c.author + " (" + (c.year || "n.d.") + "). " : "") + "\u201c" + card.data.title + "\u201d. Chart in \u201c" +
      c.page_title + "\u201d, " + c.book + ". " + data + " " + url + " (accessed " + accessed + ").";
  }

  // The parts of the card that do not change with the view: headings, sources, citation.
  function build(card) {
    var level = headingLevel(card.details), id = card.chart.id;
    var body = card.body = card.details.appendChild(make("div", {"class": "chart-card-body"}));
    function heading(text, key) { return body.appendChild(make("h" + level, {"class": "chart-card-h", id: id + "-h-" + key}, text)); }
    heading("Data", "data");
    card.parts = {status: body.appendChild(make("p", {"class": "chart-card-status", "aria-live": "polite"}))};
    card.parts.data = body.appendChild(make("div"));
    heading("Download", "download");
    card.parts.downloads = body.appendChild(make("ul", {"class": "chart-card-downloads", "aria-labelledby": id + "-h-download"}));
    var base = slug(card.data.title);
    card.parts.svg = card.parts.downloads.appendChild(make("li")).appendChild(make("a", {"class": "chart-card-svg", download: base + ".svg"}));
    card.parts.png = card.parts.downloads.appendChild(make("li")).appendChild(make("a", {"class": "chart-card-png", download: base + ".png"}));
    setLink(card.parts.svg, null, "Chart as SVG (vector image; being prepared)");
    setLink(card.parts.png, null, "Chart as PNG (image; being prepared)");
    heading("Sources", "sources");
    var d = card.data;
    if (d.source_line) body.appendChild(make("p", {}, "The chart's source line: " + d.source_line.replace(/^Source:\s*/, "")));
    if (d.sources.length) {
      body.appendChild(make("p", {}, "The rows cite " + d.sources.length + (d.sources.length === 1 ? " source" : " sources") + " of data/sources.csv:"));
      var box = body.appendChild(make("div", {"class": "chart-card-scroll chart-card-sources", role: "group", tabindex: "0",
        "aria-label": "Sources of the chart \u201c" + d.title + "\u201d (scrollable list)"}));
      var list = box.appendChild(make("ol"));
      card.details.dataset.sources = "loading";
      withSources(d.sources_file, function (table) {
        d.sources.forEach(function (key) {
          var li = list.appendChild(make("li", {"data-source": key}));
          var row = table && table.rows[key];
          if (row) {
            var s = {};
            table.fields.forEach(function (f, i) { s[f] = row[i]; });
            li.appendChild(document.createTextNode(s.publisher + ", \u201c" + s.title + "\u201d, " + s.date + ". "));
            if (s.url) { li.appendChild(make("a", {href: s.url}, s.url)); li.appendChild(document.createTextNode(". ")); }
            li.appendChild(document.createTextNode("Licence: " + s.licence + ". Key: "));
          } else {
            li.appendChild(document.createTextNode("Full citation in data/sources.csv under the key "));
          }
          li.appendChild(make("code", {}, key));
        });
        card.details.dataset.sources = table ? "ready" : "failed";
      });
    } else {
      body.appendChild(make("p", {}, "The chart's rows carry no key of data/sources.csv; its source line above is the reference."));
    }
    heading("Cite this chart", "cite");
    var cite = body.appendChild(make("p", {"class": "chart-card-cite", id: id + "-citation"}, citation(card)));
    if (navigator.clipboard && window.isSecureContext) {
      var button = body.appendChild(make("button", {type: "button", "class": "chart-card-copy"}, "Copy the citation"));
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(cite.textContent).then(function () {
          card.parts.status.textContent = "Citation copied.";
        }, function () {});
      });
    }
  }

  function create(chart) {
    var script = document.getElementById(chart.id + "-card");
    if (!script || cards[chart.id]) return cards[chart.id];
    var card = {chart: chart, data: JSON.parse(script.textContent), view: null, run: 0, body: null, stale: true, key: null, csvLinks: []};
    var details = card.details = make("details", {"class": "chart-card", "data-chart": chart.id});
    var summary = details.appendChild(make("summary", {}, "Data, downloads, sources and citation"));
    summary.appendChild(make("span", {"class": "chart-card-sr"}, " for the chart \u201c" + card.data.title + "\u201d"));
    details.addEventListener("toggle", function () {
      if (!details.open) return;
      if (!card.body) build(card);
      if (card.stale) refresh(card);
    });
    script.parentNode.insertBefore(details, script.nextSibling);
    cards[chart.id] = card;
    if (chart.bookView) bind(card, chart.bookView);
    return card;
  }

  function bind(card, view) {
    card.view = view;
    card.data.params.forEach(function (p) {
      try { view.addSignalListener(p.name, function () { schedule(card); }); } catch (e) { /* not a signal */ }
    });
    card.stale = true;
    if (card.details.open) schedule(card);
  }

  document.addEventListener("bookchart:ready", function (event) {
    var card = create(event.target);
    if (card) bind(card, event.detail.view);
  });

  function start() {
    document.querySelectorAll("div.book-chart[data-spec]").forEach(create);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
