"""The project's folder, first on sys.path: the bench scripts run as `python bench/<script>.py`
and import the project's packages (visits, tests) through it. Import it before them."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
