"""Every lender: the shared understanding's held-out accuracy per lender, and lender detection.

``python -m bench.lenders`` prints the report. One model is trained over every lender's utterances
and the general corpus (as the bot runs it); each lender's held-out lines (about one in five, never
trained on) are read with it. Lender detection is measured on every utterance line (a lender's file
names that lender; the generic file and the first lender's general lines name none or that one)
and, per lender, on every held-out line said about that lender (「<name>で、」 before it),
and on tests/fixtures/lenders/detection.tsv (written after reading the aliases: not independent).

tests/fixtures/lenders/independent.tsv (lender<TAB>label<TAB>message, written by someone who had read
neither the corpus nor the aliases) is measured twice, per expected lender: detection (the expected
lender named first; for "none" no lender at all; for "other" no served named lender, i.e. nothing or
only the generic flow, which ``Detector.find`` never names) and understanding (the top intent, names
taken out, equals the label; cant_login is right for cant_login only). The misses are listed.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DETECTION = ROOT / "tests" / "fixtures" / "lenders" / "detection.tsv"
INDEPENDENT = ROOT / "tests" / "fixtures" / "lenders" / "independent.tsv"
# The second set was written after the detector's last change, by someone new: the independent figure.
INDEPENDENT_SETS = tuple(ROOT / "tests" / "fixtures" / "lenders" / f"independent{n}.tsv" for n in ("", "2", "3", "4"))
SHOWN_MISSES = 40


def detection_set() -> list[tuple[str, str]]:
    """(expected lender or "none", message) of the detection set."""
    rows = []
    for line in DETECTION.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        lender, text = line.split("\t", 1)
        rows.append((lender, text))
    return rows


def independent_set(path: Path = INDEPENDENT) -> list[tuple[str, str, str]]:
    """(expected lender, "other" or "none"; label; message) of an independent set."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        lender, label, text = line.split("\t", 2)
        rows.append((lender, label, text))
    return rows


def detected_right(expected: str, found: list[str], named: frozenset[str]) -> bool:
    """Whether the lenders found in a message are right for the expected one.

    ``named``: the served named lenders' ids. "none": nothing found; "other": no served named lender
    found (nothing, or only the generic flow or an unserved lender); a lender: that one found first.
    """
    if expected == "none":
        return not found
    if expected == "other":
        return not named.intersection(found)
    return found[:1] == [expected]


def run() -> dict[str, object]:
    """Measure and return the figures (per lender: held-out hits and count; detection hits and count)."""
    from bot.core.lenders import Detector, load_lenders
    from bot.core.lenders.desk import LenderDesk
    from bot.core.understanding import build, load_examples, read_corpus
    from bot.core.understanding.corpus import GENERAL, utterances_path

    lenders = load_lenders()
    started = time.perf_counter()
    build(lenders.paths, lenders.causes)
    train_s = time.perf_counter() - started
    shared = LenderDesk(lenders, ZoneInfo("Asia/Tokyo")).understanding  # as the bot reads: names taken out
    known = frozenset(shared.intents)
    held: dict[str, list[int]] = {}
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    detector = Detector(lenders.flows)
    for flow in lenders.flows:
        assert flow.path is not None
        examples = read_corpus(utterances_path(flow.path), known)
        tested = [e for e in examples if e.held_out]
        held[flow.lender_id] = [sum(shared.read(e.text).top.intent in e.labels for e in tested), len(tested)]
        for e in examples:
            named = detector.find(e.text)
            if flow.generic:
                ok = named == []
            elif re.search("|".join(map(re.escape, flow.aliases)), e.text, re.IGNORECASE) or not named:
                # A line of this lender's file that names no lender (its own terms only) may stay unnamed.
                ok = named[:1] in ([flow.lender_id], [])
            else:
                ok = named[:1] == [flow.lender_id]
            found[flow.lender_id][0] += ok
            found[flow.lender_id][1] += 1
    everything = load_examples(lenders.paths, lenders.causes)  # general lines with {lender} named as trained
    general = [e for e in everything if e.source == GENERAL.name and e.held_out]
    held["(general)"] = [sum(shared.read(e.text).top.intent in e.labels for e in general), len(general)]
    # Every held-out line (the first lender's file and the general one), said about each lender in turn:
    # does naming a lender change what is understood?
    base = [
        e for e in everything if e.held_out and e.source in (GENERAL.name, utterances_path(lenders.primary.path).name)
    ]
    about: dict[str, list[int]] = {}
    for flow in lenders.named:
        said = [(f"{flow.lender['name']}で、{e.text}", e.labels) for e in base]
        about[flow.lender_id] = [sum(shared.read(text).top.intent in labels for text, labels in said), len(said)]
    rows = detection_set()
    set_hits = sum((detector.find(text) or ["none"])[0] == lender for lender, text in rows)
    served = frozenset(f.lender_id for f in lenders.named)
    independent = {path.name: _independent(path, detector, shared, served) for path in INDEPENDENT_SETS}
    return {
        "train_s": train_s,
        "held_out": held,
        "held_out_about": about,
        "corpus_detection": dict(found),
        "set_detection": [set_hits, len(rows)],
        "independent": independent,
    }


