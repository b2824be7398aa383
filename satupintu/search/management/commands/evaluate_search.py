"""`satupintu evaluate-search`: the judged queries' MRR and nDCG@10 on this installation.

Run on the demo (`make demo`) it shows which judged queries miss and why. The level the
tests hold (satupintu/search/judgments/baseline.json) is measured by the test itself on the
parts of the demo people search (see tests/test_relevance.py for how to record it), so the
figures here, over the whole demo, can differ slightly.
"""

from django.core.management.base import BaseCommand

from satupintu.search import relevance


class Command(BaseCommand):
    help = "Score the search on the judged demo queries (MRR, nDCG@10)."

    def add_arguments(self, parser):
        parser.add_argument("--verbose-queries", action="store_true", help="show every query")

    def handle(self, *args, verbose_queries=False, **options):
        mrr, ndcg, scored = relevance.evaluate()
        for item in sorted(scored, key=lambda s: (s.ndcg, s.reciprocal_rank)):
            if verbose_queries or item.reciprocal_rank < 1:
                self.stdout.write(
                    f"  {item.query!r}: RR {item.reciprocal_rank:.2f}, nDCG {item.ndcg:.2f}; "
                    f"top: {' / '.join(item.shown[:3])}"
                )
        before = relevance.baseline()
        self.stdout.write(
            f"{len(scored)} kueri: MRR {mrr:.4f}, nDCG@10 {ndcg:.4f} "
            f"(tercatat: MRR {before['mrr']:.4f}, nDCG@10 {before['ndcg']:.4f})"
        )
