from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("api/", views.Index.as_view(), name="index"),
    path("api/schema/", views.Schema.as_view(), name="schema"),
    path("api/docs/", views.docs, name="docs"),
    path("api/municipalities/", views.MunicipalityList.as_view(), name="municipalities"),
    path("api/municipalities/<slug:slug>/offers/", views.OfferList.as_view(), name="offers"),
    path(
        "api/municipalities/<slug:slug>/associations/",
        views.AssociationList.as_view(),
        name="associations",
    ),
    path(
        "api/municipalities/<slug:slug>/occasions/",
        views.OccasionList.as_view(),
        name="occasions",
    ),
]
