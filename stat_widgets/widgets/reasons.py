"""``ReasonList``: what stops the order, next to the Submit button, each item a link that
brings the section it is about into view.

An ``HTML`` widget of in-page links (``<a href="#id">``) to the sections' headings, which carry
the ids (``FormFrame``; each id is unique to one form, so two forms on one page do not steer
each other). Following such a link is the browser's own fragment navigation: it scrolls every
scrolling box around the heading, so it works wherever the form is shown (JupyterLab, Notebook
7, Voila; clicked in Chromium by ``tests/browser/test_lab_drafts.py`` and
``test_voila_ordering.py``), and the heading shows a short outline while it is the page's
target (CSS ``:target``).

Why not a front-end widget of its own: this was an anywidget, and on the first form of a kernel
the browser fetched anywidget's front end and compiled the list's module before it was shown,
about 5% of first paint (``benchmarks/first_paint.py``) for one scroll call. Every item's text
goes through ``_html``, so a server's message stays text.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import traitlets

from stat_widgets.widgets import _html

#: The links' look (the list's own classes) and the outline a heading shows while it is the
#: page's fragment target, fading out.
_STYLE = """<style>
.stat-widgets-reasons { display: flex; flex-direction: column; align-items: flex-start;
  gap: 2px; margin: 2px 0; }
.stat-widgets-reasons a.stat-widgets-reason, .stat-widgets-reasons a.stat-widgets-reason:visited {
  display: inline-block; padding: 2px 8px; text-decoration: none; line-height: 1.6;
  color: var(--jp-error-color1, #d32f2f); border: 1px solid var(--jp-border-color2, #e0e0e0);
  border-radius: 2px; }
.stat-widgets-reasons a.stat-widgets-reason:hover { background: var(--jp-layout-color2, #eee); }
.stat-widgets-heading { scroll-margin-top: 8px; }
.stat-widgets-heading:target { animation: stat-widgets-flash 1.2s ease-out; }
@keyframes stat-widgets-flash {
  from { outline: 2px solid var(--jp-brand-color1, #1976d2); outline-offset: 2px; }
  to { outline: 2px solid transparent; outline-offset: 2px; } }
</style>"""


def reasons_html(items: list[dict[str, Any]]) -> str:
    """One link per item (``text``, ``target``: the id of the section's heading); nothing when
    there is no item."""
    if not items:
        return ""
    links = "".join(
        f'<a class="stat-widgets-reason" href="#{_html.escape(item.get("target", ""))}" '
        f'title="Show this section">\u2191 {_html.escape(item.get("text", ""))}</a>'
        for item in items
    )
    return f'{_STYLE}<div class="stat-widgets-reasons">{links}</div>'


class ReasonList(widgets.HTML):
    """What is missing or wrong, one link per item; following it shows the item's section."""

    items = traitlets.List(
        traitlets.Dict(),
        help="one record per reason: text (plain text) and target (the id of the section's "
        "heading)",
    )

    def __init__(self, *, items: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        items = list(items or [])
        super().__init__(reasons_html(items), items=items, **kwargs)  # shown as made

    @traitlets.observe("items")
    def _on_items(self, change: dict[str, Any]) -> None:
        self.value = reasons_html(change["new"])

    @property
    def texts(self) -> list[str]:
        return [str(item.get("text", "")) for item in self.items]


__all__ = ["ReasonList", "reasons_html"]
