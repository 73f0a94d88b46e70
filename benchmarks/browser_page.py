"""Browser-page figure: one page of 100 orders in ``OrderBrowser`` against one
``ipyleaflet.GeoJSON`` layer of the same footprints.

Both sides fetch the page with the same client from the reference server (in this process), so
the difference is what the browser adds: the table, the footprint map, the filters and details.
Bytes are what the widgets' comms would send to the front end (a recording comm in place of
the kernel's), per order. The offline world layer under the footprint map (137 KB, the same on
every map of the package) has a figure and a target of its own (``world_layer.py``), so its comm
is left out of the bytes here and named in the note; its build time is in the build (it is part
of building the browser) and is shown on a line of its own. Targets (issue 17): build ≤ 2×,
bytes ≤ 1.5× the layer's.

    .venv/bin/python benchmarks/browser_page.py --orders 100
"""

from __future__ import annotations

import argparse
from typing import Any

import ipyleaflet
from _common import Row, best_of, print_rows, recording_comms
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
            counts: dict[str, list[int]] = {"browser": [], "layer": [], "refresh": [], "world": []}

            def browser() -> None:
                sent.reset()
                made.append(OrderBrowser(client, page_size=orders))
                assert len(made[-1].orders) == orders, made[-1].error
                world = sent.by_comm.get(made[-1].map.world_layer.model_id, 0)
                counts["browser"].append(sent.bytes - world)
                counts["world"].append(world)

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
            browser_best, layer_best, world_best = best_of(
                repeat, [browser, layer, world], setup=close
            )
            close()

            shown = OrderBrowser(client, page_size=orders)

            def refresh() -> None:
                sent.reset()
                assert shown.refresh(), shown.error
                counts["refresh"].append(sent.bytes)

            (refresh_best,) = best_of(repeat, [refresh])
            shown.close()
    finally:
        server.stop()

    per_order = {k: max(v) / orders for k, v in counts.items()}
    build_ratio = browser_best / layer_best
    bytes_ratio = per_order["browser"] / per_order["layer"]
    return [
        Row(
            f"browser_page_{orders}_orders",
            browser_best,
            layer_best,
            f"<= {BUILD_TARGET:g}",
            build_ratio <= BUILD_TARGET,
            note="OrderBrowser(client, page_size) built and rendered vs client.orders_page + "
            "one ipyleaflet.GeoJSON layer (both fetch the page)",
        ),
        Row(
            "browser_page_world_layer_build",
            world_best,
            layer_best,
            note="of which: the footprint map's offline world layer alone (world_layer()), "
            "vs the same baseline",
        ),
        Row(
            "browser_page_bytes_per_order",
            per_order["browser"],
            per_order["layer"],
            f"<= {BYTES_TARGET:g}",
            bytes_ratio <= BYTES_TARGET,
            unit="bytes/order",
            note=f"sent to the front end building the page ({max(counts['browser']):,} bytes, "
            f"and {max(counts['world']):,} for the world layer, counted by world_layer.py) "
            "vs the GeoJSON layer",
        ),
        Row(
            "browser_refresh_page",
            refresh_best,
            layer_best,
            note=f"OrderBrowser.refresh() of the page on screen ({per_order['refresh']:.0f} "
            "bytes/order sent) vs the GeoJSON layer",
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
