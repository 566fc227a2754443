"""`make bench`: run every benchmark module in bench/ with its defaults, or
`python -m bench NAME [options]` to run one with its own options.

Each module exposes ``main(argv: list[str]) -> None`` and prints its figures.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    if len(sys.argv) > 1:
        name, options = sys.argv[1], sys.argv[2:]
        importlib.import_module(f"bench.{name}").main(options)
        return
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if not info.name.startswith("_")
    )
    for name in names:
        print(f"== bench.{name}", flush=True)
        importlib.import_module(f"bench.{name}").main([])


if __name__ == "__main__":
    main()
