"""The main window's pages. Each page is one module; all load data through the task runner."""

from ui.views.base import View

__all__ = ["View"]
