// Copies the browser components the site uses from node_modules into the Python package (static/vendor/),
// so the web app serves them itself and nothing is loaded from a CDN at run time.
import { copyFileSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const vendor = join(here, "..", "src", "r2pkg", "web", "static", "vendor");

// [file in node_modules, path under static/vendor]
const files = [
  ["@zazuko/yasgui/build/yasgui.min.js", "yasgui/yasgui.min.js"],
  ["@zazuko/yasgui/build/yasgui.min.css", "yasgui/yasgui.min.css"],
  ["@zazuko/yasgui/package.json", "yasgui/package.json"],
  ["chart.js/dist/chart.umd.js", "chart.js/chart.umd.js"],
  ["chart.js/LICENSE.md", "chart.js/LICENSE.md"],
  ["cytoscape/dist/cytoscape.min.js", "cytoscape/cytoscape.min.js"],
  ["cytoscape/LICENSE", "cytoscape/LICENSE"],
  ["world-atlas/countries-110m.json", "world-atlas/countries-110m.json"],
  ["world-atlas/LICENSE", "world-atlas/LICENSE"],
  ["topojson-client/dist/topojson-client.min.js", "topojson-client/topojson-client.min.js"],
  ["topojson-client/LICENSE", "topojson-client/LICENSE"],
];

rmSync(vendor, { recursive: true, force: true });
for (const [from, to] of files) {
  const source = join(modules, from);
  if (!existsSync(source)) {
    console.error(`missing ${source}: run "npm ci" in frontend/ first`);
    process.exit(1);
  }
  const target = join(vendor, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
}
console.log(`copied ${files.length} files into ${vendor}`);
