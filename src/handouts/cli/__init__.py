"""The `handouts` command line: a thin layer that parses options and calls the API.

One module per command (``make``, ``check``, ``email``, ``preview``, ``init``, ``listing``
for list/layouts/schema); ``options`` holds what they share; ``app`` the group and ``main``.
"""

from handouts.cli.app import cli, main

__all__ = ["cli", "main"]
