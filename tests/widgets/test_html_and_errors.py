"""Escaping of server strings and routing of field errors to the right section."""

from __future__ import annotations

from datetime import UTC, datetime

from stat_widgets.errors import FieldError, ValidationError
from stat_widgets.models import Link, Order
from stat_widgets.widgets import _html
from stat_widgets.widgets._errors import ErrorLabel, route_errors
from stat_widgets.widgets.request_review import order_html

HOSTILE = "<img src=x onerror=alert(1)>"


def test_text_and_errors_are_escaped() -> None:
    assert _html.text(HOSTILE) == "<span>&lt;img src=x onerror=alert(1)&gt;</span>"
    assert "<img" not in _html.error(HOSTILE)
    assert _html.error("") == ""
    label = ErrorLabel(message=HOSTILE)
    assert "&lt;img" in label.value and "<img" not in label.value
    assert "&lt;img" in _html.code_block({"title": HOSTILE})


def test_only_http_links_are_clickable() -> None:
    assert _html.link("javascript:alert(1)", "x") == "<span>x</span>"
    assert _html.link('https://h/"onmouseover="x', "a").startswith(
        '<a href="https://h/&quot;onmouseover=&quot;x"'
    )


def test_hostile_order_id_status_and_link_are_shown_as_text() -> None:
    order = Order(
        id=HOSTILE,
        user="u",
        status="<b>held</b>",
        created=datetime(2031, 1, 1, tzinfo=UTC),
        links=[Link(href="javascript:alert(1)", rel="self")],
    )
    shown = order_html(order)
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown
    assert "&lt;b&gt;held&lt;/b&gt;" in shown
    assert "<img" not in shown and "javascript:" not in shown
    assert "href" not in shown


def test_route_errors_by_field_prefix() -> None:
    labels = {name: ErrorLabel() for name in ("geometry", "datetime", "filter")}
    fallback = ErrorLabel()
    route_errors(
        ValidationError(
            [
                FieldError("geometry.coordinates[0][3]", "longitude 200 is outside [-180, 180]"),
                FieldError("filter.args[1]", "unknown property 'x'"),
                FieldError("", "the body is odd"),
                FieldError("Idempotency-Key", "already used"),
            ]
        ),
        labels,
        fallback,
    )
    assert labels["geometry"].message == "coordinates[0][3]: longitude 200 is outside [-180, 180]"
    assert labels["filter"].message == "args[1]: unknown property 'x'"
    assert labels["datetime"].message == ""
    assert fallback.message == "the body is odd; Idempotency-Key: already used"
