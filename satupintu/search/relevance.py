"""Measuring the search's quality on judged queries: MRR and nDCG@10.

A judged query says which entries answer it (grade 2) or help (grade 1), by kind and title
prefix, so the judgments survive a rebuild of the demo. The results are scored as a
citizen sees them: best bets first, then the first page. The recorded level per engine is
in judgments/baseline.json; tests fail below it, and `satupintu evaluate-search --record`
raises it after an improvement.
"""

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

from .models import Entry
from .query import search

FOLDER = Path(__file__).resolve().parent / "judgments"
JUDGED = FOLDER / "demo.json"
BASELINE = FOLDER / "baseline.json"
DEPTH = 10


@dataclass
class Scored:
    query: str
    reciprocal_rank: float
    ndcg: float
    shown: list[str] = field(default_factory=list)


def load(path: Path = JUDGED) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def _grade(entry_kind: str, title: str, judgments: dict[str, int]) -> int:
    best = 0
    for key, grade in judgments.items():
        kind, _, prefix = key.partition("|")
        if entry_kind == kind and title.startswith(prefix):
            best = max(best, grade)
    return best


def _ideal(judgments: dict[str, int]) -> list[int]:
    """Grades of every entry in the index that a judgment covers, best first."""
    grades = []
    for key, grade in judgments.items():
        kind, _, prefix = key.partition("|")
        grades += [grade] * Entry.objects.filter(kind=kind, title__startswith=prefix).count()
    return sorted(grades, reverse=True)[:DEPTH]


def _dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:DEPTH]))


def score(judged: dict) -> Scored:
    outcome = search(judged["q"], per_page=DEPTH)
    seen, shown = set(), []
    for entry in [*outcome.best_bets, *(h.entry for h in outcome.hits)]:
        if entry.pk not in seen:
            seen.add(entry.pk)
            shown.append(entry)
    grades = [_grade(e.kind, e.title, judged["relevant"]) for e in shown][:DEPTH]
    first = next((i for i, g in enumerate(grades) if g == 2), None)
    ideal = _dcg(_ideal(judged["relevant"]))
    return Scored(
        query=judged["q"],
        reciprocal_rank=0.0 if first is None else 1 / (first + 1),
        ndcg=_dcg(grades) / ideal if ideal else 0.0,
        shown=[f"{e.kind}|{e.title}" for e in shown],
    )


def evaluate(queries: list[dict] | None = None) -> tuple[float, float, list[Scored]]:
    scored = [score(q) for q in (queries if queries is not None else load())]
    mrr = sum(s.reciprocal_rank for s in scored) / len(scored)
    ndcg = sum(s.ndcg for s in scored) / len(scored)
    return mrr, ndcg, scored


def baseline() -> dict:
    recorded = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    return recorded.get(connection.vendor, {"mrr": 0.0, "ndcg": 0.0})


def record(mrr: float, ndcg: float) -> None:
    recorded = json.loads(BASELINE.read_text(encoding="utf-8")) if BASELINE.exists() else {}
    recorded[connection.vendor] = {"mrr": round(mrr, 4), "ndcg": round(ndcg, 4)}
    BASELINE.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n", encoding="utf-8")
