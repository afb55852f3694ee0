"""Hand-made input to the consultant's admin: Django's admin hands a selected row's id and a
date drill-down on unchecked (a ValueError or OverflowError, a 500). They are refused with
400 (portal.middleware.RefuseMalformedAdminInputMiddleware); the admin's own requests work."""

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from portal.forms import BoundedModelMultipleChoiceField, IdAutocompleteSelect
from tests import factories as f

pytestmark = pytest.mark.django_db

#: Change lists with actions, as a consultant sees them.
ACTION_LISTS = [
    ("associations_association", "approve_selected"),
    ("associations_offer", "approve_selected"),
    ("partnerships_partnership", "activate"),
    ("partnerships_actionplan", "approve_selected"),
    ("knowledge_item", "approve_selected"),
    ("partnerships_networkevent", "cancel_events"),
    ("schools_schoolmembership", "approve_memberships"),
]


@pytest.fixture
def consultant_client(client, municipality):
    client.force_login(f.ConsultantFactory(municipality=municipality).user)
    return client


@pytest.mark.parametrize("model, action", ACTION_LISTS)
@pytest.mark.parametrize(
    "selected", ["abc", "1e3", "²", "1\x00", " 1", "9223372036854775808", "9" * 5000]
)
def test_an_action_on_a_row_id_that_is_no_number_is_refused(
    consultant_client, model, action, selected
):
    url = reverse(f"admin:{model}_changelist")
    response = consultant_client.post(url, {"action": action, "_selected_action": selected})
    assert response.status_code == 400
    assert "default-src 'self'" in response["Content-Security-Policy"]  # the site's headers


def test_an_action_on_real_rows_still_runs(consultant_client, municipality):
    association = f.AssociationFactory(municipalities=[municipality])
    offer = f.OfferFactory(association=association, state="submitted")
    url = reverse("admin:associations_offer_changelist")
    data = {"action": "start_review_selected", "_selected_action": [str(offer.pk), "999999"]}
    response = consultant_client.post(url, data)
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.state == "in_review"


@pytest.mark.parametrize(
    "query",
    [
        "starts_at__year=9999",
        "starts_at__year=9999&starts_at__month=12",
        "starts_at__year=99999999999999999999999",
        "starts_at__year=1&starts_at__month=1&starts_at__day=1",
        "starts_at__year=2026&starts_at__month=13",
        "starts_at__year=2026&starts_at__month=²",
        "starts_at__year=2026&starts_at__year=99999",
    ],
)
def test_a_date_drill_down_out_of_the_calendar_is_refused(consultant_client, query):
    url = reverse("admin:partnerships_networkevent_changelist")
    assert consultant_client.get(f"{url}?{query}").status_code == 400


@pytest.mark.parametrize(
    "model, query",
    [
        ("partnerships_networkevent", "starts_at__year=2026&starts_at__month=12"),
        ("partnerships_networkevent", "starts_at__year=9998"),
        (
            "notifications_notification",
            "created_at__year=2026&created_at__month=2&created_at__day=28",
        ),
    ],
)
def test_a_date_drill_down_in_range_is_the_list(admin_client, model, query):
    response = admin_client.get(f"{reverse(f'admin:{model}_changelist')}?{query}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "model, field",
    [
        ("partnerships_partnership", "schools"),
        ("partnerships_actionplan", "focus_areas"),
        ("knowledge_item", "tags"),
        ("partnerships_networkevent", "invite"),  # a field of the admin's own form
    ],
)
@pytest.mark.parametrize("pk", ["9223372036854775808", "-9223372036854775809", "1" * 40])
def test_an_id_no_row_can_have_is_a_form_error(consultant_client, model, field, pk):
    """Django's admin forms pass such ids to the database, which SQLite cannot bind (an
    OverflowError); the admins use the portal's bounded choice fields (BOUNDED_RELATIONS)."""
    response = consultant_client.post(reverse(f"admin:{model}_add"), {field: pk})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]


@pytest.mark.parametrize("value", ["abc", "1\x00", "9223372036854775808", "²"])
def test_an_autocomplete_given_no_id_shows_the_form_again(admin_client, value):
    """Django's autocomplete looks a refused value up to show it again (a ValueError, or an
    OverflowError on SQLite); the offers' association (the operator adds offers)."""
    url = reverse("admin:associations_offer_add")
    response = admin_client.post(url, {"association": value, "title": "Kajak"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["association"]


def test_every_admin_many_to_many_field_refuses_impossible_ids():
    """The rule behind the test above for every admin and inline: their models' many-to-many
    fields and the fields their own forms declare, and their autocompletes. On PostgreSQL (CI) a 2**64 id finds no row,
    on SQLite it is a 500 unless the field is bounded."""
    request = RequestFactory().get("/admin/")
    request.user = f.UserFactory(is_staff=True, is_superuser=True)
    fields, autocomplete = [], []
    for model in apps.get_models():
        if not admin.site.is_registered(model):
            continue
        model_admin = admin.site.get_model_admin(model)
        for part in [model_admin, *model_admin.get_inline_instances(request)]:
            autocomplete += [
                part.formfield_for_dbfield(part.model._meta.get_field(name), request).widget
                for name in part.get_autocomplete_fields(request)
            ]
            fields += [
                (
                    f"{part.model._meta.label}.{db_field.name}",
                    part.formfield_for_dbfield(db_field, request),
                )
                for db_field in part.model._meta.many_to_many
            ]
            fields += [
                (f"{part.form.__name__}.{name}", field)
                for name, field in part.form.declared_fields.items()
            ]
    unbounded = [
        name
        for name, field in fields
        if isinstance(field, forms.ModelMultipleChoiceField)
        and not isinstance(field, BoundedModelMultipleChoiceField)
    ]
    assert len(fields) > 10 and not unbounded
    # Autocompletes (behind the admin's "add another" wrapper) look up only what an id can be.
    assert autocomplete and all(isinstance(w.widget, IdAutocompleteSelect) for w in autocomplete)
