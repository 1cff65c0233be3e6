// Progressive enhancement of /network: with cytoscape (vendored in /static/vendor) the static SVG
// becomes a graph you can pan, zoom and click. Without JavaScript the SVG and the list remain.
// The list of each state's ties (the phone view) gets a filter; on a large screen the state found
// is highlighted in the graph with its ties (the rest fades). The world network (/network/world) is a
// static SVG: there the highlight marks the state's ties and partners in it, and a click on a state finds it.
(function () {
  "use strict";
  var box = document.getElementById("network");
  var filter = document.getElementById("tie-filter");
  var items = Array.prototype.slice.call(document.querySelectorAll("#tie-list li"));
  var none = document.getElementById("tie-none");
  var cy = null;

  var world = box && box.getAttribute("data-world") === "yes" ? box.querySelector("svg") : null;

  function highlightWorld(id) {
    Array.prototype.forEach.call(world.querySelectorAll(".on"), function (el) { el.classList.remove("on", "focus"); });
    world.classList.toggle("hl", !!id);
    if (!id) { return; }
    var node = world.querySelector('.node[data-id="' + id + '"]');
    if (node) { node.classList.add("on", "focus"); }
    Array.prototype.forEach.call(world.querySelectorAll('[data-a="' + id + '"], [data-b="' + id + '"]'), function (path) {
      path.classList.add("on");
      var other = path.getAttribute("data-a") === id ? path.getAttribute("data-b") : path.getAttribute("data-a");
      var partner = world.querySelector('.node[data-id="' + other + '"]');
      if (partner) { partner.classList.add("on"); }
    });
  }

  function highlight(id) {
    if (!box) { return; }
    if (id) { box.setAttribute("data-highlight", id); } else { box.removeAttribute("data-highlight"); }
    if (world) { highlightWorld(id); return; }
    if (!cy) { return; }
    cy.elements().removeClass("faded focus");
    if (!id) { return; }
    var node = cy.getElementById(id);
    if (node.empty()) { return; }
    var near = node.closedNeighborhood();
    near = near.union(near.nodes("[kind = 'arrangement']").connectedEdges("[source = 'USA'], [target = 'USA']"));
    near = near.union(cy.getElementById("USA"));
    cy.elements().not(near).addClass("faded");
    node.addClass("focus");
  }

  function applyFilter() {
    var text = filter.value.trim().toLowerCase();
    var shown = [];
    items.forEach(function (li) {
      var match = !text || li.getAttribute("data-name").indexOf(text) !== -1;
      li.hidden = !match;
      if (match) { shown.push(li); }
    });
    if (none) { none.hidden = shown.length > 0; }
    var exact = shown.filter(function (li) { return li.getAttribute("data-name") === text; });
    var chosen = exact.length ? exact[0] : (text && shown.length === 1 ? shown[0] : null);
    highlight(chosen ? chosen.getAttribute("data-id") : null);
  }

  if (filter) { filter.addEventListener("input", applyFilter); }

  if (world && filter) {
    world.addEventListener("click", function (event) {
      var node = event.target.closest ? event.target.closest(".node") : null;
      var li = node ? document.getElementById("s-" + node.getAttribute("data-id")) : null;
      if (!li) { return; }
      event.preventDefault();
      filter.value = li.getAttribute("data-name");
      applyFilter();
    });
  }

  var wide = !window.matchMedia || window.matchMedia("(min-width: 700px)").matches;
  if (!box || !wide || box.getAttribute("data-cytoscape") !== "yes" || typeof window.cytoscape !== "function" ||
      !window.fetch) {
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
      cy = window.cytoscape({
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
          { selector: "node:selected", style: { "border-width": 3, "border-color": "#1b1b1b" } },
          { selector: ".faded", style: { "opacity": 0.12 } },
          { selector: "node.focus", style: { "border-width": 3, "border-color": "#1b1b1b", "width": 20, "height": 20,
            "font-size": 13, "font-weight": "bold" } }
        ]
      });
      if (filter && filter.value) { applyFilter(); }
      cy.on("tap", "node", function (event) {
        var href = event.target.data("href");
        if (href) { window.location.href = href; }
      });
    })
    .catch(function () { box.classList.remove("interactive"); });
})();
