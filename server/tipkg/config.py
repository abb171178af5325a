"""Settings: where the project's ontology, shapes and data live, and the base IRI.

Settings come from the environment (prefix ``TIPKG_``) with defaults that fit a
checkout of the repository; ``get_settings()`` caches them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_root() -> Path:
    """Return the checkout this package was installed from, or else the working directory."""
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "ontology").is_dir():
        return checkout
    return Path.cwd()


class Settings(BaseSettings):
    """tipkg settings; each can be set as an environment variable such as ``TIPKG_ROOT``."""

    model_config = SettingsConfigDict(env_prefix="TIPKG_")

    root: Path = Field(
        default_factory=_default_root,
        description="Project directory holding ontology/, shapes/ and data/.",
    )
    base_iri: str = Field(
        default="https://w3id.org/tipkg/",
        description="Base IRI of every resource: things live under id/, the vocabulary at def.",
    )

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"


@lru_cache
def get_settings() -> Settings:
    """Return the settings, read once from the environment."""
    return Settings()
