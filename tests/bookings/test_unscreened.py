import pytest

from screening.workflow import ScreeningState
from tests import factories as f


@pytest.mark.django_db
def test_an_unscreened_association_cannot_see_or_contact_schools(client, municipality, school):
    draft = f.AssociationFactory(municipalities=[municipality], state=ScreeningState.DRAFT)
    member = f.AssociationMembershipFactory(association=draft, role="admin").user
    from schools.models import SchoolEvent

    event = SchoolEvent.objects.create(
        school=school,
        title="Idrætsdag",
        starts_on="2030-06-10",
        ends_on="2030-06-10",
        grade_min=0,
        grade_max=6,
    )
    client.force_login(member)
    assert client.get("/school-events/").status_code == 404
    assert client.get(f"/school-events/{event.pk}/take-part/").status_code == 404
    assert (
        client.post(f"/school-events/{event.pk}/take-part/", {"message": "Hej"}).status_code == 404
    )
