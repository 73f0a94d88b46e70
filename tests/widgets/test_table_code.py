"""The tables' ES module and stylesheet travel once per kernel, compressed, in one model that
every ``RecordTable`` refers to; each table's own ``_esm`` is only the loader."""

from __future__ import annotations

import gzip
from pathlib import Path

import ipywidgets as widgets

from stat_widgets.widgets.opportunities.table import OpportunityTable
from stat_widgets.widgets.order_browser import table_code as code_module
from stat_widgets.widgets.order_browser.table import OrderTable
from stat_widgets.widgets.order_browser.table_code import TableCode, table_code

HERE = Path(code_module.__file__).parent


def test_every_table_refers_to_the_one_code_model() -> None:
    tables = [OrderTable(), OrderTable(), OpportunityTable()]
    try:
        codes = {id(t._code) for t in tables}
        assert codes == {id(table_code())}
        state = tables[0].get_state()
        assert state["_code"] == "IPY_MODEL_" + table_code().model_id
        assert "_css" not in state or not state["_css"]
        # the loader is what each table sends: small, and it reads the code model
        assert len(state["_esm"]) < 1200
        assert "DecompressionStream" in state["_esm"] and '"_code"' in state["_esm"]
    finally:
        for table in tables:
            table.close()


def test_the_code_model_carries_the_files_compressed_as_binary_buffers() -> None:
    code = table_code()
    _state, buffers, _paths = widgets.widget._remove_buffers(code.get_state())
    assert len(buffers) == 2  # sent as binary frames, not as base64 text
    js = gzip.decompress(code.code).decode()
    css = gzip.decompress(code.style).decode()
    source = (HERE / "table.js").read_text()
    assert "textContent" in js and "export default { render };" in js
    assert "innerHTML" not in js  # hostile strings stay text
    assert ".stat-record-table" in css and ".stat-order-browser" in css
    assert len(js) < len(source)  # compacted: comments and indentation gone
    assert len(code.code) + len(code.style) < (len(js) + len(css)) / 2


def test_closing_a_table_leaves_the_code_model_and_close_all_makes_a_new_one() -> None:
    table = OrderTable()
    code = table._code
    table.close()
    assert table.comm is None
    assert code.comm is not None  # the next table (and those still open) still use it
    again = OrderTable()
    assert again._code is code
    again.close()
    code.close()  # as Widget.close_all() would
    remade = OrderTable()
    assert isinstance(remade._code, TableCode) and remade._code is not code
    assert remade._code.comm is not None
    remade.close()
