import pytest

from stat_widgets.errors import ValidationError
from stat_widgets.models import validate_order_parameters

SCHEMA = {
    "type": "object",
    "properties": {
        "delivery": {"type": "string", "enum": ["standard", "express"], "default": "standard"},
        "contact": {"type": "string"},
        "revisits": {"type": "integer", "minimum": 1, "maximum": 5},
    },
    "required": ["contact"],
    "additionalProperties": False,
}


def test_defaults_then_the_users_values() -> None:
    assert validate_order_parameters({"contact": "ops"}, SCHEMA) == {
        "delivery": "standard",
        "contact": "ops",
    }
    assert (
        validate_order_parameters({"contact": "ops", "revisits": 3, "delivery": "express"}, SCHEMA)[
            "delivery"
        ]
        == "express"
    )
    assert validate_order_parameters({}, {}) == {}


@pytest.mark.parametrize(
    ("given", "field", "words"),
    [
        ({}, "order_parameters.contact", "required"),
        ({"contact": "ops", "colour": "red"}, "order_parameters.colour", "unknown order parameter"),
        ({"contact": "ops", "revisits": 9}, "order_parameters.revisits", "at most 5"),
        ({"contact": "ops", "revisits": 1.5}, "order_parameters.revisits", "integer"),
        (
            {"contact": "ops", "delivery": "now"},
            "order_parameters.delivery",
            "not one of the values",
        ),
        ({"contact": 5}, "order_parameters.contact", "string"),
    ],
)
def test_each_problem_names_the_parameter(given: dict, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_order_parameters(given, SCHEMA)
    assert caught.value.field == field
    assert words in caught.value.message
