"""Printable documents of a case (service sheet, weekly report) as PDF."""

from __future__ import annotations
