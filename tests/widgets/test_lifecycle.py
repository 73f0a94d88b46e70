"""``close()`` of every widget of the package closes every widget model it made.

Counted in the kernel's registry of live widget models (each one is also a view in the front
end): a widget made, used the way a person uses it, and closed must leave the count where it
was. Using it matters: rows, alternatives, parameter controls and draw controls are made and
replaced while it is used.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipyleaflet
import ipywidgets as widgets
import pytest

from stat_widgets.client import StatClient
from stat_widgets.models import Product
from stat_widgets.widgets import (
    AOIMap,
    FilterBuilder,
    IntervalPicker,
    OrderApp,
    OrderBrowser,
    OrderForm,
    OrderParametersForm,
    ProductPicker,
    RequestReview,
)
from stat_widgets.widgets.go_to import GoToBox
from stat_widgets.widgets.order_browser.footprint_map import FootprintMap
from stat_widgets.widgets.order_browser.table_code import table_code

from ._shapes import SQUARE, drawn, polygon
from .conftest import fixed_now

PARAMETERS = {
    "type": "object",
    "properties": {
        "priority": {"type": "string", "enum": ["standard", "rush"], "default": "standard"},
        "looks": {"type": "integer", "minimum": 1, "maximum": 4},
        "notes": {"type": "string"},
    },
    "required": ["priority"],
}


def live_models() -> int:
    """Widget models alive in this kernel (ipywidgets 8 keeps them in ``_instances``; 7 in
    ``Widget.widgets``), the tables' code model made first: it is one per kernel, by design
    left open (``tests/widgets/test_table_code.py``)."""
    table_code()
    try:
        from ipywidgets.widgets.widget import _instances
    except ImportError:  # ipywidgets 7
        return len(widgets.Widget.widgets)
    return len(_instances)


@pytest.fixture(scope="module")
def products(stat_url: str) -> list[Product]:
    with StatClient(stat_url) as client:
        return client.products()


def by_id(products: list[Product], product_id: str) -> Product:
    return next(p for p in products if p.id == product_id)


def draw(aoi: AOIMap, ring: list[list[float]] = SQUARE) -> None:
    """What the browser sends when a polygon is finished on the map."""
    feature = drawn(polygon(ring))
    aoi.draw_control._handle_custom_msg({"event": "pm:create", "geo_json": feature}, [])
    aoi.draw_control.set_state({"data": [feature]})


# -- each widget made, used and closed -------------------------------------------------------


def use_aoi_map(_url: str, _products: list[Product]) -> AOIMap:
    aoi = AOIMap(basemap=False)
    draw(aoi)
    aoi.accept_points = True  # the draw control is replaced (and kept until close)
    aoi.accept_points = False
    aoi.use_text("POLYGON ((10 50, 10.2 50, 10.2 50.2, 10 50.2, 10 50))")
    aoi.go_to("Paris")  # alternatives buttons and the marker layer
    aoi.go_to("Springfield")
    return aoi


def use_aoi_map_with_tiles(_url: str, _products: list[Product]) -> AOIMap:
    aoi = AOIMap()
    draw(aoi)
    return aoi


def use_product_picker(_url: str, products: list[Product]) -> ProductPicker:
    picker = ProductPicker(products)
    for product in products:
        picker.select(product.id)
    picker.products = products[:1]
    return picker


def use_interval_picker(_url: str, _products: list[Product]) -> IntervalPicker:
    picker = IntervalPicker(now=fixed_now, timezone="Europe/Berlin")
    for label in picker.preset_buttons:
        picker.apply_preset(label)
    picker.open_end.value = True
    return picker


def use_filter_builder(_url: str, products: list[Product]) -> FilterBuilder:
    builder = FilterBuilder(by_id(products, "optical-stereo-video").constraints)
    for name in builder.names:
        row = builder.add_row()
        row.property.value = name  # new value controls for each kind of field
        if "between" in row.operator.options:
            row.operator.value = "between"
            row.operator.value = "<="
    builder.remove_row(builder.rows[0])
    builder.constraints = by_id(products, "sar-x-band").constraints  # every row replaced
    builder.add_row()
    return builder


def use_order_parameters(_url: str, _products: list[Product]) -> OrderParametersForm:
    form = OrderParametersForm()
    for _ in range(3):
        form.schema = PARAMETERS
        form.controls["looks"].value = "2"
        form.schema = None
    form.schema = PARAMETERS
    return form


def use_request_review(_url: str, _products: list[Product]) -> RequestReview:
    review = RequestReview()
    review.show_request(None, summary="")
    return review


def use_footprint_map(_url: str, _products: list[Product]) -> FootprintMap:
    return FootprintMap()


def use_order_form(url: str, _products: list[Product]) -> OrderForm:
    form = OrderForm(url, basemap=False, now=fixed_now)
    draw(form.aoi)
    for product_id in ("sar-x-band", "optical-stereo-video", "optical-vhr"):
        form.product_picker.dropdown.value = product_id
        form.filters.add_button.click()
    form.interval.preset_buttons["Next 7 days"].click()
    assert form.request is not None
    return form


def use_order_browser(url: str, _products: list[Product]) -> OrderBrowser:
    browser = OrderBrowser(url, page_size=5, auto_refresh=30)
    browser.refresh()
    return browser


def use_order_app(url: str, _products: list[Product]) -> OrderApp:
    app = OrderApp(url, basemap=False)
    assert app.form is not None and app.browser is not None
    draw(app.form.aoi)
    app.browser.refresh()
    return app


USES: dict[str, Callable[[str, list[Product]], widgets.Widget]] = {
    "AOIMap": use_aoi_map,
    "AOIMap with tiles": use_aoi_map_with_tiles,
    "ProductPicker": use_product_picker,
    "IntervalPicker": use_interval_picker,
    "FilterBuilder": use_filter_builder,
    "OrderParametersForm": use_order_parameters,
    "RequestReview": use_request_review,
    "FootprintMap": use_footprint_map,
    "OrderForm": use_order_form,
    "OrderBrowser": use_order_browser,
    "OrderApp": use_order_app,
}


@pytest.mark.parametrize("name", list(USES))
def test_close_leaves_no_widget_model(name: str, stat_url: str, products: list[Product]) -> None:
    before = live_models()
    widget = USES[name](stat_url, products)
    assert live_models() > before
    widget.close()
    assert live_models() == before
    widget.close()  # closing twice (and the garbage collector's close) is harmless
    assert live_models() == before


def test_the_go_to_box_closes_its_marker_and_leaves_the_map(stat_url: str) -> None:
    map_ = ipyleaflet.Map(layers=())
    layers = map_.layers
    before = live_models()
    box = GoToBox(map_)
    box.go("Paris")  # the marker on the map, buttons for the other Parises
    assert box.marker in map_.layers and box.alternatives.children
    box.close()
    assert live_models() == before
    assert map_.comm is not None and map_.layers == layers
    map_.close()


def test_thirty_forms_leave_nothing(stat_url: str) -> None:
    """Issue 13's measure: 30 forms made and closed left 3,510 models (117 each)."""
    before = live_models()
    for _ in range(30):
        OrderForm(stat_url, basemap=False).close()
    assert live_models() == before


