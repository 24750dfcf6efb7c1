"""The production stack on this machine, shared by `make prod-smoke` (deploy/smoke.py) and
`make bench-http` (bench/http_load.py): processes started and stopped as a group, management
commands, a client that signs in and fills forms as a person would (cookies, CSRF tokens), and the
Celery worker and single beat of a deployment.
"""

import base64
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent


class StackFailure(Exception):
    pass


SmokeFailure = StackFailure


def check(condition: bool, what: str) -> None:
    if not condition:
        raise StackFailure(what)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(what: str, probe: Callable[[], object], timeout: float = 60.0, every: float = 0.5):
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = probe()
        except Exception as error:  # retried until the deadline, then reported
            last_error = error
        else:
            if result:
                return result
        time.sleep(every)
    raise StackFailure(f"{what}: not within {timeout:.0f} s" + (f" ({last_error!r})" if last_error else ""))


# --- Processes -------------------------------------------------------------------------------------------
class Processes:
    def __init__(self, folder: Path):
        self.folder = folder
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str], env: dict[str, str]) -> None:
        log = (self.folder / f"{name}.log").open("ab")
        self.running[name] = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def alive(self, name: str) -> None:
        process = self.running[name]
        check(process.poll() is None, f"{name} exited with {process.returncode}; see {self.folder / (name + '.log')}")

    def stop(self, *names: str) -> None:
        """SIGTERM to each (and its children), then wait; SIGKILL what is still there after 20 s."""
        stopping = [self.running.pop(name) for name in names if name in self.running]
        stopping = [process for process in stopping if process.poll() is None]
        for process in stopping:
            os.killpg(process.pid, signal.SIGTERM)
        for process in stopping:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop_all(self) -> None:
        self.stop(*list(self.running)[::-1])


def print_logs(folder: Path, prefix: str = "smoke") -> None:
    for log in sorted(folder.glob("*.log")):
        lines = log.read_text(errors="replace").splitlines()[-25:]
        print(f"\n{prefix}: ----- end of {log.name} -----", file=sys.stderr)
        print("\n".join(lines), file=sys.stderr)


def manage(env: dict[str, str], *args: str, expect: int = 0) -> str:
    return manage_together(env, [list(args)], expect=expect)[0]


