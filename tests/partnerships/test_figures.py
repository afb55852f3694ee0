"""Yearly figures (issue 21, step 6): the partner reports once a year and corrects the same
row, the rules hold in the form and in the database, the reminder goes out once a year by the
municipality's rule, and only the partner's members and the municipality's consultants see
the figures (through the pages)."""

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from bookings import reminders as booking_reminders
from notifications import kinds
from notifications.models import Notification, ReminderRule
from notifications.services import claim_and_send
from partnerships import figures, services
from partnerships.models import YearlyFigures
from privacy.services import delete_account, export_user_data

from .conftest import make_partnership

pytestmark = pytest.mark.django_db

#: 14 days after the end of 2026: the default rule's day.
REMINDER_DAY = "2027-01-15 09:00 +01:00"
GOOD = {"members_under_18": 120, "members_under_25": 180, "volunteers": 25}


def url(partnership):
    return reverse("partnerships:figures", args=[partnership.association.slug, partnership.pk])


@pytest.fixture
def active(partnership, consultant):
    return services.transition(partnership, "activate", by=consultant)


def figures_mails():
    """The figures reminders sent (activating a partnership sends e-mails of its own)."""
    return [m for m in mail.outbox if "2026" in m.subject]


# --- Reporting and its rules ------------------------------------------------------------------


@time_machine.travel(REMINDER_DAY)
def test_a_correction_changes_the_same_row(partnership, association_member):
    first = figures.report(partnership, 2026, by=association_member, **GOOD)
    again = figures.report(partnership, 2026, by=association_member, **{**GOOD, "volunteers": 30})
    assert first.pk == again.pk
    row = YearlyFigures.objects.get()
    assert row.volunteers == 30 and row.members_target_areas is None
    assert row.reported_by == association_member


@time_machine.travel(REMINDER_DAY)
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"members_under_18": 200}, "__all__"),  # more under 18 than under 25
        ({"members_target_areas": 181}, "__all__"),
        ({"members_under_25": 100_001, "members_under_18": 1}, "members_under_25"),
        ({"volunteers": 10_001}, "__all__"),
        ({"volunteers": -1}, "volunteers"),
    ],
)
def test_impossible_figures_are_refused(partnership, changes, field):
    with pytest.raises(ValidationError):
        figures.report(partnership, 2026, **{**GOOD, **changes})
    assert not YearlyFigures.objects.exists()


@time_machine.travel(REMINDER_DAY)
def test_only_the_partnerships_years_and_only_associations(
    partnership, club, municipality, consultant
):
    assert figures.reportable_years(partnership) == [2027, 2026, 2025, 2024, 2023]
    with pytest.raises(ValidationError):
        figures.report(partnership, 2022, **GOOD)
    with pytest.raises(ValidationError):
        figures.report(partnership, 2028, **GOOD)  # not yet
    institution = make_partnership(municipality, consultant, institution=club)
    with pytest.raises(ValidationError):
        figures.report(institution, 2026, **GOOD)


