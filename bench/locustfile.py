"""Load test: a working day's mix of reads and writes by the people of the region demo.

Run against gunicorn on the seeded PostgreSQL database (docs/performance.md has the command):

    BENCH_DATABASE_URL=postgresql+psycopg://… locust -f bench/locustfile.py --headless \
        -H http://127.0.0.1:8000 -u 50 -r 5 -t 3m

Each simulated person signs in through the login form (CSRF and all) as a different seeded
person of the first programme: specialists (most), supervisors and clinicians. Writes go through
the real forms: every form is fetched, its fields (hidden tokens, versions, default choices) kept,
a few filled in, and posted; a redirect is a success, anything else a failure.
"""

from __future__ import annotations

import itertools
import os
import random
import re
from datetime import date
from html.parser import HTMLParser

from locust import HttpUser, between, events, task
from sqlalchemy import create_engine, text

PASSWORD = "demo-password"  # noqa: S105 - the region demo's password
CLIENT_LINK = re.compile(r'href="/clients/(C-\d+)"')
PEOPLE: dict[str, itertools.cycle] = {}
OPEN_CLIENTS: list[str] = []  # the programme's, for supervisors


@events.test_start.add_listener
def _people(**_kwargs) -> None:
    """The first programme's specialists (busiest first), supervisors and clinicians."""
    engine = create_engine(os.environ["BENCH_DATABASE_URL"])
    with engine.connect() as conn:
        for role in ("specialist", "supervisor", "clinician"):
            rows = conn.execute(
                text(
                    "SELECT u.email FROM users u LEFT JOIN clients c ON c.specialist_id = u.id "
                    "AND c.closed_on IS NULL WHERE u.role = :role AND u.active AND u.program_id = "
                    "(SELECT min(id) FROM programs) GROUP BY u.id, u.email ORDER BY count(c.id) DESC, u.id"
                ),
                {"role": role},
            )
            PEOPLE[role] = itertools.cycle([email for (email,) in rows])
        refs = conn.execute(
            text(
                "SELECT ref FROM clients WHERE closed_on IS NULL "
                "AND program_id = (SELECT min(id) FROM programs) ORDER BY ref"
            )
        )
        OPEN_CLIENTS.extend(ref for (ref,) in refs)
    engine.dispose()


class FormFields(HTMLParser):
    """The fields of the page's POST form for ``action``, with their default values and choices."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.done = action, False, False
        self.fields: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post" and not self.done:
            self.inside = a.get("action", self.action) in ("", self.action)
        name = a.get("name")
        if not self.inside or (not name and tag != "option"):
            return
        kind = a.get("type", "text")
        if tag == "option" and self.select:
            self._choice(self.select, a.get("value", ""), "selected" in a)
        elif tag == "input" and kind in ("radio", "checkbox"):
            self._choice(name, a.get("value", ""), "checked" in a, default=kind == "radio")
        elif tag == "input" and kind != "submit":
            self.fields[name] = a.get("value", "")
        elif tag == "select":
            self.select = name
        elif tag == "textarea":
            self.fields[name] = ""

    def _choice(self, name: str, value: str, chosen: bool, default: bool = True) -> None:
        self.options.setdefault(name, []).append(value)
        if chosen or (default and name not in self.fields):
            self.fields[name] = value

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True
        elif tag == "select":
            self.select = None


def form_of(html: str, action: str) -> FormFields:
    parser = FormFields(action)
    parser.feed(html)
    return parser


# Seconds between a person's actions: "1,5" by default; "5,15" is a working day's pace (bench.cluster).
WAIT = tuple(float(x) for x in os.environ.get("BENCH_WAIT", "1,5").split(","))


class Person(HttpUser):
    abstract = True
    wait_time = between(*WAIT)
    role = "specialist"

    def on_start(self) -> None:
        self.email = next(PEOPLE[self.role])
        page = self.client.get("/auth/login", name="/auth/login").text
        fields = form_of(page, "/auth/login").fields
        fields |= {"email": self.email, "password": PASSWORD}
        with self.client.post("/auth/login", data=fields, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"sign-in as {self.email}: HTTP {r.status_code}")
        home = self.client.get("/", name="/ (home)").text
        self.clients = sorted(set(CLIENT_LINK.findall(home))) or OPEN_CLIENTS

    def client_ref(self) -> str:
        return random.choice(self.clients)

    def submit(self, path: str, name: str, values: dict) -> None:
        """GET the form, keep its fields, set ``values`` (callables get the form), POST it."""
        page = self.client.get(path, name=name + " (form)")
        form = form_of(page.text, path)
        data = dict(form.fields)
        for key, value in values.items():
            data[key] = value(form) if callable(value) else value
        with self.client.post(path, data=data, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code not in (302, 303):
                r.failure(f"HTTP {r.status_code}")


class Specialist(Person):
    weight = 40

    @task(4)
    def home(self):
        self.client.get("/", name="/ (home)")

    @task(6)
    def client_page(self):
        self.client.get(f"/clients/{self.client_ref()}", name="/clients/[ref]")

    @task(2)
    def prompts(self):
        self.client.get("/prompts/", name="/prompts/")

    @task(2)
    def employer_log(self):
        self.client.get("/employers/log", name="/employers/log (this week)")

    @task(2)
    def log_client_contact(self):
        ref = self.client_ref()
        self.submit(
            f"/clients/{ref}/contacts/new",
            "/clients/[ref]/contacts/new",
            {
                "contact_date": date.today().isoformat(),
                "mode": "face_to_face",
                "location": "community",
                "purpose": random.choice(["job_search", "follow_along", "engagement"]),
                "minutes": "45",
                "notes": "Load test contact",
            },
        )

    @task(1)
    def log_employer_contact(self):
        ref = self.client_ref()
        self.submit(
            "/employers/contacts/new",
            "/employers/contacts/new",
            {
                "contact_date": date.today().isoformat(),
                "employer": lambda f: random.choice([o for o in f.options.get("employer", []) if o] or [""]),
                "mode": "face_to_face",
                "client_refs": ref if ref in self.clients else "",
                "minutes": "30",
                "purpose": "Introduce the candidate",
            },
        )


class Supervisor(Person):
    weight = 5
    role = "supervisor"

    @task(3)
    def program_page(self):
        self.client.get("/", name="/ (home)")

    @task(2)
    def team_week(self):
        self.client.get("/employers/log", name="/employers/log (this week)")

    @task(1)
    def prompts(self):
        self.client.get("/prompts/", name="/prompts/")

    @task(2)
    def client_page(self):
        self.client.get(f"/clients/{self.client_ref()}", name="/clients/[ref]")


class Clinician(Person):
    weight = 5
    role = "clinician"

    @task(3)
    def home(self):
        self.client.get("/", name="/ (home)")

    @task(3)
    def client_page(self):
        self.client.get(f"/clients/{self.client_ref()}", name="/clients/[ref]")
