"""Understanding: a message -> a ranked list of (intent, confidence) plus the exact slots it carries.

The pipeline: NFKC clean-up -> morphological analysis with negation marks (:mod:`.analyser`) ->
features (:mod:`.features`) -> a linear multi-label model (:mod:`.model`) trained on the corpus
(:mod:`.corpus`): the flow's own cause utterances plus the bot's general intents. Each clause is
also read on its own, so "カードを落としたし、暗証番号も忘れた" yields both causes. Exact rules stay
only where they are exact (counts such as 「3回」, English detection); numbers, dates and secrets
have their own parsers elsewhere in the core.

The conversation decides what to do with a reading (act, ask 「もしかして」, or say it did not
understand); this package only reads.
"""

from __future__ import annotations

import hashlib
import re
import threading
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.core.understanding.analyser import Analyser, Token
from bot.core.understanding.corpus import GENERAL, Example, read_corpus, utterances_path
from bot.core.understanding.features import MAX_CHARS, features
from bot.core.understanding.model import LinearModel, train
from bot.core.understanding.romaji import to_kana
from bot.core.understanding.textnorm import clean, fold_kana

# The bot's own intents (causes come from the flow). Kept in step with bot/corpus/general.tsv.
GENERAL_INTENTS: tuple[str, ...] = (
    "cant_login",
    "not_solved",
    "help",
    "menu",
    "status",
    "export",
    "forget",
    "reminders",
    "remind_repay",
    "remind_visit",
    "remind_free",
    "cancel_reminder",
    "show_ids",
    "machines",
    "pin_by_phone",
    "card_found",
    "thanks",
    "solved",
    "call",
    "about_bot",
    "bye",
    "back",
    "restart",
    "quit",
    "yes",
    "no",
    "dont_know",
    "none",
)
# Short answers: their meaning depends on the question in front of the user.
ANSWERS = frozenset({"yes", "no", "dont_know"})
FEATURE_VERSION = "14"
# A generic intent gives way to a cause read with at least this confidence.
GENERIC = frozenset({"cant_login"})
SPECIFIC_MIN = 0.5
READ_CACHE = 4096

_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "両": 2}
_KANA_DIGITS = {"いっ": 1, "いち": 1, "に": 2, "さん": 3, "よん": 4, "ご": 5, "ろっ": 6, "なな": 7, "はっ": 8}
_COUNT = re.compile(
    r"([0-9]{1,2}|[一二三四五六七八九十両]|いっ|いち|に|さん|よん|ご|ろっ|なな|はっ)\s*(?:回|度|かい|ど)(?!目)"
)
# Words for "several times": the lock threshold is "several (about 3)", so they count as 3.
SEVERAL = 3
_SEVERAL = re.compile(
    r"何回も|何度も|何回か|何度か|数回|なんかいも|なんども|たくさん|沢山|いっぱい|many times|several times"
)
_LETTERS = re.compile(r"[A-Za-z]")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]")


# 「メンテ中とかじゃない？」 「ロックされてるんじゃない？」: a tag question asserts what it asks about
# (read as 「メンテ中とか？」); 「メンテじゃなかった」 is a denial and stays.
_TAG_QUESTION = re.compile(r"^(.+?)(?:なん|ん|の)?(?:じゃ|では)(?:ない|ないの|ないですか|ないかな|ないか)[?？]+$")


@dataclass(frozen=True, slots=True)
class Scored:
    """One candidate meaning and its confidence (0-1)."""

    intent: str
    score: float


@dataclass(frozen=True, slots=True)
class Reading:
    """What a message may mean, best first, with the exact slots found in it."""

    ranked: tuple[Scored, ...]
    english: bool = False
    count: int | None = None  # "3回" -> 3, "一度" -> 1
    clause_scores: tuple[dict[str, float], ...] = field(default=(), repr=False)

    @property
    def top(self) -> Scored:
        """The most likely meaning (``none`` with score 0 for an empty reading)."""
        return self.ranked[0] if self.ranked else Scored("none", 0.0)

    def score(self, intent: str) -> float:
        """The confidence of one intent (0 when it was not considered)."""
        return next((s.score for s in self.ranked if s.intent == intent), 0.0)


