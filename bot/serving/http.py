"""The operator's HTTP endpoints, added to the webhook server or served alone in polling mode:
GET /healthz (JSON, 200 or 503) and GET /metrics (Prometheus text)."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.config import SettingsError
from bot.context import AppContext
from bot.observability.metrics import CONTENT_TYPE
from bot.serving.health import check_health
from storage import outbox

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"


def add_operator_routes(app: web.Application, ctx: AppContext) -> None:
    async def healthz(request: web.Request) -> web.Response:
        health = await check_health(ctx)
        return web.json_response(health.body, status=200 if health.ok else 503)

    async def metrics(request: web.Request) -> web.Response:
        if ctx.db is not None:  # the outbox depth is read when asked, not kept up to date
            ctx.metrics.set_outbox_depth(await outbox.status_counts(ctx.db))
        return web.Response(body=ctx.metrics.render(), headers={"Content-Type": CONTENT_TYPE})

    app.router.add_get(HEALTH_PATH, healthz)
    app.router.add_get(METRICS_PATH, metrics)


def new_runner(app: web.Application) -> web.AppRunner:
    # no access log: a request line would show the webhook path
    return web.AppRunner(app, access_log=None, handle_signals=False)


async def listen(runner: web.AppRunner, host: str, port: int, what: str, setting: str) -> int:
    """Start serving on host:port (0: any free port); returns the port, and logs it (tests read it there)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise SettingsError(f"{setting}: cannot listen on {host}:{port} ({exc.strerror})") from None
    site = web.SockSite(runner, sock)
    await site.start()
    bound = int(sock.getsockname()[1])
    log.info("%s listening on %s:%d", what, host, bound)
    return bound


@asynccontextmanager
async def operator_server(ctx: AppContext, host: str, port: int) -> AsyncIterator[int]:
    """/healthz and /metrics alone (polling mode); yields the port."""
    app = web.Application()
    add_operator_routes(app, ctx)
    runner = new_runner(app)
    await runner.setup()
    try:
        yield await listen(runner, host, port, "health and metrics server", "HEALTH_PORT")
    finally:
        await runner.cleanup()
