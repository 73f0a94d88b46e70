"""Serve the stapi-fastapi 0.8.0 test server (in-memory backend, ``tests/client/stapi_server``)
on 127.0.0.1 for the server figure, in its own process like the reference server.

    .venv/bin/python benchmarks/_stapi_serve.py --port 8123
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repo root, for ``tests``

from tests.client.stapi_server import Backend, create_app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args()
    uvicorn.run(create_app(Backend()), host="127.0.0.1", port=args.port, log_level=args.log_level)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
