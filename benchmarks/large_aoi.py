"""Large-AOI figure: a 200,000-vertex polygon uploaded to ``AOIMap`` as GeoJSON text.

Ours is everything the user waits for after choosing the file: parse, validate (structure,
ranges, shapely validity), simplify to the product's vertex limit with the error distance
reported, compute area and vertex count, and draw it (the draw control's state serialised for
the front end, counted by a recording comm). The baseline is what a careful user would run by
hand with shapely: ``from_geojson`` + ``is_valid`` + ``simplify`` at the same tolerance.

    .venv/bin/python benchmarks/large_aoi.py --vertices 50000
"""

from __future__ import annotations

import argparse
import json
import math

import shapely
from _common import Row, best_of, print_rows, recording_comms

from stat_widgets.models import simplify_to_limit, to_geometry
from stat_widgets.widgets.aoi_map import AOIMap

TARGET = 2.0
MAX_VERTICES = 1000


def big_polygon_text(vertices: int = 200_000) -> str:
    """A valid, star-shaped field boundary (radius wobbling at several frequencies, so that
    simplification has real work to do) around 10° E, 50° N, as GeoJSON text."""
    ring = []
    for k in range(vertices):
        a = 2 * math.pi * k / vertices
        r = 0.2 * (
            1 + 0.1 * math.sin(13 * a) + 0.03 * math.sin(211 * a) + 0.005 * math.sin(4099 * a)
        )
        ring.append([round(10.0 + r * math.cos(a) * 1.5, 7), round(50.0 + r * math.sin(a), 7)])
    ring.append(ring[0])
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def figure(vertices: int = 200_000, repeat: int = 5, max_vertices: int = MAX_VERTICES) -> list[Row]:
    text = big_polygon_text(vertices)
    # The tolerance ours ends at, for the baseline to simplify with (not timed).
    tolerance = simplify_to_limit(to_geometry(text), max_vertices).tolerance_deg

    with recording_comms() as sent:
        aoi = AOIMap(basemap=False, max_vertices=max_vertices)

        def ours() -> None:
            sent.reset()
            aoi.use_text(text)
            assert aoi.geometry is not None, aoi.error
            assert aoi.simplified, "the AOI was not simplified"

        def baseline() -> None:
            geom = shapely.from_geojson(text)
            assert geom.is_valid
            shapely.simplify(geom, tolerance)

        ours()  # warm up (and check it does what the figure claims)
        ours_best, base_best = best_of(repeat, [ours, baseline], setup=aoi.clear)
        aoi.clear()  # drawing onto an empty map, as the bytes row reports
        ours()
        bytes_sent, vertices_after, note = sent.bytes, aoi.vertices, aoi.simplified
        aoi.close()

    ratio = ours_best / base_best
    return [
        Row(
            f"large_aoi_{vertices}_vertices",
            ours_best,
            base_best,
            f"<= {TARGET}",
            ratio <= TARGET,
            note=f"AOIMap.use_text (validate, simplify to {max_vertices}, draw) vs shapely "
            f"from_geojson+is_valid+simplify; {note!r}",
        ),
        Row(
            "large_aoi_bytes_to_front_end",
            bytes_sent,
            len(text),
            unit="bytes",
            note=f"what drawing the simplified AOI ({vertices_after} vertices) sends vs "
            "the uploaded text",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vertices", type=int, default=200_000)
    parser.add_argument("--max-vertices", type=int, default=MAX_VERTICES)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print_rows(figure(args.vertices, args.repeat, args.max_vertices))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
