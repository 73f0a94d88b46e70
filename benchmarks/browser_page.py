"""Browser-page figure: one page of 100 orders in ``OrderBrowser`` against one
``ipyleaflet.GeoJSON`` layer of the same footprints.

Both sides fetch the page with the same client from the reference server (in this process), so
the difference is what the browser adds: the table, the footprint map, the filters and details.
Bytes are what the widgets' comms would send to the front end (a recording comm in place of
the kernel's), per order.

What is a fixed cost, and what the page costs. A browser sends some things once, whatever it
shows: the map itself (its options, tile layer, zoom and attribution controls, styles), the
layout models, the table's ES module and stylesheet, its controls and legend. That is what a
browser with no orders sends (``OrderBrowser(..., load=False)``), measured here, printed on a
line of its own, and left out of the target line, which is about what a page of orders adds
(its rows, its footprints, the layer that draws them): the same for every page shown, and what
grows with the page size. The total of the first page is printed too. The layer's figure is
not reduced by its own fixed part (the baseline keeps its widget state), and a notebook that
showed the layer would also need a map. The offline world layer under the footprint map (137
KB, the same on every map of the package) is added when the map's front end first reports,
after the page is painted, so it is neither in the build nor in the bytes here; it has a
figure of its own (``world_layer.py``), and its build time against the same baseline is shown.
Targets (issue 17): build ≤ 2×, bytes of the page ≤ 1.5× the layer's.

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


def figure(orders: int = 100, repeat: int = 5) -> list[Row]:
    server = run_in_thread()
    try:
        fill(server, server.url, orders)
        with StatClient(server.url) as client, recording_comms() as sent:
            made: list[Any] = []
            counts: dict[str, list[int]] = {"browser": [], "layer": [], "refresh": []}

            def browser() -> None:
                sent.reset()
                made.append(OrderBrowser(client, page_size=orders))
                assert len(made[-1].orders) == orders, made[-1].error
                assert made[-1].map.world_layer is None  # added once the map is on screen
                counts["browser"].append(sent.bytes)

            def layer() -> None:
                sent.reset()
                made.append(geojson_layer(client, orders))
                counts["layer"].append(sent.bytes)

            def world() -> None:
                made.append(world_layer())

            def close() -> None:
                while made:
                    made.pop().close()

            browser(), layer(), close()  # warm up
            times = paired_times(repeat, [browser, layer, world], setup=close)
            browser_best, layer_best, world_best = (min(t) for t in times.wall)
            close()

            sent.reset()
            OrderBrowser(client, page_size=orders, load=False).close()
            fixed = sent.bytes
            shown = OrderBrowser(client, page_size=orders)

            def refresh() -> None:
                sent.reset()
                assert shown.refresh(), shown.error
                counts["refresh"].append(sent.bytes)

            (refresh_best,) = best_of(repeat, [refresh])
            shown.close()
    finally:
        server.stop()

    total = max(counts["browser"])
    layer_bytes = max(counts["layer"])
    build_ratio = browser_best / layer_best
    bytes_ratio = (total - fixed) / layer_bytes
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
            "browser_page_bytes_per_order",
            (total - fixed) / orders,
            layer_bytes / orders,
            f"<= {BYTES_TARGET:g}",
            bytes_ratio <= BYTES_TARGET,
            unit="bytes/order",
            note=f"what the page of orders sends to the front end ({total - fixed:,} bytes: "
            f"the first page's {total:,} less the {fixed:,} of a browser with no orders) vs "
            f"the GeoJSON layer ({layer_bytes:,})",
        ),
        Row(
            "browser_page_bytes_total_per_order",
            total / orders,
            layer_bytes / orders,
            unit="bytes/order",
            note="everything building the browser with its first page sends (the world "
            "layer's 137 KB after it, counted by world_layer.py) vs the GeoJSON layer",
        ),
        Row(
            "browser_refresh_page",
            refresh_best,
            layer_best,
            note=f"OrderBrowser.refresh() of the page on screen "
            f"({max(counts['refresh']) / orders:.0f} bytes/order sent) vs the GeoJSON layer",
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
