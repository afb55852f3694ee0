"""The demo's associations with their instructors, their offers with a drawn photo and dates,
an edit of an approved offer waiting for the consultant, and a new offer resubmitted after the
consultant asked for changes."""

from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile

from accounts.models import User
from associations.cvr import example_cvr
from associations.models import Association, Instructor, Offer, OfferPhoto, Subject
from associations.services import refresh_certificate_validity
from bookings import services as bookings
from bookings.models import Occasion
from municipalities.models import Municipality
from screening import services as screening
from screening.workflow import ScreeningState, Transition

from ..days import at, season_day
from . import data
from .cast import Cast
from .illustrations import illustration


def create_associations(municipality: Municipality, now: datetime) -> dict[str, Association]:
    """Approved associations of the municipality, each with its contact as an instructor."""
    associations = {}
    for i, row in enumerate(data.ASSOCIATIONS):
        (name, slug, domains, description, address, postal_code, town) = row[:7]
        contact, under_18, under_25 = row[7:]
        contact_name, contact_role, phone, email = contact
        association, _ = Association.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "cvr": example_cvr(3000000 + i * 7919),
                "domains": domains,
                "description": description,
                "address": address,
                "postal_code": postal_code,
                "town": town,
                "latitude": data.ASSOCIATION_POSITIONS[slug][0],
                "longitude": data.ASSOCIATION_POSITIONS[slug][1],
                "contact_name": contact_name,
                "contact_role": contact_role,
                "contact_phone": phone,
                "contact_email": email,
                "members_under_18": under_18,
                "members_under_25": under_25,
                "state": ScreeningState.APPROVED,
                "approved_at": now - timedelta(days=40),
                "approval_expires_at": now + timedelta(days=325),
            },
        )
        association.municipalities.add(municipality)
        create_instructor(association, contact_name, contact_role, now)
        associations[slug] = association
    return associations


def create_instructor(association: Association, name: str, role: str, now: datetime) -> None:
    Instructor.objects.update_or_create(
        association=association,
        name=name,
        defaults={
            "role": role,
            "child_certificate_confirmed": True,
            "child_certificate_date": (now - timedelta(days=200)).date(),
            "school_experience": "Har haft skoleklasser på besøg i flere år.",
        },
    )


def create_offers(associations: dict[str, Association], now: datetime) -> list[Offer]:
    """Every demo offer with its subjects, instructors and one drawn photo. All are approved
    but the last, which waits for the consultant so that screening has something to show."""
    subjects = {s.slug: s for s in Subject.objects.all()}
    offers = []
    for n, row in enumerate(data.OFFERS):
        association_slug, title, _summary, domain, subject_slugs = row[:5]
        association = associations[association_slug]
        waiting = n == len(data.OFFERS) - 1
        offer, _ = Offer.objects.update_or_create(
            slug=f"{association_slug}-{n}",
            defaults=offer_fields(row, association, n, waiting=waiting, now=now),
        )
        offer.subjects.set([subjects[s] for s in subject_slugs if s in subjects])
        if not offer.instructors.exists():  # a later step gives one offer an old certificate
            offer.instructors.set(association.instructors.all())
        refresh_certificate_validity(offer)
        if not offer.photos.exists():
            OfferPhoto.objects.create(
                offer=offer,
                image=ContentFile(illustration(domain), name="demo.jpg"),
                alt_text=f"Tegning: {title}",
            )
        offers.append(offer)
    return offers


#: The demo's offer that schools no longer see: an instructor's child certificate ran out.
EXPIRED_CERTIFICATE_OFFER = "helsingor-roklub-1"


def let_a_certificate_run_out(now: datetime) -> None:
    """One approved offer gets a substitute instructor whose child certificate is older than
    the municipality allows: "My association", the consultant's dashboard and the screening
    queue show it as hidden from schools, and its old link leads to the friendly page."""
    offer = Offer.objects.get(slug=EXPIRED_CERTIFICATE_OFFER)
    instructor, _ = Instructor.objects.update_or_create(
        association=offer.association,
        name="Jens Vikar",
        defaults={
            "role": "Vikar",
            "child_certificate_confirmed": True,
            "child_certificate_date": (now - timedelta(days=800)).date(),
        },
    )
    offer.instructors.add(instructor)
    refresh_certificate_validity(offer)


def create_draft_offer(association: Association) -> Offer:
    """An offer the association has started on and saved as a draft: the offer form shows
    which steps still miss something, and what "Submit for screening" asks for."""
    offer, _ = Offer.objects.update_or_create(
        slug=f"{association.slug}-kladde",
        defaults={
            "association": association,
            "title": "Havkajak for udskolingen",
            "summary": "En eftermiddag på Øresund for 7.–9. klasse",
            "domain": "sport",
            "grade_min": 7,
            "grade_max": 9,
            "location": "association",
            "state": ScreeningState.DRAFT,
        },
    )
    return offer


