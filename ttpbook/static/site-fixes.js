// Copied into the site by ttpbook.sphinx_offline: small repairs to the theme. Its head script stores an
// empty colour mode on a first visit, and the theme then logs a console error; start from its
// own default instead.
(function () {
  var d = document.documentElement;
  if (!d.dataset.mode) d.dataset.mode = "auto";
  // The sidebar's expand/collapse toggles are <summary> elements holding only an icon, which
  // screen readers cannot name: label each with the title of the section it opens.
  document.addEventListener("DOMContentLoaded", function () {
    // Sphinx's search page appends the result's summary even when it found none (null), a
    // page error for hits on glossary terms; append an empty paragraph instead.
    // (searchtools.js declares `const Search`, a global binding but not a window property.)
    if (typeof Search !== "undefined" && Search.makeSearchSummary) {
      var summary = Search.makeSearchSummary;
      Search.makeSearchSummary = function () {
        return summary.apply(Search, arguments) || document.createElement("p");
      };
    }
    document.querySelectorAll("nav summary").forEach(function (s) {
      if (s.textContent.trim() || s.getAttribute("aria-label")) return;
      var link = s.parentElement && s.parentElement.parentElement && s.parentElement.parentElement.querySelector("a");
      var title = link ? link.textContent.trim() : "this section";
      s.setAttribute("aria-label", "Show or hide the pages under " + title);
    });
  });
})();
