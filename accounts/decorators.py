"""Access rules about the account itself."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def confirmed_email_required(view):
    """Logged in and e-mail confirmed; otherwise back to "My account" with a resend button."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.email_confirmed:
            messages.warning(
                request,
                _(
                    "Please confirm your e-mail address first. Use the link in the e-mail "
                    "we sent you, or send it again below."
                ),
            )
            return redirect("accounts:home")
        return view(request, *args, **kwargs)

    return wrapped
