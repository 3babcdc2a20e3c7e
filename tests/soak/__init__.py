"""Soak test: a real deployment on PostgreSQL under load, with processes killed at random."""
