"""The first round's import path for clinic profiles, kept for code written against it:
``from handouts.clinic import resolve_clinic``. New code imports ``handouts.content.clinic``."""

from handouts.content.clinic import ClinicProfile, load_clinic, resolve_clinic

__all__ = ["ClinicProfile", "load_clinic", "resolve_clinic"]
