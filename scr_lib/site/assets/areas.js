/* "Find your area": narrows the list of areas (site/areas/index.html) as the reader types. No library.
 *
 * Each <li> of ul#area-list carries every name of its PCT, lower-cased, in data-names ("nhs dorset | dorset |
 * dorset pct | 5qm"). The box (input#area-filter) is inside a div that is hidden in the HTML: this script
 * shows it, so without JavaScript the full list shows and there is no box that does nothing. The count of
 * matching areas goes to #area-count, a status a screen reader announces. Works from file:// (no request).
 */
(function () {
  "use strict";

  function normal(text) {
    return text.toLowerCase().replace(/\s+/g, " ").trim();
  }

  function start() {
    var box = document.getElementById("area-filter");
    var list = document.getElementById("area-list");
    if (!box || !list) return;
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-names]"));
    var count = document.getElementById("area-count");
    var holder = box.closest(".area-filter");
    if (holder) holder.hidden = false;

    function update() {
      var query = normal(box.value);
      var shown = 0;
      items.forEach(function (item) {
        var match = !query || item.getAttribute("data-names").indexOf(query) !== -1;
        item.hidden = !match;
        if (match) shown += 1;
      });
      if (count) {
        count.textContent = query ? shown + " of " + items.length + " areas match" +
          (shown ? "" : ": try part of the name, or the ODS code") : "";
      }
    }

    box.addEventListener("input", update);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
