/* Draw each chart on a story page with the site's own Vega runtime (assets/vega.js, loaded first).
 *
 * Every chart is a <figure class="chart"> holding its Vega spec as JSON (compiled from the notebook's
 * Vega-Lite when the site was built) and a static SVG image.
 * When the interactive chart has drawn, the static image is removed and the figure's data-state
 * becomes "live"; if drawing fails the static image stays, data-state becomes "static-only" and the
 * error goes to the console. The first chart drawn sets the performance mark "scr-first-chart"; when
 * every chart is settled the mark "scr-charts-done" is set and <html> gets data-charts="done".
 */
(function () {
  "use strict";

  var firstDrawn = false;

  function draw(figure) {
    var specNode = figure.querySelector("script.chart-spec");
    var target = figure.querySelector(".chart-live");
    var spec;
    try {
      spec = JSON.parse(specNode.textContent);
    } catch (err) {
      figure.setAttribute("data-state", "static-only");
      console.error("Chart " + figure.id + ": its specification is not valid JSON.", err);
      return Promise.resolve();
    }
    return window.vegaEmbed(target, spec, { mode: "vega", actions: false, renderer: "svg" }).then(function () {
      var fallback = figure.querySelector(".chart-static");
      if (fallback) {
        fallback.remove();
      }
      figure.setAttribute("data-state", "live");
      if (!firstDrawn) {
        firstDrawn = true;
        performance.mark("scr-first-chart");
      }
    }).catch(function (err) {
      figure.setAttribute("data-state", "static-only");
      console.error("Chart " + figure.id + " could not be drawn; the static image stays.", err);
    });
  }

  function drawAll() {
    var figures = Array.prototype.slice.call(document.querySelectorAll("figure.chart"));
    if (typeof window.vegaEmbed !== "function") {
      figures.forEach(function (f) { f.setAttribute("data-state", "static-only"); });
      document.documentElement.setAttribute("data-charts", "failed");
      if (figures.length) {
        console.error("assets/vega.js did not load: the charts are static images.");
      }
      return;
    }
    Promise.all(figures.map(draw)).then(function () {
      performance.mark("scr-charts-done");
      document.documentElement.setAttribute("data-charts", "done");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
