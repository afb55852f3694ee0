from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.ratelimit import ratelimit

from . import services
from .forms import EmailAuthenticationForm, NotifyPasswordResetForm, SignupForm


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@ratelimit("signup", rate="PORTAL_SIGNUP_RATE")
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.sign_up(
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            language=(get_language() or "da")[:2],
        )
        login(request, user, backend=settings.LOGIN_BACKEND)
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def signup_done(request):
    return render(request, "accounts/signup_done.html")


def confirm_email(request, token):
    try:
        user = services.confirm_email(token)
    except services.InvalidToken:
        return render(request, "accounts/confirm_invalid.html", status=400)
    messages.success(request, _("Thank you. Your e-mail address is confirmed."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("accounts:home")
    return redirect(f"{reverse_lazy('accounts:login')}?next={reverse_lazy('accounts:home')}")


@require_POST
@login_required
@ratelimit("signup", rate="PORTAL_SIGNUP_RATE")
def resend_confirmation(request):
    if request.user.email_confirmed:
        messages.info(request, _("Your e-mail address is confirmed already."))
    else:
        services.send_confirmation(request.user)
        messages.success(
            request,
            _("We have sent a new link to %(email)s.") % {"email": request.user.email},
        )
    return redirect("accounts:home")


@login_required
def home(request):
    """Send each user to the page of their main role; the rest choose how to start."""
    user = request.user
    if user.is_consultant:
        return redirect("/dashboard/")
    if user.is_school_staff:
        return redirect("/school/")
    if user.is_association_member:
        return redirect("/association/")
    # The ways to join an association come from its app (templatetags/association_start.py).
    return render(request, "accounts/home.html")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = NotifyPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
