"""The package's big widgets have a short ``repr`` (``widgets/_repr.py``): ipywidgets builds a
displayed widget's ``text/plain`` from it, and the full ``repr`` of a form spelled out every
widget inside it and the world's ~120 KB of GeoJSON before the cell's output could leave."""

from __future__ import annotations

from stat_widgets import AOIMap, OrderApp, OrderForm
from stat_widgets.widgets.world_layer import NAME


def test_a_form_says_where_it_orders_and_what_not_its_widgets(stat_url: str) -> None:
    form = OrderForm(stat_url, basemap=False)
    try:
        assert repr(form) == f"OrderForm(url={form.client.url!r})"  # no product chosen yet
        product = form.product_picker.products[0]
        form.product_picker.value = product
        assert repr(form) == f"OrderForm(url={form.client.url!r}, product={product.id!r})"
        assert form._repr_mimebundle_()["text/plain"] == repr(form)  # what the cell's output has
    finally:
        form.close()


def test_an_app_says_its_server_and_whether_it_answered(stat_url: str) -> None:
    app = OrderApp(stat_url, basemap=False, draft=None)
    try:
        assert repr(app) == f"OrderApp(url={app.client.url!r}, connected=True)"
    finally:
        app.close()


def test_a_half_made_form_has_a_repr_too() -> None:
    """A ``repr`` never raises: one of a form whose ``__init__`` did not run says no more."""
    assert repr(OrderForm.__new__(OrderForm)) == "OrderForm()"


def test_the_world_layer_is_named_not_spelled_out() -> None:
    aoi = AOIMap(basemap=False)
    try:
        assert repr(aoi.world_layer) == f"WorldLayer(name={NAME!r}, pane='stat-widgets-world')"
        assert len(repr(aoi)) < 5000  # the map's own traits and children, without the world
        assert len(str(aoi.world_layer.data)) > 100_000
    finally:
        aoi.close()
