"""Pages for people."""

from flask import Blueprint

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static")

from service.web import home  # noqa: E402,F401
