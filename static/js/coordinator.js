// Coordinators' forms. Each part switches on when the page holds what it needs, and
// each page works without it.
(function () {
  "use strict";
  // The page's language, from the JavaScript catalog (/jsi18n/) loaded before this file.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  };

  // ---- the assessment form: propose a closing date from the meeting date ----------
  // Without script the server does the same on submit when the closing date is empty.
  var proposal = document.getElementById("closing-proposal");
  if (proposal) proposeClosingDate(proposal);

  function proposeClosingDate(note) {
    var days = Number(note.dataset.daysBeforeMeeting);
    var meeting = document.getElementById("id_meeting_on");
    var closes = document.getElementById("id_closes_on");
    if (!meeting || !closes) return;
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function before(value) {
      var d = new Date(value + "T12:00:00");
      d.setDate(d.getDate() - days);
      return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    }
    // A date the coordinator typed is theirs; an empty one, a new round's untouched
    // default or an earlier proposal may be replaced.
    var untouched = note.dataset.untouched || "";
    var replaceable = closes.value === "" || closes.value === untouched ||
      (meeting.value && closes.value === before(meeting.value));
    closes.addEventListener("input", function () { replaceable = closes.value === ""; });
    meeting.addEventListener("change", function () {
      if (!meeting.value || !replaceable) return;
      closes.value = before(meeting.value);
      note.textContent = interpolate(
        gettext("Closing date proposed: %(days)s days before the meeting."), {days: days}, true);
    });
  }

  // ---- inviting members: show the choices that fit, find members by name ---------
  // Without script every choice is shown and the server ignores those that do not apply.
  var radios = document.querySelectorAll("input[name=who]");
  if (radios.length) showChoicesFor(radios);
  var search = document.getElementById("member-search");
  if (search) findMembers(search);

  function showChoicesFor(radios) {
    var parts = document.querySelectorAll("[data-who]");
    function sync() {
      var who = (document.querySelector("input[name=who]:checked") || {}).value;
      parts.forEach(function (part) { part.hidden = part.dataset.who !== who; });
    }
    radios.forEach(function (r) { r.addEventListener("change", sync); });
    sync();
  }

  function findMembers(search) {
    var count = document.getElementById("member-search-count");
    document.getElementById("member-search-box").hidden = false;
    var choices = document.querySelectorAll(".member-choice");
    search.addEventListener("input", function () {
      var q = search.value.trim().toLowerCase(), shown = 0;
      choices.forEach(function (c) {
        var match = !q || c.dataset.name.indexOf(q) !== -1;
        c.hidden = !match;
        shown += match ? 1 : 0;
      });
      document.querySelectorAll(".member-group").forEach(function (g) {
        g.hidden = !g.querySelector(".member-choice:not([hidden])");
      });
      count.textContent = q ? interpolate(gettext("%(shown)s of %(total)s members shown"),
        {shown: shown, total: choices.length}, true) : "";
    });
  }

  // ---- a member's personal link: a copy button ----------------------------------
  // Without the clipboard API, selecting the link and copying it by hand still works.
  var link = document.getElementById("personal-link");
  if (link && navigator.clipboard) copyButton(link);

  function copyButton(input) {
    var button = document.getElementById("copy-link");
    var status = document.getElementById("copy-status");
    button.hidden = false;
    status.textContent = "";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        status.textContent = gettext("Copied.");
      }, function () {
        input.select();
        status.textContent = gettext("Could not copy: the link is selected, copy it by hand.");
      });
    });
    input.addEventListener("focus", function () { input.select(); });
  }
})();