def _independent(path: Path, detector, shared, served: frozenset[str]) -> dict[str, object]:
    """Detection and understanding per expected lender on one independent set, with the misses."""
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    read: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    found_misses: list[tuple[str, str, str]] = []
    read_misses: list[tuple[str, str, str]] = []
    for lender, label, text in independent_set(path):
        got = detector.find(text)
        ok = detected_right(lender, got, served)
        found[lender][0] += ok
        found[lender][1] += 1
        if not ok:
            found_misses.append((lender, ",".join(got) or "none", text))
        intent = shared.read(text).top.intent
        read[lender][0] += intent == label
        read[lender][1] += 1
        if intent != label:
            read_misses.append((f"{lender}/{label}", intent, text))
    return {
        "detection": dict(found),
        "understanding": dict(read),
        "detection_misses": found_misses,
        "understanding_misses": read_misses,
    }


def report(figures: dict) -> str:
    """The figures as lines."""
    lines = [f"shared understanding over every lender: trained in {figures['train_s']:.1f} s"]
    for lender, (hits, count) in figures["held_out"].items():
        lines.append(f"  held-out {lender:10s} {hits:4d}/{count:<4d} = {100 * hits / max(count, 1):5.1f} %")
    lines.append("every held-out line of the first lender's and the general corpus, said about each lender:")
    for lender, (hits, count) in figures["held_out_about"].items():
        lines.append(f"  「<name>で、…」 {lender:10s} {hits:4d}/{count:<4d} = {100 * hits / max(count, 1):5.1f} %")
    corpus = figures["corpus_detection"]
    hits, count = sum(h for h, _ in corpus.values()), sum(c for _, c in corpus.values())
    lines.append(f"lender detection on every utterance line: {hits}/{count} = {100 * hits / max(count, 1):.1f} %")
    for lender, (h, c) in corpus.items():
        lines.append(f"  {lender:10s} {h:4d}/{c:<4d}")
    hits, count = figures["set_detection"]
    lines.append(f"lender detection on {DETECTION.name} (not independent): {hits}/{count} = {100 * hits / count:.1f} %")
    for name, sets in figures["independent"].items():
        for what, key in (("lender detection", "detection"), ("understanding (top intent = label)", "understanding")):
            per = sets[key]
            hits, count = sum(h for h, _ in per.values()), sum(c for _, c in per.values())
            lines.append(f"{what} on {name}: {hits}/{count} = {100 * hits / max(count, 1):.1f} %")
            for lender, (h, c) in per.items():
                lines.append(f"  {lender:10s} {h:4d}/{c:<4d} = {100 * h / max(c, 1):5.1f} %")
            misses = sets[f"{key}_misses"]
            shown = f"the first {SHOWN_MISSES}" if len(misses) > SHOWN_MISSES else "all"
            lines.append(f"  misses ({len(misses)}, {shown}; expected -> got: message):")
            for expected, got, text in misses[:SHOWN_MISSES]:
                lines.append(f"    {expected} -> {got}: {text}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(run()))
