/* Cite a passage: selecting text on a document page fills in the quote and the page.
   The form works without this file; this only saves typing. */
(function () {
  "use strict";
  var text = document.getElementById("document-text");
  var form = document.getElementById("cite-form");
  if (!text || !form) {
    return;
  }
  var quote = form.querySelector("[name=quote]");
  var locator = form.querySelector("[name=locator]");
  var panel = document.getElementById("cite");
  var pageLabel = panel ? panel.getAttribute("data-page-label") || "p. " : "p. ";

  function pageOf(node) {
    var element = node && node.nodeType === 1 ? node : node && node.parentElement;
    var page = element && element.closest("[data-page]");
    return page ? page.getAttribute("data-page") : null;
  }

  function onSelection() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
      return;
    }
    var range = selection.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer)) {
      return;
    }
    var words = selection.toString().split(/\s+/).filter(Boolean).join(" ");
    if (!words) {
      return;
    }
    quote.value = words;
    var first = pageOf(range.startContainer);
    var last = pageOf(range.endContainer);
    if (locator && first && text.querySelectorAll("[data-page]").length > 1) {
      locator.value = pageLabel + (first === last ? first : first + "–" + last);
    }
    if (panel) {
      panel.classList.add("floating");
    }
  }

  text.addEventListener("mouseup", onSelection);
  text.addEventListener("keyup", onSelection);
  document.addEventListener("selectionchange", function () {
    window.clearTimeout(onSelection.timer);
    onSelection.timer = window.setTimeout(onSelection, 300);
  });
})();
