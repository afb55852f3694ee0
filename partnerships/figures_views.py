"""The yearly figures' pages: the partner association reports its figures and sees its trend
(``figures``); the municipality's consultant sees every partner's trend and the totals
(``figures_overview``). Services in ``figures.py``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from municipalities.models import Municipality
from portal.forms import is_digits

from . import figures as services
from .forms import FiguresForm
from .models import Partnership
from .permissions import partnership_for


def _chosen_year(request, years: list[int]) -> int | None:
    """The year asked for (``?year=``) if the partner may report it; else the due year, or
    the newest year it may report."""
    raw = request.GET.get("year", "")
    if is_digits(raw) and int(raw) in years:
        return int(raw)
    due = services.due_year()
    return due if due in years else (years[0] if years else None)


def _initial(partnership, year, existing) -> dict:
    """A year not reported yet starts from the members on the association's profile."""
    if existing is not None:
        return {"year": year}
    association = partnership.association
    return {
        "year": year,
        "members_under_18": association.members_under_18 or None,
        "members_under_25": association.members_under_25 or None,
    }


@login_required
def figures(request, slug, partnership_id):
    partnership = partnership_for(request.user, slug, partnership_id)
    if not services.reports(partnership):
        raise Http404
    years = services.reportable_years(partnership)
    status = 200
    year = _chosen_year(request, years)
    if request.method == "POST":
        form = FiguresForm(request.POST, years=years)
        if form.is_valid():
            data = dict(form.cleaned_data)
            year = data.pop("year")
            try:
                services.report(partnership, year, by=request.user, **data)
            except ValidationError as error:
                messages.error(request, error.messages[0])
            else:
                messages.success(
                    request, _("Thank you: the figures of %(year)s are saved.") % {"year": year}
                )
            page = reverse("partnerships:figures", args=[slug, partnership.pk])
            return redirect(f"{page}?year={year}")  # the year just saved, in the form
        status = 400
        year = form.cleaned_data.get("year", year)
    else:
        existing = partnership.yearly_figures.filter(year=year).first()
        form = FiguresForm(
            instance=existing, initial=_initial(partnership, year, existing), years=years
        )
    rows = services.partnership_trend(partnership)
    due = services.due_year()
    context = {
        "partnership": partnership,
        "association": partnership.association,
        "form": form,
        "chosen_year": year,
        "rows": rows,
        "reported_years": {r["year"] for r in rows},
        "chart": services.trend_chart(
            f"figures-{partnership.pk}", _("Members under 25 and under 18"), rows
        )
        if rows
        else None,
        "due_year": due,
        "missing": services.figures_missing(
            Partnership.objects.filter(pk=partnership.pk), due
        ).exists(),
    }
    return render(request, "partnerships/figures.html", context, status=status)


def _consultant_municipality(request) -> Municipality:
    """The consultant's own municipality; an operator picks one (``?municipality=slug``)."""
    user = request.user
    if user.is_superuser:
        slug = request.GET.get("municipality", "")
        municipality = Municipality.objects.filter(slug=slug[:100], is_active=True).first()
        return municipality or Municipality.objects.filter(is_active=True).order_by("name").first()
    if not user.is_authenticated or user.consultant_municipality is None:
        raise Http404
    return user.consultant_municipality


@require_GET
@login_required
def figures_overview(request):
    """The consultant's view: the municipality's totals over the years (seed 002's chart of
    youth members), every partner's figures, and who has not reported the due year."""
    municipality = _consultant_municipality(request)
    if municipality is None:
        raise Http404
    totals = services.youth_trend(municipality)
    due = services.due_year()
    partnerships = Partnership.objects.for_municipality(municipality)
    context = {
        "municipality": municipality,
        # An operator chooses the municipality on the page (a consultant sees their own).
        "municipalities": Municipality.objects.filter(is_active=True).order_by("name")
        if request.user.is_superuser
        else None,
        "totals": totals,
        "chart": services.trend_chart(
            "figures-totals", _("Youth members of the partner associations"), totals
        )
        if totals
        else None,
        "partners": [
            {
                **p,
                "chart": services.trend_chart(
                    f"figures-p{p['partnership'].pk}", str(p["partnership"]), p["rows"]
                ),
            }
            for p in services.partner_trends(municipality)
        ],
        "due_year": due,
        "missing": services.figures_missing(partnerships, due).select_related("association"),
        "asked": services.asked_to_report(partnerships, due).exists(),
    }
    return render(request, "partnerships/figures_overview.html", context)
