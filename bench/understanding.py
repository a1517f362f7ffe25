"""Understanding: accuracy on the held-out split and on an independent set, negation, speed, memory.

``python -m bench.understanding`` prints the full report (per-intent accuracy and the most frequent
confusions); ``make bench`` prints its summary. The independent set (tests/fixtures/independent) was
written by someone who never saw the corpus; it is never used for training.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
INDEPENDENT = ROOT / "tests" / "fixtures" / "independent"
BAD_INPUTS = [
    "あ" * 10_000,
    "😀" * 5_000,
    "!?。、" * 2_000,
    "\x00\x07\x1b[31m" * 500,
    "Ｌｏｇｉｎ ログイン 로그인 登录 " * 300,
]


def independent_messages(name: str = "messages.tsv") -> list[tuple[str, tuple[str, ...]]]:
    """(text, labels) of an independent set in tests/fixtures/independent (never trained on)."""
    out = []
    for line in (INDEPENDENT / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        labels, text = line.split("\t", 1)
        out.append((text, tuple(labels.split(","))))
    return out


def short_answers() -> list[tuple[str, str, str]]:
    """(question node, answer, expected choice label) of the independent short answers."""
    rows = []
    for line in (INDEPENDENT / "answers.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or line.count("\t") != 2:
            continue
        node, answer, label = line.split("\t")
        rows.append((node, answer, label))
    return rows


def _memory_and_start() -> dict[str, float]:
    """In a fresh process: time to load the analyser and the (cached) model, and the RSS after it."""
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child would report its parent's peak.
    code = (
        "import time, json, re\n"
        "t = time.perf_counter()\n"
        "from bot.app import model_cache_dir\n"
        "from bot.core.diagnosis.flow import load_flow\n"
        "from bot.core.understanding import build\n"
        "flow = load_flow()\n"
        "u = build(flow.path, flow.causes, cache_dir=model_cache_dir())\n"
        "u.read('ログインできない')\n"
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
        "print(json.dumps({'load_s': time.perf_counter() - t, 'rss_mb': int(hwm) / 1024}))\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True)  # warm the cache
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(verbose: bool = False) -> dict[str, float]:
    """Measure, print the details when ``verbose``, and return the summary figures."""
    from bot.core.diagnosis.flow import load_flow
    from bot.core.dialogue.conversation import Conversation, ConversationState
    from bot.core.dialogue.messages import Incoming, UserRef
    from bot.core.situation.facts import Situation
    from bot.core.understanding import build, load_examples

    flow = load_flow()
    assert flow.path is not None
    started = time.perf_counter()
    understanding = build(flow.path, flow.causes)  # trained in this process: nothing cached in memory yet
    train_s = time.perf_counter() - started
    examples = load_examples(flow.path, flow.causes)
    held_out = [e for e in examples if e.held_out]

    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    confusions: Counter[tuple[str, str]] = Counter()
    timings = []
    hits = 0
    for e in held_out:
        t = time.perf_counter()
        reading = understanding.read(e.text)
        timings.append(time.perf_counter() - t)
        ok = reading.top.intent in e.labels
        hits += ok
        for label in e.labels:
            per[label][1] += 1
            per[label][0] += ok
        if not ok:
            confusions[(e.labels[0], reading.top.intent)] += 1
    negated_lost = [
        e
        for e in examples
        if "lost_card" not in e.labels
        and "card_found" not in e.labels
        and any(w in e.text for w in ("なくし", "無くし", "失くし", "落とし", "盗", "紛失", "lost", "stolen"))
    ]
    negated_wrong = sum(understanding.read(e.text).top.intent == "lost_card" for e in negated_lost)
    multi = [e for e in held_out if len([x for x in e.labels if x in flow.causes]) > 1]
    multi_all = sum(
        set(e.labels) <= set(understanding.causes_in(understanding.read(e.text), flow.causes, 0.5)) for e in multi
    )

    independent = independent_messages()
    ind_hits = sum(understanding.read(text).top.intent in labels for text, labels in independent)
    second = independent_messages("messages2.tsv")
    second_hits = sum(understanding.read(text).top.intent in labels for text, labels in second)
    third = independent_messages("messages3.tsv")
    third_hits = sum(understanding.read(text).top.intent in labels for text, labels in third)
    fourth = independent_messages("messages4.tsv")
    fourth_hits = sum(understanding.read(text).top.intent in labels for text, labels in fourth)
    conversation = Conversation(flow, ZoneInfo("Asia/Tokyo"), understanding)
    now = datetime(2026, 12, 3, 1, tzinfo=UTC)
    answers = short_answers()
    answer_hits = 0
    for node_id, answer, label in answers:
        choice = next(c for c in flow.nodes[node_id].choices if c.label == label)
        state = ConversationState(welcomed=True, node=node_id, back=[flow.start])
        out = conversation.handle(state, Situation(), Incoming(UserRef("bench", "u"), text=answer), now)
        target = flow.nodes[choice.next or ""]
        # A clock node is never shown: at this time (a Thursday morning) it goes on to its "otherwise".
        answer_hits += out.state.node == (target.clock[1] if target.clock else target.id)
    worst_bad_ms = 0.0
    for text in BAD_INPUTS:
        t = time.perf_counter()
        conversation.handle(
            ConversationState(welcomed=True), Situation(), Incoming(UserRef("bench", "u"), text=text), now
        )
        worst_bad_ms = max(worst_bad_ms, (time.perf_counter() - t) * 1e3)

    timings.sort()
    summary = {
        "held_out": len(held_out),
        "accuracy": hits / len(held_out),
        "independent": len(independent),
        "independent_accuracy": ind_hits / len(independent),
        "second": len(second),
        "second_accuracy": second_hits / len(second),
        "third": len(third),
        "third_accuracy": third_hits / len(third),
        "fourth": len(fourth),
        "fourth_accuracy": fourth_hits / len(fourth),
        "answers": len(answers),
        "answers_accuracy": answer_hits / len(answers),
        "negated_lost": len(negated_lost),
        "negated_lost_wrong": negated_wrong,
        "multi": len(multi),
        "multi_all": multi_all,
        "median_ms": statistics.median(timings) * 1e3,
        "p99_ms": timings[int(len(timings) * 0.99)] * 1e3,
        "worst_bad_ms": worst_bad_ms,
        "train_s": train_s,
        "corpus": len(examples),
        **_memory_and_start(),
    }
    if verbose:
        print(f"held-out split: {len(held_out)} of {len(examples)} utterances, top-1 {summary['accuracy']:.1%}")
        for label, (ok, total) in sorted(per.items(), key=lambda kv: kv[1][0] / kv[1][1]):
            print(f"  {label:16} {ok:3}/{total:3}  {ok / total:.0%}")
        print("most frequent confusions (expected -> read as):")
        for (expected, got), n in confusions.most_common(12):
            print(f"  {expected} -> {got}: {n}")
    return summary


def report(s: dict[str, float]) -> str:
    """The summary lines printed by ``make bench``."""
    return (
        f"understanding, held-out split ({s['held_out']:.0f} of {s['corpus']:.0f} utterances): "
        f"top-1 {s['accuracy']:.1%} (target >= 95%); independent set ({s['independent']:.0f} messages): "
        f"{s['independent_accuracy']:.1%}; a second one with dialects and romaji ({s['second']:.0f}): "
        f"{s['second_accuracy']:.1%}; a third with negations and two-topic messages ({s['third']:.0f}): "
        f"{s['third_accuracy']:.1%}; a fourth with every label ({s['fourth']:.0f}): {s['fourth_accuracy']:.1%}; short answers in context ({s['answers']:.0f}): {s['answers_accuracy']:.1%}\n"
        f"negated lost-card lines read as a lost card: {s['negated_lost_wrong']:.0f} of {s['negated_lost']:.0f} "
        f"(target 0); held-out multi-cause lines with every cause found: {s['multi_all']:.0f}/{s['multi']:.0f}\n"
        f"understanding one message: median {s['median_ms']:.2f} ms, p99 {s['p99_ms']:.2f} ms (target median < 5 ms); "
        f"worst bad input turn {s['worst_bad_ms']:.1f} ms (target < 50 ms)\n"
        f"analyser + cached model: load {s['load_s'] * 1e3:.0f} ms, RSS {s['rss_mb']:.0f} MB (target < 300 MB); "
        f"training without a cache {s['train_s']:.1f} s"
    )


if __name__ == "__main__":
    print(report(run(verbose=True)))
