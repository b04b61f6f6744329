// The SPARQL editor page: YASQE (the editor of YASGUI) sending queries to this server's /sparql, YASR (its results
// component: table with paging, sorting and filtering, the raw response, a chart) showing the answers, the example
// catalogue with a filter and a form for parameters, an address that always says what is in the editor (and runs
// when opened), short links, readable syntax errors, downloads in every format, and a history in local storage.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("editor-config").textContent);
  const endpoint = new URL(config.endpoint, window.location.href).toString();
  const catalogue = new Map(config.catalogue.map((entry) => [entry.name, entry]));
  const Yasgui = window.Yasgui;
  const Yasqe = Yasgui && Yasgui.Yasqe;
  const Yasr = Yasgui && Yasgui.Yasr;
  const HISTORY_KEY = "r2pkg-query-history";
  const HISTORY_SIZE = 30;
  const W = window.R2pkgWords;  // the page's words (words.js)
  const when = new Intl.DateTimeFormat(W.lang + "-u-nu-latn", { dateStyle: "medium", timeStyle: "short" });

  const el = (id) => document.getElementById(id);
  const results = el("results");
  const status = el("results-status");
  const truncated = el("results-truncated");
  const errorBox = el("results-error");
  const downloads = el("results-downloads");
  let currentEntry = null;   // the catalogue entry loaded last, while the editor holds its text
  let currentValues = {};    // that entry's parameter values
  let errorMark = null;

  if (!Yasqe || !Yasr) {
    el("yasqe").textContent = W.word("The editor component did not load (static/vendor is missing: run `make assets`).");
    return;
  }

  // Offline: no vocabulary look-ups on the internet (LOV class/property completers), prefixes from the bundled list
  // plus the project's own, no share-link parsing that could point the editor at another endpoint.
  delete Yasqe.Autocompleters.property;
  delete Yasqe.Autocompleters["class"];
  const prefixCompleter = Yasqe.Autocompleters.prefixes;
  if (prefixCompleter) {
    const bundled = prefixCompleter.get;
    const own = Object.entries(config.prefixes).map(([prefix, iri]) => `${prefix}: <${iri}>`);
    prefixCompleter.persistenceId = "r2pkg-prefixes";
    prefixCompleter.get = (yasqe) => Promise.resolve(bundled(yasqe)).then((list) => {
      const seen = new Set(own.map((line) => line.split(":")[0]));
      return own.concat(list.filter((line) => !seen.has(line.split(":")[0])));
    });
  }
  Yasqe.defaults.autocompleters = ["prefixes", "variables"].filter((name) => name in Yasqe.Autocompleters);
  window.R2pkgYasguiLanguage.prepare(Yasr);

  const yasqe = new Yasqe(el("yasqe"), {
    value: config.initialQuery,
    persistenceId: null,
    prefixCcApi: null,
    consumeShareLink: null,
    createShortLink: undefined,
    createShareableLink: () => addressFor(yasqe.getValue()).toString(),
    editorHeight: "22rem",
    resizeable: true,
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
    },
  });

  window.R2pkgViews.register(Yasr, config.base + "id/");
  const yasr = new Yasr(el("yasr"), {
    persistenceId: null,
    prefixes: config.prefixes,
    pluginOrder: ["table", "chart", "map", "timeline", "graph", "response"],
    defaultPlugin: "table",
    getDownloadFileName: () => (currentEntry ? currentEntry.name : "query-results"),
  });

  window.R2pkgYasguiLanguage.watch(el("yasqe"), el("yasr"));

  // Each fresh answer opens in the view that fits it (YASR would otherwise keep the view chosen last): the choice is
  // made in YASR's first draw of the answer, once it has parsed it.
  let choosingView = false;
  const drawResults = yasr.draw.bind(yasr);
  yasr.draw = function () {
    if (choosingView && yasr.results) {
      choosingView = false;
      yasr.selectedPlugin = window.R2pkgViews.preferredView(yasr);
    }
    return drawResults();
  };

  // --- the address: always what the editor holds; opening it loads and runs the same query ---

  function addressFor(text) {
    const url = new URL("/query", window.location.origin);
    if (currentEntry && text === currentEntry.bound) {
      url.searchParams.set("example", currentEntry.name);
      Object.entries(currentValues).forEach(([name, value]) => {
        if (value && value !== currentEntry.params[name]) url.searchParams.set(name, value);
      });
    } else {
      url.searchParams.set("query", text);
    }
    return url;
  }

  function syncAddress() {
    const url = addressFor(yasqe.getValue());
    if (url.toString() !== window.location.href) window.history.replaceState(null, "", url);
  }

  let addressTimer = null;
  yasqe.getInputField().setAttribute("aria-label", W.word("SPARQL query"));
  yasqe.on("change", () => {
    clearMark();
    if (currentEntry && yasqe.getValue() !== currentEntry.bound) {
      currentEntry = null;
      currentValues = {};
      el("query-title").textContent = "";
      el("param-form").hidden = true;
      markCurrent(null);
    }
    clearTimeout(addressTimer);
    addressTimer = setTimeout(syncAddress, 250);
  });

  // --- running ---

  yasqe.on("queryBefore", () => {
    clearTimeout(addressTimer);
    syncAddress();
    remember(yasqe.getValue());
    results.hidden = false;
    status.textContent = W.word("Running…");
    errorBox.hidden = true;
    truncated.hidden = true;
    downloads.hidden = true;
    clearMark();
  });
  yasqe.on("queryResponse", (_editor, response, duration) => show(response, duration));

  function run() {
    yasqe.query().catch(() => {}); // failures arrive through the queryResponse event
  }

  el("run-query").addEventListener("click", run);

  // Tab indents inside the editor, so Escape is the keyboard's way out: it moves on to the Run button.
  // (An open completion list takes Escape first: its key map sits above this one.)
  yasqe.addKeyMap({ Esc: () => el("run-query").focus() }, true);
  yasqe.addKeyMap({ "Ctrl-Enter": () => run(), "Cmd-Enter": () => run() }, false);

  // --- results ---

  function header(response, name) {
    return response && response.headers && typeof response.headers.get === "function" ? response.headers.get(name) : null;
  }

  function clearMark() {
    if (errorMark) errorMark.clear();
    errorMark = null;
  }

  // A syntax error names its line, column and token; the offending token is highlighted in the editor.
  function showError(response) {
    const text = (response && (response.content || response.responseText || response.message || response.statusText)) ||
      W.word("No answer from the server.");
    errorBox.hidden = false;
    errorBox.textContent = String(text).trim();
    status.textContent = W.word("The query failed.");
    // The editor component hands over the failed answer's text only; the server's message names the place.
    const place = /line (\d+), column (\d+)(?: at “([^”]*)”)?/.exec(errorBox.textContent);
    const line = place ? Number(place[1]) : 0;
    const column = place ? Number(place[2]) : 0;
    if (line > 0 && column > 0) {
      const length = Math.max(1, place[3] ? place[3].length : 1);
      const from = { line: line - 1, ch: column - 1 };
      const lineText = yasqe.getLine(from.line) || "";
      const to = { line: from.line, ch: Math.min(lineText.length, from.ch + length) };
      if (to.ch <= from.ch) { from.ch = Math.max(0, lineText.length - 1); to.ch = lineText.length; }
      errorMark = yasqe.markText(from, to, { className: "syntax-error-token", attributes: { title: errorBox.textContent } });
      yasqe.setCursor(from);
    }
  }

  const SELECT_FORMATS = [["csv", "CSV"], ["tsv", "TSV"], ["json", "JSON"], ["xml", "XML"]];
  const GRAPH_FORMATS = [["ttl", "Turtle"], ["nt", "N-Triples"], ["jsonld", "JSON-LD"], ["rdf", "RDF/XML"]];

  function downloadLinks(query, graph) {
    const list = el("download-links");
    list.replaceChildren();
    (graph ? GRAPH_FORMATS : SELECT_FORMATS).forEach(([format, label], i) => {
      if (i) list.append(" · ");
      const a = document.createElement("a");
      a.id = "download-" + format;
      a.href = `${config.endpoint}?query=${encodeURIComponent(query)}&format=${format}`;
      a.download = `${currentEntry ? currentEntry.name : "query-results"}.${{ json: "srj", xml: "srx" }[format] || format}`;
      a.textContent = label;
      list.append(a);
    });
    downloads.hidden = false;
  }

  function show(response, duration) {
    results.hidden = false;
    if (response instanceof Error || !response || !response.ok) {
      showError(response);
      return;
    }
    if (String(header(response, "X-R2PKG-Truncated")).toLowerCase() === "true") {
      truncated.hidden = false;
      truncated.textContent = W.word("The results were cut at the server's row limit: only the first rows are shown. Add LIMIT and OFFSET, or narrow the query, to see the rest.");
    }
    const query = yasqe.getValue();
    const statements = header(response, "X-R2PKG-Statements");
    window.R2pkgViews.preferChart(currentEntry && currentEntry.chart);
    choosingView = true;
    yasr.setResponse(response, duration);
    const parsed = yasr.results;
    if (statements !== null) {
      status.textContent = window.R2pkgYasguiLanguage.summary(Number(statements), duration, "statements");
      downloadLinks(query, true);
      return;
    }
    downloadLinks(query, false);
    if (parsed && parsed.getBoolean && parsed.getBoolean() !== undefined && parsed.getBoolean() !== null) {
      const answer = W.word(parsed.getBoolean() ? "yes (true)" : "no (false)");
      status.textContent = [W.format("ASK answer: %(answer)s", { answer: answer }),
        window.R2pkgYasguiLanguage.summary(null, duration)].filter(Boolean).join(" · ");
      return;
    }
    const rows = parsed && parsed.getBindings ? (parsed.getBindings() || []).length : 0;
    status.textContent = window.R2pkgYasguiLanguage.summary(rows, duration);
  }

  // --- the catalogue: load an example, fill its parameters ---

  function markCurrent(name) {
    document.querySelectorAll(".catalogue-entry").forEach((item) => item.classList.toggle("current", item.dataset.name === name));
  }

  function iriOf(value) {
    const match = /^([A-Za-z][\w.-]*):(.*)$/.exec(value || "");
    if (match && config.prefixes[match[1]] && !value.includes("://")) return config.prefixes[match[1]] + match[2];
    return value;
  }

  function termSyntax(value) {
    const iri = iriOf(value);
    if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s<>"{}|\\^`]+$/.test(iri)) return `<${iri}>`;
    return JSON.stringify(String(value));
  }

  // The same substitution as catalogue.CompetencyQuestion.bind: every $name becomes the value as an RDF term.
  function bind(entry, values) {
    let text = entry.text;
    Object.keys(entry.params).forEach((name) => {
      const value = values[name] || entry.params[name];
      if (!value) return;
      text = text.replace(new RegExp("\\$" + name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "\\b", "g"), () => termSyntax(value));
    });
    return text;
  }

  const choiceCache = new Map();
  function choices(kind) {
    if (!choiceCache.has(kind)) {
      choiceCache.set(kind, fetch(`/api/choices/${encodeURIComponent(kind)}?lang=${encodeURIComponent(W.lang)}`,
        { headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : [])).catch(() => []));
    }
    return choiceCache.get(kind);
  }

  function paramForm(entry) {
    const form = el("param-form");
    const fields = el("param-fields");
    fields.replaceChildren();
    const names = Object.keys(entry.params);
    form.hidden = names.length === 0;
    names.forEach((name) => {
      const wrap = document.createElement("div");
      wrap.className = "param-field";
      const label = document.createElement("label");
      label.htmlFor = "param-" + name;
      label.textContent = name.replace(/_/g, " ");
      const kind = entry.param_kinds && entry.param_kinds[name];
      let input;
      const value = iriOf(currentValues[name] || entry.params[name] || "");
      if (kind) {
        input = document.createElement("select");
        const placeholder = document.createElement("option");
        placeholder.value = value;
        placeholder.textContent = value;
        input.append(placeholder);
        choices(kind).then((list) => {
          input.replaceChildren(...list.map((item) => {
            const option = document.createElement("option");
            option.value = item.iri;
            option.textContent = item.label;
            option.selected = item.iri === value;
            return option;
          }));
          if (!list.some((item) => item.iri === value)) input.prepend(placeholder);
          input.value = value;
        });
      } else {
        input = document.createElement("input");
        input.type = "text";
        input.value = value;
      }
      input.id = "param-" + name;
      input.name = name;
      input.addEventListener("change", () => {
        currentValues[name] = input.value;
        applyValues(entry, true);
      });
      wrap.append(label, input);
      fields.append(wrap);
    });
  }

  function applyValues(entry, execute) {
    const text = bind(entry, currentValues);
    currentEntry = Object.assign({}, entry, { bound: text });
    yasqe.setValue(text);
    currentEntry = Object.assign({}, entry, { bound: yasqe.getValue() });
    syncAddress();
    if (execute) run();
  }

  function loadExample(name, values, execute) {
    const entry = catalogue.get(name);
    if (!entry) return;
    currentValues = Object.assign({}, values || {});
    el("query-title").textContent = entry.title;
    markCurrent(name);
    paramForm(entry);
    applyValues(entry, execute);
  }

  document.querySelectorAll("button.load-example").forEach((button) =>
    button.addEventListener("click", () => loadExample(button.dataset.name, {}, true)));
  el("param-form").addEventListener("submit", (event) => { event.preventDefault(); run(); });

  // The catalogue filter: words of the title, question, name or topic, in any order, case and accents ignored.
  const fold = (text) => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  el("catalogue-filter").addEventListener("input", () => {
    const words = fold(el("catalogue-filter").value).split(/\s+/).filter(Boolean);
    let shown = 0;
    document.querySelectorAll(".catalogue-topic").forEach((topic) => {
      let inTopic = 0;
      const heading = topic.querySelector("h3").textContent;
      topic.querySelectorAll(".catalogue-entry").forEach((item) => {
        const entry = catalogue.get(item.dataset.name);
        const haystack = fold([entry.title, entry.question, entry.name, heading].join(" "));
        const match = words.every((word) => haystack.includes(word));
        item.hidden = !match;
        if (match) inTopic += 1;
      });
      topic.hidden = inTopic === 0;
      shown += inTopic;
    });
    el("catalogue-none").hidden = shown > 0;
  });

  // --- short links ---

  el("share-query").addEventListener("click", () => {
    fetch("/api/short-links", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query: yasqe.getValue() }),
    })
      .then((response) => response.json().then((data) => (response.ok ? data : Promise.reject(new Error(data.error)))))
      .then((data) => {
        el("share-box").hidden = false;
        el("share-link").value = data.url;
        el("share-link").focus();
        el("share-link").select();
      })
      .catch((error) => {
        el("share-box").hidden = false;
        el("share-link").value = W.format("No short link: %(reason)s", { reason: error.message });
      });
  });

  // --- history (this browser only) ---

  function readHistory() {
    try {
      const list = JSON.parse(window.localStorage.getItem(HISTORY_KEY) || "[]");
      return Array.isArray(list) ? list.filter((item) => item && typeof item.query === "string") : [];
    } catch (error) {
      return [];
    }
  }

  function remember(text) {
    if (!text.trim()) return;
    const item = { query: text, title: currentEntry ? currentEntry.title : "", time: new Date().toISOString() };
    const list = [item].concat(readHistory().filter((old) => old.query !== text)).slice(0, HISTORY_SIZE);
    try {
      window.localStorage.setItem(HISTORY_KEY, JSON.stringify(list));
    } catch (error) {
      /* storage full or disabled: no history */
    }
    drawHistory();
  }

  function drawHistory() {
    const list = el("history-list");
    list.replaceChildren(...readHistory().map((item) => {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "history-item";
      const firstLine = item.query.split("\n").find((line) => line.trim() && !/^\s*(PREFIX|#)/i.test(line)) || item.query;
      button.textContent = item.title || firstLine.trim().slice(0, 80);
      button.title = item.query;
      button.addEventListener("click", () => {
        currentEntry = null;
        yasqe.setValue(item.query);
        syncAddress();
      });
      const time = document.createElement("time");
      time.dateTime = item.time;
      const moment = new Date(item.time);
      time.textContent = " " + (Number.isNaN(moment.getTime()) ? item.time : when.format(moment));
      li.append(button, time);
      return li;
    }));
  }

  el("history-clear").addEventListener("click", () => {
    window.localStorage.removeItem(HISTORY_KEY);
    drawHistory();
  });
  drawHistory();

  // --- what the address asked for ---

  if (config.example && catalogue.has(config.example)) {
    loadExample(config.example, config.values, true);
  } else if (config.run) {
    run();
  }
})();
