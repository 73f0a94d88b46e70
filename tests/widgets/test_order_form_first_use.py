"""What a form imports and makes before it is first shown (issue 16, ``benchmarks/first_paint.py``):
``OrderForm(url)`` for an ``http://`` API lists the products without httpx's command-line client
(click, rich), shapely, cql2, the geometry modules that need shapely, the opportunity search,
and without loading the TLS trust; then each loads when first used, and works."""

from __future__ import annotations

import json
import subprocess
import sys

#: Loaded later than the form's first paint: each on first use.
LATER = (
    "anywidget",
    "click",
    "rich",
    "shapely",
    "cql2",
    "stat_widgets.models.geometry.validate",
    "stat_widgets.models.geometry.convert",
    "stat_widgets.models.geometry.measure",
    "stat_widgets.models.geometry.limits",
    "stat_widgets.models.antimeridian",
    "stat_widgets.models.places",
    "stat_widgets.client.aio",
    "stat_widgets.widgets.opportunities.search",
    "stat_widgets.widgets.opportunities.trade_off",
    "stat_widgets.widgets.opportunities.ordering",
)

PROBE = """
import json, sys
from stat_widgets import OrderForm
from stat_widgets._tls import ssl_context

def loaded():
    return [m for m in {later!r} if sys.modules.get(m) is not None]

form = OrderForm({url!r}, basemap=False)
first = {{
    "products": [p.id for p in form.product_picker.products],
    "loaded": loaded(),
    "trusted": ssl_context().cert_store_stats()["x509_ca"],
}}
form.aoi.use_bbox(8, 50, 9, 51)  # the first geometry: shapely and the geometry modules
first["area"] = form.aoi.geometry["type"]
from stat_widgets.models import filter_to_text
first["filter"] = filter_to_text({{"op": "<=", "args": [{{"property": "eo:cloud_cover"}}, 20]}})
first["after"] = loaded()
print(json.dumps(first))
"""


def _first_use(url: str) -> dict:
    code = PROBE.format(url=url, later=LATER)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_first_paint_leaves_what_it_does_not_show_for_first_use(stat_url: str) -> None:
    seen = _first_use(stat_url)
    assert seen["products"]  # the form listed the server's products
    assert seen["loaded"] == []
    assert seen["trusted"] == 0  # no TLS connection yet, so certifi's bundle is not loaded
    # used later, they load and work
    assert seen["area"] == "Polygon"
    assert {"shapely", "stat_widgets.models.geometry.validate"} <= set(seen["after"])
    assert "cql2" in seen["after"] and seen["filter"] == "eo:cloud_cover <= 20"


ORDER_PROBE = """
import json, sys
from ipywidgets import Widget
from stat_widgets import OrderForm

opened = []
open_comm = Widget.open
def recording_open(self):
    opened.append([type(self).__name__, "httpx" in sys.modules, "pydantic" in sys.modules])
    open_comm(self)
Widget.open = recording_open
form = OrderForm({url!r}, basemap=False)
print(json.dumps({{"opened": opened, "products": len(form.product_picker.products)}}))
"""


def test_the_map_goes_to_the_browser_before_the_client_and_models_load(stat_url: str) -> None:
    """Each widget's creation message leaves as it is made, and the browser builds it while the
    kernel goes on: the map's widgets (the heaviest to build, with the world layer) are made
    before httpx and pydantic load (about 90 ms), not after (benchmarks/first_paint.py)."""
    done = subprocess.run(
        [sys.executable, "-c", ORDER_PROBE.format(url=stat_url)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["products"] > 1  # the form still lists the server's products when first shown
    before = [name for name, httpx, pydantic in seen["opened"] if not (httpx or pydantic)]
    after = [name for name, httpx, pydantic in seen["opened"] if httpx and pydantic]
    assert {"Map", "GeomanDrawControl", "GeoJSON", "GoToBox", "AOIMap"} <= set(before)
    assert {"ProductPicker", "IntervalPicker", "RequestReview"} <= set(after)
