from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health
from .redirects import local_url


@require_GET
def home(request):
    return render(request, "portal/home.html")


@never_cache
@require_GET
def healthz(request):
    checks = {}
    ok, detail = health.check_database()
    checks["database"] = detail
    redis_result = health.check_redis()
    if redis_result is not None:
        redis_ok, checks["redis"] = redis_result
        ok = ok and redis_ok
    return JsonResponse(
        {"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503
    )


@require_GET
def accessibility(request):
    return render(request, "portal/accessibility.html")


@require_GET
def privacy(request):
    return render(request, "portal/privacy.html")


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors that could fail again; a plain page in the site's look.
    return render(request, "errors/500.html", status=500)


@require_GET
def switch_language(request, code):
    """Language switch as a plain link, so that pages need no CSRF token and can be cached.

    Only sets the language cookie; the worst a forged link can do is change the language.
    """
    if code not in dict(settings.LANGUAGES):
        return page_not_found(request)
    response = HttpResponseRedirect(local_url(request, request.GET.get("next", "/"), "/"))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response


@require_GET
def ping(request):
    """The minimal view: the benchmark's floor (same server, same settings)."""
    from django.http import HttpResponse

    return HttpResponse("pong", content_type="text/plain")
