"""Loaded with ``-p tests.testenv`` before pytest-django reads the settings.

Tasks run inline, mail stays in memory unless a test starts the SMTP server.
"""

import os

os.environ.setdefault("ACTLOCAL_TASKS", "immediate")
os.environ.setdefault("EMAIL_URL", "memory:")
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
