"""The CQL2 operators, one row each: what parsing, validation, the text bounds and the filter
builder know about an operator comes from its row here, and from nowhere else.

Adding an operator is one ``Operator(...)`` row in ``OPERATORS`` (plus its tests): its
``kind`` says how its arguments are checked (``filter.py`` has one small checker per kind),
``applies_to`` which property types it may be used on, ``text`` its CQL2 text form (the text
bounds read it), ``label`` and ``offered_for`` whether and where the builder offers it, and
``conformance`` the CQL2 conformance class it belongs to. A row in a class outside
``SUPPORTED_CLASSES`` is known, so that it is refused by name wherever it appears.
"""

from __future__ import annotations

from dataclasses import dataclass

#: CQL2 conformance classes (``http://www.opengis.net/spec/cql2/1.0/conf/<name>``) and how a
#: message names them. ``property-property`` has no operator of its own: a comparison with a
#: property on both sides.
CLASSES: dict[str, str] = {
    "basic-cql2": "basic comparison",
    "advanced-comparison-operators": "LIKE, BETWEEN and IN",
    "case-insensitive-comparison": "case-insensitive comparison",
    "accent-insensitive-comparison": "accent-insensitive comparison",
    "basic-spatial-functions": "spatial intersection",
    "basic-spatial-functions-plus-points": "spatial intersection with points",
    "spatial-functions": "spatial relations",
    "temporal-functions": "temporal relations",
    "array-functions": "array comparison",
    "property-property": "comparing two properties",
    "functions": "functions",
    "arithmetic": "arithmetic",
}
SUPPORTED_CLASSES: frozenset[str] = frozenset(
    {
        "basic-cql2",
        "advanced-comparison-operators",
        "basic-spatial-functions",
        "basic-spatial-functions-plus-points",
        "spatial-functions",
        "temporal-functions",
        "property-property",
    }
)
CONFORMANCE_URI = "http://www.opengis.net/spec/cql2/1.0/conf/"

_ORDERED = frozenset({"number", "integer", "string"})
_TEXT = frozenset({"string"})


@dataclass(frozen=True)
class Operator:
    """One CQL2 operator.

    ``kind`` picks the argument checker: ``logical`` (predicates), ``compare`` (a property
    against a literal or another property), ``order`` (the same, and numbers stay numbers),
    ``between``, ``in`` (a list), ``like`` (a text pattern), ``null``, ``spatial``,
    ``temporal``, ``array``, ``arithmetic`` or ``function``. ``applies_to`` is the JSON types a
    compared property may have (``None``: any). ``fixity`` is how the text form is written:
    ``infix``, ``prefix`` or ``call`` (``NAME(...)``).
    """

    name: str
    arity: tuple[int, int | None]
    kind: str
    conformance: str
    text: str
    applies_to: frozenset[str] | None = None
    fixity: str = "infix"
    label: str = ""
    offered_for: tuple[str, ...] = ()  # SchemaField.kind values the builder offers it for

    @property
    def supported(self) -> bool:
        return self.conformance in SUPPORTED_CLASSES

    @property
    def what(self) -> str:
        """How a message names it: ``'casei' (case-insensitive comparison)``."""
        return f"{self.name!r} ({CLASSES[self.conformance]})"


_NUMBERS = ("integer", "number")
_EVERY_KIND = ("integer", "number", "boolean", "string")


def _spatial(name: str, conformance: str = "spatial-functions") -> Operator:
    return Operator(name, (2, 2), "spatial", conformance, name.upper(), fixity="call")


def _temporal(name: str) -> Operator:
    return Operator(name, (2, 2), "temporal", "temporal-functions", name.upper(), fixity="call")


def _array(name: str) -> Operator:
    return Operator(name, (2, 2), "array", "array-functions", name.upper(), fixity="call")


def _arithmetic(name: str, text: str) -> Operator:
    return Operator(name, (2, 2), "arithmetic", "arithmetic", text)


