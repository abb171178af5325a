"""Settings: where the project's ontology, shapes and data live, and the base IRI.

Settings come from the environment (prefix ``TIPKG_``) with defaults that fit a
checkout of the repository; ``get_settings()`` caches them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
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
        default=2, ge=1, description="Query worker processes kept running (each opens the store)."
    )
    max_workers: int | None = Field(
        default=None,
        ge=1,
        description="Most query workers at once: when all kept workers are busy, a client that "
        "holds none gets an extra one, up to this many (default: workers + 2).",
    )
    client_workers: int | None = Field(
        default=None,
        ge=1,
        description="Most workers one client may hold at once; its other queries wait "
        "(default: half the kept workers, at least 1).",
    )
    client_queries: int = Field(
        default=8,
        ge=1,
        description="Most queries one client may have running or waiting; beyond: 429.",
    )
    max_queued: int = Field(
        default=64, ge=0, description="Most queries waiting for a worker; beyond: 503."
    )
    max_queue_wait: float = Field(
        default=10.0, gt=0, description="Seconds a query may wait for a worker; then 503."
    )
    trusted_proxies: str = Field(
        default="",
        description="Addresses of reverse proxies whose X-Forwarded-For names the client "
        "(comma-separated, as uvicorn's --forwarded-allow-ips); empty: trust none.",
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000/",
        description="The service's public address, used in links, the JSON-LD context and "
        "the service description; never taken from a request's Host header "
        "(`tipkg serve` defaults it to its bind address).",
    )
    max_request_bytes: int = Field(
        default=1_000_000, ge=1, description="Largest request body accepted (413 beyond)."
    )
    max_query_chars: int = Field(
        default=100_000,
        ge=1,
        description="Longest query text accepted, in characters (400 beyond, checked before "
        "any parser runs).",
    )
    max_query_depth: int = Field(
        default=100,
        ge=1,
        description="Deepest nesting of { ( [ accepted in a query (400 beyond, checked before "
        "any parser runs): Oxigraph's parser and evaluator recurse once per level and a deep "
        "enough query overflows their stack.",
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

    @field_validator("public_url")
    @classmethod
    def _one_trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"public_url must be an http(s) URL, not {value!r}")
        return value.rstrip("/") + "/"

    @property
    def worker_limit(self) -> int:
        """Most query workers at once (``max_workers``, default ``workers + 2``)."""
        return max(self.max_workers or self.workers + 2, self.workers)

    @property
    def client_worker_limit(self) -> int:
        """Most workers one client holds (``client_workers``, default half, at least 1)."""
        return self.client_workers or max(1, self.workers // 2)

    def fair_use_policy(self) -> str:
        """The time limit and the sharing rules in words (service description, README)."""
        return (
            f"Each query may run for {self.query_timeout:g} s and is then stopped. "
            f"{self.workers} query workers are kept, up to {self.worker_limit} under load; "
            f"one client holds at most {self.client_worker_limit} at once and may have at "
            f"most {self.client_queries} queries running or waiting (more: HTTP 429 with "
            f"Retry-After). At most {self.max_queued} queries wait, each at most "
            f"{self.max_queue_wait:g} s (then HTTP 503 with Retry-After)."
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
