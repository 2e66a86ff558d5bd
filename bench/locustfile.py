"""What 50 people do at once: read the main pages of their sites and comment on tasks.

Run by `make load` (bench/load.py), which starts the server, seeds it and reads the results.
Each simulated person signs in once, then picks a site from LOAD_SITE_IDS; statistics start
again when the last of them has signed in (LOAD_USERS), and the run ends LOAD_SECONDS later.
"""

from __future__ import annotations

import os
import random
import re

import gevent
from locust import HttpUser, between, task

SITE_IDS = [int(i) for i in os.environ.get("LOAD_SITE_IDS", "1").split(",")]
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "0"))  # measured, after everyone signed in
EMAIL = os.environ.get("LOAD_EMAIL", "load@example.nhs.uk")
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TASK_LINK = re.compile(r"/sites/\d+/tasks/(\d+)")
SIGNED_IN: list[str] = []  # one entry per person signed in so far (one process, greenlets)


class ProjectPerson(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        page = self.client.get("/login", name="sign in")
        token = TOKEN.search(page.text).group(1)
        self.client.post(
            "/login",
            data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
            name="sign in",
        )
        self.site = random.choice(SITE_IDS)
        self.task_ids: list[str] = []
        # The clock starts once everyone has signed in: 50 scrypt sign-ins in the first
        # seconds queue every page behind them, which is a start-up storm, not the pages'
        # speed (sign-in is slow on purpose and not held to the page target).
        SIGNED_IN.append(self.site)
        if len(SIGNED_IN) == USERS:
            self.environment.runner.stats.reset_all()
            # The measured part lasts LOAD_SECONDS however long signing everyone in took: on
            # a busy machine 50 sign-ins took most of a fixed run time, leaving 8 s measured.
            if SECONDS:
                gevent.spawn_later(SECONDS, self.environment.runner.quit)

    def _site(self, path: str, name: str):  # noqa: ANN202
        return self.client.get(f"/sites/{self.site}{path}", name=name)

    @task(3)
    def overview(self) -> None:
        self._site("/", "overview")

    @task(5)
    def plan(self) -> None:
        page = self._site("/plan", "plan")
        self.task_ids = TASK_LINK.findall(page.text) or self.task_ids

    @task(2)
    def people(self) -> None:
        self._site("/people", "people")

    @task(2)
    def meetings(self) -> None:
        self._site("/meetings", "meetings")

    @task(2)
    def actions(self) -> None:
        self._site("/actions", "action log")

    @task(2)
    def risks(self) -> None:
        self._site("/risks", "risks")

    @task(1)
    def gateways(self) -> None:
        self._site("/gateways", "gateways")

    @task(1)
    def kpis(self) -> None:
        self._site("/kpis", "kpis")

    @task(1)
    def timeline(self) -> None:
        self._site("/timeline", "timeline")

    @task(1)
    def portfolio(self) -> None:
        self.client.get("/portfolio", name="portfolio")

    @task(1)
    def pid(self) -> None:
        self._site("/documents/pid.docx", "pid.docx")

    @task(2)
    def comment_on_a_task(self) -> None:
        if not self.task_ids:
            return
        task_id = random.choice(self.task_ids)
        page = self._site(f"/tasks/{task_id}", "one task")
        match = TOKEN.search(page.text)
        if match:
            self.client.post(
                f"/sites/{self.site}/tasks/{task_id}/comments",
                data={"body": "Checked with the team today.", "csrf_token": match.group(1)},
                name="comment on a task",
            )
