import json

from django.core.management.base import BaseCommand, CommandError

from knowledge import exchange


class Command(BaseCommand):
    help = (
        "Load a knowledge base written by export_kb into an empty database, validating every row, "
        "in one transaction (a bad file changes nothing). --replace deletes the current content first."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file written by export_kb.")
        parser.add_argument(
            "--replace", action="store_true", help="Delete all current knowledge-base content before importing."
        )

    def handle(self, *args, file, replace=False, **options):
        try:
            with open(file, encoding="utf-8") as fh:
                document = json.load(fh)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CommandError(f"{file} is not valid JSON: {error}") from error
        except RecursionError:
            raise CommandError(f"{file} is nested too deeply to be a knowledge-base export.") from None
        try:
            counts = exchange.import_data(document, replace=replace)
        except exchange.ImportFailed as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(f"- {p}" for p in error.problems)) from error
        summary = ", ".join(f"{n} {section.replace('_', ' ')}" for section, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Imported {summary}."))
