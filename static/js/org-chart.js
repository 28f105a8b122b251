// The interactive org chart, drawn over the server's picture (which stays for readers without
// JavaScript and for the download). The tree is laid out by d3-flextree; svg-pan-zoom pans and
// zooms. A role's reports that have no reports shown below them hang in a column off a spine on
// the left, so a long list of peers never reads as a chain of command.
(function () {
  "use strict";
  var dataEl = document.getElementById("org-chart-data");
  var holder = document.querySelector("[data-org-chart]");
  if (!dataEl || !holder || !window.d3 || !window.d3.flextree || !window.svgPanZoom) return;
  var data = JSON.parse(dataEl.textContent);
  // The graph (every role and line) comes apart, cached like the chart; until it has come, or if
  // it cannot, the server's picture stays.
  // (A fault in drawing is not caught here: it shows in the console.)
  fetch(data.graph, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; }, function () { return null; })
    .then(function (graph) {
      if (!graph) return;
      data.nodes = graph.nodes;
      data.edges = graph.edges;
      draw();
    });

  function draw() {
    var SVG_NS = "http://www.w3.org/2000/svg";
    var BOX_W = 220, H_GAP = 28, V_GAP = 56, INDENT = 28, STACK_GAP = 12, LINE_H = 17, CHARS = 27;
    var FILLS = { executive: "#e3eef6", senior_leader: "#e9f3ec", department_lead: "#f6f0e4" };

    // The graph: each role's first solid superior is its parent in the drawn tree; every other
    // line (a second superior, dotted, oversees, liaison) is drawn between the boxes when both show.
    var nodes = data.nodes.map(function (n, i) {
      return { i: i, slug: n[0], title: n[1], abbr: n[2], level: n[3], parent: null, kids: [] };
    });
    var extra = [];
    data.edges.forEach(function (e) {
      var sub = nodes[e[0]], sup = nodes[e[1]];
      if (e[2] === "reports_to" && sub.parent === null && !isAncestor(sub, sup)) {
        sub.parent = sup;
        sup.kids.push(sub);
      } else {
        extra.push({ sub: sub, sup: sup, kind: e[2] });
      }
    });
    function isAncestor(a, b) { // is a at or above b?
      for (var n = b; n; n = n.parent) if (n === a) return true;
      return false;
    }
    var roots = nodes.filter(function (n) { return n.parent === null; });
    var bySlug = {};
    nodes.forEach(function (n) { bySlug[n.slug] = n; });
    function height(n) {
      if (n.h === undefined) n.h = n.kids.length ? 1 + Math.max.apply(null, n.kids.map(height)) : 0;
      return n.h;
    }
    nodes.forEach(height);

    // What is open: like the server's chart, a large organisation starts with its bottom level folded.
    var open = new Set();
    function collapseAll() {
      open.clear();
      var large = nodes.length > data.collapseOver;
      nodes.forEach(function (n) { if (n.kids.length && (!large || n.h > 1)) open.add(n); });
    }
    function reveal(n) { for (var p = n.parent; p; p = p.parent) open.add(p); }
    collapseAll();
    var focus = data.focus ? bySlug[data.focus] : null;
    if (focus) { reveal(focus); if (focus.kids.length) open.add(focus); }

    function wrap(text) {
      var lines = [], line = "";
      text.split(/\s+/).forEach(function (word) {
        if (line && (line + " " + word).length > CHARS) { lines.push(line); line = word; }
        else line = line ? line + " " + word : word;
      });
      if (line) lines.push(line);
      return lines;
    }
    nodes.forEach(function (n) {
      n.lines = wrap(n.title);
      n.boxH = 22 + n.lines.length * LINE_H + (n.abbr ? 15 : 0);
    });

    // The layout tree: boxes, and "stacks" of reports that show nothing below them.
    function item(n) { return { box: n }; }
    function childItems(it) {
      if (it.stack || !open.has(it.box)) return null;
      var shown = it.box.kids;
      var branches = shown.filter(function (k) { return open.has(k) && k.kids.length; });
      var leaves = shown.filter(function (k) { return !(open.has(k) && k.kids.length); });
      if (!branches.length && leaves.length <= 4) return leaves.map(item);
      var out = branches.map(item);
      if (leaves.length) out.push({ stack: leaves });
      return out.length ? out : null;
    }
    function stackHeight(list) {
      return list.reduce(function (sum, n) { return sum + n.boxH + STACK_GAP; }, 0) - STACK_GAP;
    }
    var layout = window.d3.flextree({
      children: childItems,
      nodeSize: function (h) {
        var it = h.data;
        if (it.stack) return [INDENT + BOX_W + H_GAP, stackHeight(it.stack) + V_GAP];
        return [BOX_W + H_GAP, it.box.boxH + V_GAP];
      },
    });

    function el(name, attrs, parent) {
      var node = document.createElementNS(SVG_NS, name);
      Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
      if (parent) parent.appendChild(node);
      return node;
    }
    function fmt(template, values) {
      return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
    }

    var server = holder.querySelector("svg");
    var svg = el("svg", { class: "org-chart-live", role: "group", "aria-label": server ? server.querySelector("title").textContent : "" });
    svg.style.overflow = "hidden"; // set through the CSSOM, so svg-pan-zoom adds no style attribute (CSP)
    var viewport = el("g", { class: "svg-pan-zoom_viewport" }, svg);
    // The legend stays put outside the part that pans and zooms.
    var legend = server && server.querySelector(".legend");
    var legendHeight = 0;
    if (legend) {
      var key = el("g", { class: "org-legend", "aria-hidden": "true" }, svg);
      var lines = legend.querySelectorAll("line").length;
      legendHeight = 18 + lines * 20;
      el("rect", { x: 8, y: 4, width: 210, height: legendHeight - 4, rx: 4, fill: "#ffffff", stroke: "#d0d7de" }, key);
      key.appendChild(legend.cloneNode(true));
    }
    var place = {}; // slug -> {x, y, w, h} of the drawn box
    var found = null;

    function drawBox(n, x, y, layer) {
      var a = el("a", { href: data.roleUrl.replace("__slug__", n.slug), class: "org-box level-" + n.level, "data-slug": n.slug,
        "aria-label": n.abbr ? n.title + " (" + n.abbr + ")" : n.title }, layer);
      el("title", {}, a).textContent = n.title;
      var isFocus = n === focus || n === found;
      el("rect", { x: x, y: y, width: BOX_W, height: n.boxH, rx: 6, fill: FILLS[n.level] || "#ffffff",
        stroke: n === found ? "#b35c00" : "#0b5c8a", "stroke-width": isFocus ? 4 : 1.5 }, a);
      var text = el("text", { "text-anchor": "middle", fill: "#1c2530" }, a);
      var top = y + 11 + 13;
      n.lines.forEach(function (line, k) {
        var t = el("tspan", { x: x + BOX_W / 2, y: top + k * LINE_H, "font-size": 13, "font-weight": 600 }, text);
        t.textContent = line;
      });
      if (n.abbr) {
        var s = el("tspan", { x: x + BOX_W / 2, y: top + n.lines.length * LINE_H + 1, "font-size": 11, fill: "#4f5b67" }, text);
        s.textContent = n.abbr;
      }
      place[n.slug] = { x: x, y: y, w: BOX_W, h: n.boxH };
      if (n.kids.length) drawToggle(n, x + BOX_W / 2, y + n.boxH, layer);
    }

    function drawToggle(n, cx, cy, layer) {
      var isOpen = open.has(n);
      var label = isOpen ? fmt(data.text.hide, { title: n.title }) : fmt(data.text.show, { count: n.kids.length, title: n.title });
      var g = el("g", { class: "org-toggle", role: "button", tabindex: 0, "aria-expanded": isOpen ? "true" : "false", "aria-label": label, "data-toggle": n.slug }, layer);
      el("title", {}, g).textContent = label;
      var w = isOpen ? 22 : 16 + 7 * String(n.kids.length).length;
      el("rect", { x: cx - w / 2, y: cy - 10, width: w, height: 20, rx: 10, fill: "#0b5c8a" }, g);
      el("text", { x: cx, y: cy + 4, "text-anchor": "middle", "font-size": 12, "font-weight": 700, fill: "#ffffff" }, g)
        .textContent = isOpen ? "−" : "+" + n.kids.length;
    }

    function path(points, layer, style) {
      var d = "M" + points.map(function (p) { return p[0] + " " + p[1]; }).join(" L");
      var attrs = { d: d, fill: "none", stroke: style.stroke, "stroke-width": style.width };
      if (style.dash) attrs["stroke-dasharray"] = style.dash;
      el("path", attrs, layer);
    }

    function render() {
      while (viewport.firstChild) viewport.removeChild(viewport.firstChild);
      place = {};
      var lines = el("g", { class: "lines", "aria-hidden": "true" }, viewport);
      var boxes = el("g", { class: "boxes" }, viewport);
      var solid = data.styles.reports_to;
      var offset = 0;
      roots.forEach(function (root) {
        var tree = layout.hierarchy(item(root));
        layout(tree);
        var ext = tree.extents;
        var dx = offset - ext.left;
        tree.each(function (h) {
          var it = h.data, x = h.x + dx, y = h.y;
          if (it.box) {
            drawBox(it.box, x - BOX_W / 2, y, boxes);
            if (h.parent) {
              var p = h.parent, pb = p.data.box;
              var mid = p.y + pb.boxH + V_GAP / 2;
              path([[p.x + dx, p.y + pb.boxH + 10], [p.x + dx, mid], [x, mid], [x, y]], lines, solid);
            }
            return;
          }
          var left = x - (INDENT + BOX_W) / 2, spine = left + INDENT / 2, top = y;
          var parent = h.parent, pbox = parent.data.box;
          var pmid = parent.y + pbox.boxH + V_GAP / 2;
          var last = top;
          it.stack.forEach(function (n) {
            drawBox(n, left + INDENT, top, boxes);
            last = top + n.boxH / 2;
            path([[spine, last], [left + INDENT, last]], lines, solid);
            top += n.boxH + STACK_GAP;
          });
          path([[parent.x + dx, parent.y + pbox.boxH + 10], [parent.x + dx, pmid], [spine, pmid], [spine, last]], lines, solid);
        });
        offset += ext.right - ext.left + H_GAP;
      });
      extra.forEach(function (e) {
        var a = place[e.sup.slug], b = place[e.sub.slug];
        if (!a || !b) return;
        var ax = a.x + a.w, ay = a.y + a.h / 2, bx = b.x + b.w, by = b.y + b.h / 2;
        var bend = Math.max(ax, bx) + 40;
        var p = el("path", { d: "M" + ax + " " + ay + " C" + bend + " " + ay + " " + bend + " " + by + " " + bx + " " + by,
          fill: "none", stroke: data.styles[e.kind].stroke, "stroke-width": data.styles[e.kind].width, "data-kind": e.kind }, lines);
        if (data.styles[e.kind].dash) p.setAttribute("stroke-dasharray", data.styles[e.kind].dash);
      });
      if (panZoom) panZoom.updateBBox();
    }

    server.setAttribute("hidden", "");
    holder.classList.add("is-enhanced");
    holder.removeAttribute("tabindex"); // the chart pans by itself now; its boxes and markers take the focus
    if (server) holder.setAttribute("aria-label", server.querySelector("title").textContent);
    holder.appendChild(svg);
    var panZoom = null;
    render();
    panZoom = window.svgPanZoom(svg, {
      zoomEnabled: true, controlIconsEnabled: false, dblClickZoomEnabled: false, fit: false, center: false,
      minZoom: 0.03, maxZoom: 4, zoomScaleSensitivity: 0.3, customEventsHandler: touchHandler(),
    });

    function centreOn(slug, zoom) {
      var b = place[slug];
      if (!b) return;
      if (zoom) panZoom.zoom(zoom);
      var s = panZoom.getSizes();
      panZoom.pan({ x: s.width / 2 - (b.x + b.w / 2) * s.realZoom, y: s.height / 2 - (b.y + b.h / 2) * s.realZoom });
    }
    // A phone starts a little smaller, so a box and its neighbours fit; the top role starts below the legend.
    function startZoom() { return holder.clientWidth < 600 ? 0.75 : 1; }
    function showTop() {
      var b = place[roots[0].slug], zoom = startZoom();
      panZoom.zoom(zoom);
      var s = panZoom.getSizes();
      panZoom.pan({ x: s.width / 2 - (b.x + b.w / 2) * s.realZoom, y: legendHeight + 12 - b.y * s.realZoom });
    }
    if (focus) centreOn(focus.slug, startZoom()); else showTop();

    function toggle(slug) {
      var n = bySlug[slug];
      var before = place[slug], s = panZoom.getSizes(), pan = panZoom.getPan();
      if (open.has(n)) open.delete(n); else open.add(n);
      render();
      // Keep the box that was clicked where it was on the screen.
      var after = place[slug];
      panZoom.pan({ x: pan.x + (before.x - after.x) * s.realZoom, y: pan.y + (before.y - after.y) * s.realZoom });
      var again = svg.querySelector('[data-toggle="' + slug + '"]');
      if (again) again.focus({ preventScroll: true });
    }
    svg.addEventListener("click", function (event) {
      var t = event.target.closest("[data-toggle]");
      if (t) { event.preventDefault(); toggle(t.getAttribute("data-toggle")); }
    });
    svg.addEventListener("keydown", function (event) {
      var t = event.target.closest && event.target.closest("[data-toggle]");
      if (t && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); toggle(t.getAttribute("data-toggle")); }
    });

    // Find a role: open the way down to it, draw it highlighted and centre it.
    var tools = document.querySelector("[data-org-chart-tools]");
    var status = tools.querySelector("[data-org-status]");
    var list = tools.querySelector("datalist");
    nodes.forEach(function (n) {
      var o = document.createElement("option");
      o.value = n.title;
      list.appendChild(o);
    });
    tools.querySelector("[data-org-find]").addEventListener("submit", function (event) {
      event.preventDefault();
      var query = tools.querySelector("[data-org-find-input]").value.trim().toLowerCase();
      if (!query) { status.textContent = data.text.empty; return; }
      var exact = nodes.filter(function (n) { return n.title.toLowerCase() === query || n.abbr.toLowerCase() === query; });
      var matches = exact.length ? exact : nodes.filter(function (n) { return n.title.toLowerCase().indexOf(query) !== -1; });
      if (!matches.length) { status.textContent = fmt(data.text.notFound, { query: query }); return; }
      found = matches[0];
      reveal(found);
      render();
      centreOn(found.slug, Math.max(panZoom.getZoom(), 0.8));
      status.textContent = matches.length > 1 && !exact.length
        ? fmt(data.text.many, { count: matches.length, title: found.title }) : fmt(data.text.found, { title: found.title });
    });
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("[data-org-action]");
      if (!button) return;
      var action = button.getAttribute("data-org-action");
      if (action === "zoom-in") panZoom.zoomIn();
      else if (action === "zoom-out") panZoom.zoomOut();
      else if (action === "fit") { panZoom.updateBBox(); panZoom.fit(); panZoom.center(); }
      else if (action === "expand-all") { nodes.forEach(function (n) { if (n.kids.length) open.add(n); }); render(); showTop(); }
      else if (action === "collapse-all") { collapseAll(); render(); showTop(); }
    });
    tools.hidden = false;
    document.querySelector("[data-org-hint]").hidden = false;

    // One finger pans on a touch screen; two pinch to zoom.
    function touchHandler() {
      var last = null, spread = null;
      function distance(t) { return Math.hypot(t[0].clientX - t[1].clientX, t[0].clientY - t[1].clientY); }
      var handlers = {
        start: function (e) {
          if (e.touches.length === 1) last = { x: e.touches[0].clientX, y: e.touches[0].clientY };
          else if (e.touches.length === 2) spread = distance(e.touches);
        },
        move: function (e) {
          e.preventDefault();
          if (e.touches.length === 1 && last) {
            this.instance.panBy({ x: e.touches[0].clientX - last.x, y: e.touches[0].clientY - last.y });
            last = { x: e.touches[0].clientX, y: e.touches[0].clientY };
          } else if (e.touches.length === 2 && spread) {
            var now = distance(e.touches);
            this.instance.zoomBy(now / spread);
            spread = now;
          }
        },
        end: function () { last = null; spread = null; },
      };
      return {
        haltEventListeners: ["touchstart", "touchend", "touchmove", "touchleave", "touchcancel"],
        init: function (options) {
          var self = { instance: options.instance };
          this.listeners = {
            touchstart: handlers.start.bind(self), touchmove: handlers.move.bind(self),
            touchend: handlers.end.bind(self), touchcancel: handlers.end.bind(self),
          };
          for (var name in this.listeners) options.svgElement.addEventListener(name, this.listeners[name], { passive: false });
        },
        destroy: function (options) {
          for (var name in this.listeners) options.svgElement.removeEventListener(name, this.listeners[name]);
        },
      };
    }
  }
})();
