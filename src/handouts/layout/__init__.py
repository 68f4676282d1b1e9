"""Layouts: ``layout.yaml`` specs, the Jinja2 merge into block markup, the block vocabulary.

May import: ``errors``, ``schema``, ``colours``, ``workspace``, ``content``.
"""
