"""Bounds on a filter before anything parses it: size, nesting and operator count.

``cql2``'s parsers recurse in Rust, where running out of stack is not an exception but a
SIGSEGV that kills the process (a notebook kernel, the embedded server): measured with an
8 MiB stack, ``parse_text`` dies near 1,550 nested parentheses, 3,400 chained ``NOT`` or unary
minus signs, 9,000 chained ``+`` and 16,000 chained ``AND``. So the text is measured first, in
one pass over its tokens that never recurses, and a parsed value (a dict, or JSON text after
Python's own parser) is measured with an explicit stack. The limits sit far below those figures
and far above any filter a person writes or the builder makes.
"""

from __future__ import annotations

import re
from typing import Any

from stat_widgets.errors import ValidationError
from stat_widgets.models.filter_ops import OPERATORS, text_words

FIELD = "filter"
#: CQL2 text or JSON text, in characters.
MAX_TEXT_CHARS = 100_000
#: Parentheses open at once plus prefix operators (``NOT``, unary ``-``) in a row, in text.
MAX_TEXT_DEPTH = 64
#: Binary operators in a text (``AND``, ``OR``, ``+``, ``-``, ``*``, ``/``, ``%``, ``^``, ``DIV``).
MAX_TEXT_OPERATORS = 1_000
#: Objects and arrays inside one another in a parsed filter (a geometry literal needs 5).
MAX_VALUE_DEPTH = 64
#: Values of any kind in a parsed filter (numbers, strings, objects, arrays).
MAX_VALUE_NODES = 50_000

# A CQL2 text token: a 'string' ('' escapes a quote), a "quoted identifier", a word (keyword
# or identifier), a number (its exponent sign belongs to it), or one other character.
_TOKEN = re.compile(
    r"""'(?:[^']|'')*'|"[^"]*"|[A-Za-z_][\w:.]*|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|\S"""
)
# From the operator table's text forms: the infix operators that chain (AND, OR, + ... DIV),
# the prefix ones (NOT), and the keywords after which a ``-`` is a sign, not a subtraction.
_CHAINING = frozenset(
    row.text for row in OPERATORS if row.fixity == "infix" and row.kind in ("logical", "arithmetic")
)
_PREFIX = text_words("prefix")
_KEYWORDS = frozenset(
    word
    for row in OPERATORS
    if row.fixity != "call"
    for word in row.text.split()
    if word.isalpha() and word != "NULL"
)


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, field=FIELD)


def _is_operand(token: str) -> bool:
    """Whether ``token`` ends an operand, so that a ``-`` after it is binary, not a sign."""
    if token == ")" or token[0] in "'\"" or token[0].isdigit() or token[0] == ".":
        return True
    return (token[0].isalpha() or token[0] == "_") and token.upper() not in _KEYWORDS


def _measure(text: str) -> tuple[int, int]:
    """How deep the text nests (parentheses, each counting the prefix operators before it, and
    a chain of prefix operators) and how many binary operators it has."""
    opened: list[int] = []  # per open parenthesis: the nesting it adds
    outer = prefix = operators = deepest = 0
    previous = ""
    for match in _TOKEN.finditer(text):
        token = match.group()
        word = token.upper()
        if token == "(":
            opened.append(prefix + 1)
            outer += prefix + 1
            prefix = 0
        elif token == ")":
            outer -= opened.pop() if opened else 0
            prefix = 0
        elif word in _PREFIX or (token in ("+", "-") and not _is_operand(previous)):
            prefix += 1  # a chain of prefix operators nests like parentheses
        else:
            prefix = 0
            operators += word in _CHAINING
        deepest = max(deepest, outer + prefix)
        previous = token
    return deepest, operators


def check_text(text: str) -> None:
    """Refuse CQL2 text (or JSON text) too long, too deeply nested or with too many operators
    for the parser to be safe, before the parser sees it."""
    if len(text) > MAX_TEXT_CHARS:
        raise _refuse(
            f"the filter is {len(text):,} characters long; at most {MAX_TEXT_CHARS:,} are read"
        )
    if text.startswith("{"):
        return  # JSON: Python's parser measures it (check_value), cql2 never parses it raw
    deepest, operators = _measure(text)
    if deepest > MAX_TEXT_DEPTH:
        raise _refuse(
            f"the filter nests more than {MAX_TEXT_DEPTH} levels deep (parentheses and NOT)"
        )
    if operators > MAX_TEXT_OPERATORS:
        raise _refuse(
            f"the filter has {operators:,} operators (AND, OR, arithmetic); "
            f"at most {MAX_TEXT_OPERATORS:,} are read"
        )


def check_value(value: Any, *, max_ops_depth: int) -> None:
    """Refuse a parsed filter that is too large or too deeply nested, without recursion (so a
    value nested 100,000 deep is measured, not a ``RecursionError``), naming where.

    Operations (``{"op": ...}``) nested more than ``max_ops_depth`` deep are reported as such:
    that is the limit a person meets first.
    """
    if _first_excess(value, max_ops_depth, paths=False) is not None:
        # measured again with paths, which only a refused filter pays for
        where, message = _first_excess(value, max_ops_depth, paths=True) or (FIELD, "")
        raise ValidationError(message, field=where)


def _first_excess(value: Any, max_ops_depth: int, *, paths: bool) -> tuple[str, str] | None:
    """The first node (depth first) past a bound and what it exceeds, or None."""
    stack: list[tuple[Any, int, int, str]] = [(value, 1, -1, FIELD)]  # the outermost op: 0
    nodes = 0
    while stack:
        node, depth, ops, path = stack.pop()
        nodes += 1
        if nodes > MAX_VALUE_NODES:
            return FIELD, f"the filter has more than {MAX_VALUE_NODES:,} values"
        if isinstance(node, dict):
            ops += "op" in node
            children: Any = ((v, f"{path}.{k}" if paths else path) for k, v in node.items())
        elif isinstance(node, list | tuple):
            children = ((v, f"{path}[{i}]" if paths else path) for i, v in enumerate(node))
        else:
            continue
        if ops > max_ops_depth:
            return path, f"the filter nests more than {max_ops_depth} levels deep"
        if depth > MAX_VALUE_DEPTH:
            return path, f"the filter's values nest more than {MAX_VALUE_DEPTH} levels deep"
        stack.extend((child, depth + 1, ops, where) for child, where in children)
    return None
