// Draws the entity's neighbourhood with cytoscape when it is available; the page lists the same links without it.
(function () {
  "use strict";
  function draw() {
    var container = document.getElementById("neighbourhood-graph");
    var dataElement = document.getElementById("neighbourhood-data");
    if (!container || !dataElement || typeof window.cytoscape !== "function") return;
    var data;
    try { data = JSON.parse(dataElement.textContent); } catch (e) { return; }
    if (!data.nodes || data.nodes.length < 2) { container.hidden = true; return; }
    var elements = [];
    data.nodes.forEach(function (n) {
      elements.push({ group: "nodes", data: { id: n.id, label: n.label, url: n.url }, classes: n.focus ? "focus" : "" });
    });
    data.edges.forEach(function (e, i) {
      elements.push({ group: "edges", data: { id: "e" + i, source: e.source, target: e.target, label: e.label },
                      classes: e.inferred ? "inferred" : "" });
    });
    container.classList.add("drawn");
    var cy = window.cytoscape({
      container: container,
      elements: elements,
      wheelSensitivity: 0.2,
      layout: { name: "concentric", animate: false, padding: 24, minNodeSpacing: 36,
                concentric: function (node) { return node.hasClass("focus") ? 2 : 1; },
                levelWidth: function () { return 1; } },
      style: [
        { selector: "node", style: { "label": "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 140,
                                     "background-color": "#0b5cad", "color": "#1b1f23", "width": 14, "height": 14,
                                     "text-valign": "bottom", "text-margin-y": 4 } },
        { selector: "node.focus", style: { "background-color": "#f5a623", "width": 22, "height": 22, "font-weight": "bold" } },
        { selector: "edge", style: { "width": 1.2, "line-color": "#9aa5b1", "target-arrow-color": "#9aa5b1",
                                     "target-arrow-shape": "triangle", "curve-style": "bezier" } },
        { selector: "edge.labelled", style: { "label": "data(label)", "font-size": 8, "color": "#586069",
                                              "text-rotation": "autorotate", "text-background-color": "#f4f6f8",
                                              "text-background-opacity": 1 } },
        { selector: "edge.inferred", style: { "line-style": "dashed" } }
      ]
    });
    // Edge labels only where they stay readable; otherwise on hover.
    if (data.nodes.length <= 12) cy.edges().addClass("labelled");
    cy.on("mouseover", "edge", function (event) { event.target.addClass("labelled"); });
    cy.on("mouseout", "edge", function (event) { if (data.nodes.length > 12) event.target.removeClass("labelled"); });
    cy.on("tap", "node", function (event) {
      var url = event.target.data("url");
      if (url && !event.target.hasClass("focus")) window.location.href = url;
    });
    // Keyboard users get the same destinations as links under the picture.
    var list = document.createElement("ul");
    list.className = "neighbourhood-links visually-hidden";
    data.nodes.forEach(function (n) {
      if (n.focus || !n.url) return;
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = n.url; a.textContent = n.label; li.appendChild(a); list.appendChild(li);
    });
    container.parentNode.appendChild(list);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
