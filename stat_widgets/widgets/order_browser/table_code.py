"""``TableCode``: the table's ES module and stylesheet, sent to the front end once per kernel.

anywidget sends a widget's ``_esm`` and ``_css`` with every instance: 11 KB with each order
browser, each opportunity table, each refresh of "My orders" that makes a new browser, more
than a page of 100 orders' rows. Here they travel gzip-compressed (4 KB) as binary buffers of
one plain widget model that every ``RecordTable`` refers to (its ``_code`` trait); each table's
own ``_esm`` is a small loader (``table_loader.js``) that unpacks them once per page with the
browser's ``DecompressionStream``. The model is made on first use and made again after
``Widget.close_all()``; no table closes it (``shared``: ``close_tree`` leaves it).
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

import ipywidgets as widgets
import traitlets

_HERE = Path(__file__).parent


def compact(source: str) -> str:
    """The source without indentation and whole-line comments: nothing a browser reads changes
    (no template literal or string in these files spans lines)."""
    lines = (line.strip() for line in source.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith(("//", "/*")))


@functools.cache
def asset(name: str) -> str:
    """A front-end file beside this module, compacted."""
    return compact((_HERE / name).read_text(encoding="utf-8"))


@functools.cache
def _packed(name: str) -> bytes:
    return gzip.compress(asset(name).encode("utf-8"), compresslevel=9, mtime=0)


class TableCode(widgets.Widget):
    """The table's module (``code``) and stylesheet (``style``), gzip-compressed: a model of
    ``@jupyter-widgets/base`` with no view, read by each table's loader."""

    shared = True  # held by every table; close_tree does not close it with one of them

    code = traitlets.Bytes(help="table.js, compacted and gzip-compressed").tag(sync=True)
    style = traitlets.Bytes(help="table.css, compacted and gzip-compressed").tag(sync=True)

    def __init__(self) -> None:
        super().__init__(code=_packed("table.js"), style=_packed("table.css"))


_made: list[TableCode] = []


def table_code() -> TableCode:
    """The kernel's ``TableCode``: made on first use, and again once it has been closed."""
    if not _made or _made[0].comm is None:
        _made[:] = [TableCode()]
    return _made[0]


def table_stylesheet() -> str:
    """What the front end's stylesheet says (for tests and Python readers)."""
    return asset("table.css")


__all__ = ["TableCode", "asset", "compact", "table_code", "table_stylesheet"]
