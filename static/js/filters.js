/* The filter form's country, person and organization inputs as comboboxes with chips.

   Without this script each is a text input suggesting from a <datalist> (one per page, shared
   by the inputs that suggest the same things), one input per value chosen and one more. With
   it, each chosen value is a chip (a hidden input with the code or slug the address takes, and
   a button that removes it) and the text input filters the datalist's options as you type:
   "uzb" offers Uzbekistan, "uz" also finds it by its code. The combobox follows the ARIA
   Authoring Practices' "list autocomplete" pattern: arrow keys move through the options,
   Enter chooses, Escape closes. */
(function () {
  "use strict";

  var MAX_SHOWN = 50;

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function readOptions(datalist) {
    return Array.prototype.map.call(datalist.options, function (option) {
      var value = option.dataset.value || option.value;
      return {
        text: option.value,
        value: value,
        note: option.textContent.trim(),
        keys: [fold(option.value), fold(value), fold(option.textContent)]
      };
    });
  }

  function find(options, typed) {
    var key = fold(typed);
    if (!key) {
      return null;
    }
    for (var i = 0; i < options.length; i += 1) {
      if (options[i].keys[0] === key || options[i].keys[1] === key) {
        return options[i];
      }
    }
    return null;
  }

  function matches(options, typed, chosen) {
    var key = fold(typed);
    var first = [];
    var rest = [];
    options.forEach(function (option) {
      if (chosen.indexOf(option.value) !== -1) {
        return;
      }
      if (!key || option.keys[0].indexOf(key) === 0 || option.keys[1] === key) {
        first.push(option);
      } else if (option.keys[0].indexOf(key) !== -1 || option.keys[2].indexOf(key) !== -1) {
        rest.push(option);
      }
    });
    return first.concat(rest).slice(0, MAX_SHOWN);
  }

  function element(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function enhance(wrapper, status) {
    var datalist = document.getElementById(wrapper.dataset.combobox);
    var boxes = wrapper.querySelectorAll("input[type=text]");
    if (!datalist || !boxes.length) {
      return;
    }
    var options = readOptions(datalist);
    var many = wrapper.hasAttribute("data-many");
    var input = boxes[0];
    var name = input.name;
    var label = document.querySelector("label[for='" + input.id + "']");
    var what = label ? label.textContent.trim() : name;
    var listbox = element("ul", { role: "listbox", id: input.id + "-options", class: "combo-options" });
    listbox.hidden = true;
    listbox.setAttribute("aria-label", what + " suggestions");
    var chips = element("ul", { class: "chips", "aria-label": what + ": chosen" });
    var shown = [];
    var active = -1;

    function chosen() {
      return Array.prototype.map.call(chips.querySelectorAll("input[type=hidden]"), function (hidden) {
        return hidden.value;
      });
    }

    function say(message) {
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = message;
      }, 50);
    }

    function addChip(option, quiet) {
      if (!many) {
        chips.textContent = "";
      }
      var chip = element("li", { class: "chip" });
      chip.appendChild(element("span", {}, option.text));
      var remove = element("button", { type: "button", class: "chip-remove", "aria-label": "Remove " + option.text }, "×");
      remove.addEventListener("click", function () {
        chip.remove();
        say(option.text + " removed.");
        input.focus();
      });
      chip.appendChild(remove);
      chip.appendChild(element("input", { type: "hidden", name: name, value: option.value }));
      chips.appendChild(chip);
      if (!quiet) {
        say(option.text + " chosen.");
      }
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = listbox.children;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (index >= 0 && items[index]) {
        items[index].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      shown = matches(options, input.value, chosen());
      listbox.textContent = "";
      shown.forEach(function (option, index) {
        var item = element("li", { role: "option", id: listbox.id + "-" + index, "aria-selected": "false" });
        item.appendChild(document.createTextNode(option.text));
        if (option.note && option.note !== option.text) {
          item.appendChild(element("span", { class: "combo-note" }, " " + option.note));
        }
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        item.addEventListener("click", function () {
          choose(option);
        });
        listbox.appendChild(item);
      });
      active = -1;
      listbox.hidden = shown.length === 0;
      input.setAttribute("aria-expanded", shown.length ? "true" : "false");
    }

    function choose(option) {
      addChip(option);
      input.value = "";
      close();
      input.focus();
    }

    // The values already chosen become chips; a value not understood stays in its input.
    Array.prototype.forEach.call(boxes, function (box) {
      var option = find(options, box.value);
      if (option) {
        addChip(option, true);
        box.value = "";
      }
      if (box !== input && !box.value) {
        box.parentNode.remove();
      }
    });

    input.removeAttribute("list");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    wrapper.insertBefore(chips, wrapper.firstChild);
    input.parentNode.appendChild(listbox);

    input.addEventListener("input", open);
    input.addEventListener("focus", function () {
      if (input.value) {
        open();
      }
    });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (listbox.hidden) {
          open();
        }
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight(Math.max(0, Math.min(shown.length - 1, active + step)));
      } else if (event.key === "Enter") {
        var option = active >= 0 ? shown[active] : find(options, input.value);
        if (option) {
          event.preventDefault();
          choose(option);
        }
      } else if (event.key === "Escape" && !listbox.hidden) {
        event.preventDefault();
        close();
      } else if (event.key === "Backspace" && !input.value && chips.lastElementChild) {
        chips.lastElementChild.querySelector("button").click();
      }
    });
  }

  function tidyOnSubmit(form) {
    // Leave the empty fields out of the address: ?country=AZ&country=UZ, not ?q=&country=….
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.querySelectorAll("input[name], select[name]"), function (field) {
        if (!field.value && field.type !== "checkbox") {
          field.disabled = true;
        }
      });
    });
    window.addEventListener("pageshow", function () {
      Array.prototype.forEach.call(form.querySelectorAll("[name]:disabled"), function (field) {
        field.disabled = false;
      });
    });
  }

  function summarize(summary) {
    // The GOV.UK error summary: focused when the page opens; each link focuses its input.
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (target) {
        event.preventDefault();
        target.scrollIntoView({ block: "center" });
        target.focus();
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".error-summary[role=alert]"), summarize);
  Array.prototype.forEach.call(document.querySelectorAll("form.filters"), function (form) {
    var status = element("p", { class: "visually-hidden", "aria-live": "polite" });
    form.appendChild(status);
    Array.prototype.forEach.call(form.querySelectorAll("[data-combobox]"), function (wrapper) {
      enhance(wrapper, status);
    });
    tidyOnSubmit(form);
  });
})();
