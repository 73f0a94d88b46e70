import pytest

from stat_widgets.errors import ValidationError
from stat_widgets.models import filter_properties, filter_to_text, validate_filter

CONSTRAINTS = {
    "type": "object",
    "properties": {
        "eo:cloud_cover": {"type": "number", "minimum": 0, "maximum": 100, "unit": "%"},
        "view:off_nadir": {"type": "number", "minimum": 0, "maximum": 45},
        "priority": {"type": "string", "enum": ["standard", "urgent"]},
        "stereo": {"type": "boolean"},
        "revisits": {"type": "integer", "minimum": 1, "exclusiveMaximum": 10},
        "sar:polarizations": {
            "type": "array",
            "items": {"type": "string", "enum": ["HH", "HV", "VH", "VV"]},
        },
    },
}


def prop(name: str) -> dict:
    return {"property": name}


def op(name: str, *args: object) -> dict:
    return {"op": name, "args": list(args)}


VALID = [
    op("<=", prop("eo:cloud_cover"), 20),
    op("between", prop("view:off_nadir"), 0, 30.5),
    op("in", prop("priority"), ["standard"]),
    op("=", prop("stereo"), True),
    op("=", prop("revisits"), 9),
    op("in", prop("sar:polarizations"), ["HH", "VV"]),
    op(">", 50, prop("eo:cloud_cover")),  # literal first is still a comparison
    op("and", op("<", prop("eo:cloud_cover"), 10), op("not", op("=", prop("stereo"), False))),
    op("or", op("isNull", prop("priority")), op("like", prop("priority"), "urg%")),
]


@pytest.mark.parametrize("cql", VALID)
def test_valid_filters_pass_unchanged(cql: dict) -> None:
    assert validate_filter(cql, CONSTRAINTS) == cql
    assert filter_to_text(cql)


