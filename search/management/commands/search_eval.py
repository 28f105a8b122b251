from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from roles.models import Role
from search.evaluation import CASES, CUTOFF, evaluate, load_cases


class Command(BaseCommand):
    help = (
        "Run the search's relevance suite (search/relevance/cases.toml) on this database: recall@5, MRR, "
        "the figures per kind of query, and every miss. Needs the knowledge base loaded (load_kb)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", default=str(CASES), help="The suite to run (TOML).")
        parser.add_argument("--strict", action="store_true", help="Fail unless recall@5 = 1 and MRR ≥ 0.9.")

    def handle(self, *args, cases, strict, **options):
        from pathlib import Path

        try:
            outcomes = evaluate(load_cases(Path(cases)))
        except LookupError as error:
            raise CommandError(str(error)) from None
        count = len(outcomes)
        recall = sum(o.recall for o in outcomes) / count
        mrr = sum(o.reciprocal_rank for o in outcomes) / count
        write = self.stdout.write
        write(f"database: {connection.vendor}   roles: {Role.objects.count()}   cases: {count}")
        write(f"recall@{CUTOFF}: {recall:.3f}   MRR: {mrr:.3f}")
        by_kind = defaultdict(list)
        for outcome in outcomes:
            by_kind[outcome.kind].append(outcome)
        write(f"{'kind':<13}{'cases':>6}{'recall@5':>10}{'MRR':>8}")
        for kind, group in by_kind.items():
            write(
                f"{kind:<13}{len(group):>6}{sum(o.recall for o in group) / len(group):>10.3f}"
                f"{sum(o.reciprocal_rank for o in group) / len(group):>8.3f}"
            )
        misses = [o for o in outcomes if o.recall < 1.0 or o.reciprocal_rank < 1.0]
        write(f"misses and late hits: {len(misses)}")
        for outcome in misses:
            ranks = ", ".join(f"{key} at {rank if rank else '—'}" for key, rank in outcome.ranks.items())
            write(f"  [{outcome.kind}] {outcome.query!r}: {ranks or 'expected nothing, found something'}")
        if strict and (recall < 1.0 or mrr < 0.9):
            raise CommandError("the relevance targets are missed: recall@5 = 1.0 and MRR ≥ 0.9")
