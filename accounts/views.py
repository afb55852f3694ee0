from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .forms import EmailAuthenticationForm


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def home(request):
    """Send each user to the page of their main role."""
    user = request.user
    if user.is_consultant:
        return redirect("/dashboard/")
    if user.is_school_staff:
        return redirect("/school/")
    if user.is_association_member:
        return redirect("/association/")
    return render(request, "accounts/home.html")
