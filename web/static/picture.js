// Offers a PNG copy of a connection picture. The page works without this script: the SVG is
// drawn on the server and can always be downloaded as it is.
(function () {
  "use strict";

  function downloadPng(button) {
    var url = button.getAttribute("data-svg");
    var name = button.getAttribute("data-name") || "connections.png";
    fetch(url, { credentials: "same-origin" })
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
            var link = document.createElement("a");
            link.href = URL.createObjectURL(blob);
            link.download = name;
            document.body.appendChild(link);
            link.click();
            link.remove();
            setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
          }, "image/png");
        };
        image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText);
      })
      .catch(function (error) {
        button.insertAdjacentText("afterend", " " + error.message);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("button.png-download");
    Array.prototype.forEach.call(buttons, function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { downloadPng(button); });
    });
  });
})();
