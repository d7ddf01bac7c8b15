/* Search-as-you-type for long multiple selects (the deployments a request is about).
 * Progressive enhancement: without JavaScript the plain multiple select works as it is.
 * A text box is put above each <select data-filter>; typing hides the options whose text
 * does not contain what was typed (case, accents and Serbian Cyrillic/Latin folded); chosen
 * options always stay visible. No request leaves the page. */
(function () {
  "use strict";
  var CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz", "ш": "s"
  };

  function fold(text) {
    var lower = text.toLowerCase().replace(/đ/g, "dj");
    var latin = "";
    for (var i = 0; i < lower.length; i++) {
      var ch = lower.charAt(i);
      latin += Object.prototype.hasOwnProperty.call(CYRILLIC, ch) ? CYRILLIC[ch] : ch;
    }
    return latin.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function enhance(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "foi-filter";
    box.id = select.id + "-filter";
    box.setAttribute("autocomplete", "off");
    var label = document.createElement("label");
    label.htmlFor = box.id;
    label.textContent = select.getAttribute("data-filter-label") || "";
    var status = document.createElement("span");
    status.className = "helptext";
    status.setAttribute("aria-live", "polite");
    var options = Array.prototype.slice.call(select.options);
    var folded = options.map(function (option) { return fold(option.text); });
    box.addEventListener("input", function () {
      var words = fold(box.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (option, index) {
        var match = words.every(function (word) { return folded[index].indexOf(word) !== -1; });
        option.hidden = !(match || option.selected);
        if (!option.hidden) { shown += 1; }
      });
      status.textContent = words.length ? (select.getAttribute("data-filter-count") || "")
        .replace("%(count)s", String(shown)) : "";
    });
    select.parentNode.insertBefore(label, select);
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(status, select);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var selects = document.querySelectorAll("select[data-filter]");
    Array.prototype.forEach.call(selects, enhance);
  });
})();
