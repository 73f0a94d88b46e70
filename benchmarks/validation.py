"""Validation figure: ``OrderRequest.from_input(body, product=p)`` against
``stapi_pydantic.OrderPayload.model_validate`` on the same bodies.

Ours does every check a provider would otherwise bounce the order for (structure, shapely
validity, coordinate ranges, geodesic area, vertex limit, the CQL2 filter against the product's
constraints); theirs checks the shapes of the fields only. The target is to keep at least half
of their throughput while doing all of that.

The target row uses bodies without a filter: ``OrderPayload`` checks a filter with
``cql2.Expr.validate()``, which compiles the CQL2 JSON Schema on every call (~35 ms a body), so
10,000 filtered bodies would take theirs five minutes. A second row shows that case on fewer
bodies (each with a different filter, so no cache helps us either).

    .venv/bin/python benchmarks/validation.py --bodies 2000
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from _common import Row, paired_times, print_rows
from stapi_pydantic import OrderParameters, OrderPayload

from stat_widgets.models import OrderRequest, Product
from stat_widgets.server.catalog import demo_products

PRODUCT_ID = "optical-vhr"
TARGET = 0.5


def cql2_filter(i: int) -> dict[str, Any]:
    return {
        "op": "and",
        "args": [
            {"op": "<=", "args": [{"property": "eo:cloud_cover"}, i % 101]},
            {"op": "<=", "args": [{"property": "view:off_nadir"}, (i * 7) % 46]},
        ],
    }


def polygon(i: int, vertices: int = 100) -> dict[str, Any]:
    """A valid star-shaped polygon, different for every ``i`` (centre, radius and wobble), so
    that no cache keyed on the geometry can help either side."""
    lon = -170.0 + (i * 0.7311) % 340.0
    lat = -60.0 + (i * 0.3917) % 120.0
    radius = 0.05 + (i % 37) * 0.002
    wobble = 0.1 + (i % 11) * 0.02
    ring = []
    for k in range(vertices):
        angle = 2 * math.pi * k / vertices
        r = radius * (1 + wobble * math.sin(7 * angle + i))
        ring.append([round(lon + r * math.cos(angle), 7), round(lat + r * math.sin(angle), 7)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def bodies(count: int, vertices: int = 100, *, with_filter: bool = False) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        body: dict[str, Any] = {
            "datetime": f"2025-06-{1 + i % 20:02d}T00:00:00Z/2025-07-{1 + i % 20:02d}T00:00:00Z",
            "product_id": PRODUCT_ID,
            "geometry": polygon(i, vertices),
        }
        if with_filter:
            body["filter"] = cql2_filter(i)
        out.append(body)
    return out


def stapi_body(body: dict[str, Any]) -> dict[str, Any]:
    """The same order as STAPI sends it: no product id in the body, order parameters added."""
    theirs = {k: v for k, v in body.items() if k != "product_id"}
    theirs["order_parameters"] = {}
    return theirs


def _throughputs(
    product: Product, ours_in: list[dict[str, Any]], repeat: int
) -> tuple[float, float, float]:
    theirs_in = [stapi_body(b) for b in ours_in]
    payload = OrderPayload[OrderParameters]

    def ours() -> None:
        for body in ours_in:
            OrderRequest.from_input(body, product=product)

    def theirs() -> None:
        for body in theirs_in:
            payload.model_validate(body)

    ours(), theirs()  # both must accept every body (and warm up)
    timings = paired_times(repeat, [ours, theirs])
    # throughputs from the median times; their ratio from the rounds' own ratios (theirs'
    # time over ours' in the same round), so that a slow spell in one round cancels out
    rates = len(ours_in) / timings.median(0), len(theirs_in) / timings.median(1)
    return rates[0], rates[1], timings.ratio(1)


def figure(
    count: int = 10_000, vertices: int = 100, repeat: int = 5, filtered: int = 100
) -> list[Row]:
    product = Product.model_validate(next(p for p in demo_products() if p["id"] == PRODUCT_ID))
    ours_rate, theirs_rate, ratio = _throughputs(product, bodies(count, vertices), repeat)
    rows = [
        Row(
            f"validation_{count}_requests",
            ours_rate,
            theirs_rate,
            f">= {TARGET}",
            ratio >= TARGET,
            unit="requests/s",
            ratio=ratio,
            note=f"OrderRequest.from_input (all checks) vs stapi_pydantic.OrderPayload, "
            f"{vertices}-vertex polygons; ratio = ours/theirs throughput, median of {repeat} "
            "paired rounds",
        )
    ]
    if filtered:
        ours_rate, theirs_rate, _ = _throughputs(
            product, bodies(filtered, vertices, with_filter=True), 1
        )
        rows.append(
            Row(
                f"validation_{filtered}_with_filter",
                ours_rate,
                theirs_rate,
                unit="requests/s",
                ratio=ours_rate / theirs_rate,
                note="the same with a CQL2 filter in each body (theirs: cql2 Expr.validate)",
            )
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=10_000)
    parser.add_argument("--vertices", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the median ratio counts")
    parser.add_argument("--filtered", type=int, default=100, help="bodies with a filter")
    args = parser.parse_args()
    print_rows(figure(args.bodies, args.vertices, args.repeat, args.filtered))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
