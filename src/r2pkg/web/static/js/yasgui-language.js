// YASGUI's own words (its buttons, tooltips, the table's controls, sorting and paging) in the page's language.
// YASGUI ships no translations: the table's paging and sorting words go through DataTables' `language` option, the
// line above the results is written here, and the fixed words YASGUI draws itself are swapped as they appear
// (never inside the results: table cells and the raw response are left as they are).
(function () {
  "use strict";
  const W = window.R2pkgWords;

  // YASGUI's fixed English words, as it draws them (text, title, aria-label or placeholder).
  const FIXED = new Set([
    "Share query", "Run query", "Table", "Response", "Simple view", "Ellipse", "Page size:", "Filter query results",
    "Download result", "Download Results", "Download not supported", "Show all", "pagination", "Shorten",
    "Nothing to autocomplete yet!",
  ]);
  // Its words with a name inside: the English pattern and the message that says the same with %(name)s.
  const PATTERNS = [
    [/^Shows (.+) view$/, "Show the view: %(view)s"],
    [/^View documentation of (.+)$/, "Documentation of the view: %(view)s"],
  ];
  const ATTRIBUTES = ["title", "aria-label", "placeholder"];
  const LEAVE = "td, th, pre, .CodeMirror, .chart-wrap, .map-view, .timeline, .graph-view";

  function translated(text) {
    const bare = text.trim();
    if (!bare) return null;
    if (FIXED.has(bare)) return text.replace(bare, W.word(bare));
    for (const [pattern, message] of PATTERNS) {
      const match = pattern.exec(bare);
      if (match) return text.replace(bare, W.format(message, { view: W.word(match[1]) }));
    }
    return null;
  }

  function translateElement(element) {
    ATTRIBUTES.forEach((name) => {
      const value = element.getAttribute(name);
      const better = value && translated(value);
      if (better && better !== value) element.setAttribute(name, better);
    });
  }

  function translateText(node) {
    const parent = node.parentElement;
    if (!parent || parent.closest(LEAVE)) return;
    const better = translated(node.nodeValue);
    if (better && better !== node.nodeValue) node.nodeValue = better;
  }

  function translateTree(root) {
    if (root.nodeType === Node.TEXT_NODE) return translateText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    translateElement(root);
    root.querySelectorAll("*").forEach(translateElement);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) translateText(walker.currentNode);
  }

  // The line above the results and the editor's status say the same: rows (or statements) and seconds.
  function summary(count, milliseconds, noun) {
    const parts = [];
    if (count !== null && count !== undefined) {
      parts.push(W.format(noun === "statements" ? "Statements: %(count)s" : "Rows: %(count)s", { count: W.number(count) }));
    }
    if (milliseconds) parts.push(W.format("%(seconds)s s", { seconds: W.number(milliseconds / 1000, 2) }));
    return parts.join(" · ");
  }

  // Before YASQE and YASR are made: the table's words and the line above the results.
  function prepare(Yasr) {
    const table = Yasr.plugins && Yasr.plugins.table;
    if (table && table.defaults && table.defaults.tableConfig) {
      const config = table.defaults.tableConfig;
      config.language = Object.assign({}, config.language, {
        emptyTable: W.word("No results."),
        zeroRecords: W.word("No row matches the filter."),
        aria: {
          orderable: ": " + W.word("activate to sort"),
          orderableReverse: ": " + W.word("activate to reverse the order"),
          orderableRemove: ": " + W.word("activate to stop sorting"),
          paginate: { first: W.word("First page"), last: W.word("Last page"), next: W.word("Next page"),
            previous: W.word("Previous page") },
        },
      });
    }
    Yasr.prototype.updateResponseInfo = function () {
      const bindings = this.results && this.results.getBindings ? this.results.getBindings() : null;
      this.dataElement.classList.toggle("empty", !this.results);
      this.dataElement.innerText = this.results
        ? summary(bindings ? bindings.length : null, this.results.getResponseTime && this.results.getResponseTime())
        : "";
    };
  }

  // After they are made: swap YASGUI's words now and whenever it draws again.
  function watch(...roots) {
    const observer = new MutationObserver((changes) => changes.forEach((change) => {
      if (change.type === "attributes") translateElement(change.target);
      else if (change.type === "characterData") translateText(change.target);
      else change.addedNodes.forEach(translateTree);
    }));
    roots.forEach((root) => {
      translateTree(root);
      observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true,
        attributeFilter: ATTRIBUTES });
    });
  }

  window.R2pkgYasguiLanguage = { prepare: prepare, watch: watch, summary: summary };
})();
