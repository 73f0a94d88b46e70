"""What building an ``OrderForm`` sends to the front end: one creation message per widget model
and no update after it.

Each message goes through the kernel, the Jupyter server and the browser before the form first
appears, and an update may redraw a view that was just built (issue 16: first paint). Counted
on the comm every widget sends through (``comm.create_comm`` gives a ``DummyComm`` outside a
kernel), against the reference server and a STAPI server, and once on a real kernel's iopub
channel. The counts are held with a small margin: a widget changed after its creation
message (``map.add(...)`` after ``Map()``, ``add_class`` after construction, a value computed
and set afterwards) or a new model fails here, with what it was.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import comm
import pytest
from client.stapi_server import run_stapi_server
from ipywidgets.widgets.widget import _instances

from stat_widgets.widgets import OrderForm

from .conftest import fixed_now

#: Widget models a form makes without tiles (one more with them), reference or STAPI server
#: (issue 16: 121, before widgets shared their layouts and styles and made rare parts on
#: first use; 97 before the parts that are often never shown, such as error labels, result
#: lines and a section that does not apply, were sent when first shown). Lower it when a
#: change makes fewer.
MODELS = 83
#: Leeway for a model more, not for a habit of updates.
MARGIN = 2


class Sent:
    """The comm messages sent while recording: ``(msg_type, model or method, what)``."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, str]] = []

    def record(self, comm_: Any, msg_type: str, data: Any) -> None:
        data = data or {}
        if msg_type == "comm_open":
            self.messages.append((msg_type, data["state"].get("_model_name", "?"), ""))
        elif msg_type == "comm_msg":
            widget = _instances.get(comm_.comm_id)
            what = f"{type(widget).__name__}.{sorted(data.get('state') or {})}"
            self.messages.append((msg_type, str(data.get("method")), what))

    @property
    def opened(self) -> int:
        return sum(1 for kind, _, _ in self.messages if kind == "comm_open")

    @property
    def updates(self) -> list[str]:
        return [what for kind, method, what in self.messages if method == "update"]

    def summary(self) -> str:
        return str(Counter(model for kind, model, _ in self.messages if kind == "comm_open"))


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[Sent]:
    recorder = Sent()
    publish = comm.DummyComm.publish_msg

    def recording(self: Any, msg_type: str, data: Any = None, *args: Any, **kwargs: Any) -> None:
        recorder.record(self, msg_type, data)
        publish(self, msg_type, data, *args, **kwargs)

    monkeypatch.setattr(comm.DummyComm, "publish_msg", recording)
    yield recorder


def build(url: str, sent: Sent, **kwargs: Any) -> OrderForm:
    OrderForm(url, **kwargs).close()  # the modules and the shared models, made once
    sent.messages.clear()
    return OrderForm(url, **kwargs)


@pytest.mark.parametrize("basemap", [True, False])
def test_a_form_is_built_in_creation_messages_alone(
    stat_url: str, sent: Sent, basemap: bool
) -> None:
    form = build(stat_url, sent, basemap=basemap)
    try:
        assert sent.updates == []
        assert len(_instances) >= sent.opened  # each message is a model alive
        assert sent.opened <= MODELS + int(basemap) + MARGIN, sent.summary()
    finally:
        form.close()


def test_a_form_with_a_new_draft_is_built_without_updates(
    stat_url: str, sent: Sent, tmp_path: Any
) -> None:
    """The draft bar (no file yet: "saved as you go") is made as it first shows."""
    form = build(stat_url, sent, basemap=False, draft="fresh", drafts_home=tmp_path)
    try:
        assert "saved as draft" in form.draft.status.value
        assert sent.updates == []
    finally:
        form.close()


def test_a_stapi_form_is_built_without_updates(sent: Sent) -> None:
    """A STAPI server: open intervals refused, order parameters and opportunities offered."""
    with run_stapi_server() as (url, _backend):
        form = build(url, sent, basemap=False, now=fixed_now)
        try:
            assert not form.interval.allow_open_end and form.interval.open_end.disabled
            assert sent.updates == []
            assert sent.opened <= MODELS + MARGIN, sent.summary()
        finally:
            form.close()


def test_the_recorder_sees_updates(stat_url: str, sent: Sent) -> None:
    """The recorder hears what a change after creation sends (the test above can fail)."""
    form = build(stat_url, sent, basemap=False)
    try:
        form.aoi.map.layout.height = "300px"
        assert sent.updates == ["Layout.['height']"]
    finally:
        form.close()


def test_in_a_kernel_the_form_sends_only_creation_messages(stat_url: str) -> None:
    """The same count in a real IPython kernel: what its iopub channel publishes for the
    cell ``OrderForm(url)`` (a form made once before, as in a notebook's second run)."""
    from jupyter_client.manager import start_new_kernel

    manager, kernel = start_new_kernel(kernel_name="python3")
    try:
        warm_up = f"from stat_widgets import OrderForm\nOrderForm({stat_url!r}).close()"
        assert kernel.execute_interactive(warm_up, timeout=120)["content"]["status"] == "ok"
        seen: Counter[str] = Counter()

        def hear(msg: dict[str, Any]) -> None:
            kind = msg["msg_type"]
            if kind == "comm_msg":
                kind += ":" + str(msg["content"]["data"].get("method"))
            seen[kind] += 1

        reply = kernel.execute_interactive(
            f"form = OrderForm({stat_url!r})", timeout=120, output_hook=hear
        )
        assert reply["content"]["status"] == "ok"
        assert seen["comm_msg:update"] == 0, seen
        assert 0 < seen["comm_open"] <= MODELS + 1 + MARGIN, seen
    finally:
        kernel.stop_channels()
        manager.shutdown_kernel(now=True)
