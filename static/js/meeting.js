// The maturity-matrix meeting. Each part switches on when the page holds what it needs:
//  1. forms (the facilitator's levels and actions, a phone's rating) are saved in the
//     background by autosave.js, which keeps them on this device while the connection
//     is down; this file updates the rest of the page once one is saved. Without
//     JavaScript they are plain form posts;
//  2. the facilitator's screen: live ratings from phones, polled as JSON and shown
//     without a reload, announced politely to screen readers;
//  3. a participant's phone: follows the dimension the facilitator shows.
(function () {
  "use strict";

  var say = window.Autosave.say;
  var clearErrors = window.Autosave.clearErrors;
  // In the page's language when it loads the JavaScript catalog (/jsi18n/) first.
  var gettext = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };

  // A sentence with its %(name)s places filled in.
  function words(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, name) { return String(values[name]); });
  }

  // ---- what a saved form changes on the page ------------------------------------

  var after = {
    record: function (form, body) {
      var saved = document.querySelector("[data-saved-for='" + form.dataset.table + "']");
      var level = form.querySelector("input[name$='-level']:checked");
      var target = form.querySelector("select[name$='-target']");
      if (saved && level) {
        saved.textContent = target && target.value
          ? words(gettext("Recorded: level %(level)s, target %(target)s"), { level: level.value, target: target.value })
          : words(gettext("Recorded: level %(level)s"), { level: level.value });
      }
      var merged = document.querySelector("[data-merged]");
      if (merged && body.merged) merged.textContent = mergedText(body.merged);
      delete form.dataset.dirty;
    },
    action: function (form, body) {
      var list = document.querySelector("[data-action-list]");
      if (list && body.action) {
        var empty = list.querySelector("[data-empty]");
        if (empty) empty.remove();
        var item = document.createElement("li");
        item.className = "list-group-item";
        item.textContent = body.action.what + " · " +
          words(gettext("%(who)s, by %(due)s"), { who: body.action.who, due: body.action.due });
        list.appendChild(item);
      }
      ["what", "who", "due_on"].forEach(function (name) {
        var input = form.querySelector("[name='" + name + "']");
        if (input) input.value = "";
      });
    },
    live: function (form, body) {}
  };

  function mergedText(merged) {
    if (merged.range && merged.range[0] !== merged.range[1]) {
      return words(gettext("Level %(level)s: the lowest of the tables’ agreed levels (views %(low)s to %(high)s)."),
        { level: merged.level, low: merged.range[0], high: merged.range[1] });
    }
    return words(gettext("Level %(level)s: the lowest of the tables’ agreed levels."), { level: merged.level });
  }

  document.querySelectorAll("form[data-meeting-form]").forEach(function (form) {
    // A form someone has touched is theirs: the proposal no longer fills it in.
    form.addEventListener("input", function () { form.dataset.dirty = "1"; });
    form.addEventListener("change", function () { form.dataset.dirty = "1"; });
    form.addEventListener("autosave:saved", function (event) {
      (after[form.dataset.meetingForm] || function () {})(form, event.detail);
    });
  });

  // ---- 2. the facilitator's screen ----------------------------------------------

  var views = document.getElementById("views");
  if (views && views.dataset.liveUrl) facilitator(views);

  function facilitator(views) {
    var announce = document.getElementById("live-announce");
    var movedOn = document.getElementById("moved-on");
    var total = Number(views.dataset.total || 0);
    var counts = null;

    function showCounts(data) {
      var of = Math.max(data.total, 1);
      data.counts.forEach(function (n, i) {
        var cell = views.querySelector("[data-live-count='" + (i + 1) + "']");
        var bar = views.querySelector("[data-live-bar='" + (i + 1) + "']");
        if (cell) cell.textContent = n;
        if (bar) { bar.style.setProperty("--n", n); bar.style.setProperty("--of", of); }
      });
      views.querySelectorAll("[data-live-total]").forEach(function (el) { el.textContent = data.total; });
    }

    function showTable(table) {
      var live = document.querySelector("[data-table-live='" + table.id + "']");
      if (live) live.textContent = table.n;
      var form = document.querySelector("form[data-table='" + table.id + "']");
      var proposal = document.querySelector("[data-proposal-for='" + table.id + "']");
      if (!form || !proposal || table.proposal === null) return;
      if (String(table.proposal) === form.dataset.proposal) return;
      form.dataset.proposal = table.proposal;
      // "Proposed: <strong>level 2</strong>, why." with the level in bold, in any language.
      var parts = gettext("Proposed: <strong>level %(level)s</strong>, %(why)s.").split(/<\/?strong>/);
      var strong = document.createElement("strong");
      strong.textContent = words(parts[1] || "", { level: table.proposal });
      proposal.textContent = words(parts[0], { why: table.proposal_text });
      proposal.appendChild(strong);
      proposal.appendChild(document.createTextNode(words(parts[2] || "", { why: table.proposal_text })));
      // A form nobody has touched follows the proposal; one being edited is left alone.
      if (form.dataset.dirty || table.saved !== null) return;
      var radio = form.querySelector("input[name$='-level'][value='" + table.proposal + "']");
      if (radio) radio.checked = true;
      var low = form.querySelector("select[name$='-range_low']");
      var high = form.querySelector("select[name$='-range_high']");
      if (low) low.value = table.low;
      if (high) high.value = table.high;
    }

    function tell(data) {
      var title = views.dataset.dimensionTitle;
      var changed = counts !== null && counts.join() !== data.counts.join();
      if (data.total > total) {
        var added = data.total - total;
        say(announce, words(ngettext("%(n)s new live rating for %(title)s: %(total)s in all.",
          "%(n)s new live ratings for %(title)s: %(total)s in all.", added),
          { n: added, title: title, total: data.total }));
      } else if (changed) {
        say(announce, words(gettext("A live rating for %(title)s changed."), { title: title }));
      }
      total = data.total;
      counts = data.counts;
    }

    function showMovedOn(data) {
      if (!movedOn) return;
      if (data.status !== "running" || !data.current || data.current === views.dataset.dimension) {
        movedOn.textContent = "";
        return;
      }
      if (movedOn.dataset.current === data.current && movedOn.textContent) return;
      movedOn.dataset.current = data.current;
      movedOn.textContent = words(gettext("Phones are now rating %(title)s (chosen on another screen)."),
        { title: data.current_title }) + " ";
      var link = document.createElement("a");
      link.href = views.dataset.runUrl + "?d=" + encodeURIComponent(data.current) + "#dimension";
      link.textContent = words(gettext("Go to %(title)s"), { title: data.current_title });
      movedOn.appendChild(link);
    }

    function update(data) {
      if (!data || data.dimension !== views.dataset.dimension) return;
      showCounts(data);
      data.tables.forEach(showTable);
      var merged = document.querySelector("[data-merged]");
      if (merged && data.merged) merged.textContent = mergedText(data.merged);
      tell(data);
      showMovedOn(data);
    }

    function poll() {
      if (document.hidden) return schedule();
      var closed = false;
      fetch(views.dataset.liveUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { closed = !!data && data.status === "closed"; update(data); })
        .catch(function () { /* offline for now: the next poll catches up */ })
        .then(function () { if (!closed) schedule(); });  // a closed meeting takes no more ratings
    }

    function schedule() { setTimeout(poll, Number(views.dataset.pollMs) || 3000); }
    schedule();
  }

  // ---- 3. a participant's phone -----------------------------------------------

  var join = document.getElementById("join");
  if (join && join.dataset.stateUrl) participant(join);

  function participant(join) {
    var announce = document.getElementById("join-announce");

    function follow(dimension, mine) {
      join.dataset.dimension = dimension.code;
      join.dataset.autosaveKey = join.dataset.autosaveKey.replace(/[^:]*$/, dimension.code);
      join.querySelector("[name='dimension']").value = dimension.code;
      say(join.querySelector("[data-dimension-number]"),
        words(gettext("Dimension %(number)s of %(total)s"), { number: dimension.number, total: dimension.total }));
      say(join.querySelector("[data-dimension-title]"), dimension.title);
      var labels = join.querySelectorAll("[data-level-label]");
      var descriptors = join.querySelectorAll("[data-level-descriptor]");
      dimension.levels.forEach(function (level, i) {
        say(labels[i], words(gettext("Level %(number)s: %(label)s"), { number: level.level, label: level.label }));
        say(descriptors[i], level.descriptor);
      });
      join.querySelectorAll("input[name='level']").forEach(function (input) {
        input.checked = mine !== null && Number(input.value) === mine;
      });
      clearErrors(join);
      say(join.querySelector("[data-form-status]"), "");
      say(announce, words(gettext("Now rating %(title)s, dimension %(number)s of %(total)s."),
        { title: dimension.title, number: dimension.number, total: dimension.total }));
    }

    function update(data) {
      if (!data) return;
      if (data.status !== join.dataset.status) {
        if (!window.Autosave.unsentCount()) window.location.reload();
        return;
      }
      if (data.dimension && data.dimension.code !== join.dataset.dimension) follow(data.dimension, data.mine);
    }

    function poll() {
      fetch(join.dataset.stateUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(update)
        .catch(function () {})
        .then(function () { setTimeout(poll, 4000); });
    }
    setTimeout(poll, 4000);
  }

  // ---- focus: an error summary first, else the dimension the link pointed at ----
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
  else if (window.location.hash === "#dimension") {
    var heading = document.getElementById("dimension");
    if (heading) heading.focus({ preventScroll: true });
  }
})();
