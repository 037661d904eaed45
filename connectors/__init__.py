"""Connectors produce models/ objects from providers; they never import Qt or write SQL."""
