"""The shared world of the security tests: one municipality M with associations A and B and
schools X and Y, another municipality O, a user per role, and an object of each kind that a URL
can point at (``KWARGS`` gives each URL name its arguments). Used by the authorization matrix
and by the hostile-input test."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from tests import factories as f

ROLES = ["anon", "mem_a", "adm_b", "tch_x", "head_y", "con_m", "con_o"]
DUMMY_INT = 999999
DUMMY_TOKEN = "invalid-token"


# --- The world ------------------------------------------------------------------------------


class World(dict):
    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _try(world: World, key: str, build, fallback):
    """Build an object of a feature still in flux; fall back to a dummy value if we cannot."""
    try:
        with transaction.atomic():
            world[key] = build()
    except Exception as exc:  # noqa: BLE001 - report which part of the world is missing
        world[key] = fallback
        world.setdefault("_missing", []).append(f"{key}: {type(exc).__name__}: {exc}")


def build_world() -> World:
    w = World()
    w.m = f.MunicipalityFactory(name="Helsingør Kommune", slug="helsingor", code="217")
    w.o = f.MunicipalityFactory(name="Fredensborg Kommune", slug="fredensborg", code="210")
    w.assoc_a = f.AssociationFactory(municipalities=[w.m], slug="forening-a")
    w.assoc_b = f.AssociationFactory(municipalities=[w.m], slug="forening-b")
    w.school_x = f.SchoolFactory(municipality=w.m, slug="skole-x")
    w.school_y = f.SchoolFactory(municipality=w.m, slug="skole-y")
    w.users = {
        "anon": None,
        "mem_a": f.AssociationMembershipFactory(association=w.assoc_a, role="member").user,
        "adm_b": f.AssociationMembershipFactory(association=w.assoc_b, role="admin").user,
        "tch_x": f.SchoolMembershipFactory(school=w.school_x, role="teacher").user,
        "head_y": f.SchoolMembershipFactory(school=w.school_y, role="department_head").user,
        "con_m": f.ConsultantFactory(municipality=w.m).user,
        "con_o": f.ConsultantFactory(municipality=w.o).user,
    }
    # Another member of B (the target of "remove member" / "set role").
    w.member_b = f.AssociationMembershipFactory(association=w.assoc_b, role="member")
    w.offer_a = f.OfferFactory(association=w.assoc_a, published=True, slug="tilbud-a")
    w.offer_b = f.OfferFactory(
        association=w.assoc_b, published=True, slug="tilbud-b", on_request=False
    )
    w.instructor_b = f.InstructorFactory(association=w.assoc_b)

    def occasion():
        from tests.bookings.conftest import school_day

        start = school_day(30)
        return f.OccasionFactory(
            offer=w.offer_b, starts_at=start, ends_at=start + timedelta(hours=2), capacity=1
        )

    _try(w, "occasion_b", occasion, None)

    def booking():
        from tests.bookings.conftest import make_booking

        return make_booking(w.users["tch_x"], w.school_x, w.offer_b, w.occasion_b)

    _try(w, "booking_x", booking, None)

    def waiting():
        from bookings.models import WaitingListEntry

        return WaitingListEntry.objects.create(
            occasion=w.occasion_b,
            school=w.school_x,
            requested_by=w.users["tch_x"],
            places=1,
            classes="6.B",
            grade=6,
            pupils=20,
        )

    _try(w, "waiting_x", waiting, None)

    def pool():
        from decimal import Decimal

        from bookings.models import SubsidyPool

        return SubsidyPool.objects.create(
            municipality=w.m, school_year=2026, amount=Decimal("1000"), reserved=Decimal("100")
        )

    _try(w, "pool_m", pool, None)

    def need():
        from tests.schools.factories import SchoolNeedFactory

        return SchoolNeedFactory(school=w.school_x, created_by=w.users["tch_x"])

    _try(w, "need_x", need, None)

    def event():
        from schools.models import SchoolEvent

        return SchoolEvent.objects.create(
            school=w.school_x,
            title="Idrætsdag",
            starts_on=timezone.localdate() + timedelta(days=40),
            ends_on=timezone.localdate() + timedelta(days=40),
            grade_min=0,
            grade_max=9,
            created_by=w.users["tch_x"],
        )

    _try(w, "event_x", event, None)

    def participation():
        from schools.models import EventParticipation

        return EventParticipation.objects.create(
            event=w.event_x,
            association=w.assoc_a,
            message="Vi kommer gerne",
            created_by=w.users["mem_a"],
        )

    _try(w, "participation_a", participation, None)

    def invitation():
        from associations.models import Invitation

        return Invitation.objects.create(
            association=w.assoc_b, email="ny@example.com", invited_by=w.users["adm_b"]
        )

    _try(w, "invitation_b", invitation, None)

    def invitation_token():
        from associations.services import invitation_token

        return invitation_token(w.invitation_b)

    _try(w, "invitation_token", invitation_token, DUMMY_TOKEN)

    def join_request():
        from associations.models import JoinRequest

        return JoinRequest.objects.create(association=w.assoc_b, user=f.UserFactory())

    _try(w, "join_request_b", join_request, None)

    def pending_staff():
        return f.SchoolMembershipFactory(
            school=w.school_y, role="teacher", is_approved=False, approved_at=None
        )

    _try(w, "pending_staff_y", pending_staff, None)

    def school_feed():
        from bookings.models import CalendarFeed

        return CalendarFeed.objects.create(school=w.school_x)

    _try(w, "feed_x", school_feed, None)

    def unsubscribe():
        from notifications.kinds import optional_kinds
        from notifications.services import unsubscribe_token

        # An e-mail kind that a user may turn off (the essential ones cannot be unsubscribed).
        return unsubscribe_token(w.users["tch_x"], optional_kinds()[0].code)

    _try(w, "unsubscribe_token", unsubscribe, DUMMY_TOKEN)

    def approval_token():
        from bookings.services.approval import approval_url

        # The signed link e-mailed to a school leader: its last path segment is the token.
        return approval_url(w.booking_x, w.users["tch_x"]).rstrip("/").rsplit("/", 1)[-1]

    _try(w, "approval_token", approval_token, DUMMY_TOKEN)

    def partnership():
        from tests.partnerships.conftest import make_partnership

        return make_partnership(w.m, w.users["con_m"], association=w.assoc_b, schools=[w.school_x])

    _try(w, "partnership_b", partnership, None)

    def action_plan():
        from partnerships import services
        from partnerships.focus import create_defaults
        from partnerships.models import Goal

        create_defaults(w.m)
        areas = list(w.m.focus_areas.filter(kind="partnership")[:1])
        plan = services.create_plan(w.partnership_b, title="Handleplan", focus_areas=areas)
        w.goal_b = Goal.objects.create(
            plan=plan, focus_area=areas[0], description="Mål", indicator="antal", target="10"
        )
        return plan

    _try(w, "plan_b", action_plan, None)

    def approved_plan():
        from partnerships import services
        from partnerships.models import Activity, Goal
        from screening import services as screening_services
        from screening.workflow import Transition
        from tests.partnerships.conftest import make_partnership

        # A second partnership of B and school X, whose plan is approved (printable).
        p = make_partnership(w.m, w.users["con_m"], association=w.assoc_b, schools=[w.school_x])
        areas = list(w.m.focus_areas.filter(kind="partnership")[:1])
        plan = services.create_plan(p, title="Godkendt handleplan", focus_areas=areas)
        Goal.objects.create(
            plan=plan, focus_area=areas[0], description="Mål", indicator="i", target="t"
        )
        Activity.objects.create(
            plan=plan, focus_area=areas[0], what="Kursus", who="Sara", when="Maj"
        )
        services.submit_plan(plan, by=w.users["adm_b"])
        return screening_services.decide(plan, Transition.APPROVE, by=w.users["con_m"])

    _try(w, "approved_plan_b", approved_plan, None)

    def knowledge():
        from django.core.files.uploadedfile import SimpleUploadedFile

        from bookings.states import BookingState
        from knowledge import services
        from knowledge.models import Item, Kind
        from tests.knowledge.conftest import docx_bytes, png_bytes
        from tests.notifications.factories import BookingFactory, at

        def published(title, **fields):
            item = Item.objects.create(
                municipality=w.m, slug=services.unique_slug(title), title=title, **fields
            )
            return services.publish(item, by=w.users["con_m"])

        w["knowledge_template_m"] = published("Skabelon", kind=Kind.TEMPLATE)
        w["knowledge_template_m"].file.save("s.docx", SimpleUploadedFile("s.docx", docx_bytes()))
        w["knowledge_booking_x"] = BookingFactory(
            school=w.school_x,
            offer=w.offer_b,
            requested_by=w.users["tch_x"],
            starts_at=at(-10, 9),
            ends_at=at(-10, 11),
            state=BookingState.COMPLETED,
        )
        w["proposal_x"] = services.propose_from_booking(w.knowledge_booking_x, by=w.users["tch_x"])
        w["proposal_photo_x"] = w.proposal_x.photos.create(
            image=SimpleUploadedFile("p.png", png_bytes()), alt_text="Kajakker på stranden"
        )
        return published("Guide", kind=Kind.GUIDE)

    _try(w, "knowledge_m", knowledge, None)

    def map_areas():
        from geo.models import MapArea

        square = [[12.6, 56.03], [12.62, 56.03], [12.62, 56.04], [12.6, 56.04], [12.6, 56.03]]
        geometry = {"type": "MultiPolygon", "coordinates": [[square]]}
        MapArea.objects.create(municipality=w.o, name="Område O", geometry=geometry)
        return MapArea.objects.create(municipality=w.m, name="Område M", geometry=geometry)

    _try(w, "area_m", map_areas, None)

    def network_event():
        from partnerships.network import services
        from partnerships.network.models import NetworkEvent

        start = timezone.now() + timedelta(days=20)
        event = NetworkEvent.objects.create(
            municipality=w.m,
            title="Netværksmøde",
            place="Kulturværftet",
            capacity=20,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
        services.invite(event, [w.partnership_b])  # B and its school X are invited
        w["registration_b"] = services.register(
            event, w.assoc_b, user=w.users["adm_b"], participants=2
        )
        return event

    _try(w, "network_event", network_event, None)

    def status_meeting():
        from partnerships import meeting_services

        # Begun yesterday: its page shows the minutes' form as well as the cancel button.
        starts = timezone.now() - timedelta(days=1)
        return meeting_services.schedule(
            w.partnership_b,
            kind="resource_person",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="Rådhuset",
            invited=meeting_services.candidates(w.partnership_b),
        )

    _try(w, "meeting_b", status_meeting, None)

    def confirm():
        from accounts.services import confirmation_token

        w.unconfirmed = f.UserFactory(email_confirmed_at=None)
        return confirmation_token(w.unconfirmed)

    _try(w, "confirm_token", confirm, DUMMY_TOKEN)
    return w


def pk(obj) -> int:
    return obj.pk if obj is not None else DUMMY_INT


def _b(w):
    return {"slug": w.assoc_b.slug}


def _ob(w):
    return {"slug": w.assoc_b.slug, "offer_id": w.offer_b.pk}


def _plan(w, **more):
    return {"slug": w.assoc_b.slug, "plan_id": pk(w.plan_b), **more}


# URL arguments per URL name, from the world above (objects of B and of school X).
KWARGS = {
    "partnerships:association": _b,
    "partnerships:plan_create": lambda w: {**_b(w), "partnership_id": pk(w.partnership_b)},
    "partnerships:plan": _plan,
    "partnerships:figures": lambda w: {**_b(w), "partnership_id": pk(w.partnership_b)},
    "partnerships:plan_add": lambda w: _plan(w, part="goal"),
    "partnerships:plan_submit": _plan,
    "partnerships:plan_edit": _plan,
    "partnerships:plan_change": _plan,
    "partnerships:plan_remove": lambda w: _plan(w, part="goal", part_id=pk(w.get("goal_b"))),
    "partnerships:plan_print": lambda w: {"plan_id": pk(w.approved_plan_b)},
    "partnerships:plan_pdf": lambda w: {"plan_id": pk(w.approved_plan_b)},
    "knowledge:feed": lambda w: {"municipality": w.m.slug},
    "knowledge:detail": lambda w: {"slug": w.knowledge_m.slug if w.knowledge_m else "x"},
    "knowledge:download": lambda w: {"slug": w.get("knowledge_template_m", w.knowledge_m).slug},
    "knowledge:propose_booking": lambda w: {"pk": pk(w.get("knowledge_booking_x"))},
    "knowledge:propose_partnership": lambda w: {"pk": pk(w.partnership_b)},
    "knowledge:proposal": lambda w: {"pk": pk(w.get("proposal_x"))},
    "knowledge:proposal_photo": lambda w: {"pk": pk(w.get("proposal_x"))},
    "knowledge:proposal_submit": lambda w: {"pk": pk(w.get("proposal_x"))},
    "knowledge:photo": lambda w: {"pk": pk(w.get("proposal_photo_x"))},
    "knowledge:proposal_photo_remove": lambda w: {
        "pk": pk(w.get("proposal_x")),
        "photo": pk(w.get("proposal_photo_x")),
    },
    "partnerships:event": lambda w: {"pk": pk(w.network_event)},
    "partnerships:event_register": lambda w: {"pk": pk(w.network_event)},
    "partnerships:event_ics": lambda w: {"pk": pk(w.network_event)},
    "partnerships:event_cancel": lambda w: {
        "pk": pk(w.network_event),
        "registration_id": pk(w.get("registration_b")),
    },
    "partnerships:meeting_new": lambda w: {"partnership_id": pk(w.partnership_b)},
    "partnerships:meeting": lambda w: {"meeting_id": pk(w.meeting_b)},
    "partnerships:meeting_minutes": lambda w: {"meeting_id": pk(w.meeting_b)},
    "partnerships:meeting_cancel": lambda w: {"meeting_id": pk(w.meeting_b)},
    "partnerships:meeting_move": lambda w: {"meeting_id": pk(w.meeting_b)},
    "partnerships:meeting_ics": lambda w: {"meeting_id": pk(w.meeting_b)},
    "switch_language": lambda w: {"code": "en"},
    "accounts:confirm_email": lambda w: {"token": w.confirm_token},
    "accounts:password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "catalog:offer_feed": lambda w: {"municipality": w.m.slug},
    "catalog:occasion_calendar": lambda w: {"municipality": w.m.slug},
    "catalog:offer_detail": lambda w: {"slug": w.offer_b.slug},
    "catalog:favourite_toggle": lambda w: {"slug": w.offer_b.slug},
    "catalog:association_detail": _b,
    "catalog:embed_detail": lambda w: {"slug": w.offer_b.slug},
    "associations:invitation": lambda w: {"token": w.invitation_token},
    "associations:detail": _b,
    "associations:profile_edit": _b,
    "associations:profile_preview": _b,
    "associations:profile_submit": _b,
    "associations:profile_withdraw": _b,
    "associations:profile_reopen": _b,
    "associations:invite": _b,
    "associations:revoke_invitation": lambda w: {**_b(w), "invitation_id": pk(w.invitation_b)},
    "associations:remove_member": lambda w: {**_b(w), "membership_id": w.member_b.pk},
    "associations:set_role": lambda w: {**_b(w), "membership_id": w.member_b.pk},
    "associations:decide_join_request": lambda w: {
        **_b(w),
        "request_id": pk(w.join_request_b),
        "decision": "approve",
    },
    "associations:instructor_create": _b,
    "associations:instructor_edit": lambda w: {**_b(w), "instructor_id": w.instructor_b.pk},
    "associations:instructor_delete": lambda w: {**_b(w), "instructor_id": w.instructor_b.pk},
    "associations:offer_create": _b,
    "associations:offer_edit": _ob,
    "associations:offer_step": lambda w: {**_ob(w), "step": "price"},
    "associations:offer_preview": _ob,
    "associations:offer_photo_add": _ob,
    "associations:offer_photo_delete": lambda w: {**_ob(w), "photo_id": DUMMY_INT},
    "associations:offer_action": lambda w: {**_ob(w), "action": "pause"},
    "schools:need_detail": lambda w: {"pk": pk(w.need_x)},
    "schools:need_close": lambda w: {"pk": pk(w.need_x)},
    "schools:decide_staff": lambda w: {"pk": pk(w.pending_staff_y)},
    "bookings:book_offer": lambda w: {"slug": w.offer_b.slug},
    "bookings:detail": lambda w: {"pk": pk(w.booking_x)},
    "bookings:decide_approval": lambda w: {"pk": pk(w.booking_x)},
    "bookings:approval_link": lambda w: {"token": w.approval_token},
    "bookings:post_message": lambda w: {"pk": pk(w.booking_x)},
    "bookings:evaluate": lambda w: {"pk": pk(w.booking_x)},
    "bookings:action": lambda w: {"pk": pk(w.booking_x), "action": "confirm"},
    "bookings:feed": lambda w: {"token": w.feed_x.token if w.feed_x else DUMMY_TOKEN},
    "bookings:feed_manage": lambda w: {
        "kind": "school",
        "pk": w.school_x.pk,
        "action": "regenerate",
    },
    "bookings:accept_waiting": lambda w: {"pk": pk(w.waiting_x)},
    "bookings:leave_waiting": lambda w: {"pk": pk(w.waiting_x)},
    "schools:participate": lambda w: {"pk": pk(w.event_x)},
    "schools:participation_detail": lambda w: {"pk": pk(w.participation_a)},
    "schools:participation_answer": lambda w: {"pk": pk(w.participation_a)},
    "schools:participation_message": lambda w: {"pk": pk(w.participation_a)},
    "bookings:occasions": lambda w: {"offer_pk": w.offer_b.pk},
    "bookings:occasion_edit": lambda w: {"pk": pk(w.occasion_b)},
    "bookings:occasion_cancel": lambda w: {"pk": pk(w.occasion_b)},
    "bookings:pool_amount": lambda w: {"pk": pk(w.pool_m)},
    "bookings:my_association_bookings": lambda w: {"pk": w.assoc_b.pk},
    "notifications:unsubscribe": lambda w: {"token": w.unsubscribe_token},
    "dashboard:export": lambda w: {"table": "collaborations-by-month", "fmt": "csv"},
    "dashboard:key_figures": lambda w: {"slug": w.m.slug},
    "dashboard:key_figures_embed": lambda w: {"slug": w.m.slug},
    "sso:start": lambda w: {"pk": DUMMY_INT},
    "api:offers": lambda w: {"slug": w.m.slug},
    "api:associations": lambda w: {"slug": w.m.slug},
    "api:occasions": lambda w: {"slug": w.m.slug},
}


def all_url_names() -> list[str]:
    names = []

    def walk(patterns, ns):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("admin/"):
                    continue
                walk(p.url_patterns, p.namespace or ns)
            else:
                names.append(f"{ns}:{p.name}" if ns else str(p.name))

    walk(get_resolver().url_patterns, None)
    return names
