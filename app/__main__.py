"""``python -m app``: the same as the ``deployment-tokens`` command."""

from app.cli import main

raise SystemExit(main())
