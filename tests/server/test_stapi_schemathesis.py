"""schemathesis against the STAPI face's own OpenAPI document: whatever it generates from the
schema for every operation, the face answers without a 500.

Kept short (a few examples per operation, no shrinking) so that it runs in seconds; it talks
HTTP to a real server like every server test. Hypothesis drives each operation's strategy
directly: schemathesis's pytest plugin does not load under this pytest.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

EXAMPLES = 5


def test_no_operation_answers_with_a_server_error(make_stat_server: Any) -> None:
    from stat_widgets.server import ManualClock

    server = make_stat_server(clock=ManualClock(datetime(2025, 6, 1, tzinfo=UTC)))
    schema = schemathesis.openapi.from_url(server.url + "/stapi/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20  # every route of every product
    seen: dict[str, set[int]] = {}

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            response = case.call_and_validate(checks=[not_a_server_error])
            seen.setdefault(case.operation.label, set()).add(response.status_code)

        check()
    assert len(seen) == len(operations)
    assert all(code < 500 for codes in seen.values() for code in codes)
