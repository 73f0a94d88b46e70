"""Which dialect a server speaks, and what it promises, read from its ``conformsTo`` list.

The one place the client reads conformance classes: a new class to honour is a line here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

STAT = "stat"
STAPI = "stapi"

_STAPI_CORE = re.compile(r"stapi.*/v0\.1(\.\d+)?/core/?$", re.IGNORECASE)


def dialect_of(conforms_to: Iterable[str]) -> str:
    """STAPI when the server claims the STAPI v0.1 core class; the STAT draft otherwise (it
    defines no discovery, so a server that does not claim STAPI is taken at its seed word)."""
    return STAPI if any(_STAPI_CORE.search(str(uri)) for uri in conforms_to) else STAT


def honours_idempotency(conforms_to: Iterable[str] | None) -> bool:
    """Whether the server lists a class saying it de-duplicates POSTs by Idempotency-Key."""
    return any("idempotency" in str(uri).lower() for uri in conforms_to or [])
