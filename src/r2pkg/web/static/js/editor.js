// The SPARQL editor page: YASQE (the editor of YASGUI) sending queries to this server's /sparql, the example
// catalogue, and a results panel (table with links to entity pages, truncation note, downloads, chart view).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("editor-config").textContent);
  const endpoint = new URL(config.endpoint, window.location.href).toString();
  const catalogue = new Map(config.catalogue.map((entry) => [entry.name, entry]));
  const Yasqe = window.Yasgui && window.Yasgui.Yasqe;
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMERIC = new Set(["integer", "decimal", "double", "float", "long", "int", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "unsignedInt", "unsignedLong"].map((t) => XSD + t));
  const prefixes = Object.entries(config.prefixes).sort((a, b) => b[1].length - a[1].length);

  const el = (id) => document.getElementById(id);
  const results = el("results");
  const status = el("results-status");
  const truncated = el("results-truncated");
  const errorBox = el("results-error");
  const toolbar = el("results-toolbar");
  const tableWrap = el("results-table-wrap");
  const chartWrap = el("results-chart-wrap");
  const graphBox = el("results-graph");
  const viewTable = el("view-table");
  const viewChart = el("view-chart");
  let chart = null;
  let currentEntry = null;   // the catalogue entry loaded last, while its text is unchanged
  let lastData = null;

  if (!Yasqe) {
    el("yasqe").textContent = "The editor component did not load (static/vendor is missing: run `make assets`).";
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

  const yasqe = new Yasqe(el("yasqe"), {
    value: config.initialQuery,
    persistenceId: null,
    prefixCcApi: null,
    consumeShareLink: null,
    createShortLink: undefined,
    createShareableLink: (editor) =>
      `${window.location.origin}/query?query=${encodeURIComponent(editor.getValue())}`,
    editorHeight: "22rem",
    resizeable: true,
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle",
    },
  });

  yasqe.on("change", () => {
    if (currentEntry && yasqe.getValue() !== currentEntry.query) {
      currentEntry = null;
      el("query-title").textContent = "";
    }
  });
  yasqe.on("queryBefore", () => {
    results.hidden = false;
    status.textContent = "Running…";
    errorBox.hidden = true;
    truncated.hidden = true;
  });
  yasqe.on("queryResponse", (_editor, response, duration) => show(response, duration));

  function run() {
    yasqe.query().catch(() => {}); // failures arrive through the queryResponse event
  }

  el("run-query").addEventListener("click", run);

  // Tab indents inside the editor, so Escape is the keyboard's way out: it moves on to the Run button.
  // (An open completion list takes Escape first: its key map sits above this one.)
  yasqe.addKeyMap({ Esc: () => el("run-query").focus() }, true);

  function loadExample(name, execute) {
    const entry = catalogue.get(name);
    if (!entry) return;
    currentEntry = entry;
    yasqe.setValue(entry.query);
    el("query-title").textContent = entry.title;
    document.querySelectorAll(".catalogue-entry").forEach((item) =>
      item.classList.toggle("current", item.dataset.name === name));
    const url = new URL(window.location.href);
    url.search = "?example=" + encodeURIComponent(name);
    window.history.replaceState(null, "", url);
    if (execute) run();
  }

  document.querySelectorAll("button.load-example").forEach((button) =>
    button.addEventListener("click", () => loadExample(button.dataset.name, true)));

  // --- results ---

  function iriLabel(iri) {
    for (const [prefix, ns] of prefixes) {
      if (iri.startsWith(ns) && iri.length > ns.length) return `${prefix}:${iri.slice(ns.length)}`;
    }
    return iri;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const a = document.createElement("a");
      a.textContent = iriLabel(term.value);
      a.title = term.value;
      if (term.value.startsWith(config.base)) {
        a.href = "/" + term.value.slice(config.base.length);
      } else {
        a.href = term.value;
        a.rel = "noopener noreferrer external";
        a.className = "external";
      }
      td.append(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
      td.className = "bnode";
    } else {
      td.append(document.createTextNode(term.value));
      const lang = term["xml:lang"];
      const datatype = term.datatype;
      if (lang || (datatype && !NUMERIC.has(datatype) && datatype !== XSD + "string")) {
        const note = document.createElement("span");
        note.className = "term-note";
        note.textContent = lang ? "@" + lang : " ^^" + iriLabel(datatype);
        td.append(note);
      }
      if (datatype && NUMERIC.has(datatype)) td.className = "number";
    }
    return td;
  }

  function renderTable(vars, bindings) {
    const table = document.createElement("table");
    table.className = "results-table";
    const caption = document.createElement("caption");
    caption.className = "visually-hidden";
    caption.textContent = "Query results";
    table.append(caption);
    const head = table.createTHead().insertRow();
    const corner = document.createElement("th");
    corner.scope = "col";
    corner.textContent = "#";
    head.append(corner);
    vars.forEach((name) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.append(th);
    });
    const body = table.createTBody();
    bindings.forEach((binding, index) => {
      const row = body.insertRow();
      const number = document.createElement("td");
      number.className = "row-number";
      number.textContent = String(index + 1);
      row.append(number);
      vars.forEach((name) => row.append(cell(binding[name])));
    });
    tableWrap.replaceChildren(table);
  }

  function downloadLinks(query) {
    const base = `${config.endpoint}?query=${encodeURIComponent(query)}`;
    el("download-csv").href = base + "&format=csv";
    el("download-json").href = base + "&format=json";
  }

  // Which columns make a chart: the catalogue's `# chart:` header, else one numeric and one label column.
  function chartSpec(vars, bindings) {
    if (currentEntry && currentEntry.chart && vars.includes(currentEntry.chart.label) && vars.includes(currentEntry.chart.value)) {
      return currentEntry.chart;
    }
    if (!bindings.length || bindings.length > 200) return null;
    const numeric = vars.filter((v) => bindings.every((b) => b[v] && NUMERIC.has(b[v].datatype)));
    if (numeric.length !== 1) return null;
    const literal = vars.find((v) => v !== numeric[0] && bindings.every((b) => b[v] && b[v].type === "literal"));
    const any = literal || vars.find((v) => v !== numeric[0]);
    return any ? { kind: "bar", label: any, value: numeric[0] } : null;
  }

  function drawChart(spec, bindings) {
    if (chart) chart.destroy();
    if (!window.Chart) return;
    const kinds = new Set(["bar", "line", "pie", "doughnut", "polarArea", "radar"]);
    const kind = kinds.has(spec.kind) ? spec.kind : "bar";
    const labels = bindings.map((b) => (b[spec.label] ? (b[spec.label].type === "uri" ? iriLabel(b[spec.label].value) : b[spec.label].value) : ""));
    const values = bindings.map((b) => Number(b[spec.value] ? b[spec.value].value : 0));
    const horizontal = kind === "bar" && labels.length > 6;
    chartWrap.style.height = horizontal ? `${Math.max(16, labels.length * 1.6 + 4)}rem` : "24rem";
    chart = new window.Chart(el("results-chart"), {
      type: kind,
      data: { labels: labels, datasets: [{ label: spec.value, data: values, backgroundColor: "#2b6cb0" }] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: kind !== "bar" } },
      },
    });
    el("results-chart").setAttribute("aria-label", `${kind} chart of ${spec.value} per ${spec.label}`);
  }

  function setView(view) {
    const chartView = view === "chart";
    chartWrap.hidden = !chartView;
    tableWrap.hidden = chartView;
    viewTable.setAttribute("aria-pressed", String(!chartView));
    viewChart.setAttribute("aria-pressed", String(chartView));
    if (chartView && lastData) drawChart(lastData.spec, lastData.bindings);
  }
  viewTable.addEventListener("click", () => setView("table"));
  viewChart.addEventListener("click", () => setView("chart"));

  function reset() {
    tableWrap.replaceChildren();
    graphBox.hidden = true;
    graphBox.textContent = "";
    toolbar.hidden = true;
    viewChart.hidden = true;
    lastData = null;
    setView("table");
  }

  function show(response, duration) {
    reset();
    results.hidden = false;
    const seconds = duration ? ` in ${(duration / 1000).toFixed(2)} s` : "";
    if (response instanceof Error || !response || !response.ok) {
      errorBox.hidden = false;
      errorBox.textContent = "The query failed: " + ((response && (response.message || response.statusText)) || "no answer from the server");
      status.textContent = "";
      return;
    }
    if (response.headers && String(response.headers.get("X-R2PKG-Truncated")).toLowerCase() === "true") {
      truncated.hidden = false;
      truncated.textContent = "The results were cut at the server's row limit: only the first rows are shown. " +
        "Add LIMIT and OFFSET, or narrow the query, to see the rest.";
    }
    const type = (response.headers && response.headers.get("Content-Type")) || "";
    const query = yasqe.getValue();
    if (!type.includes("json")) {
      graphBox.hidden = false;
      graphBox.textContent = response.content;
      const triples = response.content.split("\n").filter((line) => /\.\s*$/.test(line)).length;
      status.textContent = `Graph result (${type.split(";")[0] || "text"})${seconds}; about ${triples} statements.`;
      return;
    }
    let data;
    try {
      data = JSON.parse(response.content);
    } catch (error) {
      errorBox.hidden = false;
      errorBox.textContent = "The server's answer is not valid JSON: " + error.message;
      return;
    }
    toolbar.hidden = false;
    downloadLinks(query);
    if ("boolean" in data) {
      status.textContent = `ASK answered ${data.boolean ? "true" : "false"}${seconds}.`;
      tableWrap.textContent = data.boolean ? "true" : "false";
      return;
    }
    const vars = data.head.vars || [];
    const bindings = data.results.bindings || [];
    status.textContent = `${bindings.length} ${bindings.length === 1 ? "row" : "rows"}${seconds}.`;
    renderTable(vars, bindings);
    const spec = chartSpec(vars, bindings);
    if (spec) {
      lastData = { spec: spec, bindings: bindings };
      viewChart.hidden = false;
    }
  }

  if (config.example && catalogue.has(config.example)) loadExample(config.example, true);
})();
