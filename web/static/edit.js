// The community edit form, made quicker with a script (it works without one):
// "Add another" under each list of values and each group of rows. Names keep the form's
// pattern (group.<n>.column), and each group's count tells the server how many rows came.
(function () {
  "use strict";

  function token() {
    var bytes = new Uint8Array(5);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function addButton(label, after, onClick) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary add-another";
    button.textContent = label;
    button.addEventListener("click", onClick);
    after.insertAdjacentElement("afterend", button);
  }

  document.querySelectorAll("ul.several").forEach(function (list) {
    var what = list.getAttribute("data-label") || "values";
    addButton("Add another to " + what.toLowerCase(), list, function () {
      var items = list.querySelectorAll("li");
      var number = items.length + 1;
      var copy = items[items.length - 1].cloneNode(true);
      var input = copy.querySelector("input");
      var label = copy.querySelector("label");
      input.value = "";
      input.id = input.id.replace(/(-\d+)?$/, "-" + number);
      input.removeAttribute("aria-invalid");
      label.htmlFor = input.id;
      label.textContent = what + " " + number;
      list.appendChild(copy);
      input.focus();
    });
  });

  document.querySelectorAll(".rows[data-group]").forEach(function (rows) {
    var group = rows.getAttribute("data-group");
    var count = rows.parentElement.querySelector('input[name="' + group + '.count"]');
    var blank = rows.querySelector("fieldset.new-row:last-of-type");
    if (!blank || !count) { return; }
    var noun = blank.querySelector("legend").textContent.replace(/^New /, "");
    addButton("Add another " + noun, rows, function () {
      var number = parseInt(count.value, 10);
      var copy = blank.cloneNode(true);
      var from = blank.getAttribute("data-row");
      copy.setAttribute("data-row", String(number));
      copy.querySelectorAll("[name]").forEach(function (field) {
        field.name = field.name.replace(group + "." + from + ".", group + "." + number + ".");
        if (field.type === "hidden" && /\.id$/.test(field.name)) {
          field.value = "person-" + token();
        } else if (field.tagName === "SELECT") {
          field.selectedIndex = 0;
        } else if (field.type !== "checkbox") {
          field.value = "";
        }
        field.removeAttribute("aria-invalid");
      });
      copy.querySelectorAll("[id]").forEach(function (element) {
        element.id = element.id.replace("-" + from + "-", "-" + number + "-");
      });
      copy.querySelectorAll("label[for]").forEach(function (label) {
        label.htmlFor = label.htmlFor.replace("-" + from + "-", "-" + number + "-");
      });
      copy.querySelectorAll("[aria-describedby]").forEach(function (element) {
        element.setAttribute("aria-describedby",
          element.getAttribute("aria-describedby").split("-" + from + "-").join("-" + number + "-"));
      });
      copy.querySelectorAll(".field-error").forEach(function (error) { error.remove(); });
      rows.appendChild(copy);
      count.value = String(number + 1);
      var first = copy.querySelector("input:not([type=hidden]), select");
      if (first) { first.focus(); }
    });
  });
})();
