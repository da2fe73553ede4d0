/* crmproof: draw every chart on the page from its Vega-Lite spec (the figure's data-spec
 * attribute; inline scripts would be re-run as JavaScript by instant navigation), using the local
 * Vega bundle (window.vegaEmbed). Material's instant navigation swaps page content without
 * a reload, so drawing hooks into its document$ observable when it exists. */
(function () {
  "use strict";

  function drawAll() {
    if (typeof window.vegaEmbed !== "function") {
      return;  // keep the static SVG fallback
    }
    document.querySelectorAll("figure.crmproof-chart").forEach(function (figure) {
      if (figure.dataset.drawn === "true") {
        return;
      }
      var source = figure.getAttribute("data-spec");
      if (!source) {
        return;
      }
      var target = document.createElement("div");
      target.className = "crmproof-vega";
      figure.insertBefore(target, figure.firstChild);
      window.vegaEmbed(target, JSON.parse(source), {
        mode: "vega-lite",
        actions: false,
        renderer: "svg",
        tooltip: true
      }).then(function () {
        figure.dataset.drawn = "true";
        figure.classList.add("crmproof-drawn");
      }).catch(function (error) {
        target.remove();
        console.warn("crmproof: chart " + figure.dataset.chart + " kept its static image:", error);
      });
    });
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(drawAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
