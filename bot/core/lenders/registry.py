"""The lenders a bot serves: their validated flows, in the order they are offered."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.core.diagnosis.flow import FLOWS_DIR, Flow, FlowError, flow_files, load_flow
from bot.core.lenders.detect import key

_IDS = re.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True)
class Lenders:
    """The served lenders' flows in their order (``[lender] order``), and the generic flow.

    ``fallback`` is the generic flow (「その他」: no lender's facts), used while the lender is not
    known even when it is not offered as a choice; None when the folder has none.
    """

    flows: tuple[Flow, ...]
    fallback: Flow | None = None
    unserved: tuple[Flow, ...] = ()  # lenders with a flow file that this bot does not serve

    def __iter__(self) -> Iterator[Flow]:
        return iter(self.flows)

    def __len__(self) -> int:
        return len(self.flows)

    @property
    def ids(self) -> tuple[str, ...]:
        """The served lenders' keys, in order."""
        return tuple(f.lender_id for f in self.flows)

    @property
    def named(self) -> tuple[Flow, ...]:
        """The served lenders that are real lenders (not the generic flow)."""
        return tuple(f for f in self.flows if not f.generic)

    @property
    def primary(self) -> Flow:
        """The first served lender (what a one-lender bot is about)."""
        return (self.named or self.flows)[0]

    @property
    def unknown(self) -> Flow:
        """The flow a conversation runs on while the lender is not known."""
        if len(self.named) == 1 or self.fallback is None:
            return self.primary
        return self.fallback

    @property
    def asks(self) -> bool:
        """True when the lender must be asked before an answer that depends on it (several served)."""
        return len(self.named) > 1 or (len(self.named) == 0 and len(self.flows) > 1)

    def serves(self, lender_id: str) -> bool:
        """True when the lender is one of the served flows (the generic one included when served)."""
        return any(flow.lender_id == lender_id for flow in self.flows)

    def get(self, lender_id: str | None) -> Flow | None:
        """A served lender's flow (or the fallback's, by its id), or None."""
        if lender_id is None:
            return None
        for flow in (*self.flows, *([self.fallback] if self.fallback else [])):
            if flow.lender_id == lender_id:
                return flow
        return None

    @property
    def paths(self) -> tuple[Path, ...]:
        """Every loaded flow file (served and fallback), for training one understanding over all."""
        flows = [*self.flows, *([self.fallback] if self.fallback and self.fallback not in self.flows else [])]
        return tuple(f.path for f in flows if f.path is not None)

    @property
    def causes(self) -> tuple[str, ...]:
        """Every cause id of every loaded flow (shared ids counted once), in first-seen order."""
        seen: dict[str, None] = {}
        for flow in (*self.flows, *([self.fallback] if self.fallback else [])):
            seen.update(dict.fromkeys(flow.causes))
        return tuple(seen)


def parse_lender_ids(text: str) -> tuple[str, ...]:
    """``BOT_LENDERS``: ids separated by commas or spaces ("" -> every lender); ValueError on a bad word."""
    words = [w for w in re.split(r"[\s,、]+", text.strip().lower()) if w]
    for word in words:
        if not _IDS.fullmatch(word):
            raise ValueError(f"'{word}' is not a lender id (lower-case letters, the flow file's name)")
    return tuple(dict.fromkeys(words))


def load_lenders(folder: Path = FLOWS_DIR, only: Collection[str] = ()) -> Lenders:
    """Load and validate every flow file in ``folder`` (or only the lenders in ``only``).

    Raises :class:`FlowError` naming the file, an unknown lender in ``only``, or an alias two lenders share.
    """
    paths = flow_files(folder)
    _check_known(folder, [p.stem for p in paths], only)
    flows = [load_flow(p) for p in paths]
    _check_aliases(flows)
    served = tuple(f for f in flows if not only or f.lender_id in only)
    if not served:
        raise FlowError(f"no flow file in {folder}")
    fallback = next((f for f in flows if f.generic), None)
    unserved = tuple(f for f in flows if f not in served and not f.generic)
    return Lenders(served, fallback, unserved)


def _check_known(folder: Path, available: list[str], only: Collection[str]) -> None:
    """FlowError when ``only`` names a lender without a flow file."""
    unknown = [i for i in only if i not in available]
    if unknown:
        raise FlowError(f"lender '{unknown[0]}' has no flow file in {folder} (there are: {', '.join(available)})")


def _check_aliases(flows: list[Flow]) -> None:
    """FlowError when two lenders share an alias (as compared: :func:`key`)."""
    owner: dict[str, str] = {}
    for flow in flows:
        for alias in flow.aliases:
            form = key(alias)
            if owner.setdefault(form, flow.lender_id) != flow.lender_id:
                raise FlowError(f"[lender] alias '{alias}' belongs to both '{owner[form]}' and '{flow.lender_id}'")
