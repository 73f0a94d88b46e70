"""Where first paint's time goes: a diagnostic, not a target (``first_paint.py`` holds that).

For each round it runs the same two cells as ``first_paint.py`` in fresh kernels and prints,
from the Shift+Enter keydown: when the kernel reported busy, the first and last ``comm_open``
and how many, the ``execute_result``, first paint, and the page's long tasks (main-thread work
over 50 ms) in all and after the result. The kernel socket's messages are read by wrapping the
page's ``WebSocket`` before Lab opens it; only each message's ``msg_type`` is kept.

What it showed on 2026-12-02 (2 cores): the bare map's result arrives at ~0.5 s and paint
follows ~0.5 s later; the form's result arrives at ~1.15 s and paint ~0.45 s later. The
difference is the kernel's, not the browser's.

    .venv/bin/python benchmarks/first_paint_timeline.py --repeat 3
"""

from __future__ import annotations

import argparse
from typing import Any

from first_paint import _shut_down_kernels, offline_lab, run_cell

#: Installed in every page before Lab's scripts: records each kernel message's arrival time
#: and type, and every long task.
RECORDER = r"""
window.__messages = []; window.__longTasks = [];
new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
        window.__longTasks.push([entry.startTime, entry.duration]);
    }
}).observe({entryTypes: ['longtask']});
const NativeWebSocket = window.WebSocket;
window.WebSocket = function (...args) {
    const socket = new NativeWebSocket(...args);
    socket.addEventListener('message', (event) => {
        const at = performance.now();
        let text = '';
        try {
            const data = event.data;
            text = typeof data === 'string' ? data : new TextDecoder().decode(data);
        } catch (error) { /* a frame that is not text: counted without a type */ }
        const type = text.match(/"msg_type":\s*"(\w+)"/);
        window.__messages.push([at, type ? type[1] : '?']);
    });
    return socket;
};
window.WebSocket.prototype = NativeWebSocket.prototype;
Object.assign(window.WebSocket, NativeWebSocket);
"""


def _round(context: Any, lab: Any, name: str) -> str:
    page = context.new_page()
    try:
        run_cell(page, lab, name)
        t0, paint, messages, long_tasks = page.evaluate(
            "() => [window.__t0, window.__firstPaint, window.__messages, window.__longTasks]"
        )
    finally:
        page.close()
        _shut_down_kernels(lab)
    events = [((at - t0) / 1000, kind) for at, kind in messages if at >= t0]
    opens = [t for t, kind in events if kind == "comm_open"]
    result = next((t for t, kind in events if kind == "execute_result"), 0.0)
    busy = sum(duration for start, duration in long_tasks if start >= t0) / 1000
    busy_after = sum(d for s, d in long_tasks if (s - t0) / 1000 >= result) / 1000
    first_open, last_open = (opens[0], opens[-1]) if opens else (0.0, 0.0)
    return (
        f"{name:7s} paint {paint / 1000:.3f}  comm_open {first_open:.3f}-{last_open:.3f} "
        f"(n={len(opens)})  result {result:.3f}  long tasks {busy:.3f} ({busy_after:.3f} after "
        "the result)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with offline_lab(RECORDER) as (context, lab):
        for name in ("theirs", "ours"):  # warm the caches, as first_paint.py does
            _round(context, lab, name)
        for _ in range(args.repeat):
            for name in ("theirs", "ours"):
                print(_round(context, lab, name), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
