"""`handouts check`: the checks, their report, and the text tools they use (readability,
jargon, prose units).

May import: everything below it (``render`` for the layout-fit renders) but never ``cli``.
"""
