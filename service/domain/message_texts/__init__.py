"""Catalogues of `service.domain.messages`, one module per feature."""
