// Nigehban network view: draws the neighbourhood of a node with the vendored Cytoscape.js,
// opens a node's neighbours when it is selected, and highlights the shortest chain between two
// nodes. Everything shown comes from the server, which leaves out what the user may not see;
// the script never invents a label. A plain list of the visible nodes (#network-list) offers the
// same exploration by keyboard. Texts come from data-label-* attributes (English or Urdu).
// Does nothing on pages without #network-graph.
(function () {
  "use strict";

  var root = document.getElementById("network-graph");
  if (!root) return;
  var details = document.getElementById("network-details");
  var pathForm = document.getElementById("network-path");
  var api = root.getAttribute("data-api") || "/api/v1/network";
  var focusKey = root.getAttribute("data-focus") || "";
  var csrf = root.getAttribute("data-csrf") || "";

  // Shapes and colours by kind; anything unknown is drawn as a grey circle.
  var KINDS = {
    person: { shape: "ellipse", color: "#1f6feb" },
    phone: { shape: "round-rectangle", color: "#1a7f37" },
    cnic: { shape: "rectangle", color: "#8250df" },
    passport: { shape: "rectangle", color: "#bf3989" },
    bank_account: { shape: "diamond", color: "#bc4c00" },
    hawala_account: { shape: "diamond", color: "#9a6700" },
    address: { shape: "triangle", color: "#57606a" },
    vehicle: { shape: "round-triangle", color: "#0969da" },
    "case": { shape: "hexagon", color: "#6639ba" },
    batch: { shape: "barrel", color: "#1b7c83" },
    route: { shape: "tag", color: "#7d4e00" }
  };
  var AGENT = "#d1242f";
  var PATH = "#d4a72c";

  function label(name, fallback) {
    var v = root.getAttribute("data-label-" + name);
    return v === null || v === "" ? fallback : v;
  }
  function kindLabel(kind) {
    return label("kind-" + kind, kind);
  }

  // What the server told us, by key.
  var nodes = {};
  var edges = {};
  var expanded = {};
  var selected = null;
  var pending = 0;

  function setState(delta) {
    pending += delta;
    root.setAttribute("data-state", pending > 0 ? "loading" : "ready");
  }

  function getJson(url) {
    var headers = { Accept: "application/json" };
    if (csrf) headers["X-CSRF-Token"] = csrf;
    return fetch(url, { credentials: "same-origin", headers: headers }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (body) {
        if (!r.ok) {
          // The API answers {"error": {"code", "message"}}; a plain string is accepted too.
          var e = body && body.error;
          var message = typeof e === "string" ? e : (e && typeof e.message === "string" ? e.message : String(r.status));
          throw new Error(message);
        }
        return body || {};
      });
    });
  }

  // Each line is a first-strong isolate: Cytoscape draws labels on detached canvases, which
  // take the page's direction, and on Urdu pages "0300-***1" would come out as "1***-0300".
  function isolate(line) {
    return "\u2068" + line + "\u2069";
  }
  function display(n) {
    var lines = [n.label || n.key];
    if (n.hidden_neighbours > 0) {
      lines.push("+" + n.hidden_neighbours + " " + label("hidden", ""));
    }
    return lines.map(isolate).join("\n");
  }

  // ---- the drawing (optional: without Cytoscape the list and details still work) ----

  var cy = null;
  if (typeof window.cytoscape === "function") {
    // Cytoscape adds a <style> element for its container, which the Content Security Policy
    // refuses; a placeholder with its id stops that, and the one rule is set here instead.
    if (!document.getElementById("__________cytoscape_stylesheet")) {
      var placeholder = document.createElement("meta");
      placeholder.id = "__________cytoscape_stylesheet";
      document.head.appendChild(placeholder);
    }
    root.style.position = "relative";
    if (!root.style.height && root.clientHeight < 100) root.style.height = "32rem";
    var font = window.getComputedStyle(root).fontFamily || "sans-serif";
    var style = [
      {
        selector: "node",
        style: {
          label: "data(display)",
          "font-family": font,
          "font-size": 11,
          "text-wrap": "wrap",
          "text-max-width": 140,
          "text-valign": "bottom",
          "text-margin-y": 4,
          "background-color": "#8c959f",
          "border-width": 1,
          "border-color": "#ffffff",
          width: 26,
          height: 26
        }
      },
      {
        selector: "edge",
        style: {
          width: 1.5,
          "line-color": "#afb8c1",
          "curve-style": "bezier",
          "target-arrow-shape": "none",
          label: "data(label)",
          "font-size": 9,
          color: "#57606a",
          "text-rotation": "autorotate",
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.8
        }
      },
      { selector: "edge.directed", style: { "target-arrow-shape": "triangle", "target-arrow-color": "#afb8c1" } },
      { selector: "node.agent", style: { "border-color": AGENT, "border-width": 4 } },
      { selector: "node.watchlisted", style: { "border-style": "double", "border-width": 6 } },
      { selector: "node.pseudonymised", style: { "font-style": "italic" } },
      { selector: "node.focus", style: { width: 38, height: 38, "font-weight": "bold" } },
      { selector: "node:selected", style: { "overlay-color": "#0969da", "overlay-opacity": 0.2, "overlay-padding": 6 } },
      { selector: ".faded", style: { opacity: 0.25 } },
      { selector: "node.on-path", style: { "border-color": PATH, "border-width": 5, opacity: 1 } },
      { selector: "edge.on-path", style: { "line-color": PATH, "target-arrow-color": PATH, width: 5, opacity: 1 } }
    ];
    Object.keys(KINDS).forEach(function (k) {
      style.push({
        selector: "node." + k,
        style: { shape: KINDS[k].shape, "background-color": KINDS[k].color }
      });
    });
    cy = window.cytoscape({
      container: root,
      style: style,
      minZoom: 0.1,
      maxZoom: 4,
      boxSelectionEnabled: false
    });
    cy.on("tap", "node", function (ev) {
      choose(ev.target.id());
    });
    // Labels are drawn once; draw them again when the Nastaliq font has arrived.
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(function () { cy.style().update(); });
    }
  }

  function classesOf(n) {
    var c = [n.kind];
    if (n.agent) c.push("agent");
    if (n.watchlisted) c.push("watchlisted");
    if (n.pseudonymised) c.push("pseudonymised");
    if (n.key === focusKey) c.push("focus");
    return c.join(" ");
  }

  // Adds what is new in a response; returns the keys of the nodes added.
  function merge(data) {
    var added = [];
    (data.nodes || []).forEach(function (n) {
      if (!n || typeof n.key !== "string") return;
      var known = nodes[n.key];
      nodes[n.key] = n;
      if (!known) added.push(n.key);
      if (cy) {
        var el = cy.getElementById(n.key);
        var d = { id: n.key, display: display(n), kind: n.kind };
        if (el.empty()) {
          cy.add({ group: "nodes", data: d, classes: classesOf(n) });
        } else {
          el.data(d);
          el.classes(classesOf(n));
        }
      }
    });
    (data.edges || []).forEach(function (e) {
      if (!e || typeof e.key !== "string" || edges[e.key]) return;
      if (!nodes[e.from] || !nodes[e.to]) return;
      edges[e.key] = e;
      if (cy) {
        cy.add({
          group: "edges",
          data: { id: "edge:" + e.key, source: e.from, target: e.to, label: e.label ? isolate(e.label) : "" },
          classes: e.kind + (e.kind === "paid_to" || e.kind === "mentioned_agent" ? " directed" : "")
        });
      }
    });
    return added;
  }

  // Puts new nodes on a ring around `centre` (fixed order, so the picture is the same each
  // time), then lets the force layout settle that part with everything else held still.
  function place(added, centreKey) {
    if (!cy || added.length === 0) return;
    var centre = centreKey ? cy.getElementById(centreKey) : cy.collection();
    var fresh = cy.collection();
    added.slice().sort().forEach(function (k) { fresh = fresh.union(cy.getElementById(k)); });
    var first = cy.nodes().length === fresh.length;
    if (centre.nonempty() && fresh.contains(centre) && first) centre.position({ x: 0, y: 0 });
    var c = centre.nonempty() ? centre.position() : { x: 0, y: 0 };
    var ring = fresh.difference(centre);
    var radius = 90 + 12 * ring.length;
    ring.forEach(function (node, i) {
      var a = (2 * Math.PI * i) / Math.max(ring.length, 1);
      node.position({ x: c.x + radius * Math.cos(a), y: c.y + radius * Math.sin(a) });
    });
    var options = {
      name: "cose",
      randomize: false,
      animate: false,
      fit: first,
      padding: 30,
      nodeDimensionsIncludeLabels: true
    };
    if (first) {
      cy.layout(options).run();
      return;
    }
    // Only the new part moves: the rest (and the node it hangs from) is held in place.
    var part = fresh.union(centre);
    var held = cy.nodes().difference(fresh);
    held.lock();
    options.boundingBox = { x1: c.x - radius * 1.5, y1: c.y - radius * 1.5, w: radius * 3, h: radius * 3 };
    part.union(part.edgesWith(part)).layout(options).run();
    held.unlock();
  }

  // ---- the list and the details panel ----

  var list = document.createElement("ul");
  list.id = "network-list";
  list.className = "network-list";
  var anchor = root.closest(".network") || root;
  anchor.parentNode.insertBefore(list, anchor.nextSibling);

  function sortedKeys() {
    return Object.keys(nodes).sort(function (a, b) {
      var x = nodes[a], y = nodes[b];
      if (x.kind !== y.kind) return x.kind < y.kind ? -1 : 1;
      var lx = (x.label || x.key), ly = (y.label || y.key);
      if (lx !== ly) return lx < ly ? -1 : 1;
      return a < b ? -1 : a > b ? 1 : 0;
    });
  }

  function renderList() {
    var active = document.activeElement;
    var activeKey = active && active.parentNode && active.parentNode.parentNode === list ? active.getAttribute("data-key") : null;
    while (list.firstChild) list.removeChild(list.firstChild);
    sortedKeys().forEach(function (k) {
      var n = nodes[k];
      var li = document.createElement("li");
      var b = document.createElement("button");
      b.type = "button";
      b.setAttribute("data-key", k);
      b.setAttribute("data-kind", n.kind);
      if (n.agent) b.setAttribute("data-agent", "true");
      var text = kindLabel(n.kind) + ": " + (n.label || k);
      if (n.agent) text += " (" + label("agent", "agent") + ")";
      if (n.hidden_neighbours > 0) text += " +" + n.hidden_neighbours + " " + label("hidden", "");
      b.textContent = text;
      if (k === selected) b.setAttribute("aria-current", "true");
      b.addEventListener("click", function () { choose(k); });
      li.appendChild(b);
      list.appendChild(li);
      if (k === activeKey) b.focus();
    });
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function clearDetails() {
    if (!details) return null;
    while (details.firstChild) details.removeChild(details.firstChild);
    return details;
  }

  function showError(message) {
    var d = clearDetails();
    if (!d) return;
    var p = el("p", message, "error");
    p.setAttribute("role", "alert");
    d.appendChild(p);
  }

  function otherEnd(e, key) {
    return e.from === key ? e.to : e.from;
  }

  function showDetails(key) {
    var d = clearDetails();
    var n = nodes[key];
    if (!d || !n) return;
    d.setAttribute("data-key", key);
    d.appendChild(el("h2", n.label || key));
    d.appendChild(el("p", kindLabel(n.kind), "kind"));
    if (n.agent) d.appendChild(el("p", label("agent", "agent"), "agent"));
    var facts = el("dl");
    facts.appendChild(el("dt", label("degree", "degree")));
    facts.appendChild(el("dd", n.degree === undefined ? "" : String(n.degree)));
    if (n.hidden_neighbours > 0) {
      facts.appendChild(el("dd", "+" + n.hidden_neighbours + " " + label("hidden", ""), "hidden-count"));
    }
    d.appendChild(facts);
    var mine = Object.keys(edges).sort().map(function (k) { return edges[k]; }).filter(function (e) {
      return e.from === key || e.to === key;
    });
    if (mine.length > 0) {
      d.appendChild(el("h3", label("evidence", "evidence")));
      var ul = el("ul", null, "evidence");
      mine.forEach(function (e) {
        var other = nodes[otherEnd(e, key)];
        var li = el("li");
        li.appendChild(el("strong", other ? (other.label || other.key) : otherEnd(e, key)));
        if (e.label) li.appendChild(document.createTextNode(" (" + e.label + ")"));
        if (e.evidence) li.appendChild(document.createTextNode(": " + e.evidence));
        ul.appendChild(li);
      });
      d.appendChild(ul);
    } else if (expanded[key]) {
      d.appendChild(el("p", label("empty", ""), "empty"));
    }
    var b = el("button", label("expand", key));
    b.type = "button";
    b.className = "network-expand";
    b.addEventListener("click", function () { expand(key); });
    d.appendChild(b);
  }

  // ---- loading ----

  function clearPath() {
    if (!cy) return;
    cy.elements().removeClass("on-path faded");
  }

  function expand(key) {
    if (!key) return Promise.resolve();
    setState(1);
    return getJson(api + "/neighbours?node=" + encodeURIComponent(key)).then(function (data) {
      expanded[key] = true;
      var added = merge(data);
      place(added, key);
      renderList();
      if (selected === key || !selected) {
        selected = key;
        showDetails(key);
      }
    }).catch(function (err) {
      showError(err && err.message ? err.message : String(err));
    }).then(function () {
      setState(-1);
    });
  }

  function choose(key) {
    selected = key;
    clearPath();
    if (cy) {
      cy.nodes().unselect();
      cy.getElementById(key).select();
    }
    renderList();
    showDetails(key);
    if (!expanded[key]) expand(key);
  }

  function findPath(from, to) {
    setState(1);
    var url = api + "/path?from=" + encodeURIComponent(from) + "&to=" + encodeURIComponent(to);
    return getJson(url).then(function (data) {
      var added = merge(data);
      place(added, from);
      renderList();
      var path = Array.isArray(data.path) ? data.path : [];
      clearPath();
      var d = clearDetails();
      if (path.length === 0) {
        if (d) d.appendChild(el("p", label("no-path", label("empty", "")), "empty"));
        root.setAttribute("data-path", "");
        return;
      }
      root.setAttribute("data-path", path.join(" "));
      if (cy) {
        var on = cy.collection();
        path.forEach(function (k, i) {
          on = on.union(cy.getElementById(k));
          if (i > 0) {
            on = on.union(cy.getElementById(path[i - 1]).edgesWith(cy.getElementById(k)));
          }
        });
        cy.elements().addClass("faded");
        on.removeClass("faded").addClass("on-path");
        cy.fit(on, 40);
      }
      if (d) {
        var ol = el("ol", null, "path");
        path.forEach(function (k, i) {
          var n = nodes[k];
          var li = el("li");
          li.appendChild(el("strong", n ? (n.label || k) : k));
          li.appendChild(document.createTextNode(" (" + kindLabel(n ? n.kind : "") + ")"));
          if (i > 0) {
            var prev = path[i - 1];
            Object.keys(edges).sort().some(function (ek) {
              var e = edges[ek];
              if ((e.from === prev && e.to === k) || (e.from === k && e.to === prev)) {
                if (e.evidence) li.appendChild(document.createTextNode(": " + e.evidence));
                return true;
              }
              return false;
            });
          }
          ol.appendChild(li);
        });
        d.appendChild(ol);
      }
    }).catch(function (err) {
      showError(err && err.message ? err.message : String(err));
    }).then(function () {
      setState(-1);
    });
  }

  if (pathForm) {
    pathForm.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var from = (pathForm.elements.from && pathForm.elements.from.value || "").trim();
      var to = (pathForm.elements.to && pathForm.elements.to.value || "").trim();
      if (from && to) findPath(from, to);
    });
  }

  window.nigehbanNetwork = {
    cy: cy,
    expand: expand,
    path: findPath,
    nodeKeys: function () { return Object.keys(nodes).sort(); }
  };

  if (focusKey) {
    selected = focusKey;
    expand(focusKey);
  } else {
    root.setAttribute("data-state", "ready");
  }
})();