@pytest.mark.parametrize(
    ("cql", "field", "words"),
    [
        (op("<", prop("eo:cloud_cover")), "filter.args", "argument 2 is missing"),
        (op("between", prop("view:off_nadir"), 1), "filter.args", "needs 3 arguments"),
        (op("and", op("<", prop("eo:cloud_cover"), 10)), "filter.args", "at least 2"),
        (
            op("and", op("<", prop("eo:cloud_cover")), op("=", prop("stereo"), True)),
            "filter.args[0].args",
            "missing",
        ),
        ({"args": []}, "filter", "expected an operation"),
        ({"op": 5, "args": []}, "filter.op", "operator must be a string"),
        ({"op": "<"}, "filter.args", "list of arguments"),
        (op("<", 1, 2), "filter.args[0]", "must compare a property"),
        (op("in", prop("priority"), "urgent"), "filter.args[1]", "list of values"),
        (op("=", prop("colour"), "red"), "filter.args[0]", "unknown property 'colour'"),
        (op("<", prop("eo:cloud_cover"), 120), "filter.args[1]", "at most 100"),
        (op(">=", prop("eo:cloud_cover"), -1), "filter.args[1]", "at least 0"),
        (op("<", prop("eo:cloud_cover"), "low"), "filter.args[1]", "compare it with a number"),
        (op("=", prop("revisits"), 10), "filter.args[1]", "less than 10"),
        (op("=", prop("revisits"), 2.5), "filter.args[1]", "integer"),
        (op("=", prop("stereo"), "yes"), "filter.args[1]", "boolean"),
        (op("=", prop("priority"), "asap"), "filter.args[1]", "not one of the values"),
        (op("in", prop("priority"), ["standard", "asap"]), "filter.args[1][1]", "'asap'"),
        (op("in", prop("sar:polarizations"), ["HH", "XX"]), "filter.args[1][1]", "'XX'"),
        (op("between", prop("view:off_nadir"), 30, 10), "filter.args[2]", "below the lower bound"),
        (op("between", prop("view:off_nadir"), 0, 60), "filter.args[2]", "at most 45"),
        (
            op("and", op("<", prop("eo:cloud_cover"), 10), op("<", prop("view:off_nadir"), 99)),
            "filter.args[1].args[1]",
            "at most 45",
        ),
        (op("nonsense", prop("eo:cloud_cover")), "filter.op", "unknown operator"),
        ("eo:cloud_cover <", "filter", "not CQL2"),
        (42, "filter", "expected CQL2 JSON"),
    ],
)
def test_rejections_name_the_argument(cql: object, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_filter(cql, CONSTRAINTS)
    assert info.value.field == field
    assert words in info.value.message


def test_every_problem_is_reported_not_just_the_first() -> None:
    cql = op("and", op("=", prop("colour"), "red"), op("<", prop("eo:cloud_cover"), 500))
    with pytest.raises(ValidationError) as info:
        validate_filter(cql, CONSTRAINTS)
    assert [e.field for e in info.value.errors] == [
        "filter.args[0].args[0]",
        "filter.args[1].args[1]",
    ]


def test_without_constraints_only_cql2_is_checked() -> None:
    assert validate_filter(op("=", prop("anything"), 1)) == op("=", prop("anything"), 1)


def test_text_forms() -> None:
    cql = validate_filter("eo:cloud_cover <= 20 AND priority IN ('urgent')", CONSTRAINTS)
    assert filter_properties(cql) == {"eo:cloud_cover", "priority"}
    assert filter_to_text(cql) == "eo:cloud_cover <= 20 AND priority IN ('urgent')"
    assert validate_filter(
        '{"op": "=", "args": [{"property": "stereo"}, true]}', CONSTRAINTS
    ) == op("=", prop("stereo"), True)


def test_like_checks_types_not_patterns() -> None:
    with pytest.raises(ValidationError, match="'like' matches text, but eo:cloud_cover is number"):
        validate_filter(op("like", prop("eo:cloud_cover"), "1%"), CONSTRAINTS)
    with pytest.raises(ValidationError, match="not valid CQL2"):  # cql2 itself refuses it
        validate_filter(op("like", prop("priority"), 5), CONSTRAINTS)


def _candidates() -> list[object]:
    """Filters of every basic shape, well-formed and not, for comparing with cql2 itself."""
    values: list[object] = [1, 2.5, -3, "HH", True, None, [1], {"property": "b"}, {"x": 1}]
    out: list[object] = [True, False]
    for name in ("=", "<>", "<", "<=", ">", ">=", "like", "in", "isNull", "between"):
        out.append(op(name, prop("a")))
        for v in values:
            out.append(op(name, prop("a"), v))
            out.append(op(name, prop("a"), v, 9))
    out.append(op("in", prop("a"), []))
    out.append(op("in", prop("a"), [1, "x", True]))
    out.append(op("and", op("=", prop("a"), 1), op("not", op("isNull", prop("b")))))
    out.append({"op": "=", "args": [prop("a"), 1], "extra": 1})
    return out


@pytest.mark.parametrize("cql", _candidates())
def test_fast_path_agrees_with_cql2(cql: object) -> None:
    """Whatever validate_filter accepts without asking cql2, cql2 accepts too."""
    import cql2

    from stat_widgets.models.filter import _is_basic

    try:
        validate_filter(cql)
    except ValidationError:
        return
    if _is_basic(cql):
        cql2.Expr(cql).validate()  # raises if our fast path let through what cql2 refuses


def test_deep_nesting_is_refused_before_cql2_runs() -> None:
    cql: dict = op("=", prop("stereo"), True)
    for _ in range(300):
        cql = op("not", cql)
    with pytest.raises(ValidationError, match="nests more than 20 levels"):
        validate_filter(cql, CONSTRAINTS)
    shallow: dict = op("=", prop("stereo"), True)
    for _ in range(5):
        shallow = op("not", shallow)
    assert validate_filter(shallow, CONSTRAINTS) == shallow
