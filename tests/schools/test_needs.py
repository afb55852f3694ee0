from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from schools.models import NeedAnswer, SchoolNeed
from schools.services import needs_for_school
from tests import factories as f

from .factories import SchoolNeedFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def need(school, teacher):
    return SchoolNeedFactory(school=school, created_by=teacher)


@pytest.fixture
def stranger(db):
    return f.UserFactory()


@pytest.fixture
def far_association_admin(other_municipality):
    association = f.AssociationFactory(municipalities=[other_municipality])
    return f.AssociationMembershipFactory(association=association, role="admin").user


def test_school_staff_post_a_need(client, teacher, school):
    client.force_login(teacher)
    today = timezone.localdate()
    response = client.post(
        reverse("schools:need_create"),
        {
            "school": school.pk,
            "title": "Idrætsdag i uge 40",
            "description": "Stationer for 5. årgang.",
            "grade_min": 5,
            "grade_max": 5,
            "pupils": 60,
            "period_start": today + timedelta(days=10),
            "period_end": today + timedelta(days=10),
            "domain": "sport",
            "budget": "2000",
        },
    )
    need = SchoolNeed.objects.get()
    assert response.status_code == 302 and response.url == need.get_absolute_url()
    assert need.school == school and need.created_by == teacher


def test_need_form_rejects_reversed_period_and_grades(client, teacher, school):
    client.force_login(teacher)
    today = timezone.localdate()
    response = client.post(
        reverse("schools:need_create"),
        {
            "school": school.pk,
            "title": "x",
            "description": "y",
            "grade_min": 6,
            "grade_max": 2,
            "period_start": today + timedelta(days=10),
            "period_end": today,
        },
    )
    assert response.status_code == 200
    assert not SchoolNeed.objects.exists()
    assert set(response.context["form"].errors) >= {"grade_max", "period_end"}


def test_only_school_staff_post_needs(client, association_admin, other_school, teacher):
    client.force_login(association_admin)
    assert client.get(reverse("schools:need_create")).status_code == 403
    # Staff cannot post for another school.
    client.force_login(teacher)
    response = client.post(
        reverse("schools:need_create"),
        {"school": other_school.pk, "title": "x", "description": "y"},
    )
    assert response.status_code == 200 and "school" in response.context["form"].errors


def test_board_visibility(
    client, need, association_admin, far_association_admin, teacher, other_teacher, stranger
):
    url = reverse("schools:need_list")
    assert client.get(url).status_code == 302  # anonymous: log in
    client.force_login(stranger)
    assert client.get(url).status_code == 403
    client.force_login(association_admin)
    assert need.title in client.get(url).content.decode()
    client.force_login(far_association_admin)
    assert need.title not in client.get(url).content.decode()
    client.force_login(teacher)
    assert need.title in client.get(url).content.decode()
    client.force_login(other_teacher)  # staff of another school: only their own needs
    assert need.title not in client.get(url).content.decode()
    assert client.get(need.get_absolute_url()).status_code == 404


def test_detail_404_for_strangers(client, need, far_association_admin, stranger):
    for user in (stranger, far_association_admin):
        client.force_login(user)
        assert client.get(need.get_absolute_url()).status_code == 404


def test_needs_expire_after_their_period(client, school, teacher, association_admin):
    expired = SchoolNeedFactory(
        school=school,
        period_start=timezone.localdate() - timedelta(days=10),
        period_end=timezone.localdate() - timedelta(days=1),
        title="Udløbet",
    )
    assert not SchoolNeed.objects.open().filter(pk=expired.pk).exists()
    client.force_login(association_admin)
    assert "Udløbet" not in client.get(reverse("schools:need_list")).content.decode()
    assert client.get(expired.get_absolute_url()).status_code == 404
    # The school still sees its own expired need.
    client.force_login(teacher)
    assert client.get(expired.get_absolute_url()).status_code == 200


def test_association_answers_with_an_offer_and_school_sees_it(
    client,
    need,
    association_admin,
    published_offer,
    teacher,
    other_association_admin,
    django_capture_on_commit_callbacks,
):
    client.force_login(association_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            need.get_absolute_url(),
            {"association": published_offer.association.pk, "offer": published_offer.pk},
        )
    assert response.status_code == 302
    answer = NeedAnswer.objects.get()
    assert answer.offer == published_offer and answer.created_by == association_admin
    assert len(mail.outbox) == 1 and teacher.email in mail.outbox[0].to
    client.force_login(teacher)
    html = client.get(need.get_absolute_url()).content.decode()
    assert published_offer.title in html
    # Another association does not see this association's answer.
    client.force_login(other_association_admin)
    assert published_offer.title not in client.get(need.get_absolute_url()).content.decode()


def test_answer_with_a_message_only(client, need, association_admin, association):
    client.force_login(association_admin)
    client.post(need.get_absolute_url(), {"association": association.pk, "message": "Vi kan!"})
    assert NeedAnswer.objects.get().message == "Vi kan!"


def test_answer_needs_an_offer_or_message(client, need, association_admin, association):
    client.force_login(association_admin)
    response = client.post(need.get_absolute_url(), {"association": association.pk})
    assert response.status_code == 200
    assert not NeedAnswer.objects.exists()


def test_cannot_answer_with_another_associations_offer(
    client, need, association_admin, association, other_association
):
    foreign = f.OfferFactory(association=other_association, published=True)
    client.force_login(association_admin)
    response = client.post(
        need.get_absolute_url(), {"association": association.pk, "offer": foreign.pk}
    )
    assert response.status_code == 200
    assert not NeedAnswer.objects.exists()


def test_school_staff_cannot_answer_and_others_cannot_close(
    client, need, teacher, association_admin
):
    client.force_login(teacher)
    assert client.post(need.get_absolute_url(), {"message": "x"}).status_code == 403
    client.force_login(association_admin)
    assert client.post(reverse("schools:need_close", args=[need.pk])).status_code == 403
    client.force_login(teacher)
    client.post(reverse("schools:need_close", args=[need.pk]))
    need.refresh_from_db()
    assert need.is_closed and not need.is_open


def test_needs_for_school_and_partial(need, school, other_school, association):
    NeedAnswer.objects.create(need=need, association=association, message="Hej")
    SchoolNeedFactory(school=other_school)
    needs = list(needs_for_school(school))
    assert needs == [need] and needs[0].answer_count == 1
    from django.template.loader import render_to_string

    html = render_to_string("schools/_my_needs.html", {"needs": needs})
    assert need.title in html and need.get_absolute_url() in html


def test_board_queries_do_not_grow(
    client, school, association_admin, django_assert_max_num_queries
):
    from associations.models import Subject

    subject = Subject.objects.get_or_create(slug="idraet", defaults={"name": "Idræt"})[0]

    def add(n):
        for _ in range(n):
            need = SchoolNeedFactory(school=school)
            need.subjects.add(subject)

    client.force_login(association_admin)
    url = reverse("schools:need_list")
    add(2)
    cache.clear()  # the worst case: nothing cached (the user's roles)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    add(20)
    cache.clear()
    with django_assert_max_num_queries(12) as many:
        client.get(url)
    assert len(few.captured_queries) == len(many.captured_queries)
