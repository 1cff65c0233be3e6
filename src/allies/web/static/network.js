// Progressive enhancement of /network: with cytoscape (vendored in /static/vendor) the static SVG
// becomes a graph you can pan, zoom and click. Without JavaScript the SVG and the list remain.
(function () {
  "use strict";
  var box = document.getElementById("network");
  if (!box || box.getAttribute("data-cytoscape") !== "yes" || typeof window.cytoscape !== "function" || !window.fetch) {
    return;
  }
  fetch(box.getAttribute("data-json"))
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var elements = [];
      data.nodes.forEach(function (n) {
        elements.push({
          group: "nodes",
          data: { id: n.id, label: n.label, name: n.name, href: n.href, kind: n.kind, colour: n.colour,
                  w: 12 + 6.2 * n.label.length },
          position: { x: n.x, y: n.y }
        });
      });
      data.edges.forEach(function (e, i) {
        elements.push({
          group: "edges",
          data: { id: "e" + i, source: e.source, target: e.target, colour: e.colour, standing: e.standing }
        });
      });
      // cytoscape adds a <style> element unless one with this id exists; the Content-Security-Policy
      // forbids inline styles, so mark it present (site.css holds the rule it would add).
      if (!document.getElementById("__________cytoscape_stylesheet")) {
        var marker = document.createElement("meta");
        marker.id = "__________cytoscape_stylesheet";
        document.head.appendChild(marker);
      }
      var holder = document.createElement("div");
      holder.className = "cy-holder";
      holder.setAttribute("role", "img");
      holder.setAttribute("aria-label", "Interactive network graph; the list below gives the same information.");
      box.appendChild(holder);
      box.classList.add("interactive");
      var cy = window.cytoscape({
        container: holder,
        elements: elements,
        layout: { name: "preset" },
        style: [
          { selector: "node", style: { "label": "data(label)", "font-size": 10, "color": "#1b1b1b",
            "background-color": "data(colour)", "width": 14, "height": 14, "text-valign": "bottom", "text-margin-y": 3 } },
          { selector: "node[kind = 'us']", style: { "width": 44, "height": 44, "color": "#ffffff",
            "text-valign": "center", "text-margin-y": 0, "font-size": 12 } },
          { selector: "node[kind = 'arrangement']", style: { "shape": "round-rectangle", "background-color": "#ffffff",
            "border-color": "data(colour)", "border-width": 2, "width": "data(w)", "height": 18,
            "text-valign": "center", "text-margin-y": 0, "font-size": 10 } },
          { selector: "edge", style: { "line-color": "data(colour)", "width": 1.2, "opacity": 0.6 } },
          { selector: "edge[standing = 'suspended']", style: { "line-style": "dashed" } },
          { selector: "node:selected", style: { "border-width": 3, "border-color": "#1b1b1b" } }
        ]
      });
      cy.on("tap", "node", function (event) {
        var href = event.target.data("href");
        if (href) { window.location.href = href; }
      });
    })
    .catch(function () { box.classList.remove("interactive"); });
})();
