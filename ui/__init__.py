"""The desktop app (PySide6). Imports ``app``; ``app`` never imports this package."""
