"""The 20 genres, one module each: a genre's module holds everything about it (see `genre.Genre`).

Adding a genre is writing its module and naming it in MODULES: no other table needs a row for it.
"""

from __future__ import annotations

from importlib import import_module

from ..errors import InvalidOption, quoted
from ..instruments import ROLES
from .genre import Genre

__all__ = ["GENRES", "GENRE_NAMES", "MODULES", "ROLES", "Genre", "get_genre"]

# Order matters: the briefer's seeded tie-break walks the genres in this order.
MODULES: tuple[str, ...] = (
    "pop", "kpop", "hiphop", "rnb", "rock", "metal", "punk", "jazz", "blues", "funk", "classical",
    "cinematic", "electronic", "house", "lofi", "ambient", "synthwave", "folk", "country", "latin",
)


def _catalogue(genres: list[Genre]) -> dict[str, Genre]:
    names = [n for g in genres for n in (g.name, *g.aliases)]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"genre names or aliases used twice: {', '.join(twice)}")
    return {g.name: g for g in genres}


GENRES: dict[str, Genre] = _catalogue([import_module(f"{__name__}.{m}").GENRE for m in MODULES])
GENRE_NAMES: tuple[str, ...] = tuple(GENRES)
ALIASES: dict[str, str] = {alias: g.name for g in GENRES.values() for alias in g.aliases}


def get_genre(name: str) -> Genre:
    """Look a genre up by name, forgiving case and spaces ("K-Pop", "lo fi"); clear error otherwise."""
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    key = ALIASES.get(key, key)
    if key not in GENRES:
        raise InvalidOption(
            f"unknown genre {quoted(name)}; choose one of: {', '.join(GENRE_NAMES)}", code="unknown_genre")
    return GENRES[key]
