"""The page frame's fixed parts, rendered once per process (``portal/frame.py``): every visitor
gets the HTML its templates give for them, with their own name, token and return path."""

import re

import pytest
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from portal import frame

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
PATH = '/?q=sv%C3%B8m+"<x>"&a=1&a=%26'
ROLES = ("school", "school_leader", "association", "consultant")


def header(html: str) -> str:
    return html[html.index('<a class="visually-hidden-focusable') : html.index("\n  <main")]


def template_header(response, roles=(), short_name="", token=None) -> str:
    """``partials/_header.html`` rendered directly, with the values the page should show."""
    context = {
        "signed_in": response.wsgi_request.user.is_authenticated,
        "roles": {name: name in roles for name in ROLES},
        "short_name": short_name,
        "language_next": urlencode(response.wsgi_request.get_full_path()),
    }
    if token:
        context["csrf_token"] = token
    with translation.override("da"):
        return render_to_string("partials/_header.html", context).removesuffix("\n")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("visitor", "roles"),
    [
        ("anonymous", ()),
        ("teacher", ("school",)),
        ("department_head", ("school", "school_leader")),
        ("association_member", ("association",)),
        ("consultant", ("consultant",)),
    ],
)
def test_the_header_is_its_template_for_each_visitor(request, client, visitor, roles):
    user = None if visitor == "anonymous" else request.getfixturevalue(visitor)
    if user is not None:
        user.full_name = "<b>Ann</b>&Co Hansen"
        user.save()
        client.force_login(user)
    for _ in range(2):  # the first page renders the part, the second fills the stored one
        response = client.get(PATH)
        html = response.content.decode()
        tokens = TOKEN.findall(header(html))
        assert len(tokens) == (0 if user is None else 1)
        expected = template_header(response, roles, "<b>Ann</b>&Co", tokens[0] if tokens else None)
        assert header(html) == expected
        assert ("&lt;b&gt;Ann&lt;/b&gt;&amp;Co</summary>" in html) == (user is not None)
        assert "?next=/%3Fq%3Dsv%25C3%25B8m%2B%2522%253Cx%253E%2522%26a%3D1%26a%3D%2526" in html
    assert "frame-slot" not in html


@pytest.mark.django_db
def test_each_page_has_a_new_log_out_token_that_logs_out(teacher):
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    first, second = (TOKEN.findall(client.get("/").content.decode()) for _ in range(2))
    assert first != second
    response = client.post("/logout/", {"csrfmiddlewaretoken": second[0]})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_languages_and_roles_have_their_own_parts(client, teacher, consultant):
    client.force_login(teacher)
    danish = client.get("/").content.decode()
    client.cookies["portal_language"] = "en"
    english = client.get("/").content.decode()
    assert ">Min skole<" in danish and ">My school<" in english
    assert "Dashboard" not in english
    client.force_login(consultant)
    html = client.get("/").content.decode()
    assert ">Dashboard<" in html and ">My school<" not in html
    assert len(frame._rendered) >= 4  # (header, footer) x (Danish, English) and the consultant's
