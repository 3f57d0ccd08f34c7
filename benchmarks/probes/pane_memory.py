"""Open a project's Deployment Tokens pane in the app, then print the peak RSS in MB."""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(url: str, project_name: str, scratch: str) -> None:
    from PySide6.QtCore import QSettings

    from ui import create_main_window
    from ui.application import application
    from ui.pages.project import DEPLOYMENT_TOKENS

    app = application()
    settings = QSettings(str(Path(scratch) / "memory.ini"), QSettings.Format.IniFormat)
    window = create_main_window(url, settings=settings)
    window.resize(1120, 700)
    window.show()
    project = next(p for p in window.projects_page().projects() if p.name == project_name)
    window.open_project(project, DEPLOYMENT_TOKENS)
    for _ in range(20):
        app.processEvents()
    # ru_maxrss is in kilobytes on Linux.
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, flush=True)
    os._exit(0)


if __name__ == "__main__":
    main(*sys.argv[1:4])
