"""Orders out of the browser: a GeoJSON FeatureCollection, a list of dicts, or a GeoDataFrame.

A file export is written feature by feature as the pages arrive, so exporting every order of a
large account holds one page in memory, not the whole listing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

from stat_widgets.models import Order
from stat_widgets.widgets.order_browser.footprint_map import footprint
from stat_widgets.widgets.order_browser.pager import Row

#: What an export takes: orders, or rows of the merged listing (each order with its provider,
#: which the export then records as ``provider``).
Exportable = Order | Row

Format = Literal["geojson", "records", "geodataframe"]
FORMATS: tuple[str, ...] = ("geojson", "records", "geodataframe")


def order_record(item: Exportable) -> dict[str, Any]:
    """The order as plain JSON-compatible data, every field the server sent included (and the
    provider's name, for a row of several providers' orders)."""
    if isinstance(item, Row):
        return {**item.order.model_dump(mode="json"), "provider": item.provider}
    return item.model_dump(mode="json")


def order_feature(item: Exportable) -> dict[str, Any]:
    """The order as a GeoJSON Feature: its footprint (``null`` when it has none) and the rest of
    the order, flattened enough for a GIS attribute table."""
    order = item.order if isinstance(item, Row) else item
    record = order_record(item)
    request = record.pop("request", None) or {}
    properties = {
        **record,
        "datetime": request.get("datetime"),
        "filter": request.get("filter"),
    }
    return {
        "type": "Feature",
        "id": order.id,
        "geometry": footprint(order),
        "properties": properties,
    }


def check_format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    return fmt  # type: ignore[return-value]


def write_geojson(orders: Iterable[Exportable], path: str | Path) -> int:
    """Stream a FeatureCollection to ``path``; the number of features written."""
    count = 0
    target = Path(path)
    with target.open("w", encoding="utf-8") as out:
        out.write('{"type": "FeatureCollection", "features": [')
        for order in orders:
            out.write(",\n" if count else "\n")
            out.write(json.dumps(order_feature(order), ensure_ascii=False))
            count += 1
        out.write("\n]}\n")
    return count


def export_orders(
    orders: Iterable[Exportable], *, fmt: str = "geojson", path: str | Path | None = None
) -> Any:
    """``geojson``: a FeatureCollection dict (or, with ``path``, the file written and its path);
    ``records``: a list of dicts (or a JSON file); ``geodataframe``: needs geopandas."""
    fmt = check_format(fmt)
    if fmt == "geodataframe":
        try:
            import geopandas
        except ImportError:
            raise ImportError(
                "fmt='geodataframe' needs geopandas (pip install geopandas); "
                "fmt='geojson' or 'records' work without it"
            ) from None
        features = [order_feature(order) for order in orders]
        frame = geopandas.GeoDataFrame.from_features(features, crs="EPSG:4326")
        frame.insert(0, "id", [feature["id"] for feature in features])
        if path is not None:
            frame.to_file(path, driver="GeoJSON")
        return frame
    if fmt == "geojson":
        if path is not None:
            write_geojson(orders, path)
            return Path(path)
        return {"type": "FeatureCollection", "features": [order_feature(o) for o in orders]}
    records = [order_record(order) for order in orders]
    if path is not None:
        Path(path).write_text(json.dumps(records, indent=1, ensure_ascii=False), encoding="utf-8")
        return Path(path)
    return records


def export_counted(
    orders: Iterable[Exportable], *, fmt: str = "geojson", path: str | Path | None = None
) -> tuple[Any, int]:
    """``export_orders`` and how many orders it exported (read as they stream past)."""
    counted = 0

    def counting() -> Iterator[Exportable]:
        nonlocal counted
        for order in orders:
            counted += 1
            yield order

    return export_orders(counting(), fmt=fmt, path=path), counted


__all__ = [
    "FORMATS",
    "export_counted",
    "export_orders",
    "order_feature",
    "order_record",
    "write_geojson",
]
