"""Reflex engine package."""
