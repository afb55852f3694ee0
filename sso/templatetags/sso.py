from django import template

from sso.models import OIDCProvider

register = template.Library()


@register.inclusion_tag("sso/_buttons.html", takes_context=True)
def sso_buttons(context):
    """The "Log in with ..." buttons for the login page: ``{% load sso %}{% sso_buttons %}``."""
    request = context.get("request")
    return {
        "providers": OIDCProvider.objects.enabled().select_related("municipality"),
        "next": context.get("next", "") or (request.GET.get("next", "") if request else ""),
    }
