"""One reading of ``conformsTo`` for the client and the server (``stat_widgets.conformance``)."""

from __future__ import annotations

import pytest

from stat_widgets import conformance
from stat_widgets.client.dialects import STAPI, STAT, dialect_of


@pytest.mark.parametrize(
    ("uris", "stapi"),
    [
        ([conformance.STAPI_CORE], True),
        (["https://stapi.example.com/v0.1/core/"], True),
        (["https://api.provider.example/stapi/v0.1.3/core"], True),
        (list(conformance.STAT_CONFORMANCE), False),
        (["https://stapi.example.com/v0.2.0/core"], False),
        ([], False),
    ],
)
def test_stapi_is_detected_from_the_core_class(uris: list[str], stapi: bool) -> None:
    assert conformance.speaks_stapi(uris) is stapi
    assert dialect_of(uris) == (STAPI if stapi else STAT)


def test_idempotency_is_read_from_ours_or_any_providers_class() -> None:
    assert conformance.honours_idempotency(conformance.STAT_CONFORMANCE)
    assert conformance.honours_idempotency(conformance.STAPI_FACE_CONFORMANCE)
    assert conformance.honours_idempotency(["https://provider.example/Idempotency-Keys"])
    assert not conformance.honours_idempotency([conformance.STAPI_CORE, conformance.STAT_CORE])


def test_each_face_claims_its_own_list() -> None:
    assert conformance.speaks_stapi(conformance.STAPI_FACE_CONFORMANCE)
    assert not conformance.speaks_stapi(conformance.STAT_CONFORMANCE)
