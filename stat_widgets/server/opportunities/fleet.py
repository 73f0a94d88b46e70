"""The demo constellation behind the reference server's products.

Made-up satellites with realistic elements: sun-synchronous repeat orbits between 500 and 700
km, optical ones crossing the descending node at 10:30 local time (the classic morning orbit:
good light, before afternoon clouds build), the radars on a dawn-dusk 06:00 orbit (their
solar panels never enter the Earth's shadow, as SAR missions such as TerraSAR-X do). Each
product is flown by one constellation whose satellites share a plane, spaced evenly in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .geometry import off_nadir_for_incidence
from .orbits import EARTH_RADIUS_KM, Satellite
from .passes import Sensor


@dataclass(frozen=True)
class Flight:
    """Who flies a product, and what their sensor can do."""

    constellation: str
    satellites: tuple[Satellite, ...]
    sensor: Sensor
    kind: str  # "optical" or "sar"


def _plane(
    constellation: str, count: int, revolutions: int, days: int, ltdn: float, first: int
) -> tuple[Satellite, ...]:
    return tuple(
        Satellite(
            name=f"{constellation}-{k + 1}",
            constellation=constellation,
            revolutions=revolutions,
            days=days,
            ltdn_hours=ltdn,
            phase_deg=360.0 * k / count,
            number=first + k,
        )
        for k in range(count)
    )


def _sar_sensor(satellites: tuple[Satellite, ...]) -> Sensor:
    altitude = satellites[0].altitude_km
    return Sensor(
        max_off_nadir_deg=off_nadir_for_incidence(60.0, EARTH_RADIUS_KM, altitude),
        swath_km=30.0,
        max_strip_km=150.0,
        min_incidence_deg=15.0,
    )


_LUMEN = _plane("lumen", 3, 385, 26, 10.5, 90001)  # 624 km, 26-day repeat
_RADIANT = _plane("radiant", 2, 167, 11, 6.0, 90011)  # 508 km, 11-day repeat
_MEADOW = _plane("meadow", 2, 161, 11, 10.5, 90021)  # 679 km, 11-day repeat
_VISTA = _plane("vista", 2, 136, 9, 10.5, 90031)  # 530 km, 9-day repeat

DEMO_FLEET: dict[str, Flight] = {
    "optical-vhr": Flight(
        "lumen",
        _LUMEN,
        Sensor(
            max_off_nadir_deg=45.0, swath_km=14.0, max_strip_km=120.0, min_sun_elevation_deg=10.0
        ),
        "optical",
    ),
    "sar-x-band": Flight("radiant", _RADIANT, _sar_sensor(_RADIANT), "sar"),
    "multispectral-wide": Flight(
        "meadow",
        _MEADOW,
        Sensor(
            max_off_nadir_deg=30.0, swath_km=60.0, max_strip_km=300.0, min_sun_elevation_deg=15.0
        ),
        "optical",
    ),
    "optical-stereo-video": Flight(
        "vista",
        _VISTA,
        Sensor(max_off_nadir_deg=30.0, swath_km=8.0, max_strip_km=50.0, min_sun_elevation_deg=15.0),
        "optical",
    ),
}