def test_a_form_closes_the_client_it_made_and_no_other(stat_url: str) -> None:
    made_here = OrderForm(stat_url, basemap=False)
    client = made_here.client
    made_here.close()
    assert client._http.is_closed
    with StatClient(stat_url) as given:
        OrderForm(given, basemap=False).close()
        assert not given._http.is_closed
        assert given.products()


@pytest.mark.parametrize(
    ("name", "churn"),
    [
        ("filter rows", lambda w, i: setattr(w.rows[0].property, "value", w.names[i % 5])),
        ("parameter controls", lambda w, i: setattr(w, "schema", dict(PARAMETERS, i=i))),
        ("go-to alternatives", lambda w, i: w.go_to(("Paris", "Springfield")[i % 2])),
    ],
)
def test_what_is_replaced_while_in_use_is_closed(
    name: str, churn: Callable[[Any, int], None], products: list[Product]
) -> None:
    """Models made for a value and replaced by the next are closed then, not at the end."""
    widget: Any
    if name == "filter rows":
        widget = FilterBuilder(by_id(products, "optical-stereo-video").constraints)
        widget.add_row()
    elif name == "parameter controls":
        widget = OrderParametersForm()
    else:
        widget = AOIMap(basemap=False)
    try:
        counts = []
        for i in range(30):
            churn(widget, i)
            counts.append(live_models())
        assert counts[20:] == counts[10:20]  # each value costs the same models every time
    finally:
        widget.close()


def test_every_public_widget_is_counted_and_closes_one_way() -> None:
    """Each widget the package exports is made, used and closed above, and its ``close()`` is
    the one way (``ClosesTree``, or its own release followed by ``close_tree``)."""
    import inspect

    import stat_widgets.widgets
    from stat_widgets.widgets._lifecycle import ClosesTree

    counted = {name.split(" ")[0] for name in USES} | {"FilterRow"}  # rows: in FilterBuilder
    exported = set(stat_widgets.widgets.__all__)
    assert exported <= counted
    for name in exported:
        cls = getattr(stat_widgets.widgets, name)
        close = cls.close
        assert close is ClosesTree.close or "close_tree(self" in inspect.getsource(close), name


def test_a_form_given_a_bad_target_says_so_before_it_makes_a_widget() -> None:
    """The client is made when the products are first asked for, but what cannot be a client
    is refused at once, before the map is made."""
    for bad, error in ((42, TypeError), ("  ", TypeError)):
        with pytest.raises(error, match="StatClient or the API's URL"):
            OrderForm(bad, basemap=False)  # type: ignore[arg-type]
    with StatClient("http://127.0.0.1:9") as given, pytest.raises(ValueError, match="token="):
        OrderForm(given, token="secret", basemap=False)


def test_a_url_the_client_refuses_leaves_no_widget_open(tmp_path: Any) -> None:
    """The map is made before the client, which refuses the URL: the form closes what it made
    (the map, its world layer, the draft bar) before the error reaches the caller. The first
    attempt may make the package's shared layout and style models, which stay by design."""
    with pytest.raises(ValueError, match="http"):
        OrderForm("not a url", basemap=False)
    before = live_models()
    for bad in ("not a url", "ftp://example.com/", "http://"):
        with pytest.raises(ValueError, match="http"):
            OrderForm(bad, basemap=False, draft="refused", drafts_home=tmp_path)
    assert live_models() == before