def parse_count(text: str) -> int | None:
    """A number of times written in the text ("3回", "一度", "にかい"; "何度も" counts as several), or None."""
    body = clean(text)
    match = _COUNT.search(body)
    if not match:
        return SEVERAL if _SEVERAL.search(body.lower()) else None
    word = match.group(1)
    if word.isdigit():
        return int(word)
    return _KANJI_DIGITS.get(word) or _KANA_DIGITS.get(word)


def is_english(text: str) -> bool:
    """True when a message is written in English (Latin letters, no Japanese script)."""
    if re.fullmatch(r"[\sｗw!！?？.。]+", text):
        return False  # 「ｗｗｗｗ」: laughter, not English
    return len(_LETTERS.findall(text)) >= 3 and not _JAPANESE.search(text)


class Understanding:
    """The loaded analyser and model: ``read(text) -> Reading``."""

    def __init__(self, analyser: Analyser, model: LinearModel, causes: Iterable[str] = ()) -> None:
        self.analyser = analyser
        self.model = model
        self.causes = frozenset(causes)
        # Short answers and button labels come again and again ("はい", "ヘルプ"); a reading is
        # immutable, so the last few thousand are kept.
        self._cache: dict[str, Reading] = {}

    @property
    def intents(self) -> tuple[str, ...]:
        """Every intent the model knows."""
        return self.model.labels

    def read(self, text: str) -> Reading:
        """Read one message (cut to a bounded length first); the same words are read once."""
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        reading = self._read(text)
        if len(self._cache) >= READ_CACHE:
            self._cache.clear()  # bounded: a burst of new texts starts the cache over
        self._cache[text] = reading
        return reading

    def _read(self, text: str) -> Reading:
        body = _TAG_QUESTION.sub(r"\1？", clean(text)[:MAX_CHARS])
        english = is_english(body)
        if english and (kana := to_kana(body)) is not None:
            body, english = kana, False  # "rogin dekinai": Japanese typed in Latin letters
        tokens = self.analyser.analyse(body)
        count = parse_count(body)
        probs = self.model.probabilities(features(tokens, count))
        clause_scores = []
        clauses = _clauses(tokens)
        if len(clauses) > 1:
            for part in clauses:
                scores = self.model.probabilities(features(part))
                clause_scores.append(scores)
        ranked = sorted((Scored(k, v) for k, v in probs.items()), key=lambda s: -s.score)
        # "返済が遅れてログインできない": a cause is more useful than the generic "cannot log in".
        if ranked and ranked[0].intent in GENERIC:
            specific = next((s for s in ranked[1:] if s.intent in self.causes and s.score >= SPECIFIC_MIN), None)
            if specific is not None:
                ranked.remove(specific)
                ranked.insert(0, specific)
        return Reading(tuple(ranked), english=english, count=count, clause_scores=tuple(clause_scores))

    def causes_in(self, reading: Reading, causes: Iterable[str], threshold: float) -> list[str]:
        """The causes a message reports, whole or clause by clause, strongest first."""
        best: dict[str, float] = {}
        for cause in causes:
            score = max([reading.score(cause), *(c.get(cause, 0.0) for c in reading.clause_scores)])
            if score >= threshold:
                best[cause] = score
        return sorted(best, key=lambda c: -best[c])


def _clauses(tokens: list[Token]) -> list[list[Token]]:
    groups: dict[int, list[Token]] = {}
    for tok in tokens:
        groups.setdefault(tok.clause, []).append(tok)
    return [g for g in groups.values() if sum(t.is_content for t in g) >= 2]


# ---------------------------------------------------------------------------- building


FlowPaths = Path | Sequence[Path]


def corpus_files(flow_path: FlowPaths) -> list[Path]:
    """The corpus files of one flow or of several (every lender's): their own utterances and the
    general intents. Causes share their ids across lenders, so one model reads them all."""
    paths = [flow_path] if isinstance(flow_path, Path) else list(flow_path)
    return [*(utterances_path(p) for p in paths), GENERAL]


def general_intents() -> tuple[str, ...]:
    """The bot's own intents: those above, then any other label the general corpus gives (a new
    command is understood from its corpus lines alone; a test holds each to a declared command)."""
    extra = [label for e in read_corpus(GENERAL) for label in e.labels if label not in GENERAL_INTENTS]
    return (*GENERAL_INTENTS, *dict.fromkeys(extra))


