"""Packaged resources: prompts, demo workspace, icons, styles."""
