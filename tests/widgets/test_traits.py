"""``LazyInstance``: the class named as text is imported on the first value, and the trait
still refuses a value of another class, as ``traitlets.Instance`` does."""

from __future__ import annotations

import subprocess
import sys

import pytest
import traitlets

from stat_widgets.models import TimeInterval
from stat_widgets.widgets._traits import LazyInstance


class _Holder(traitlets.HasTraits):
    value = LazyInstance("stat_widgets.models.interval.TimeInterval", allow_none=True)


def test_the_trait_takes_its_class_and_none_and_refuses_anything_else() -> None:
    holder = _Holder()
    assert holder.value is None
    interval = TimeInterval.parse("2030-01-01T00:00:00Z/2030-01-02T00:00:00Z")
    holder.value = interval
    assert holder.value is interval
    with pytest.raises(traitlets.TraitError, match="TimeInterval"):
        holder.value = "2030-01-01T00:00:00Z/2030-01-02T00:00:00Z"
    holder.value = None
    assert holder.value is None


def test_making_an_object_with_the_trait_imports_nothing() -> None:
    probe = (
        "import sys, traitlets\n"
        "from stat_widgets.widgets._traits import LazyInstance\n"
        "class H(traitlets.HasTraits):\n"
        "    value = LazyInstance('stat_widgets.models.interval.TimeInterval', allow_none=True)\n"
        "H(); H().value = None\n"
        "print('pydantic' in sys.modules, 'stat_widgets.models.interval' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "False"], done.stderr
