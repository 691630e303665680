"""Make tests/strategies.py importable as `strategies` from the test modules."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
