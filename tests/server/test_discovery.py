"""Landing page, conformance and the product catalogue."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from stat_widgets.conformance import STAPI_CORE, STAT_CORE
from stat_widgets.models import Product


def test_landing_page_links_everything_a_client_needs(stat_url: str) -> None:
    landing = httpx.get(f"{stat_url}/").json()
    assert landing["id"] and landing["title"] and landing["description"]
    assert STAT_CORE in landing["conformsTo"]
    assert STAPI_CORE not in landing["conformsTo"]
    rels = {link["rel"]: link for link in landing["links"]}
    assert {"self", "service-desc", "products", "orders", "conformance"} <= set(rels)
    assert rels["service-desc"]["href"] == f"{stat_url}/openapi.json"
    assert rels["products"]["href"] == f"{stat_url}/products"
    assert rels["orders"]["href"] == f"{stat_url}/orders"
    for link in landing["links"]:
        assert link["href"].startswith(f"{stat_url}/"), link


def test_conformance_matches_the_landing_page(stat_url: str) -> None:
    conformance = httpx.get(f"{stat_url}/conformance").json()
    assert conformance["conformsTo"] == httpx.get(f"{stat_url}/").json()["conformsTo"]


def test_openapi_document_is_served(stat_url: str) -> None:
    document = httpx.get(f"{stat_url}/openapi.json").json()
    assert "/order" in document["paths"] and "/orders" in document["paths"]
    body = document["paths"]["/order"]["post"]["requestBody"]["content"]["application/json"]
    assert {"datetime", "product_id", "geometry"} <= set(body["schema"]["required"])


def test_products_parse_with_the_product_model(stat_url: str) -> None:
    body = httpx.get(f"{stat_url}/products").json()
    products = [Product.model_validate(item) for item in body["products"]]
    assert len(products) >= 4
    assert any(link["rel"] == "self" for link in body["links"])
    by_id = {product.id: product for product in products}
    optical = by_id["optical-vhr"]
    assert optical.geometry_types == {"Polygon", "MultiPolygon", "Point"}
    assert optical.max_area_km2 == 2000
    assert optical.fields["eo:cloud_cover"].maximum == 100
    assert by_id["multispectral-wide"].geometry_types == {"Polygon"}
    assert by_id["multispectral-wide"].max_area_km2 == 20000
    sar = by_id["sar-x-band"].fields
    assert sar["sar:polarizations"].enum == ("HH", "HV", "VH", "VV")
    assert sar["sar:incidence_angle"].minimum == 15
    stereo = by_id["optical-stereo-video"].fields
    assert stereo["stereo"].type == "boolean"
    assert stereo["priority"].enum == ("standard", "urgent")
    for product in products:
        assert product.title and product.description and product.keywords
        self_link = next(link for link in product.links if link.rel == "self")
        assert self_link.href == f"{stat_url}/products/{product.id}"


def test_one_product_and_unknown_product(stat_url: str) -> None:
    product = httpx.get(f"{stat_url}/products/sar-x-band")
    assert product.status_code == 200
    assert Product.model_validate(product.json()).id == "sar-x-band"
    missing = httpx.get(f"{stat_url}/products/no-such-product")
    assert missing.status_code == 404
    body = missing.json()
    assert body["code"] == "NotFound"
    assert body["errors"][0]["field"] == "product_id"
    assert "no-such-product" in body["errors"][0]["message"]


def test_custom_catalogue_is_served_verbatim(make_stat_server: Callable) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    server = make_stat_server(
        products=[
            {"id": "evil", "title": hostile, "description": "<script>x</script>"},
            Product(id="plain", title="Plain"),
        ]
    )
    products = httpx.get(f"{server.url}/products").json()["products"]
    assert [p["id"] for p in products] == ["evil", "plain"]
    assert products[0]["title"] == hostile  # escaping is the widgets' job, not JSON's


def test_duplicate_product_ids_are_refused_at_startup(make_stat_server: Callable) -> None:
    with pytest.raises(ValueError, match="duplicate"):
        make_stat_server(products=[{"id": "a"}, {"id": "a"}])


def test_product_ids_are_escaped_in_links(make_stat_server: Callable) -> None:
    server = make_stat_server(products=[{"id": "a b/c?d", "title": "Odd"}])
    product = httpx.get(f"{server.url}/products").json()["products"][0]
    self_href = next(link["href"] for link in product["links"] if link["rel"] == "self")
    assert self_href == f"{server.url}/products/a%20b%2Fc%3Fd"
