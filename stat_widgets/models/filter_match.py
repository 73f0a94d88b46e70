"""Applying a CQL2 filter to things that are not orders yet: opportunities.

An opportunity knows some of a product's properties (its off-nadir angle, sun elevation,
orbit direction) and not others (the cloud cover of a scene not yet taken). ``cql2`` reduces
the filter with what is known (``Expr.reduce``): a clause on a known property becomes true or
false, one on an unknown property stays. An opportunity is dropped only when the filter is
then certainly false; otherwise it is kept, and what is left of the filter still constrains
the acquisition once ordered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import cql2

from stat_widgets.models.filter import validate_filter


def filter_matcher(value: Any) -> Callable[[Mapping[str, Any]], bool]:
    """A predicate over property dicts: False only when ``value`` (CQL2 JSON or text, or
    None for no filter) is false for those properties whatever the unknown ones are."""
    if value is None:
        return lambda properties: True
    expr = cql2.Expr(validate_filter(value))

    def keeps(properties: Mapping[str, Any]) -> bool:
        try:
            reduced = expr.reduce(dict(properties)).to_json()
        except Exception:  # cql2 raises bare exceptions; an undecidable filter keeps
            return True
        return reduced is not False

    return keeps


def filter_keeps(value: Any, properties: Mapping[str, Any]) -> bool:
    """One-off form of :func:`filter_matcher`."""
    return filter_matcher(value)(properties)
