// The roster question. Without script it is a search form and buttons that post; this
// adds results that follow the typing, and puts the focus back where the member was
// after adding or removing someone (the server sends them to #c-<id> or #picks).
(function () {
  "use strict";

  var target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && !document.getElementById("error-summary")) target.focus();

  var search = document.getElementById("roster-search");
  var results = document.getElementById("roster-results");
  var main = document.getElementById("survey-form");
  if (!search || !results || !main) return;

  var timer = null;
  var latest = 0;

  function refresh() {
    var query = new URLSearchParams(new FormData(search));
    var asked = ++latest;
    fetch("?" + query.toString(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) {
        if (asked !== latest) return; // a later search has answered, or will
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("roster-results");
        if (!fresh) return;
        results.innerHTML = fresh.innerHTML;
        main.querySelector("input[name=q]").value = query.get("q") || "";
        main.querySelector("input[name=g]").value = query.get("g") || "";
        history.replaceState(null, "", "?" + query.toString());
      })
      .catch(function () { /* the Search button still works */ });
  }

  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  search.addEventListener("change", refresh);
})();
