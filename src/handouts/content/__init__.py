"""The content model: handouts read from YAML and validated, personal fields, clinic profiles.

May import: ``errors``, ``schema``, ``colours``, ``workspace``.
"""
