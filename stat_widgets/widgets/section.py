"""The contract between ``OrderForm`` and its sections.

A section is one part of the form (area of interest, product, interval, filters, order
parameters, opportunities): it owns the widgets a person edits for one field of the request and
the label where messages about that field appear. The form knows nothing else about it: it asks
every section in its list for its value, builds the request from them with the models, and routes
the models' and the server's errors back by field. Adding a section is one class that satisfies
this protocol and one entry in the form's list of sections (``order_form.SECTIONS``).

A section class is built with one argument, the form's ``SectionContext`` (the client, the
clock, the server's dialect), and shows ``widget`` under its ``title``. Values of fields the wire
body has (``OrderRequest``: ``datetime``, ``product_id``, ``geometry``, ``filter``) go into the
request; a section of another field sends its value only if it names the ``client.create_order``
keyword that takes it (``keyword = "order_parameters"``), and otherwise only gates the order
(``missing``, ``error``).

Why a protocol and not a base class: the sections wrap ipywidgets of different kinds (a map, a
dropdown, boxes); a protocol asks for the few names the form reads without forcing one widget
ancestry on them. ``form_sections.WidgetSection`` is a small optional base with the traits.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import ipywidgets as widgets

    from stat_widgets.client import StatClient
    from stat_widgets.models import OrderRequest, Product
    from stat_widgets.widgets._errors import ErrorLabel, ErrorNote


@dataclass
class SectionContext:
    """What every section of one form may know about where it is used. A plain object, never
    a trait: the client may hold a token, and traits are saved into the notebook file."""

    #: Makes the form's client and says whether it made it (``_clients.client_maker``);
    #: called once, by the first section that asks for ``client``.
    connect: Callable[[], tuple[StatClient, bool]]
    #: The clock presets start from (tests fix it).
    now: Callable[[], datetime] | None = None
    #: Whether maps load basemap tiles (tests and offline machines turn them off).
    basemap: bool = True
    #: ``"stat"`` or ``"stapi"`` once the server answered, else ``None``; kept up to date by the
    #: form before it calls ``set_product`` (STAPI refuses open intervals, for example).
    dialect: str | None = None
    #: Whether ``client`` was made here from a URL (and so is the form's to close).
    owns_client: bool = False

    @functools.cached_property
    def client(self) -> StatClient:
        """The form's client (the product section lists the products with it, an
        opportunities section searches with it), made when a section first asks: the sections
        before that one (the map) reach the browser while the client and the models load."""
        client, self.owns_client = self.connect()
        return client

    def close_client(self) -> None:
        """Close the client if it was made here (a client given by the caller stays open)."""
        if self.owns_client:
            self.client.close()


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
    #: Where the messages about ``field`` are shown (from the models or back from the server);
    #: the section's own ``error`` is shown in the same label, so each fact appears once.
    feedback: ErrorLabel | ErrorNote
    #: What the form shows under ``title``.
    widget: widgets.Widget

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
        """Told by the form when the chosen product changes (its limits, fields, schema), and
        after the server's products were (re)loaded (``SectionContext.dialect`` is known)."""

    def set_request(self, request: OrderRequest | None) -> None:
        """Told by the form after each rebuild of the request (``None`` while there is none), for
        sections whose content depends on the rest of the request (opportunities)."""


@runtime_checkable
class Drafted(Protocol):
    """A section whose input is kept in the form's draft (optional: a section without these
    two methods is simply not saved)."""

    def draft_state(self) -> Any:
        """The person's input as JSON-able data (``None`` when there is nothing to keep)."""

    def restore_draft(self, state: Any) -> list[str]:
        """Put ``state`` (from ``draft_state``, but read from a file: hostile until checked)
        back into the widgets; returns what could not be restored as it was, in words.
        ``None`` empties the section (a discarded draft)."""


#: A section class, or any callable that makes one from the form's context.
SectionFactory = Callable[[SectionContext], Section]


def make_sections(factories: Sequence[SectionFactory], context: SectionContext) -> list[Section]:
    """The sections, in the order of ``factories``, made in two passes: first those that need
    nothing from the server (the map, the filters), then, in order, those whose factory has a
    true ``asks_server`` attribute (the products; the interval, which offers an open end only
    where the server takes one; the opportunities).

    Each widget's creation message leaves the kernel as the widget is made, and the browser
    builds it while the kernel goes on: the first pass is built in the browser while the
    kernel loads the client and the models and asks for the products (benchmarks/first_paint.py).
    """
    asks = [bool(getattr(make, "asks_server", False)) for make in factories]
    made: dict[int, Section] = {}
    try:
        for i in sorted(range(len(factories)), key=asks.__getitem__):
            made[i] = factories[i](context)
    except BaseException:  # a URL the client refuses, a server that breaks a section
        from stat_widgets.widgets._lifecycle import close_tree

        for section in made.values():  # the map was made before the client: close it
            close_tree(section.widget)
        context.close_client()
        raise
    return [made[i] for i in range(len(factories))]


def as_request_data(sections: list[Any]) -> dict[str, Any]:
    """The request fields the sections fill: every applying section's non-empty value."""
    return {s.field: s.value for s in sections if s.applies and s.value is not None}


def create_order_keywords(sections: list[Any]) -> dict[str, Any]:
    """What goes to ``client.create_order`` beside the request: the value of every applying
    section that names a ``keyword`` (an optional class attribute, e.g. ``order_parameters``)."""
    return {
        s.keyword: s.value
        for s in sections
        if getattr(s, "keyword", None) and s.applies and s.value is not None
    }


__all__ = [
    "Drafted",
    "Section",
    "SectionContext",
    "SectionFactory",
    "as_request_data",
    "create_order_keywords",
    "make_sections",
]
