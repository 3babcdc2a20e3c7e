"""The language of the API's reader: `?lang=en`; else, for the pages' own calls (a browser signed in),
the language the pages show; else `Accept-Language`; else Chinese.

Why this order: a browser always sends its own `Accept-Language`, while the person chose the pages'
language with the switch, so an error under a form speaks the form's language. Scripts with a token
ask by `?lang=` or `Accept-Language`. One function, so details, field errors and downloads agree.
"""

from __future__ import annotations

from flask import has_request_context, request, session

from service.domain.messages import DEFAULT_LANGUAGE, LANGUAGES


def language() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    if session.get("sign_in") or session.get("lang"):
        chosen = session.get("lang")
        return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE
    for tag, _quality in request.accept_languages:
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE
