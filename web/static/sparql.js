// The query page's helpers. The page works without them: the forms submit as usual and the
// answer is a table. With them: the CodeMirror editor (vendor/codemirror, loaded on demand;
// the textarea stays if it cannot load), the example picker without reload, "Add PREFIX
// lines", Ctrl+Enter and the copy button. sparql-views.js draws the answer's other views.
// No inline scripts and no libraries from elsewhere (the Content-Security-Policy forbids both).
(function () {
  "use strict";

  var textarea = document.getElementById("query");
  var form = document.getElementById("sparql-form");
  var picker = document.getElementById("example-picker");
  var description = document.getElementById("example-description");
  var prologue = document.getElementById("prologue");
  var addPrefixes = document.getElementById("add-prefixes");
  var status = document.getElementById("editor-status");
  var copyLink = document.getElementById("copy-link");
  var examples = null;
  var terms = [];
  var known = readPrologue(); // prefix -> namespace, the site's predeclared ones

  // Until the editor arrives (or if it never does), the textarea is the editor.
  var editor = {
    text: function () { return textarea.value; },
    setText: function (text) { textarea.value = text; },
    focus: function () { textarea.focus(); }
  };

  function readPrologue() {
    var found = {};
    if (!prologue) { return found; }
    prologue.textContent.split("\n").forEach(function (line) {
      var match = /^PREFIX\s+([\w.-]*):\s*<([^>]*)>/i.exec(line.trim());
      if (match) { found[match[1]] = match[2]; }
    });
    return found;
  }

  function say(message) {
    if (status) { status.textContent = message; }
  }

  function run() {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  // The query's text with comments, strings and <IRIs> blanked out, so that a "#", a quote or
  // a colon inside them is never read as SPARQL.
  function code(text) {
    return text.replace(/#[^\n]*|"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>\s"{}|^`\\]*>/g,
      function (part) { return part.replace(/[^\n]/g, " "); });
  }

  function declaredPrefixes(text) {
    var found = {};
    var pattern = /\bPREFIX\s+([\w.-]*):/gi;
    var match;
    while ((match = pattern.exec(code(text))) !== null) { found[match[1]] = true; }
    return found;
  }

  function usedPrefixes(text) {
    var found = [];
    var pattern = /(^|[^\w?$:.\-])([A-Za-z][\w.-]*)?:(?=[\w%\\(]|\s|$)/g;
    var cleaned = code(text).replace(/\bPREFIX\s+[\w.-]*:/gi, "");
    var match;
    while ((match = pattern.exec(cleaned)) !== null) {
      var name = match[2] || "";
      if (found.indexOf(name) === -1) { found.push(name); }
    }
    return found;
  }

  // Prefixes completion offers: the site's, and those the query declares itself.
  function allPrefixes() {
    var found = {};
    Object.keys(known).forEach(function (name) { found[name] = known[name]; });
    var pattern = /\bPREFIX\s+([\w.-]*):\s*<([^>]*)>/gi;
    var match;
    while ((match = pattern.exec(editor.text())) !== null) { found[match[1]] = match[2]; }
    return found;
  }

  // Ctrl+Enter (Cmd+Enter on a Mac) runs the query from the plain textarea too.
  if (textarea && form) {
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        run();
      }
    });
  }

  // The editor and the vocabulary it completes, both served by this site.
  if (textarea && textarea.dataset.editor) {
    import(textarea.dataset.editor).then(function (module) {
      editor = module.createEditor(textarea, {
        nonce: textarea.dataset.nonce,
        label: "query-label",
        run: run,
        prefixes: allPrefixes,
        terms: function () { return terms; }
      });
      form.classList.add("has-editor");
    }).catch(function () { say("The plain editor is shown: the highlighting editor could not load."); });
    fetch(textarea.dataset.terms, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        terms = data.terms || [];
        Object.keys(data.prefixes || {}).forEach(function (name) { known[name] = data.prefixes[name]; });
      })
      .catch(function () { terms = []; });
  }

  // Choosing an example puts its text and its parameters in the form without reloading.
  var exampleName = document.getElementById("example-name");
  var parameterBox = document.getElementById("example-parameters");
  var parameterFields = document.getElementById("parameter-fields");

  function showParameters(chosen) {
    if (!parameterBox || !parameterFields) { return; }
    parameterFields.textContent = "";
    var names = Object.keys(chosen.params || {});
    names.forEach(function (name) {
      var row = document.createElement("div");
      row.className = "parameter";
      var label = document.createElement("label");
      label.htmlFor = "param-" + name;
      var required = (chosen.required || []).indexOf(name) !== -1;
      label.textContent = name + (required ? " (required)" : " (optional)");
      var hint = document.createElement("span");
      hint.className = "hint";
      hint.id = "param-" + name + "-hint";
      hint.textContent = chosen.params[name];
      var input = document.createElement("input");
      input.type = "text";
      input.id = "param-" + name;
      input.name = name;
      input.spellcheck = false;
      input.setAttribute("autocapitalize", "off");
      input.setAttribute("aria-describedby", hint.id);
      row.appendChild(label);
      row.appendChild(hint);
      row.appendChild(input);
      parameterFields.appendChild(row);
    });
    parameterBox.hidden = names.length === 0;
  }

  function showExample(name) {
    var chosen = examples && examples.filter(function (e) { return e.name === name; })[0];
    if (!chosen) { return; }
    editor.setText(chosen.query);
    if (description) { description.textContent = chosen.description; }
    if (exampleName) { exampleName.value = name; exampleName.disabled = false; }
    showParameters(chosen);
    editor.focus();
  }

  if (picker && textarea) {
    picker.addEventListener("change", function () {
      var name = picker.value;
      if (!name) { return; }
      if (examples) { showExample(name); return; }
      fetch(textarea.dataset.examples, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { examples = data.examples; showExample(name); })
        .catch(function () { picker.form.submit(); });
    });
  }

  // Write the PREFIX lines the query needs but does not declare (for copying it elsewhere),
  // after its own PREFIX and BASE lines.
  if (addPrefixes && textarea) {
    addPrefixes.hidden = false;
    addPrefixes.addEventListener("click", function () {
      var text = editor.text();
      var declared = declaredPrefixes(text);
      var missing = usedPrefixes(text).filter(function (name) { return !declared[name]; });
      var prefixes = allPrefixes();
      var lines = missing.filter(function (name) { return prefixes[name]; }).map(function (name) {
        return "PREFIX " + name + ": <" + prefixes[name] + ">";
      });
      var unknown = missing.filter(function (name) { return !prefixes[name]; });
      if (lines.length) {
        var all = text.split("\n");
        var after = 0;
        all.forEach(function (line, i) { if (/^\s*(PREFIX|BASE)\b/i.test(line)) { after = i + 1; } });
        all.splice(after, 0, lines.join("\n"));
        editor.setText(all.join("\n"));
      }
      var message = lines.length ? "Added " + lines.length + " PREFIX " + (lines.length === 1 ? "line" : "lines") + "." :
        "Every prefix the query uses is already declared.";
      if (unknown.length) {
        message += " This site does not know " + unknown.map(function (n) { return n + ":"; }).join(", ") +
          ": declare it with its namespace.";
      }
      say(message);
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
