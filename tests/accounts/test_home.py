"""Small things on the start pages (issue 20): the operator's "My account" leads to the
administration, and the home page's "see what schools need" says that it takes a log-in."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_operators_account_page_links_to_the_administration(client):
    operator = f.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(operator)
    html = client.get("/me/").content.decode()
    assert f'href="{reverse("admin:index")}"' in html and "Gå til administrationen" in html
    assert "endnu ikke knyttet til en skole" not in html


def test_an_ordinary_account_page_has_no_administration_link(client):
    client.force_login(f.UserFactory())
    html = client.get("/me/").content.decode()
    assert reverse("admin:index") not in html


def test_the_needs_button_tells_visitors_to_log_in(client, teacher):
    html = client.get("/").content.decode()
    needs = reverse("schools:need_list")
    assert f'href="{reverse("accounts:login")}?next={needs}"' in html
    assert "log ind for at se dem" in html
    # Followed, the button ends on the log-in page, which leads back to the needs.
    assert client.get(needs)["Location"].startswith(reverse("accounts:login"))
    client.force_login(teacher)
    html = client.get("/").content.decode()
    assert f'href="{needs}"' in html and "log ind for at se dem" not in html
