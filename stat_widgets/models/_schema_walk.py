"""The bounded reading under ``product_schema``: survey a schema, resolve its ``$ref``s through
``referencing`` (never fetching), and flatten one property's ``$ref``/``allOf``/``anyOf``/
``oneOf``/``items`` into one ``View`` (``_schema_view``) of its type, values and range.

Nothing here raises anything but ``Unreadable`` (a sentence for the field's note).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from stat_widgets.models._schema_view import (
    Unreadable,
    View,
    alternatives,
    merge,
    own_view,
    short,
)

MAX_NODES = 20_000  # objects and arrays in one schema document
MAX_DEPTH = 40  # nesting of objects and arrays
MAX_REF_HOPS = 16  # $ref followed while reading one field
MAX_VIEW_DEPTH = 24  # $ref/allOf/anyOf/items levels within one field
_DIALECTS = ("draft-04", "draft-06", "draft-07", "2019-09", "2020-12")


@dataclass
class Survey:
    """What one bounded walk over a whole schema found."""

    nodes: int = 0
    depth: int = 0
    refs: set[str] = field(default_factory=set)
    tuple_items: bool = False
    definitions: bool = False


def survey(root: Any) -> Survey:
    """Count objects/arrays and nesting (stopping past the bounds), collect the ``$ref``s."""
    found = Survey()
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        found.nodes += 1
        found.depth = max(found.depth, depth)
        if found.nodes > MAX_NODES or depth > MAX_DEPTH:
            return found
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                found.refs.add(ref)
            found.tuple_items = found.tuple_items or isinstance(node.get("items"), list)
            found.definitions = found.definitions or isinstance(node.get("definitions"), dict)
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return found


def _refuse(uri: str) -> Any:
    """The registry's ``retrieve``: a reference outside the document is never fetched."""
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(ref=uri)


class Source:
    """One schema document: the root of its fields' ``ref``s, its JSON Schema dialect, and a
    ``referencing`` registry over it alone (built only when the document has a ``$ref`` or a
    validator asks). ``validators`` and ``results`` are the caches ``schema_check`` keeps."""

    def __init__(self, uri: str, root: dict, found: Survey) -> None:
        self.uri = uri
        self.root = root
        self.dialect = _dialect(root, found)
        self.notes: list[str] = []
        self.validators: dict[str, Any] = {}
        self.results: dict[Any, tuple] = {}
        self.checker: Any = None  # the validator class, set by schema_check
        self._registry: Any = None
        self._broken = ""
        if found.refs:
            self._fix_misplaced_refs(found.refs)

    # -- registry -----------------------------------------------------------------------------
    @property
    def spec(self) -> Any:
        import referencing.jsonschema as rj

        return {
            "draft-04": rj.DRAFT4,
            "draft-06": rj.DRAFT6,
            "draft-07": rj.DRAFT7,
            "2019-09": rj.DRAFT201909,
        }.get(self.dialect, rj.DRAFT202012)

    @property
    def registry(self) -> Any:
        if self._registry is None and not self._broken:
            from referencing import Registry

            try:
                resource = self.spec.create_resource(self.root)
                uris = [self.uri]
                if isinstance(self.root.get("$id"), str) and self.root["$id"] != self.uri:
                    uris.append(self.root["$id"])  # refs may name the root by its own $id
                # not crawled: crawling assumes every subschema is one (STAT-era documents
                # put plain values where schemas go), and the root is all we resolve in
                registry = Registry(retrieve=_refuse)
                self._registry = registry.with_resources((u, resource) for u in uris)
            except Exception as exc:  # a malformed $id: refs stay unresolved
                self._broken = f"its references cannot be indexed ({exc.__class__.__name__})"
        return self._registry

    def resolver(self) -> Any:
        registry = self.registry
        if registry is None:
            raise Unreadable(self._broken or "its references cannot be resolved")
        return registry.resolver(base_uri=self.uri)

    def lookup(self, ref: str, resolver: Any = None) -> tuple[Any, Any]:
        """The schema ``ref`` points to, and the resolver to read it with."""
        from referencing.exceptions import NoSuchAnchor, PointerToNowhere

        try:
            resolved = (resolver or self.resolver()).lookup(ref)
        except Unreadable:
            raise
        except (PointerToNowhere, NoSuchAnchor):
            raise Unreadable(f"$ref {short(ref)} does not resolve") from None
        except Exception:  # Unresolvable, or e.g. a pointer step into a plain value
            if ref.startswith("#"):
                raise Unreadable(f"$ref {short(ref)} does not resolve") from None
            raise Unreadable(
                f"$ref {short(ref)} points outside this document, which is never fetched"
            ) from None
        return resolved.contents, resolved.resolver

    def locate(self, ref: str) -> tuple[dict, str | None]:
        """A top-level ``$ref``'s target and its JSON pointer (None when it is not one)."""
        try:
            contents, _ = self.lookup(ref)
        except Unreadable:
            self.notes.append(f"the top-level $ref {short(ref)} does not resolve")
            return {}, None
        pointer = unquote(ref[1:]) if ref.startswith("#/") else None
        return (contents if isinstance(contents, dict) else {}), (ref[1:] if pointer else None)

    def _fix_misplaced_refs(self, refs: set[str]) -> None:
        """STAT-era documents write ``#/parameters/$defs/X`` inside the schema kept under
        ``parameters`` (a pointer into the enclosing product): read such a reference from the
        schema's own root when only that way it resolves."""
        fixes: dict[str, str] = {}
        for ref in refs:
            head, _, rest = ref[2:].partition("/")
            if not ref.startswith("#/") or not rest or unquote(head) in self.root:
                continue
            try:
                self.lookup(ref)
            except Unreadable:
                try:
                    self.lookup("#/" + rest)
                except Unreadable:
                    continue
                fixes[ref] = "#/" + rest
        if fixes:
            self.root = _replace_refs(self.root, fixes)
            self._registry = None
            example = next(iter(sorted(fixes)))
            self.notes.append(
                f"$ref {short(example)} (and the like) read from this schema's own root"
            )


