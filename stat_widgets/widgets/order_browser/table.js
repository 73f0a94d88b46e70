// OrderTable's front end (an anywidget ES module, shipped as is: no build step).
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
  el.classList.add("stat-order-table");
  const bars = make("div");
  const status = make("span", "sot-muted");
  const notes = make("div");
  const scroll = make("div", "sot-scroll");
  scroll.tabIndex = 0;
  scroll.setAttribute("role", "grid");
  scroll.setAttribute("aria-label", "Orders");
  scroll.dataset.lmSuppressShortcuts = "true";
  const head = make("thead");
  const body = make("tbody");
  const table = make("table");
  table.append(head, body);
  const empty = make("div", "sot-empty sot-muted", "No orders to show.");
  const legend = make("div", "sot-legend");
  scroll.append(table, empty);
  el.append(bars, notes, scroll, legend);
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
  // A row is its cells' texts in the order of the columns: the column's place is its key.
  const at = (key) => model.get("columns").findIndex((c) => c[0] === key);
  function displayOrder() {
    const rows = model.get("rows");
    const [key, descending] = model.get("sort");
    const order = rows.map((_r, i) => i);
    const sign = descending ? -1 : 1;
    const j = at(key);
    if (j >= 0) order.sort((a, b) => {
      const x = str(rows[a][j]), y = str(rows[b][j]);
      return (x < y ? -sign : x > y ? sign : 0) || a - b;
    });
    return order;
  }
  function cell(key, value) {
    const td = make("td", "sot-" + key);
    const stage = key === "status" && stageOf[str(value).toLowerCase()];
    if (stage) {
      const badge = make("span", "sot-badge", str(value));
      badge.style.background = stage.css;
      td.append(badge);
    } else td.textContent = str(value);
    return td;
  }
  function drawBody() {
    const rows = model.get("rows");
    const columns = model.get("columns");
    shown = displayOrder();
    body.replaceChildren(...shown.map((i) => {
      const tr = make("tr");
      tr.dataset.index = String(i);
      columns.forEach(([key], j) => {
        const td = tr.appendChild(cell(key, rows[i][j]));
        if (key === "id") td.title = "Show order " + str(rows[i][j]);
      });
      return tr;
    }));
    empty.style.display = rows.length ? "none" : "";
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

  // -- the legend: each stage's colour and statuses (the same table in Python drives both) ---
  function drawStages() {
    stageOf = {};
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
  on(["stages"], () => { drawStages(); drawBody(); });
  drawStages(); drawControls(); drawNotes(); drawHead(); drawBody();
}

export default { render };
