"""factory_boy factories for the usual cast. Traits: OfferFactory(published=True) etc.

Names from a sequence are zero-padded ("Forening 00009"), so that a list ordered by name
follows the order the test made its rows in, whatever number the sequence has reached
("Forening 10" sorts before "Forening 9": an order could change with the tests run before).
"""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import User
from associations.cvr import example_cvr
from associations.models import Association, AssociationMembership, Instructor, Offer
from bookings.models import Occasion
from municipalities.models import Consultant, Municipality
from schools.models import School, SchoolMembership
from screening.workflow import ScreeningState


def _cvr(n: int) -> str:
    return example_cvr(2000000 + n * 131)


#: Codes the tests give their fixed municipalities (Helsingør 217, …): a sequence that hit
#: one would, through get_or_create, hand a test that municipality instead of a new one.
FIXED_CODES = {"210", "217", "270", "998"}
FREE_CODES = [str(c) for c in range(100, 1000) if str(c) not in FIXED_CODES]


def _free_code(n: int) -> str:
    return FREE_CODES[n % len(FREE_CODES)]


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Kommune {n:05d}")
    slug = factory.Sequence(lambda n: f"kommune-{n:05d}")
    code = factory.Sequence(lambda n: _free_code(n))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name", locale="da_DK")
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class ConsultantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultant
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, is_staff=True)
    municipality = factory.SubFactory(MunicipalityFactory)

    @factory.post_generation
    def group(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            from django.contrib.auth.models import Group

            group, _ = Group.objects.get_or_create(name="Consultant")
            obj.user.groups.add(group)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Skole {n:05d}")
    slug = factory.Sequence(lambda n: f"skole-{n:05d}")
    postal_code = "3000"
    town = "Helsingør"
    latitude = 56.03
    longitude = 12.59


class SchoolMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolMembership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = "teacher"
    is_approved = True
    approved_at = factory.LazyFunction(timezone.now)


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Forening {n:05d}")
    slug = factory.Sequence(lambda n: f"forening-{n:05d}")
    cvr = factory.Sequence(_cvr)
    domains = ["sport"]
    description = "En forening med tilbud til skoler."
    address = "Havnevej 1"
    postal_code = "3000"
    town = "Helsingør"
    contact_name = "Kontakt Person"
    contact_phone = "12345678"
    contact_email = factory.Sequence(lambda n: f"contact{n}@forening.example")
    members_under_18 = 10
    members_under_25 = 20
    state = ScreeningState.APPROVED
    approved_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):  # noqa: N805
        if not create:
            return
        obj.municipalities.set(extracted or [MunicipalityFactory()])


class AssociationMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssociationMembership

    user = factory.SubFactory(UserFactory)
    association = factory.SubFactory(AssociationFactory)
    role = "member"


class InstructorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instructor

    association = factory.SubFactory(AssociationFactory)
    name = factory.Faker("name", locale="da_DK")
    role = "Instruktør"
    child_certificate_confirmed = True
    child_certificate_date = factory.LazyFunction(
        lambda: (timezone.now() - timedelta(days=100)).date()
    )


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer
        skip_postgeneration_save = True

    association = factory.SubFactory(AssociationFactory)
    title = factory.Sequence(lambda n: f"Tilbud {n:05d}")
    slug = factory.Sequence(lambda n: f"tilbud-{n:05d}")
    summary = "Et godt tilbud til skolen"
    description = "Eleverne prøver noget nyt sammen med foreningens instruktører."
    domain = "sport"
    grade_min = 0
    grade_max = 10
    format = "visit"
    location = "school"
    duration_minutes = 90
    pupils_min = 1
    pupils_max = 30
    price_model = "free"
    weekdays = "12345"
    on_request = True
    state = ScreeningState.DRAFT

    class Params:
        published = factory.Trait(
            state=ScreeningState.APPROVED,
            approved_at=factory.LazyFunction(timezone.now),
            certificates_valid_until=factory.LazyFunction(
                lambda: (timezone.now() + timedelta(days=365)).date()
            ),
        )

    @factory.post_generation
    def with_instructor(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted is not False and obj.state == ScreeningState.APPROVED:
            obj.instructors.add(InstructorFactory(association=obj.association))


class OccasionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occasion

    offer = factory.SubFactory(OfferFactory, published=True, on_request=False)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    capacity = 2
