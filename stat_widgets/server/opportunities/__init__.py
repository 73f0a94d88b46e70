"""Opportunities from orbital mechanics: when the demo constellation can image an area.

Pure computation (numpy, sgp4, shapely), no web framework: ``search.search`` is what the
reference server's STAPI face calls. Modules, from the ground up: ``orbits`` (elements and
SGP4 propagation), ``sun`` (solar ephemeris), ``geometry`` (viewing angles), ``passes``
(windows), ``footprint`` (imaged strips), ``fleet`` (the demo satellites per product).
"""

from .fleet import DEMO_FLEET, Flight
from .orbits import Satellite
from .passes import Sensor, Window, find_windows
from .search import LEAD_TIME_S, Found, search

__all__ = [
    "DEMO_FLEET",
    "LEAD_TIME_S",
    "Flight",
    "Found",
    "Satellite",
    "Sensor",
    "Window",
    "find_windows",
    "search",
]
