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

  // DSFR's script keeps its state in inline custom properties (a closed menu's
  // --collapse-max-height). Restored from htmx's snapshot, those style
  // attributes break the CSP (style-src 'self'); the stylesheet's defaults hold
  // the same closed state, and DSFR sets them again when a menu opens.
  function dropScriptStyles(event) {
    event.detail.historyElt.querySelectorAll("[style]").forEach(function (element) {
      var declarations = element.getAttribute("style").split(";").filter(function (part) {
        return part.trim() !== "";
      });
      var onlyCustom = declarations.every(function (part) {
        return part.trim().indexOf("--") === 0;
      });
      if (onlyCustom) {
        element.removeAttribute("style");
      }
    });
  }

  // A list of choices that refreshes itself (data-cs-keeps-choices: the glossary
  // terms of the resource form, the search filters) sends a new request on every tick, queued behind
  // the one under way. The answer to that earlier request knows nothing of the
  // tick: swapped in, it would clear the box until the queued answer came back.
  // It is dropped instead; the queued answer has the last word.
  var ticks = 0;

  function countTick(event) {
    if (event.target.closest && event.target.closest("[data-cs-keeps-choices]")) {
      ticks += 1;
    }
  }

  function noteTicksSent(event) {
    event.detail.xhr.csTicks = ticks;
  }

  function dropAnswersOlderThanATick(event) {
    var target = event.detail.target;
    if (target && target.hasAttribute("data-cs-keeps-choices") && event.detail.xhr.csTicks !== ticks) {
      event.detail.shouldSwap = false;
    }
  }

  // In the capture phase: counted before htmx, on the list, sends the tick's own request.
  document.addEventListener("change", countTick, true);
  document.addEventListener("htmx:beforeRequest", noteTicksSent);
  document.addEventListener("htmx:beforeSwap", dropAnswersOlderThanATick);
  document.addEventListener("htmx:beforeHistorySave", dropScriptStyles);
  document.addEventListener("htmx:historyRestore", followTheAddress);
  document.addEventListener("htmx:pushedIntoHistory", followTheAddress);
})();
