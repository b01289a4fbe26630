// Saving forms in the background, for the member survey and the matrix meeting (the
// facilitator's forms and participants' phones). A form opts in with data attributes;
// without script it stays a plain form post that the server answers with a page.
//
//   data-autosave="change"     save shortly after each answer (the survey)
//   data-autosave="submit"     save when the form is sent, without leaving the page
//   data-autosave-url          where to post (default: the form's action)
//   data-autosave-key          names the copy kept on this device until the server has it
//   data-autosave-label        what to call that copy if it is refused later
//   data-autosave-keep-refused a copy refused while its form is not on screen is kept
//                              and pointed out in #unsent-notes instead of dropped
//
// Inside the form, [data-form-status] (a live region) hears what happened,
// [data-form-errors] gets the error summary, and input[data-autosave-ref] gets a fresh
// id, so the server can tell a copy sent twice from a new entry.
//
// Every post carries the header below, which the server recognises in
// surveys/background_save.py and answers with JSON: {saved, message?, errors?}.
// The page's own script hears of a saved form through an "autosave:saved" event.
//
// What it says is in the page's language when the page loads the JavaScript catalog
// (/jsi18n/, before this script); without it, in English.
(function () {
  "use strict";

  var gettext = window.gettext || function (text) { return text; };
  var HEADER = "X-Background-Save";
  var STORE = "netassess-unsent";
  var RETRY_MS = 15000;
  var OFFLINE = gettext("You seem to be offline. What you entered is kept on this device " +
    "and will be saved when the connection returns.");

  // ---- copies kept on this device until the server has them ----------------------

  function unsent() {
    try { return JSON.parse(localStorage.getItem(STORE) || "{}"); } catch (e) { return {}; }
  }

  function keep(key, entry) {
    var all = unsent();
    if (entry) all[key] = entry; else delete all[key];
    try { localStorage.setItem(STORE, JSON.stringify(all)); } catch (e) { /* private mode: best effort */ }
  }

  // Copies left by the two scripts this one replaced (a survey page and the meeting
  // each kept their own), so answers kept offline across an update still reach us.
  function adoptOlderCopies() {
    try { Object.keys(localStorage).forEach(adopt); } catch (e) { /* storage off: nothing kept */ }
  }

  function adopt(name) {
    var old;
    try { old = JSON.parse(localStorage.getItem(name)); } catch (e) { return; }
    if (!old) return;
    if (name.indexOf("netassess-pending:") === 0) {
      var url = name.slice("netassess-pending:".length);
      keep("survey:" + url, { url: url, data: old, form: "survey:" + url, page: url });
    } else if (name === "netassess-meeting-pending") {
      Object.keys(old).forEach(function (key) {
        old[key].keepRefused = old[key].form.indexOf("live:") !== 0;
        keep(key, old[key]);
      });
    } else {
      return;
    }
    localStorage.removeItem(name);
  }

  // ---- talking to the server ------------------------------------------------------

  function csrfToken() {
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Resolves with {status, body} when the server answered with JSON (saved or
  // refused); rejects when it could not be reached or answered with a page (an error
  // page, or the sign-in page after a session ran out), so the copy is kept.
  function post(url, data) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    Object.keys(data).forEach(function (name) { body.append(name, data[name]); });
    var headers = { "Accept": "application/json" };
    headers[HEADER] = "1";
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: headers })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") !== 0 || response.status >= 500) {
          throw new Error("not saved: status " + response.status);
        }
        return response.json().then(function (json) { return { status: response.status, body: json }; });
      });
  }

  // ---- telling the person ---------------------------------------------------------

  function say(element, text) { if (element) element.textContent = text; }

  function statusOf(form) { return form.querySelector("[data-form-status]"); }

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

  function errorItem(form, error) {
    var item = document.createElement("li");
    var message = typeof error === "string" ? error : error.message;
    var field = typeof error === "string" ? null : error.field;
    var input = field && (document.getElementById(field) ||
      form.querySelector("[name$='" + field.replace(/^id_/, "").replace(/'/g, "") + "']"));
    if (!input) {
      item.textContent = message;
      return item;
    }
    var link = document.createElement("a");
    link.className = "alert-link";
    link.href = "#" + input.id;
    link.textContent = (error.label ? error.label + ": " : "") + message;
    item.appendChild(link);
    input.classList.add("is-invalid");
    input.setAttribute("aria-invalid", "true");
    return item;
  }

  // The same error summary the server draws: a heading, one link per problem, focused.
  function showErrors(form, errors) {
    clearErrors(form);
    var box = form.querySelector("[data-form-errors]");
    var list = (errors || []);
    if (!box) {
      say(statusOf(form), list.length ? notSaved(list[0].message || list[0]) : "");
      return;
    }
    var summary = document.createElement("div");
    summary.className = "alert alert-danger";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    var heading = document.createElement("p");
    heading.className = "fw-semibold mb-1";
    heading.textContent = gettext("There is a problem");
    var items = document.createElement("ul");
    items.className = "mb-0";
    list.forEach(function (error) { items.appendChild(errorItem(form, error)); });
    summary.appendChild(heading);
    summary.appendChild(items);
    box.appendChild(summary);
    summary.focus();
  }

  function notSaved(why) {
    return gettext("Not saved: %s").replace("%s", why);
  }

  function savedAt() {
    var language = document.documentElement.lang || undefined;
    var time = new Date().toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" });
    return gettext("Saved at %s.").replace("%s", time);
  }

  // The server's answer for a form on this page. A refused meeting form lists its
  // errors; a survey page with a refused value has still saved the rest (its errors
  // are shown when the member moves on), so it counts as saved, as it always has.
  function answered(form, result) {
    var body = result.body;
    if (body.saved === false && Array.isArray(body.errors)) {
      say(statusOf(form), "");
      showErrors(form, body.errors);
      return;
    }
    clearErrors(form);
    say(statusOf(form), body.message || savedAt());
    var ref = form.querySelector("input[data-autosave-ref]");
    if (ref) ref.value = "";  // spent: the next entry gets a new one
    form.dispatchEvent(new CustomEvent("autosave:saved", { detail: body }));
  }

  // ---- forms ----------------------------------------------------------------------

  function newRef() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function fieldsOf(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") data[name] = value;
    });
    return data;
  }

  function entryFor(form) {
    var ref = form.querySelector("input[data-autosave-ref]");
    if (ref && !ref.value) ref.value = newRef();
    var data = fieldsOf(form);
    var key = form.dataset.autosaveKey + (ref ? ":" + ref.value : "");
    return {
      key: key,
      entry: {
        url: form.dataset.autosaveUrl || form.action, data: data, form: form.dataset.autosaveKey,
        page: window.location.href.split("#")[0], label: form.dataset.autosaveLabel || "",
        keepRefused: "autosaveKeepRefused" in form.dataset
      }
    };
  }

  function save(form) {
    var copy = entryFor(form);
    keep(copy.key, copy.entry);
    if (form.dataset.autosave === "submit") say(statusOf(form), gettext("Saving…"));
    return post(copy.entry.url, copy.entry.data).then(function (result) {
      keep(copy.key, null);
      answered(form, result);
    }).catch(function () { say(statusOf(form), OFFLINE); });
  }

  function enhance(form) {
    var timer = null;
    function soon(ms) { clearTimeout(timer); timer = setTimeout(function () { save(form); }, ms); }
    if (form.dataset.autosave === "submit") {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        save(form);
      });
      return;
    }
    // "change": a choice is saved at once, typing once the member pauses.
    form.addEventListener("change", function () { soon(300); });
    form.addEventListener("input", function (event) {
      if (event.target.tagName === "TEXTAREA") soon(1500);
    });
  }

  // ---- copies that did not reach the server ---------------------------------------

  function formFor(entry) {
    return document.querySelector("form[data-autosave-key='" + entry.form.replace(/'/g, "") + "']");
  }

  // Put a kept copy back into its form, so what was entered is visible again.
  function restore(form, data) {
    // A box sends its value when ticked (the roster's consent sends "yes") and nothing
    // when not: a box missing from the copy was unticked, whatever the page drew.
    form.querySelectorAll("input[type=checkbox][name]").forEach(function (box) {
      box.checked = data[box.name] === box.value;
    });
    Object.keys(data).forEach(function (name) {
      form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']").forEach(function (input) {
        if (input.type === "radio") input.checked = input.value === data[name];
        else if (input.type === "checkbox") return;
        else if (input.type !== "hidden" || input.hasAttribute("data-autosave-ref")) input.value = data[name];
      });
    });
  }

  // A copy the server refused while its form was not on screen is kept, not sent
  // again, and pointed out until the person opens it and sees why.
  function pointOut(entry) {
    var notes = document.getElementById("unsent-notes");
    if (!notes || !entry.refused) return;
    var note = document.createElement("p");
    note.className = "mb-1";
    var first = entry.refused[0];
    note.textContent = notSaved(entry.label || gettext("an entry kept on this device")) + ". " +
      (typeof first === "string" ? first : (first && first.message) || "") + " ";
    var link = document.createElement("a");
    link.href = entry.page;
    link.textContent = gettext("Open it to fix it");
    note.appendChild(link);
    notes.appendChild(note);
  }

  function resendOne(key, entry) {
    var form = formFor(entry);
    return post(entry.url, entry.data).then(function (result) {
      var refused = result.body.saved === false;
      if (refused && !form && entry.keepRefused) {
        entry.refused = result.body.errors;
        keep(key, entry);
        pointOut(entry);
        return;
      }
      keep(key, null);
      if (form) answered(form, result);
    }).catch(function () { /* still offline: try again later */ });
  }

  function resend() {
    var all = unsent();
    Object.keys(all).forEach(function (key) {
      if (!all[key].refused) resendOne(key, all[key]);
    });
  }

  function waiting() {
    var all = unsent();
    return Object.keys(all).some(function (key) { return !all[key].refused; });
  }

  // On opening a page: copies of its own forms go back in them (a refusal is shown
  // there and then), others are pointed out; then whatever waits is sent.
  function start() {
    adoptOlderCopies();
    document.querySelectorAll("form[data-autosave]").forEach(enhance);
    var all = unsent();
    Object.keys(all).forEach(function (key) {
      var entry = all[key];
      var form = formFor(entry);
      if (!form) return pointOut(entry);
      restore(form, entry.data);
      if (entry.refused) {
        keep(key, null);
        showErrors(form, entry.refused);
      }
    });
    if (waiting()) resend();
    window.addEventListener("online", resend);
    setInterval(function () { if (waiting()) resend(); }, RETRY_MS);
  }

  window.Autosave = {
    HEADER: HEADER, say: say, clearErrors: clearErrors, showErrors: showErrors,
    unsentCount: function () { return Object.keys(unsent()).length; }
  };
  start();
})();
