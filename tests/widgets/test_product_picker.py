"""The product picker, fed by the reference server, including a hostile catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from stat_widgets.client import RetryPolicy, StatClient
from stat_widgets.widgets import OrderForm

HOSTILE = "<img src=x onerror=alert(1)>"


def test_lists_the_servers_products(form: OrderForm) -> None:
    picker = form.product_picker
    ids = [p.id for p in picker.products]
    assert ids == ["optical-vhr", "sar-x-band", "multispectral-wide", "optical-stereo-video"]
    assert [v for _, v in picker.dropdown.options] == ["", *ids]
    assert picker.value is None


def test_choosing_a_product_shows_it_and_rebuilds_the_filters(form: OrderForm) -> None:
    form.product_picker.dropdown.value = "sar-x-band"
    sar = form.product_picker.value
    assert sar is not None and sar.id == "sar-x-band"
    assert "X-band SAR" in form.product_picker.details.value
    assert "Polarization [sar:polarizations]" in form.product_picker.details.value
    assert "AOI at most 5,000 km²" in form.product_picker.details.value
    assert form.filters.fields is sar.fields
    form.filters.add_row("sar:polarizations")

    form.product_picker.select("multispectral-wide")
    assert form.filters.rows == []
    assert set(form.filters.names) == {"eo:cloud_cover", "view:off_nadir"}
    assert form.aoi.max_area_km2 == 20000
    assert form.aoi.accept_points is False  # polygons only
    form.product_picker.select("optical-vhr")
    assert form.aoi.accept_points is True


def test_unknown_product_id_names_the_choices(form: OrderForm) -> None:
    with pytest.raises(KeyError, match="optical-vhr"):
        form.product_picker.select("nope")


def test_hostile_title_is_shown_as_text(make_stat_server: Callable, make_form: Callable) -> None:
    server = make_stat_server(
        products=[
            {
                "id": "evil",
                "title": HOSTILE,
                "description": "<script>alert('description')</script>",
                "constraints": {
                    "type": "object",
                    "properties": {
                        "<b>x</b>": {
                            "type": "number",
                            "minimum": 0,
                            "maximum": 1,
                            "title": "<i onmouseover=alert(2)>t</i>",
                            "description": "<svg onload=alert(3)>",
                        }
                    },
                },
            }
        ]
    )
    form = make_form(server.url)
    form.product_picker.select("evil")
    details = form.product_picker.details.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in details
    assert "&lt;script&gt;" in details
    assert "&lt;svg onload=alert(3)&gt;" in details
    for raw in ("<img", "<script", "<svg", "<i ", "<b>x"):
        assert raw not in details
    # The dropdown renders labels as text; the label is the title itself.
    assert (f"{HOSTILE} (evil)", "evil") in form.product_picker.dropdown.options
    row = form.filters.add_row()
    assert "<svg" not in row.hint.value
    # The review summary names the product too.
    assert "<img" not in form.review.summary.value
    assert "&lt;img" in form.review.summary.value


def test_unreachable_server_says_so_and_can_reload(
    make_stat_server: Callable, make_form: Callable, tmp_path: Path
) -> None:
    server = make_stat_server(db_path=tmp_path / "orders.sqlite")
    url = server.url
    server.stop()
    form = make_form(StatClient(url, retry=RetryPolicy(tries=1)))
    assert form.product_picker.products == []
    assert "Could not list the server's products" in form.product_picker.error
    assert "Could not list" in form.product_picker.error_label.value

    make_stat_server(db_path=tmp_path / "orders.sqlite", port=urlsplit(url).port)
    form.reload_button.click()
    assert form.product_picker.error == ""
    assert len(form.product_picker.products) == 4


def test_reload_sits_in_the_dropdowns_row(make_form: Callable, stat_url: str) -> None:
    """The "Reload products" button is beside the list it reloads, not past the product's
    card (a long description made the card as wide as the form and the button drifted to its
    far end)."""
    form = make_form(stat_url)
    picker = form.product_picker
    row = picker.children[0]
    assert row.children == (picker.dropdown, form.reload_button)
    picker.select(picker.products[0].id)
    assert picker.children[:2] == (row, picker.details) and picker.details.value
