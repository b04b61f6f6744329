// /map: draw the states of the table on the world map, coloured by the table's values; each coloured state links
// to its page. The table stays the accessible account of the same data. Its words come translated in the figure's
// data-missing and data-failed (map.html).
(function () {
  "use strict";
  const figure = document.getElementById("world-map");
  if (!figure || !window.R2pkgWorld) return;
  const counts = figure.dataset.counts === "true";
  const highest = Number(figure.dataset.highest) || 1;
  const entries = new Map();
  document.querySelectorAll(".map-table tbody tr").forEach((row) => {
    const value = Number(row.dataset.value);
    const name = row.querySelector("th").textContent.trim();
    const shade = counts ? Math.round(88 - (value / highest) * 58) : 38;
    entries.set(row.dataset.numeric, {
      value: value, iri: row.dataset.iri, href: row.dataset.href,
      fill: value ? `hsl(212, 65%, ${shade}%)` : "",
      title: `${name}: ${row.querySelector("td").textContent.trim()}`,
    });
  });
  figure.setAttribute("aria-busy", "true");
  window.R2pkgWorld.load().then(({ features }) => {
    const svg = window.R2pkgWorld.draw(features, entries, figure.querySelector("figcaption").textContent.trim());
    figure.insertBefore(svg, figure.firstChild);
    figure.dataset.drawn = String(svg.querySelectorAll("a").length);
    const shapes = new Set(features.map((f) => String(f.id)));
    const missing = [...entries.keys()].filter((numeric) => !shapes.has(numeric)).length;
    if (missing) {
      figure.querySelector("figcaption").append(" " + figure.dataset.missing.replace("%(count)s", String(missing)));
    }
  }).catch((error) => {
    figure.querySelector("figcaption").textContent += " " + figure.dataset.failed.replace("%(reason)s", error.message);
  }).finally(() => figure.removeAttribute("aria-busy"));
})();
