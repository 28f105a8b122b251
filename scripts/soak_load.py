"""The soak test's clients: readers and editors spread over the app servers, and what they saw."""

import http.client
import json
import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from soak_setup import EDITOR_PASSWORD, AppServer

ROLES = ["chief-medical-officer", "associate-chief-medical-officer", "medical-director", "physician"]
REQUEST_TIMEOUT = 15  # seconds; a request slower than this counts as hung


class EditForm(HTMLParser):
    """The fields of the page's POST form that carries a ``version``, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.textarea, self.select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = {}
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.current[attrs["name"]] = attrs.get("value") or ("on" if attrs.get("type") == "checkbox" else "")
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = attrs["name"]
            self.current[self.textarea] = ""
        elif tag == "select" and attrs.get("name"):
            self.select = attrs["name"]
        elif tag == "option" and self.select and ("selected" in attrs or self.select not in self.current):
            self.current[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.current = None

    def handle_data(self, data):
        if self.textarea and self.current is not None:
            self.current[self.textarea] += data

    def fields(self) -> dict | None:
        return next((form for form in self.forms if "version" in form), None)


@dataclass
class Stats:
    requests: int = 0
    server_errors: int = 0  # 5xx other than 503
    unavailable: int = 0  # 503: database briefly unreachable
    conflicts: int = 0  # 409 / 412: a stale edit refused
    connection_errors: int = 0
    hung: int = 0  # no answer within REQUEST_TIMEOUT
    other_4xx: int = 0
    acknowledged: int = 0
    statuses: Counter = field(default_factory=Counter)


@dataclass
class Write:
    duty: int
    value: str
    version: int | None  # the version the row has after this write (API: from the answer; forms: from history)
    phase: str


class Load:
    """Readers and editors spread over the app servers, all stopping at the same moment."""

    def __init__(self, servers: list[AppServer], token: str, duties: dict[int, str], mode: str):
        self.servers = servers
        self.token = token
        self.duties = list(duties)
        self.duty_roles = duties
        self.mode = mode
        self.lock = threading.Lock()
        self.acknowledged: list[Write] = []
        self.attempted: dict[tuple[int, str], str] = {}  # (duty, value) -> phase, writes not acknowledged
        self.stats: dict[str, Stats] = defaultdict(Stats)
        self.phase = ""
        self.stop = threading.Event()

    def pick_server(self) -> AppServer:
        now = time.monotonic()
        alive = [server for server in self.servers if server.down_until <= now]
        return random.choice(alive or self.servers)

    def request(self, method: str, path: str, *, body=None, headers=None):
        """Send one request; returns (status, headers, body) or None on a connection error or hang."""
        server = self.pick_server()
        stats = self.stats[self.phase]
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            payload = response.read()
        except TimeoutError:
            with self.lock:
                stats.requests += 1
                stats.hung += 1
            return None
        except (OSError, http.client.HTTPException):
            # The server died or refused: try the other one for a second.
            server.down_until = time.monotonic() + 1.0
            with self.lock:
                stats.requests += 1
                stats.connection_errors += 1
            return None
        finally:
            conn.close()
        with self.lock:
            stats.requests += 1
            stats.statuses[response.status] += 1
            if response.status == 503:
                stats.unavailable += 1
            elif response.status >= 500:
                stats.server_errors += 1
            elif response.status in (409, 412):
                stats.conflicts += 1
            elif response.status >= 400:
                stats.other_4xx += 1
        return response.status, response.headers, payload

    def reader(self) -> None:
        while not self.stop.is_set():
            slug = random.choice(ROLES)
            path = random.choice(
                [
                    f"/roles/{slug}/",
                    f"/nb/roles/{slug}/",
                    "/",
                    f"/api/v1/roles/{slug}/",
                    f"/api/v1/duties/?role={slug}",
                    "/api/v1/org-chart/",
                ]
            )
            self.request("GET", path)

    def editor(self, number: int) -> None:
        auth = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        sequence = 0
        while not self.stop.is_set():
            duty = random.choice(self.duties)
            answer = self.request("GET", f"/api/v1/duties/{duty}/", headers=auth)
            if answer is None or answer[0] != 200:
                time.sleep(0.05)
                continue
            etag = answer[1]["ETag"]
            sequence += 1
            value = f"soak edit {self.phase} editor {number} #{sequence}"
            with self.lock:
                self.attempted[(duty, value)] = self.phase
            body = json.dumps({"description_en": value})
            answer = self.request(
                "PATCH",
                f"/api/v1/duties/{duty}/",
                body=body,
                headers={**auth, "Content-Type": "application/json", "If-Match": etag},
            )
            if answer is not None and answer[0] == 200:
                version = json.loads(answer[2])["version"]
                with self.lock:
                    self.acknowledged.append(Write(duty, value, version, self.phase))
                    self.stats[self.phase].acknowledged += 1

    def form_editor(self, number: int) -> None:
        """Edits through the duty edit page: sign in, load the form (with its hidden version), post it."""
        cookies = SimpleCookie()

        def headers(extra=None):
            jar = "; ".join(f"{key}={morsel.value}" for key, morsel in cookies.items())
            return {"Cookie": jar, **(extra or {})}

        def remember(answer):
            for header in answer[1].get_all("Set-Cookie") or []:
                cookies.load(header)

        sequence = 0
        while not self.stop.is_set():
            if "sessionid" not in cookies:
                answer = self.request("GET", "/accounts/login/", headers=headers())
                if answer is None or answer[0] != 200:
                    time.sleep(0.2)
                    continue
                remember(answer)
                body = urlencode(
                    {
                        "username": "soak-editor",
                        "password": EDITOR_PASSWORD,
                        "csrfmiddlewaretoken": cookies["csrftoken"].value,
                    }
                )
                type_header = {"Content-Type": "application/x-www-form-urlencoded"}
                answer = self.request("POST", "/accounts/login/", body=body, headers=headers(type_header))
                if answer is not None:
                    remember(answer)
                continue
            duty = random.choice(self.duties)
            path = f"/roles/{self.duty_roles[duty]}/duties/{duty}/edit/"
            answer = self.request("GET", path, headers=headers())
            if answer is None or answer[0] != 200:
                time.sleep(0.05)
                continue
            remember(answer)
            parser = EditForm()
            parser.feed(answer[2].decode())
            fields = parser.fields()
            if fields is None:
                continue
            sequence += 1
            value = f"soak edit {self.phase} editor {number} #{sequence}"
            fields["description_en"] = value
            with self.lock:
                self.attempted[(duty, value)] = self.phase
            form_headers = headers({"Content-Type": "application/x-www-form-urlencoded"})
            answer = self.request("POST", path, body=urlencode(fields), headers=form_headers)
            if answer is None:
                continue
            if answer[0] == 302:
                with self.lock:
                    self.acknowledged.append(Write(duty, value, None, self.phase))
                    self.stats[self.phase].acknowledged += 1
            elif answer[0] == 200 and b'class="conflict"' in answer[2]:
                with self.lock:  # the page refused a stale save and shows both versions
                    self.stats[self.phase].conflicts += 1

    def run(self, phase: str, duration: float, readers: int, editors: int, fault=None) -> None:
        self.phase = phase
        self.stop.clear()
        threads = [threading.Thread(target=self.reader, daemon=True) for _ in range(readers)]
        editor = self.editor if self.mode == "api" else self.form_editor
        threads += [threading.Thread(target=editor, args=(n,), daemon=True) for n in range(editors)]
        for thread in threads:
            thread.start()
        end = time.monotonic() + duration
        if fault:
            time.sleep(duration / 3)
            fault()
        time.sleep(max(0.0, end - time.monotonic()))
        self.stop.set()
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT + 5)


def detect_edit_path(port: int, token: str, duty: int) -> str:
    """ "api" when the API takes writes (an OPTIONS on a duty lists PATCH), else "forms"."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    conn.request("OPTIONS", f"/api/v1/duties/{duty}/", headers={"Authorization": f"Token {token}"})
    response = conn.getresponse()
    response.read()
    allowed = response.headers.get("Allow", "")
    conn.close()
    return "api" if "PATCH" in allowed else "forms"
