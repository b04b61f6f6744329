// Result views for YASR (the results component of the bundled YASGUI): links from IRIs in the table to this site's
// entity pages, and views chosen when the columns fit: a chart (bar or line, Chart.js), a world map (state IRIs or ISO
// codes; world-atlas geometry, topojson-client), a timeline (dates) and a graph (CONSTRUCT/DESCRIBE answers or two
// IRI columns; Cytoscape.js). `preferredView` picks one for a fresh answer; the user switches with YASR's buttons.
(function () {
  "use strict";
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMERIC = new Set(["integer", "decimal", "double", "float", "long", "int", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "unsignedInt", "unsignedLong"].map((t) => XSD + t));
  const DATES = new Set(["date", "dateTime", "gYear", "gYearMonth"].map((t) => XSD + t));
  const MAX_CHART_ROWS = 500;
  const W = window.R2pkgWords;  // the page's words (words.js)

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  function shortName(iri, prefixes) {
    let best = null;
    for (const prefix in prefixes) {
      const ns = prefixes[prefix];
      if (iri.startsWith(ns) && iri.length > ns.length && (!best || ns.length > best[1].length)) best = [prefix, ns];
    }
    return best ? `${best[0]}:${iri.slice(best[1].length)}` : null;
  }

  // The table's IRI cells: entity IRIs of this graph open the entity page here, others open outside in a new tab.
  function linkIris(Yasr, base) {
    const Table = Yasr.plugins.table;
    if (!Table) return;
    Table.defaults.openIriInNewWindow = false;
    Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
      const iri = binding.value;
      const name = shortName(iri, prefixes || {});
      const text = escapeHtml(name || iri);
      const wrap = (inner) => (name || (this.persistentConfig && this.persistentConfig.compact) ? inner : `&lt;${inner}&gt;`);
      if (iri.startsWith(base)) {
        return wrap(`<a class="iri" href="/${escapeHtml(iri.slice(base.length - "id/".length))}" title="${escapeHtml(iri)}">${text}</a>`);
      }
      return wrap(`<a class="iri external" href="${escapeHtml(iri)}" target="_blank" rel="noopener noreferrer" title="${escapeHtml(iri)}">${text}</a>`);
    };
  }

  function termText(term, prefixes) {
    if (!term) return "";
    if (term.type === "uri") return shortName(term.value, prefixes) || term.value;
    return term.value;
  }

  // Which columns make a chart: one label column and at least one numeric column, at most MAX_CHART_ROWS rows.
  function chartSpec(vars, bindings, preferred) {
    if (!bindings.length || bindings.length > MAX_CHART_ROWS) return null;
    if (preferred && vars.includes(preferred.label) && vars.includes(preferred.value)) {
      return { label: preferred.label, values: [preferred.value], kind: preferred.kind === "line" ? "line" : "bar" };
    }
    const numeric = vars.filter((v) => bindings.every((b) => b[v] && NUMERIC.has(b[v].datatype)));
    const label = vars.find((v) => !numeric.includes(v));
    if (!numeric.length || !label) return null;
    const dated = bindings.every((b) => b[label] && DATES.has(b[label].datatype));
    return { label: label, values: numeric, kind: dated ? "line" : "bar" };
  }

  class ChartView {
    constructor(yasr) {
      this.yasr = yasr;
      this.label = W.word("Chart");
      this.priority = 5;
      this.chart = null;
      this.kind = null;
    }

    spec() {
      const results = this.yasr.results;
      if (!results || !results.getVariables || !results.getBindings) return null;
      const vars = results.getVariables() || [];
      const bindings = results.getBindings() || [];
      return chartSpec(vars, bindings, ChartView.preferred);
    }

    canHandleResults() {
      return Boolean(window.Chart && this.spec());
    }

    draw() {
      const spec = this.spec();
      if (!spec) return;
      const kind = this.kind || spec.kind;
      const controls = document.createElement("label");
      controls.className = "chart-kind";
      controls.textContent = W.word("Chart type:") + " ";
      const select = document.createElement("select");
      select.id = "chart-kind";
      [["bar", W.word("Bars")], ["line", W.word("Line")]].forEach(([value, text]) => {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = text;
        option.selected = value === kind;
        select.append(option);
      });
      select.addEventListener("change", () => {
        this.kind = select.value;
        this.yasr.draw();
      });
      controls.append(select);
      this.yasr.pluginControls.append(controls);

      const bindings = this.yasr.results.getBindings();
      const prefixes = this.yasr.getPrefixes();
      const labels = bindings.map((b) => termText(b[spec.label], prefixes));
      const horizontal = kind === "bar" && labels.length > 8;
      const wrap = document.createElement("div");
      wrap.className = "chart-wrap" + (horizontal ? " chart-tall" : "");
      if (horizontal) wrap.dataset.rows = String(Math.min(labels.length, MAX_CHART_ROWS));
      const canvas = document.createElement("canvas");
      canvas.id = "results-chart";
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", W.format(kind === "bar" ? "Bar chart of %(values)s per %(label)s"
        : "Line chart of %(values)s per %(label)s", { values: spec.values.join(", "), label: spec.label }));
      wrap.append(canvas);
      this.yasr.resultsEl.append(wrap);
      if (horizontal) wrap.style.setProperty("height", `${Math.max(16, labels.length * 1.6 + 4)}rem`);
      const colours = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280"];
      this.chart = new window.Chart(canvas, {
        type: kind,
        data: {
          labels: labels,
          datasets: spec.values.map((name, i) => ({
            label: name, data: bindings.map((b) => Number(b[name] ? b[name].value : 0)),
            backgroundColor: colours[i % colours.length], borderColor: colours[i % colours.length],
          })),
        },
        options: {
          indexAxis: horizontal ? "y" : "x", maintainAspectRatio: false, animation: false, locale: W.lang + "-u-nu-latn",
          plugins: { legend: { display: spec.values.length > 1 } },
        },
      });
    }

    getIcon() {
      const icon = document.createElement("span");
      icon.className = "view-icon view-icon-chart";
      icon.setAttribute("aria-hidden", "true");
      return icon;
    }

    destroy() {
      if (this.chart) this.chart.destroy();
      this.chart = null;
    }
  }
  ChartView.preferred = null; // the `# chart:` header of the catalogue entry loaded last

  // --- shared helpers ---

  function entityHref(iri, base) {
    return iri.startsWith(base) ? "/" + iri.slice(base.length - "id/".length) : null;
  }

  function resultsOf(yasr) {
    const results = yasr.results;
    if (!results || !results.getVariables || !results.getBindings) return { vars: [], bindings: [] };
    return { vars: results.getVariables() || [], bindings: results.getBindings() || [] };
  }

  function isGraphAnswer(yasr) {
    return Boolean(yasr.results && yasr.results.getType && yasr.results.getType() === "ttl");
  }

  function svgElement(name, attributes) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", name);
    Object.entries(attributes || {}).forEach(([key, value]) => node.setAttribute(key, value));
    return node;
  }

  let viewBase = "";

  // --- map: a column of state IRIs or ISO 3166-1 codes colours the world ---

  const MAX_MAP_ROWS = 5000;

  function placeColumn(vars, bindings) {
    if (!bindings.length || bindings.length > MAX_MAP_ROWS) return null;
    const statePrefix = viewBase + "state/";
    return vars.find((v) => bindings.every((b) => b[v] && (
      (b[v].type === "uri" && b[v].value.startsWith(statePrefix)) ||
      (b[v].type !== "uri" && b[v].type !== "bnode" && /^[A-Z]{2,3}$/.test(b[v].value))))) || null;
  }

  function mapSpec(vars, bindings) {
    const place = placeColumn(vars, bindings);
    if (!place) return null;
    const value = vars.find((v) => v !== place && bindings.every((b) => !b[v] || NUMERIC.has(b[v].datatype)) &&
      bindings.some((b) => b[v]));
    return { place: place, value: value || null };
  }

  class MapView {
    constructor(yasr) {
      this.yasr = yasr;
      this.label = W.word("Map");
      this.priority = 4;
    }

    canHandleResults() {
      const { vars, bindings } = resultsOf(this.yasr);
      return Boolean(window.topojson && mapSpec(vars, bindings));
    }

    draw() {
      const { vars, bindings } = resultsOf(this.yasr);
      const spec = mapSpec(vars, bindings);
      if (!spec) return Promise.resolve();
      const wrap = document.createElement("figure");
      wrap.className = "map-view";
      wrap.id = "results-map";
      wrap.setAttribute("aria-busy", "true");
      this.yasr.resultsEl.append(wrap);
      return window.R2pkgWorld.load().then(({ features, countries }) => {
        const byKey = new Map();
        countries.forEach((c) => [c.iri, c.alpha2, c.alpha3].forEach((key) => key && byKey.set(key, c)));
        const values = new Map(); // numeric code -> {value, iri, rows}
        bindings.forEach((b) => {
          const country = byKey.get(b[spec.place].value);
          if (!country) return;
          const entry = values.get(country.numeric) || { value: 0, iri: country.iri, rows: 0 };
          entry.value += spec.value ? Number(b[spec.value] ? b[spec.value].value : 0) : 1;
          entry.rows += 1;
          values.set(country.numeric, entry);
        });
        const numbers = [...values.values()].map((entry) => entry.value);
        const low = numbers.length ? Math.min(...numbers) : 0;
        const high = numbers.length ? Math.max(...numbers) : 1;
        const colour = (v) => {
          const t = high === low ? 1 : (v - low) / (high - low);
          return `hsl(212, 65%, ${Math.round(88 - t * 58)}%)`;
        };
        const names = new Map(features.map((f) => [String(f.id), f.properties.name]));
        values.forEach((entry, numeric) => {
          entry.fill = colour(entry.value);
          entry.href = entityHref(entry.iri, viewBase);
          entry.title = `${names.get(numeric) || entry.iri}: ${W.number(entry.value)}`;
        });
        const measure = spec.value || W.word("number of rows");
        const svg = window.R2pkgWorld.draw(features, values,
          W.format("World map of %(value)s per %(place)s", { value: measure, place: spec.place }));
        const coloured = [...values.keys()].filter((numeric) => names.has(numeric)).length;
        const caption = document.createElement("figcaption");
        caption.textContent = W.format("States coloured: %(count)s, by %(value)s (from %(low)s to %(high)s); darker is more.",
          { count: W.number(coloured), value: measure, low: W.number(low), high: W.number(high) });
        wrap.append(svg, caption);
        wrap.dataset.coloured = String(coloured);
        wrap.removeAttribute("aria-busy");
      }).catch((error) => {
        wrap.textContent = W.format("The map could not be drawn: %(reason)s", { reason: error.message });
        wrap.removeAttribute("aria-busy");
      });
    }

    getIcon() {
      const icon = document.createElement("span");
      icon.className = "view-icon view-icon-map";
      icon.setAttribute("aria-hidden", "true");
      return icon;
    }
  }

  // --- timeline: rows with a date, in date order ---

  function dateColumn(vars, bindings) {
    if (!bindings.length || bindings.length > 2000) return null;
    return vars.find((v) => bindings.some((b) => b[v]) && bindings.every((b) => !b[v] || DATES.has(b[v].datatype))) || null;
  }

  class TimelineView {
    constructor(yasr) {
      this.yasr = yasr;
      this.label = W.word("Timeline");
      this.priority = 3;
    }

    canHandleResults() {
      const { vars, bindings } = resultsOf(this.yasr);
      return Boolean(dateColumn(vars, bindings));
    }

    draw() {
      const { vars, bindings } = resultsOf(this.yasr);
      const column = dateColumn(vars, bindings);
      const prefixes = this.yasr.getPrefixes();
      const rows = bindings.filter((b) => b[column]).sort((a, b) => a[column].value.localeCompare(b[column].value));
      const list = document.createElement("ol");
      list.className = "timeline";
      list.id = "results-timeline";
      let year = null;
      rows.forEach((b) => {
        const date = b[column].value;
        if (date.slice(0, 4) !== year) {
          year = date.slice(0, 4);
          const heading = document.createElement("li");
          heading.className = "timeline-year";
          heading.textContent = year;
          list.append(heading);
        }
        const item = document.createElement("li");
        item.className = "timeline-item";
        const time = document.createElement("time");
        time.dateTime = date;
        time.textContent = W.date(date);
        item.append(time);
        vars.filter((v) => v !== column && b[v]).forEach((v) => {
          const part = document.createElement("span");
          part.className = "timeline-part";
          const href = b[v].type === "uri" ? entityHref(b[v].value, viewBase) : null;
          if (href) {
            const a = document.createElement("a");
            a.href = href;
            a.textContent = termText(b[v], prefixes);
            part.append(a);
          } else {
            part.textContent = termText(b[v], prefixes);
          }
          item.append(part);
        });
        list.append(item);
      });
      this.yasr.resultsEl.append(list);
    }

    getIcon() {
      const icon = document.createElement("span");
      icon.className = "view-icon view-icon-timeline";
      icon.setAttribute("aria-hidden", "true");
      return icon;
    }
  }

  // --- graph: statements of a CONSTRUCT/DESCRIBE answer, or rows linking two IRI columns ---

  const MAX_GRAPH_EDGES = 1500;

  function graphEdges(yasr) {
    const { vars, bindings } = resultsOf(yasr);
    if (!bindings.length || bindings.length > MAX_GRAPH_EDGES) return null;
    if (isGraphAnswer(yasr)) {
      return bindings.map((b) => ({ source: b.subject, target: b.object, label: b.predicate }));
    }
    const iris = vars.filter((v) => bindings.every((b) => !b[v] || b[v].type === "uri" || b[v].type === "bnode") &&
      bindings.some((b) => b[v]));
    if (iris.length < 2) return null;
    return bindings.filter((b) => b[iris[0]] && b[iris[1]])
      .map((b) => ({ source: b[iris[0]], target: b[iris[1]], label: { type: "literal", value: iris[1] } }));
  }

  class GraphView {
    constructor(yasr) {
      this.yasr = yasr;
      this.label = W.word("Graph");
      this.priority = 2;
      this.cy = null;
    }

    canHandleResults() {
      const edges = window.cytoscape && graphEdges(this.yasr);
      return Boolean(edges && edges.length);
    }

    draw() {
      const edges = graphEdges(this.yasr) || [];
      const prefixes = this.yasr.getPrefixes();
      const nodes = new Map();
      const key = (term) => `${term.type}:${term.value}:${term["xml:lang"] || ""}:${term.datatype || ""}`;
      const node = (term) => {
        const id = key(term);
        if (!nodes.has(id)) {
          const text = termText(term, prefixes);
          nodes.set(id, { data: { id: "n" + nodes.size, label: text.length > 40 ? text.slice(0, 39) + "…" : text,
            iri: term.type === "uri" ? term.value : "", kind: term.type } });
        }
        return nodes.get(id).data.id;
      };
      const seen = new Set();
      const links = [];
      edges.forEach((edge) => {
        const source = node(edge.source);
        const target = node(edge.target);
        const label = termText(edge.label, prefixes);
        const id = `${source}|${label}|${target}`;
        if (seen.has(id)) return;
        seen.add(id);
        links.push({ data: { id: "e" + links.length, source: source, target: target, label: label } });
      });
      const box = document.createElement("div");
      box.id = "results-graph-view";
      box.className = "graph-view";
      box.setAttribute("role", "img");
      box.setAttribute("aria-label", W.format("Graph (nodes: %(nodes)s, links: %(links)s)",
        { nodes: W.number(nodes.size), links: W.number(links.length) }));
      box.dataset.nodes = String(nodes.size);
      box.dataset.edges = String(links.length);
      this.yasr.resultsEl.append(box);
      this.cy = window.cytoscape({
        container: box,
        elements: [...nodes.values(), ...links],
        layout: { name: nodes.size > 300 ? "grid" : "cose", animate: false },
        style: [
          { selector: "node", style: { label: "data(label)", "font-size": 9, "background-color": "#2b6cb0", width: 12, height: 12 } },
          { selector: "node[kind = 'literal']", style: { shape: "round-rectangle", "background-color": "#c05621" } },
          { selector: "edge", style: { label: "data(label)", "font-size": 7, width: 1, "curve-style": "bezier",
            "target-arrow-shape": "triangle", "line-color": "#999", "target-arrow-color": "#999", color: "#555" } },
        ],
      });
      this.cy.on("tap", "node", (event) => {
        const href = entityHref(event.target.data("iri") || "", viewBase);
        if (href) window.location.assign(href);
      });
    }

    getIcon() {
      const icon = document.createElement("span");
      icon.className = "view-icon view-icon-graph";
      icon.setAttribute("aria-hidden", "true");
      return icon;
    }

    destroy() {
      if (this.cy) this.cy.destroy();
      this.cy = null;
    }
  }

  // The view a fresh answer opens in: the catalogue's chart, a graph for graph answers, a map for values per state,
  // a timeline for dated rows, a chart for a few labelled numbers; otherwise the table.
  function preferredView(yasr) {
    const has = (name) => yasr.plugins[name] && yasr.plugins[name].canHandleResults();
    const { vars, bindings } = resultsOf(yasr);
    if (isGraphAnswer(yasr)) return has("graph") ? "graph" : "response";
    if (ChartView.preferred && has("chart")) return "chart";
    const map = mapSpec(vars, bindings);
    if (map && map.value && has("map")) return "map";
    if (dateColumn(vars, bindings) && bindings.length <= 200 && has("timeline")) return "timeline";
    if (bindings.length <= 60 && has("chart")) return "chart";
    return "table";
  }

  window.R2pkgViews = {
    register(Yasr, base) {
      viewBase = base;
      linkIris(Yasr, base);
      Yasr.registerPlugin("chart", ChartView);
      Yasr.registerPlugin("map", MapView);
      Yasr.registerPlugin("timeline", TimelineView);
      Yasr.registerPlugin("graph", GraphView);
    },
    preferredView: preferredView,
    preferChart(spec) {
      ChartView.preferred = spec || null;
    },
    chartSpec: chartSpec,
  };
})();
