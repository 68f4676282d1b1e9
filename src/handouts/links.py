"""Which link targets may appear in a handout: https, http, mailto and tel, nothing else.

A patient cannot click paper, and a PDF must not open programs or local files: a
``javascript:``, ``file:`` or ``smb:`` link, a relative one (``www.nhs.uk``, ``../x``) and a
fragment (``#top``) are refused with a hint. Used for content text, template links, QR
targets and the clinic's ``handout_url``.
"""

from __future__ import annotations

import re

ALLOWED = ("https", "http", "mailto", "tel")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_HOST = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(/\S*)?$")
# [text](target) in Markdown: a pre-check only (markdown-it parses the text for printing).
_MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]*)>?[^)]*\)")


def link_problem(url: str) -> str | None:
    """Why ``url`` may not be a link on a handout (None when it may)."""
    target = url.strip()
    if not target:
        return "a link needs an address, e.g. https://www.nhs.uk"
    found = _SCHEME.match(target)
    if found:
        scheme = found.group(1).lower()
        if scheme not in ALLOWED:
            return (f"link '{_short(target)}' uses '{scheme}:', which is not allowed; "
                    "links may only be https:, http:, mailto: or tel:")
        rest = target[found.end():]
        if scheme in ("https", "http") and not _HOST.match(rest.removeprefix("//")):
            return f"link '{_short(target)}' is not a complete web address"
        if scheme in ("mailto", "tel") and not rest:
            return f"link '{_short(target)}' has nothing after '{scheme}:'"
        return None
    if target.startswith("#"):
        return (f"link '{_short(target)}' points inside a page, which paper cannot do; "
                "give a full address such as https://www.nhs.uk")
    if "@" in target and " " not in target and "/" not in target:
        return f"link '{_short(target)}' has no scheme; did you mean mailto:{target}?"
    if _HOST.match(target):
        return f"link '{_short(target)}' has no scheme; did you mean https://{target}?"
    return (f"link '{_short(target)}' is relative, which means nothing on paper; give a full "
            "address such as https://www.nhs.uk")


def text_link_problems(text: str) -> list[str]:
    """Problems of every Markdown link target in a piece of content text."""
    if "](" not in text:
        return []
    return [p for p in (link_problem(m.group(1)) for m in _MARKDOWN_LINK.finditer(text)) if p]


def _short(url: str) -> str:
    return url if len(url) <= 80 else url[:77] + "..."
