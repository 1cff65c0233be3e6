// Progressive enhancement of /docs: send a request from each form and show the JSON response here.
// Without JavaScript each form goes to /docs/try, which redirects to the API.
(function () {
  "use strict";
  if (!window.fetch) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("form.try"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var path = form.getAttribute("data-path");
      var query = [];
      Array.prototype.forEach.call(form.querySelectorAll("[data-in]"), function (field) {
        var value = field.value.trim();
        if (field.getAttribute("data-in") === "path") {
          path = path.replace("{" + field.name + "}", encodeURIComponent(value || "-"));
        } else if (value) {
          query.push(encodeURIComponent(field.name) + "=" + encodeURIComponent(value));
        }
      });
      var url = path + (query.length ? "?" + query.join("&") : "");
      var out = form.parentNode.querySelector("pre.response");
      out.hidden = false;
      out.textContent = "GET " + url + "\n…";
      fetch(url, { headers: { "Accept": "application/json" } })
        .then(function (response) {
          return response.text().then(function (text) {
            var body = text;
            try { body = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
            out.textContent = "GET " + url + "\n" + response.status + " " + response.statusText + "\n\n" + body;
          });
        })
        .catch(function (error) { out.textContent = "GET " + url + "\n" + error; });
    });
  });
})();