def _replace_refs(node: Any, fixes: dict[str, str]) -> Any:
    """A copy with the given ``$ref`` values replaced (the document is already bounded)."""
    if isinstance(node, dict):
        out = {k: _replace_refs(v, fixes) for k, v in node.items()}
        if isinstance(out.get("$ref"), str) and out["$ref"] in fixes:
            out["$ref"] = fixes[out["$ref"]]
        return out
    if isinstance(node, list):
        return [_replace_refs(v, fixes) for v in node]
    return node


def _dialect(root: dict, found: Survey) -> str:
    declared = root.get("$schema")
    if isinstance(declared, str):
        for name in _DIALECTS:
            if name in declared:
                return name
    # none (or an unknown one) declared: tuple-form ``items`` and ``definitions`` are draft-07,
    # the version STAPI recommends; anything else reads the same under 2020-12
    return "draft-07" if found.tuple_items or found.definitions else "2020-12"


def flatten(source: Source, node: Any) -> View:
    """One field's schema as a ``View``; ``Unreadable`` names what cannot be read."""
    return _Flattener(source).view(node, None, 0)


class _Flattener:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.hops = 0
        self.chain: list[int] = []

    def view(self, node: Any, resolver: Any, depth: int) -> View:
        if depth > MAX_VIEW_DEPTH:
            raise Unreadable(f"its schema nests more than {MAX_VIEW_DEPTH} levels")
        if node is True or node == {}:
            return View()
        if node is False:
            raise Unreadable("its schema accepts no value")
        if not isinstance(node, dict):
            raise Unreadable(f"its schema is not a JSON Schema object ({type(node).__name__})")
        view = own_view(node)
        ref = node.get("$ref")
        if isinstance(ref, str):
            view = merge(view, self.follow(ref, resolver, depth))
        parts = node.get("allOf")
        if isinstance(parts, list):
            for part in parts:
                view = merge(view, self.view(part, resolver, depth + 1))
        for key in ("anyOf", "oneOf"):
            branches = node.get(key)
            if isinstance(branches, list) and branches:
                views = [self.view(b, resolver, depth + 1) for b in branches]
                view = merge(view, alternatives(views))
        self.read_items(view, node, resolver, depth)
        return view

    def follow(self, ref: str, resolver: Any, depth: int) -> View:
        self.hops += 1
        if self.hops > MAX_REF_HOPS:
            raise Unreadable(f"it follows more than {MAX_REF_HOPS} $refs")
        contents, inner = self.source.lookup(ref, resolver)
        if id(contents) in self.chain:
            raise Unreadable(f"$ref {short(ref)} refers back to itself")
        self.chain.append(id(contents))
        try:
            return self.view(contents, inner, depth + 1)
        finally:
            self.chain.pop()

    def read_items(self, view: View, node: dict, resolver: Any, depth: int) -> None:
        items = node.get("items")
        if isinstance(node.get("prefixItems"), list) and not isinstance(items, dict):
            items = node["prefixItems"]
        if items is None or items is True or items == {} or items == []:
            return
        try:
            if isinstance(items, list):  # the tuple form: any of its positions
                view.items = alternatives([self.view(i, resolver, depth + 1) for i in items])
            else:
                view.items = self.view(items, resolver, depth + 1)
        except Unreadable as exc:
            view.items, view.items_note = None, f"its items cannot be read ({exc}); free text"
