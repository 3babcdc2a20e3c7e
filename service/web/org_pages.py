"""Organisation pages (admin)."""
