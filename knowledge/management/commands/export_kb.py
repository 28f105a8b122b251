from django.core.management.base import BaseCommand

from knowledge import exchange


class Command(BaseCommand):
    help = (
        "Write the whole knowledge base as deterministic JSON (slugs, not database ids; sorted keys; "
        "stable order) to standard output or --output FILE. import_kb loads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, output=None, **options):
        text = exchange.export_json()
        if output:
            with open(output, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            self.stderr.write(self.style.SUCCESS(f"Knowledge base exported to {output}."))
        else:
            self.stdout.write(text, ending="")
