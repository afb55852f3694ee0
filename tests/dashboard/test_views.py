"""Who sees the dashboard, of which municipality, and how many queries it costs."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from tests import factories as f

from .conftest import YEAR
from .factories import BookingFactory, EvaluationFactory, local

URL = reverse("dashboard:index")


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, {"period": YEAR, **params})


def test_anonymous_goes_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    "who", ["teacher", "department_head", "association_member", "association_admin"]
)
def test_school_staff_and_association_members_are_refused(client, request, who):
    user = request.getfixturevalue(who)
    assert get(client, user).status_code == 403
    response = client.get(reverse("dashboard:export", args=["collaborations-by-school", "csv"]))
    assert response.status_code == 403


def test_a_plain_user_is_refused(client, db):
    assert get(client, f.UserFactory()).status_code == 403


def test_consultant_sees_the_numbers(client, consultant, data):
    response = get(client, consultant)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Overblik: Helsingør Kommune" in html
    assert "Skole C" in html  # no collaboration this year
    assert "Rigtig god dag" in html
    summary = response.context["summary"]
    assert summary["collaborations"] == 3
    assert summary["prev_collaborations"] == 1
    assert summary["pupils"] == 67
    assert summary["schools_without"] == 1
    assert summary["screening_waiting"] == 1
    assert summary["pupils_joined"] == 5
    assert html.count("<h1") == 1


def test_consultant_never_sees_another_municipality(client, consultant, data):
    response = get(client, consultant, municipality="fredensborg")
    html = response.content.decode()
    assert response.context["municipality"].slug == "helsingor"
    assert "Fremmed Skole" not in html and "Fremmed Klub" not in html
    assert "Hemmelig kommentar" not in html
    assert response.context["summary"]["pupils"] == 67


def test_other_consultant_sees_only_fredensborg(client, other_consultant, data):
    response = get(client, other_consultant, municipality="helsingor")
    html = response.content.decode()
    assert response.context["municipality"].slug == "fredensborg"
    assert "Skole A" not in html and "Idrætsforeningen" not in html
    assert response.context["summary"]["collaborations"] == 1
    assert response.context["summary"]["pupils"] == 99


def test_superuser_picks_a_municipality(client, data):
    admin = f.UserFactory(is_superuser=True, is_staff=True)
    response = get(client, admin, municipality="fredensborg")
    assert response.context["municipality"].slug == "fredensborg"
    assert response.context["summary"]["pupils"] == 99
    assert get(client, admin, municipality="nowhere").status_code == 404


def test_period_defaults_to_the_current_school_year(client, consultant, data):
    from dashboard.services import current_school_year

    client.force_login(consultant)
    assert client.get(URL).context["year"] == current_school_year()
    assert client.get(URL, {"period": "nonsense"}).context["year"] == current_school_year()
    assert client.get(URL, {"period": "2024"}).context["summary"]["collaborations"] == 1
    old = client.get(URL, {"period": "2019"})
    assert old.context["year"] == 2019 and (2019, "2019/20") in old.context["years"]
    assert client.get(URL, {"period": "1850"}).context["year"] == current_school_year()


def test_charts_are_accessible_svg(client, consultant, data):
    html = get(client, consultant).content.decode()
    assert html.count('role="img"') == 8  # with the partnerships' two
    assert 'aria-labelledby="chart-collaborations-by-month-title' in html
    assert '<title id="chart-collaborations-by-school-title">' in html
    assert "<caption" in html
    assert "style=" not in html and "<script>" not in html


def _add_many(municipality, n):
    school = f.SchoolFactory(municipality=municipality)
    for i in range(n):
        club = f.AssociationFactory(municipalities=[municipality])
        offer = f.OfferFactory(association=club, published=True, domain="music")
        booking = BookingFactory(
            offer=offer,
            school=f.SchoolFactory(municipality=municipality) if i % 2 else school,
            state="completed",
            starts_at=local(2025, 9 + i % 4, 1 + i),
            grade=i % 11,
        )
        EvaluationFactory(booking=booking, comment=f"Kommentar {i}")


def test_the_number_of_queries_does_not_grow_with_the_data(
    client, consultant, municipality, django_assert_max_num_queries
):
    client.force_login(consultant)
    client.get(URL, {"period": YEAR})  # warm the content-type cache
    cache.clear()  # the worst case: nothing cached (the user's roles)
    with django_assert_max_num_queries(30) as few:
        assert client.get(URL, {"period": YEAR}).status_code == 200
    _add_many(municipality, 25)
    cache.clear()
    with django_assert_max_num_queries(30) as many:
        response = client.get(URL, {"period": YEAR})
    assert response.context["summary"]["collaborations"] == 25
    assert response.context["tables"]["evaluation_comments"].total == 25
    assert len(many.captured_queries) == len(few.captured_queries)


def test_long_tables_are_cut_on_the_page_but_not_in_the_download(
    client, consultant, municipality, monkeypatch
):
    from dashboard import views

    _add_many(municipality, 4)
    monkeypatch.setattr(views, "PAGE_ROWS", 3)
    response = get(client, consultant)
    table = response.context["tables"]["evaluation_comments"]
    assert (len(table.cells), table.total, table.hidden) == (3, 4, 1)
    assert "Viser de første 3 af 4 rækker" in response.content.decode()
    csv_response = client.get(
        reverse("dashboard:export", args=["evaluation-comments", "csv"]), {"period": YEAR}
    )
    assert csv_response.content.decode("utf-8-sig").count("Kommentar ") == 4


def test_english_page_says_what_it_means(client, consultant, data):
    client.force_login(consultant)
    client.cookies["portal_language"] = "en"
    html = client.get(URL, {"period": YEAR}).content.decode()
    assert "Dashboard: Helsingør Kommune" in html
    assert "Pupils who later joined an association" in html
    assert "as reported in evaluations" in html
    assert ">Expired<" in html


def test_every_chart_has_a_visible_title_and_the_sections_can_be_jumped_to(
    client, consultant, data
):
    html = get(client, consultant).content.decode()
    charts = re.findall(r'<figcaption id="chart-([\w-]+)-caption"[^>]*>([^<]+)</figcaption>', html)
    assert len(charts) == 8 and all(title.strip() for _slug, title in charts)
    assert '<nav aria-label="Overblikkets afsnit" class="mb-4" id="sections">' in html
    sections = ("collaborations", "reach", "screening", "bookings", "subsidy", "evaluations")
    for anchor in (*sections, "partnerships"):
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    assert html.count('href="#sections"') == 7


def test_no_chart_text_is_drawn_below_12_px():
    """The SVG keeps its own width (640 units = 640 px) at least, so a font size of 12 in its
    units is at least 12 px on any screen; narrower screens scroll the chart."""
    css = (settings.BASE_DIR / "static/css/charts.css").read_text()
    svg_rule = re.search(r"\.dashboard-svg \{([^}]*)\}", css).group(1)
    assert "min-width: 640px" in svg_rule
    sizes = [int(px) for px in re.findall(r"\.dashboard-svg[^{]*\{[^}]*font-size: (\d+)px", css)]
    assert sizes and min(sizes) >= 12
    from portal.charts import WIDTH

    assert WIDTH == 640


def test_a_table_row_is_headed_by_its_name_escaped_with_numbers_to_the_right(
    client, consultant, data
):
    """The rows are joined in Python (``TableView.body``): the same markup the template
    drew, with every name escaped."""
    data.school_b.name = "Skole <B> & co"
    data.school_b.save()
    html = get(client, consultant).content.decode()
    table = html.split('id="table-collaborations-by-school"', 1)[1].split("</table>", 1)[0]
    assert (
        '<tr><th scope="row" class="fw-normal">Skole A</th><td class="text-end">2</td>'
        '<td class="text-end">45</td>'
    ) in table
    assert '<th scope="row" class="fw-normal">Skole &lt;B&gt; &amp; co</th>' in table
    assert "<B>" not in html


def test_an_empty_table_says_so(client, consultant, data):
    html = get(client, consultant).content.decode()
    table = html.split('id="table-offers-hidden-certificates"', 1)[1].split("</table>", 1)[0]
    assert "Intet at vise for denne periode." in table
