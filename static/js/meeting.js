// The maturity-matrix meeting. Each part switches on when the page holds what it needs:
//  1. forms that save through fetch and, when the connection drops, keep what was
//     entered on this device and send it again when the connection returns (like
//     survey.js). Without JavaScript they are plain form posts;
//  2. the facilitator's screen: live ratings from phones, polled as JSON and shown
//     without a reload, announced politely to screen readers;
//  3. a participant's phone: follows the dimension the facilitator shows.
(function () {
  "use strict";

  var STORE = "netassess-meeting-pending";
  var RETRY_MS = 15000;

  // ---- entries kept on this device until the server has them --------------------

  function pendingAll() {
    try { return JSON.parse(localStorage.getItem(STORE) || "{}"); } catch (e) { return {}; }
  }

  function pendingSet(key, entry) {
    var all = pendingAll();
    if (entry) all[key] = entry; else delete all[key];
    try { localStorage.setItem(STORE, JSON.stringify(all)); } catch (e) { /* private mode: best effort */ }
  }

  function csrfToken() {
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function fieldsOf(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") data[name] = value;
    });
    return data;
  }

  // Resolves with {status, body} when the server answered with JSON (saved or
  // refused); rejects when it could not be reached or answered with a page (an
  // error page, or the sign-in page after a session ran out), so the entry is kept.
  function send(url, data) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    Object.keys(data).forEach(function (name) { body.append(name, data[name]); });
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0 || response.status >= 500) {
        throw new Error("not saved: status " + response.status);
      }
      return response.json().then(function (json) { return { status: response.status, body: json }; });
    });
  }

  function say(element, text) { if (element) element.textContent = text; }

  function clearErrors(form) {
    var box = form.querySelector("[data-form-errors]");
    if (box) box.textContent = "";
    var drawn = form.querySelector("#error-summary");  // drawn by the server, without script
    if (drawn) drawn.remove();
    form.querySelectorAll(".is-invalid").forEach(function (el) {
      el.classList.remove("is-invalid");
      el.removeAttribute("aria-invalid");
    });
  }

  // The same error summary the server draws: a heading, one link per problem, focused.
  function showErrors(form, errors) {
    clearErrors(form);
    var box = form.querySelector("[data-form-errors]");
    if (!box) return;
    var summary = document.createElement("div");
    summary.className = "alert alert-danger";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    var heading = document.createElement("p");
    heading.className = "fw-semibold mb-1";
    heading.textContent = "There is a problem";
    var list = document.createElement("ul");
    list.className = "mb-0";
    (errors || []).forEach(function (error) {
      var item = document.createElement("li");
      var message = typeof error === "string" ? error : error.message;
      var field = typeof error === "string" ? null : error.field;
      var input = field && (document.getElementById(field) || form.querySelector("[name$='" + field.replace(/^id_/, "").replace(/'/g, "") + "']"));
      if (input) {
        var link = document.createElement("a");
        link.className = "alert-link";
        link.href = "#" + input.id;
        link.textContent = (error.label ? error.label + ": " : "") + message;
        item.appendChild(link);
        input.classList.add("is-invalid");
        input.setAttribute("aria-invalid", "true");
      } else {
        item.textContent = message;
      }
      list.appendChild(item);
    });
    summary.appendChild(heading);
    summary.appendChild(list);
    box.appendChild(summary);
    summary.focus();
  }

  function newRef() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function keyFor(form, data) {
    return form.dataset.pendingKey + (data.client_ref ? ":" + data.client_ref : "") +
      (form.dataset.meetingForm === "live" ? ":" + data.dimension : "");
  }

  // ---- what a saved form changes on the page ------------------------------------

  var after = {
    record: function (form, body) {
      var saved = document.querySelector("[data-saved-for='" + form.dataset.table + "']");
      var level = form.querySelector("input[name$='-level']:checked");
      var target = form.querySelector("select[name$='-target']");
      if (saved && level) {
        saved.textContent = "Recorded: level " + level.value +
          (target && target.value ? ", target " + target.value : "");
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
        item.textContent = body.action.what + " · " + body.action.who + ", by " + body.action.due;
        list.appendChild(item);
      }
      ["what", "who", "due_on"].forEach(function (name) {
        var input = form.querySelector("[name='" + name + "']");
        if (input) input.value = "";
      });
      var ref = form.querySelector("[name='client_ref']");
      if (ref) ref.value = "";
    },
    live: function (form, body) {}
  };

  function mergedText(merged) {
    var text = "Level " + merged.level + ": the lowest of the tables' agreed levels";
    if (merged.range && merged.range[0] !== merged.range[1]) {
      text += " (views " + merged.range[0] + " to " + merged.range[1] + ")";
    }
    return text + ".";
  }

  function answered(form, result) {
    var status = form ? form.querySelector("[data-form-status]") : null;
    if (!form) return;
    if (result.body.saved) {
      clearErrors(form);
      say(status, result.body.message);
      (after[form.dataset.meetingForm] || function () {})(form, result.body);
    } else {
      say(status, "");
      showErrors(form, result.body.errors);
    }
  }

  function offline(form) {
    say(form.querySelector("[data-form-status]"),
      "You seem to be offline. This is kept on this device and will be saved when the connection returns.");
  }

  function enhance(form) {
    form.addEventListener("input", function () { form.dataset.dirty = "1"; });
    form.addEventListener("change", function () { form.dataset.dirty = "1"; });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var ref = form.querySelector("[name='client_ref']");
      if (ref && !ref.value) ref.value = newRef();
      var data = fieldsOf(form);
      var key = keyFor(form, data);
      pendingSet(key, {
        url: form.action, data: data, form: form.dataset.pendingKey,
        page: window.location.href.split("#")[0], label: form.dataset.label || ""
      });
      say(form.querySelector("[data-form-status]"), "Saving…");
      send(form.action, data).then(function (result) {
        pendingSet(key, null);
        answered(form, result);
      }).catch(function () { offline(form); });
    });
  }

  // Entries that did not reach the server: put them back into their form if it is on
  // this page (so what was typed is visible again), then send them.
  function restore(form, data) {
    Object.keys(data).forEach(function (name) {
      form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']").forEach(function (input) {
        if (input.type === "radio") input.checked = input.value === data[name];
        else if (input.type === "checkbox") input.checked = data[name] === "on";
        else if (input.type !== "hidden" || name === "client_ref") input.value = data[name];
      });
    });
  }

  function formFor(entry) {
    var form = document.querySelector("form[data-pending-key='" + entry.form + "']");
    var dimension = form && form.querySelector("[name='dimension']");
    if (form && entry.data.dimension && dimension && dimension.value !== entry.data.dimension) return null;
    return form;
  }

  // An entry the server refused while its form was not on screen is kept, not sent
  // again, and pointed out until the facilitator opens it and sees why.
  function pointOut(entry) {
    var notes = document.getElementById("device-notes");
    if (!notes || !entry.refused) return;
    var note = document.createElement("p");
    note.className = "mb-1";
    var first = entry.refused[0];
    note.textContent = "Not saved: " + (entry.label || "an entry kept on this device") + ". " +
      (typeof first === "string" ? first : (first && first.message) || "") + " ";
    var link = document.createElement("a");
    link.href = entry.page;
    link.textContent = "Open it to fix it";
    note.appendChild(link);
    notes.appendChild(note);
  }

  function resend() {
    var all = pendingAll();
    Object.keys(all).forEach(function (key) {
      var entry = all[key];
      if (entry.refused) return;
      var form = formFor(entry);
      send(entry.url, entry.data).then(function (result) {
        // A phone's rating refused later (the room moved on) is simply gone.
        if (result.body.saved || form || entry.form.indexOf("live:") === 0) {
          pendingSet(key, null);
          if (form) answered(form, result);
        } else {
          entry.refused = result.body.errors;
          pendingSet(key, entry);
          pointOut(entry);
        }
      }).catch(function () { /* still offline: try again later */ });
    });
  }

  var forms = document.querySelectorAll("form[data-meeting-form]");
  forms.forEach(enhance);
  var waiting = pendingAll();
  Object.keys(waiting).forEach(function (key) {
    var entry = waiting[key];
    var form = formFor(entry);
    if (!form) return pointOut(entry);
    restore(form, entry.data);
    if (entry.refused) {
      pendingSet(key, null);
      showErrors(form, entry.refused);
    }
  });
  if (Object.keys(pendingAll()).length) resend();
  window.addEventListener("online", resend);
  setInterval(function () {
    var all = pendingAll();
    if (Object.keys(all).some(function (key) { return !all[key].refused; })) resend();
  }, RETRY_MS);

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
      proposal.textContent = "Proposed: ";
      var strong = document.createElement("strong");
      strong.textContent = "level " + table.proposal;
      proposal.appendChild(strong);
      proposal.appendChild(document.createTextNode(", " + table.proposal_text + "."));
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
        say(announce, added + " new live rating" + (added === 1 ? "" : "s") + " for " + title +
          ": " + data.total + " in all.");
      } else if (changed) {
        say(announce, "A live rating for " + title + " changed.");
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
      movedOn.textContent = "Phones are now rating " + data.current_title + " (chosen on another screen). ";
      var link = document.createElement("a");
      link.href = views.dataset.runUrl + "?d=" + encodeURIComponent(data.current) + "#dimension";
      link.textContent = "Go to " + data.current_title;
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
      join.querySelector("[name='dimension']").value = dimension.code;
      say(join.querySelector("[data-dimension-number]"), "Dimension " + dimension.number + " of " + dimension.total);
      say(join.querySelector("[data-dimension-title]"), dimension.title);
      var labels = join.querySelectorAll("[data-level-label]");
      var descriptors = join.querySelectorAll("[data-level-descriptor]");
      dimension.levels.forEach(function (level, i) {
        say(labels[i], "Level " + level.level + ": " + level.label);
        say(descriptors[i], level.descriptor);
      });
      join.querySelectorAll("input[name='level']").forEach(function (input) {
        input.checked = mine !== null && Number(input.value) === mine;
      });
      clearErrors(join);
      say(join.querySelector("[data-form-status]"), "");
      say(announce, "Now rating " + dimension.title + ", dimension " + dimension.number + " of " + dimension.total + ".");
    }

    function update(data) {
      if (!data) return;
      if (data.status !== join.dataset.status) {
        if (!Object.keys(pendingAll()).length) window.location.reload();
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
