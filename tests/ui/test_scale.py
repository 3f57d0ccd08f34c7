"""At 2x scale on a 1600x1000 screen (800x500 device-independent pixels), as on a HiDPI
laptop: the restored window fits the screen and the trash icon is in view."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ui.main_window import GEOMETRY_KEY, LAST_PROJECT_KEY

PROBE = Path(__file__).resolve().parent / "probes" / "scaled_window.py"
ROOT = Path(__file__).resolve().parents[2]


def test_at_2x_scale_the_restored_window_fits_and_the_trash_icon_is_in_view(
    tmp_path, database_url, service, web_project, make_window
):
    for index in range(3):
        service.generate("web", f"GitLab CI deploy job for tenant {index:03}")
    # A window saved at 2120x1360 (on a larger screen) is what the app finds in its settings.
    big = make_window()
    big.resize(2120, 1360)
    geometry: QByteArray = big.saveGeometry()
    big.close()
    saved = QSettings(str(tmp_path / "scaled.ini"), QSettings.Format.IniFormat)
    saved.setValue(GEOMETRY_KEY, geometry)
    saved.setValue(LAST_PROJECT_KEY, "web")
    saved.sync()
    screen = tmp_path / "screen.json"
    laptop = {"name": "laptop", "x": 0, "y": 0, "width": 1600, "height": 1000, "dpr": 1}
    screen.write_text(json.dumps({"screens": [{**laptop, "logicalDpi": 96}]}))
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
        "QT_SCALE_FACTOR": "2",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, str(PROBE), database_url, str(tmp_path / "scaled.ini"), "web"],
        capture_output=True, text=True, env=environment, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["device_pixel_ratio"] == 2.0
    assert seen["screen"] == [800, 500]
    left, top, width, height = seen["frame"]
    assert left >= 0
    assert top >= 0
    assert left + width <= 800
    assert top + height <= 500
    assert seen["trash_in_view"] is True
    assert seen["horizontal_scroll"] is False
