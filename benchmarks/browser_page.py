"""Browser-page figure: one page of 100 orders in ``OrderBrowser`` against one
``ipyleaflet.GeoJSON`` layer of the same footprints.

Both sides fetch the page with the same client from the reference server (in this process), so
the difference is what the browser adds: the table, the footprint map, the filters and details.
Bytes are what the widgets' comms would send to the front end (a recording comm in place of
the kernel's), per order.

What the bytes are compared with. The GeoJSON layer alone draws nothing: a notebook that
shows it needs an ``ipyleaflet.Map`` too (its options, tile layer, zoom and attribution
controls, styles: 6.9 KB), which the browser's footprint map is. The target line is therefore
everything the first browser of a kernel sends with its first page of orders against an
``ipyleaflet.Map`` showing that layer. The other lines say the same honestly in parts: the
first page against the layer alone; a second browser in the same kernel (the table's ES module
and stylesheet, ``TableCode``, travel once per kernel, so it sends 4.3 KB less); the fixed part
(a browser with no orders, ``load=False``); and what the page of orders adds (rows, footprints,
the layer that draws them), the same for every page shown. The offline world layer under the
footprint map (137 KB, the same on every map of the package) is added when the map's front end
first reports, after the page is painted, so it is neither in the build nor in the bytes here;
it has a figure of its own (``world_layer.py``), and its build time against the same baseline
is shown. Targets (issue 17): build <= 2x, bytes of the first page <= 1.5x.

    .venv/bin/python benchmarks/browser_page.py --orders 100
"""

from __future__ import annotations

import argparse
import statistics
from typing import Any

import ipyleaflet
from _common import Row, best_of, paired_times, print_rows, recording_comms
from paging import fill

from stat_widgets.client import StatClient
from stat_widgets.server import run_in_thread
from stat_widgets.widgets import OrderBrowser
from stat_widgets.widgets.order_browser.footprint_map import footprint
from stat_widgets.widgets.order_browser.table_code import table_code
from stat_widgets.widgets.world_layer import world_layer

BUILD_TARGET = 2.0
BYTES_TARGET = 1.5


def geojson_layer(client: StatClient, limit: int) -> ipyleaflet.GeoJSON:
    page = client.orders_page(limit=limit)
    features = [
        {
            "type": "Feature",
            "id": o.id,
            "geometry": footprint(o),
            "properties": {"status": o.status},
        }
        for o in page.orders
    ]
    return ipyleaflet.GeoJSON(data={"type": "FeatureCollection", "features": features})


def shown_on_a_map(layer: ipyleaflet.GeoJSON) -> ipyleaflet.Map:
    """What a notebook needs to see the layer: a map (with its default basemap) and the layer
    on it."""
    shown = ipyleaflet.Map()
    shown.add(layer)
    return shown


def measure_bytes(client: StatClient, orders: int, sent: Any) -> dict[str, int]:
    """Bytes to the front end: the first browser of a kernel (a new code model), a later one,
    one with no orders, the GeoJSON layer alone and an ``ipyleaflet.Map`` showing it."""
    measured: dict[str, int] = {}

    def count(name: str, make: Any) -> None:
        sent.reset()
        made = make()
        measured[name] = sent.bytes
        made.close()

    table_code().close()  # as in a new kernel: the next table makes and sends it
    count("first", lambda: OrderBrowser(client, page_size=orders))
    count("later", lambda: OrderBrowser(client, page_size=orders))
    count("fixed", lambda: OrderBrowser(client, page_size=orders, load=False))
    count("layer", lambda: geojson_layer(client, orders))
    count("map_and_layer", lambda: shown_on_a_map(geojson_layer(client, orders)))
    return measured


