"""The numbers equal what the hand-built data set says (see conftest.py)."""

from datetime import date
from decimal import Decimal

from associations.models import Offer
from bookings.models import SubsidyPool
from dashboard import services as s

from .conftest import YEAR


def by_name(rows, key="name"):
    return {r[key]: r for r in rows}


def test_school_year_bounds():
    start, end = s.school_year_range(2025)
    assert (start.date(), end.date()) == (date(2025, 8, 1), date(2026, 8, 1))
    assert s.school_year_of(date(2026, 7, 31)) == 2025
    assert s.school_year_of(date(2026, 8, 1)) == 2026
    assert s.school_year_label(2025) == "2025/26"
    months = s.school_year_months(2025)
    assert months[0] == date(2025, 8, 1) and months[-1] == date(2026, 7, 1) and len(months) == 12


def test_collaborations_by_month(data, municipality):
    rows = by_name(s.collaborations_by_month(municipality, YEAR), "month")
    assert len(rows) == 12
    assert rows[date(2025, 9, 1)] == {
        "month": date(2025, 9, 1),
        "collaborations": 1,
        "pupils": 20,
        "prev_collaborations": 1,
        "prev_pupils": 19,
    }
    assert rows[date(2025, 10, 1)]["collaborations"] == 2
    assert rows[date(2025, 10, 1)]["pupils"] == 47
    # Declined, cancelled and requested bookings are not collaborations.
    assert rows[date(2025, 11, 1)]["collaborations"] == 0
    assert rows[date(2026, 3, 1)]["collaborations"] == 0
    assert sum(r["collaborations"] for r in rows.values()) == 3
    assert sum(r["pupils"] for r in rows.values()) == 67


def test_collaborations_by_domain(data, municipality):
    rows = by_name(s.collaborations_by_domain(municipality, YEAR))
    assert set(rows) == {"Idræt", "Kultur og kunst"}
    assert rows["Idræt"]["collaborations"] == 2 and rows["Idræt"]["pupils"] == 42
    assert rows["Idræt"]["prev_collaborations"] == 1 and rows["Idræt"]["prev_pupils"] == 19
    assert rows["Kultur og kunst"]["collaborations"] == 1
    assert rows["Kultur og kunst"]["pupils"] == 25


def test_collaborations_by_school_and_association(data, municipality):
    schools = by_name(s.collaborations_by_school(municipality, YEAR))
    assert list(schools) == ["Skole A", "Skole B", "Skole C"]
    assert (schools["Skole A"]["collaborations"], schools["Skole A"]["pupils"]) == (2, 45)
    assert (schools["Skole B"]["collaborations"], schools["Skole B"]["pupils"]) == (1, 22)
    assert (schools["Skole C"]["collaborations"], schools["Skole C"]["prev_collaborations"]) == (
        0,
        1,
    )
    associations = by_name(s.collaborations_by_association(municipality, YEAR))
    assert set(associations) == {"Idrætsforeningen"}
    assert associations["Idrætsforeningen"]["collaborations"] == 3
    assert associations["Idrætsforeningen"]["pupils"] == 67


def test_collaborations_by_grade_band(data, municipality):
    rows = s.collaborations_by_grade_band(municipality, YEAR)
    assert [(r["collaborations"], r["pupils"], r["prev_collaborations"]) for r in rows] == [
        (1, 20, 1),
        (1, 25, 0),
        (1, 22, 0),
    ]


def test_reach(data, municipality):
    schools = s.schools_without_collaboration(municipality, YEAR)
    assert schools == [{"name": "Skole C", "prev_collaborations": 1, "open_requests": 0}]
    assert s.associations_without_booking(municipality, YEAR) == [
        {"name": "Koret", "approved_offers": 1}
    ]
    never = s.offers_never_booked(municipality, YEAR)
    assert [(r["title"], r["association"]) for r in never] == [("Sang", "Koret")]


def test_schools_with_only_open_requests_are_listed(data, municipality):
    # Skole B's requested booking in March does not count, but B has a completed one.
    rows = s.schools_without_collaboration(municipality, 2026)
    assert {r["name"] for r in rows} == {"Skole A", "Skole B", "Skole C"}


def test_screening(data, municipality):
    waiting = s.screening_waiting(municipality)
    assert [(r["name"], r["days_waiting"]) for r in waiting] == [("Kor i klassen", 10)]
    decisions = by_name(s.screening_decisions_by_month(municipality, YEAR), "month")
    assert decisions[date(2025, 9, 1)] == {
        "month": date(2025, 9, 1),
        "approved": 2,
        "changes_requested": 1,
        "rejected": 0,
    }
    assert decisions[date(2025, 12, 1)]["rejected"] == 1
    assert sum(r["approved"] for r in decisions.values()) == 2  # not 2024's, not Fredensborg's
    expiring = s.approvals_expiring(municipality)
    assert [(r["kind"], r["name"]) for r in expiring] == [("Tilbud", "Sang")]


def test_bookings_not_held_and_waiting_lists(data, municipality):
    rows = s.bookings_not_held(municipality, YEAR)
    declined, expired, cancelled = (r["name"] for r in rows)
    rows = by_name(rows)
    assert (declined, expired, cancelled) == ("Afvist", "Udløbet", "Aflyst")
    assert rows[declined]["bookings"] == 1 and rows[declined]["pupils"] == 18
    assert rows[cancelled]["bookings"] == 1 and rows[cancelled]["pupils"] == 15
    assert rows[expired]["bookings"] == 0
    lists = s.waiting_lists(municipality, YEAR)
    assert lists == [
        {
            "offer": "Løb",
            "association": "Idrætsforeningen",
            "date": date(2026, 2, 10),
            "schools": 1,
            "pupils": 24,
            "places": 1,
        }
    ]


