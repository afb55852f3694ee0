"""Focus areas are each municipality's data: the defaults of seeds 001 and 002 to start with,
edited in the admin by the municipality's consultants only."""

from importlib import import_module

import pytest
from django.apps import apps

from partnerships.focus import PARTNERSHIP_AREAS, SCHOOL_LEISURE_AREAS, create_defaults
from partnerships.models import FocusArea

pytestmark = pytest.mark.django_db

LIST = "/admin/partnerships/focusarea/"


def names(municipality, kind):
    return list(
        FocusArea.objects.filter(municipality=municipality, kind=kind).values_list(
            "name", flat=True
        )
    )


def test_defaults_are_the_six_and_six_of_the_seeds(municipality):
    assert create_defaults(municipality) == 12
    assert names(municipality, "partnership") == PARTNERSHIP_AREAS
    assert names(municipality, "school_leisure") == SCHOOL_LEISURE_AREAS
    assert "Inddragelse af forældre" in PARTNERSHIP_AREAS
    assert "Overgange" in SCHOOL_LEISURE_AREAS


def test_defaults_again_add_nothing_and_keep_the_municipalitys_edits(municipality):
    create_defaults(municipality)
    area = FocusArea.objects.get(municipality=municipality, name="Overgange")
    area.position = 99
    area.save()
    FocusArea.objects.filter(name="Inddragelse af forældre").delete()
    assert create_defaults(municipality) == 1  # only the one that was missing
    assert FocusArea.objects.get(pk=area.pk).position == 99
    assert FocusArea.objects.filter(municipality=municipality).count() == 12


def test_the_data_migration_gives_existing_municipalities_the_defaults(
    municipality, other_municipality
):
    migration = import_module("partnerships.migrations.0004_focus_area_defaults")
    migration.defaults(apps, None)
    migration.defaults(apps, None)
    for m in (municipality, other_municipality):
        assert FocusArea.objects.filter(municipality=m).count() == 12


def test_consultant_sees_and_edits_only_their_municipalitys_areas(
    client, consultant, municipality, other_municipality
):
    create_defaults(municipality)
    create_defaults(other_municipality)
    client.force_login(consultant)
    listed = client.get(LIST).context["cl"].result_list
    assert {a.municipality_id for a in listed} == {municipality.pk}
    assert len(listed) == 12
    foreign = FocusArea.objects.filter(municipality=other_municipality).first()
    assert client.get(f"{LIST}{foreign.pk}/change/").status_code == 302
    response = client.post(
        LIST + "add/", {"name": "Idræt i frikvarteret", "kind": "school_leisure", "position": 7}
    )
    assert response.status_code == 302
    added = FocusArea.objects.get(name="Idræt i frikvarteret")
    assert added.municipality == municipality
    own = FocusArea.objects.filter(municipality=municipality, name="Overgange").get()
    response = client.post(
        f"{LIST}{own.pk}/change/",
        {"name": "Gode overgange", "kind": "school_leisure", "position": 3},
    )
    assert response.status_code == 302
    assert FocusArea.objects.get(pk=own.pk).name == "Gode overgange"


def test_a_name_twice_is_a_form_error(client, consultant, municipality):
    create_defaults(municipality)
    client.force_login(consultant)
    response = client.post(
        LIST + "add/", {"name": "Overgange", "kind": "school_leisure", "position": 1}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors


def test_consultant_may_not_delete_an_area(client, consultant, municipality):
    create_defaults(municipality)
    client.force_login(consultant)
    area = FocusArea.objects.filter(municipality=municipality).first()
    assert client.post(f"{LIST}{area.pk}/delete/", {"post": "yes"}).status_code == 403
