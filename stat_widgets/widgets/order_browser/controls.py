"""The browser's controls and problem lines, as the order table's front end draws them.

Plain data from plain state, so what the browser shows can be read (and tested) without a
front end: ``controls(...)`` lists the buttons and selects; ``notes(...)`` one line per
provider problem, each with its Retry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from stat_widgets.models import OrderStatus, parse_status

PAGE_SIZES = (10, 20, 50, 100)
AUTO_REFRESH_CHOICES = (
    ("off", 0.0),
    ("every 10 s", 10.0),
    ("every 30 s", 30.0),
    ("every 60 s", 60.0),
)
MAX_PAGE_SIZE = 1000
ALL_STATUSES = "all statuses"
ALL_PRODUCTS = "all products"


@dataclass(frozen=True)
class State:
    """What the controls show."""

    can_go_back: bool
    can_go_on: bool
    status: str
    product: str
    products: Iterable[str]
    page_size: int
    auto_refresh: float
    exporting: bool


def checked(setting: str, value: Any) -> Any:
    """``value`` for the browser's ``setting`` (``page_size``, ``status_filter``,
    ``auto_refresh``), normalised; ``ValueError`` naming the setting when it cannot be."""
    if setting == "page_size" and not 1 <= value <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be from 1 to {MAX_PAGE_SIZE}, got {value}")
    if setting == "auto_refresh" and value < 0:
        raise ValueError(
            f"auto_refresh must be 0 (off) or a positive number of seconds, got {value}"
        )
    if setting == "status_filter" and value:
        status = parse_status(value)
        if not isinstance(status, OrderStatus):
            known = ", ".join(s.value for s in OrderStatus)
            raise ValueError(f"status_filter: unknown status {value!r}; use one of {known}")
        return status.value
    return value


def _button(name: str, label: str, *, disabled: bool = False, **extra: Any) -> dict[str, Any]:
    return {"name": name, "kind": "button", "label": label, "disabled": disabled, **extra}


def _select(name: str, label: str, choices: list[tuple[str, Any]], value: Any) -> dict[str, Any]:
    """A choice whose label is its value travels as the value alone."""
    return {
        "name": name,
        "kind": "select",
        "label": label,
        "choices": [c[1] if c[0] == c[1] else list(c) for c in choices],
        "value": value,
        "row": 1,
    }


def controls(state: State) -> list[dict[str, Any]]:
    """Row 0: paging (the position line follows it); row 1: filters, settings, export."""
    sizes = sorted({*PAGE_SIZES, state.page_size})
    refresh = [(label, value) for label, value in AUTO_REFRESH_CHOICES]
    if state.auto_refresh not in {value for _label, value in refresh}:
        refresh.append((f"every {state.auto_refresh:g} s", state.auto_refresh))
    products = sorted({*state.products, *([state.product] if state.product else [])})
    back, on = state.can_go_back, state.can_go_on
    return [
        _button("first", "\u00ab First", disabled=not back),
        _button("previous", "\u2039 Previous", disabled=not back),
        _button("next", "Next \u203a", disabled=not on),
        _select(
            "status",
            "Status",
            [(ALL_STATUSES, ""), *((s.value, s.value) for s in OrderStatus)],
            state.status,
        ),
        _select(
            "product",
            "Product",
            [(ALL_PRODUCTS, ""), *((p, p) for p in products)],
            state.product,
        ),
        _select("page_size", "Per page", [(n, n) for n in sizes], state.page_size),
        _button("refresh", "\u21bb Refresh", row=1),
        _select("auto_refresh", "Auto-refresh", refresh, state.auto_refresh),
        _button(
            "export",
            "Export\u2026",
            row=1,
            pressed=state.exporting,
            title="Export this page or every matching order",
        ),
    ]


def position_text(offset: int, shown: int, total: int | None) -> str:
    """``orders 21-40 of 250``; ``no orders`` for an empty listing."""
    if not shown:
        return "no orders" if not total else f"no orders here (of {total:,})"
    text = f"orders {offset + 1:,}-{offset + shown:,}"
    if total is not None:
        text += f" of {total:,}"
    return text


def lines(messages: Mapping[str, str], *, named: bool) -> list[str]:
    """Provider name → message as lines, each after its provider's name when ``named``."""
    return [f"{name}: {message}" if named else message for name, message in messages.items()]


def notes(
    problems: Mapping[str, str], remarks: Mapping[str, str], *, named: bool, error: str = ""
) -> list[dict[str, Any]]:
    """One line per provider that failed (with Retry), per remark, and for ``error``."""
    found = [
        {
            "text": text,
            "kind": "error",
            "action": "retry",
            "value": name if named else None,
            "label": "Retry",
        }
        for name, text in zip(problems, lines(problems, named=named), strict=True)
    ]
    found += [{"text": text, "kind": "info"} for text in lines(remarks, named=named)]
    if error:
        found.append({"text": error, "kind": "error"})
    return found


__all__ = [
    "ALL_PRODUCTS",
    "ALL_STATUSES",
    "AUTO_REFRESH_CHOICES",
    "MAX_PAGE_SIZE",
    "PAGE_SIZES",
    "State",
    "checked",
    "controls",
    "lines",
    "notes",
    "position_text",
]
