"""Where "Go to" goes: a place name, ``lat, lon``, or ``west, south, east, north``, offline.

Names are looked up in the gazetteer bundled in ``stat_widgets/data`` (GeoNames cities of
15,000 people or more and the countries, CC BY 4.0: see the README there), read on the first
look-up, never on import. Matching ignores case, accents and punctuation; a name may end with
a country or US state (``Paris, Texas``, ``Frankfurt, DE``). When several places match, the best
one (an exact name before another name of the place before a longer name that starts with
it; the larger first) is the destination and the others come with it as ``alternatives``, so
that the map can go somewhere at once and still say which other places were meant.

Input is bounded (``MAX_TEXT``) and every rejection is a ``ValidationError`` on the field
``go_to`` with a message for the person who typed it.
"""

from __future__ import annotations

import bisect
import functools
import gzip
import math
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources

from stat_widgets.errors import ValidationError

FIELD = "go_to"
#: Longer input is refused before it is parsed: no place name is this long.
MAX_TEXT = 200
#: How many other candidates a look-up reports next to the chosen one.
MAX_ALTERNATIVES = 5

Bounds = tuple[float, float, float, float]  # west, south, east, north

HOW = 'type a place name, "lat, lon" or "west, south, east, north"'
_COORDINATE = re.compile(r"([-+−]?(?:\d+(?:\.\d*)?|\.\d+))\s*°?\s*([NSEWnsew]?)(?=[\s,;]|$)")
_NOT_COORDINATES = re.compile(r"[^\d\s.,;°+\-−NSEWnsew]")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_PUNCTUATION = re.compile(r"[\W_]+")
_ALIASES = {"usa": "US", "uk": "GB", "great britain": "GB", "england": "GB"}


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: a city (a point) or a country (with the bounds of its main land)."""

    name: str
    country: str
    lat: float
    lon: float
    region: str = ""  # the US state of a US city, else ""
    population: int = 0
    bounds: Bounds | None = None

    @property
    def label(self) -> str:
        """``Frankfurt am Main, Germany``, ``Paris, Texas, United States``, ``Germany`` (a
        country), ``Luxembourg, Luxembourg`` (its capital)."""
        return ", ".join(p for p in (self.name, self.region, self.country) if p)


@dataclass(frozen=True)
class Destination:
    """Where to move the map: a point (``bounds`` None) or an extent to fit."""

    label: str
    lat: float
    lon: float
    bounds: Bounds | None = None
    place: Place | None = None
    #: Other places the same name matched, best first (at most ``MAX_ALTERNATIVES``).
    alternatives: tuple[Place, ...] = field(default=())

    @classmethod
    def of(cls, place: Place, alternatives: tuple[Place, ...] = ()) -> Destination:
        return cls(place.label, place.lat, place.lon, place.bounds, place, alternatives)


def _fail(message: str) -> ValidationError:
    return ValidationError(message, field=FIELD)


def key(text: str) -> str:
    """What two spellings of a name share: no case, accents or punctuation."""
    folded = text.casefold()
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return _PUNCTUATION.sub(" ", folded).strip()


# -- coordinates ---------------------------------------------------------------------------------


def _numbers(text: str) -> list[tuple[float, str]] | None:
    """``50.1, 8.7`` or ``50.1°N 8.7°E`` → [(50.1, "N"), (8.7, "E")] (south and west made
    negative); None when ``text`` is a name. Text made only of digits, separators, degree signs
    and hemisphere letters is meant as coordinates: if it cannot be read, that is the error."""
    if not re.search(r"\d", text) or _NOT_COORDINATES.search(text):
        return None
    out, position = [], 0
    for match in _COORDINATE.finditer(text):
        if not re.fullmatch(r"[\s,;]*", text[position : match.start()]):
            break
        number, hemisphere = match.group(1).replace("−", "-"), match.group(2).upper()
        value = float(number)
        out.append((-value if hemisphere in ("S", "W") else value, hemisphere))
        position = match.end()
    if not out or not re.fullmatch(r"[\s,;]*", text[position:]):
        raise _fail(f"Could not read {text!r} as coordinates: {HOW}.")
    return out


def _lat_lon(values: list[tuple[float, str]]) -> tuple[float, float]:
    (first, h1), (second, h2) = values
    if h1 in ("E", "W") or h2 in ("N", "S"):  # "8.7 E, 50.1 N": the letters say which is which
        first, second = second, first
    lat, lon = first, second
    if not -90 <= lat <= 90:
        hint = " (Go to reads latitude first: lat, lon)" if -90 <= lon <= 90 else ""
        raise _fail(f"latitude {lat:g} is outside -90…90{hint}")
    if not -180 <= lon <= 180:
        raise _fail(f"longitude {lon:g} is outside -180…180")
    return lat, lon


def _bbox(values: list[tuple[float, str]]) -> Bounds:
    west, south, east, north = (v for v, _h in values)
    for name, value, limit in (
        ("west", west, 180),
        ("east", east, 180),
        ("south", south, 90),
        ("north", north, 90),
    ):
        if not -limit <= value <= limit:
            raise _fail(f"{name} {value:g} is outside -{limit}…{limit} (west, south, east, north)")
    from stat_widgets.models.geometry import bbox_geometry  # shapely: with the first box

    try:
        bbox_geometry(west, south, east, north, field=FIELD)
    except ValidationError as exc:
        raise _fail(f"{exc.message} (west, south, east, north)") from None
    return west, south, east, north


def _format_point(lat: float, lon: float) -> str:
    return f"{abs(lat):.4g}° {'N' if lat >= 0 else 'S'}, {abs(lon):.4g}° {'E' if lon >= 0 else 'W'}"


# -- the gazetteer -------------------------------------------------------------------------------


@dataclass
class Gazetteer:
    """Every place with the keys it is found by: ``exact`` maps a name's key to entries (tier 0
    for a primary name, 1 for an alternate), ``names`` is the sorted primary keys for prefix
    look-ups."""

    places: list[Place]
    exact: dict[str, list[tuple[int, int]]]
    names: list[tuple[str, int]]
    countries: dict[str, str]  # key of a name or code -> country name
    regions: set[str]  # keys of US state names

    def find(self, text: str) -> list[Place]:
        """Places called ``text`` (optionally ``name, country``), best first."""
        found = self._ranked(key(text))
        if found or "," not in text:
            return found
        name, qualifier = (part.strip() for part in text.rsplit(",", 1))
        where = key(qualifier)
        country = self.countries.get(where)
        if country is None and where not in self.regions:
            return []
        wanted = (lambda p: p.country == country) if country else (lambda p: key(p.region) == where)
        return [p for p in self._ranked(key(name)) if wanted(p)]

    def _ranked(self, wanted: str) -> list[Place]:
        if not wanted:
            return []
        hits = dict(self.exact.get(wanted, []))  # place index -> tier
        prefix = wanted + " "
        start = bisect.bisect_left(self.names, (prefix, -1))
        for name, index in self.names[start:]:
            if not name.startswith(prefix):
                break
            # "Paris 15 Vaugirard" is a district of Paris, not another place called Paris.
            if not re.search(r"\d", name[len(prefix) :]):
                hits.setdefault(index, 2)
        order = sorted(hits, key=lambda i: (hits[i], self.places[i].bounds is None, i))
        return [self.places[i] for i in order]


def _data(name: str) -> bytes:
    return resources.files("stat_widgets").joinpath("data", name).read_bytes()


@functools.cache
def gazetteer() -> Gazetteer:
    """The bundled gazetteer, read and indexed once (about 0.3 s) on the first look-up."""
    places: list[Place] = []
    exact: dict[str, list[tuple[int, int]]] = {}
    countries: dict[str, str] = {}
    names: dict[str, str] = {}
    for line in _data("countries.tsv").decode("utf-8").splitlines():
        code, name, *box = line.split("\t")
        names[code] = name
        countries[key(code)] = countries[key(name)] = name
        if all(box):
            west, south, east, north = map(float, box)
            place = Place(
                name, "", (south + north) / 2, (west + east) / 2, bounds=(west, south, east, north)
            )
            exact.setdefault(key(name), []).append((len(places), 0))
            places.append(place)
    for alias, code in _ALIASES.items():
        countries[alias] = names[code]
    regions: set[str] = set()
    # Cities come sorted by population, largest first: index order is population order.
    for line in gzip.decompress(_data("places.tsv.gz")).decode("utf-8").splitlines():
        name, code, region, lat, lon, population, others = line.split("\t")
        index = len(places)
        places.append(
            Place(name, names.get(code, code), float(lat), float(lon), region, int(population))
        )
        exact.setdefault(key(name), []).append((index, 0))
        for other in others.split("|") if others else ():
            exact.setdefault(key(other), []).append((index, 1))
        if region:
            regions.add(key(region))
    for entries in exact.values():  # a place found by two of its names keeps the better tier
        entries.sort(key=lambda entry: -entry[1])
    primary = sorted((key(p.name), i) for i, p in enumerate(places) if p.bounds is None)
    return Gazetteer(places, exact, primary, countries, regions)


def find_places(text: str, limit: int = MAX_ALTERNATIVES + 1) -> list[Place]:
    """Places whose name is ``text`` (or starts with it as a whole word), best first."""
    return gazetteer().find(text)[:limit]


def _distinct(places: list[Place]) -> list[Place]:
    """Places with the same label get their coordinates added, so a list tells them apart."""
    labels = [p.label for p in places]
    out = []
    for place in places:
        if labels.count(place.label) > 1:
            place = Place(
                f"{place.name} ({_format_point(place.lat, place.lon)})",
                place.country,
                place.lat,
                place.lon,
                place.region,
                place.population,
                place.bounds,
            )
        out.append(place)
    return out


def parse_destination(text: str) -> Destination:
    """``text`` as typed in "Go to": ``lat, lon``, ``west, south, east, north``, or a place."""
    if not isinstance(text, str) or not text.strip():
        raise _fail(f"Nothing to go to: {HOW}.")
    if len(text) > MAX_TEXT:
        raise _fail(f"That is {len(text):,} characters; {HOW} (at most {MAX_TEXT}).")
    text = " ".join(text.split())
    values = _numbers(text)
    if values is not None:
        if any(not math.isfinite(v) for v, _h in values):
            raise _fail(f"Coordinates must be finite numbers: {HOW}.")
        if len(values) == 2:
            lat, lon = _lat_lon(values)
            return Destination(_format_point(lat, lon), lat, lon)
        if len(values) == 4:
            west, south, east, north = _bbox(values)
            label = f"{west:g}, {south:g}, {east:g}, {north:g} (west, south, east, north)"
            return Destination(
                label, (south + north) / 2, (west + east) / 2, (west, south, east, north)
            )
        raise _fail(f"{len(values)} numbers: {HOW}.")
    found = _distinct(find_places(text))
    if not found:
        raise _fail(
            f"No place called {text!r} in the offline gazetteer (countries, and cities of "
            "15,000 people or more): check the spelling, try a larger town nearby, or type "
            '"lat, lon".'
        )
    return Destination.of(found[0], tuple(found[1:]))


__all__ = ["Destination", "Place", "find_places", "parse_destination"]
