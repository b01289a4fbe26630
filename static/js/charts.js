// Draws every chart on the page from its JSON (embedded with json_script, so no
// member-written text can run) and wires the PNG and SVG download buttons.
(function () {
  "use strict";
  if (!window.Plotly) return;
  var config = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };
  document.querySelectorAll("[data-figure]").forEach(function (element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source) return;
    var figure = JSON.parse(source.textContent);
    Plotly.newPlot(element, figure.data, figure.layout, config);
  });
  document.querySelectorAll("[data-download]").forEach(function (button) {
    button.addEventListener("click", function () {
      var element = document.querySelector("[data-figure='" + button.dataset.target + "']");
      Plotly.downloadImage(element, { format: button.dataset.download, filename: element.dataset.name, width: 1000, height: 600 });
    });
  });
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("[data-figure]").forEach(function (element) { Plotly.Plots.resize(element); });
  });
})();
