"""`handouts serve`: a small local web app over the API, for authors (live preview with
check's findings) and clinic staff (a patient's copy: preview, download, email, print).

Needs the optional extra: ``pip install 'handouts[serve]'`` (Starlette, uvicorn, watchfiles).
May import: everything below ``cli`` (it sits beside it), never ``cli``.
"""

EXTRA_HINT = "install it with: pip install 'handouts[serve]'"
