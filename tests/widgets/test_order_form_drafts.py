"""Drafts: the form's input kept on disk, restored by name, discarded on request; what no
longer fits and what cannot be read are said, never raised."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from stat_widgets.server.catalog import DEMO_PRODUCTS
from stat_widgets.widgets import OrderForm
from stat_widgets.widgets import drafts as drafts_module
from stat_widgets.widgets.drafts import DraftFile

from ._shapes import SQUARE, polygon
from .conftest import FIXED_NOW
from .test_order_form import fill


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STAT_WIDGETS_HOME", str(tmp_path))
    return tmp_path


def _path(home: Path, name: str = "site") -> Path:
    return home / "drafts" / f"{name}.json"


def _body(form: OrderForm) -> dict:
    assert form.request is not None, form.reasons
    return form.request.model_dump(mode="json")


def test_a_draft_is_saved_on_every_change_and_restored_by_name(
    make_form: Callable[..., OrderForm], stat_url: str, home: Path
) -> None:
    form = make_form(stat_url, draft="site")
    assert not _path(home).exists()  # nothing to keep yet
    fill(form)
    saved = json.loads(_path(home).read_text())
    assert saved["version"] == 1
    assert saved["sections"]["geometry"] == polygon(SQUARE)
    assert saved["sections"]["product_id"] == "optical-vhr"
    assert saved["sections"]["filter"][0]["property"] == "eo:cloud_cover"
    form.filters.rows[0].value_widget.value = 12  # one more change, saved too
    assert json.loads(_path(home).read_text())["sections"]["filter"][0]["value"] == 12
    assert [p.name for p in _path(home).parent.iterdir()] == ["site.json"]  # no temp files left

    again = make_form(stat_url, draft="site")
    assert _body(again) == _body(form)
    assert again.filters.rows[0].value_widget.value == 12
    assert "Restored draft &#x27;site&#x27;" in again.draft.status.value
    assert again.draft.messages == []
    # Another name is another draft.
    assert make_form(stat_url, draft="other").request is None


def test_discard_deletes_the_draft_and_empties_the_form(
    make_form: Callable[..., OrderForm], stat_url: str, home: Path
) -> None:
    form = make_form(stat_url, draft="site")
    fill(form)
    form.discard_draft()
    assert not _path(home).exists()
    assert form.request is None and form.aoi.geometry is None
    assert form.product_picker.value is None and form.filters.rows == []
    assert "discarded" in form.draft.status.value
    assert make_form(stat_url, draft="site").request is None
    with pytest.raises(RuntimeError, match="no draft"):
        make_form(stat_url).discard_draft()


def test_a_draft_whose_product_is_gone_is_restored_with_a_message(
    make_form: Callable[..., OrderForm], make_stat_server: Callable, stat_url: str
) -> None:
    fill(make_form(stat_url, draft="site"))
    others = make_stat_server(products=[p for p in DEMO_PRODUCTS if p["id"] != "optical-vhr"])
    form = make_form(others.url, draft="site")
    assert form.aoi.geometry == polygon(SQUARE)  # the rest is kept
    assert form.interval.value is not None
    assert form.product_picker.value is None
    (message, *rest) = form.draft.messages
    assert "'optical-vhr' is no longer offered" in message
    assert any("eo:cloud_cover" in m for m in rest)  # the filter had no product to go with
    assert "no longer offered" in form.draft.status.value
    assert "Product: still needed" in form.reasons


def test_a_draft_whose_interval_is_past_says_so_and_blocks_the_order(
    make_form: Callable[..., OrderForm], stat_url: str
) -> None:
    fill(make_form(stat_url, draft="site"))
    later = FIXED_NOW + timedelta(days=30)
    form = make_form(stat_url, draft="site", now=lambda: later)
    assert form.interval.start.value is not None  # shown as it was
    assert form.request is None
    (message,) = form.draft.messages
    assert "is in the past" in message
    assert "is in the past" in form.interval.feedback.value
    assert any(r.startswith("Time interval: The draft") for r in form.reasons)
    form.interval.preset_buttons["Next 7 days"].click()
    assert form.request is not None


def test_a_draft_whose_interval_has_begun_is_kept_with_a_note(
    make_form: Callable[..., OrderForm], stat_url: str
) -> None:
    first = make_form(stat_url, draft="site")
    fill(first)
    later = FIXED_NOW + timedelta(days=2)
    form = make_form(stat_url, draft="site", now=lambda: later)
    assert _body(form) == _body(first)
    (message,) = form.draft.messages
    assert "started in the past; it is kept" in message


def test_a_draft_already_ordered_is_not_ordered_again(
    make_form: Callable[..., OrderForm], stat_url: str
) -> None:
    form = make_form(stat_url, draft="site")
    fill(form)
    order = form.submit()
    again = make_form(stat_url, draft="site")
    assert again.review.submit_button.disabled
    assert again.last_order is not None and again.last_order.id == order.id
    assert "This order was submitted" in again.review.status.value
    again.filters.rows[0].value_widget.value = 5
    assert not again.review.submit_button.disabled
    assert "Previous order" in again.review.result.value


HOSTILE_FILES: dict[str, bytes] = {
    "not-json": b"\x00\xff{{{",
    "not-utf8": b'{"version": 1, "sections": {"product_id": "\xff"}}',
    "a-list": b"[1, 2, 3]",
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "other-version": json.dumps({"version": 99, "sections": {}}).encode(),
    "too-large": b" " * (drafts_module.MAX_BYTES + 1),
}


@pytest.mark.parametrize("content", HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_an_unreadable_draft_is_set_aside_with_a_message(
    make_form: Callable[..., OrderForm], stat_url: str, home: Path, content: bytes
) -> None:
    _path(home).parent.mkdir(parents=True)
    _path(home).write_bytes(content)
    form = make_form(stat_url, draft="site")
    (message,) = form.draft.messages
    assert message.startswith("The draft 'site' could not be used: ")
    assert "site.json.unreadable" in message
    assert (home / "drafts" / "site.json.unreadable").read_bytes() == content
    fill(form)  # a new draft starts
    assert json.loads(_path(home).read_text())["sections"]["product_id"] == "optical-vhr"


def test_hostile_values_in_a_readable_draft_end_in_messages(
    make_form: Callable[..., OrderForm], stat_url: str, home: Path
) -> None:
    sections = {
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
        "product_id": {"id": "optical-vhr"},
        "datetime": {"interval": "2031-02-30T00:00:00Z/P1D", "timezone": "Mars/Olympus"},
        "filter": [{"property": "eo:cloud_cover", "op": "<=", "value": "<img src=x>"}, 7, None],
        "order_parameters": ["x"],
        "unknown": {"x": 1},
    }
    _path(home).parent.mkdir(parents=True)
    _path(home).write_text(json.dumps({"version": 1, "sections": sections}))
    form = make_form(stat_url, draft="site")
    text = " | ".join(form.draft.messages)
    assert "area of interest cannot be used" in text and "Self-intersection" in text
    assert "product is not a product id" in text
    assert "interval cannot be used" in text
    assert "filter of the draft is not readable" in text
    assert "<img" not in form.draft.status.value
    assert form.request is None


def test_a_directory_in_the_drafts_place_is_a_message(
    make_form: Callable[..., OrderForm], stat_url: str, home: Path
) -> None:
    _path(home).mkdir(parents=True)
    form = make_form(stat_url, draft="site")
    fill(form)
    assert "could not be saved" in form.draft.status.value
    assert form.request is not None  # the form works on without its draft


def test_a_failed_write_leaves_the_previous_draft_whole(
    make_form: Callable[..., OrderForm],
    stat_url: str,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    form = make_form(stat_url, draft="site")
    fill(form)
    before = _path(home).read_bytes()

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    form.filters.rows[0].value_widget.value = 5
    assert _path(home).read_bytes() == before
    assert "No space left on device" in form.draft.status.value
    assert [p.name for p in _path(home).parent.iterdir()] == ["site.json"]


@pytest.mark.parametrize("name", ["../escape", "a/b", "", ".hidden", "x" * 81, "a..b"])
def test_a_draft_name_is_a_file_name_never_a_path(name: str) -> None:
    with pytest.raises(ValueError, match="draft name"):
        DraftFile(name)


def test_the_home_directory_can_be_given(tmp_path: Path) -> None:
    assert DraftFile("x", home=tmp_path / "h").path == tmp_path / "h" / "drafts" / "x.json"
    assert DraftFile("x").path == tmp_path / "drafts" / "x.json"  # $STAT_WIDGETS_HOME


def test_the_app_keeps_a_draft_of_new_order(make_app: Callable, stat_url: str, home: Path) -> None:
    app = make_app(stat_url)
    assert app.form is not None and app.form.draft is not None
    fill(app.form)
    body = _body(app.form)
    again = make_app(stat_url)
    assert again.form is not None and _body(again.form) == body
    assert _path(home, "order-app").exists()
    assert make_app(stat_url, draft=None).form.request is None


def test_several_providers_keep_one_draft_each(make_app: Callable, stat_url: str) -> None:
    app = make_app({"Acme Space/EU": stat_url, "Other": stat_url})
    assert app.form is not None and app.form.draft is not None
    assert app.form.draft.name == "order-app-Acme-Space-EU"
    app.provider_picker.value = "Other"
    assert app.form.draft.name == "order-app-Other"
