"""``ReasonList``: what stops the order, next to the Submit button, each item a button that
scrolls the page to the section it is about.

One small front-end widget (``anywidget``): the items travel as plain records and every string
is set with ``textContent``, so a server's message stays text. A click scrolls the element that
carries the item's ``target`` CSS class into view (``scrollIntoView``), which works wherever
the form is displayed (JupyterLab, Notebook 7, Voila) because it needs nothing from the page
but the section's own element; the class is unique to one form, so two forms on one page do
not steer each other.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  el.classList.add("stat-widgets-reasons");
  const draw = () => {
    el.replaceChildren();
    for (const item of model.get("items") || []) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "stat-widgets-reason jupyter-button";
      button.textContent = "\\u2191 " + String(item.text || "");
      button.title = "Show this section";
      button.dataset.target = String(item.target || "");
      button.addEventListener("click", () => {
        const found = document.getElementsByClassName(button.dataset.target);
        if (found.length) {
          found[0].scrollIntoView({ behavior: "smooth", block: "start" });
          found[0].classList.add("stat-widgets-section-flash");
          setTimeout(() => found[0].classList.remove("stat-widgets-section-flash"), 1200);
        }
        model.send({ event: "go", target: button.dataset.target });
      });
      el.appendChild(button);
    }
  };
  model.on("change:items", draw);
  draw();
}
export default { render };
"""

_CSS = """
.stat-widgets-reasons { display: flex; flex-direction: column; align-items: flex-start;
  gap: 2px; margin: 2px 0; }
.stat-widgets-reason { text-align: left; white-space: normal; height: auto;
  min-height: var(--jp-widgets-inline-height, 28px); padding: 2px 8px; cursor: pointer;
  color: var(--jp-error-color1, #d32f2f); background: transparent;
  border: 1px solid var(--jp-border-color2, #e0e0e0); border-radius: 2px; }
.stat-widgets-reason:hover { background: var(--jp-layout-color2, #eee); }
.stat-widgets-section-flash { outline: 2px solid var(--jp-brand-color1, #1976d2);
  outline-offset: 2px; }
"""


class ReasonList(anywidget.AnyWidget):
    """What is missing or wrong, one button per item; a click shows the item's section."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    _css = traitlets.Unicode(_CSS).tag(sync=True)
    items = traitlets.List(
        traitlets.Dict(),
        help="one record per reason: text (plain text) and target (the section's CSS class)",
    ).tag(sync=True)
    #: The target of the last item clicked in the browser ("" before any click).
    last_clicked = traitlets.Unicode("", help="the target of the last item clicked")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._on_msg)

    def _on_msg(self, _widget: object, content: object, _buffers: object) -> None:
        if isinstance(content, dict) and content.get("event") == "go":
            self.last_clicked = str(content.get("target", ""))[:200]

    @property
    def texts(self) -> list[str]:
        return [str(item.get("text", "")) for item in self.items]


__all__ = ["ReasonList"]
