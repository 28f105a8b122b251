"""``python manage.py run_webhooks``: send webhook deliveries until stopped (``--once``: one pass)."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from webhooks import delivery


class Command(BaseCommand):
    help = "Send webhook deliveries from the change feed, with retries; runs until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass over every subscription, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between passes (default 1).")

    def handle(self, *args, once=False, interval=1.0, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        if not once:
            self.stdout.write(f"Sending webhooks every {interval:g} s; stop with Ctrl-C.")
        while True:
            sent = delivery.run_once()
            if sent:
                self.stdout.write(f"{sent} delivered")
            if once or stopping:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
            close_old_connections()  # a long-running process: drop connections that went stale
