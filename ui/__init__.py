"""The desktop app (Qt). Imports ``app``; ``app`` never imports this package."""

from __future__ import annotations

from ui.application import create_main_window, launch

__all__ = ["create_main_window", "launch"]
