"""Show untrusted text in a message: one printable, bounded line whatever the input holds.

Every command's error path uses these (the CLI's last line, the flags' and answers' checks), so
this module imports nothing; reading untrusted files is ``generators.untrusted``'s job.
"""

from __future__ import annotations


def clip(value: object, limit: int = 60) -> str:
    """Show a user-given value in a message: a short, printable, single-line prefix.

    Strings are shown as they are (cut, with non-printable characters escaped); other values
    through a bounded ``repr`` that never expands deep or shared structures.
    """
    text = value if isinstance(value, str) else _bounded_repr(value)
    return _escape(text[: limit * 4], limit)


def one_line(message: str, limit: int = 1000) -> str:
    """Make a whole message one printable line of at most about ``limit`` characters.

    The middle is cut, not the end, so that the advice that ends a message survives.
    """
    if len(message) > 4 * limit:  # never escape megabytes only to cut them
        message = f"{message[: 2 * limit]}…{message[-2 * limit :]}"
    text = _escape(message, 10 * len(message) + 1)
    if len(text) <= limit:
        return text
    head = limit * 2 // 3
    return f"{text[:head]}…{text[-(limit - head - 1) :]}"


def _escape(text: str, limit: int) -> str:
    out: list[str] = []
    size = 0
    for ch in text:
        shown = ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
        if size + len(shown) > limit:
            out.append("…")
            break
        out.append(shown)
        size += len(shown)
    return "".join(out)


def _bounded_repr(value: object) -> str:
    import reprlib

    r = reprlib.Repr()
    r.maxlevel, r.maxdict, r.maxlist, r.maxtuple, r.maxset = 3, 4, 6, 6, 6
    r.maxstring, r.maxother, r.maxlong = 60, 60, 40
    try:
        return r.repr(value)
    except ValueError:  # an int too long for str(); reprlib does not guard against it
        return f"<a number of {value.bit_length() if isinstance(value, int) else '?'} bits>"
