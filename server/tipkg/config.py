"""Settings: where the project's ontology, shapes and data live, and the base IRI.

Settings come from the environment (prefix ``TIPKG_``) with defaults that fit a
checkout of the repository; ``get_settings()`` caches them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
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
    # --- SPARQL endpoint (server/tipkg/sparql.py, query_pool.py, app.py) ---
    query_timeout: float = Field(
        default=30.0, gt=0, description="Seconds a query may run before its worker is killed."
    )
    in_memory: bool | None = Field(
        default=None,
        description="Copy the store into each worker's memory (heavy queries run several times "
        "faster; costs memory). Default: in memory up to in_memory_max_triples.",
    )
    in_memory_max_triples: int = Field(
        default=2_000_000, ge=0, description="Largest store copied into memory by default."
    )
    workers: int = Field(
        default=2, ge=1, description="Query worker processes (each opens the store read-only)."
    )
    max_request_bytes: int = Field(
        default=1_000_000, ge=1, description="Largest request body accepted (413 beyond)."
    )
    max_result_bytes: int = Field(
        default=50_000_000, ge=1, description="Largest serialized query result returned."
    )
    union_default_graph: bool = Field(
        default=True,
        description="Without a dataset in the request, the default graph is the union of all.",
    )
    update_token: str | None = Field(
        default=None,
        description="Bearer token for SPARQL Update; unset means updates are refused.",
    )

    store: Path | None = Field(
        default=None,
        description="Where `tipkg build` writes the embedded Oxigraph store (default: var/store "
        "under the project directory).",
    )
    # --- an external store (remote_load.py, remote_store.py) ---
    endpoint_user: str | None = Field(
        default=None, description="User for `tipkg build --endpoint` (Basic or Digest auth)."
    )
    endpoint_password: SecretStr | None = Field(
        default=None, description="Password of endpoint_user."
    )
    default_graph: str | None = Field(
        default=None,
        description="For an external store whose default graph is the union of all its graphs "
        "(Virtuoso): the named graph that holds tipkg's merged default graph; `tipkg build "
        "--endpoint` loads it there and `tipkg serve --endpoint` queries it as the default graph.",
    )

    @property
    def store_dir(self) -> Path:
        return self.store if self.store is not None else self.root / "var" / "store"

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
