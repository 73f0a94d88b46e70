"""Which dialect a server speaks, and what it promises, read from its ``conformsTo`` list.

The client's one door to conformance classes; the predicates themselves live in
:mod:`stat_widgets.conformance`, which the reference server's faces share, so a class the
server claims and the client honours is one line there.
"""

from __future__ import annotations

from collections.abc import Iterable

from stat_widgets import conformance

STAT = "stat"
STAPI = "stapi"


def dialect_of(conforms_to: Iterable[str]) -> str:
    """STAPI when the server claims the STAPI v0.1 core class; the STAT draft otherwise (it
    defines no discovery, so a server that does not claim STAPI is taken at its seed word)."""
    return STAPI if conformance.speaks_stapi(conforms_to) else STAT


def honours_idempotency(conforms_to: Iterable[str] | None) -> bool:
    """Whether the server lists a class saying it de-duplicates POSTs by Idempotency-Key."""
    return conformance.honours_idempotency(conforms_to or [])
