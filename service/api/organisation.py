"""Organisation in the API: users and departments."""
