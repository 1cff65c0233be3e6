// Progressive enhancement of /map: a year slider, and a new date redraws the map without a page load.
// Without JavaScript the form still works (GET /map?on=...).
(function () {
  "use strict";
  var form = document.getElementById("map-form");
  var input = document.getElementById("map-date");
  if (!form || !input || !window.fetch || !window.DOMParser) { return; }

  var first = 1945;
  var last = new Date().getFullYear();
  var wrapper = document.createElement("div");
  wrapper.className = "year-slider";
  var label = document.createElement("label");
  label.htmlFor = "map-year";
  label.textContent = "Year (31 December)";
  var slider = document.createElement("input");
  slider.type = "range";
  slider.id = "map-year";
  slider.min = String(first);
  slider.max = String(last);
  slider.step = "1";
  slider.value = input.value ? input.value.slice(0, 4) : String(last);
  var output = document.createElement("output");
  output.htmlFor = "map-year";
  output.textContent = slider.value;
  wrapper.appendChild(label);
  wrapper.appendChild(slider);
  wrapper.appendChild(output);
  form.appendChild(wrapper);

  var pending = null;
  var current = input.value;

  function load(on) {
    if (!on || on === current) { return; }
    current = on;
    var url = "/map?on=" + encodeURIComponent(on);
    fetch(url, { headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (html) {
        if (on !== current) { return; }  // a later date was asked for meanwhile
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("map-result");
        var old = document.getElementById("map-result");
        var showing = doc.getElementById("map-showing");
        if (!fresh || !old || !showing) { window.location.href = url; return; }
        old.replaceWith(document.importNode(fresh, true));
        document.getElementById("map-showing").textContent = showing.textContent;
        document.title = doc.title;
        history.replaceState(null, "", url);
      })
      .catch(function () { window.location.href = url; });
  }

  input.addEventListener("change", function () {
    if (input.value) {
      slider.value = input.value.slice(0, 4);
      output.textContent = slider.value;
      load(input.value);
    }
  });
  slider.addEventListener("input", function () {
    output.textContent = slider.value;
    var on = slider.value + "-12-31";
    input.value = on;
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(function () { load(on); }, 150);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load(input.value);
  });
})();

// Zoom and pan of the map: buttons, the mouse wheel, dragging, two-finger pinch and the keyboard
// (+, -, 0 and the arrow keys once the map has focus). Only the SVG's viewBox changes; without
// JavaScript the map is a plain SVG. The view is kept when a new date redraws the map.
(function () {
  "use strict";
  var MAX_ZOOM = 12;
  var view = null;  // {x, y, w, h} in map units, kept across redraws
  var full = null;  // the whole map's viewBox

  function parseBox(svg) {
    var v = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
    return { x: v[0], y: v[1], w: v[2], h: v[3] };
  }

  function clamp(box) {
    var w = Math.min(full.w, Math.max(full.w / MAX_ZOOM, box.w));
    var h = w * full.h / full.w;
    var x = Math.min(full.x + full.w - w, Math.max(full.x, box.x));
    var y = Math.min(full.y + full.h - h, Math.max(full.y, box.y));
    return { x: x, y: y, w: w, h: h };
  }

  function enhance() {
    var svg = document.getElementById("worldmap");
    if (!svg || svg.getAttribute("data-zoomable")) { return; }
    svg.setAttribute("data-zoomable", "1");
    var frame = svg.parentNode;
    full = full || parseBox(svg);
    var radius = {};
    Array.prototype.forEach.call(svg.querySelectorAll("circle.marker"), function (c) {
      radius[c.getAttribute("data-code")] = Number(c.getAttribute("r"));
    });

    function apply(box) {
      view = clamp(box);
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].map(function (n) {
        return Math.round(n * 100) / 100;
      }).join(" "));
      var zoom = full.w / view.w;
      frame.classList.toggle("zoomed", zoom > 1.001);
      // Markers grow more slowly than the map, so that zooming in separates them.
      Array.prototype.forEach.call(svg.querySelectorAll("circle.marker"), function (c) {
        c.setAttribute("r", String(Math.round(radius[c.getAttribute("data-code")] / Math.pow(zoom, 0.7) * 100) / 100));
      });
    }

    function zoomAt(factor, cx, cy) {  // cx, cy: the map point that stays put
      var w = view.w / factor;
      var h = view.h / factor;
      apply({ x: cx - (cx - view.x) * (w / view.w), y: cy - (cy - view.y) * (h / view.h), w: w, h: h });
    }

    function centre() { return [view.x + view.w / 2, view.y + view.h / 2]; }

    function toMap(clientX, clientY) {
      var r = svg.getBoundingClientRect();
      return [view.x + (clientX - r.left) / r.width * view.w, view.y + (clientY - r.top) / r.height * view.h];
    }

    function button(label, text, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.setAttribute("aria-label", label);
      b.title = label;
      b.textContent = text;
      b.addEventListener("click", action);
      return b;
    }

    var controls = document.createElement("div");
    controls.className = "map-zoom";
    controls.appendChild(button("Zoom in", "+", function () { var c = centre(); zoomAt(2, c[0], c[1]); }));
    controls.appendChild(button("Zoom out", "\u2212", function () { var c = centre(); zoomAt(0.5, c[0], c[1]); }));
    controls.appendChild(button("Show the whole map", "\u21ba", function () { apply(full); }));
    frame.appendChild(controls);
    frame.classList.add("zoomable");
    svg.setAttribute("tabindex", "0");
    svg.setAttribute("aria-keyshortcuts", "+ - 0 ArrowUp ArrowDown ArrowLeft ArrowRight");

    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = toMap(event.clientX, event.clientY);
      zoomAt(Math.pow(2, -event.deltaY / (event.deltaMode === 1 ? 10 : 300)), p[0], p[1]);
    }, { passive: false });

    svg.addEventListener("keydown", function (event) {
      var c = centre();
      var step = view.w / 8;
      var moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
      if (event.key === "+" || event.key === "=") { zoomAt(2, c[0], c[1]); }
      else if (event.key === "-" || event.key === "_") { zoomAt(0.5, c[0], c[1]); }
      else if (event.key === "0") { apply(full); }
      else if (moves[event.key]) {
        apply({ x: view.x + moves[event.key][0], y: view.y + moves[event.key][1], w: view.w, h: view.h });
      } else { return; }
      event.preventDefault();
    });

    var pointers = {};
    var moved = 0;
    var pinch = null;
    svg.addEventListener("pointerdown", function (event) {
      pointers[event.pointerId] = [event.clientX, event.clientY];
      moved = 0;
      pinch = null;
    });
    svg.addEventListener("pointermove", function (event) {
      var last = pointers[event.pointerId];
      if (!last) { return; }
      var ids = Object.keys(pointers);
      var r = svg.getBoundingClientRect();
      if (ids.length === 1) {
        var dx = event.clientX - last[0];
        var dy = event.clientY - last[1];
        moved += Math.abs(dx) + Math.abs(dy);
        if (moved > 4 && !svg.hasPointerCapture(event.pointerId)) { svg.setPointerCapture(event.pointerId); }
        if (event.pointerType !== "touch" || frame.classList.contains("zoomed")) {
          apply({ x: view.x - dx / r.width * view.w, y: view.y - dy / r.height * view.h, w: view.w, h: view.h });
        }
      } else if (ids.length === 2) {
        pointers[event.pointerId] = [event.clientX, event.clientY];
        var a = pointers[ids[0]];
        var b = pointers[ids[1]];
        var distance = Math.hypot(a[0] - b[0], a[1] - b[1]);
        var mid = toMap((a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
        if (pinch) { zoomAt(distance / pinch, mid[0], mid[1]); }
        pinch = distance;
        moved = 100;
        event.preventDefault();
        return;
      }
      pointers[event.pointerId] = [event.clientX, event.clientY];
    });
    function release(event) {
      delete pointers[event.pointerId];
      pinch = null;
    }
    svg.addEventListener("pointerup", release);
    svg.addEventListener("pointercancel", release);
    // A drag is not a click on the country under the pointer.
    svg.addEventListener("click", function (event) {
      if (moved > 4) { event.preventDefault(); event.stopPropagation(); }
    }, true);

    apply(view || full);
  }

  if (!document.getElementById("worldmap")) { return; }
  enhance();
  new MutationObserver(enhance).observe(document.getElementById("map-panel"), { childList: true, subtree: true });
})();
