from django.urls import path

from . import views

app_name = "associations"

_a = "association/<slug:slug>/"
_o = _a + "offers/<int:offer_id>/"
urlpatterns = [
    path("association/", views.my_association, name="mine"),
    path("association/new/", views.create, name="create"),
    path("association/join/", views.join_request, name="join_request"),
    path("association/invitations/", views.invitation_list, name="invitation_list"),
    path("association/invitation/<str:token>/", views.invitation, name="invitation"),
    path(_a, views.detail, name="detail"),
    path(_a + "profile/", views.profile_edit, name="profile_edit"),
    path(_a + "preview/", views.profile_preview, name="profile_preview"),
    path(_a + "submit/", views.profile_submit, name="profile_submit"),
    path(_a + "withdraw/", views.profile_withdraw, name="profile_withdraw"),
    path(_a + "reopen/", views.profile_reopen, name="profile_reopen"),
    path(_a + "members/invite/", views.invite, name="invite"),
    path(
        _a + "members/invitations/<int:invitation_id>/revoke/",
        views.revoke_invitation,
        name="revoke_invitation",
    ),
    path(_a + "members/<int:membership_id>/remove/", views.remove_member, name="remove_member"),
    path(_a + "members/<int:membership_id>/role/", views.set_role, name="set_role"),
    path(
        _a + "join-requests/<int:request_id>/<str:decision>/",
        views.decide_join_request,
        name="decide_join_request",
    ),
    path(_a + "instructors/new/", views.instructor_form, name="instructor_create"),
    path(_a + "instructors/<int:instructor_id>/", views.instructor_form, name="instructor_edit"),
    path(
        _a + "instructors/<int:instructor_id>/delete/",
        views.instructor_delete,
        name="instructor_delete",
    ),
    path(_a + "offers/new/", views.offer_create, name="offer_create"),
    path(_o, views.offer_edit, name="offer_edit"),
    path(_o + "steps/<slug:step>/", views.offer_edit, name="offer_step"),
    path(_o + "preview/", views.offer_preview, name="offer_preview"),
    path(_o + "photos/", views.offer_photo_add, name="offer_photo_add"),
    path(_o + "photos/<int:photo_id>/delete/", views.offer_photo_delete, name="offer_photo_delete"),
    path(_o + "<str:action>/", views.offer_action, name="offer_action"),
]
