"""Errors tipkg raises on bad input, each with a stable code and a message that says what to do.

This module imports nothing from tipkg so every other module can use it.
"""

from __future__ import annotations


class TipkgError(Exception):
    """Base class: a problem with the user's input or settings, reported without a traceback."""

    code = "tipkg_error"


class RdfSyntaxError(TipkgError):
    """Raised when an RDF file cannot be parsed; the message names the file and the line."""

    code = "rdf_syntax"


class UnknownTermError(TipkgError):
    """Raised when data uses a tipkg: term the ontology does not define."""

    code = "unknown_term"
