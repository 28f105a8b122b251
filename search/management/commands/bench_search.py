import statistics
import time

from django.core.management.base import BaseCommand, CommandError

from roles.models import Role
from search.search import search_knowledge_base

DEFAULT_QUERIES = ["cardiology", "lege", "budget", "medical director", "kvalitet", "chif medcal", "oncology bergvik"]


class Command(BaseCommand):
    help = "Time the search service in-process (server time, no HTTP): median and p95 per query over repeated runs."

    def add_arguments(self, parser):
        parser.add_argument("queries", nargs="*", default=DEFAULT_QUERIES)
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--language", default="en")

    def handle(self, *args, queries, repeat, language, **options):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        self.stdout.write(f"roles in the database: {Role.objects.count()}")
        for query in queries:
            search_knowledge_base(query, language=language)  # warm: plans, caches
            samples = []
            for _ in range(repeat):
                start = time.perf_counter()
                search_knowledge_base(query, language=language)
                samples.append((time.perf_counter() - start) * 1000)
            samples.sort()
            p95 = samples[max(0, round(len(samples) * 0.95) - 1)]
            self.stdout.write(f"{query!r:22} median {statistics.median(samples):6.1f} ms   p95 {p95:6.1f} ms")
