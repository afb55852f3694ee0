"""Fixtures for the usual cast (see STYLE.md): every view's tests include someone with no access."""

import os
import time

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.db import connection
from hypothesis import settings as hypothesis_settings

from tests import factories as f
from tests.mail import Mailbox, free_port

# Property-based tests (hypothesis, schemathesis) explore new inputs on every local run; CI
# (HYPOTHESIS_PROFILE=ci in .ci/run) replays a fixed set, so that a red build always means a
# change broke something. Write down what a local run finds as a test of its own.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def steady_clock():
    """Rate limits count in fixed windows (``portal.ratelimit``: per minute, per hour). A
    test that fills one starts at the top of the current minute, the clock running on, so
    that no window turns over while it runs (a CI run once crossed 19:00 inside one)."""
    now = time.time()
    with time_machine.travel(now - now % 60, tick=True):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: cached pages and lists are keyed by primary
    keys, which SQLite hands out again after a test's rollback."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["local"].clear()


@pytest.fixture
def municipality(db):
    return f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")


@pytest.fixture
def other_municipality(db):
    return f.MunicipalityFactory(name="Fredensborg Kommune", slug="fredensborg", code="210")


@pytest.fixture
def association(municipality):
    return f.AssociationFactory(municipalities=[municipality])


@pytest.fixture
def other_association(municipality):
    return f.AssociationFactory(municipalities=[municipality])


@pytest.fixture
def association_member(association):
    return f.AssociationMembershipFactory(association=association, role="member").user


@pytest.fixture
def association_admin(association):
    return f.AssociationMembershipFactory(association=association, role="admin").user


@pytest.fixture
def other_association_admin(other_association):
    return f.AssociationMembershipFactory(association=other_association, role="admin").user


@pytest.fixture
def school(municipality):
    return f.SchoolFactory(municipality=municipality)


@pytest.fixture
def other_school(municipality):
    return f.SchoolFactory(municipality=municipality)


@pytest.fixture
def teacher(school):
    return f.SchoolMembershipFactory(school=school, role="teacher").user


@pytest.fixture
def other_teacher(other_school):
    return f.SchoolMembershipFactory(school=other_school, role="teacher").user


@pytest.fixture
def department_head(school):
    return f.SchoolMembershipFactory(school=school, role="department_head").user


@pytest.fixture
def consultant(municipality):
    return f.ConsultantFactory(municipality=municipality).user


@pytest.fixture
def other_consultant(other_municipality):
    return f.ConsultantFactory(municipality=other_municipality).user


@pytest.fixture
def published_offer(association):
    return f.OfferFactory(association=association, published=True)


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` are skipped, with the reason, when the database is SQLite."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (CI does)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _no_stray_connections_at_the_end(django_db_setup, django_db_blocker):
    """Close what is left connected to the test database before it is dropped.

    After the browser tests a second connection of the test process can stay open (it was
    opened in another execution context, so ``connections.close_all()`` never sees it) and
    keeps PostgreSQL from dropping the test database, which pytest reports as a warning.
    """
    yield
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session")
def smtp_server():
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server, settings):
    """The real SMTP server, empty; this test process sends to it too."""
    smtp_server.handler.reset()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield smtp_server.handler
    smtp_server.handler.reset()
