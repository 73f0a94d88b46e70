"""Opportunity widgets figure: 200 windows shown in ``OpportunitySection`` (the sortable table,
the footprints on the map, the timeline and the advice), against one ``ipyleaflet.GeoJSON``
layer of the same footprints, the least a notebook user would draw them with.

The windows are found once, before timing, by the reference server's STAPI face (about 100
days over one AOI); both sides then build from the same list of ``Opportunity``. Bytes are what
the widgets' comms would send to the front end (a recording comm in place of the kernel's):
the section's every model (table rows, the ES module and stylesheet, buttons, the timeline's
SVG, both footprint layers) against the layer's. Build time is the section built and shown
against the layer built, timed alternately round by round; the figure is the median of the
rounds' ratios of this process's CPU time (``Paired.ratio``; the build is all in-process, so
its CPU time is its cost, while the wall clock of a machine shared with other jobs also counts
the time they took the CPU; the wall-clock ratio is printed beside it). Target (issue 15):
both ≤ 2×.

    .venv/bin/python benchmarks/opportunity_widgets.py --windows 200
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from typing import Any

import ipyleaflet
from _common import Row, paired_times, print_rows, recording_comms

from stat_widgets.client import StatClient
from stat_widgets.models import Opportunity, OpportunityRequest
from stat_widgets.server import ManualClock, run_in_thread
from stat_widgets.widgets.opportunities import OpportunitySection
from stat_widgets.widgets.opportunities.search import SearchOutcome
from stat_widgets.widgets.order_browser.table_code import table_code

TARGET = 2.0
START = datetime(2031, 6, 1, tzinfo=UTC)
AOI = {
    "type": "Polygon",
    "coordinates": [[[9.17, 47.65], [9.19, 47.65], [9.19, 47.67], [9.17, 47.67], [9.17, 47.65]]],
}


def find(client: StatClient, windows: int) -> tuple[OpportunityRequest, list[Opportunity]]:
    """At least ``windows`` windows (about two a day), cut to exactly that many."""
    days = max(2, windows // 2 + 10)
    end = START + timedelta(days=days)
    request = OpportunityRequest.from_input(
        {
            "datetime": f"{START:%Y-%m-%dT%H:%M:%SZ}/{end:%Y-%m-%dT%H:%M:%SZ}",
            "product_id": "optical-vhr",
            "geometry": AOI,
        }
    )
    found = client.opportunities(request)
    if len(found) < windows:
        raise RuntimeError(f"only {len(found)} windows in {days} days")
    return request, found[:windows]


def geojson_layer(found: list[Opportunity]) -> ipyleaflet.GeoJSON:
    features = [
        {"type": "Feature", "id": i, "geometry": o.geometry, "properties": {}}
        for i, o in enumerate(found)
    ]
    return ipyleaflet.GeoJSON(data={"type": "FeatureCollection", "features": features})


def figure(windows: int = 200, repeat: int = 15) -> list[Row]:
    server = run_in_thread(clock=ManualClock(START))
    try:
        with StatClient(server.url + "/stapi") as client:
            request, found = find(client, windows)
            product = client.product("optical-vhr")
            outcome = SearchOutcome(request, matched=found)
            made: list[Any] = []
            counts: dict[str, list[int]] = {"section": [], "layer": []}
            with recording_comms() as sent:

                def section() -> None:
                    sent.reset()
                    shown = OpportunitySection(client, background=False, time_zone="Europe/Berlin")
                    shown.set_product(product)
                    shown.set_request(request)
                    shown.show(outcome)
                    assert len(shown.table.rows) == windows
                    made.append(shown)
                    counts["section"].append(sent.bytes)

                def layer() -> None:
                    sent.reset()
                    made.append(geojson_layer(found))
                    counts["layer"].append(sent.bytes)

                def close() -> None:
                    while made:
                        made.pop().close()

                # as in a new kernel: the first section sends the tables' code model (the
                # largest count, which is the one reported), later ones refer to it
                table_code().close()
                section(), layer(), close()  # warm up (the client's product cache too)
                times = paired_times(repeat, [layer, section], setup=close)
                close()
    finally:
        server.stop()
    sizes = {k: max(v) for k, v in counts.items()}
    build_ratio = times.ratio(1, cpu=True)
    bytes_ratio = sizes["section"] / sizes["layer"]
    return [
        Row(
            f"opportunity_widgets_{windows}_build",
            times.median_cpu(1),
            times.median_cpu(0),
            f"<= {TARGET:g}",
            build_ratio <= TARGET,
            ratio=build_ratio,
            note="OpportunitySection built and showing the windows (table, footprints, "
            f"timeline, advice) vs one ipyleaflet.GeoJSON layer of the footprints; CPU time, "
            f"median of {repeat} paired rounds' ratios (spread {times.spread(1, cpu=True)}; "
            f"wall clock {times.ratio(1):.2f})",
        ),
        Row(
            f"opportunity_widgets_{windows}_bytes",
            sizes["section"] / windows,
            sizes["layer"] / windows,
            f"<= {TARGET:g}",
            bytes_ratio <= TARGET,
            unit="bytes/window",
            note=f"sent to the front end ({sizes['section']:,} vs {sizes['layer']:,} bytes)",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    print_rows(figure(args.windows, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
