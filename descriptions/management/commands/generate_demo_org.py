import time

from django.core.management.base import BaseCommand, CommandError

from descriptions import demo


class Command(BaseCommand):
    help = (
        "Build a synthetic hospital-group organisation (ACMOs, departments with medical directors and "
        "physicians, ~10 duties and ~5 qualifications each, English and Norwegian) under the real knowledge "
        "base, for benchmarks and scale tests. Idempotent: the same --roles changes nothing; another number "
        "adds or removes only demo rows. Demo rows are marked editorial and never touch the real content."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--roles", type=int, metavar="N", help="Make the demo organisation hold N roles.")
        group.add_argument("--clear", action="store_true", help="Remove every demo row (and its history).")

    def handle(self, *args, roles=None, clear=False, **options):
        n = 0 if clear else roles
        if n < 0:
            raise CommandError("--roles must be zero or more.")
        started = time.perf_counter()
        report = demo.generate_demo_org(n)
        elapsed = time.perf_counter() - started
        created = (
            ", ".join(f"{count} {_plural(kind, count)}" for kind, count in report.created.items() if count) or "nothing"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo organisation: {n} roles. Created {created}; removed {report.removed_roles} roles "
                f"with their rows ({elapsed:.1f} s)."
            )
        )


def _plural(kind: str, count: int) -> str:
    """duty → duties, activity → activities, role → roles (the kinds are English nouns)."""
    if count == 1:
        return kind
    return kind[:-1] + "ies" if kind.endswith("y") else kind + "s"