def test_the_database_holds_the_rules_too(partnership):
    YearlyFigures.objects.create(partnership=partnership, year=2026, **GOOD)
    for values in (
        {"year": 2026, **GOOD},  # a second row for the year
        {"year": 2025, **GOOD, "members_under_18": 181},
        {"year": 2025, **GOOD, "members_target_areas": 500},
        {"year": 2025, **GOOD, "volunteers": 10_001},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            YearlyFigures.objects.create(partnership=partnership, **values)


# --- What is missing, the trends --------------------------------------------------------------


def test_figures_missing_asks_active_association_partnerships_running_that_year(
    partnership, active, club, municipality, consultant, foreign_partnership
):
    institution = make_partnership(municipality, consultant, institution=club)
    services.transition(institution, "activate", by=consultant)
    everyone = type(partnership).objects.all()
    assert list(figures.figures_missing(everyone, 2026)) == [partnership]
    assert not figures.figures_missing(everyone, 2025).exists()  # began in 2026
    YearlyFigures.objects.create(partnership=partnership, year=2026, **GOOD)
    assert not figures.figures_missing(everyone, 2026).exists()


def test_youth_trend_sums_the_municipalitys_partners_per_year(
    partnership, other_association, municipality, consultant, foreign_partnership
):
    second = make_partnership(municipality, consultant, association=other_association)
    # Named here: the factory's "Forening 9" sorts after "Forening 10" (partners are listed
    # by name), so the default names made the order depend on how many tests ran before.
    type(other_association).objects.filter(pk=partnership.association_id).update(name="Atletik")
    type(other_association).objects.filter(pk=other_association.pk).update(name="Boldklub")
    YearlyFigures.objects.create(partnership=partnership, year=2025, **GOOD)
    YearlyFigures.objects.create(partnership=partnership, year=2026, **GOOD)
    YearlyFigures.objects.create(
        partnership=second,
        year=2026,
        members_under_18=10,
        members_under_25=20,
        volunteers=5,
        members_target_areas=7,
    )
    YearlyFigures.objects.create(partnership=foreign_partnership, year=2026, **GOOD)
    trend = figures.youth_trend(municipality)
    assert [(r["year"], r["members_under_25"], r["partners"]) for r in trend] == [
        (2025, 180, 1),
        (2026, 200, 2),
    ]
    assert trend[1]["members_target_areas"] == 7
    partners = figures.partner_trends(municipality)
    assert [(str(p["partnership"].partner), len(p["rows"])) for p in partners] == [
        ("Atletik", 2),
        ("Boldklub", 1),
    ]
    chart = figures.trend_chart("t", "Trend", trend)
    assert [m.label for m in chart.months] == ["2025", "2026"]


# --- The reminder -----------------------------------------------------------------------------


def test_a_figures_rule_counts_after_the_end_of_the_year_to_the_association(municipality):
    rule = ReminderRule(
        municipality=municipality,
        kind=ReminderRule.Kind.FIGURES,
        days=3,
        anchor=ReminderRule.Anchor.BEFORE_START,
        recipients=ReminderRule.Recipients.SCHOOL,
    )
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert {"anchor", "recipients"} <= set(error.value.message_dict)


def test_the_reminder_goes_once_a_year_to_the_resource_person(active, municipality):
    with time_machine.travel("2027-01-14 09:00 +01:00"):
        assert figures.scan_figures_reminders() == 0  # not yet
    with time_machine.travel(REMINDER_DAY):
        assert figures.scan_figures_reminders() == 1
        assert figures.scan_figures_reminders() == 0
        assert booking_reminders.scan_booking_reminders() == 0  # not a booking rule
    with time_machine.travel("2027-01-16 09:00 +01:00"):  # the grace day
        assert figures.scan_figures_reminders() == 0
    [message] = figures_mails()
    assert message.to == ["sara@example.org"]
    assert "2026" in message.subject and active.association.name in message.subject
    assert url(active) in message.body
    assert Notification.objects.filter(kind="partnerships.figures").count() == 1


def test_no_reminder_when_reported_or_the_rule_is_off(active, municipality):
    with time_machine.travel(REMINDER_DAY):
        YearlyFigures.objects.create(partnership=active, year=2026, **GOOD)
        assert figures.scan_figures_reminders() == 0
        YearlyFigures.objects.all().delete()
        ReminderRule.objects.filter(kind=ReminderRule.Kind.FIGURES).update(is_active=False)
        assert figures.scan_figures_reminders() == 0
    assert figures_mails() == []


def test_figures_reported_after_queueing_stop_the_email(active, association_member, monkeypatch):
    monkeypatch.setattr(figures.rules, "send_batch", lambda rows: 0)  # queue, send later
    with time_machine.travel(REMINDER_DAY):
        rule = ReminderRule.objects.get(kind=ReminderRule.Kind.FIGURES)
        figures.remind(rule, [active], 2026)
        figures.report(active, 2026, by=association_member, **GOOD)
        notification = Notification.objects.get(kind="partnerships.figures")
        assert kinds.get(notification.kind).still_wanted is figures.figures_still_wanted
        claim_and_send([notification.pk])
    notification.refresh_from_db()
    assert notification.state == Notification.State.SKIPPED
    assert figures_mails() == []


# --- The pages --------------------------------------------------------------------------------


@time_machine.travel(REMINDER_DAY)
def test_the_member_reports_corrects_and_sees_the_trend(client, association_member, active):
    client.force_login(association_member)
    page = client.get(url(active))
    assert page.status_code == 200
    html = page.content.decode()
    assert "alert-warning" in html  # the figures of 2026 are missing
    data = {"year": "2026", **{k: str(v) for k, v in GOOD.items()}}
    assert client.post(url(active), data).status_code == 302
    assert client.post(url(active), data).status_code == 302  # a second click
    client.post(url(active), {**data, "members_target_areas": "40"})
    row = YearlyFigures.objects.get()
    assert row.members_target_areas == 40
    html = client.get(url(active)).content.decode()
    assert "<svg" in html and "180" in html and "alert-warning" not in html
    edit = client.get(url(active), {"year": "2026"})
    assert edit.context["form"].initial["members_target_areas"] == 40


@time_machine.travel(REMINDER_DAY)
@pytest.mark.parametrize(
    ("typed", "saved"),
    [("2.000", 2000), ("1.200", 1200), ("1 500", 1500), ("2000", 2000), (" 45 ", 45)],
)
def test_danish_thousands_are_read_as_one_number(client, association_member, active, typed, saved):
    """Django's own IntegerField reads "2.000" as 2 (and refuses "1.200")."""
    client.force_login(association_member)
    data = {"year": "2026", **{k: str(v) for k, v in GOOD.items()}, "volunteers": typed}
    data["members_under_18"] = data["members_under_25"] = "12.500"
    assert client.post(url(active), data).status_code == 302
    row = YearlyFigures.objects.get()
    assert (row.volunteers, row.members_under_25) == (saved, 12500)


@time_machine.travel(REMINDER_DAY)
@pytest.mark.parametrize(
    "changes",
    [
        {"volunteers": "2,5"},
        {"volunteers": "2.5"},
        {"volunteers": "20.00"},
        {"volunteers": "1.2.3"},
        {"year": "1999"},
        {"year": "abc"},
        {"year": "20\x0026"},
        {"members_under_18": "-5"},
        {"members_under_18": "181"},
        {"members_under_25": "99999999999999999999999"},
        {"volunteers": "1e3"},
        {"volunteers": ""},
        {"members_target_areas": "\x00"},
    ],
)
def test_hostile_input_gives_the_form_again(client, association_member, active, changes):
    client.force_login(association_member)
    data = {"year": "2026", **{k: str(v) for k, v in GOOD.items()}, **changes}
    response = client.post(url(active), data)
    assert response.status_code == 400
    assert not YearlyFigures.objects.exists()
    for errors in response.context["form"].errors.values():  # each error said once
        assert len(errors) == len(set(errors)), errors


def test_strangers_never_see_the_figures(
    client,
    other_association_admin,
    teacher,
    other_consultant,
    active,
    club,
    municipality,
    consultant,
):
    YearlyFigures.objects.create(partnership=active, year=2026, **GOOD)
    assert client.get(url(active)).status_code == 302  # log in first
    for user in (other_association_admin, teacher, other_consultant):
        client.force_login(user)
        assert client.get(url(active)).status_code == 404
        assert client.post(url(active), {"year": "2026", **GOOD}).status_code == 404
    client.force_login(other_consultant)
    overview = client.get(reverse("partnerships:figures_overview"))
    assert active.association.name not in overview.content.decode()
    client.force_login(teacher)
    assert client.get(reverse("partnerships:figures_overview")).status_code == 404


def test_an_institution_has_no_figures_page(
    client, association_member, association, club, municipality, consultant
):
    institution = make_partnership(municipality, consultant, institution=club)
    client.force_login(association_member)
    path = reverse("partnerships:figures", args=[association.slug, institution.pk])
    assert client.get(path).status_code == 404


@time_machine.travel(REMINDER_DAY)
def test_the_consultant_sees_every_partner_and_the_totals(
    client, consultant, active, other_association, municipality
):
    second = make_partnership(municipality, consultant, association=other_association)
    services.transition(second, "activate", by=consultant)
    YearlyFigures.objects.create(partnership=active, year=2025, **GOOD)
    YearlyFigures.objects.create(partnership=active, year=2026, **GOOD)
    client.force_login(consultant)
    response = client.get(reverse("partnerships:figures_overview"))
    assert response.status_code == 200
    assert [p.pk for p in response.context["missing"]] == [second.pk]
    html = response.content.decode()
    assert "<svg" in html and active.association.name in html
    assert [r["year"] for r in response.context["totals"]] == [2025, 2026]


@time_machine.travel(REMINDER_DAY)
def test_with_no_partner_to_report_the_page_does_not_say_all_have_reported(
    client, consultant, active
):
    """ "Every active partner has reported" only when some partner reports at all."""
    client.force_login(consultant)
    html = client.get(reverse("partnerships:figures_overview")).content.decode()
    assert "Alle aktive partnerforeninger har indberettet" not in html  # one is missing
    YearlyFigures.objects.create(partnership=active, year=2026, **GOOD)
    html = client.get(reverse("partnerships:figures_overview")).content.decode()
    assert "Alle aktive partnerforeninger har indberettet" in html
    active.state = "ended"
    active.save()
    html = client.get(reverse("partnerships:figures_overview")).content.decode()
    assert "Alle aktive partnerforeninger har indberettet" not in html
    assert "Ingen partnerforening skal indberette tal for 2026" in html
    assert reverse("partnerships:overview") in html


def test_the_partnership_list_links_the_figures(client, association_member, partnership):
    client.force_login(association_member)
    page = client.get(reverse("partnerships:association", args=[partnership.association.slug]))
    assert url(partnership) in page.content.decode()


# --- GDPR ---------------------------------------------------------------------------------------


def test_the_reporter_is_in_their_export_and_removed_on_deletion(association_member, partnership):
    with time_machine.travel(REMINDER_DAY):
        figures.report(partnership, 2026, by=association_member, **GOOD)
    exported = export_user_data(association_member)["partnership_figures_reported"]
    assert exported[0]["year"] == 2026
    delete_account(association_member)
    row = YearlyFigures.objects.get()
    assert row.members_under_25 == 180  # the figures stay
    assert "Slettet" in row.reported_by.full_name


# --- The admin ----------------------------------------------------------------------------------


def test_the_consultant_sees_the_figures_in_the_admin_read_only(
    client, consultant, other_consultant, partnership, foreign_partnership
):
    mine = YearlyFigures.objects.create(partnership=partnership, year=2026, **GOOD)
    YearlyFigures.objects.create(partnership=foreign_partnership, year=2026, **GOOD)
    client.force_login(consultant)
    listing = client.get("/admin/partnerships/yearlyfigures/")
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == [mine]
    change = client.get(reverse("admin:partnerships_yearlyfigures_change", args=[mine.pk]))
    assert change.status_code == 200 and not change.context["has_change_permission"]
    client.post(
        reverse("admin:partnerships_yearlyfigures_change", args=[mine.pk]),
        {"year": 2026, "members_under_18": 1, "members_under_25": 1, "volunteers": 1},
    )
    mine.refresh_from_db()
    assert mine.members_under_18 == 120
    page = client.get(reverse("admin:partnerships_partnership_change", args=[partnership.pk]))
    html = page.content.decode()
    assert "2026: 180 / 120 / 25" in html
    assert reverse("partnerships:figures_overview") in html


@time_machine.travel(REMINDER_DAY)
def test_a_new_year_starts_from_the_associations_profile(client, association_member, active):
    association = active.association
    association.members_under_18, association.members_under_25 = 77, 99
    association.save()
    client.force_login(association_member)
    form = client.get(url(active)).context["form"]
    assert (form.initial["members_under_18"], form.initial["members_under_25"]) == (77, 99)
    assert form.initial["year"] == 2026


def test_an_operator_picks_the_municipality(client, municipality, partnership, django_user_model):
    operator = django_user_model.objects.create_superuser(email="op@example.org", password="x")
    YearlyFigures.objects.create(partnership=partnership, year=2026, **GOOD)
    client.force_login(operator)
    overview = reverse("partnerships:figures_overview")
    for slug in (municipality.slug, "x" * 500, "æøå", "'; --"):
        assert client.get(overview, {"municipality": slug}).status_code == 200
    assert client.get(overview, {"municipality": "a\x00"}).status_code == 400  # middleware
    page = client.get(overview, {"municipality": municipality.slug})
    assert page.context["municipality"] == municipality
    assert [r["year"] for r in page.context["totals"]] == [2026]
    # The page lets the operator choose: the municipality is the selected option.
    html = page.content.decode()
    assert f'<option value="{municipality.slug}" selected>' in html
    assert 'name="municipality"' in html and "<form" in html


def test_a_consultant_sees_no_municipality_choice(client, consultant, municipality):
    client.force_login(consultant)
    page = client.get(reverse("partnerships:figures_overview"))
    assert page.status_code == 200 and 'name="municipality"' not in page.content.decode()


# --- The consultant's overview and the dashboard ---------------------------------------------


@time_machine.travel(REMINDER_DAY)
def test_the_overview_says_whose_figures_are_missing(
    client, consultant, active, other_association, club, municipality
):
    second = make_partnership(municipality, consultant, association=other_association)
    services.transition(second, "activate", by=consultant)
    institution = make_partnership(municipality, consultant, institution=club)
    YearlyFigures.objects.create(partnership=second, year=2026, **GOOD)
    client.force_login(consultant)
    response = client.get(reverse("partnerships:overview"))
    assert response.status_code == 200
    missing = {r["partnership"].pk: r["figures_missing"] for r in response.context["rows"]}
    assert missing == {active.pk: True, second.pk: False, institution.pk: None}


@time_machine.travel(REMINDER_DAY)
def test_the_dashboard_shows_the_youth_member_trend_with_downloads(
    client, consultant, active, municipality, foreign_partnership
):
    client.force_login(consultant)
    empty = client.get(reverse("dashboard:index"))
    assert "partnership_youth_members" not in empty.context["charts"]
    assert empty.context["figures_missing"] == 1
    YearlyFigures.objects.create(partnership=active, year=2025, **GOOD)
    YearlyFigures.objects.create(partnership=active, year=2026, **{**GOOD, "members_under_25": 200})
    YearlyFigures.objects.create(partnership=foreign_partnership, year=2026, **GOOD)
    page = client.get(reverse("dashboard:index"))
    chart = page.context["charts"]["partnership_youth_members"]
    assert [m.label for m in chart.months] == ["2025", "2026"]
    assert page.context["figures_missing"] == 0
    html = page.content.decode()
    assert (
        'id="partnership-youth-members"' in html and 'id="table-partnership-youth-members"' in html
    )
    csv = client.get(reverse("dashboard:export", args=["partnership-youth-members", "csv"]))
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[1:] == ["2025;120;180;25;;1", "2026;120;200;25;;1"]
    xlsx = client.get(reverse("dashboard:export", args=["partnership-youth-members", "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
