"""`make bench` splits each page's CPU per request by process kind (bench/run.py)."""

import os
import sys

import pytest

from bench import run


def test_cpu_per_request_adds_up_each_kind_over_its_processes():
    before = {("gunicorn", "10"): 1.0, ("gunicorn", "11"): 2.0, ("postgres", "20"): 0.5}
    after = {
        ("gunicorn", "10"): 1.5,
        ("gunicorn", "11"): 2.3,
        ("gunicorn", "12"): 0.2,  # a worker that started during the run
        ("postgres", "20"): 0.6,
    }
    assert run.cpu_per_request(before, after, 1000) == {"gunicorn": 1.0, "postgres": 0.1}
    assert run.cpu_per_request(before, after, 0) == {}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs a PostgreSQL server on this machine (CI has one)",
)
def test_cpu_seconds_finds_the_database_server():
    sample = run.cpu_seconds()
    postgres = [seconds for (kind, _pid), seconds in sample.items() if kind == "postgres"]
    assert postgres and all(seconds >= 0 for seconds in postgres)
