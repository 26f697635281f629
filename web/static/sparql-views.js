// The answer on the query page, seen another way: a bar chart (a column of names and one of
// numbers, such as a GROUP BY with COUNT), the map the server drew (when the answer names
// localities or wards) or a node-link graph (a CONSTRUCT or DESCRIBE answer). Everything is
// drawn here from the table already on the page, so the table stays the one source and the
// page keeps working without this script. SVG only, classes for styling (no style
// attributes: the Content-Security-Policy refuses them).
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var MAX_BARS = 200;
  var MAX_NODES = 150;
  var NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

  var box = document.getElementById("result-views");
  var tableBox = document.getElementById("result-table");
  if (!box || !tableBox) { return; }

  function readTable() {
    var columns = Array.prototype.map.call(tableBox.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    var rows = Array.prototype.map.call(tableBox.querySelectorAll("tbody tr"), function (tr) {
      return Array.prototype.map.call(tr.children, function (td) {
        return { value: td.dataset.value || "", href: td.dataset.href || "" };
      });
    });
    return { columns: columns, rows: rows };
  }

  function make(name, attributes, text) {
    var element = document.createElementNS(SVG, name);
    Object.keys(attributes || {}).forEach(function (key) { element.setAttribute(key, attributes[key]); });
    if (text !== undefined) { element.textContent = text; }
    return element;
  }

  function shorten(text, most) {
    return text.length > most ? text.slice(0, most - 1) + "…" : text;
  }

  function message(text) {
    var p = document.createElement("p");
    p.className = "view-message";
    p.textContent = text;
    return p;
  }

  function downloadLink(svg, filename) {
    var link = document.createElement("a");
    var text = new XMLSerializer().serializeToString(svg);
    link.href = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
    link.download = filename;
    link.textContent = "Download this picture (SVG)";
    return link;
  }

  // The column to measure: the first whose every value is a number. The names: a column of
  // plain text (not links) if there is one, else the first column that is not numbers.
  function chartColumns(table) {
    var numeric = function (i) {
      var values = table.rows.map(function (row) { return row[i] ? row[i].value : ""; });
      return values.some(function (v) { return v !== ""; }) &&
        values.every(function (v) { return v === "" || NUMBER.test(v); });
    };
    var measure = -1;
    var others = [];
    table.columns.forEach(function (_, i) {
      if (measure === -1 && numeric(i)) { measure = i; } else if (!numeric(i)) { others.push(i); }
    });
    var plain = others.filter(function (i) {
      return table.rows.every(function (row) { return !row[i] || !row[i].href; });
    });
    return { measure: measure, label: plain.length ? plain[0] : (others.length ? others[0] : -1) };
  }

  function barChart(table) {
    var panel = document.createElement("div");
    var chosen = chartColumns(table);
    if (!table.rows.length || chosen.measure === -1 || chosen.label === -1) {
      panel.appendChild(message("No bar chart for these results: a bar chart needs a column of " +
        "names and a column of numbers, such as a GROUP BY with COUNT."));
      return panel;
    }
    var rows = table.rows.slice(0, MAX_BARS);
    var values = rows.map(function (row) { return Number(row[chosen.measure].value || 0); });
    var most = Math.max.apply(null, values.map(Math.abs).concat([1]));
    // drawn at the width it is shown at (a phone's too), so its text stays readable
    var width = Math.max(300, Math.min(720, box.clientWidth || 720));
    var labelWidth = Math.round(width * 0.38), barArea = width - labelWidth - 50, step = 26, top = 8;
    var labelChars = Math.floor((labelWidth - 8) / 8); // 13px text: about 8px a letter at most
    var height = top + rows.length * step + 8;
    var titleText = "Bar chart of " + table.columns[chosen.measure] + " by " + table.columns[chosen.label];
    var svg = make("svg", {
      "class": "bar-chart", viewBox: "0 0 " + width + " " + height, role: "img",
      "aria-labelledby": "bar-chart-title"
    });
    svg.appendChild(make("title", { id: "bar-chart-title" }, titleText));
    rows.forEach(function (row, i) {
      var y = top + i * step;
      var name = row[chosen.label] ? row[chosen.label].value : "";
      var value = values[i];
      var group = make("g", { "class": "bar-row" });
      group.appendChild(make("title", {}, name + ": " + row[chosen.measure].value));
      group.appendChild(make("text", { x: labelWidth - 8, y: y + 17, "class": "bar-label" },
        shorten(name || "(no name)", labelChars)));
      group.appendChild(make("rect", {
        "class": "bar", x: labelWidth, y: y + 3, height: step - 8,
        width: Math.max(1, Math.abs(value) / most * barArea).toFixed(1)
      }));
      group.appendChild(make("text", {
        x: labelWidth + Math.abs(value) / most * barArea + 6, y: y + 17, "class": "bar-value"
      }, row[chosen.measure].value));
      svg.appendChild(group);
    });
    var heading = document.createElement("p");
    heading.className = "view-caption";
    heading.textContent = titleText + (table.rows.length > MAX_BARS ?
      " (the first " + MAX_BARS + " rows)." : ".");
    panel.appendChild(heading);
    panel.appendChild(svg);
    panel.appendChild(downloadLink(svg, "answer-chart.svg"));
    return panel;
  }

  // A node-link drawing of the triples: things (links) are nodes, each statement between two
  // things an edge; rdfs:label gives a node its name, rdf:type its colour.
  function graphView(table) {
    var panel = document.createElement("div");
    if (box.dataset.graph !== "yes" || !table.rows.length) {
      panel.appendChild(message("No graph for these results: a graph is drawn from the triples " +
        "of a CONSTRUCT or DESCRIBE answer."));
      return panel;
    }
    var nodes = {}, order = [], edges = [], types = [];
    function node(cell) {
      if (!nodes[cell.value]) {
        if (order.length >= MAX_NODES) { return null; }
        nodes[cell.value] = { id: cell.value, name: cell.value, href: cell.href, x: 0, y: 0, dx: 0, dy: 0, type: -1 };
        order.push(nodes[cell.value]);
      }
      return nodes[cell.value];
    }
    table.rows.forEach(function (row) {
      var subject = row[0], predicate = row[1] ? row[1].value : "", object = row[2];
      if (!subject || !object) { return; }
      var from = node(subject);
      if (!from) { return; }
      if (predicate === "rdfs:label") { from.name = object.value; return; }
      if (!object.href) { return; }
      if (predicate === "rdf:type") {
        if (types.indexOf(object.value) === -1) { types.push(object.value); }
        from.type = types.indexOf(object.value);
        return;
      }
      var to = node(object);
      if (to && to !== from) { edges.push([from, to, predicate]); }
    });
    var width = Math.max(320, Math.min(720, box.clientWidth || 720)); // as shown, phones too
    var height = Math.round(width * (order.length > 60 ? 1 : 0.78));
    order.forEach(function (n, i) { // a spiral, so no two start in the same place
      var angle = i * 2.4, radius = 10 + 4 * Math.sqrt(i) * 10;
      n.x = width / 2 + Math.cos(angle) * Math.min(radius, width / 2 - 30);
      n.y = height / 2 + Math.sin(angle) * Math.min(radius, height / 2 - 30);
    });
    layout(order, edges, width, height);
    var svg = make("svg", {
      "class": "graph-view", viewBox: "0 0 " + width + " " + height, role: "group",
      "aria-labelledby": "graph-view-title"
    });
    svg.appendChild(make("title", { id: "graph-view-title" },
      "Graph of the answer: " + order.length + " things and " + edges.length + " links between them"));
    edges.forEach(function (edge) {
      var line = make("line", {
        "class": "graph-edge", x1: edge[0].x.toFixed(1), y1: edge[0].y.toFixed(1),
        x2: edge[1].x.toFixed(1), y2: edge[1].y.toFixed(1)
      });
      line.appendChild(make("title", {}, edge[0].name + " " + edge[2] + " " + edge[1].name));
      svg.appendChild(line);
    });
    order.forEach(function (n) {
      var shape = make("g", { "class": "graph-node " + (n.type < 0 ? "untyped" : "type-" + n.type % 6) });
      shape.appendChild(make("circle", { cx: n.x.toFixed(1), cy: n.y.toFixed(1), r: 7 }));
      shape.appendChild(make("text", { x: (n.x + 10).toFixed(1), y: (n.y + 4).toFixed(1) }, shorten(n.name, 28)));
      shape.appendChild(make("title", {}, n.name));
      if (n.href) {
        var link = make("a", { href: n.href, "aria-label": n.name });
        link.appendChild(shape);
        svg.appendChild(link);
      } else {
        svg.appendChild(shape);
      }
    });
    var caption = document.createElement("p");
    caption.className = "view-caption";
    caption.textContent = order.length + " things, " + edges.length + " links" +
      (order.length >= MAX_NODES ? " (the first " + MAX_NODES + " things)" : "") +
      ". Colours show what kind of thing each is; follow a dot to its page.";
    panel.appendChild(caption);
    panel.appendChild(svg);
    panel.appendChild(legend(types, order.some(function (n) { return n.type < 0; })));
    panel.appendChild(downloadLink(svg, "answer-graph.svg"));
    return panel;
  }

  // What each colour of dot means: the first six kinds (rdf:type) by name.
  function legend(types, untyped) {
    var list = document.createElement("ul");
    list.className = "graph-legend";
    var entries = types.slice(0, 6).map(function (name, i) { return [name, "type-" + i]; });
    if (untyped) { entries.push(["no kind given", "untyped"]); }
    entries.forEach(function (entry) {
      var item = document.createElement("li");
      var swatch = make("svg", { viewBox: "0 0 16 16", width: 16, height: 16, "aria-hidden": "true" });
      var dot = make("g", { "class": "graph-node " + entry[1] });
      dot.appendChild(make("circle", { cx: 8, cy: 8, r: 6 }));
      swatch.appendChild(dot);
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(" " + entry[0]));
      list.appendChild(item);
    });
    return list;
  }

  // A plain force layout (Fruchterman and Reingold): all things push apart, linked things
  // pull together, and a pull towards the centre, as strong as the pushing at the edge of a
  // disc that fits the frame, keeps loose pairs from drifting to the border. Fixed start and
  // no randomness: the same answer always gives the same picture.
  function layout(order, edges, width, height) {
    var cx = width / 2, cy = height / 2;
    var k = Math.min(width, height) * 0.5 / Math.sqrt(Math.max(order.length, 1));
    var steps = 300;
    for (var step = 0; step < steps; step++) {
      var heat = width / 10 * (1 - step / steps) + 0.5;
      order.forEach(function (n) { n.dx = cx - n.x; n.dy = cy - n.y; });
      for (var i = 0; i < order.length; i++) {
        for (var j = i + 1; j < order.length; j++) {
          var a = order[i], b = order[j];
          var dx = a.x - b.x, dy = a.y - b.y, d = Math.max(Math.sqrt(dx * dx + dy * dy), 0.5);
          var push = k * k / d / d;
          a.dx += dx * push; a.dy += dy * push; b.dx -= dx * push; b.dy -= dy * push;
        }
      }
      edges.forEach(function (edge) {
        var a = edge[0], b = edge[1];
        var dx = b.x - a.x, dy = b.y - a.y, d = Math.max(Math.sqrt(dx * dx + dy * dy), 0.5);
        var pull = d / k;
        a.dx += dx * pull; a.dy += dy * pull; b.dx -= dx * pull; b.dy -= dy * pull;
      });
      order.forEach(function (n) {
        var length = Math.sqrt(n.dx * n.dx + n.dy * n.dy) || 1;
        n.x = Math.min(width - 110, Math.max(20, n.x + n.dx / length * Math.min(length, heat)));
        n.y = Math.min(height - 20, Math.max(20, n.y + n.dy / length * Math.min(length, heat)));
      });
    }
  }

  function mapView() {
    var figure = document.getElementById("result-map");
    var panel = document.createElement("div");
    if (figure) { panel.appendChild(figure); } else {
      panel.appendChild(message("No map for these results: they name no locality or ward of " +
        "Greater Manchester."));
    }
    return panel;
  }

  var table = readTable();
  var panels = {
    table: tableBox,
    chart: barChart(table),
    map: mapView(),
    graph: graphView(table)
  };
  var names = { table: "Table", chart: "Bar chart", map: "Map", graph: "Graph" };
  var buttons = document.createElement("div");
  buttons.className = "view-buttons";
  buttons.setAttribute("role", "group");
  buttons.setAttribute("aria-label", "Show the answer as");
  Object.keys(names).forEach(function (view) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = names[view];
    button.dataset.view = view;
    button.setAttribute("aria-pressed", view === "table" ? "true" : "false");
    button.addEventListener("click", function () { show(view); });
    buttons.appendChild(button);
    if (view !== "table") {
      panels[view].className = "view-panel view-" + view;
      panels[view].hidden = true;
      tableBox.parentNode.insertBefore(panels[view], tableBox.nextSibling);
    }
  });
  box.appendChild(buttons);

  function show(view) {
    Object.keys(panels).forEach(function (name) { panels[name].hidden = name !== view; });
    Array.prototype.forEach.call(buttons.children, function (button) {
      button.setAttribute("aria-pressed", button.dataset.view === view ? "true" : "false");
    });
  }
}());
