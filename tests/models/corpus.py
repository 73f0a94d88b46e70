"""The real-world-shaped schemas of ``tests/models/schemas`` (see its README), loaded fresh."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stat_widgets.models import Product

SCHEMAS = Path(__file__).parent / "schemas"


def document(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))


def product(name: str) -> Product:
    """A STAT-era product document as a ``Product``."""
    return Product.model_validate(document(name))


def stapi_product(queryables: str | None = None, parameters: str | None = None) -> Product:
    """A STAPI product as the client builds it: queryables as constraints, order parameters."""
    return Product.model_validate(
        {
            "id": "stapi-product",
            "title": "STAPI product",
            "constraints": document(queryables) if queryables else None,
            "order_parameters": document(parameters) if parameters else None,
        }
    )


STAT_ERA = [
    "planet_like_stat_product",
    "blacksky_like_stat_product",
    "eusi_like_stat_product",
    "oneatlas_like_stat_product",
]
