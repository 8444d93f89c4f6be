"""Catalogue search that forgives accents, case, plurals and unfinished words.

The catalogue is small (hundreds of services, not millions), so each published service keeps two
normalised texts — its titles, and everything else a citizen might type (summary, keywords,
category, life events) — and a query is scored in Python: a word found in a title weighs more
than one found in the body. The same function serves the portal and the API, on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

STOPWORDS = frozenset(
    [
        "a",
        "al",
        "ante",
        "con",
        "de",
        "del",
        "el",
        "en",
        "es",
        "la",
        "las",
        "lo",
        "los",
        "mi",
        "mis",
        "o",
        "para",
        "por",
        "que",
        "se",
        "sin",
        "su",
        "sus",
        "un",
        "una",
        "uno",
        "unos",
        "unas",
        "y",
        "the",
        "of",
        "for",
        "to",
        "in",
        "on",
        "an",
        "and",
        "or",
        "my",
        "i",
        "me",
        "how",
        "do",
        "what",
    ]
)
TITLE_WEIGHT = 10
BODY_WEIGHT = 2
WHOLE_WORD_BONUS = 1


def normalize(text: str) -> str:
    """Lower case, no accents, only letters and digits separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9ñ]+", plain.replace("ñ", "n")))


def stem(word: str) -> str:
    """A crude plural stripper: certificados → certificado, pensiones → pension, leyes → ley."""
    if len(word) > 4 and word.endswith("es") and word[-3] in "lnrdjy":
        return word[:-2]
    if len(word) > 3 and word.endswith("s"):
        return word[:-1]
    return word


def terms(query: str) -> list[str]:
    """The words of a query worth searching for, normalised and stemmed."""
    words = [w for w in normalize(query).split() if w not in STOPWORDS]
    return [stem(w) for w in words]


def index_text(parts: Iterable[str]) -> str:
    """What to store for a text: its normalised, stemmed words, each once, space separated."""
    seen: dict[str, None] = {}
    for part in parts:
        for word in normalize(part).split():
            seen[stem(word)] = None
    return " " + " ".join(seen) + " "


@dataclass(frozen=True)
class Hit:
    key: int
    score: float
    title_words: int = 0


def _weight(term: str, words: str) -> int:
    if f" {term} " in words:
        return 1 + WHOLE_WORD_BONUS
    if f" {term}" in words:  # a word that starts with the term: "matric" finds "matricula"
        return 1
    return 0


def rank(query: str, documents: Iterable[tuple[int, str, str]]) -> list[Hit]:
    """Rank `(key, title_index, body_index)` documents for `query`.

    Every term must be found somewhere (in a title or the body). A term found in a title
    weighs more than one in the body, and a rare term more than a common one (so "cupo
    colegio" puts the school-place service before every service that merely mentions schools);
    between equal scores the shorter title wins; remaining ties keep the documents' order.
    """
    wanted = terms(query)
    if not wanted:
        return []
    docs = list(documents)
    rarity = {}
    for term in wanted:
        found_in = sum(1 for _key, t, b in docs if _weight(term, t) or _weight(term, b))
        rarity[term] = math.log((len(docs) + 1) / (found_in + 0.5)) + 1
    hits: list[Hit] = []
    for key, title, body in docs:
        score = 0.0
        for term in wanted:
            in_title = _weight(term, title)
            in_body = _weight(term, body)
            if not in_title and not in_body:
                break
            score += (in_title * TITLE_WEIGHT + in_body * BODY_WEIGHT) * rarity[term]
        else:
            hits.append(Hit(key=key, score=score, title_words=len(title.split())))
    hits.sort(key=lambda hit: (-hit.score, hit.title_words))
    return hits
