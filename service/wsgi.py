"""gunicorn entry point: `service.wsgi:app`."""

from service import create_app
from service.engine.limits import cap_address_space

app = create_app()
# a backstop for memory the evaluator cannot measure: past it a step fails, the server lives on
cap_address_space(app.extensions["guicheng"].settings.memory_headroom_mib * 1024 * 1024)
