"""Headers on every response: what the browser may load, frame, sniff and tell other sites.

The pages load scripts, styles, fonts and diagrams only from this server and
run no inline script and no inline `<style>`. The vendored bpmn-js and form-js
need nothing more (they style through the CSSOM, which the policy allows;
checked in Chromium by tests/browser/test_csp.py). `style="…"` attributes are
still allowed because a few templates use them; once those move into app.css,
`style-src-attr` can go. A response may bring a stricter policy of its own
(e.g. a download in a sandbox); it is kept.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# The form editor's expression fields (CodeMirror inside form-js) add a `<style>` element, and the
# prebuilt bundle offers no nonce: the editor page alone may carry inline styles; scripts stay 'self'.
EDITOR_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'", 1)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"


def install(app: Flask, *, https: bool) -> None:
    headers = {**HEADERS, **({"Strict-Transport-Security": HSTS} if https else {})}

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
