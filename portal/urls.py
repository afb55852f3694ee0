from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from . import views

# Each app's urls.py names its own paths (e.g. "offers/", "school/"); they are all
# included at the root so that an app owns its URL space without touching this file.
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/<str:code>/", views.switch_language, name="switch_language"),
    path("ping", views.ping, name="ping"),
    path("about/accessibility/", views.accessibility, name="accessibility"),
    path("about/privacy/", views.privacy, name="privacy"),
    path("admin/", admin.site.urls),
    # The most asked-for pages first, as Django tries the patterns one by one (each costs
    # ≈ 3 Python calls): the catalog, a school's bookings ("My school", the booking form),
    # the open data API. No pattern catches another's URLs (tests/portal/test_urls.py).
    path("", include("catalog.urls")),
    path("", include("bookings.urls")),
    path("", include("api.urls")),
    path("", include("municipalities.urls")),
    path("", include("accounts.urls")),
    path("", include("associations.urls")),
    path("", include("schools.urls")),
    path("", include("screening.urls")),
    path("", include("partnerships.urls")),
    path("", include("knowledge.urls")),
    path("", include("notifications.urls")),
    path("", include("dashboard.urls")),
    path("", include("sso.urls")),
    path("", include("privacy.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
