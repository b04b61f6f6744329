// The world's states drawn as SVG (geometry from world-atlas, decoded with topojson-client, both bundled): shared by
// the results map of the query editor and the /map page. A state with a value is a link to its page.
window.R2pkgWorld = (function () {
  "use strict";
  let world = null;

  function load() {
    if (!world) {
      const json = (url) => fetch(url, { headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : Promise.reject(new Error(`${url}: ${response.status}`))));
      // A state's shape is named in the page's language (world-atlas names them in English).
      const lang = (document.documentElement.lang || "en").split("-")[0];
      world = Promise.all([json("/static/vendor/world-atlas/countries-110m.json"), json("/api/countries")])
        .then(([topology, countries]) => {
          const names = new Map(countries.map((c) => [c.numeric, (c.names || {})[lang] || (c.names || {}).en]));
          const features = window.topojson.feature(topology, topology.objects.countries).features;
          features.forEach((f) => { f.properties.name = names.get(String(f.id)) || f.properties.name; });
          return { features: features, countries: countries };
        });
    }
    return world;
  }

  function project([lon, lat]) {
    return [((lon + 180) / 360) * 960, ((84 - lat) / 144) * 384]; // equirectangular, 84°N to 60°S
  }

  function ringPath(ring) {
    return ring.map((point, i) => (i ? "L" : "M") + project(point).map((n) => n.toFixed(1)).join(",")).join("") + "Z";
  }

  function featurePath(geometry) {
    if (!geometry) return "";
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    return polygons.map((polygon) => polygon.map(ringPath).join("")).join("");
  }

  function svgElement(name, attributes) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", name);
    Object.entries(attributes || {}).forEach(([key, value]) => node.setAttribute(key, value));
    return node;
  }

  // features: from load(); entries: Map of ISO numeric code -> {fill, iri, href, title}; returns the <svg>.
  function draw(features, entries, label) {
    const svg = svgElement("svg", { viewBox: "0 0 960 384", role: "group", class: "world-map", "aria-label": label });
    features.forEach((feature) => {
      const entry = entries.get(String(feature.id));
      const path = svgElement("path", { d: featurePath(feature.geometry), class: entry && entry.fill ? "country has-value" : "country" });
      path.dataset.iso = String(feature.id || "");
      const title = svgElement("title");
      title.textContent = entry && entry.title ? entry.title : feature.properties.name;
      path.append(title);
      if (entry && entry.fill) path.setAttribute("fill", entry.fill);
      if (entry && entry.iri) path.dataset.iri = entry.iri;
      if (entry && entry.value !== undefined) path.dataset.value = String(entry.value);
      if (entry && entry.href) {
        const link = svgElement("a", { href: entry.href, "aria-label": title.textContent });
        link.append(path);
        svg.append(link);
      } else {
        svg.append(path);
      }
    });
    return svg;
  }

  return { load: load, draw: draw };
})();
