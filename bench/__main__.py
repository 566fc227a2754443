"""`make bench`: run every benchmark module in bench/ (or those named on the command line).

Each module exposes ``main(argv: list[str]) -> None`` and prints its figures.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    names = sys.argv[1:] or sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if not info.name.startswith("_")
    )
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"== bench.{name}", flush=True)
        module.main([])


if __name__ == "__main__":
    main()
