"""The labelled corpus: utterances beside each flow (its causes) and the bot's own intents.

Files are UTF-8 ``label<TAB>text`` lines (several labels comma-separated; ``#`` starts a comment).
A fixed, content-based share of the lines is held out: training never sees it, and the benchmark
and the tests measure on it. The split depends only on the text, so it never changes when lines are
added elsewhere.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.core.diagnosis.flow import FlowError
from bot.core.understanding.textnorm import normalize

GENERAL = Path(__file__).resolve().parent.parent.parent / "corpus" / "general.tsv"
HELD_OUT_EVERY = 5  # one line in five


class CorpusError(FlowError):
    """A corpus file is malformed; the message names the file and line (reported like a flow error)."""


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled utterance."""

    text: str
    labels: tuple[str, ...]
    source: str

    @property
    def held_out(self) -> bool:
        """True for the lines kept from training (about one in five, chosen by the text's hash)."""
        digest = hashlib.sha256(normalize(self.text).encode("utf-8")).digest()
        return digest[0] % HELD_OUT_EVERY == 0


def utterances_path(flow_path: Path) -> Path:
    """Where a flow's own utterances live: ``<lender>.toml`` -> ``<lender>.utterances.tsv``."""
    return flow_path.with_name(flow_path.stem + ".utterances.tsv")


def read_corpus(path: Path, known: frozenset[str] | None = None) -> list[Example]:
    """Read one corpus file; with ``known``, a label outside it is an error naming the line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CorpusError(f"corpus {path}: cannot be read ({exc.strerror})") from None
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        label_text, sep, text = line.partition("\t")
        labels = tuple(x.strip() for x in label_text.split(",") if x.strip())
        if not sep or not text.strip() or not labels:
            raise CorpusError(f"corpus {path.name} line {number}: expected 'label<TAB>text'")
        if known is not None and (unknown := [x for x in labels if x not in known]):
            raise CorpusError(f"corpus {path.name} line {number}: unknown label '{unknown[0]}'")
        out.append(Example(text.strip(), labels, path.name))
    return out
