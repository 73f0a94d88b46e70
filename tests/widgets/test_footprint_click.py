"""A click on a footprint, as the browser sends it, reaches the map's selection: the path
``FootprintMap.click_feature`` stands in for (it calls the layers' ``on_click`` callback itself,
so the package uses no private ipyleaflet method; only this test feeds the widget message)."""

from __future__ import annotations

from stat_widgets.models import Order
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
