"""Every phrase of a Chinese page in Chinese: what a reader sees, scanned for English words.

The allow-list rule (the README's "Scorecards" section states it for HR):
1. Names the warehouse gives in English and the page shows beside their Chinese: department, metric and
   role names, grade labels, people's names. They are the exact phrases of the marts, so a department
   page can be matched with its English counterpart and with BI, which use them.
2. Identifiers and codes: a single token inside `<code>` (a model, a column, a table, a record key); outside
   `<code>`, a token holding a digit, an underscore or a dot between letters (`D18`, `2026-10`,
   `stg_erp__gl_entries`), acronyms of up to five capitals (`SLA`, `FTE`, `UTC`, `HR`, grades `S`-`D`),
   and the source systems' ids as the raw layer spells them (`hr`, `erp`, `ticketing`, `crm`: the line
   naming where the data came from).
3. Proper names of products a reader meets by name: `PROPER_NAMES`.
4. The two markings every page carries in both languages on purpose, so that a reader of either language
   sees them: "Demo data / 演示数据" and "HR confidential / 仅限人力资源" (the caller passes them as names).
Anything else, any other word of Latin letters, is English left on a Chinese page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

from connectors.sources import SOURCES

PROPER_NAMES = frozenset({"English", "Excel", "dbt", "Dagster", "great-expectations", "DuckDB"})
VISIBLE_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder")
HIDDEN_ELEMENTS = frozenset({"style", "script", "svg", "head"})
# A run of characters that are neither CJK nor space: the candidates for an English word.
LATIN_RUN = re.compile(r"[^\s\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]+")
HAS_LETTERS = re.compile(r"[A-Za-z]{2,}")
IDENTIFIER = re.compile(r"\d|_|[A-Za-z]\.[A-Za-z]")
ACRONYM = re.compile(r"^[A-Z]{1,5}s?$")
EDGE_PUNCTUATION = "()[]{}<>.,;:!?\"'“”‘’·…—–-+±%×/=→←↑↓▲▼|#*"


class _VisibleText(HTMLParser):
    """The text a reader sees: text outside style, script and inline SVG, and the visible attributes;
    code elements' text apart (their single tokens are identifiers)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.code: list[str] = []
        self._hidden = 0
        self._code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_ELEMENTS:
            self._hidden += 1
        if tag == "code":
            self._code += 1
        if not self._hidden:
            self.text.extend(value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_ELEMENTS:
            self._hidden = max(0, self._hidden - 1)
        if tag == "code":
            self._code = max(0, self._code - 1)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            (self.code if self._code else self.text).append(data)


@dataclass(frozen=True)
class EnglishWord:
    word: str
    context: str


def english_words(html: str, names: Iterable[str]) -> list[EnglishWord]:
    """The English words of a page outside the allow-list; `names` are the warehouse's English names."""
    parser = _VisibleText()
    parser.feed(html)
    found = [
        EnglishWord(token, token)
        for snippet in parser.code
        for token in snippet.split()
        if len(snippet.split()) > 1 and HAS_LETTERS.search(token) and not _allowed(token)
    ]
    longest_first = sorted({n for n in names if n and HAS_LETTERS.search(n)}, key=len, reverse=True)
    for snippet in parser.text:
        text = " ".join(snippet.split())
        for name in longest_first:
            text = text.replace(name, " ")
        for run in LATIN_RUN.finditer(text):
            if HAS_LETTERS.search(run[0]) and not _allowed(run[0]):
                start = max(0, run.start() - 30)
                found.append(EnglishWord(run[0], text[start : run.end() + 30]))
    return found


def _allowed(token: str) -> bool:
    bare = token.strip(EDGE_PUNCTUATION)
    if not HAS_LETTERS.search(bare):
        return True
    return bool(bare in PROPER_NAMES or bare in SOURCES or IDENTIFIER.search(bare) or ACRONYM.match(bare))
