"""Reflex engine/store package."""
