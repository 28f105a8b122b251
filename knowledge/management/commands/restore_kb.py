from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from knowledge import backup, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_kb, in one transaction, into a database without content "
        "(run `migrate` first). Every restored row is checked against the knowledge base's rules; "
        "one that breaks a rule refuses the whole restore. --force replaces the content and history that are there."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The .json.gz file written by backup_kb.")
        parser.add_argument(
            "--trust-unsigned",
            action="store_true",
            help="Restore a backup without this server's signature; its accounts cannot sign in afterwards.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Delete the current content and history first (in the same transaction).",
        )

    def handle(self, *args, path, force, trust_unsigned=False, **options):
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        try:
            counts = restore.restore(path, force=force, trust_unsigned=trust_unsigned)
        except restore.RestoreRefused as error:
            problems = "\n".join(f"- {problem}" for problem in error.problems)
            raise CommandError(f"Restore refused, nothing was changed:\n{problems}") from error
        except backup.NotEmpty as error:
            present = ", ".join(f"{label} {count}" for label, count in error.args[0].items())
            raise CommandError(
                f"The database already holds content ({present}). Restore into an empty database, "
                "or pass --force to replace it."
            ) from error
        except Exception as error:  # noqa: BLE001 - any load failure: report it, nothing was changed
            raise CommandError(f"Restore failed, nothing was changed: {error}") from error
        self.stdout.write(f"Restored {path}: {sum(counts.values())} content and history rows.")
