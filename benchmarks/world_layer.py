"""Offline world figure: what the bundled Natural Earth layer sends to the front end, per map.

Every map of the package (``AOIMap``, the order browser's ``FootprintMap``) carries the layer;
its bytes are counted on the layer's own comm (a recording comm in place of the kernel's, as
in ``browser_page.py``) over a map's life: built, "Go to" a place and a box, an AOI set from
code and cleared. The target is ≤ 250 KB per map, sent once: nothing more after the map is
built. The baseline is everything else the ``AOIMap`` sends when built (tiles' layer, draw
control, controls and form widgets), for scale.

    .venv/bin/python benchmarks/world_layer.py
"""

from __future__ import annotations

from _common import Row, print_rows, recording_comms

from stat_widgets.widgets.aoi_map import AOIMap
from stat_widgets.widgets.order_browser.footprint_map import FootprintMap

TARGET_BYTES = 250_000
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[8.6, 50.05], [8.72, 50.05], [8.72, 50.13], [8.6, 50.13], [8.6, 50.05]]],
}


def figure() -> list[Row]:
    with recording_comms() as sent:
        aoi = AOIMap()
        world_id = aoi.world_layer.model_id
        built = dict(sent.by_comm)
        aoi.go_to("Frankfurt")
        aoi.go_to("5.8, 47.2, 15.0, 55.0")
        aoi.set_geometry(SQUARE)
        aoi.clear()
        per_map = {"AOIMap": sent.by_comm[world_id]}
        resent = per_map["AOIMap"] - built[world_id]
        rest = sum(size for comm_id, size in built.items() if comm_id != world_id)
        footprints = FootprintMap()  # its world comes once the map is on screen
        per_map["FootprintMap"] = sent.by_comm[footprints.add_world().model_id]
        aoi.close()
        footprints.close()

    largest = max(per_map.values())
    return [
        Row(
            "world_layer_bytes_per_map",
            largest,
            rest,
            f"<= {TARGET_BYTES}",
            largest <= TARGET_BYTES and resent == 0,
            unit="bytes",
            note="the Natural Earth 110m layer's comm over a map's life ("
            + ", ".join(f"{name} {size:,}" for name, size in per_map.items())
            + f"; {resent:,} after the map was built) vs the rest of a built AOIMap",
        ),
    ]


def main() -> int:
    print_rows(figure())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
