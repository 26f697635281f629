// The analysis pages' helpers. The pages work without them: forms submit with full names or
// IRIs, and every picture downloads as SVG. No inline scripts, nothing from elsewhere (the
// Content-Security-Policy).
//  - Search as you type: fills the suggestion list of any input with a data-search address
//    from /api/analysis/things.
// PNG copies of the pictures come from picture.js (every page loads it): it serves every
// button.png-download with a data-svg address.
(function () {
  "use strict";

  var inputs = document.querySelectorAll("input[data-search][list]");
  var timer = null;

  function fill(list, things) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    things.forEach(function (thing) {
      var option = document.createElement("option");
      option.value = thing.label;
      option.textContent = thing.kind;
      list.appendChild(option);
    });
  }

  function search(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var text = input.value.trim();
    if (!list || text.length < 2) { return; }
    var address = input.getAttribute("data-search") + "?q=" + encodeURIComponent(text);
    fetch(address, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { things: [] }; })
      .then(function (answer) { fill(list, answer.things || []); })
      .catch(function () { /* suggestions are a convenience; the form still works */ });
  }

  Array.prototype.forEach.call(inputs, function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search(input); }, 200);
    });
  });
})();
