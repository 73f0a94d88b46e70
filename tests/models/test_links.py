"""Links as orders carry them: checked without copying, relative hrefs resolved against the
page they came from when the caller says which page that was."""

from __future__ import annotations

import pydantic
import pytest

from stat_widgets.models import Link, Order, OrdersPage, Product
from stat_widgets.models.links import BASE_URL, MAX_LINKS, absolute_links, check_link_records

ORDER = {"id": "o1", "status": "received", "created": "2025-06-01T00:00:00Z"}


def test_absolute_links_keep_the_list_and_relative_ones_are_resolved() -> None:
    raw = [{"href": "http://h/api/orders/1", "rel": "self"}]
    assert absolute_links("http://h/api/orders", raw) is raw
    resolved = absolute_links("http://h/api/orders?page=1", [{"href": "orders/2", "rel": "x"}])
    assert resolved == [{"href": "http://h/api/orders/2", "rel": "x"}]
    with pytest.raises(TypeError):
        absolute_links("http://h/", {"href": "x"})


def test_order_links_are_kept_as_received_when_absolute() -> None:
    links = [{"href": "http://h/order/o1", "rel": "self", "title": "This order", "x-extra": 1}]
    order = Order.model_validate({**ORDER, "links": links}, context={BASE_URL: "http://h/"})
    assert order.link_records is links  # not copied: 40,000 links per 10,000 orders
    assert order.link("self").title == "This order"
    assert order.model_dump(mode="json")["links"] == links


def test_relative_order_links_resolve_against_the_page_url_given_as_context() -> None:
    links = [
        {"href": "order/o1", "rel": "self"},
        {"href": "/products/p", "rel": "product"},
        {"href": "https://other.example/x", "rel": "alternate"},
    ]
    order = Order.model_validate(
        {**ORDER, "links": links}, context={BASE_URL: "http://h/api/orders?page=2"}
    )
    assert [link.href for link in order.links] == [
        "http://h/api/order/o1",
        "http://h/products/p",
        "https://other.example/x",
    ]
    assert links[0]["href"] == "order/o1"  # the caller's records are not changed
    # without a page URL, a relative href stays as sent
    bare = Order.model_validate({**ORDER, "links": links})
    assert bare.links[0].href == "order/o1"


def test_link_models_and_missing_links_are_accepted() -> None:
    link = Link(href="http://h/order/o1", rel="self")
    assert Order(**ORDER, links=[link]).link("self") is link
    assert Order.model_validate({**ORDER, "links": None}).links == []
    assert Order.model_validate(ORDER).links == []


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ("http://h/order/o1", "links must be a list of link objects or a map"),
        ([{"rel": "self"}], "link 0 has no href string"),
        ([{"href": "http://h/a", "rel": "self"}, {"href": "http://h/b"}], "link 1 has no rel"),
        ([{"href": 5, "rel": "self"}], "link 0 has no href string"),
        (["http://h/a"], "link 0 is not a link object"),
    ],
    ids=["not-a-list", "no-href", "no-rel", "href-not-text", "bare-string"],
)
def test_malformed_links_are_refused_naming_the_link(links: object, message: str) -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        Order.model_validate({**ORDER, "links": links})
    assert message in str(caught.value)
    assert "links" in str(caught.value)


# -- links as a map: the seed's ``Map<object, Link Object>`` and STAT-era products ----------

LIST = [
    {"href": "http://h/orders?page=2", "rel": "next"},
    {"href": "http://h/orders", "rel": "first", "title": "Newest"},
]
BY_REL = {
    "next": {"href": "http://h/orders?page=2"},
    "first": {"href": "http://h/orders", "title": "Newest"},
}
REL_INSIDE = {"a": {"href": "http://h/orders?page=2", "rel": "next"}, "b": LIST[1]}


@pytest.mark.parametrize("links", [LIST, BY_REL, REL_INSIDE], ids=["list", "by-rel", "rel-inside"])
def test_links_read_the_same_as_a_list_or_a_map(links: object) -> None:
    page = OrdersPage.model_validate({"orders": [], "links": links})
    assert page.next.href == "http://h/orders?page=2"
    assert page.first.title == "Newest"
    order = Order.model_validate({**ORDER, "links": links})
    assert [(link.rel, link.href) for link in order.links] == [(x["rel"], x["href"]) for x in LIST]
    product = Product.model_validate({"id": "p", "links": links})
    assert [link.rel for link in product.links] == ["next", "first"]


def test_a_single_link_object_and_a_list_per_rel() -> None:
    one = Product.model_validate({"id": "p", "links": {"href": "http://h/docs", "rel": "docs"}})
    assert [(link.rel, link.href) for link in one.links] == [("docs", "http://h/docs")]
    many = check_link_records({"alternate": [{"href": "http://h/a"}, {"href": "http://h/b"}]})
    assert [(r["rel"], r["href"]) for r in many] == [
        ("alternate", "http://h/a"),
        ("alternate", "http://h/b"),
    ]


def test_relative_hrefs_in_a_map_resolve_against_the_page() -> None:
    records = check_link_records({"next": {"href": "orders?page=2"}}, "http://h/api/orders")
    assert records == [{"href": "http://h/api/orders?page=2", "rel": "next"}]


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ({"next": {"title": "no href"}}, "link 'next' has no href string"),
        ({"next": "http://h/x"}, "link 'next' is not a link object"),
        ({"href": "http://h/x"}, "link 'links' has no rel string"),
        ({"next": {"href": 5}}, "link 'next' has no href string"),
    ],
)
def test_malformed_links_in_a_map_are_refused_naming_the_key(links: object, message: str) -> None:
    with pytest.raises(pydantic.ValidationError, match=message):
        Order.model_validate({**ORDER, "links": links})
    with pytest.raises(pydantic.ValidationError, match=message):
        OrdersPage.model_validate({"orders": [], "links": links})


def test_the_same_bound_holds_for_a_list_and_a_map() -> None:
    as_list = [{"href": f"http://h/{i}", "rel": "item"} for i in range(MAX_LINKS + 1)]
    as_map = {f"k{i}": {"href": f"http://h/{i}", "rel": "item"} for i in range(MAX_LINKS + 1)}
    per_rel = {"item": as_list}
    for links in (as_list, as_map, per_rel):
        with pytest.raises(ValueError, match="more than 1,000 links"):
            check_link_records(links)
    assert len(check_link_records(as_list[:MAX_LINKS])) == MAX_LINKS
