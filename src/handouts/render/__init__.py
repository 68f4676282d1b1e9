"""Blocks to PDF: fonts and styles, flowables, figures, the document and its page edges,
grayscale drawing.

May import: ``errors``, ``colours``, ``layout``, ``content``.
"""
