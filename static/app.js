// The search boxes follow the address. A live search (htmx) swaps only the
// results and pushes the new address; the Back button then brings back a
// snapshot of the page in which each box still shows what it was first
// rendered with — over other results. So, from the address:
// - after htmx restores a page from its history (htmx:historyRestore), every
//   search box, the page's own and the header's;
// - after a live search pushed its address, every box but the one being typed in.
(function () {
  "use strict";

  function followTheAddress(event) {
    var query = new URLSearchParams(window.location.search).get("q") || "";
    var restoring = event.type === "htmx:historyRestore";
    document.querySelectorAll('input[type="search"][name="q"]').forEach(function (box) {
      if (restoring || box !== document.activeElement) {
        box.value = query;
      }
    });
  }

  document.addEventListener("htmx:historyRestore", followTheAddress);
  document.addEventListener("htmx:pushedIntoHistory", followTheAddress);
})();