def manage_together(env: dict[str, str], commands: list[list[str]], *, expect: int = 0) -> list[str]:
    """Run management commands side by side (each spends seconds starting Django) and return their output."""
    running = [
        (
            args,
            subprocess.Popen(
                [PYTHON, "manage.py", *args],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
        )
        for args in commands
    ]
    outputs = []
    for args, process in running:
        out, err = process.communicate()
        if process.returncode != expect:
            raise StackFailure(f"manage.py {' '.join(args)} exited {process.returncode}:\n{out}\n{err}")
        outputs.append(out)
    return outputs


# --- A person with a browser, without a browser ----------------------------------------------------------
class Form:
    def __init__(self, action: str, method: str):
        self.action, self.method = action, method
        self.fields: list[dict] = []
        self.buttons: list[dict] = []

    def values(self, button: dict | None) -> dict[str, list[str]]:
        pairs = []
        for field in self.fields:
            if field["kind"] in ("checkbox", "radio") and not field["checked"]:
                continue
            if field["kind"] in ("submit", "button", "reset", "image", "file"):
                continue
            if field["name"]:
                pairs.append((field["name"], field["value"]))
        if button and button.get("name"):
            pairs.append((button["name"], button.get("value", "")))
        grouped: dict[str, list[str]] = {}
        for name, value in pairs:
            grouped.setdefault(name, []).append(value)
        return grouped


class FormParser(HTMLParser):
    """Forms, their fields (inputs, selects, textareas), their buttons, and the labels of each id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.labels: dict[str, str] = {}
        self.texts_by_id: dict[str, str] = {}
        self._form: Form | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None
        self._button: dict | None = None
        self._label_for: str | None = None
        self._label_text: list[str] = []
        self._id_stack: list[tuple[str, str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id") and tag in ("code", "span", "p", "div", "strong", "h1"):
            self._id_stack.append((tag, a["id"], []))
        if tag == "form":
            self._form = Form(a.get("action") or "", (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif tag == "label":
            self._label_for, self._label_text = a.get("for"), []
        elif self._form is None:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            field = {
                "kind": kind,
                "name": a.get("name"),
                "value": a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                "checked": "checked" in a,
                "id": a.get("id"),
            }
            (self._form.buttons if kind == "submit" else self._form.fields).append(
                {**field, "text": a.get("value", "")} if kind == "submit" else field
            )
        elif tag == "select":
            self._select = {"kind": "select", "name": a.get("name"), "value": "", "options": [], "id": a.get("id")}
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value", ""), "text": "", "selected": "selected" in a}
            self._select["options"].append(self._option)
            if self._option["selected"] or len(self._select["options"]) == 1:
                self._select["value"] = self._option["value"]
        elif tag == "textarea":
            self._textarea = {"kind": "textarea", "name": a.get("name"), "value": "", "id": a.get("id")}
            self._form.fields.append(self._textarea)
        elif tag == "button":
            self._button = {"name": a.get("name"), "value": a.get("value", ""), "text": ""}
            if (a.get("type") or "submit") == "submit":
                self._form.buttons.append(self._button)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "button":
            self._button = None
        elif tag == "label":
            if self._label_for:
                self.labels[self._label_for] = " ".join("".join(self._label_text).split())
            self._label_for = None
        if self._id_stack and self._id_stack[-1][0] == tag:
            _tag, ident, text = self._id_stack.pop()
            self.texts_by_id[ident] = " ".join("".join(text).split())

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["value"] += data
        if self._button is not None:
            self._button["text"] += data
        if self._label_for is not None:
            self._label_text.append(data)
        for _tag, _ident, text in self._id_stack:
            text.append(data)


# What nginx adds to every request it passes to gunicorn (deploy/nginx/parcours.conf).
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
SECURE_ATTRIBUTE = re.compile(r";\s*secure\b", re.I)


class StandInProxy(httpx.HTTPTransport):
    """The hop from the TLS proxy to gunicorn, for a client talking to gunicorn directly: the app's
    cookies must all be Secure (checked on every response), and the flag is dropped on this hop only,
    so that the client sends them back over loopback as a browser does over HTTPS."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        cookies = response.headers.get_list("set-cookie")
        for cookie in cookies:
            # Django deletes a cookie (empty, Max-Age=0) without the flag; there is nothing in it to protect.
            deletion = re.search(r"max-age=0\b", cookie, re.I) is not None
            check(deletion or SECURE_ATTRIBUTE.search(cookie) is not None, f"a cookie without Secure: {cookie[:20]}")
        if cookies:
            others = [(name, value) for name, value in response.headers.multi_items() if name != "set-cookie"]
            response.headers = httpx.Headers(others + [("set-cookie", SECURE_ATTRIBUTE.sub("", c)) for c in cookies])
        return response


class Browser:
    """Cookies, CSRF tokens and forms over HTTPS, verified against the throwaway CA.

    Without a CA, the browser talks straight to gunicorn over loopback and stands in for the TLS proxy:
    each request carries nginx's X-Forwarded-* headers, so the app (PARCOURS_BEHIND_TLS_PROXY=1)
    sees HTTPS as in production, and its Secure cookies are sent back over this one hop.
    """

    def __init__(self, base: str, ca: Path | None = None, *, follow_redirects: bool = True):
        self.base = base
        self.proxied = ca is None
        if self.proxied:
            self.http = httpx.Client(
                base_url=base,
                headers=PROXY_HEADERS,
                transport=StandInProxy(),
                follow_redirects=follow_redirects,
                timeout=60,
            )
        else:
            self.http = httpx.Client(base_url=base, verify=str(ca), follow_redirects=follow_redirects, timeout=30)
        self.page: httpx.Response | None = None
        self.parsed: FormParser | None = None

    def close(self):
        self.http.close()

    def _seen(self, response: httpx.Response) -> httpx.Response:
        check(
            response.status_code < 400, f"{response.request.method} {response.url.path} answered {response.status_code}"
        )
        check(response.url.scheme == ("http" if self.proxied else "https"), f"left the app's scheme: {response.url}")
        self.page = response
        self.parsed = FormParser()
        self.parsed.feed(response.text)
        return response

    def get(self, path: str) -> httpx.Response:
        return self._seen(self.http.get(path))

    def text_of(self, element_id: str) -> str:
        return self.parsed.texts_by_id.get(element_id, "")

    def submit(self, button_text: str, fields: dict[str, str] | None = None, choose: dict[str, str] | None = None):
        """Press the button whose text starts with `button_text`, after typing `fields` (by name) and
        choosing options, checkboxes or radios by the start of their label (`choose`: name → label)."""
        for form in self.parsed.forms:
            button = next((b for b in form.buttons if b["text"].strip().startswith(button_text)), None)
            if button is not None:
                break
        else:
            raise StackFailure(f"no button « {button_text} » on {self.page.url.path}")
        for name, value in (fields or {}).items():
            field = next((f for f in form.fields if f["name"] == name), None)
            check(field is not None, f"no field {name} in the form of « {button_text} »")
            field["value"] = value
        for name, label in (choose or {}).items():
            self._choose(form, name, label)
        target = urljoin(str(self.page.url), form.action or str(self.page.url))
        # The page as the person's browser saw it: over HTTPS, even when this client stands in for the proxy.
        headers = {"Referer": str(self.page.url.copy_with(scheme="https"))}
        return self._seen(self.http.post(target, data=form.values(button), headers=headers))

    def _choose(self, form: Form, name: str, label: str) -> None:
        candidates = [f for f in form.fields if f["name"] == name]
        check(bool(candidates), f"no field {name}")
        if candidates[0]["kind"] == "select":
            option = next((o for o in candidates[0]["options"] if " ".join(o["text"].split()).startswith(label)), None)
            check(option is not None, f"no option « {label} » in {name}")
            candidates[0]["value"] = option["value"]
            return
        for field in candidates:
            if self.parsed.labels.get(field["id"] or "", "").startswith(label):
                if field["kind"] == "radio":
                    for other in candidates:
                        other["checked"] = False
                field["checked"] = True
                return
        raise StackFailure(f"no choice « {label} » for {name}")


def b64key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


# --- Celery: one worker and exactly one beat, as deploy/systemd runs them ----------------------------------
def start_celery(processes: Processes, env: dict[str, str], folder: Path) -> None:
    processes.start(
        "worker",
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env,
    )
    processes.start(
        "beat",
        [str(BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO"]
        + ["--schedule", str(folder / "celerybeat-schedule")],
        env,
    )


def start_gunicorn(processes: Processes, env: dict[str, str]) -> None:
    processes.start("gunicorn", [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"], env)
