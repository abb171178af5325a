"""Generators for the reference data under ``data/reference/``, built from maintained packages."""
