"""Every relative link and ``#anchor`` in the Markdown files resolves; the README stays small.

Links are read with a CommonMark parser (markdown-it-py, with GFM tables), so link-like text in
code spans and code blocks is not a link. Anchors follow GitHub's rules (github-slugger): the
heading's plain text, lower-cased, with everything but letters, marks, digits, ``_``, ``-`` and
spaces removed, spaces turned into ``-``, and ``-1``, ``-2``, ... added to repeated slugs.
Explicit ``<a id="...">`` / ``<a name="...">`` anchors count too. Templates (``*.jinja``) are
not Markdown until rendered; their rendered form is checked through the golden trees.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

ROOT = Path(__file__).resolve().parent.parent
README_LIMIT = 10 * 1024
SKIP_DIRS = {"node_modules", "__pycache__"}
HTML_ANCHOR = re.compile(r"""<a\s[^>]*?\b(?:id|name)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
HTML_HREF = re.compile(r"""<(?:a|img)\s[^>]*?\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)

PARSER = MarkdownIt("commonmark").enable("table")


def markdown_files() -> list[Path]:
    """Every ``*.md`` of the repository, outside hidden folders (venvs, caches, ``.git``)."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
        found += [Path(folder, name) for name in files if name.endswith(".md")]
    return sorted(found)


def slug(text: str) -> str:
    """Return GitHub's anchor for a heading's plain text (without the de-duplication suffix)."""
    kept = (char for char in text.lower() if char in " -" or _word_char(char))
    return "".join(kept).replace(" ", "-")


def _word_char(char: str) -> bool:
    """Letters, marks, digits and connector punctuation (``_``) survive in a slug."""
    category = unicodedata.category(char)
    return category[0] in "LMN" or category == "Pc"


def plain_text(inline: Token) -> str:
    """The text a heading renders to: text and code spans, without markup or inline HTML."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


@cache
def parse(path: Path) -> tuple[Token, ...]:
    """Parse a Markdown file once (several links may point at it)."""
    return tuple(PARSER.parse(path.read_text(encoding="utf-8")))


@cache
def anchors(path: Path) -> frozenset[str]:
    """Every anchor a reader can jump to in ``path``, as GitHub renders it."""
    tokens = parse(path)
    seen: dict[str, int] = {}
    found: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            base = slug(plain_text(tokens[index + 1]))
            anchor = base
            while anchor in seen:
                seen[base] += 1
                anchor = f"{base}-{seen[base]}"
            seen[anchor] = 0
            found.add(anchor)
        if token.type in ("html_block", "html_inline", "inline"):
            html = token.content if token.type != "inline" else ""
            for child in token.children or []:
                if child.type == "html_inline":
                    html += child.content
            found.update(HTML_ANCHOR.findall(html))
    return frozenset(found)


def links(path: Path) -> Iterator[str]:
    """Every link and image target in ``path`` (inline, reference-style and raw HTML)."""
    for token in parse(path):
        if token.type == "html_block":
            yield from HTML_HREF.findall(token.content)
        for child in token.children or []:
            if child.type == "link_open":
                yield str(child.attrs["href"])
            elif child.type == "image":
                yield str(child.attrs["src"])
            elif child.type == "html_inline":
                yield from HTML_HREF.findall(child.content)


def broken_links(path: Path, root: Path = ROOT) -> list[str]:
    """The links of ``path`` that point at a missing file or anchor, each with the reason."""
    problems = []
    for target in links(path):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue  # an external URL (http, mailto, ...): not checked offline
        dest = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
        if parts.path.startswith("/"):
            problems.append(f"{target}: use a relative link, not a site-absolute one")
        elif not dest.is_relative_to(root):
            problems.append(f"{target}: points outside the repository")
        elif not dest.exists():
            problems.append(f"{target}: no such file {dest.relative_to(root)}")
        elif parts.fragment and dest.suffix == ".md":
            if unquote(parts.fragment) not in anchors(dest):
                problems.append(f"{target}: no heading or anchor #{parts.fragment} there")
    return problems


FILES = markdown_files()


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_relative_links_and_anchors_resolve(path: Path) -> None:
    assert broken_links(path) == []


def test_the_checker_finds_broken_links_and_ignores_code(tmp_path: Path) -> None:
    """Broken files and anchors are found; code spans, code blocks and URLs are not links."""
    (tmp_path / "other.md").write_text('# Other\n\n## Same\n\n## Same\n\n<a id="custom"></a>\n')
    doc = tmp_path / "doc.md"
    doc.write_text(
        "# The `assess` command: flags → answers (≥ 50%)\n\n"
        "[ok](#the-assess-command-flags--answers--50) [self-bad](#nope)\n"
        "[file](other.md) [dup](other.md#same-1) [html](other.md#custom) [gone](missing.md)\n"
        "[bad anchor](other.md#same-2) ![img](pic.png) [ext](https://example.com/x#y)\n"
        "`[code](missing-too.md)`\n\n```\n[fenced](missing-three.md)\n```\n\n"
        "| a | b |\n|---|---|\n| [cell](cell.md) | x |\n\n[ref]: ref.md#top\n[used][ref]\n"
    )
    assert broken_links(doc, root=tmp_path.resolve()) == [
        "#nope: no heading or anchor #nope there",
        "missing.md: no such file missing.md",
        "other.md#same-2: no heading or anchor #same-2 there",
        "pic.png: no such file pic.png",
        "cell.md: no such file cell.md",
        "ref.md#top: no such file ref.md",
    ]


def test_slugs_follow_github() -> None:
    assert slug("Quick start (fresh machine)") == "quick-start-fresh-machine"
    assert slug("What `new` writes: the files") == "what-new-writes-the-files"
    assert slug("Décision ≥ 50 × 2_a-b") == "décision--50--2_a-b"
    assert slug("😄 emoji") == "-emoji"


def test_readme_is_a_front_door() -> None:
    size = (ROOT / "README.md").stat().st_size
    assert size <= README_LIMIT, f"README.md is {size} bytes; move detail into docs/"