def test_subsidy(data, municipality):
    assert s.subsidy_pool(municipality, YEAR) == [
        {
            "school_year": "2025/26",
            "amount": Decimal("10000"),
            "reserved": Decimal("500"),
            "spent": Decimal("1200"),
            "left": Decimal("8300"),
        }
    ]
    assert s.subsidy_pool(municipality, 2024) == []
    rows = by_name(s.subsidy_by_school(municipality, YEAR))
    assert rows["Skole A"]["reserved"] == Decimal("500") and rows["Skole A"]["spent"] == 0
    assert rows["Skole B"]["spent"] == Decimal("1200.25")
    assert rows["Skole B"]["school_share"] == Decimal("1200.25")
    assert rows["Skole B"]["left_of_cap"] is None  # the pool has no cap per school
    SubsidyPool.objects.filter(school_year=YEAR).update(cap_per_school=Decimal("2000"))
    rows = by_name(s.subsidy_by_school(municipality, YEAR))
    assert rows["Skole A"]["left_of_cap"] == Decimal("1500")
    assert rows["Skole B"]["left_of_cap"] == Decimal("799.75")


def test_evaluations(data, municipality):
    associations = s.evaluations_by_association(municipality, YEAR)
    assert associations == [
        {
            "name": "Idrætsforeningen",
            "evaluations": 3,
            "average": Decimal("4.3"),
            "pupils_joined": 5,
        }
    ]
    domains = by_name(s.evaluations_by_domain(municipality, YEAR))
    assert domains["Idræt"]["average"] == Decimal("4.5")
    assert domains["Idræt"]["pupils_joined"] == 2
    assert domains["Kultur og kunst"]["average"] == Decimal("4.0")
    comments = s.evaluation_comments(municipality, YEAR)
    assert [(c["comment"], c["rating"], c["school"]) for c in comments] == [
        ("Rigtig god dag", 4, "Skole A")
    ]


def test_other_municipality_sees_only_its_own(data, other_municipality):
    months = s.collaborations_by_month(other_municipality, YEAR)
    assert sum(r["collaborations"] for r in months) == 1
    assert sum(r["pupils"] for r in months) == 99
    assert [r["name"] for r in s.collaborations_by_school(other_municipality, YEAR)] == [
        "Fremmed Skole"
    ]
    comments = s.evaluation_comments(other_municipality, YEAR)
    assert [c["comment"] for c in comments] == ["Hemmelig kommentar"]
    assert s.screening_waiting(other_municipality) == []
    assert s.subsidy_pool(other_municipality, YEAR) == []
    decisions = s.screening_decisions_by_month(other_municipality, YEAR)
    assert sum(r["approved"] for r in decisions) == 1


def test_every_table_answers_for_an_empty_municipality(municipality):
    for slug, table in s.TABLES.items():
        rows = table.rows(municipality, YEAR)
        assert isinstance(rows, list), slug


def test_a_waiting_request_is_not_a_collaboration_but_is_shown(data, municipality):
    from .factories import BookingFactory, local

    BookingFactory(offer=data.sport, school=data.school_c, state="requested",
                   starts_at=local(2026, 4, 14))  # fmt: skip
    BookingFactory(offer=data.sport, school=data.school_c, state="alternative_proposed",
                   starts_at=local(2026, 5, 5))  # fmt: skip
    BookingFactory(offer=data.sport, school=data.school_c, state="declined",
                   starts_at=local(2026, 5, 6))  # fmt: skip
    rows = s.schools_without_collaboration(municipality, YEAR)
    assert rows == [{"name": "Skole C", "prev_collaborations": 1, "open_requests": 2}]


def test_school_year_and_months_follow_danish_local_time(data, municipality):
    from .factories import BookingFactory, local

    # Midnight on 1 August in Copenhagen is still 31 July in UTC.
    BookingFactory(offer=data.sport, school=data.school_c, state="completed",
                   starts_at=local(2025, 8, 1, 0), pupils=11)  # fmt: skip
    BookingFactory(offer=data.sport, school=data.school_c, state="completed",
                   starts_at=local(2025, 7, 31, 23), pupils=13)  # fmt: skip
    rows = by_name(s.collaborations_by_month(municipality, YEAR), "month")
    assert (rows[date(2025, 8, 1)]["collaborations"], rows[date(2025, 8, 1)]["pupils"]) == (1, 11)
    previous = by_name(s.collaborations_by_month(municipality, YEAR - 1), "month")
    assert previous[date(2025, 7, 1)]["pupils"] == 13
    assert s.schools_without_collaboration(municipality, YEAR) == []


def test_the_tables_agree_with_each_other(data, municipality):
    tables = s.all_tables(municipality, YEAR)
    total = sum(r["collaborations"] for r in tables["collaborations-by-month"])
    for slug in (
        "collaborations-by-domain",
        "collaborations-by-school",
        "collaborations-by-association",
        "collaborations-by-grade",
    ):
        assert sum(r["collaborations"] for r in tables[slug]) == total == 3, slug
    assert tables["bookings-not-held"] == s.bookings_not_held(municipality, YEAR)


def test_new_or_edit_says_edit_as_a_noun(data, municipality):
    """Issue 20: the column "Ny eller ændring" showed "Redigér" (the button's verb)."""
    from screening import services as screening

    live = Offer.objects.filter(association__municipalities=municipality, title="Sang").get()
    edit = screening.start_revision(live)
    edit.title = "Sang og bevægelse"
    edit.save()
    screening.transition(edit, "submit")
    kinds = {r["name"]: r["is_edit"] for r in s.screening_waiting(municipality)}
    assert kinds == {"Kor i klassen": "Ny", "Sang og bevægelse": "Ændring"}
