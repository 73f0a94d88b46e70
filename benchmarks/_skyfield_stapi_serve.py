"""The baseline of the opportunities figure: a stapi-fastapi 0.8.0 server whose own backend
answers the same search the way a Python provider would write it, with skyfield's pass finder
(``EarthSatellite.find_events``) over the same satellites (the reference server's demo
elements) and the same off-nadir limit, expressed as skyfield's minimum elevation. It does
less than ours: no sun check, no footprints (it returns the AOI), no filter.

    .venv/bin/python benchmarks/_skyfield_stapi_serve.py --port 8124
"""

from __future__ import annotations

import argparse
import math
from datetime import UTC
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from returns.maybe import Maybe, Nothing, Some
from returns.result import ResultE, Success
from shapely.geometry import shape
from skyfield.api import EarthSatellite, load, wgs84
from stapi_fastapi import ProductRouter, RootRouter
from stapi_fastapi.conformance import API, PRODUCT
from stapi_fastapi.models import Product
from stapi_pydantic import (
    Opportunity,
    OpportunityPayload,
    OpportunityProperties,
    OrderParameters,
    Queryables,
)

from stat_widgets.server.opportunities.fleet import DEMO_FLEET

TIMESCALE = load.timescale(builtin=True)
EARTH_RADIUS_KM = 6371.0


def windows(product_id: str, payload: OpportunityPayload) -> list[dict[str, Any]]:
    flight = DEMO_FLEET[product_id]
    centre = shape(payload.geometry.model_dump(mode="json", exclude_none=True)).centroid
    observer = wgs84.latlon(centre.y, centre.x)
    start, end = (TIMESCALE.from_datetime(t.astimezone(UTC)) for t in payload.datetime)
    eta = math.radians(flight.sensor.max_off_nadir_deg)
    features = []
    for sat in flight.satellites:
        ratio = (EARTH_RADIUS_KM + sat.altitude_km) / EARTH_RADIUS_KM * math.sin(eta)
        elevation = math.degrees(math.acos(min(ratio, 1.0)))
        found = EarthSatellite.from_satrec(sat.satrec, TIMESCALE)
        times, events = found.find_events(observer, start, end, altitude_degrees=elevation)
        rise = None
        for t, event in zip(times, events, strict=True):
            if event == 0:
                rise = t
            elif event == 2 and rise is not None:
                features.append(
                    {
                        "type": "Feature",
                        "geometry": payload.geometry.model_dump(mode="json", exclude_none=True),
                        "properties": {
                            "datetime": f"{rise.utc_iso()}/{t.utc_iso()}",
                            "product_id": product_id,
                            "platform": sat.name,
                        },
                    }
                )
                rise = None
    return sorted(features, key=lambda f: f["properties"]["datetime"])


async def create_order(router: ProductRouter, payload: Any, request: Request) -> Any:
    raise NotImplementedError  # the figure only searches


async def search_opportunities(
    router: ProductRouter,
    payload: OpportunityPayload,
    next: str | None,
    limit: int,
    request: Request,
) -> ResultE[tuple[list[Opportunity], Maybe[str]]]:
    found = windows(router.product.id, payload)
    start = int(next) if next else 0
    page = [Opportunity.model_validate(f) for f in found[start : start + limit]]
    more = Some(str(start + limit)) if start + limit < len(found) else Nothing
    return Success((page, more))


async def get_orders(next: str | None, limit: int, request: Request) -> Any:
    return Success(([], Nothing, Some(0)))


async def get_order(order_id: str, request: Request) -> Any:
    return Success(Nothing)


def create_app() -> FastAPI:
    root = RootRouter(get_orders=get_orders, get_order=get_order, conformances=[API.core])
    root.add_product(
        Product(
            id="optical-vhr",
            title="Optical VHR (skyfield baseline)",
            description="Windows from skyfield's find_events",
            license="proprietary",
            conformsTo=[PRODUCT.geojson_polygon],
            providers=[],
            links=[],
            create_order=create_order,
            search_opportunities=search_opportunities,
            queryables=Queryables,
            opportunity_properties=OpportunityProperties,
            order_parameters=OrderParameters,
        )
    )
    app = FastAPI()
    app.include_router(root)
    return app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(create_app(), host="127.0.0.1", port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
