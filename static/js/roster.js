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
  // The search the list shows, and the one on its way: leaving the box (its "change")
  // must not ask again for the same list, whose late answer would replace the buttons
  // under a keyboard user's focus.
  var shown = new URLSearchParams(new FormData(search)).toString();
  var asking = null;

  function refresh() {
    var query = new URLSearchParams(new FormData(search));
    var wanted = query.toString();
    if (wanted === asking) return;
    if (wanted === shown) { latest++; asking = null; return; } // back to what is shown
    asking = wanted;
    var asked = ++latest;
    fetch("?" + query.toString(), { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) {
        if (asked !== latest) return; // a later search has answered, or will
        asking = null;
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("roster-results");
        if (!fresh) return;
        shown = wanted;
        var focused = results.contains(document.activeElement) ? document.activeElement : null;
        results.innerHTML = fresh.innerHTML;
        // Someone still listed keeps the focus on their button.
        var same = focused && focused.name && results.querySelector(
          "button[name='" + focused.name + "'][value='" + focused.value + "']");
        if (same) same.focus();
        main.querySelector("input[name=q]").value = query.get("q") || "";
        main.querySelector("input[name=g]").value = query.get("g") || "";
        history.replaceState(null, "", "?" + query.toString());
      })
      .catch(function () { if (asked === latest) asking = null; /* the Search button still works */ });
  }

  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  search.addEventListener("change", refresh);
})();
