"""handouts: clinician-written YAML content in, patient-friendly printable PDFs out.

The package stays cheap to import; each pipeline stage lives in its own module:
``workspace`` (find things), ``content`` (load and validate), ``layout`` (layout
folders), ``merge`` (Jinja2 to block markup), ``blocks`` (the block vocabulary),
``render`` (blocks to PDF bytes), ``build`` (the public API), ``cli`` (commands).

Records are dataclasses. Those on the path of every ``make`` that nothing compares by value
are ``eq=False`` (compared by identity, still hashable): each generated ``__eq__`` and
``__hash__`` is compiled at import, about 3 % of a cold ``make`` over some 60 records.
Layout specs keep value equality: the merger and style caches compare them.
"""

from __future__ import annotations


def _read_version() -> str:
    try:
        from handouts._version import __version__  # written by the build from pyproject.toml

        return __version__
    except ImportError:  # running from a source tree that was never built
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("handouts")
        except PackageNotFoundError:
            return "0+unknown"


__version__ = _read_version()