def offer_fields(row: tuple, association: Association, n: int, *, waiting, now) -> dict:
    """The model fields of the ``n``-th row of ``data.OFFERS``."""
    (_slug, title, summary, domain, _subjects, grades, fmt, location, minutes, pupils) = row[:10]
    (price_model, price, weeks, on_request, description, goals, bring) = row[10:]
    return {
        "association": association,
        "title": title,
        "summary": summary,
        "description": description,
        "domain": domain,
        "grade_min": grades[0],
        "grade_max": grades[1],
        "format": fmt,
        "location": location,
        "location_address": (
            data.OFFER_PLACES.get(title, association.address) if location == "elsewhere" else ""
        ),
        "location_latitude": data.OFFER_PLACE_POSITIONS.get(title, (None, None))[0],
        "location_longitude": data.OFFER_PLACE_POSITIONS.get(title, (None, None))[1],
        "duration_minutes": minutes,
        "pupils_min": pupils[0],
        "pupils_max": pupils[1],
        "price_model": price_model,
        "price_amount": price,
        "season_start_week": weeks[0],
        "season_end_week": weeks[1],
        "on_request": on_request,
        "weekdays": "12345",
        "learning_goals": goals,
        "what_to_bring": bring,
        "faelles_maal_url": "https://emu.dk/grundskole",
        "state": ScreeningState.SUBMITTED if waiting else ScreeningState.APPROVED,
        "submitted_at": now - timedelta(days=3 + n),
        "approved_at": None if waiting else now - timedelta(days=30 - n),
        "approval_expires_at": None if waiting else now + timedelta(days=335 + n),
    }


def create_offer_dates(offers: list[Offer], today: date) -> None:
    """Three dates for each approved offer with dates of its own that has none yet."""
    for offer in offers:
        if offer.on_request or offer.state != ScreeningState.APPROVED:
            continue
        if not offer.occasions.exists():
            create_occasions(offer, today)


def create_occasions(offer: Offer, today: date, weeks=(0, 2, 5)) -> None:
    """Dates ``weeks`` after the first school day in the offer's season at least three weeks
    from ``today``, on school days in the season, with two places each; the second is
    confirmed on booking (a booking of it is final at once)."""
    first = season_day(offer, today + timedelta(weeks=3))
    for n, weeks_later in enumerate(weeks):
        day = season_day(offer, first + timedelta(weeks=weeks_later), weekday=1 + n % 3)
        start = at(day, 9)
        occasion = Occasion(
            offer=offer,
            starts_at=start,
            ends_at=start + timedelta(minutes=offer.duration_minutes),
            place=offer.association.address,
            capacity=2,
            confirm_on_booking=n == 1,
        )
        bookings.save_occasion(occasion)


def submit_offer_edit(cast: Cast) -> None:
    """A second submission for the consultant: an edit of the newest approved offer with
    dates (the sailing offer) that opens it to one grade more, so that the queue shows a
    diff."""
    offer = cast.newest_fixed
    member = cast.member_of(offer)
    edit = screening.start_revision(offer, by=member)
    edit.grade_min = offer.grade_min - 1
    edit.summary = f"{offer.summary} – nu også for {edit.grade_min}. klasse"
    edit.save()
    screening.transition(edit, Transition.SUBMIT, by=member)


def answer_change_request(cast: Cast) -> None:
    """The consultant asked for changes to the new offer waiting in the queue, and the
    association answered and resubmitted it: the consultant sees what changed since."""
    offer = (
        Offer.objects.filter(
            association__municipalities=cast.municipality,
            revision_of=None,
            state=ScreeningState.SUBMITTED,
        )
        .order_by("pk")
        .first()
    )
    consultant = User.objects.filter(email=data.CONSULTANT["email"]).first()
    if offer is None or consultant is None:
        return
    screening.decide(
        offer,
        Transition.REQUEST_CHANGES,
        by=consultant,
        message="Skriv gerne, hvilke læringsmål i Fælles Mål forløbet støtter, "
        "og hvad eleverne skal have med.",
    )
    offer.refresh_from_db()
    offer.learning_goals = f"{offer.learning_goals} Eleverne arbejder med samarbejde og tillid."
    offer.what_to_bring = f"{offer.what_to_bring}, madpakke og drikkedunk".lstrip(", ")
    offer.save()
    screening.transition(offer, Transition.SUBMIT, by=cast.member_of(offer))
