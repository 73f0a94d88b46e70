// OrderTable's front end (anywidget ES module, shipped as is: no build step).
// Every string from a server is set with textContent, never as markup.
const el_ = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};
const str = (v) => (v === null || v === undefined ? "" : String(v));

function render({ model, el }) {
  el.classList.add("stat-order-table");
  const bars = el_("div", "sot-bars");
  const notes = el_("div", "sot-notes");
  const scroll = el_("div", "sot-scroll");
  scroll.tabIndex = 0;
  scroll.setAttribute("role", "grid");
  scroll.setAttribute("aria-label", "Orders");
  const table = el_("table");
  const head = el_("thead");
  const body = el_("tbody");
  const empty = el_("div", "sot-empty", "No orders to show.");
  const legend = el_("div", "sot-legend");
  table.append(head, body);
  scroll.append(table, empty);
  el.append(bars, notes, scroll, legend);

  let shown = []; // row indices in display order
  let stageOf = {};
  const send = (control, value) => model.send({ control, value });

  // -- controls: buttons and selects, updated in place so a select keeps its focus ----------
  const made = {};
  function drawControls() {
    const controls = model.get("controls");
    const rows = [];
    for (const c of controls) {
      const row = c.row || 0;
      if (!rows[row]) rows[row] = [];
      let item = made[c.name];
      const key = c.kind + "|" + JSON.stringify(c.choices || []);
      if (!item || item.key !== key) item = made[c.name] = makeControl(c, key);
      item.update(c);
      rows[row].push(item.node);
    }
    bars.replaceChildren();
    rows.forEach((nodes, i) => {
      const bar = el_("div", "sot-bar");
      bar.append(...(nodes || []));
      if (i === 0) bar.append(status);
      bars.append(bar);
    });
  }
  function makeControl(c, key) {
    if (c.kind === "select") {
      const label = el_("label", "sot-select");
      const name = el_("span", "", c.label);
      const select = el_("select");
      (c.choices || []).forEach(([text], i) => {
        const option = el_("option", "", str(text));
        option.value = String(i);
        select.append(option);
      });
      select.addEventListener("change", () => send(c.name, c.choices[+select.value][1]));
      select.addEventListener("focus", () => send(c.name + ":focus", null), { once: true });
      label.append(name, select);
      return {
        key, node: label,
        update(s) {
          name.textContent = s.label;
          const i = s.choices.findIndex((choice) => choice[1] === s.value);
          select.value = String(Math.max(i, 0));
          select.disabled = !!s.disabled;
        },
      };
    }
    const button = el_("button", "sot-button");
    button.type = "button";
    button.addEventListener("click", () => send(c.name, null));
    return {
      key, node: button,
      update(s) {
        button.textContent = s.label;
        button.title = str(s.title);
        button.disabled = !!s.disabled;
        button.classList.toggle("sot-pressed", !!s.pressed);
      },
    };
  }
  const status = el_("span", "sot-status");
  const drawStatus = () => { status.textContent = model.get("status"); };

  // -- notes: one line per provider problem, each with its action (Retry) ------------------
  function drawNotes() {
    notes.replaceChildren(...model.get("notes").map((n) => {
      const line = el_("div", "sot-note sot-" + (n.kind || "info"), n.text);
      if (n.action) {
        const button = el_("button", "sot-button", n.label || "Retry");
        button.type = "button";
        button.addEventListener("click", () => send(n.action, n.value ?? null));
        line.append(" ", button);
      }
      return line;
    }));
  }

  // -- the table -------------------------------------------------------------------------
  function drawHead() {
    const [sortKey, descending] = model.get("sort");
    const tr = el_("tr");
    for (const [key, label] of model.get("columns")) {
      const th = el_("th");
      const button = el_("button", "sot-sort", label);
      button.type = "button";
      if (key === sortKey) {
        button.append(el_("span", "sot-arrow", descending ? " \u25BC" : " \u25B2"));
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
  function order() {
    const rows = model.get("rows");
    const [key, descending] = model.get("sort");
    const idx = rows.map((_r, i) => i);
    if (!key) return idx;
    const sign = descending ? -1 : 1;
    return idx.sort((a, b) => {
      const x = str(rows[a][key]), y = str(rows[b][key]);
      return (x < y ? -sign : x > y ? sign : 0) || a - b;
    });
  }
  function cell(key, value) {
    const td = el_("td");
    const stage = key === "status" ? stageOf[str(value).toLowerCase()] : undefined;
    if (stage) {
      const badge = el_("span", "sot-badge", str(value));
      badge.style.background = stage.css;
      td.append(badge);
    } else td.textContent = str(value);
    return td;
  }
  function drawBody() {
    const rows = model.get("rows");
    const columns = model.get("columns");
    shown = order();
    body.replaceChildren(...shown.map((i) => {
      const tr = el_("tr");
      tr.dataset.index = String(i);
      for (const [key] of columns) tr.append(cell(key, rows[i][key]));
      tr.firstChild.title = "Show order " + str(rows[i].id);
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
      tr.setAttribute("aria-selected", on ? "true" : "false");
      if (on && el.contains(document.activeElement)) tr.scrollIntoView({ block: "nearest" });
    }
  }
  const select = (i) => { model.set("selected", i); model.save_changes(); };
  body.addEventListener("click", (event) => {
    const tr = event.target.closest("tr");
    if (tr) { select(+tr.dataset.index); scroll.focus({ preventScroll: true }); }
  });
  scroll.addEventListener("keydown", (event) => {
    const moves = { ArrowDown: 1, ArrowUp: -1, Home: -Infinity, End: Infinity };
    if (!(event.key in moves) || !shown.length) return;
    event.preventDefault();
    const at = shown.indexOf(model.get("selected"));
    const last = shown.length - 1;
    const step = moves[event.key];
    const to = at < 0 && Math.abs(step) === 1 ? 0 : at + step;
    select(shown[Math.min(last, Math.max(0, to))]);
  });

  // -- legend: the colours of the status stages (one table in Python drives both) ----------
  function drawStages() {
    stageOf = {};
    legend.replaceChildren(...model.get("stages").map((stage) => {
      for (const s of stage.statuses) stageOf[s] = stage;
      const item = el_("span", "sot-legend-item");
      const badge = el_("span", "sot-badge", stage.name);
      badge.style.background = stage.css;
      item.append(badge, el_("span", "sot-muted", " " + stage.statuses.join(", ")));
      return item;
    }));
    if (legend.childElementCount) legend.append(el_("span", "sot-muted", "other statuses are shown as plain text"));
  }

  const on = (names, draw) => names.forEach((n) => model.on("change:" + n, draw));
  on(["controls"], drawControls);
  on(["status"], drawStatus);
  on(["notes"], drawNotes);
  on(["columns", "sort"], () => { drawHead(); drawBody(); });
  on(["rows"], drawBody);
  on(["selected"], drawSelected);
  on(["stages"], () => { drawStages(); drawBody(); });
  drawStages(); drawControls(); drawStatus(); drawNotes(); drawHead(); drawBody();
}

export default { render };
