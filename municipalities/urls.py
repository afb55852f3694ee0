from django.urls import path

from . import views

# No namespace: "contact" is one of the site's own pages (linked from the footer).
urlpatterns = [
    path("about/contact/", views.contact, name="contact"),
]
