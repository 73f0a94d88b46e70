"""The two wire dialects, STAT draft and STAPI v0.1.0, mapped onto the same models.

- ``detect``: which dialect a server speaks and what it promises, from ``conformsTo``;
- ``base``: what both share (JSON, links, pages, errors that name the field);
- ``stat`` and ``stapi``: one class each, the differences between the two wires.
"""

from .base import Dialect, PageTrail, RawPage, follow_pages, link_call
from .detect import STAPI, STAT, dialect_of, honours_idempotency
from .stapi import StapiDialect
from .stat import StatDialect

__all__ = [
    "STAPI",
    "STAT",
    "Dialect",
    "PageTrail",
    "RawPage",
    "StapiDialect",
    "StatDialect",
    "dialect_of",
    "follow_pages",
    "honours_idempotency",
    "link_call",
]
