"""What "Go to" text means: places from the bundled gazetteer, ``lat, lon``, and boxes; every
bad input a ``ValidationError`` on ``go_to`` that says what to type instead."""

from __future__ import annotations

import pytest
import shapely.geometry

from stat_widgets.errors import ValidationError
from stat_widgets.models.places import MAX_ALTERNATIVES, MAX_TEXT, find_places, parse_destination


def labels(text: str) -> list[str]:
    destination = parse_destination(text)
    return [destination.label, *(p.label for p in destination.alternatives)]


def test_frankfurt_goes_to_frankfurt_am_main_and_lists_frankfurt_oder() -> None:
    destination = parse_destination("Frankfurt")
    assert destination.label == "Frankfurt am Main, Germany"
    assert (destination.lat, destination.lon) == pytest.approx((50.116, 8.684), abs=0.01)
    assert destination.bounds is None
    assert "Frankfurt (Oder), Germany" in [p.label for p in destination.alternatives]
    oder = next(p for p in destination.alternatives if p.name == "Frankfurt (Oder)")
    assert (oder.lat, oder.lon) == pytest.approx((52.35, 14.55), abs=0.01)


def test_an_ambiguous_name_lists_the_candidates_largest_first() -> None:
    assert labels("Paris")[:2] == ["Paris, France", "Paris, Texas, United States"]
    # Districts named "Paris 15 Vaugirard" are parts of Paris, not other places called Paris.
    assert not any(label.startswith("Paris 1") for label in labels("Paris"))
    springfields = labels("Springfield")
    assert len(springfields) == MAX_ALTERNATIVES + 1
    assert all(label.startswith("Springfield, ") for label in springfields)
    assert len(set(springfields)) == len(springfields)


def test_a_country_or_state_after_a_comma_picks_one() -> None:
    assert labels("Paris, Texas") == ["Paris, Texas, United States"]
    assert labels("paris, us") == ["Paris, Texas, United States"]
    assert labels("Paris, France") == ["Paris, France"]
    assert labels("Frankfurt, DE")[0] == "Frankfurt am Main, Germany"
    with pytest.raises(ValidationError, match="No place called 'Paris, Narnia'"):
        parse_destination("Paris, Narnia")


def test_case_accents_punctuation_and_other_names_do_not_matter() -> None:
    for text in ("Köln", "koln", "KÖLN", "Cologne"):
        assert parse_destination(text).label == "Köln, Germany", text
    assert parse_destination("frankfurt oder").label == "Frankfurt (Oder), Germany"
    assert parse_destination("  sao   paulo ").label == "São Paulo, Brazil"


def test_same_labels_are_told_apart_by_their_coordinates() -> None:
    found = labels("San Fernando")
    philippines = [label for label in found if label.endswith("Philippines")]
    assert len(philippines) == 2 and all("° N" in label for label in philippines)


def test_a_country_is_fitted_to_its_main_land() -> None:
    germany = parse_destination("Germany")
    assert germany.label == "Germany" and germany.bounds is not None
    box = shapely.geometry.box(*germany.bounds)
    assert box.contains(shapely.geometry.Point(13.40, 52.52))  # Berlin
    assert box.contains(shapely.geometry.Point(11.58, 48.14))  # Munich
    assert not box.contains(shapely.geometry.Point(2.35, 48.85))  # not Paris
    france = parse_destination("France").bounds
    assert france is not None and france[0] > -10  # metropolitan France, not French Guiana
    fiji = parse_destination("Fiji").bounds
    assert fiji is not None and fiji[2] - fiji[0] < 10  # not the whole world across 180°
    # The country first, its namesake capital as the alternative.
    assert labels("Luxembourg") == ["Luxembourg", "Luxembourg, Luxembourg"]


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("50.11, 8.68", 50.11, 8.68),
        ("50.11 8.68", 50.11, 8.68),
        ("-33.87,151.21", -33.87, 151.21),
        ("33.87 S, 151.21 E", -33.87, 151.21),
        ("50.1°N 8.7°E", 50.1, 8.7),
        ("8.7 E, 50.1 N", 50.1, 8.7),  # the letters say which is which
        ("0, -180", 0.0, -180.0),
    ],
)
def test_lat_lon(text: str, lat: float, lon: float) -> None:
    destination = parse_destination(text)
    assert (destination.lat, destination.lon) == (lat, lon)
    assert destination.bounds is None and destination.alternatives == ()


def test_bbox_is_west_south_east_north() -> None:
    destination = parse_destination("5.8, 47.2, 15.0, 55.0")
    assert destination.bounds == (5.8, 47.2, 15.0, 55.0)
    assert (destination.lat, destination.lon) == pytest.approx((51.1, 10.4))
    assert "west, south, east, north" in destination.label


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Nothing to go to"),
        ("   ", "Nothing to go to"),
        ("95, 10", "latitude 95 is outside -90…90 (Go to reads latitude first"),
        ("10, 200", "longitude 200 is outside -180…180"),
        ("1, 2, 3", "3 numbers: type a place name"),
        ("50..1, 8", "Could not read '50..1, 8' as coordinates"),
        ("1e5, 3", "Could not read"),
        ("10, 50, 5, 55", "east (5.0) must be greater than west (10.0)"),
        ("10, 55, 12, 50", "north (50.0) must be greater than south (55.0)"),
        ("10, 50, 190, 55", "east 190 is outside -180…180"),
        ("Narnia", "No place called 'Narnia' in the offline gazetteer"),
        ("x" * (MAX_TEXT + 1), f"at most {MAX_TEXT}"),
        ("9" * 190 + ", 1", "latitude 1e+190 is outside"),  # a huge number, still a clear message
    ],
)
def test_bad_input_says_what_to_type(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_destination(text)
    assert caught.value.field == "go_to"
    assert message in caught.value.message, caught.value.message


def test_find_places_is_bounded() -> None:
    assert len(find_places("San", limit=3)) <= 3
    assert find_places("") == [] and find_places("!!!") == []
