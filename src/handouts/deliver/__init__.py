"""Getting a handout to a patient: email (MIME message, SMTP transport) and PDF encryption.

May import: everything below it (``build`` for the PDF) but never ``cli``.
"""
