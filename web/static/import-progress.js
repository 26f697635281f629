// The page of an import running in the background, kept up to date by a script (without one,
// its "Check again" link reloads it): the steps are fetched from the job's JSON twin every
// second or so and written into the list in place (a polite live region, so a screen reader
// hears each new step); when the job has ended the page is loaded again, and the server then
// shows the full report.
(function () {
  "use strict";

  var job = document.getElementById("import-job");
  var list = document.getElementById("import-steps");
  if (!job || !list || !window.fetch) { return; }
  var address = job.getAttribute("data-status");
  var again = document.getElementById("import-job-again");
  if (again) { again.hidden = true; }  // the script checks by itself

  function describe(step) {
    var state = step.finished ? "done" : "working";
    if (!step.finished && step.total) { state += ", " + step.done + " of " + step.total; }
    return step.name + ": " + state + " (" + step.seconds + " s)";
  }

  function show(steps) {
    if (!steps.length) { return; }  // still waiting for its turn: the page says so already
    var items = list.querySelectorAll("li");
    steps.forEach(function (step, index) {
      var item = items[index];
      if (!item) {
        item = document.createElement("li");
        list.appendChild(item);
      }
      item.className = step.finished ? "done" : "working";
      item.textContent = describe(step);
    });
    for (var extra = steps.length; extra < items.length; extra += 1) { items[extra].remove(); }
  }

  function check() {
    fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("status " + response.status); }
        return response.json();
      })
      .then(function (answer) {
        show(answer.steps || []);
        if (answer.state === "running") {
          window.setTimeout(check, 1000);
        } else {
          window.location.replace(answer.page);
        }
      })
      .catch(function () {
        if (again) { again.hidden = false; }  // let the reader try by hand
      });
  }

  window.setTimeout(check, 500);
})();
