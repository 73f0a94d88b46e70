"""The contract between ``OrderForm`` and its sections.

A section is one part of the form (area of interest, product, interval, filters, order
parameters, opportunities): it owns the widgets a person edits for one field of the request and
the label where messages about that field appear. The form knows nothing else about it: it asks
every section in its list for its value, builds the request from them with the models, and routes
the models' and the server's errors back by field. Adding a section is one class that satisfies
this protocol and one entry in the form's list of sections.

Why a protocol and not a base class: the sections are already ipywidgets of different kinds (a
map, a dropdown, boxes); a protocol asks for the few names the form reads without forcing one
widget ancestry on them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from stat_widgets.models import OrderRequest, Product
    from stat_widgets.widgets._errors import ErrorLabel


@runtime_checkable
class Section(Protocol):
    """What the form reads from, and tells, each of its sections.

    ``value`` and ``error`` are traits: the form observes them (``names=["value", "error"]``)
    and rebuilds the request after any change.
    """

    #: The request field this section fills, as the models name it in a ``FieldError`` path:
    #: ``geometry``, ``product_id``, ``datetime``, ``filter``, ``order_parameters``,
    #: ``opportunity``. Errors whose path starts with it are shown in ``feedback``.
    field: str
    #: Heading shown above the section ("Area of interest").
    title: str
    #: The value for the request (``None`` while empty; an optional section may stay empty).
    value: Any
    #: What is wrong with the person's input before the models see it ("" when nothing is).
    error: str
    #: Where the messages about ``field`` are shown (from the models or back from the server).
    feedback: ErrorLabel

    @property
    def missing(self) -> str:
        """What this section still needs before an order can be made ("an area of interest"),
        or "" when it needs nothing (an optional section always returns "")."""

    @property
    def applies(self) -> bool:
        """Whether the section takes part in the request for the current product and server
        (order parameters only when the product has some); a section that does not apply is
        hidden and its value is not sent."""

    def set_product(self, product: Product | None) -> None:
        """Told by the form when the chosen product changes (its limits, fields, schema)."""

    def set_request(self, request: OrderRequest | None) -> None:
        """Told by the form after each rebuild of the request (``None`` while there is none), for
        sections whose content depends on the rest of the request (opportunities)."""


def as_request_data(sections: list[Any]) -> dict[str, Any]:
    """The request fields the sections fill: every applying section's non-empty value."""
    return {s.field: s.value for s in sections if s.applies and s.value is not None}


__all__ = ["Section", "as_request_data"]
