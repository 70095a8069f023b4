/* "Find your area": narrows the list of areas (site/areas/index.html) as the reader types. No library.
 *
 * Each <li> of ul#area-list shows one name and carries every name of its PCT in data-names, in the form
 * area_pages.search_form gives ("nhs dorset | dorset | dorset pct | 5qm"). The box (input#area-filter) is inside a div that is hidden in the HTML: this script
 * shows it, so without JavaScript the full list shows and there is no box that does nothing. The count of
 * matching areas goes to #area-count, a status a screen reader announces. Works from file:// (no request).
 */
(function () {
  "use strict";

  // As area_pages.search_form: lower case, "&" as "and", other characters as spaces, "saint" as "st".
  function normal(text) {
    return text.toLowerCase().replace(/&/g, " and ").replace(/[^a-z0-9]+/g, " ").trim().split(" ")
      .map(function (word) { return word === "saint" ? "st" : word; }).join(" ");
  }

  // A name matches when it holds what was typed, or when what was typed holds the whole name as words and the
  // name is a place (four letters or more): "kingston upon thames" finds "kingston".
  function matches(names, query) {
    var padded = " " + query + " ";
    return names.some(function (name) {
      return name.indexOf(query) !== -1 || (name.length >= 4 && padded.indexOf(" " + name + " ") !== -1);
    });
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
        var match = !query || matches(item.getAttribute("data-names").split(" | "), query);
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
