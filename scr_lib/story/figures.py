"""A run's figures, as results.json holds them: the value and the illustrative mark under a result key.

A results dict maps a dotted key ('refusal.share') to a bare number or to ``{"value", "unit", "label",
"notebook"}``, with ``"illustrative": true`` where the figure rests on illustrative values (see
:class:`scr_lib.story.results.Results`). Both :mod:`~scr_lib.story.results` and :mod:`~scr_lib.story.claims`
read figures through here, so neither imports the other to do it.
"""

from __future__ import annotations

_MISSING = object()


def value(results: dict, key: str, default=_MISSING):
    """The number under ``key`` in a results dict (whether stored bare or as {'value': ...}).

    A missing key raises ``KeyError`` unless ``default`` is given, which is then returned.
    """
    if key not in results:
        if default is _MISSING:
            raise KeyError(key)
        return default
    found = results[key]
    return found.get("value", default if default is not _MISSING else None) if isinstance(found, dict) else found


def is_illustrative(results: dict, key: str) -> bool:
    """True when the result under ``key`` was recorded as resting on illustrative values; False if not, or missing."""
    found = results.get(key)
    return bool(found.get("illustrative", False)) if isinstance(found, dict) else False
