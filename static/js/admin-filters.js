/* The admin's autocomplete filters (visits/admin_filters.py). select2, which the admin's
   autocomplete is made of, names its box only by the value shown, and leaves the box without a
   name while none is chosen (axe-core: aria-input-field-name). Here each box is named by its
   filter's label too: "Guest country", read with the value ("Guest country, Azerbaijan").
   Run when the admin's autocomplete.js has set the boxes up (its handler comes first). */
"use strict";
django.jQuery(function () {
  document.querySelectorAll("#changelist-filter select.admin-autocomplete").forEach(function (select) {
    var label = document.getElementById(select.id + "-label");
    var shown = document.getElementById("select2-" + select.id + "-container");
    if (!label || !shown) {
      return;
    }
    shown.setAttribute("aria-labelledby", label.id);
    var box = shown.closest("[role=combobox]");
    if (box) {
      box.setAttribute("aria-labelledby", label.id + " " + shown.id);
    }
  });
});
