"""The FastAPI application of one PBX: routes, error handlers and the event hub."""

from __future__ import annotations

from fastapi import FastAPI

from pbx_core.pbx import Pbx
from server import (
    directory_routes,
    events,
    routes,
    routes_address_books,
    routes_chat,
    routes_contacts,
    routes_forwarding,
    routes_numbering,
    routes_pickup,
    routes_plans,
    routes_queues,
    routes_recordings,
    routes_routing,
    routes_sessions,
    routes_users,
    routes_voicemail,
)
from server.auth import TokenStore
from server.errors import install_error_handlers
from server.event_log import EVENT_BUFFER
from server.events import EventHub
from server.limits import install_limits

__all__ = ["API_VERSION", "create_app"]

API_VERSION = "1.0.0"


def create_app(
    pbx: Pbx, *, tokens: TokenStore | None = None, event_buffer: int = EVENT_BUFFER
) -> FastAPI:
    """An app serving ``pbx``; it subscribes its event hub to the PBX bus."""
    app = FastAPI(
        title="Acme PBX API",
        version=API_VERSION,
        description="Sign-in, the signed-in user, call history, directory, presence and events.",
        docs_url="/api/docs",
        redoc_url=None,
    )
    limits = pbx.config.limits
    hub = EventHub(
        event_buffer,
        per_source=limits.http_per_source,
        per_user=limits.event_sockets_per_user,
    )
    pbx.bus.subscribe(hub.publish)
    app.state.pbx = pbx
    app.state.tokens = tokens or TokenStore()
    app.state.events = hub
    install_error_handlers(app)
    install_limits(app, pbx.config.limits)
    app.include_router(routes.router)
    app.include_router(routes_pickup.router)
    routes_voicemail.install(app, pbx)
    app.include_router(events.router)
    app.include_router(routes_contacts.router)
    app.include_router(routes_address_books.router)  # the administrator's company books
    app.include_router(routes_chat.router)
    app.include_router(directory_routes.router)
    routes_forwarding.install(app, pbx)
    app.include_router(routes_routing.router)  # routing rules (P5)
    app.include_router(routes_numbering.router)  # number conversions (P7)
    routes_queues.install(app, pbx)  # ACD queues (P9, S6) and their engine, after routing
    app.include_router(routes_plans.router)
    app.include_router(routes_users.router)  # the administrator's users and roles
    routes_recordings.install(app, pbx)
    routes_sessions.install(app)  # password change and the user's sessions (P1, issue 14)
    return app
