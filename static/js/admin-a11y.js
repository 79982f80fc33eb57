/* Names for the admin's controls that Django's widgets leave without one (axe-core found them
   on the change forms): select2's boxes (the admin's autocomplete) and their search fields are
   named by the field's label; the inputs of a table of inline rows (a meeting's participants)
   by their column's header; an empty column header (the column of a row's hidden keys) is left out of what screen readers
   read; and
   select2's "clear" cross, which it puts as a <span> in its list of chosen values, is marked
   as one of the list's items. Rows and boxes added later (add another, a value chosen) are named as they appear. */
"use strict";
(function () {
  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").replace(/[:*]\s*$/, "").trim() : "";
  }

  function columnHeader(cell) {
    var table = cell.closest("table");
    var row = cell.closest("tr");
    if (!table || !row) {
      return "";
    }
    var index = Array.prototype.indexOf.call(row.children, cell);
    var headers = table.querySelectorAll("thead tr:first-child > th");
    return index >= 0 && headers[index] ? text(headers[index]) : "";
  }

  function nameOf(control) {
    var label = control.id && document.querySelector('label[for="' + control.id + '"]');
    if (label && text(label)) {
      return { label: label, words: text(label) };
    }
    var cell = control.closest("td");
    return { label: null, words: cell ? columnHeader(cell) : "" };
  }

  function nameSelect2(select) {
    var container = select.nextElementSibling;
    if (!container || !container.classList.contains("select2")) {
      return;
    }
    var name = nameOf(select);
    if (!name.words) {
      return;
    }
    var box = container.querySelector("[role=combobox]");
    var shown = container.querySelector(".select2-selection__rendered");
    if (box && name.label && shown && shown.id) {
      name.label.id = name.label.id || select.id + "-label";
      box.setAttribute("aria-labelledby", name.label.id + " " + shown.id);
    } else if (box) {
      box.removeAttribute("aria-labelledby");
      box.setAttribute("aria-label", name.words);
    }
    if (shown && shown.getAttribute("role") === "textbox") {
      // A single choice: the value shown is a read-only text box of its own, named by the
      // field and the value.
      var value = text(shown).replace(/^×\s*/, "");
      shown.setAttribute("aria-label", value ? name.words + ": " + value : name.words);
    }
    container.querySelectorAll(".select2-search__field").forEach(function (field) {
      field.setAttribute("aria-label", name.words);
    });
    container.querySelectorAll("ul > .select2-selection__clear").forEach(function (cross) {
      cross.setAttribute("role", "listitem");
    });
  }

  function nameTableControls(root) {
    root.querySelectorAll("td input, td select, td textarea").forEach(function (control) {
      if (control.type === "hidden" || control.getAttribute("aria-label")) {
        return;
      }
      if (control.id && document.querySelector('label[for="' + control.id + '"]')) {
        return;
      }
      var words = columnHeader(control.closest("td"));
      if (words) {
        control.setAttribute("aria-label", words);
      }
    });
    root.querySelectorAll("thead th").forEach(function (header) {
      // An empty header (the column of a row's hidden keys) heads nothing a reader needs.
      if (!text(header)) {
        header.setAttribute("role", "presentation");
      }
    });
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(nameSelect2);
    nameTableControls(document);
  }

  var pending = false;
  function later() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        observer.disconnect();
        nameAll();
        observer.observe(document.body, { childList: true, subtree: true });
      });
    }
  }
  var observer = new MutationObserver(later);

  document.addEventListener("DOMContentLoaded", function () {
    nameAll();
    observer.observe(document.body, { childList: true, subtree: true });
    // The admin's autocomplete.js sets the boxes up on its own DOMContentLoaded handler.
    window.setTimeout(later, 0);
  });
})();
