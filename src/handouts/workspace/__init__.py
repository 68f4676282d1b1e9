"""Finding things: the workspace and its built-in library, ``handouts.yaml``, ``handouts init``.

May import: ``errors``, ``schema``.
"""

from handouts.workspace.finder import Workspace

__all__ = ["Workspace"]
