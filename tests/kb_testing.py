"""Helpers the tests import: test users' password, forms' POST data, what a search costs, rows as loaded.

Imported as ``kb_testing`` (pytest puts tests/ on the path); the test folders themselves are not
packages, so a folder named like an app never shadows the app.
"""

import io
import threading

from django.db import connection, connections
from django.forms import BaseFormSet

PASSWORD = "correct horse battery staple"  # noqa: S105 - test users only


def _field_values(form) -> dict:
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
            continue
        data[bound.html_name] = "" if value is None else value
    return data


def form_payload(*forms, **changes) -> dict:
    """The POST data a browser would send for unchanged forms/formsets, with ``changes`` applied."""
    data = {}
    for form in forms:
        if isinstance(form, BaseFormSet):
            data.update(_field_values(form.management_form))
            for member in form.forms:
                data.update(_field_values(member))
        else:
            data.update(_field_values(form))
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def run_together(*jobs) -> list:
    """Run each job in a thread of its own, all released at the same moment; their results (or exceptions).

    Each thread has its own database connections (Django's are per thread), closed when it ends.
    """
    start = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            start.wait()
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - returned for the test to inspect
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


# Documents made on the spot for the upload tests: a PDF (WeasyPrint), a .docx (python-docx), a PNG.
def pdf_bytes(text: str) -> bytes:
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    return HTML(string=f"<html><body>{paragraphs}</body></html>").write_pdf()


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def encrypted_pdf_bytes(text: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(text))))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class Receiver:
    """A webhook receiver on loopback: records each POST (headers, body) and answers ``status``.

    ``start()`` / ``stop()`` bring it up and down on the same port, to play a receiver that is down.
    """

    def __init__(self, port: int, status: int = 204):
        self.port, self.status, self.received = port, status, []
        self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> "Receiver":
        import http.server

        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        http.server.ThreadingHTTPServer.allow_reuse_address = True
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def search_queries() -> int:
    """What any search costs: the thesaurus, the word list, on PostgreSQL the parsed expressions, then per
    kind of row (seven) one query that ranks and counts its matches and one that loads the page's rows."""
    return 2 + (connection.vendor == "postgresql") + 2 * 7


def as_loaded(row) -> tuple:
    """A row as the ORM built it: its class, loaded and deferred fields, annotations and related rows, alike.

    Prefetched relations are left out (they are querysets, equal only to themselves): compare them apart.
    """
    fields = {name: value for name, value in vars(row).items() if name not in ("_state", "_prefetched_objects_cache")}
    related = {name: other and as_loaded(other) for name, other in row._state.fields_cache.items()}
    return type(row), row.get_deferred_fields(), fields, related, row._state.db, row._state.adding
