/* Tooltips for the charts on a story page. No library: the charts are SVG drawn when the site was built.
 *
 * Each <figure class="chart"> holds two drawings (phone and desktop; CSS shows one). Every data mark with a
 * tooltip carries its text in data-tip. One <div class="chart-tooltip" role="status"> shows that text:
 * - on hover (mouse), on tap or click (touch, pen, mouse);
 * - from the keyboard: each chart is one tab stop; on focus it shows the first mark's text, the arrow keys
 *   step through the marks (Home and End go to the first and last), Escape hides it.
 * A tap or click elsewhere hides it. Without JavaScript the drawings still show, with the chart's words
 * under them. The desktop drawing's marks have empty data-tip when they repeat the phone drawing's (a
 * lighter page): they are copied across here, after the long parts many tips share (written once, in the
 * figure's data-tip-parts) are put back in place of their {N}.
 * The script is loaded in <head> (not deferred): its handlers are on the document, and each chart is made
 * reachable by keyboard as soon as the parser has finished it. When the first chart is interactive:
 * performance.mark("scr-first-chart") and <html data-charts="done">.
 */
(function () {
  "use strict";

  var tooltip = null;
  var active = null;

  function chartOf(node) {
    return node && node.closest ? node.closest("figure.chart") : null;
  }

  function markOf(node) {
    var mark = node && node.closest ? node.closest("[data-tip]") : null;
    return mark && chartOf(mark) ? mark : null;
  }

  // The marks of the drawing the reader sees (the other one is display: none), in drawing order.
  function marksOf(figure) {
    var views = figure.querySelectorAll(".chart-view");
    for (var i = 0; i < views.length; i++) {
      if (views[i].getClientRects().length) {
        return Array.prototype.slice.call(views[i].querySelectorAll("[data-tip]"));
      }
    }
    return [];
  }

  function hide() {
    if (active) {
      active.classList.remove("is-active");
      active = null;
    }
    if (tooltip) {
      tooltip.hidden = true;
    }
  }

  function show(mark) {
    var figure = chartOf(mark);
    if (!tooltip) {
      tooltip = document.createElement("div");
      tooltip.className = "chart-tooltip";
      tooltip.setAttribute("role", "status");
    }
    if (tooltip.parentNode !== figure) {
      figure.appendChild(tooltip);
    }
    if (active && active !== mark) {
      active.classList.remove("is-active");
    }
    active = mark;
    mark.classList.add("is-active");
    tooltip.textContent = mark.getAttribute("data-tip");
    tooltip.hidden = false;
    place(figure, mark);
  }

  // Above the mark, centred on it, kept inside the figure; below it when there is no room above.
  function place(figure, mark) {
    var box = figure.getBoundingClientRect();
    var at = mark.getBoundingClientRect();
    var width = tooltip.offsetWidth;
    var height = tooltip.offsetHeight;
    var left = at.left - box.left + at.width / 2 - width / 2;
    left = Math.max(0, Math.min(left, figure.clientWidth - width));
    var top = at.top - box.top - height - 8;
    if (at.top - height - 8 < 0) {
      top = at.bottom - box.top + 8;
    }
    tooltip.style.left = left + "px";
    tooltip.style.top = top + "px";
  }

  function step(figure, key) {
    var marks = marksOf(figure);
    if (!marks.length) {
      return false;
    }
    var at = active && chartOf(active) === figure ? marks.indexOf(active) : -1;
    var next = {ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1,
                Home: 0, End: marks.length - 1}[key];
    if (next === undefined) {
      return false;
    }
    show(marks[Math.max(0, Math.min(next, marks.length - 1))]);
    return true;
  }

  // A chart is ready once the parser has reached its end (the download link is its last part).
  var ready = 0;
  function prepare(figure) {
    if (figure.getAttribute("data-ready") || !figure.querySelector(".chart-download")) {
      return;
    }
    figure.setAttribute("data-ready", "");
    // Long tooltip parts that many marks share are written once, in data-tip-parts; a tip holds {N} for part N
    var shared = figure.getAttribute("data-tip-parts");
    if (shared) {
      shared = JSON.parse(shared);
      Array.prototype.forEach.call(figure.querySelectorAll("[data-tip]"), function (mark) {
        mark.setAttribute("data-tip", mark.getAttribute("data-tip").replace(/\{(\d+)\}/g, function (all, n) {
          return shared[Number(n)];
        }));
      });
      figure.removeAttribute("data-tip-parts");
    }
    // The desktop drawing's marks carry empty tips when they are the phone drawing's, in the same order
    var wide = figure.querySelectorAll('.chart-wide [data-tip=""]');
    var narrow = figure.querySelectorAll(".chart-narrow [data-tip]");
    if (wide.length && wide.length === narrow.length) {
      for (var i = 0; i < wide.length; i++) {
        wide[i].setAttribute("data-tip", narrow[i].getAttribute("data-tip"));
      }
    }
    if (!figure.querySelector("[data-tip]")) {
      return;
    }
    figure.tabIndex = 0;
    figure.setAttribute("aria-keyshortcuts", "ArrowLeft ArrowRight Home End Escape");
    ready += 1;
    if (ready === 1) {
      performance.mark("scr-first-chart");
      document.documentElement.setAttribute("data-charts", "done");
    }
  }

  function prepareAll() {
    Array.prototype.forEach.call(document.querySelectorAll("figure.chart"), prepare);
  }

  // The handlers are on the document, so they work for each chart as soon as it is parsed.
  document.addEventListener("pointerover", function (event) {
    var mark = markOf(event.target);
    if (mark && event.pointerType === "mouse") {
      show(mark);
    }
  });
  document.addEventListener("pointerout", function (event) {
    var mark = markOf(event.target);
    if (mark && mark === active && event.pointerType === "mouse" && !markOf(event.relatedTarget)) {
      hide();
    }
  });
  function tapped(event) {
    var mark = markOf(event.target);
    if (mark) {
      show(mark);
    } else if (active && !(tooltip && tooltip.contains(event.target))) {
      hide();
    }
  }
  document.addEventListener("pointerdown", tapped);
  document.addEventListener("click", tapped);
  document.addEventListener("keydown", function (event) {
    var figure = chartOf(event.target);
    if (!figure || event.target !== figure) {
      return;
    }
    if (event.key === "Escape") {
      hide();
    } else if (step(figure, event.key)) {
      event.preventDefault();
    }
  });
  document.addEventListener("focusin", function (event) {
    var figure = event.target;
    if (figure.matches && figure.matches("figure.chart[tabindex]") && !(active && chartOf(active) === figure)) {
      step(figure, "Home");
    }
  });
  document.addEventListener("focusout", function (event) {
    if (active && event.target === chartOf(active)) {
      hide();
    }
  });
  window.addEventListener("resize", hide);

  if (document.readyState === "loading" && window.MutationObserver) {
    // Loaded in <head>: prepare each chart as the parser finishes it, not when the whole page is parsed.
    var watching = new MutationObserver(function (records) {
      var seen = [];
      records.forEach(function (record) {
        var figure = chartOf(record.target);
        if (figure && seen.indexOf(figure) < 0) {
          seen.push(figure);
          prepare(figure);
        }
      });
    });
    watching.observe(document.documentElement, {childList: true, subtree: true});
    document.addEventListener("DOMContentLoaded", function () {
      watching.disconnect();
      prepareAll();
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", prepareAll);
  } else {
    prepareAll();
  }
})();
