"""``manage.py add_user <name> --group Editors|Approvers``: a sign-in for a colleague, in one step.

The password is asked for twice at a terminal; where there is none (scripts, containers) it is read
from standard input with ``--password-stdin`` or from the ``KB_USER_PASSWORD`` environment
variable. An existing user keeps their password (unless a new one is given) and joins the groups.
"""

import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

GROUPS = ("Editors", "Approvers")
PASSWORD_ENV = "KB_USER_PASSWORD"  # noqa: S105 - the variable's name, not a password


class Command(BaseCommand):
    help = "Create a user (or update one) and put them in the Editors or Approvers group."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The name the person signs in with.")
        parser.add_argument(
            "--group",
            action="append",
            choices=GROUPS,
            required=True,
            help="Editors propose changes; Approvers review and publish. Repeat to give both.",
        )
        parser.add_argument("--email", default="", help="The person's e-mail address (optional).")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help=f"Read the password from standard input (first line) instead of asking; or set {PASSWORD_ENV}.",
        )
        parser.add_argument("--staff", action="store_true", help="Also let the user into /admin/.")

    def handle(self, *args, username, group, email, password_stdin, staff, **options):
        username = username.strip()
        if not username:
            raise CommandError("The user name cannot be empty.")
        User = get_user_model()
        existing = User._default_manager.filter(username=username).first()
        password = self._password(password_stdin, asked=existing is None)
        candidate = existing or User(username=username, email=email)
        if password is not None:
            try:
                validate_password(password, user=candidate)
            except ValidationError as error:
                raise CommandError("The password was refused: " + " ".join(error.messages)) from None

        with transaction.atomic():
            user = candidate
            if email:
                user.email = email
            if staff:
                user.is_staff = True
            if password is not None:
                user.set_password(password)
            try:
                user.full_clean(exclude=["password"])
            except ValidationError as error:
                messages = [m for ms in error.message_dict.values() for m in ms]
                raise CommandError(f"The user {username!r} was refused: " + " ".join(messages)) from None
            user.save()
            # Editors comes with the database; Approvers too once governance is migrated in. Made
            # here when missing, so the command works on any database (its rights come from that
            # migration, or an administrator grants them in /admin/).
            names = []
            for name in dict.fromkeys(group):
                group_row, created = Group.objects.get_or_create(name=name)
                user.groups.add(group_row)
                names.append(name + (" (group created, without rights yet)" if created else ""))

        verb = "Updated" if existing else "Created"
        note = "" if password is not None or not existing else "; password unchanged"
        self.stdout.write(self.style.SUCCESS(f"{verb} user {username!r} in {', '.join(names)}{note}."))

    def _password(self, from_stdin: bool, *, asked: bool) -> str | None:
        """The new password: from stdin, the environment or a prompt; None keeps an existing one."""
        if from_stdin:
            line = sys.stdin.readline().rstrip("\r\n")
            if not line:
                raise CommandError("--password-stdin was given but standard input held no password.")
            return line
        if os.environ.get(PASSWORD_ENV):
            return os.environ[PASSWORD_ENV]
        if not asked:
            return None
        if not sys.stdin.isatty():
            raise CommandError(
                f"No password: there is no terminal to ask at. Pipe one in with --password-stdin or set {PASSWORD_ENV}."
            )
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ; nothing was changed.")
        if not first:
            raise CommandError("The password cannot be empty.")
        return first
