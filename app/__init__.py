"""Reflex app package."""
