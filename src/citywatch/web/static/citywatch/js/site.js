/* Small progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  // On narrow screens, fold the filter panel so results come first.
  if (window.matchMedia && window.matchMedia("(max-width: 50rem)").matches) {
    document.querySelectorAll("details.filter-panel[open]").forEach(function (panel) {
      panel.removeAttribute("open");
    });
  }
})();
