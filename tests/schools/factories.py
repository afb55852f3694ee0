from datetime import timedelta

import factory
from django.utils import timezone

from schools.models import SchoolNeed
from tests.factories import SchoolFactory


class SchoolNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolNeed

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Behov {n:05d}")
    description = "Vi søger en forening til vores temauge om bevægelse."
    grade_min = 4
    grade_max = 6
    pupils = 50
    period_start = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))
    period_end = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=27))
    domain = "sport"
