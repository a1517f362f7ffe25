"""Which morphological analyser: the same pipeline trained and measured with each candidate.

``python -m bench.analysers`` compares MeCab + UniDic-lite (fugashi, the one the bot uses) with
SudachiPy + its core dictionary and Janome, when they are installed (they are not dependencies:
``pip install sudachipy sudachidict_core janome`` into the venv first). For each: load time, time to
analyse one message, resident memory after loading, and top-1 accuracy on the held-out split with
the model trained on the training split through that analyser. The figures are in the README.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_ONE = r"""
import json, re, statistics, sys, time, unicodedata
kind = sys.argv[1]
from bot.core.understanding.analyser import Analyser, Token, mark_negation, split_clauses

t0 = time.perf_counter()
if kind == "fugashi":
    analyser = Analyser()
elif kind == "sudachi":
    from sudachipy import Dictionary, SplitMode

    tok = Dictionary(dict="core").create(SplitMode.C)

    class S(Analyser):
        def __init__(self): pass
        def raw(self, text):
            return [Token(m.surface(), unicodedata.normalize("NFKC", m.normalized_form()).lower(),
                          m.part_of_speech()[0], m.part_of_speech()[1], m.reading_form()) for m in tok.tokenize(text)]
    analyser = S()
else:
    from janome.tokenizer import Tokenizer

    jt = Tokenizer()

    class J(Analyser):
        def __init__(self): pass
        def raw(self, text):
            out = []
            for x in jt.tokenize(text):
                pos = x.part_of_speech.split(",")
                out.append(Token(x.surface, unicodedata.normalize("NFKC", x.base_form).lower(), pos[0], pos[1],
                                 x.reading if x.reading != "*" else x.surface))
            return out
    analyser = J()
analyser.analyse("テスト")
load_s = time.perf_counter() - t0
hwm = int(re.search(r"VmHWM:\s+(\d+)", open("/proc/self/status").read()).group(1)) / 1024

from bot.core.diagnosis.flow import load_flow
from bot.core.understanding.textnorm import clean
from bot.core.understanding import GENERAL_INTENTS, Understanding, load_examples, parse_count, variants
from bot.core.understanding.features import MAX_CHARS, features
from bot.core.understanding.model import train

flow = load_flow()
examples = load_examples(flow.path, flow.causes)
docs, labels = [], []
for e in examples:
    if e.held_out:
        continue
    for v in variants(analyser, e.text):
        docs.append(features(analyser.analyse(v), parse_count(v)))
        labels.append(e.labels)
model = train(docs, labels, [*flow.causes, *GENERAL_INTENTS], "bench")
u = Understanding(analyser, model, flow.causes)
held = [e for e in examples if e.held_out]
times = []
hits = 0
for e in held:
    t = time.perf_counter()
    analyser.analyse(clean(e.text)[:MAX_CHARS])
    times.append(time.perf_counter() - t)
    hits += u.read(e.text).top.intent in e.labels
print(json.dumps({"load_ms": load_s * 1e3, "rss_mb": hwm, "analyse_ms": statistics.median(times) * 1e3,
                  "accuracy": hits / len(held)}))
"""

CANDIDATES = {"fugashi": "fugashi", "sudachi": "sudachipy", "janome": "janome"}


def main() -> None:
    """Print one line per installed analyser."""
    for kind, module in CANDIDATES.items():
        if importlib.util.find_spec(module) is None:
            print(f"{kind}: not installed, skipped")
            continue
        out = subprocess.run([sys.executable, "-c", _ONE, kind], cwd=ROOT, capture_output=True, text=True)
        if out.returncode != 0:
            print(f"{kind}: failed: {out.stderr.strip().splitlines()[-1]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{kind}: load {r['load_ms']:.0f} ms, RSS after load {r['rss_mb']:.0f} MB, "
            f"analyse one message {r['analyse_ms']:.3f} ms (median), held-out top-1 {r['accuracy']:.1%}"
        )


if __name__ == "__main__":
    main()
