// The analysis pages' helpers. The pages work without them: forms submit with full names or
// IRIs, and every picture downloads as SVG. No inline scripts, nothing from elsewhere (the
// Content-Security-Policy).
//  - Search as you type: fills the suggestion list of any input with a data-search address
//    from /api/analysis/things.
//  - PNG copies of pictures: a button with data-svg draws that SVG on a canvas (twice the
//    size, on white) and saves it, as picture.js does for the connection pictures.
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

  function save(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function downloadPng(button) {
    fetch(button.getAttribute("data-svg"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("The picture could not be fetched."); }
        return response.text();
      })
      .then(function (svgText) {
        var image = new Image();
        image.onload = function () {
          var scale = 2;
          var canvas = document.createElement("canvas");
          canvas.width = image.naturalWidth * scale;
          canvas.height = image.naturalHeight * scale;
          var context = canvas.getContext("2d");
          context.fillStyle = "#ffffff";
          context.fillRect(0, 0, canvas.width, canvas.height);
          context.drawImage(image, 0, 0, canvas.width, canvas.height);
          canvas.toBlob(function (blob) {
            save(blob, button.getAttribute("data-name") || "picture.png");
          }, "image/png");
        };
        image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText);
      })
      .catch(function (error) {
        button.insertAdjacentText("afterend", " " + error.message);
      });
  }

  var buttons = document.querySelectorAll("button.png-download[data-svg]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { downloadPng(button); });
  });
})();
