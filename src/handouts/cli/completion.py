"""Shell completion that knows the workspace: handout names, layouts, clinics, languages.

Click calls these while the user presses Tab (``_HANDOUTS_COMPLETE=bash_source handouts``
prints the script to enable it). They never raise: a broken workspace completes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import click


def _workspace(ctx: click.Context) -> Any:
    from handouts.workspace.finder import Workspace

    root = ctx.find_root().params.get("root")
    return Workspace.discover(root=root)


def _items(names: Iterable[str], incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem  # only while completing

    return [CompletionItem(n) for n in sorted(set(names)) if n.startswith(incomplete)]


def _completer(names: Callable[[click.Context, Any], Iterable[str]]) -> Callable[..., Any]:
    def complete(ctx: click.Context, param: click.Parameter,
                 incomplete: str) -> list[Any]:
        try:
            return _items(names(ctx, _workspace(ctx)), incomplete)
        except Exception:  # completion must never print a traceback into the shell
            return []

    return complete


def _languages(ctx: click.Context, ws: Any) -> list[str]:
    slugs = ctx.params.get("slugs") or ([ctx.params["slug"]] if ctx.params.get("slug") else [])
    slugs = [s for s in slugs if s in ws.handouts()] or list(ws.handouts())
    tags = [tag for slug in slugs for tag in ws.editions(slug)]
    return sorted({*tags, *(tag.split("-")[0] for tag in tags)})  # a bare en picks one


def _clinics(ctx: click.Context, ws: Any) -> list[str]:
    from handouts.content.clinic import clinic_files

    return list(clinic_files(ws))


complete_handouts = _completer(lambda ctx, ws: ws.handouts())
complete_layouts = _completer(lambda ctx, ws: ws.layouts())
complete_languages = _completer(_languages)
complete_clinics = _completer(_clinics)
