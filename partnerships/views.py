"""The partner's and the school's view of their partnerships (read-only; consultants work in
the admin). Each view finds its association or school through that app's access helper, which
answers 404 to strangers, and lists only that party's partnerships."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from associations.permissions import get_association_for
from schools.permissions import school_for

from .models import Partnership


def _listed(queryset):
    return queryset.select_related(
        "association", "institution", "contact", "municipality"
    ).prefetch_related("schools")


@login_required
def association_partnerships(request, slug):
    association, membership = get_association_for(request.user, slug)
    partnerships = _listed(Partnership.objects.for_association(association))
    return render(
        request,
        "partnerships/association_list.html",
        {"association": association, "membership": membership, "partnerships": partnerships},
    )


@login_required
def school_partnerships(request):
    school = school_for(request.user, request.GET.get("school"))
    partnerships = _listed(Partnership.objects.for_school(school))
    return render(
        request,
        "partnerships/school_list.html",
        {"school": school, "partnerships": partnerships},
    )
