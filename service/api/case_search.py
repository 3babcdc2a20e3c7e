"""Case search in the API."""
