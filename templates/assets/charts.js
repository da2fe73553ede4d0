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
      }).then(function (result) {
        return fitWidth(figure, target, result.view);
      }).then(function () {
        figure.dataset.drawn = "true";
        figure.classList.add("crmproof-drawn");
      }).catch(function (error) {
        target.remove();
        console.warn("crmproof: chart " + figure.dataset.chart + " kept its static image:", error);
      });
    });
  }

  // On a narrow screen, narrow the plot instead of shrinking its text: take the overflow
  // off the view's width and redraw (titles and legends need a second look).
  function fitWidth(figure, target, view, attempt) {
    var svg = target.querySelector("svg");
    var room = figure.clientWidth;
    var drawn = svg ? parseFloat(svg.getAttribute("width")) : 0;
    if (!room || !drawn || drawn <= room || (attempt || 0) >= 3 || view.width() <= 120) {
      return Promise.resolve();
    }
    var width = Math.max(120, view.width() - (drawn - room) - 4);
    return view.width(width).runAsync().then(function () {
      return fitWidth(figure, target, view, (attempt || 0) + 1);
    });
  }

  function nameSearchDialog() {
    // Material's search overlay has role="dialog" but no accessible name.
    var search = document.querySelector(".md-search[role='dialog']");
    if (search && !search.hasAttribute("aria-label")) {
      search.setAttribute("aria-label", "Search this site");
    }
  }

  function onPage() {
    nameSearchDialog();
    drawAll();
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
