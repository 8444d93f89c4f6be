"""Catalogue search that forgives accents, case, plurals, unfinished words, spelling that
sounds the same, a slip of one letter, and plain words for what a service is called.

The catalogue is small (hundreds of services, not millions), so each published service keeps two
normalised texts — its titles, and everything else a citizen might type (summary, keywords,
category, life events) — and a query is scored in Python: a word found in a title weighs more
than one found in the body. The same function serves the portal and the API, on SQLite and
PostgreSQL alike.

Words are compared as they sound in Spanish (`fold`: "sertificado" is "certificado",
"inscripsion" is "inscripción", "bacuna" is "vacuna"); a word that matches nothing is replaced
by the catalogue's words one slip away ("matirucla" will not do, "matricual" will); and each
deployment's synonyms (`catalog.SearchSynonym`, rows of words that mean the same to its
citizens) widen a word to its equivalents. A service must match at least half of the words of
a query — people write sentences ("me robaron el uniforme en el colegio") — and scores in
proportion to how many it matches.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

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
        # What people write around what they need: "quiero poner una queja", "I want to…"
        "son",
        "esta",
        "estan",
        "hay",
        "tengo",
        "tiene",
        "quiero",
        "quisiera",
        "necesito",
        "poner",
        "hacer",
        "puedo",
        "como",
        "donde",
        "ayuda",
        "favor",
        "want",
        "need",
        "would",
        "like",
        "please",
        "can",
        "help",
        "where",
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


def fold(word: str) -> str:
    """A normalised word as it sounds in Spanish, so that spellings that sound alike meet:
    c before e or i and z are s, qu and other c are k, v is b, ll is y, a silent h goes, and a
    doubled letter is one."""
    folded = word.replace("ch", "\x00")
    folded = re.sub(r"c(?=[ei])", "s", folded)
    folded = folded.replace("qu", "k").replace("c", "k").replace("z", "s").replace("v", "b")
    folded = folded.replace("ll", "y").replace("h", "")
    folded = re.sub(r"(.)\1", r"\1", folded)
    return folded.replace("\x00", "ch")


@lru_cache(maxsize=4096)
def _folded(index: str) -> str:
    """A stored index (`index_text`) with each word folded, padded with spaces."""
    return " " + " ".join(fold(word) for word in index.split()) + " "


def one_slip(a: str, b: str) -> bool:
    """Whether `b` is `a` with one letter changed, added, dropped or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differ = [i for i in range(len(a)) if a[i] != b[i]]
        return len(differ) == 1 or (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and a[differ[0]] == b[differ[1]]
            and a[differ[1]] == b[differ[0]]
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(shorter) and shorter[i] == longer[i]:
        i += 1
    return shorter[i:] == longer[i + 1 :]


def synonym_groups(rows: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each word (stemmed and folded) of each row of synonyms → every word of its rows."""
    groups: dict[str, set[str]] = {}
    for row in rows:
        words = {fold(stem(w)) for w in normalize(row.replace(",", " ")).split()}
        words -= {fold(w) for w in STOPWORDS}
        for word in words:
            groups.setdefault(word, set()).update(words)
    return {word: frozenset(group) for word, group in groups.items()}


@dataclass(frozen=True)
class Hit:
    key: int
    score: float
    title_words: int = 0
    matched: int = 0


SYNONYM_FACTOR = 0.7  # a word found through a synonym weighs a little less than the word itself
SLIP_FACTOR = 0.6  # and one found by forgiving a slip, less again
SLIP_MIN_LENGTH = 5  # shorter words are too easily another word one letter away


def _weight(term: str, words: str) -> int:
    if f" {term} " in words:
        return 1 + WHOLE_WORD_BONUS
    if f" {term}" in words:  # a word that starts with the term: "matric" finds "matricula"
        return 1
    return 0


def _alternatives(
    term: str, docs: list[tuple[int, str, str]], synonyms: Mapping[str, frozenset[str]]
) -> dict[str, float]:
    """The words that stand for `term`, each with its weight: itself, its synonyms, and, when
    none of those is found anywhere, the catalogue's words one slip away."""
    found = {term: 1.0}
    for synonym in synonyms.get(term, ()):
        found.setdefault(synonym, SYNONYM_FACTOR)
    if any(_weight(word, t) or _weight(word, b) for word in found for _key, t, b in docs):
        return found
    if len(term) < SLIP_MIN_LENGTH:
        return found
    vocabulary = {word for _key, t, b in docs for word in (t + b).split()}
    for word in vocabulary:
        if one_slip(term, word):
            found.setdefault(word, SLIP_FACTOR)
    return found


def rank(
    query: str,
    documents: Iterable[tuple[int, str, str]],
    *,
    synonyms: Mapping[str, frozenset[str]] | None = None,
) -> list[Hit]:
    """Rank `(key, title_index, body_index)` documents for `query`.

    A document must match at least half of the query's words (itself, a synonym or a word one
    slip away; in a title or the body), and its score is in proportion to how many. A word
    found in a title weighs more than one in the body, and a rare word more than a common one,
    so "cupo colegio" puts the school-place service before every service that merely mentions
    schools; a synonym counts by its own rarity, but never for more than the word it stands
    for. Between equal scores the shorter title wins; remaining ties keep the documents' order.
    """
    wanted = list(dict.fromkeys(fold(term) for term in terms(query)))
    if not wanted:
        return []
    docs = [(key, _folded(title), _folded(body)) for key, title, body in documents]
    standing = {term: _alternatives(term, docs, synonyms or {}) for term in wanted}
    needed = math.ceil(len(wanted) / 2)
    rarity: dict[str, float] = {}
    for word in {w for alternatives in standing.values() for w in alternatives}:
        found_in = sum(1 for _key, t, b in docs if _weight(word, t) or _weight(word, b))
        rarity[word] = math.log((len(docs) + 1) / (found_in + 0.5)) + 1
    hits: list[Hit] = []
    for key, title, body in docs:
        score, matched = 0.0, 0
        for term, alternatives in standing.items():
            best = max(
                (_weight(w, title) * TITLE_WEIGHT + _weight(w, body) * BODY_WEIGHT)
                * factor
                * min(rarity[w], rarity[term])  # a synonym is worth no more than the word
                for w, factor in alternatives.items()
            )
            if best:
                matched += 1
                score += best
        if matched >= needed:
            # A service that matches more of the query's words scores more.
            hits.append(Hit(key, score * matched / len(wanted), len(title.split()), matched))
    hits.sort(key=lambda hit: (-hit.score, hit.title_words))
    return hits
