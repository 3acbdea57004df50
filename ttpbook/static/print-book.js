// Used by ttpbook.build.pdf (`make pdf`): in a page of the built site, lays several pages out as
// one printable document (a title page, a table of contents, then each page's article) and
// draws its charts, so that Chromium can print the whole book or one chapter as a PDF.
// Links between the pages become links inside the PDF; links to pages left out become text.
(function () {
  "use strict";

  function text(el) {
    if (!el) return "";
    var copy = el.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (a) { a.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }

  function prefixIds(root, prefix) {
    root.querySelectorAll("[id]").forEach(function (el) { el.id = prefix + el.id; });
    root.querySelectorAll("[data-spec]").forEach(function (el) { el.dataset.spec = prefix + el.dataset.spec; });
    root.querySelectorAll("label[for]").forEach(function (el) { el.htmlFor = prefix + el.htmlFor; });
  }

  function fixLinks(root, pageUrl, prefix, index) {
    root.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (/^(mailto|https?):/i.test(href) && !href.startsWith(location.origin)) return;
      if (href.startsWith("#")) { a.setAttribute("href", "#" + prefix + href.slice(1)); return; }
      var url = new URL(href, pageUrl);
      var target = index[url.pathname];
      if (target === undefined) {
        a.replaceWith.apply(a, Array.from(a.childNodes));  // a page outside this PDF
        return;
      }
      a.setAttribute("href", "#p" + target + "-" + (url.hash ? url.hash.slice(1) : "top"));
    });
    root.querySelectorAll("img[src]").forEach(function (img) { img.src = new URL(img.getAttribute("src"), pageUrl).href; });
  }

  function dropInteractive(root) {
    // A saved explorer needs the widget runtime and a reader: say where it is instead.
    root.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').forEach(function (s) {
      var out = s.closest(".cell_output") || s.parentElement;
      var note = document.createElement("p");
      note.className = "print-note";
      note.textContent = "An interactive explorer appears here in the web edition of this page.";
      out.replaceWith(note);
    });
    root.querySelectorAll(".ttp-pack-box, .ttp-pdf-link, .headerlink, script[type='application/vnd.jupyter.widget-state+json']")
      .forEach(function (el) { el.remove(); });
  }

  async function assemble(opts) {
    var parser = new DOMParser();
    var index = {};
    var pages = [];
    for (var i = 0; i < opts.pages.length; i++) {
      var url = new URL(opts.pages[i].url, location.href);
      index[url.pathname] = i;
      var response = await fetch(url.href);
      if (!response.ok) throw new Error(url.href + ": " + response.status);
      pages.push({url: url, level: opts.pages[i].level, doc: parser.parseFromString(await response.text(), "text/html")});
    }
    var main = document.createElement("main");
    main.className = "book-print";
    var cover = document.createElement("section");
    cover.className = "print-cover";
    cover.innerHTML = "<p class='print-book-title'></p><h1></h1><p class='print-edition'></p>";
    cover.querySelector(".print-book-title").textContent = opts.bookTitle;
    cover.querySelector("h1").textContent = opts.title;
    cover.querySelector(".print-edition").textContent = opts.edition;
    main.appendChild(cover);
    var toc = document.createElement("nav");
    toc.className = "print-toc";
    toc.setAttribute("aria-label", "Contents");
    toc.innerHTML = "<h2>Contents</h2><ol></ol>";
    main.appendChild(toc);
    pages.forEach(function (p, i) {
      var article = p.doc.querySelector("article.bd-article") || p.doc.querySelector("main") || p.doc.body;
      var prefix = "p" + i + "-";
      var heading = article.querySelector("h1");
      prefixIds(article, prefix);
      fixLinks(article, p.url, prefix, index);
      dropInteractive(article);
      var section = document.createElement("section");
      section.className = "print-page" + (p.level === 0 ? " print-chapter" : "");
      section.id = prefix + "top";
      section.append.apply(section, Array.from(article.childNodes));
      main.appendChild(section);
      var li = document.createElement("li");
      li.className = "print-toc-level-" + p.level;
      var a = document.createElement("a");
      a.href = "#" + section.id;
      a.textContent = text(heading) || p.url.pathname;
      li.appendChild(a);
      toc.querySelector("ol").appendChild(li);
    });
    document.documentElement.dataset.theme = "light";
    document.documentElement.dataset.mode = "light";
    document.title = opts.title;
    document.body.innerHTML = "";
    document.body.appendChild(main);
    var charts = main.querySelectorAll("div.book-chart[data-spec]").length;
    if (charts) {
      await loadScript(opts.staticRoot + "offline/charts.js");  // it fetches the Vega runtime itself
      window.bookCharts.showAll();
    }
    return {pages: pages.length, charts: charts, headings: pages.map(function (p, i) { return text(main.querySelector("#p" + i + "-top h1")); })};
  }

  // Page numbers in the table of contents, once a first print has told them: {"p0-top": 3, ...}.
  function pageNumbers(numbers) {
    document.querySelectorAll(".print-toc li > a").forEach(function (a) {
      var n = numbers[a.getAttribute("href").slice(1)];
      var span = a.parentElement.querySelector(".print-toc-page") || document.createElement("span");
      span.className = "print-toc-page";
      span.textContent = n ? String(n) : "";
      a.parentElement.appendChild(span);
    });
  }

  window.bookPrint = {assemble: assemble, pageNumbers: pageNumbers};
})();
