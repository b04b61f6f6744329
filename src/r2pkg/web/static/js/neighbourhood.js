// Draws the entity's neighbourhood with cytoscape: the resource in the middle, what it links to in columns on the
// right, what links to it on the left, each row as tall as its label so that no two labels overlap. The first
// neighbours are drawn, "more…" draws the next ones. The names of the links show on hover and on keyboard focus (on
// the edges of that neighbour) and, on request, for all at once under each neighbour's name (the rows grow to fit, so
// nothing overlaps). The page lists every link under the picture as well (#neighbourhood-list), with or without this.
(function () {
  "use strict";
  var STEP = 16;      // neighbours drawn at first and added by each "more…"
  var ROWS = 12;      // rows in a column before the next column starts further out (on a wide screen)
  var GAP = 8;        // between two label boxes, in model pixels
  var COLUMN_GAP = 28;

  function draw() {
    var container = document.getElementById("neighbourhood-graph");
    var dataElement = document.getElementById("neighbourhood-data");
    if (!container || !dataElement || typeof window.cytoscape !== "function") return;
    var data;
    try { data = JSON.parse(dataElement.textContent); } catch (e) { return; }
    if (!data.nodes || data.nodes.length < 2) { container.hidden = true; return; }
    var focusId = data.nodes.filter(function (n) { return n.focus; })[0].id;
    var labelWidth = Math.max(90, Math.min(180, Math.floor(container.clientWidth / 4)));
    var rowsPerColumn = container.clientWidth < 600 ? 3 * ROWS : ROWS;  // a phone scrolls down, not sideways

    var relations = {};  // neighbour -> the names of its links with the resource
    data.edges.forEach(function (e) {
      var other = e.source === focusId ? e.target : e.source;
      (relations[other] = relations[other] || []).push(e.label);
    });
    var elements = data.nodes.map(function (n, i) {
      return { group: "nodes", data: { id: n.id, label: n.label, name: n.label, url: n.url, order: i,
                                       named: n.label + "\n(" + (relations[n.id] || []).join("; ") + ")" },
               classes: n.focus ? "focus" : (i > STEP ? "later" : "") };
    });
    data.edges.forEach(function (e, i) {
      var outgoing = e.source === focusId;
      elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target, label: e.label },
                      classes: (outgoing ? "out" : "in") + (e.inferred ? " inferred" : "") });
    });
    container.classList.add("drawn");
    var cy = window.cytoscape({
      container: container,
      elements: elements,
      layout: { name: "preset" },
      autoungrabify: true,
      boxSelectionEnabled: false,
      wheelSensitivity: 0.2,
      minZoom: 0.2,
      maxZoom: 3,
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 12, "text-wrap": "wrap",
                                     "text-max-width": labelWidth, "color": "#1b1f23", "background-color": "#0b5cad",
                                     "width": 14, "height": 14, "text-valign": "center", "text-halign": "right",
                                     "text-margin-x": 6, "text-background-color": "#f4f6f8",
                                     "text-background-opacity": 0.85, "text-background-padding": 1 } },
        { selector: "node.left", style: { "text-halign": "left", "text-margin-x": -6 } },
        { selector: "node.focus", style: { "background-color": "#f5a623", "width": 22, "height": 22,
                                           "font-weight": "bold", "text-valign": "bottom", "text-halign": "center",
                                           "text-margin-x": 0, "text-margin-y": 6 } },
        { selector: "node.later", style: { "display": "none" } },
        { selector: "node.current", style: { "border-width": 3, "border-color": "#1b1f23", "font-weight": "bold" } },
        { selector: "edge", style: { "width": 1.2, "line-color": "#9aa5b1", "target-arrow-color": "#9aa5b1",
                                     "target-arrow-shape": "triangle", "curve-style": "bezier" } },
        { selector: "edge.inferred", style: { "line-style": "dashed" } },
        { selector: "edge.named.out", style: { "target-label": "data(label)", "target-text-offset": 46 } },
        { selector: "edge.named.in", style: { "source-label": "data(label)", "source-text-offset": 46 } },
        { selector: "edge.named", style: { "font-size": 10, "color": "#3b4450", "text-background-color": "#ffffff",
                                           "text-background-opacity": 0.9, "text-background-padding": 2,
                                           "line-color": "#586069", "target-arrow-color": "#586069" } }
      ]
    });
    container.cy = cy;  // for the browser tests, and for anyone who wants to look closer from the console

    var focus = cy.getElementById(focusId);
    var namesButton = document.getElementById("neighbourhood-edge-labels");
    var moreButton = document.getElementById("neighbourhood-more");
    var shownCount = document.getElementById("neighbourhood-shown");
    var announce = document.getElementById("neighbourhood-current");
    var allNamed = false;  // every neighbour's label carries the names of its links
    var order = [];  // the drawn neighbours in reading order: right columns top to bottom, then the left ones
    var current = -1;

    function sideOf(node) {
      // Right: the resource links to it; left: it links only to the resource.
      return node.edgesWith(focus).filter(function (e) { return e.source().same(focus); }).length ? "right" : "left";
    }

    function box(node) { return node.boundingBox({ includeLabels: true, useCache: false }); }

    function placeSide(nodes, direction, start) {
      // Columns of at most rowsPerColumn rows, filled evenly; each row as tall as its node's label box, each column as wide as
      // its widest box, the next column clear of it.
      var x = start;
      var rows = Math.ceil(nodes.length / Math.max(1, Math.ceil(nodes.length / rowsPerColumn)));
      for (var c = 0; c * rows < nodes.length; c++) {
        var column = nodes.slice(c * rows, (c + 1) * rows);
        var boxes = column.map(box);
        var height = boxes.reduce(function (sum, b) { return sum + b.h; }, 0) + GAP * (column.length - 1);
        var width = Math.max.apply(null, boxes.map(function (b) { return b.w; }));
        var y = -height / 2;
        column.forEach(function (node, i) {
          node.position({ x: x, y: y + boxes[i].h / 2 });
          y += boxes[i].h + GAP;
        });
        x += direction * (width + COLUMN_GAP);
      }
    }

    function layout() {
      var drawn = cy.nodes().not(".focus").not(".later").sort(function (a, b) { return a.data("order") - b.data("order"); });
      var right = drawn.filter(function (n) { return sideOf(n) === "right"; }).toArray();
      var left = drawn.filter(function (n) { return sideOf(n) === "left"; }).toArray();
      left.forEach(function (n) { n.addClass("left"); });
      cy.nodes().updateStyle();  // labels just changed must be measured as they are now, not at the next frame
      focus.position({ x: 0, y: 0 });
      var reach = Math.max(box(focus).w / 2, 11) + COLUMN_GAP + 7;  // columns start clear of the resource's label
      placeSide(right, 1, reach);
      placeSide(left, -1, -reach);
      order = right.concat(left);
      var extent = cy.elements(":visible").boundingBox({ includeLabels: true });
      container.style.height = Math.round(Math.max(256, Math.min(640, extent.h + 48))) + "px";
      cy.resize();
      cy.fit(cy.elements(":visible"), 20);
      if (cy.zoom() > 1.3) { cy.zoom(1.3); cy.center(cy.elements(":visible")); }
      var hidden = cy.nodes(".later").length;
      if (shownCount) shownCount.textContent = String(drawn.length);
      if (moreButton) moreButton.hidden = hidden === 0;
    }

    function name(edges, on) {
      if (on) edges.addClass("named"); else edges.removeClass("named");
    }

    function setCurrent(index) {
      cy.nodes(".current").forEach(function (n) { n.removeClass("current"); name(n.connectedEdges(), false); });
      current = index;
      if (index < 0 || index >= order.length) { current = -1; if (announce) announce.textContent = ""; return; }
      var node = order[index];
      node.addClass("current");
      name(node.connectedEdges(), true);
      if (announce) {
        announce.textContent = node.data("label") + ": " + node.connectedEdges().map(function (e) {
          return e.data("label");
        }).join("; ");
      }
    }

    cy.on("mouseover", "node", function (event) {  // a neighbour's links; the resource's would be all of them at once
      if (!event.target.hasClass("focus")) name(event.target.connectedEdges(), true);
    });
    cy.on("mouseout", "node", function (event) {
      if (!event.target.hasClass("current")) name(event.target.connectedEdges(), false);
    });
    cy.on("mouseover", "edge", function (event) { name(event.target, true); });
    cy.on("mouseout", "edge", function (event) { name(event.target, false); });
    container.addEventListener("mouseleave", function () {  // cytoscape sees no mouseout past its edge
      cy.edges(".named").forEach(function (e) {
        if (!e.connectedNodes().some(function (n) { return n.hasClass("current"); })) e.removeClass("named");
      });
    });
    cy.on("tap", "node", function (event) {
      var url = event.target.data("url");
      if (url && !event.target.hasClass("focus")) window.location.href = url;
    });

    container.setAttribute("role", "application");
    container.setAttribute("tabindex", "0");
    container.addEventListener("keydown", function (event) {
      var next = null;
      if (event.key === "ArrowDown" || event.key === "ArrowRight") next = current + 1 >= order.length ? 0 : current + 1;
      else if (event.key === "ArrowUp" || event.key === "ArrowLeft") next = current <= 0 ? order.length - 1 : current - 1;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = order.length - 1;
      else if (event.key === "Escape") next = -1;
      else if (event.key === "Enter" && current >= 0) {
        var url = order[current].data("url");
        if (url) window.location.href = url;
        event.preventDefault();
        return;
      }
      if (next === null) return;
      event.preventDefault();
      setCurrent(next);
    });
    container.addEventListener("blur", function () { setCurrent(-1); });

    if (namesButton) {
      namesButton.addEventListener("click", function () {
        allNamed = !allNamed;
        namesButton.setAttribute("aria-pressed", String(allNamed));
        cy.nodes().not(".focus").forEach(function (n) { n.data("label", allNamed ? n.data("named") : n.data("name")); });
        layout();
      });
    }
    if (moreButton) {
      moreButton.addEventListener("click", function () {
        var later = cy.nodes(".later").sort(function (a, b) { return a.data("order") - b.data("order"); });
        later.slice(0, STEP).removeClass("later");
        layout();
        if (moreButton.hidden) container.focus();
      });
    }
    var controls = document.getElementById("neighbourhood-controls");
    var keys = document.getElementById("neighbourhood-keys");
    if (controls) controls.hidden = false;
    if (keys) keys.hidden = false;
    layout();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
