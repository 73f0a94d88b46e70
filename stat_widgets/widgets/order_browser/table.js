// RecordTable's front end (orders, opportunities; an anywidget ES module, shipped as is).
// Every string from a server is set with textContent, never as markup.
const make = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};
const str = (v) => (v === null || v === undefined ? "" : String(v));
// A select's choice is [label, value], or one value that is its own label.
const pair = (c) => (Array.isArray(c) ? c : [c, c]);

function render({ model, el }) {
  el.classList.add("stat-record-table", model.get("kind")); // CSS scope; what it shows
  const bars = make("div");
  const status = make("span", "sot-muted");
  const notes = make("div");
  const scroll = make("div", "sot-scroll");
  scroll.tabIndex = 0;
  scroll.setAttribute("role", "grid");
  scroll.setAttribute("aria-label", model.get("label") || "Rows");
  scroll.dataset.lmSuppressShortcuts = "true";
  const head = make("thead");
  const body = make("tbody");
  const table = make("table");
  table.append(head, body);
  const empty = make("div", "sot-empty sot-muted", model.get("empty_text"));
  const legend = make("div", "sot-legend");
  const strip = make("div", "sot-timeline");
  scroll.append(table, empty);
  el.append(bars, notes, scroll, strip, legend);
  const send = (control, value) => model.send({ control, value });
  let shown = []; // row indices, in display order
  let stageOf = {};

  // -- controls: made once per name, then updated in place (a select keeps its focus) --------
  const made = {};
  function control(c) {
    const key = c.kind + JSON.stringify(c.choices || []);
    if (made[c.name] && made[c.name].key === key) return made[c.name];
    let node, input;
    if (c.kind === "select") {
      node = make("label", "sot-select");
      input = make("select");
      c.choices.forEach((choice, i) => {
        const option = make("option", "", str(pair(choice)[0]));
        option.value = String(i);
        input.append(option);
      });
      input.addEventListener("change", () => send(c.name, pair(c.choices[+input.value])[1]));
      input.addEventListener("focus", () => send(c.name + ":focus", null), { once: true });
      node.append(make("span"), input);
    } else {
      node = input = make("button", "sot-button");
      input.type = "button";
      input.addEventListener("click", () => send(c.name, null));
    }
    return (made[c.name] = { key, node, input });
  }
  function drawControls() {
    const busy = model.get("busy");
    const rows = [];
    for (const c of model.get("controls")) {
      const { node, input } = control(c);
      if (c.kind === "select") {
        node.firstChild.textContent = c.label;
        const i = c.choices.findIndex((choice) => pair(choice)[1] === c.value);
        input.value = String(Math.max(i, 0));
      } else {
        input.textContent = c.label;
        input.title = str(c.title);
        input.classList.toggle("sot-pressed", !!c.pressed);
      }
      input.disabled = busy || !!c.disabled;
      (rows[c.row || 0] = rows[c.row || 0] || []).push(node);
    }
    // no controls (e.g. "This server has no opportunity search"): the status still has a line
    if (!rows.length && (busy || model.get("status"))) rows[0] = [];
    bars.replaceChildren(...rows.map((nodes, i) => {
      const bar = make("div", "sot-bar");
      bar.append(...(nodes || []), ...(i ? [] : [status]));
      return bar;
    }));
    status.textContent = busy ? "Loading\u2026" : model.get("status");
  }

  // -- notes: one line per problem, each with its action (Retry) ----------------------------
  function drawNotes() {
    notes.replaceChildren(...model.get("notes").map((n) => {
      const line = make("div", "sot-note sot-" + (n.kind || "info"), n.text);
      if (n.action) {
        const button = make("button", "sot-button", n.label || "Retry");
        button.type = "button";
        button.addEventListener("click", () => send(n.action, n.value ?? null));
        line.append(" ", button);
      }
      return line;
    }));
  }

  // -- the rows ------------------------------------------------------------------------------
  function drawHead() {
    const [sortKey, descending] = model.get("sort");
    const tr = make("tr");
    for (const [key, label] of model.get("columns")) {
      const th = make("th");
      const button = make("button", "sot-sort", label);
      button.type = "button";
      if (key === sortKey) {
        button.append(make("span", "", descending ? " \u25BC" : " \u25B2"));
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      }
      button.addEventListener("click", () => {
        model.set("sort", [key, key === sortKey ? !descending : key === "created"]);
        model.save_changes();
      });
      th.append(button);
      tr.append(th);
    }
    head.replaceChildren(tr);
  }
  // A row is its cells' values in the order of the columns: the column's place is its key.
  const at = (key) => model.get("columns").findIndex((c) => c[0] === key);
  function displayOrder() {
    const rows = model.get("rows");
    const [key, descending] = model.get("sort");
    const order = rows.map((_r, i) => i);
    const sign = descending ? -1 : 1;
    // a column [key, label, by] sorts by column by's values; numbers before text, as in Python
    const by = at((model.get("columns").find((c) => c[0] === key) || [])[2] || key);
    const value = (r) => r[by];
    const rank = (v) => (typeof v === "number" ? [0, v, ""] : [1, 0, str(v)]);
    if (key && by >= 0) order.sort((a, b) => {
      const x = rank(value(rows[a])), y = rank(value(rows[b]));
      for (let k = 0; k < 3; k++) if (x[k] !== y[k]) return x[k] < y[k] ? -sign : sign;
      return a - b;
    });
    return order;
  }
  // A column's optional format (its 4th entry) turns a number into text here, so rows carry
  // each value once: {n: decimals, u: unit}, {s: 1} (seconds as a duration), {utc: 1} (Unix
  // seconds as UTC "YYYY-MM-DD hh:mm:ss"), {tz: zone, of: key} (column key's instant there).
  const zoned = {};
  function localTime(seconds, tz) {
    const at = new Date(seconds * 1000);
    if (typeof seconds !== "number" || isNaN(at)) return "";
    const f = (zoned[tz] = zoned[tz] || new Intl.DateTimeFormat("en-GB", {
      timeZone: tz, hourCycle: "h23", timeZoneName: "short", year: "numeric",
      month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    }));
    const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
  }
  function duration(seconds) {
    const t = Math.round(seconds), h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60);
    const pad = (x) => String(x).padStart(2, "0");
    return h ? `${h} h ${pad(m)} min` : m ? `${m} min ${pad(t % 60)} s` : `${t} s`;
  }
  function shownText(column, row, j) {
    const fmt = column[3], value = row[j];
    if (!fmt) return str(value);
    if (fmt.tz) return localTime(row[at(fmt.of)], fmt.tz);
    if (typeof value !== "number") return str(value);
    if (fmt.s) return duration(value);
    if (fmt.utc) return new Date(value * 1000).toISOString().slice(0, 19).replace("T", " ");
    return (fmt.n === undefined ? String(value) : value.toFixed(fmt.n)) + (fmt.u || "");
  }
  function cell(column, row, j) {
    const key = column[0], value = shownText(column, row, j);
    const td = make("td", "sot-" + key);
    const stage = key === "status" && stageOf[value.toLowerCase()];
    if (stage) {
      const badge = make("span", "sot-badge", value);
      badge.style.background = stage.css;
      td.append(badge);
    } else td.textContent = value;
    return td;
  }
  function drawBody() {
    const rows = model.get("rows");
    const columns = model.get("columns");
    shown = displayOrder();
    body.replaceChildren(...shown.map((i) => {
      const tr = make("tr");
      tr.dataset.index = String(i);
      columns.forEach((column, j) => {
        const td = tr.appendChild(cell(column, rows[i], j));
        if (column[0] === "id") td.title = "Show order " + str(rows[i][j]);
      });
      return tr;
    }));
    empty.style.display = rows.length ? "none" : "";
    scroll.style.display = columns.length ? "" : "none"; // no columns: controls and notes only
    drawSelected();
  }
  function drawSelected() {
    const selected = model.get("selected");
    for (const tr of body.children) {
      const on = +tr.dataset.index === selected;
      tr.classList.toggle("sot-selected", on);
      tr.setAttribute("aria-selected", String(on));
      if (on && el.contains(document.activeElement)) tr.scrollIntoView({ block: "nearest" });
    }
  }
  const select = (i) => { model.set("selected", i); model.save_changes(); };
  body.addEventListener("click", (event) => {
    const tr = event.target.closest("tr");
    if (tr) { select(+tr.dataset.index); scroll.focus({ preventScroll: true }); }
  });
  scroll.addEventListener("keydown", (event) => {
    const step = { ArrowDown: 1, ArrowUp: -1, Home: -Infinity, End: Infinity }[event.key];
    if (step === undefined || !shown.length) return;
    event.preventDefault();
    event.stopPropagation(); // not also a notebook shortcut (JupyterLab listens on bubbling)
    const at = shown.indexOf(model.get("selected"));
    const to = at < 0 && Math.abs(step) === 1 ? 0 : at + step;
    select(shown[Math.min(shown.length - 1, Math.max(0, to))]);
  });

  // -- the timeline: each row a mark across an interval (timeline: {start, end, at, length},
  // Unix seconds and the keys of the columns holding each row's start and length). Drawn here
  // from the rows, so a mark costs no bytes; a click picks the nearest mark (within PICK of
  // the strip's 1000 units), as OpportunityTable.click_timeline does in Python.
  const NS = "http://www.w3.org/2000/svg", W = 1000, H = 44, S = 24, MIN = 1.5, PICK = 10;
  const DAY = 86400;
  const svgNode = (tag, attrs, parent) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (parent) parent.append(e);
    return e;
  };
  function marks() { // [row index, x, width] of every row with a numeric start
    const t = model.get("timeline"), rows = model.get("rows");
    const a = at(t.at), d = at(t.length), span = Math.max(t.end - t.start, 1);
    const x = (s) => Math.min(W, Math.max(0, ((s - t.start) / span) * W));
    const found = [];
    rows.forEach((r, i) => {
      if (a < 0 || typeof r[a] !== "number") return;
      const x0 = x(r[a]), x1 = x(r[a] + (d >= 0 && typeof r[d] === "number" ? r[d] : 0));
      found.push([i, x0, Math.max(x1 - x0, MIN)]);
    });
    return found;
  }
  function nearest(x) {
    let best = -1, gap = PICK + 1e-9;
    for (const [i, x0, w] of marks()) {
      const g = Math.max(x0 - x, 0, x - x0 - w);
      if (g < gap) { best = i; gap = g; }
    }
    return best;
  }
  function drawTimeline() {
    const t = model.get("timeline");
    const on = !!t && typeof t.start === "number" && typeof t.end === "number";
    strip.style.display = on ? "" : "none";
    if (!on) return strip.replaceChildren();
    const found = marks(), selected = model.get("selected");
    const svg = svgNode("svg", { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: "none",
      width: "100%", height: H, role: "img" });
    svg.setAttribute("aria-label", `${found.length} across the interval; click one to choose it`);
    svgNode("rect", { class: "bg", x: 0, y: 0, width: W, height: S }, svg);
    const x = (s) => ((s - t.start) / Math.max(t.end - t.start, 1)) * W;
    const ticks = [], step = (t.end - t.start) / DAY <= 31 ? DAY : 7 * DAY;
    for (let s = Math.ceil(t.start / DAY) * DAY; s <= t.end && ticks.length < 200; s += step) {
      ticks.push(s);
    }
    const every = Math.max(1, Math.floor(ticks.length / 10));
    ticks.forEach((s, k) => {
      const at = x(s).toFixed(1);
      svgNode("line", { x1: at, x2: at, y1: S, y2: S + 4 }, svg);
      if (k % every === 0 && x(s) < W - 30) {
        const label = svgNode("text", { x: (x(s) + 2).toFixed(1), y: H - 4 }, svg);
        label.textContent = new Date(s * 1000).toISOString().slice(5, 10);
      }
    });
    let chosen = null;
    for (const [i, x0, w] of found) {
      if (i === selected) { chosen = [i, x0, w]; continue; }
      const mark = svgNode("rect", { class: "w", x: x0.toFixed(1), y: 3, width: w.toFixed(1),
        height: S - 6 }, svg);
      mark.dataset.index = String(i);
    }
    if (chosen) { // on top, taller, with the row's cells as its tooltip
      const [i, x0, w] = chosen;
      const mark = svgNode("rect", { class: "sel", x: (x0 - 1).toFixed(1), y: 0,
        width: (w + 2).toFixed(1), height: S }, svg);
      mark.dataset.index = String(i);
      const row = model.get("rows")[i];
      const title = svgNode("title", {}, mark);
      title.textContent = model.get("columns").map((c, j) => shownText(c, row, j)).join(", ");
    }
    strip.replaceChildren(svg);
  }
  strip.addEventListener("click", (event) => {
    const svg = strip.firstChild, box = svg && svg.getBoundingClientRect();
    if (!box || !box.width) return;
    const i = nearest(((event.clientX - box.left) / box.width) * W);
    if (i >= 0) select(i);
  });

  // -- the legend: each stage's colour and statuses (the same table in Python drives both) ---
  function drawStages() {
    stageOf = {};
    legend.style.display = model.get("stages").length ? "" : "none";
    legend.replaceChildren(...model.get("stages").map((stage) => {
      for (const s of stage.statuses) stageOf[s] = stage;
      const item = make("span", "sot-legend-item");
      const badge = make("span", "sot-badge", stage.name);
      badge.style.background = stage.css;
      item.append(badge, make("span", "sot-muted", " " + stage.statuses.join(", ")));
      return item;
    }));
    legend.append(make("span", "sot-muted", "other statuses are shown as plain text"));
  }

  const on = (names, draw) => names.forEach((n) => model.on("change:" + n, draw));
  on(["controls", "status", "busy"], drawControls);
  on(["notes"], drawNotes);
  on(["columns", "sort"], () => { drawHead(); drawBody(); });
  on(["rows"], drawBody);
  on(["selected"], drawSelected);
  on(["timeline", "rows", "columns", "selected"], drawTimeline);
  on(["stages"], () => { drawStages(); drawBody(); });
  drawStages(); drawControls(); drawNotes(); drawHead(); drawBody(); drawTimeline();
}

export default { render };
