"""The reference STAT server: ``create_app`` wires the catalogue, the store, the clock and the
optional bearer tokens into a FastAPI app with two faces: the STAT draft at ``/`` (one router
per resource, ``routes``) and STAPI v0.1.0 at ``/stapi`` (``stapi``). Both share the state on
``app.state.stat``, the users (``deps.user_of``) and the error bodies (``problems``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request

from stat_widgets.models import Product

from .clock import Clock, SystemClock
from .deps import user_of
from .gate import Gate
from .hosts import AllowedHosts
from .limits import DEFAULT_LIMITS, Limits
from .prefix import PathPrefix
from .problems import install_error_handlers
from .references import References
from .routes import ROUTERS
from .stapi import mount_stapi
from .state import ServerState, load_products
from .store import OrderStore


def create_app(
    *,
    db_path: str | Path,
    tokens: Mapping[str, str] | None = None,
    clock: Clock | None = None,
    products: Iterable[Product | Mapping[str, Any]] | None = None,
    allow_ref_hosts: Iterable[str] = (),
    allowed_hosts: Iterable[str] = (),
    limits: Limits | None = None,
    root_path: str = "",
    trust_forwarded_prefix: bool = True,
) -> FastAPI:
    """The app. ``tokens`` maps bearer tokens to user names (``None``: no users, every order
    belongs to ``anonymous``); ``products`` replaces the demo catalogue; ``allow_ref_hosts``
    names the loopback, link-local or private hosts a ``$ref`` geometry may be fetched from
    (``references``); ``allowed_hosts`` are the ``Host`` names it answers to besides the
    loopback ones (``"*"``: any; more can be added later with
    ``app.state.stat.hosts.allow(name)``); ``limits`` its bounds (``Limits``). Links carry
    ``root_path``, or the prefix a proxy names in ``X-Forwarded-Prefix`` (``server/prefix.py``:
    how Binder's ``/proxy/<port>/`` reaches the embedded server)."""
    if str(db_path) == ":memory:" or not str(db_path):
        raise ValueError("db_path must be a file: each worker thread opens its own connection")
    state = ServerState(
        OrderStore(db_path),
        clock or SystemClock(),
        tokens,
        load_products(products),
        references=References(allow_ref_hosts),
        hosts=AllowedHosts(allowed_hosts),
        limits=limits or DEFAULT_LIMITS,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        state.store.close()

    app = FastAPI(
        title="STAT reference server",
        description="Reference implementation of the STAT Order API draft (stat_widgets).",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.stat = state
    install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)

    def user_for(request: Request) -> str:
        return user_of(state, request)

    app.state.stapi = mount_stapi(app, state, user_for)
    app.add_middleware(PathPrefix, root_path=root_path, trust_forwarded=trust_forwarded_prefix)
    app.add_middleware(Gate, hosts=state.hosts, limits=state.limits)  # outermost: first look
    return app
