"""ActLocal: an open-source platform for local organizing networks."""

__version__ = "0.1.0"
