"""Opportunities figure: a 30-day opportunity search over one AOI (the optical product's three
satellites), ours against the way a Python STAPI provider would compute it.

* ``opportunities_search_30d``: one ``POST /stapi/products/optical-vhr/opportunities`` (``Prefer:
  wait``, every window on one page) to the reference server, against the same request to a
  stapi-fastapi server whose own backend finds the passes with skyfield's ``find_events``
  (the standard Python pass finder) over the same satellites, AOI and off-nadir limit
  (``_skyfield_stapi_serve.py``). Both in their own process on 127.0.0.1; the baseline does
  less (no sun check, no footprints, no filter). Target: no slower than it (ratio <= 1).
* ``opportunities_compute_30d``: the computation alone, in this process: our search (screening,
  SGP4, sun, footprints) against skyfield's ``find_events`` for the same satellites. Target:
  three quarters of its time or better, while doing more (sun, footprints).

The median of per-round ratios is reported (rounds alternate; see ``_common.Paired``).

    .venv/bin/python benchmarks/opportunities.py --days 30
"""

from __future__ import annotations

import argparse
import math
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from _common import PYTHON, Row, free_port, paired_times, print_rows, subprocess_server

AOI = {
    "type": "Polygon",
    "coordinates": [[[10.0, 50.0], [10.1, 50.0], [10.1, 50.1], [10.0, 50.1], [10.0, 50.0]]],
}
HTTP_TARGET = 1.0
COMPUTE_TARGET = 0.75


def _interval(days: int) -> tuple[datetime, datetime]:
    start = (datetime.now(UTC) + timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return start, start + timedelta(days=days)


def _body(days: int) -> dict[str, Any]:
    start, end = _interval(days)
    return {
        "datetime": f"{start:%Y-%m-%dT%H:%M:%SZ}/{end:%Y-%m-%dT%H:%M:%SZ}",
        "geometry": AOI,
        "limit": 1000,
    }


def _search(url: str, body: dict[str, Any]) -> int:
    response = httpx.post(url, json=body, headers={"Prefer": "wait"}, timeout=120)
    response.raise_for_status()
    data = response.json()
    if any(link["rel"] == "next" for link in data.get("links", [])):
        raise RuntimeError("the search did not fit one page")
    return len(data["features"])


def _http_row(days: int, repeat: int) -> Row:
    body = _body(days)
    ours_port, theirs_port = free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="stat-bench-") as tmp:
        ours_cmd = [PYTHON, "-m", "stat_widgets.cli", "serve", "--host", "127.0.0.1"]
        ours_cmd += ["--port", str(ours_port), "--db", str(Path(tmp) / "orders.db")]
        theirs_cmd = [PYTHON, str(Path(__file__).with_name("_skyfield_stapi_serve.py"))]
        theirs_cmd += ["--port", str(theirs_port)]
        with (
            subprocess_server(ours_cmd, ours_port) as ours,
            subprocess_server(theirs_cmd, theirs_port) as theirs,
        ):
            ours_url = f"{ours}/stapi/products/optical-vhr/opportunities"
            theirs_url = f"{theirs}/products/optical-vhr/opportunities"
            counts = {"ours": _search(ours_url, body), "theirs": _search(theirs_url, body)}
            times = paired_times(
                repeat, [lambda: _search(theirs_url, body), lambda: _search(ours_url, body)]
            )
    return Row(
        f"opportunities_search_{days}d",
        times.median(1),
        times.median(0),
        target=f"<= {HTTP_TARGET}",
        passed=times.ratio(1) <= HTTP_TARGET,
        ratio=times.ratio(1),
        note=f"one AOI, 3 satellites: {counts['ours']} daylight windows with footprints vs "
        f"{counts['theirs']} passes from skyfield behind stapi-fastapi; ratios {times.spread(1)}",
    )


def _compute_row(days: int, repeat: int) -> Row:
    from skyfield.api import EarthSatellite, load, wgs84

    from stat_widgets.server.opportunities.fleet import DEMO_FLEET
    from stat_widgets.server.opportunities.search import search

    flight = DEMO_FLEET["optical-vhr"]
    start, end = _interval(days)
    timescale = load.timescale(builtin=True)
    observer = wgs84.latlon(50.05, 10.05)
    eta = math.radians(flight.sensor.max_off_nadir_deg)
    elevations = [
        math.degrees(math.acos((6371.0 + sat.altitude_km) / 6371.0 * math.sin(eta)))
        for sat in flight.satellites
    ]

    def theirs() -> None:
        for sat, elevation in zip(flight.satellites, elevations, strict=True):
            EarthSatellite.from_satrec(sat.satrec, timescale).find_events(
                observer,
                timescale.from_datetime(start),
                timescale.from_datetime(end),
                altitude_degrees=elevation,
            )

    def ours() -> None:
        search(flight, AOI, start.timestamp(), end.timestamp(), now=start.timestamp())

    ours()  # SGP4 elements calibrated once per process
    times = paired_times(repeat, [theirs, ours])
    return Row(
        f"opportunities_compute_{days}d",
        times.median(1),
        times.median(0),
        target=f"<= {COMPUTE_TARGET}",
        passed=times.ratio(1) <= COMPUTE_TARGET,
        ratio=times.ratio(1),
        note=f"our search in-process vs skyfield find_events, same satellites; "
        f"ratios {times.spread(1)}",
    )


def figure(days: int = 30, repeat: int = 5) -> list[Row]:
    return [_http_row(days, repeat), _compute_row(days, repeat)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = figure(args.days, args.repeat)
    print_rows(rows)
    return 0 if all(r.passed for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
