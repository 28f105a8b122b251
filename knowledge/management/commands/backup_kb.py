from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from knowledge import backup


class Command(BaseCommand):
    help = (
        "Back up the knowledge base — all content, its complete history, users and groups — "
        "to a timestamped gzip JSON file (restore with restore_kb)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="File to write (default: kb-backup-<UTC timestamp>.json.gz in --directory).",
        )
        parser.add_argument("--directory", type=Path, default=Path("."), help="Where to write the default-named file.")

    def handle(self, *args, output=None, directory, **options):
        if output is None:
            stamp = datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%SZ")
            output = directory / f"kb-backup-{stamp}.json.gz"
        if not output.parent.is_dir():
            raise CommandError(f"Directory {output.parent} does not exist.")
        if output.exists():
            raise CommandError(f"{output} already exists; not overwriting it.")
        counts = backup.backup(output)
        self.stdout.write(f"Wrote {output}: {sum(counts.values())} rows ({', '.join(_summary(counts))}).")


def _summary(counts):
    return [f"{label} {count}" for label, count in counts.items() if count]
