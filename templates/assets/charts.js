/* crmproof: draw every chart on the page from its Vega-Lite spec (a JSON file beside the
 * chart's SVG, named by the figure's data-spec-src), using the local Vega bundle
 * (window.vegaEmbed). Material's instant navigation swaps page content without a reload, so
 * drawing hooks into its document$ observable when it exists. */
(function () {
  "use strict";

  function drawAll() {
    if (typeof window.vegaEmbed !== "function") {
      return;  // keep the static SVG fallback
    }
    document.querySelectorAll("figure.crmproof-chart").forEach(function (figure) {
      var source = figure.getAttribute("data-spec-src");
      if (!source || figure.dataset.drawing === "true") {
        return;
      }
      figure.dataset.drawing = "true";
      // relative to the page the figure is on (instant navigation has updated the URL)
      fetch(new URL(source, document.baseURI)).then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status + " for " + source);
        }
        return response.json();
      }).then(function (spec) {
        return draw(figure, spec);
      }).catch(function (error) {
        console.warn("crmproof: chart " + figure.dataset.chart + " kept its static image:", error);
      });
    });
  }

  function draw(figure, spec) {
    var target = document.createElement("div");
    target.className = "crmproof-vega";
    figure.insertBefore(target, figure.firstChild);
    return window.vegaEmbed(target, spec, {
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
      throw error;
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
