"""Generators for the reference data under ``data/reference/``, built from maintained packages.

May import: the shared modules. Must not import: the other stages.
"""
