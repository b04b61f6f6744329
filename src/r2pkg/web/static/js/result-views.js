// Result views for YASR (the results component of the bundled YASGUI): links from IRIs in the table to this site's
// entity pages, and a chart view (bar or line, Chart.js) chosen when the columns fit.
(function () {
  "use strict";
  const XSD = "http://www.w3.org/2001/XMLSchema#";
  const NUMERIC = new Set(["integer", "decimal", "double", "float", "long", "int", "short", "byte",
    "nonNegativeInteger", "positiveInteger", "unsignedInt", "unsignedLong"].map((t) => XSD + t));
  const DATES = new Set(["date", "dateTime", "gYear", "gYearMonth"].map((t) => XSD + t));
  const MAX_CHART_ROWS = 500;

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
      this.label = "Chart";
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
      controls.textContent = "Chart: ";
      const select = document.createElement("select");
      select.id = "chart-kind";
      [["bar", "Bars"], ["line", "Line"]].forEach(([value, text]) => {
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
      canvas.setAttribute("aria-label", `${kind === "bar" ? "Bar" : "Line"} chart of ${spec.values.join(", ")} per ${spec.label}`);
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
          indexAxis: horizontal ? "y" : "x", maintainAspectRatio: false, animation: false,
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

  window.R2pkgViews = {
    register(Yasr, base) {
      linkIris(Yasr, base);
      Yasr.registerPlugin("chart", ChartView);
    },
    preferChart(spec) {
      ChartView.preferred = spec || null;
    },
    chartSpec: chartSpec,
  };
})();