# The builder offers the rows with a ``label`` in this order.
OPERATORS: tuple[Operator, ...] = (
    Operator("and", (2, None), "logical", "basic-cql2", "AND"),
    Operator("or", (2, None), "logical", "basic-cql2", "OR"),
    Operator("not", (1, 1), "logical", "basic-cql2", "NOT", fixity="prefix"),
    Operator("<", (2, 2), "order", "basic-cql2", "<", _ORDERED, label="<", offered_for=_NUMBERS),
    Operator("<=", (2, 2), "order", "basic-cql2", "<=", _ORDERED, label="<=", offered_for=_NUMBERS),
    Operator("=", (2, 2), "compare", "basic-cql2", "=", label="=", offered_for=_EVERY_KIND),
    Operator(">=", (2, 2), "order", "basic-cql2", ">=", _ORDERED, label=">=", offered_for=_NUMBERS),
    Operator(">", (2, 2), "order", "basic-cql2", ">", _ORDERED, label=">", offered_for=_NUMBERS),
    Operator("<>", (2, 2), "compare", "basic-cql2", "<>"),
    Operator("isNull", (1, 1), "null", "basic-cql2", "IS NULL"),
    Operator(
        "between",
        (3, 3),
        "between",
        "advanced-comparison-operators",
        "BETWEEN",
        _ORDERED,
        label="between",
        offered_for=_NUMBERS,
    ),
    Operator(
        "in", (2, 2), "in", "advanced-comparison-operators", "IN", label="in", offered_for=("enum",)
    ),
    Operator("like", (2, 2), "like", "advanced-comparison-operators", "LIKE", _TEXT),
    Operator("casei", (1, 1), "function", "case-insensitive-comparison", "CASEI", fixity="call"),
    Operator(
        "accenti", (1, 1), "function", "accent-insensitive-comparison", "ACCENTI", fixity="call"
    ),
    _spatial("s_intersects", "basic-spatial-functions"),
    *(
        _spatial(f"s_{n}")
        for n in "equals disjoint touches within overlaps crosses contains".split()
    ),
    *(
        _temporal(f"t_{n}")
        for n in (
            "after before contains disjoint during equals finishedBy finishes intersects meets "
            "metBy overlappedBy overlaps startedBy starts"
        ).split()
    ),
    *(_array(f"a_{n}") for n in ("equals", "contains", "containedBy", "overlaps")),
    _arithmetic("+", "+"),
    _arithmetic("-", "-"),
    _arithmetic("*", "*"),
    _arithmetic("/", "/"),
    _arithmetic("%", "%"),
    _arithmetic("^", "^"),
    _arithmetic("div", "DIV"),
)

BY_NAME: dict[str, Operator] = {row.name: row for row in OPERATORS}
#: The kinds that compare one property with values (and are checked against its schema).
VALUE_KINDS = frozenset({"compare", "order", "between", "in", "like", "null"})
#: A function call in CQL2 JSON is ``{"op": name, "args": [...]}`` too; a name in no row is
#: one, and the ``functions`` class is not supported.
FUNCTIONS = "functions"


def offered(field_kind: str) -> tuple[str, ...]:
    """The builder's operator labels for a field of this kind (``SchemaField.kind``)."""
    return tuple(row.label for row in OPERATORS if field_kind in row.offered_for)


def by_label(label: str) -> Operator:
    """The row the builder shows as ``label``."""
    return next(row for row in OPERATORS if row.label == label)


def text_words(fixity: str) -> frozenset[str]:
    """The CQL2 text forms written ``fixity`` (upper case), for the bounds' tokeniser."""
    return frozenset(row.text for row in OPERATORS if row.fixity == fixity)


def supported_conformance() -> tuple[str, ...]:
    """The CQL2 conformance URIs this package's filters support (a server may list them)."""
    return tuple(CONFORMANCE_URI + name for name in sorted(SUPPORTED_CLASSES))
