// The member's survey pages. Answers are saved as the member goes by autosave.js (the
// page's form says so in its data attributes); this adds what the pages need besides.
(function () {
  "use strict";

  // In the page's language when it loads the JavaScript catalog (/jsi18n/) first.
  var gettext = window.gettext || function (text) { return text; };

  // Screen readers announce an error summary the server drew once it has focus.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // A second click while the first submit is on its way does nothing (the server also
  // stores one response however often the form arrives).
  var submit = document.querySelector("form[data-submit-once]");
  if (submit) {
    submit.addEventListener("submit", function (event) {
      var button = submit.querySelector("button[type=submit]");
      if (button.dataset.sent) { event.preventDefault(); return; }
      button.dataset.sent = "1";
      button.textContent = gettext("Submitting…");
    });
  }
})();
