/* The timeline page's chart, panel and filters: plain JavaScript and SVG, no library, no
 * network. Part of the timeline package, under its licence (LICENSE).
 * Every text from the data reaches the page through textContent or an attribute, never as
 * markup. Times are minutes since 1970-01-01 of floating local time, drawn with UTC getters
 * so the viewer's zone never moves an event. */
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const LABEL_W = 170, UNDATED_W = 70, AXIS_H = 34, ROW_H = 18, LANE_PAD = 8, MIN_SPAN = 60;
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
    "Dec"];
  const data = JSON.parse(document.getElementById("timeline-data").textContent);
  const docs = data.documents;
  const events = data.events;
  const byId = new Map(events.map((e) => [e.id, e]));
  const svg = document.getElementById("chart-svg");
  const panel = document.getElementById("panel");
  const fEntity = document.getElementById("f-entity");
  const fKind = document.getElementById("f-kind");
  const shown = document.getElementById("shown");
  let selected = null;

  const dated = events.filter((e) => e.t0 !== null);
  const full = (() => {
    if (!dated.length) return [0, 1440];
    let a = Math.min(...dated.map((e) => e.t0)), b = Math.max(...dated.map((e) => e.t1));
    if (b - a < 1440) { a -= 720; b += 720; }
    return [a - (b - a) * 0.04, b + (b - a) * 0.25];  // room on the right for titles
  })();
  let view = full.slice();

  function el(name, attrs, parent) {
    const n = document.createElementNS(SVG, name);
    for (const k in attrs) n.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(n);
    return n;
  }
  function html(name, text, parent, cls) {
    const n = document.createElement(name);
    if (text !== undefined && text !== null) n.textContent = text;
    if (cls) n.className = cls;
    if (parent) parent.appendChild(n);
    return n;
  }
  function safeHref(h) {  // links are built by the exporter; refuse anything but files
    return typeof h === "string" && !/^\s*(javascript|data|vbscript):/i.test(h) ? h : null;
  }

  // ---------------------------------------------------------------- filters
  function matches(e) {
    const ent = fEntity.value, kind = fKind.value;
    if (kind && e.kind !== kind) return false;
    if (ent && !e.entities.includes(ent)) return false;
    return true;
  }
  function visible() { return events.filter(matches); }

  // ---------------------------------------------------------------- axis
  const FIXED = [1, 5, 15, 30, 60, 180, 360, 720, 1440, 2880, 10080].map((m) => ["m", m]);
  const STEPS = FIXED.concat([["M", 1], ["M", 3], ["M", 6], ["Y", 1], ["Y", 2], ["Y", 5],
    ["Y", 10], ["Y", 20], ["Y", 50], ["Y", 100], ["Y", 500], ["Y", 1000]]);
  const APPROX = { m: 1, M: 43830, Y: 525960 };
  function ticks(t0, t1, width) {
    const perMin = width / (t1 - t0);
    const step = STEPS.find(([u, n]) => n * APPROX[u] * perMin >= 90) || STEPS[STEPS.length - 1];
    const [unit, n] = step, out = [];
    if (unit === "m") {
      const offset = n === 10080 ? 4 * 1440 : 0;  // weeks begin on Monday; 1970-01-01 was a Thursday
      let t = Math.ceil((t0 - offset) / n) * n + offset;
      for (; t <= t1 && out.length < 400; t += n) out.push([t, unit, n]);
      return out;
    }
    const d = new Date(t0 * 60000);
    let y = d.getUTCFullYear(), m = unit === "M" ? d.getUTCMonth() : 0;
    if (unit === "Y") y = Math.floor(y / n) * n; else m = Math.floor(m / n) * n;
    for (let i = 0; i < 400; i++) {
      const t = Date.UTC(y, m, 1) / 60000;
      if (t > t1) break;
      if (t >= t0) out.push([t, unit, n]);
      if (unit === "Y") y += n; else m += n;
    }
    return out;
  }
  function tickLabel(t, unit, n) {
    const d = new Date(t * 60000);
    const day = d.getUTCDate() + " " + MONTHS[d.getUTCMonth()];
    if (unit === "Y") return String(d.getUTCFullYear());
    if (unit === "M") return MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
    if (n >= 1440) return day + " " + d.getUTCFullYear();
    const hh = String(d.getUTCHours()).padStart(2, "0"), mm = String(d.getUTCMinutes()).padStart(2, "0");
    return (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 ? day + " " : "") + hh + ":" + mm;
  }

  // ---------------------------------------------------------------- drawing
  function layoutLane(evs, x) {  // greedy rows: an event goes in the first row it fits
    const rows = [], placed = [];
    const sorted = evs.slice().sort((a, b) => (a.t0 === null) - (b.t0 === null) ||
      (a.t0 - b.t0) || (b.t1 - a.t1) || (a.rank - b.rank));
    let undatedRow = 0;
    for (const e of sorted) {
      if (e.t0 === null) { placed.push([e, undatedRow++, 0, 0]); continue; }
      const x0 = x(e.t0), x1 = Math.max(x(e.t1), x0);
      const w = x1 - x0;
      const left = w < 10 ? x0 + w / 2 - 7 : x0;
      const right = (w < 10 ? x0 + w / 2 + 7 : x1) + 10 + shortTitle(e).length * 6.3;
      let r = rows.findIndex((end) => end <= left);
      if (r < 0) { r = rows.length; rows.push(0); }
      rows[r] = right;
      placed.push([e, r, x0, x1]);
    }
    return { placed, rows: Math.max(rows.length, undatedRow, 1) };
  }

  function draw() {
    const width = Math.max(svg.parentNode.clientWidth || 900, 400);
    const plotW = width - LABEL_W - UNDATED_W;
    const [t0, t1] = view;
    const x = (t) => LABEL_W + (t - t0) / (t1 - t0) * plotW;
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const vis = visible();
    shown.textContent = "showing " + vis.length + " of " + events.length + " events";
    const lanes = data.stories.map((s) => ({ s, evs: vis.filter((e) => e.story === s.id) }))
      .filter((l) => l.evs.length);
    const defs = el("defs", {}, svg);
    const clip = el("clipPath", { id: "plot-clip" }, defs);
    const clipRect = el("rect", { x: LABEL_W, y: 0, width: plotW, height: 10 }, clip);
    const axis = el("g", { class: "axis" }, svg);
    let y = AXIS_H;
    const laneG = el("g", {}, svg);
    const plot = el("g", { "clip-path": "url(#plot-clip)" }, svg);
    const undated = el("g", {}, svg);
    lanes.forEach((lane, i) => {
      const { placed, rows } = layoutLane(lane.evs, x);
      const h = rows * ROW_H + 2 * LANE_PAD;
      el("rect", { class: "lane-bg" + (i % 2 ? " odd" : ""), x: 0, y, width, height: h }, laneG);
      const name = el("text", { class: "lane-label", x: 8, y: y + LANE_PAD + 14 }, laneG);
      name.textContent = lane.s.name.length > 24 ? lane.s.name.slice(0, 23) + "…" : lane.s.name;
      el("title", {}, name).textContent = lane.s.name + " — click to fit this story";
      name.addEventListener("click", () => fitTo(lane.evs));
      const count = el("text", { class: "lane-count", x: 8, y: y + LANE_PAD + 29 }, laneG);
      count.textContent = lane.evs.length + " event" + (lane.evs.length === 1 ? "" : "s");
      for (const [e, r, x0, x1] of placed) {
        const cy = y + LANE_PAD + r * ROW_H + ROW_H / 2;
        if (e.t0 === null) drawMark(undated, e, width - UNDATED_W + 35, width - UNDATED_W + 35, cy);
        else drawMark(plot, e, x0, x1, cy);
      }
      y += h;
    });
    if (!lanes.length) {
      const t = el("text", { x: LABEL_W + 10, y: y + 24, class: "lane-count" }, laneG);
      t.textContent = "no event matches the filter";
      y += 40;
    }
    clipRect.setAttribute("height", y);
    for (const [t, unit, n] of ticks(t0, t1, plotW)) {
      const g = el("g", { class: "tick" }, axis);
      el("line", { x1: x(t), x2: x(t), y1: AXIS_H - 6, y2: y }, g);
      const label = el("text", { x: x(t) + 3, y: AXIS_H - 10 }, g);
      label.textContent = tickLabel(t, unit, n);
    }
    el("line", { x1: width - UNDATED_W, x2: width - UNDATED_W, y1: 0, y2: y,
      stroke: "#d5d9e0" }, axis);
    el("text", { class: "undated-head", x: width - UNDATED_W + 8, y: AXIS_H - 10 }, axis)
      .textContent = "undated";
    el("rect", { x: 0, y: 0, width: LABEL_W, height: AXIS_H, fill: "#fff" }, axis);
    svg.setAttribute("width", width);
    svg.setAttribute("height", y + 4);
  }

  function shortTitle(e) {
    return e.title.length > 34 ? e.title.slice(0, 33) + "…" : e.title;
  }

  function drawMark(parent, e, x0, x1, cy) {
    const cls = ["ev", e.status, e.vague ? "vague" : "", e.t0 === null ? "undated" : "",
      e.conflicts.length ? "conflict" : "", e.id === selected ? "selected" : ""];
    const g = el("g", { class: cls.join(" ").replace(/\s+/g, " ").trim(), "data-event": e.id,
      tabindex: 0, role: "button" }, parent);
    g.setAttribute("aria-label", e.title + ", " + e.label + ", " + e.status_words);
    el("title", {}, g).textContent = e.title + " — " + e.label + " (" + e.status_words + ")";
    const w = x1 - x0;
    if (w >= 10) {
      el("rect", { class: "mark", x: x0, y: cy - 6, width: w, height: 12, rx: 3 }, g);
      if (e.conflicts.length) el("rect", { class: "ring", x: x0 - 3, y: cy - 9, width: w + 6,
        height: 18, rx: 5 }, g);
    } else {
      const cx = x0 + w / 2;
      if (e.status === "planned") {
        el("path", { class: "mark", d: "M" + cx + " " + (cy - 7) + "l7 7l-7 7l-7-7z" }, g);
      } else {
        el("circle", { class: "mark", cx, cy, r: 6 }, g);
      }
      if (e.conflicts.length) el("circle", { class: "ring", cx, cy, r: 9.5 }, g);
    }
    const right = w >= 10 ? x1 : x0 + w / 2 + 7;
    if (e.conflicts.length) {
      el("text", { class: "bang", x: right + 3, y: cy - 4 }, g).textContent = "!";
    }
    if (e.t0 !== null) {
      el("text", { class: "label", x: right + (e.conflicts.length ? 10 : 4), y: cy + 4 }, g)
        .textContent = shortTitle(e);
    }
    g.addEventListener("click", (ev) => { ev.stopPropagation(); select(e.id); });
    g.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(e.id); }
    });
  }

  // ---------------------------------------------------------------- the panel
  function docLink(i, parent) {
    const d = docs[i];
    const href = safeHref(d.href);
    const a = html(href ? "a" : "span", d.title || d.path, parent, "who");
    if (href) a.setAttribute("href", href);
    if (d.date) html("span", " (" + d.date + ")", parent);
  }
  function row(dl, term, value) {
    if (value === null || value === undefined || value === "") return;
    html("dt", term, dl);
    html("dd", value, dl);
  }
  function select(id) {
    const e = byId.get(id);
    if (!e) return;
    selected = id;
    const body = document.getElementById("panel-body");
    while (body.firstChild) body.removeChild(body.firstChild);
    html("h2", e.title, body).id = "panel-title";
    const dl = html("dl", null, body);
    row(dl, "Date", e.label + (e.range ? " (" + e.range + ")" : ""));
    row(dl, "Status", e.status_words);
    row(dl, "Kind", e.kind);
    row(dl, "Story", e.story_name);
    row(dl, "Place", e.place);
    row(dl, "Participants", e.participants.join(", "));
    row(dl, "Order", e.rank === null ? null : "#" + e.rank + " in the reconstructed order");
    if (e.conflicts.length) {
      html("h3", "Conflicting values", body);
      const ul = html("ul", null, body, "conflicts");
      for (const c of e.conflicts) {
        const li = html("li", null, ul);
        html("strong", c.attribute + ": ", li);
        c.values.forEach((v, j) => {
          if (j) html("span", "; ", li);
          html("span", "“" + v.label + "” says ", li);
          v.docs.forEach((d, k) => { if (k) html("span", ", ", li); docLink(d, li); });
        });
      }
    }
    html("h3", "Sources (" + e.sources.length + ")", body);
    const ol = html("ol", null, body, "sources");
    for (const s of e.sources) {
      const li = html("li", null, ol);
      html("blockquote", "“" + s.quote + "”", li);
      docLink(s.doc, li);
    }
    const opening = panel.hidden;
    panel.hidden = false;
    if (opening) draw();  // the chart is narrower now
    for (const g of svg.querySelectorAll(".ev")) {
      g.classList.toggle("selected", g.getAttribute("data-event") === id);
    }
  }
  document.getElementById("panel-close").addEventListener("click", () => {
    panel.hidden = true;
    selected = null;
    draw();
  });

  // ---------------------------------------------------------------- zoom and pan
  function zoom(factor, at) {
    const [t0, t1] = view, span = t1 - t0;
    const c = at === undefined ? (t0 + t1) / 2 : at;
    const ns = Math.min(Math.max(span * factor, MIN_SPAN), (full[1] - full[0]) * 8);
    view = [c - (c - t0) * ns / span, c + (t1 - c) * ns / span];
    draw();
  }
  function fitTo(evs) {
    const d = evs.filter((e) => e.t0 !== null);
    if (!d.length) return;
    let a = Math.min(...d.map((e) => e.t0)), b = Math.max(...d.map((e) => e.t1));
    if (b - a < 1440) { a -= 720; b += 720; }
    view = [a - (b - a) * 0.05, b + (b - a) * 0.3];
    draw();
  }
  function timeAt(clientX) {
    const r = svg.getBoundingClientRect();
    const plotW = r.width - LABEL_W - UNDATED_W;
    return view[0] + (clientX - r.left - LABEL_W) / plotW * (view[1] - view[0]);
  }
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    zoom(ev.deltaY > 0 ? 1.25 : 0.8, timeAt(ev.clientX));
  }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", (ev) => {
    if (ev.target.closest && ev.target.closest(".ev")) return;
    drag = { x: ev.clientX, view: view.slice() };
    svg.classList.add("dragging");
  });
  window.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const r = svg.getBoundingClientRect();
    const dt = (ev.clientX - drag.x) / (r.width - LABEL_W - UNDATED_W) * (drag.view[1] - drag.view[0]);
    view = [drag.view[0] - dt, drag.view[1] - dt];
    draw();
  });
  window.addEventListener("pointerup", () => { drag = null; svg.classList.remove("dragging"); });
  svg.addEventListener("keydown", (ev) => {
    if (ev.target !== svg) return;
    const span = view[1] - view[0];
    if (ev.key === "+" || ev.key === "=") zoom(0.8);
    else if (ev.key === "-") zoom(1.25);
    else if (ev.key === "ArrowLeft") { view = [view[0] - span / 10, view[1] - span / 10]; draw(); }
    else if (ev.key === "ArrowRight") { view = [view[0] + span / 10, view[1] + span / 10]; draw(); }
    else return;
    ev.preventDefault();
  });
  document.getElementById("zoom-in").addEventListener("click", () => zoom(0.5));
  document.getElementById("zoom-out").addEventListener("click", () => zoom(2));
  document.getElementById("zoom-fit").addEventListener("click", () => {
    view = full.slice();
    draw();
  });

  // ---------------------------------------------------------------- filters and the list
  function applyFilter() {
    for (const li of document.querySelectorAll("#list li[data-event]")) {
      const e = byId.get(li.getAttribute("data-event"));
      li.hidden = !(e && matches(e));
    }
    for (const sec of document.querySelectorAll("#list section[data-story]")) {
      sec.hidden = !sec.querySelector("li[data-event]:not([hidden])");
    }
    draw();
  }
  fEntity.addEventListener("change", applyFilter);
  fKind.addEventListener("change", applyFilter);
  for (const b of document.querySelectorAll("#list button.open")) {
    b.addEventListener("click", () => {
      select(b.getAttribute("data-event"));
      panel.scrollIntoView({ block: "nearest" });
    });
  }
  if (window.ResizeObserver) {
    let last = 0;
    new ResizeObserver(() => {
      const w = svg.parentNode.clientWidth;
      if (w !== last) { last = w; draw(); }
    }).observe(svg.parentNode);
  } else {
    window.addEventListener("resize", draw);
  }
  document.body.classList.add("js");
  applyFilter();
})();
