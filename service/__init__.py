"""Guicheng (规程): the web application factory.

What holds for every request is installed here, before the blueprints: ids in
URLs fit a 64-bit column, JSON in and out keeps the input limits, query and
form text is checked, and every response carries the security headers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the package is imported by every command; only the server needs Flask
    from flask import Flask

    from service.config import Settings
    from service.operations.context import AppContext


def create_app(settings: Settings | None = None, context: AppContext | None = None) -> Flask:
    from flask import Flask

    from service.operations.context import build_context

    context = context or build_context(settings)
    app = Flask(__name__, static_folder=None)  # static files are served by the web blueprint
    app.config["SECRET_KEY"] = context.settings.secret_key
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_SECURE=context.settings.secure_cookies,
                      SESSION_COOKIE_NAME="guicheng_session", MAX_CONTENT_LENGTH=32 * 1024 * 1024)
    app.extensions["guicheng"] = context

    from service.api import bp as api_bp
    from service.api import converters, json_provider, load_endpoints
    from service.web import bp as web_bp
    from service.web import load_pages, request_limits, security_headers

    converters.install(app)
    app.json = json_provider.GuardedJSONProvider(app)
    request_limits.install(app)
    security_headers.install(app, https=context.settings.secure_cookies)
    load_endpoints()
    load_pages()
    app.register_blueprint(api_bp)
    app.register_blueprint(web_bp)
    return app