def load_examples(flow_path: FlowPaths, causes: Iterable[str]) -> list[Example]:
    """Every labelled example of a flow's corpus (labels checked against the known intents).

    A general line may say ``{lender}`` where people name their lender: it becomes one of the flows'
    lender names, the same one for the same line every time (spread over the lenders by the line's hash).
    """
    known = frozenset(general_intents()) | frozenset(causes)
    examples: list[Example] = []
    for path in corpus_files(flow_path):
        examples.extend(read_corpus(path, known))
    names = lender_names(flow_path)
    return [_named(e, names) if LENDER in e.text else e for e in examples]


LENDER = "{lender}"


def lender_names(flow_path: FlowPaths) -> list[str]:
    """The lenders' names of these flows (``[lender] name``; the generic flow's only when it is alone)."""
    paths = [flow_path] if isinstance(flow_path, Path) else list(flow_path)
    named: list[str] = []
    generic: list[str] = []
    for path in paths:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8")).get("lender") or {}
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if isinstance(raw, dict) and isinstance(raw.get("name"), str):
            (generic if raw.get("generic") else named).append(raw["name"])
    return named or generic


def _named(example: Example, names: list[str]) -> Example:
    if not names:
        return example
    pick = hashlib.sha256(example.text.encode("utf-8")).digest()[1] % len(names)
    return replace(example, text=example.text.replace(LENDER, names[pick]))


def fingerprint(flow_path: FlowPaths, causes: Iterable[str]) -> str:
    """Identifies a corpus version and feature code: a cached model is reused only when it matches."""
    digest = hashlib.sha256(FEATURE_VERSION.encode())
    digest.update(",".join(sorted(causes)).encode())
    for path in corpus_files(flow_path):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_ANALYSER: Analyser | None = None
_MEMO: dict[str, Understanding] = {}
_BUILD_LOCK = threading.Lock()


def shared_analyser() -> Analyser:
    """The process's analyser (its dictionary is loaded once)."""
    global _ANALYSER
    with _BUILD_LOCK:
        if _ANALYSER is None:
            _ANALYSER = Analyser()
        return _ANALYSER


def build(flow_path: FlowPaths, causes: Iterable[str], cache_dir: Path | None = None) -> Understanding:
    """The understanding for a flow (or for several, trained as one): from memory, from ``cache_dir``, or trained on the training split.

    Training never sees the held-out split (the benchmark and tests measure on it).
    """
    causes = tuple(causes)
    key = fingerprint(flow_path, causes)
    with _BUILD_LOCK:
        if key in _MEMO:
            return _MEMO[key]
    analyser = shared_analyser()
    model = _load_cached(cache_dir, key)
    if model is None:
        examples = [e for e in load_examples(flow_path, causes) if not e.held_out]
        docs, labels = [], []
        for e in examples:
            for variant in variants(analyser, e.text):
                docs.append(features(analyser.analyse(variant), parse_count(variant)))
                labels.append(e.labels)
        model = train(docs, labels, [*causes, *general_intents()], key)
        _store_cached(cache_dir, key, model)
    understanding = Understanding(analyser, model, causes)
    with _BUILD_LOCK:
        _MEMO[key] = understanding
    return understanding


def variants(analyser: Analyser, text: str) -> list[str]:
    """A training text and how the same words look typed in kana only ("利用停止" -> "りようていし").

    People type kana when they do not know (or cannot be bothered with) the kanji; the reading of
    every training line teaches the model those spellings without writing them all by hand.
    """
    body = clean(text)[:MAX_CHARS]
    kana = fold_kana("".join(t.reading if t.pos != "補助記号" else t.surface for t in analyser.raw(body)))
    return [body, kana] if kana != body else [body]


def _cache_file(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"understanding-{key}.bin"


def _load_cached(cache_dir: Path | None, key: str) -> LinearModel | None:
    if cache_dir is None:
        return None
    try:
        model = LinearModel.from_bytes(_cache_file(cache_dir, key).read_bytes())
    except (OSError, ValueError, KeyError):
        return None
    return model if model.fingerprint == key else None


def _store_cached(cache_dir: Path | None, key: str, model: LinearModel) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = _cache_file(cache_dir, key).with_suffix(".tmp")
        tmp.write_bytes(model.to_bytes())
        tmp.replace(_cache_file(cache_dir, key))
        for old in cache_dir.glob("understanding-*.bin"):
            if old.name != _cache_file(cache_dir, key).name:
                old.unlink(missing_ok=True)  # models of older corpus versions are never read again
    except OSError:
        pass  # a read-only place only costs the next start a retraining