def figure(orders: int = 100, repeat: int = 5) -> list[Row]:
    server = run_in_thread()
    try:
        fill(server, server.url, orders)
        with StatClient(server.url) as client, recording_comms() as sent:
            made: list[Any] = []
            refreshed: list[int] = []

            def browser() -> None:
                made.append(OrderBrowser(client, page_size=orders))
                assert len(made[-1].orders) == orders, made[-1].error
                assert made[-1].map.world_layer is None  # added once the map is on screen

            def layer() -> None:
                made.append(geojson_layer(client, orders))

            def world() -> None:
                made.append(world_layer())

            def close() -> None:
                while made:
                    made.pop().close()

            browser(), layer(), close()  # warm up
            times = paired_times(repeat, [browser, layer, world], setup=close)
            browser_best, layer_best, world_best = (min(t) for t in times.wall)
            close()

            bytes_of = measure_bytes(client, orders, sent)
            shown = OrderBrowser(client, page_size=orders)

            def refresh() -> None:
                sent.reset()
                assert shown.refresh(), shown.error
                refreshed.append(sent.bytes)

            (refresh_best,) = best_of(repeat, [refresh])
            shown.close()
    finally:
        server.stop()

    first, later, fixed = bytes_of["first"], bytes_of["later"], bytes_of["fixed"]
    layer_bytes, shown_bytes = bytes_of["layer"], bytes_of["map_and_layer"]
    build_ratio = browser_best / layer_best
    # of each round's pair (a slow spell on a shared machine lengthens both): wall, CPU
    median = statistics.median(a / b for a, b in zip(times.wall[0], times.wall[1], strict=True))
    cpu = statistics.median(a / b for a, b in zip(times.cpu[0], times.cpu[1], strict=True))
    return [
        Row(
            f"browser_page_{orders}_orders",
            browser_best,
            layer_best,
            f"<= {BUILD_TARGET:g}",
            build_ratio <= BUILD_TARGET,
            note="OrderBrowser(client, page_size) built and rendered vs client.orders_page + "
            f"one ipyleaflet.GeoJSON layer (both fetch the page; best of {repeat} each; "
            f"median of the rounds' ratios {median:.2f}, of their CPU times {cpu:.2f})",
        ),
        Row(
            "browser_page_world_layer_build",
            world_best,
            layer_best,
            note="the footprint map's offline world layer alone (world_layer()), added after "
            "the page is painted, vs the same baseline",
        ),
        Row(
            "browser_page_bytes_first_page",
            first / orders,
            shown_bytes / orders,
            f"<= {BYTES_TARGET:g}",
            first / shown_bytes <= BYTES_TARGET,
            unit="bytes/order",
            note=f"everything the kernel's first browser sends with its first page ({first:,} "
            f"bytes, the table's code model included) vs an ipyleaflet.Map showing the GeoJSON "
            f"layer ({shown_bytes:,}); the world layer's 137 KB after it, counted by "
            "world_layer.py",
        ),
        Row(
            "browser_page_bytes_vs_layer_alone",
            first / orders,
            layer_bytes / orders,
            unit="bytes/order",
            note=f"the same first page vs the GeoJSON layer alone ({layer_bytes:,} bytes), "
            "which draws nothing without a map",
        ),
        Row(
            "browser_page_bytes_later_browser",
            later / orders,
            shown_bytes / orders,
            unit="bytes/order",
            note=f"a second browser in the same kernel ({later:,} bytes: the code model is "
            f"not sent again) vs the map with the layer",
        ),
        Row(
            "browser_page_bytes_per_order",
            (later - fixed) / orders,
            layer_bytes / orders,
            unit="bytes/order",
            note=f"what the page of orders adds ({later - fixed:,} bytes: a later browser's "
            f"{later:,} less the {fixed:,} of one with no orders) vs the GeoJSON layer",
        ),
        Row(
            "browser_refresh_page",
            refresh_best,
            layer_best,
            note=f"OrderBrowser.refresh() of the page on screen "
            f"({max(refreshed) / orders:.0f} bytes/order sent) vs the GeoJSON layer",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print_rows(figure(args.orders, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
