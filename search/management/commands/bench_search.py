import statistics
import time

from django.core.management.base import BaseCommand, CommandError

from roles.models import Role
from search.search import search_knowledge_base
from search.suggest import suggest as suggest_as_typed

DEFAULT_QUERIES = [
    "cardiology",
    "lege",
    "budget",
    "medical director",
    "kvalitet",
    "chif medcal",
    "oncology bergvik",
    "who manages the budget",
    "salary",
]
DEFAULT_SUGGESTIONS = ["ch", "phys", "medisinsk sj", "card", "lege"]


class Command(BaseCommand):
    help = "Time the search service in-process (server time, no HTTP): median and p95 per query over repeated runs."

    def add_arguments(self, parser):
        parser.add_argument("queries", nargs="*", default=DEFAULT_QUERIES)
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--language", default="en")
        parser.add_argument("--limit", type=int, default=10, help="Matches of each kind (the page shows 10).")
        parser.add_argument(
            "--suggest", action="store_true", help="Time the suggestions as you type instead (typed prefixes)."
        )

    def handle(self, *args, queries, repeat, language, suggest, limit, **options):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        self.stdout.write(f"roles in the database: {Role.objects.count()}")
        if suggest:
            run = suggest_as_typed
            queries = DEFAULT_SUGGESTIONS if queries == DEFAULT_QUERIES else queries
        else:

            def run(query, language):
                return search_knowledge_base(query, language=language, limit=limit)

        for query in queries:
            run(query, language=language)  # warm: plans, caches
            samples = []
            for _ in range(repeat):
                start = time.perf_counter()
                run(query, language=language)
                samples.append((time.perf_counter() - start) * 1000)
            samples.sort()
            p95 = samples[max(0, round(len(samples) * 0.95) - 1)]
            self.stdout.write(f"{query!r:22} median {statistics.median(samples):6.1f} ms   p95 {p95:6.1f} ms")
