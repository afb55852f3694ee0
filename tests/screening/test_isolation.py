"""A consultant of another municipality sees nothing of ours in the admin (issue point 8)."""

import pytest
from django.contrib.auth.models import Group

from screening import services
from screening.models import RejectionReason, ScreeningEvent
from screening.workflow import S, Transition
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(association, school, consultant):
    """Everything of our municipality a consultant could look at."""
    offer = services.transition(
        f.OfferFactory(association=association, title="Vores tilbud"), Transition.SUBMIT
    )
    services.add_note(offer, "Hemmelig note", by=consultant, internal=True)
    live = f.OfferFactory(association=association, published=True, title="Vores live")
    edit = services.start_revision(live)
    return {
        "association": association,
        "offer": offer,
        "edit": edit,
        "school": school,
        "membership": f.SchoolMembershipFactory(school=school, is_approved=False),
        "reason": RejectionReason.objects.create(
            municipality=school.municipality, code="VOR", text="Vores grund"
        ),
        "event": ScreeningEvent.objects.filter(object_id=offer.pk).first(),
    }


@pytest.fixture
def stranger(client, other_consultant, foreign_offer):
    client.force_login(other_consultant)
    return client


LISTS = [
    ("/admin/associations/association/", "association"),
    ("/admin/associations/offer/", "offer"),
    ("/admin/associations/offer/", "edit"),
    ("/admin/schools/school/", "school"),
    ("/admin/schools/schoolmembership/", "membership"),
    ("/admin/screening/rejectionreason/", "reason"),
    ("/admin/screening/screeningevent/", "event"),
]


@pytest.mark.parametrize(("url", "key"), LISTS)
def test_lists_and_search_show_nothing_of_ours(stranger, ours, url, key):
    obj = ours[key]
    for query in ["", f"?q={obj.pk}", "?q=Vores", "?q=Forening", "?q=Skole"]:
        response = stranger.get(url + query)
        assert response.status_code == 200
        pks = [o.pk for o in response.context["cl"].result_list]
        assert obj.pk not in pks or type(obj) is not response.context["cl"].model, (url, query)


def test_own_items_are_visible_to_the_stranger_so_the_list_is_not_just_empty(
    stranger, foreign_offer
):
    response = stranger.get("/admin/associations/offer/")
    assert [o.pk for o in response.context["cl"].result_list] == [foreign_offer.pk]


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("associations/association/{}/change/", "association"),
        ("associations/offer/{}/change/", "offer"),
        ("associations/offer/{}/change/", "edit"),
        ("schools/school/{}/change/", "school"),
        ("schools/schoolmembership/{}/change/", "membership"),
        ("screening/rejectionreason/{}/change/", "reason"),
        ("screening/screeningevent/{}/change/", "event"),
        ("associations/offer/{}/history/", "offer"),
    ],
)
def test_change_views_refuse_other_municipalities(stranger, ours, path, key):
    response = stranger.get("/admin/" + path.format(ours[key].pk))
    # The admin redirects to its index with "does not exist" (or answers 404).
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == "/admin/"


@pytest.mark.parametrize("action", ["approve", "request_changes", "reject", "start_review"])
def test_decision_views_answer_404(stranger, ours, action):
    url = f"/admin/associations/offer/{ours['offer'].pk}/decide/{action}/"
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"message": "x", "reason": ours["reason"].pk}).status_code == 404
    ours["offer"].refresh_from_db()
    assert ours["offer"].state == S.SUBMITTED


@pytest.mark.parametrize("view", ["note", "checklist"])
def test_note_and_checklist_answer_404(stranger, ours, view):
    url = f"/admin/associations/offer/{ours['offer'].pk}/{view}/"
    assert stranger.post(url, {"message": "x", "visibility": "internal"}).status_code == 404


@pytest.mark.parametrize(
    ("url", "action", "key"),
    [
        ("/admin/associations/offer/", "start_review_selected", "offer"),
        ("/admin/associations/offer/", "approve_selected", "offer"),
        ("/admin/associations/association/", "suspend_selected", "association"),
        ("/admin/schools/schoolmembership/", "approve_memberships", "membership"),
    ],
)
def test_actions_ignore_other_municipalities_ids(stranger, ours, url, action, key):
    obj = ours[key]
    stranger.post(url, {"action": action, "_selected_action": [obj.pk]})
    fresh = type(obj).objects.get(pk=obj.pk)
    if hasattr(fresh, "state"):
        assert fresh.state == obj.state
    else:
        assert not fresh.is_approved


