/* The interactive network on /analysis/network: zoom, pan, hover, click-through and filters.
 *
 * Progressive enhancement: the page is whole without this script (a server-drawn picture
 * and a table of clusters with links). When the data arrive, the picture is hidden and the
 * same network is drawn with the vendored Cytoscape.js, at the server's positions, so the two
 * agree. Nothing here writes HTML from data: names go in as text, so a name holding markup
 * stays a name.
 */
(function () {
  "use strict";

  //: how much further apart than the server's picture the nodes are drawn: names keep their
  //: size, so spreading the dots leaves room for the names between them
  var SPREAD = 1.8;
  // how the network looks: colours from the data, names once they are large enough to read
  var STYLE = [
    {
      selector: "node",
      style: {
        width: 18,
        height: 18,
        "background-color": "data(colour)",
        "border-width": 1.5,
        "border-color": "#ffffff",
        label: "data(label)",
        "font-family": "system-ui, sans-serif",
        // names show once the view is large enough to read them (Cytoscape rounds the zoom to
        // a power of two for this test: here, above half the picture's size)
        "font-size": 16,
        "min-zoomed-font-size": 12.5,
        color: "#0b0c0c",
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-wrap": "wrap",
        "text-max-width": "180px",
        "text-outline-color": "#ffffff",
        "text-outline-width": 2,
      },
    },
    {
      selector: 'node[kind != "community"]',
      style: {
        width: 11,
        height: 11,
        "background-color": "#505a5f",
        shape: "round-rectangle",
        "font-size": 13,
        "min-zoomed-font-size": 20,
      },
    },
    { selector: 'node[kind = "person"]', style: { shape: "diamond", width: 13, height: 13 } },
    {
      selector: "node.invented",
      style: { "border-color": "#0b0c0c", "border-style": "dashed", "border-width": 1.5 },
    },
    {
      selector: "edge",
      style: {
        width: "mapData(weight, 1, 12, 0.7, 6)",
        "line-color": "#b1b4b6",
        opacity: 0.8,
        "curve-style": "straight",
      },
    },
    {
      selector: 'edge[kind = "member"]',
      style: { width: 0.8, "line-style": "dashed", "line-color": "#8e9194" },
    },
    {
      selector: "node.hovered",
      style: {
        "border-color": "#0b0c0c",
        "border-width": 3,
        "font-weight": "bold",
        "min-zoomed-font-size": 0,
        "z-index": 10,
      },
    },
    { selector: ".filtered-out", style: { display: "none" } },
  ];

  var KINDS = { community: "Community", organisation: "Organisation", person: "Person" };
  var view = document.getElementById("network-view");
  if (!view || typeof window.cytoscape !== "function" || !window.fetch) {
    return; // the picture and the table stay as they are
  }
  var picture = document.getElementById("network-picture");
  var canvas = document.getElementById("network-canvas");
  var tooltip = document.getElementById("network-tooltip");
  var status = document.getElementById("network-status");
  var domainChoice = document.getElementById("network-domain");
  var placeChoice = document.getElementById("network-place");
  var showMembers = document.getElementById("network-members");
  var zoomShown = document.getElementById("network-zoom-level");
  var announce = document.getElementById("network-announce");

  fetch(view.getAttribute("data-source"), { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("the network's data answered " + response.status);
      }
      return response.json();
    })
    .then(start)
    .catch(function () {
      // the server's picture is still there: say so rather than show an empty box
      view.hidden = true;
    });

  function start(data) {
    view.hidden = false;
    if (picture) {
      picture.hidden = true;
    }
    fillChoices(domainChoice, data.domains);
    fillChoices(placeChoice, data.localities);
    fillKey(data.clusters);
    var cy = window.cytoscape({
      container: canvas,
      elements: elements(data),
      style: STYLE,
      layout: { name: "preset" },
      minZoom: 0.05,
      maxZoom: 8,
      autoungrabify: true,
      boxSelectionEnabled: false,
    });
    // for the browser tests, and for anyone exploring from the console
    window.copGraphNetwork = cy;
    var fitted = 1;

    function refit() {
      cy.fit(cy.elements(":visible"), 24);
      fitted = cy.zoom();
      showZoom();
    }
    function showZoom() {
      zoomShown.textContent = "Zoom " + Math.round((cy.zoom() / fitted) * 100) + "%";
    }
    function zoomBy(factor) {
      var middle = { x: cy.width() / 2, y: cy.height() / 2 };
      cy.zoom({ level: cy.zoom() * factor, renderedPosition: middle });
    }
    function filter() {
      var domain = domainChoice.value;
      var place = placeChoice.value;
      var shown = {};
      var communities = 0;
      var members = 0;
      cy.batch(function () {
        cy.nodes('[kind = "community"]').forEach(function (node) {
          var keep =
            (!domain || node.data("domains").indexOf(domain) >= 0) &&
            (!place || node.data("localities").indexOf(place) >= 0);
          node.toggleClass("filtered-out", !keep);
          if (keep) {
            shown[node.id()] = true;
            communities += 1;
          }
        });
        cy.nodes('[kind != "community"]').forEach(function (node) {
          var keep =
            showMembers.checked &&
            node.data("communities").some(function (c) {
              return shown[c];
            });
          node.toggleClass("filtered-out", !keep);
          members += keep ? 1 : 0;
        });
        cy.edges().forEach(function (edge) {
          var ends = edge.source().hasClass("filtered-out") || edge.target().hasClass("filtered-out");
          edge.toggleClass("filtered-out", ends);
        });
      });
      var total = cy.nodes('[kind = "community"]').length;
      status.textContent =
        "Showing " + communities + " of " + total + " communities" +
        (showMembers.checked ? " and " + members + " shared members" : "") + ".";
      refit();
    }

    function describe(node) {
      var words = node.data("label") + " (" + (KINDS[node.data("kind")] || node.data("kind"));
      if (node.data("cluster")) {
        words += ", cluster " + node.data("cluster");
      }
      return words + ")";
    }
    function point(node) {
      cy.nodes(".hovered").removeClass("hovered");
      node.addClass("hovered");
      tooltip.textContent = describe(node);
      var at = node.renderedPosition();
      tooltip.style.left = Math.max(0, Math.min(at.x, cy.width() - 40)) + "px";
      tooltip.style.top = at.y + 14 + "px";
      tooltip.hidden = false;
    }
    function unpoint() {
      cy.nodes(".hovered").removeClass("hovered");
      tooltip.hidden = true;
    }

    cy.on("mouseover", "node", function (event) {
      point(event.target);
      canvas.classList.add("pointing");
    });
    cy.on("mouseout", "node", function () {
      unpoint();
      canvas.classList.remove("pointing");
    });
    cy.on("viewport", function () {
      tooltip.hidden = true;
      showZoom();
    });

    // the keyboard: the arrow keys go from node to node in the order of their names
    var current = null;
    function step(by) {
      var shown = cy.nodes(":visible").sort(function (a, b) {
        return a.data("label").localeCompare(b.data("label"));
      });
      if (!shown.length) {
        return;
      }
      var at = current ? shown.indexOf(current) : -1;
      var next = at < 0 ? (by > 0 ? 0 : shown.length - 1) : (at + by + shown.length) % shown.length;
      current = shown[next];
      var box = cy.extent();
      var place = current.position();
      if (place.x < box.x1 || place.x > box.x2 || place.y < box.y1 || place.y > box.y2) {
        cy.center(current);
      }
      point(current);
      announce.textContent = describe(current) + ", " + (next + 1) + " of " + shown.length + ".";
    }
    canvas.addEventListener("keydown", function (event) {
      var keys = {
        ArrowRight: function () { step(1); },
        ArrowDown: function () { step(1); },
        ArrowLeft: function () { step(-1); },
        ArrowUp: function () { step(-1); },
        "+": function () { zoomBy(1.4); },
        "=": function () { zoomBy(1.4); },
        "-": function () { zoomBy(1 / 1.4); },
        "0": refit,
        Escape: function () { current = null; unpoint(); },
        Enter: function () {
          if (current && current.data("link")) {
            window.location.assign(current.data("link"));
          }
        },
      };
      if (keys[event.key] && !event.altKey && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        keys[event.key]();
      }
    });
    canvas.addEventListener("blur", function () {
      current = null;
      unpoint();
    });

    cy.on("tap", "node", function (event) {
      var link = event.target.data("link");
      if (link) {
        window.location.assign(link);
      }
    });
    document.getElementById("network-zoom-in").addEventListener("click", function () {
      zoomBy(1.4);
    });
    document.getElementById("network-zoom-out").addEventListener("click", function () {
      zoomBy(1 / 1.4);
    });
    document.getElementById("network-fit").addEventListener("click", refit);
    document.getElementById("network-png").addEventListener("click", function () {
      // what is on screen now (zoomed, filtered), at twice its size so the names stay sharp
      var file = URL.createObjectURL(cy.png({ output: "blob", bg: "#ffffff", scale: 2 }));
      var save = document.createElement("a");
      save.href = file;
      save.download = "cop-graph-network.png";
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(function () {
        URL.revokeObjectURL(file);
      }, 1000);
    });
    document.getElementById("network-controls").addEventListener("submit", function (event) {
      event.preventDefault();
    });
    [domainChoice, placeChoice, showMembers].forEach(function (control) {
      control.addEventListener("change", filter);
    });
    filter();
  }

  function elements(data) {
    var nodes = data.nodes.map(function (node) {
      var copy = Object.assign({}, node);
      delete copy.x;
      delete copy.y;
      return {
        group: "nodes",
        data: copy,
        position: { x: node.x * SPREAD, y: node.y * SPREAD },
        classes: node.illustrative ? "invented" : "",
      };
    });
    var links = data.links.map(function (link, index) {
      return {
        group: "edges",
        data: {
          id: "link-" + index,
          source: link.source,
          target: link.target,
          weight: link.weight,
          kind: link.kind,
        },
      };
    });
    return nodes.concat(links);
  }

  function fillChoices(select, choices) {
    choices.forEach(function (choice) {
      var option = document.createElement("option");
      option.value = choice.iri;
      option.textContent = choice.label + " (" + choice.communities + ")";
      select.appendChild(option);
    });
  }

  function fillKey(clusters) {
    var key = document.getElementById("network-key");
    clusters.forEach(function (cluster) {
      var item = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "network-swatch";
      swatch.style.backgroundColor = cluster.colour;
      item.appendChild(swatch);
      item.appendChild(
        document.createTextNode(
          "Cluster " + cluster.cluster + " (" + cluster.size + "): mostly " + cluster.label
        )
      );
      key.appendChild(item);
    });
  }
})();
