"""The reader's language: ``?lang=`` (the page's language switch), else ``Accept-Language``
(RFC 9110 12.5.4, by q-value), among the six UN languages; English by default."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.requests import Request

from tipkg.store.names import UN_LANGUAGES

#: Each language's own name, for the switch; the right-to-left ones.
NATIVE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ru": "Русский",
    "zh": "中文",
    "ar": "العربية",
}
RIGHT_TO_LEFT = frozenset({"ar"})


@dataclass(frozen=True)
class Language:
    """The page's language: its code, direction and the order labels are looked for."""

    code: str

    @property
    def direction(self) -> str:
        return "rtl" if self.code in RIGHT_TO_LEFT else "ltr"

    @property
    def preferences(self) -> tuple[str, ...]:
        return (self.code,) if self.code == "en" else (self.code, "en")


def from_accept_language(header: str | None) -> str | None:
    """The UN language the ``Accept-Language`` header prefers most, or None.

    >>> from_accept_language("de-CH, fr;q=0.8, en;q=0.5")
    'fr'
    >>> from_accept_language("zh-Hans-CN") , from_accept_language("de") is None
    ('zh', True)
    """
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in UN_LANGUAGES and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else None


def language_of(request: Request) -> Language:
    """The language to show ``request`` a page in."""
    asked = request.query_params.get("lang", "").strip().lower()
    if asked in UN_LANGUAGES:
        return Language(asked)
    return Language(from_accept_language(request.headers.get("accept-language")) or "en")


def switch_links(request: Request) -> list[tuple[str, str, str]]:
    """(code, native name, URL of this page in that language) for the language switch."""
    others = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    links = []
    for code in UN_LANGUAGES:
        query = urlencode([*others, ("lang", code)])
        links.append((code, NATIVE_NAMES[code], f"{request.url.path}?{query}"))
    return links
