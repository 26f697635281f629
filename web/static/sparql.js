// The query page's small helpers. The page works without them: the forms submit as usual.
// No inline scripts and no libraries from elsewhere (the Content-Security-Policy forbids both).
(function () {
  "use strict";

  var editor = document.getElementById("query");
  var form = document.getElementById("sparql-form");
  var picker = document.getElementById("example-picker");
  var description = document.getElementById("example-description");
  var prologue = document.getElementById("prologue");
  var addPrefixes = document.getElementById("add-prefixes");
  var copyLink = document.getElementById("copy-link");
  var examples = null;

  // Ctrl+Enter (Cmd+Enter on a Mac) runs the query.
  if (editor && form) {
    editor.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.submit();
      }
    });
  }

  // Choosing an example puts its text in the editor without reloading the page.
  function showExample(name) {
    var chosen = examples && examples.filter(function (e) { return e.name === name; })[0];
    if (!chosen) { return; }
    editor.value = chosen.query;
    if (description) { description.textContent = chosen.description; }
    editor.focus();
  }

  if (picker && editor) {
    picker.addEventListener("change", function () {
      var name = picker.value;
      if (!name) { return; }
      if (examples) { showExample(name); return; }
      fetch(picker.form.action + "/examples", { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { examples = data.examples; showExample(name); })
        .catch(function () { picker.form.submit(); });
    });
  }

  // Put the predeclared PREFIX lines at the top of the query (for copying it elsewhere).
  if (addPrefixes && prologue && editor) {
    addPrefixes.hidden = false;
    addPrefixes.addEventListener("click", function () {
      var missing = prologue.textContent.split("\n").filter(function (line) {
        var name = line.split(":")[0];
        return line && editor.value.indexOf(name + ":") !== -1 &&
          editor.value.indexOf(line.split(" ").slice(0, 2).join(" ")) === -1;
      });
      editor.value = missing.join("\n") + (missing.length ? "\n" : "") + editor.value;
      editor.focus();
    });
  }

  if (copyLink && navigator.clipboard) {
    copyLink.hidden = false;
    copyLink.addEventListener("click", function () {
      var field = document.getElementById("share-link");
      navigator.clipboard.writeText(field.value).then(function () {
        copyLink.textContent = "Copied";
      });
    });
  }
}());
