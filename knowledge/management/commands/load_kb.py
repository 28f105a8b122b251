from django.core.management.base import BaseCommand

from knowledge import seed


class Command(BaseCommand):
    help = (
        "Load the shipped knowledge base (roles, titles, duties, qualifications, reporting lines and "
        "their sources). Idempotent; rows an editor changed or deleted are kept unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Restore every shipped row to its shipped values, undoing edits."
        )

    def handle(self, *args, reset=False, **options):
        report = seed.load_knowledge_base(reset=reset)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Knowledge base loaded: {report.total(seed.CREATED)} created, {report.total(seed.UPDATED)} updated, "
                f"{report.total(seed.UNCHANGED)} unchanged, {report.total(seed.KEPT_EDITED)} kept as edited."
            )
        )
