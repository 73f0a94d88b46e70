"""The form's submission rules as plain Python (``form_submission.Submission``): one key per
body across retries, no second order of the same body, and a draft's record of an order read as
hostile input. The form's own tests (test_order_form*.py) drive the same rules through a server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stat_widgets.errors import NotFoundError, TransportError
from stat_widgets.models import Order
from stat_widgets.widgets._errors import ErrorLabel
from stat_widgets.widgets.form_submission import Submission
from stat_widgets.widgets.request_review import RequestReview

BODY = {"product_id": "p", "datetime": "2031-01-01T00:00:00Z/2031-01-02T00:00:00Z"}
OTHER = {**BODY, "product_id": "q"}


def _order(order_id: str = "o-1") -> Order:
    return Order(id=order_id, user="u", status="received", created=datetime(2031, 1, 1, tzinfo=UTC))


def _fails() -> Order:
    raise TransportError("connection refused")


def test_the_key_is_kept_for_a_retry_and_renewed_for_another_body_or_after_an_order() -> None:
    submission = Submission(RequestReview())
    key = submission.key_for(BODY)
    with pytest.raises(TransportError):
        submission.send(_fails, {"geometry": ErrorLabel()})
    assert submission.failed and "submit again to retry" in submission.review.result.value
    assert submission.key_for(BODY) == key  # a retry cannot create a second order
    assert submission.key_for(OTHER) != key
    other_key = submission.pending_key
    assert submission.send(_order, {}) == _order()
    submission.succeeded(OTHER)
    assert submission.pending_key is None and not submission.failed
    assert submission.already(OTHER) and not submission.already(BODY)
    assert submission.key_for(OTHER) != other_key  # a new order of it needs a new key


def test_a_failure_is_shown_until_the_request_changes_then_the_last_order() -> None:
    submission = Submission(RequestReview())
    submission.fail("refused")
    submission.show_order(_order(), previous=True, submitting=False)
    assert "refused" in submission.review.result.value  # the failure is about this request
    submission.clear_failure()
    assert submission.review.result.value == ""
    submission.show_order(_order(), previous=True, submitting=False)
    assert "Previous order" in submission.review.result.value
    submission.show_order(_order(), previous=False, submitting=True)
    assert "Previous order" in submission.review.result.value  # unchanged while in flight


@pytest.mark.parametrize(
    "record",
    [None, "o-1", [], {"order_id": "o-1"}, {"order_id": "o-1", "body": OTHER}],
)
def test_a_draft_record_for_another_body_or_malformed_is_ignored(record: object) -> None:
    submission = Submission(RequestReview())
    fetched: list[str] = []
    assert submission.restore(record, BODY, lambda i: fetched.append(i) or _order(i)) is None
    assert fetched == [] and not submission.already(BODY)


def test_a_draft_record_of_this_body_keeps_it_from_being_ordered_again() -> None:
    submission = Submission(RequestReview())
    record = {"order_id": "x" * 10_000, "body": BODY}
    fetched: list[str] = []
    order = submission.restore(record, BODY, lambda i: fetched.append(i) or _order(i))
    assert order is not None and fetched == ["x" * 200]  # a hostile id is cut before use
    assert submission.already(BODY)
    assert submission.record(order) == {"order_id": "x" * 200, "body": BODY}


def test_a_recorded_order_the_server_no_longer_knows_is_named_and_still_not_reordered() -> None:
    submission = Submission(RequestReview())

    def gone(order_id: str) -> Order:
        raise NotFoundError(f"no order {order_id}")

    assert submission.restore({"order_id": "o-9", "body": BODY}, BODY, gone) is None
    assert submission.already(BODY)
    assert "ordered before (order o-9)" in submission.review.result.value
    assert submission.record(None) is None
