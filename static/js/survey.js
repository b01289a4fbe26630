// Saves a survey page as the member answers, so a closed tab or a dropped connection
// loses nothing. Without JavaScript the page still saves on "Save and continue".
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form || !form.dataset.autosave) return;
  var url = form.dataset.autosave;
  var status = document.getElementById("save-status");
  var key = "netassess-pending:" + url;
  var timer = null;

  function say(text) { if (status) status.textContent = text; }

  function fields() {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "nav") data[name] = value;
    });
    return data;
  }

  function post(data) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    Object.keys(data).forEach(function (name) { body.append(name, data[name]); });
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-Autosave": "1" } })
      .then(function (response) {
        if (response.status === 200 || response.status === 400) {
          localStorage.removeItem(key);
          say("Saved at " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
        } else {
          throw new Error("status " + response.status);
        }
      });
  }

  function save() {
    var data = fields();
    localStorage.setItem(key, JSON.stringify(data));
    post(data).catch(function () {
      say("You seem to be offline. Your answers are kept on this device and will be saved when the connection returns.");
    });
  }

  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(save, 300); });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") { clearTimeout(timer); timer = setTimeout(save, 1500); }
  });
  window.addEventListener("online", function () {
    var pending = localStorage.getItem(key);
    if (pending) post(JSON.parse(pending)).catch(function () {});
  });

  // Answers kept on this device from an earlier visit that could not reach us: put
  // them back in the form and save them now.
  var pending = localStorage.getItem(key);
  if (pending) {
    var data = JSON.parse(pending);
    Object.keys(data).forEach(function (name) {
      var inputs = form.querySelectorAll("[name='" + name.replace(/'/g, "") + "']");
      inputs.forEach(function (input) {
        if (input.type === "radio") input.checked = input.value === data[name];
        else input.value = data[name];
      });
    });
    post(data).catch(function () {});
  }

  // Focus the error summary so screen readers announce it.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
