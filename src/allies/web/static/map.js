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
