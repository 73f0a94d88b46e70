"""A click on a footprint, as the browser sends it, reaches the map's selection: the path
``FootprintMap.click_feature`` and ``OpportunityFootprints.click_feature`` stand in for (they
call the layers' ``on_click`` callback themselves, so the package uses no private ipyleaflet
method; only this test feeds the widget message)."""

from __future__ import annotations

import ast
import inspect
from datetime import UTC, datetime, timedelta
from pathlib import Path

import ipyleaflet

import stat_widgets
from stat_widgets.models import Opportunity, Order, TimeInterval
from stat_widgets.widgets.opportunities.footprints import OpportunityFootprints
from stat_widgets.widgets.order_browser.footprint_map import FootprintMap


def order(index: int, status: str) -> Order:
    west = 10.0 + index
    ring = [[west, 50.0], [west + 0.5, 50.0], [west + 0.5, 50.5], [west, 50.5], [west, 50.0]]
    return Order.model_validate(
        {
            "id": f"order-{index}",
            "status": status,
            "created": "2031-03-01T09:30:00Z",
            "request": {
                "datetime": "2031-03-02T00:00:00Z/2031-03-09T00:00:00Z",
                "product_id": "optical-vhr",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            },
        }
    )


def test_a_click_message_from_the_browser_selects_the_footprint() -> None:
    footprints = FootprintMap()
    try:
        footprints.set_orders([order(0, "received"), order(1, "accepted"), order(2, "received")])
        assert footprints.drawn == [0, 1, 2]
        layer = next(
            layer
            for layer in footprints.stage_layers.values()
            if any(f["id"] == 2 for f in layer.data["features"])
        )
        feature = next(f for f in layer.data["features"] if f["id"] == 2)
        message = {"event": "click", "feature": feature, "properties": {}, "id": 2}
        layer._handle_custom_msg(message, [])  # what ipyleaflet's view sends on a click
        assert footprints.selected == 2
        footprints.click_feature(1)  # the stand-in does the same
        assert footprints.selected == 1
        (highlighted,) = footprints.highlight.data["features"]
        assert highlighted["id"] == 1
    finally:
        footprints.close()


def window(index: int) -> Opportunity:
    west = 10.0 + index
    ring = [[west, 50.0], [west + 0.5, 50.0], [west + 0.5, 50.5], [west, 50.5], [west, 50.0]]
    start = datetime(2031, 3, 1 + index, 10, tzinfo=UTC)
    return Opportunity(
        product_id="optical-vhr",
        datetime=TimeInterval(start=start, end=start + timedelta(minutes=5)),
        geometry={"type": "Polygon", "coordinates": [ring]},
    )


def test_a_click_message_from_the_browser_selects_the_window() -> None:
    map_ = ipyleaflet.Map()
    footprints = OpportunityFootprints(map_)
    try:
        footprints.show([window(0), window(1), window(2)])
        feature = footprints.layer.data["features"][2]
        message = {"event": "click", "feature": feature, "properties": {}, "id": 2}
        footprints.layer._handle_custom_msg(message, [])  # what ipyleaflet's view sends
        assert footprints.selected == 2
        footprints.click_feature(1)  # the stand-in does the same
        assert footprints.selected == 1
        assert footprints.highlight.data["features"][0]["id"] == 1
    finally:
        map_.close()


def _private_names_of_ipyleaflet() -> set[str]:
    """``_name``s of ipyleaflet's classes (and what they inherit from ipywidgets/traitlets)."""
    names = set()
    for _, cls in inspect.getmembers(ipyleaflet, inspect.isclass):
        if cls.__module__.startswith(("ipyleaflet", "ipywidgets", "traitlets")):
            names |= {n for n in dir(cls) if n.startswith("_") and not n.startswith("__")}
    return names


def test_the_package_calls_no_private_ipyleaflet_method() -> None:
    """Overriding a documented hook is a definition, not a call (``StyledLayer._get_data``,
    whose effect test_order_browser checks); a name the package defines itself is its own."""
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in _modules()]
    ours = {
        node.name
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    theirs = _private_names_of_ipyleaflet() - ours
    assert "_handle_mouse_events" in theirs and "_handle_custom_msg" in theirs
    called = sorted(
        node.func.attr
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in theirs
    )
    assert called == []


def _modules() -> list[Path]:
    root = Path(stat_widgets.__file__).parent
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
