"""The filters and tests of the Jinja-free runtime (``generators.template_runtime``).

Each is Jinja 3.1's, in the form sm-advisor's templates call it: the leading ``environment`` or
``eval_ctx`` argument is the one Jinja's compiler inserts, and a form the templates do not use
(``attribute=``) raises ``NeedsJinja``, so that Jinja renders the project instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from generators.errors import NeedsJinja


def _ignore_case(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _no_attribute(attribute: Any) -> None:
    if attribute is not None:
        raise NeedsJinja("filters by attribute")


def _join(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> str:
    _no_attribute(attribute)
    return str(d).join(map(str, value))


def _list(eval_ctx: Any, value: Iterable[Any]) -> list[Any]:
    return list(value)


def _sort(
    environment: Any,
    value: Iterable[Any],
    reverse: bool = False,
    case_sensitive: bool = False,
    attribute: Any = None,
) -> list[Any]:
    _no_attribute(attribute)
    return sorted(value, key=None if case_sensitive else _ignore_case, reverse=reverse)


def _unique(
    environment: Any,
    value: Iterable[Any],
    case_sensitive: bool = False,
    attribute: Any = None,
) -> Iterator[Any]:
    _no_attribute(attribute)
    seen = set()
    for item in value:
        key = item if case_sensitive else _ignore_case(item)
        if key not in seen:
            seen.add(key)
            yield item


def _wordwrap(
    environment: Any,
    s: str,
    width: int = 79,
    break_long_words: bool = True,
    wrapstring: str | None = None,
    break_on_hyphens: bool = True,
) -> str:
    import textwrap

    wrapstring = "\n" if wrapstring is None else wrapstring
    return wrapstring.join(
        wrapstring.join(
            textwrap.wrap(
                line,
                width=width,
                expand_tabs=False,
                replace_whitespace=False,
                break_long_words=break_long_words,
                break_on_hyphens=break_on_hyphens,
            )
        )
        for line in s.splitlines()
    )


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    if args and kwargs:
        raise NeedsJinja("format with both positional and keyword arguments")
    return str(value) % (kwargs or args)


def _boolean(value: Any) -> bool:
    return value is True or value is False


FILTERS = {
    "format": _format,
    "join": _join,
    "length": len,
    "list": _list,
    "sort": _sort,
    "unique": _unique,
    "wordwrap": _wordwrap,
}
TESTS = {"boolean": _boolean}
