"""Reflex ui package."""