def test_autocomplete_shows_nothing_of_ours(stranger, ours, foreign_association):
    response = stranger.get(
        "/admin/autocomplete/",
        {
            "app_label": "associations",
            "model_name": "offer",
            "field_name": "association",
            "term": "",
        },
    )
    assert response.status_code == 200
    ids = [int(r["id"]) for r in response.json()["results"]]
    assert ours["association"].pk not in ids
    assert foreign_association.pk in ids


def test_filter_choices_show_nothing_of_ours(stranger, ours):
    response = stranger.get("/admin/schools/schoolmembership/")
    body = response.content.decode()
    assert ours["school"].name not in body
    response = stranger.get("/admin/associations/offer/")
    assert "Vores" not in response.content.decode()
    assert ours["association"].name not in stranger.get("/admin/schools/school/").content.decode()


def test_admin_index_count_is_per_municipality(stranger, ours):
    response = stranger.get("/admin/")
    assert services.waiting_counts(response.wsgi_request.user) == {
        "association": 1,
        "offer": 1,
        "actionplan": 0,
        "item": 0,
    }


def test_municipality_admin_shows_only_own(stranger, municipality, other_municipality):
    response = stranger.get("/admin/municipalities/municipality/")
    assert [m.pk for m in response.context["cl"].result_list] == [other_municipality.pk]
    assert (
        stranger.get(f"/admin/municipalities/municipality/{municipality.pk}/change/").status_code
        == 302
    )


def test_users_and_consultants_are_not_for_consultants(stranger, consultant):
    assert stranger.get("/admin/accounts/user/").status_code == 403
    assert stranger.get("/admin/municipalities/consultant/").status_code == 403


def test_consultant_group_has_exactly_the_needed_permissions():
    group = Group.objects.get(name="Consultant")
    perms = sorted(f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all())
    assert perms == sorted(
        [
            "associations.change_association",
            "associations.change_offer",
            "associations.view_association",
            "associations.view_instructor",
            "associations.view_offer",
            # Areas on the map: consultants add and change them, never delete (geo 0002).
            "geo.add_maparea",
            "geo.change_maparea",
            "geo.view_maparea",
            "municipalities.change_municipality",
            "municipalities.view_municipality",
            # The knowledge bank: categories, tags, material and its pictures (knowledge 0002).
            *(
                f"knowledge.{action}_{model}"
                for model in ("category", "tag", "item", "itemphoto")
                for action in ("view", "add", "change")
            ),
            "knowledge.delete_itemphoto",  # a picture showing a pupil must go (0003)
            "partnerships.add_focusarea",
            "partnerships.change_actionplan",
            "partnerships.add_leisureinstitution",
            "partnerships.add_partnership",
            "partnerships.change_focusarea",
            "partnerships.change_leisureinstitution",
            "partnerships.change_partnership",
            "partnerships.view_actionplan",
            "partnerships.view_activity",
            "partnerships.view_focusarea",
            "partnerships.view_goal",
            "partnerships.view_leisureinstitution",
            "partnerships.view_partnership",
            # Network meetings: plan events, see invitations, record attendance (0008).
            "partnerships.add_networkevent",
            "partnerships.change_networkevent",
            "partnerships.view_networkevent",
            "partnerships.view_eventinvitation",
            "partnerships.change_registration",
            "partnerships.view_registration",
            # The partners' yearly figures, read-only (0009).
            "partnerships.view_yearlyfigures",
            "schools.change_schoolmembership",
            "schools.view_school",
            "schools.view_schoolmembership",
            "screening.add_rejectionreason",
            "screening.change_rejectionreason",
            "screening.view_rejectionreason",
            "screening.view_screeningevent",
        ]
    )
    deletes = [p.codename for p in group.permissions.all() if p.codename.startswith("delete_")]
    assert deletes == ["delete_itemphoto"]  # nothing else is ever deleted by a consultant


def test_group_migration_is_idempotent():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("screening.migrations.0003_consultant_group")
    before = set(Group.objects.get(name="Consultant").permissions.all())
    migration.create_group(apps, None)
    migration.create_group(apps, None)
    assert Group.objects.filter(name="Consultant").count() == 1
    assert set(Group.objects.get(name="Consultant").permissions.all()) == before


def test_staff_in_the_group_without_a_consultant_row_sees_nothing(client, ours):
    user = f.UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Consultant"))
    client.force_login(user)
    for url, _key in LISTS:
        response = client.get(url)
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [], url
