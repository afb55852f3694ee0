from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Municipality


@require_GET
def contact(request):
    """Whom to contact: each active municipality's consultant office."""
    return render(
        request,
        "municipalities/contact.html",
        {"municipalities": Municipality.objects.filter(is_active=True)},
    )
