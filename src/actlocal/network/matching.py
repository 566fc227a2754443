"""Duplicate detection: normalized keys, blocking and a 0-1 score with evidence for/against.

Pure functions over plain records, so the importer, the on-demand dedupe and the
benchmark share one matcher. Precision first: conflicting web domains, phones or
cities pull the score down, and social-media pages compare by full address.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

AUTO_MERGE_THRESHOLD = 0.92
REVIEW_THRESHOLD = 0.75
# Fuzzy name search inside a place block looks at this many best names.
FUZZY_LIMIT = 5
FUZZY_CUTOFF = 70

SHARED_HOSTS = {
    "facebook.com",
    "fb.com",
    "twitter.com",
    "x.com",
    "instagram.com",
    "linktr.ee",
    "linkedin.com",
    "youtube.com",
    "tiktok.com",
    "mobilize.us",
    "actionnetwork.org",
    "sites.google.com",
    "google.com",
    "wixsite.com",
    "squarespace.com",
    "medium.com",
    "substack.com",
    "meetup.com",
    "eventbrite.com",
    "bsky.app",
    "threads.net",
}
FREE_MAIL = {
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "aol.com",
    "icloud.com",
    "protonmail.com",
    "proton.me",
    "comcast.net",
    "me.com",
    "live.com",
    "msn.com",
}
NOISE_WORDS = {
    "inc",
    "incorporated",
    "llc",
    "the",
    "chapter",
    "org",
    "organization",
    "corp",
    "co",
    "ltd",
    "nonprofit",
    "group",
    "of",
}
ABBREVIATIONS = {
    "sf": "san francisco",
    "nyc": "new york",
    "ny": "new york",
    "la": "los angeles",
    "dc": "washington",
    "philly": "philadelphia",
    "atl": "atlanta",
    "chi": "chicago",
    "phx": "phoenix",
    "den": "denver",
    "sea": "seattle",
    "mpls": "minneapolis",
    "clt": "charlotte",
    "mke": "milwaukee",
    "htx": "houston",
    "st": "saint",
    "ft": "fort",
    "mt": "mount",
    "assn": "association",
    "assoc": "association",
    "intl": "international",
    "natl": "national",
    "ctr": "center",
    "cmty": "community",
    "comm": "community",
    "&": "and",
    "u": "university",
    "univ": "university",
    "dept": "department",
    "washington dc": "washington",
}
_PUNCT = re.compile(r"[^\w\s&]+")
_SMALL_WORDS = {"and", "for", "of", "the", "in", "on", "to"}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def normalize_name(name: str) -> str:
    """'Indivisible SF, Inc.' -> 'indivisible san francisco'."""
    text = _ascii(name or "").lower().replace("&", " & ")
    text = _PUNCT.sub(" ", text)
    words: list[str] = []
    for word in text.split():
        expanded = ABBREVIATIONS.get(word, word)
        for part in expanded.split():
            if part not in NOISE_WORDS:
                words.append(part)
    return " ".join(words)


@functools.lru_cache(maxsize=65536)
def acronym(normalized: str) -> str:
    return "".join(word[0] for word in normalized.split() if word not in _SMALL_WORDS)


def web_key(url: str) -> str:
    """Domain of a website; full page address on shared hosts (facebook.com/groups/x)."""
    text = (url or "").strip().lower()
    if not text:
        return ""
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    if not host or "." not in host:
        return ""
    if _on_shared_host(host):
        return host + parts.path.rstrip("/")
    return host


def _on_shared_host(host: str) -> bool:
    """``host`` is a shared host or a subdomain of one (a set lookup per dotted suffix)."""
    if host in SHARED_HOSTS:
        return True
    dot = host.find(".")
    while dot != -1:
        if host[dot + 1 :] in SHARED_HOSTS:
            return True
        dot = host.find(".", dot + 1)
    return False


def phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) == 10 else ""


def email_key(email: str) -> str:
    return (email or "").strip().lower()


def email_domain(email: str) -> str:
    key = email_key(email)
    domain = key.rpartition("@")[2]
    return "" if not domain or domain in FREE_MAIL else domain


# The Organization columns a Record is built from, in Record's field order.
RECORD_FIELDS = (
    "id",
    "name",
    "city",
    "state",
    "zip_code",
    "website",
    "public_email",
    "public_phone",
    "parent_id",
)


@dataclass
class Record:
    """What the matcher knows about a player."""

    key: int
    name: str
    city: str = ""
    state: str = ""
    zip_code: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    parent: int | None = None
    norm: str = field(init=False)
    web: str = field(init=False)
    mail: str = field(init=False)
    mail_domain: str = field(init=False)
    tel: str = field(init=False)
    place: str = field(init=False)

    def __post_init__(self) -> None:
        self.norm = normalize_name(self.name)
        self.web = web_key(self.website)
        self.mail = email_key(self.email)
        self.mail_domain = email_domain(self.email)
        self.tel = phone_key(self.phone)
        self.city = (self.city or "").strip().lower()
        self.state = (self.state or "").strip().upper()
        self.place = f"{self.city}|{self.state}" if self.city and self.state else ""


@dataclass(frozen=True)
class Match:
    left: int
    right: int
    score: float
    reasons: tuple[str, ...]


def _same_word(x: str, y: str) -> bool:
    """Spelling variants of one word: a transposition, a one-letter typo, an abbreviation."""
    if sorted(x) == sorted(y):
        return True
    if len(x) >= 3 and len(y) >= 3 and (x.startswith(y) or y.startswith(x)):
        return True
    return min(len(x), len(y)) >= 5 and x[0] == y[0] and OSA.distance(x, y) <= 1


def name_similarity(a: Record, b: Record) -> float:
    if not a.norm or not b.norm:
        return 0.0
    if a.norm == b.norm:
        return 1.0
    # "SURJ DC" vs "Showing Up for Racial Justice DC"
    for short, long in ((a, b), (b, a)):
        first = short.norm.split()[0]
        if len(first) >= 3 and first == acronym(long.norm)[: len(first)]:
            return 0.9
    words_a, words_b = set(a.norm.split()), set(b.norm.split())
    only_a, only_b = words_a - words_b, words_b - words_a
    if only_a and only_b and any(not any(_same_word(x, y) for y in only_b) for x in only_a):
        # Each name has a word the other lacks: "Westside" vs "Eastside" chapters,
        # "Bright Futures" vs "Brave Futures". Different players, however similar overall.
        return min(0.5, fuzz.token_sort_ratio(a.norm, b.norm) / 100)
    return max(fuzz.token_sort_ratio(a.norm, b.norm), fuzz.ratio(a.norm, b.norm)) / 100


def score_pair(a: Record, b: Record) -> tuple[float, list[str]]:
    """Evidence-weighted score in [0, 1] and the reasons behind it."""
    reasons: list[str] = []
    if (a.parent is not None and a.parent == b.key) or (b.parent is not None and b.parent == a.key):
        return 0.0, ["chapter of the other"]
    similarity = name_similarity(a, b)
    reasons.append(f"name {similarity:.2f}")
    if a.state and b.state and a.state != b.state:
        return max(0.0, 0.5 * similarity - 0.2), [*reasons, "different states"]
    if a.zip_code and a.zip_code == b.zip_code:
        place, why = 1.0, "same ZIP"
    elif a.place and a.place == b.place:
        place, why = 0.8, "same city"
    elif a.place and b.place:
        place, why = 0.0, "different cities"
    else:
        place, why = 0.5, "location unknown"
    reasons.append(why)
    score = 0.7 * similarity + 0.3 * place
    if a.place and b.place and a.place != b.place:
        score -= 0.3
    for label, x, y in (("website", a.web, b.web), ("phone", a.tel, b.tel)):
        if x and y:
            if x == y:
                score += 0.12
                reasons.append(f"same {label}")
            else:
                score -= 0.25
                reasons.append(f"different {label}")
    if a.mail and a.mail == b.mail:
        score += 0.12
        reasons.append("same email")
    elif a.mail_domain and b.mail_domain and a.mail_domain != b.mail_domain:
        score -= 0.1
        reasons.append("different email domains")
    if a.parent and b.parent and a.parent != b.parent:
        score -= 0.2
        reasons.append("chapters of different networks")
    return max(0.0, min(1.0, round(score, 4))), reasons


class Index:
    """Blocking index: exact keys (website, email, phone, name) plus names per place."""

    def __init__(self, records: Iterable[Record] = ()) -> None:
        self.records: dict[int, Record] = {}
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.by_place: dict[str, dict[int, str]] = defaultdict(dict)
        self.by_state: dict[str, dict[int, str]] = defaultdict(dict)
        for record in records:
            self.add(record)

    @staticmethod
    def _keys(record: Record) -> Iterator[str]:
        if record.web:
            yield "w:" + record.web
        if record.mail:
            yield "e:" + record.mail
        if record.tel:
            yield "p:" + record.tel
        if record.norm:
            yield f"n:{record.norm}|{record.state}"

    def add(self, record: Record) -> None:
        self.records[record.key] = record
        for key in self._keys(record):
            self.exact[key].add(record.key)
        if record.place:
            self.by_place[record.place][record.key] = record.norm
        elif record.state:
            self.by_state[record.state][record.key] = record.norm

    def remove(self, key: int) -> None:
        record = self.records.pop(key, None)
        if record is None:
            return
        for block_key in self._keys(record):
            self.exact[block_key].discard(key)
        self.by_place.get(record.place, {}).pop(key, None)
        self.by_state.get(record.state, {}).pop(key, None)

    def candidates(self, record: Record) -> set[int]:
        found: set[int] = set()
        for key in self._keys(record):
            found |= self.exact.get(key, set())
        blocks = [self.by_place.get(record.place, {})] if record.place else []
        if record.state:
            # Records without a city can still match within their state.
            blocks.append(self.by_state.get(record.state, {}))
            if not record.place:
                blocks.extend(
                    names for place, names in self.by_place.items() if place.endswith(record.state)
                )
        for names in blocks:
            if not names or not record.norm:
                continue
            for _name, _score, other in process.extract(
                record.norm,
                names,
                scorer=fuzz.token_sort_ratio,
                limit=FUZZY_LIMIT,
                score_cutoff=FUZZY_CUTOFF,
            ):
                found.add(other)
        found.discard(record.key)
        return found

    def best_matches(self, record: Record) -> list[Match]:
        """Candidates scoring at least the review threshold, best first."""
        matches = []
        for other in self.candidates(record):
            score, reasons = score_pair(record, self.records[other])
            if score >= REVIEW_THRESHOLD:
                matches.append(Match(record.key, other, score, tuple(reasons)))
        return sorted(matches, key=lambda m: (-m.score, m.right))

    def all_pairs(self) -> list[Match]:
        """Every pair at or above the review threshold (each pair once)."""
        seen: set[tuple[int, int]] = set()
        pairs: list[Match] = []
        for key, record in self.records.items():
            for other in self.candidates(record):
                pair = (min(key, other), max(key, other))
                if pair in seen:
                    continue
                seen.add(pair)
                score, reasons = score_pair(self.records[pair[0]], self.records[pair[1]])
                if score >= REVIEW_THRESHOLD:
                    pairs.append(Match(pair[0], pair[1], score, tuple(reasons)))
        return sorted(pairs, key=lambda m: (-m.score, m.left, m.right))
