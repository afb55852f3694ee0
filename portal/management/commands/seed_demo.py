"""Load demo data idempotently and print one login per role. `make run` calls it."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from associations.models import (
    Association,
    AssociationMembership,
    Instructor,
    Offer,
    OfferPhoto,
    Subject,
)
from associations.services import refresh_certificate_validity
from municipalities.models import Consultant, Municipality
from portal import demo, demo_activity
from schools.models import School, SchoolMembership
from screening.workflow import ScreeningState


def valid_cvr(seed: int) -> str:
    """A deterministic CVR number that passes the modulus-11 check."""
    weights = (2, 7, 6, 5, 4, 3, 2)
    base = 3000000 + seed * 7919
    while True:
        digits = str(base)
        check = -sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        if check < 10:
            return digits + str(check)
        base += 1


class Command(BaseCommand):
    help = "Create demo data (idempotent) and print the demo logins."

    def user(self, email, name, **extra):
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": name, "email_confirmed_at": timezone.now(), **extra}
        )
        if created:
            user.set_password(demo.DEMO_PASSWORD)
            user.save()
        return user

    def handle(self, *args, **options):
        # The demo's e-mails (bookings, decisions) are kept in memory, not printed.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self.seed()
        self.print_logins()

    @transaction.atomic
    def seed(self):
        now = timezone.now()
        municipality, _ = Municipality.objects.update_or_create(
            code=demo.MUNICIPALITY["code"], defaults=demo.MUNICIPALITY
        )
        Municipality.objects.update_or_create(
            code=demo.OTHER_MUNICIPALITY["code"], defaults=demo.OTHER_MUNICIPALITY
        )

        consultant_user = self.user(
            demo.CONSULTANT["email"], demo.CONSULTANT["full_name"], is_staff=True
        )
        Consultant.objects.update_or_create(
            user=consultant_user,
            defaults={"municipality": municipality, "title": demo.CONSULTANT["title"]},
        )
        self.grant_consultant_group(consultant_user)
        self.user("drift@aabenskole.example", "Drift (operatør)", is_staff=True, is_superuser=True)

        schools = {}
        for name, slug, address, postal_code, town, lat, lon in demo.SCHOOLS:
            schools[slug], _ = School.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "municipality": municipality,
                    "address": address,
                    "postal_code": postal_code,
                    "town": town,
                    "latitude": lat,
                    "longitude": lon,
                },
            )
        for email, name, school_slug, role in demo.SCHOOL_STAFF:
            SchoolMembership.objects.update_or_create(
                user=self.user(email, name),
                school=schools[school_slug],
                defaults={"role": role, "is_approved": True, "approved_at": now},
            )

        associations = {}
        for i, (
            name,
            slug,
            domains,
            description,
            address,
            postal_code,
            town,
            contact,
            under_18,
            under_25,
        ) in enumerate(demo.ASSOCIATIONS):
            contact_name, contact_role, phone, email = contact
            association, _ = Association.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "cvr": valid_cvr(i),
                    "domains": domains,
                    "description": description,
                    "address": address,
                    "postal_code": postal_code,
                    "town": town,
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
            Instructor.objects.update_or_create(
                association=association,
                name=contact_name,
                defaults={
                    "role": contact_role,
                    "child_certificate_confirmed": True,
                    "child_certificate_date": (now - timedelta(days=200)).date(),
                    "school_experience": "Har haft skoleklasser på besøg i flere år.",
                },
            )
            associations[slug] = association
        for email, name, association_slug, role in demo.ASSOCIATION_MEMBERS:
            AssociationMembership.objects.update_or_create(
                user=self.user(email, name),
                association=associations[association_slug],
                defaults={"role": role},
            )

        subjects = {s.slug: s for s in Subject.objects.all()}
        for n, (
            association_slug,
            title,
            summary,
            domain,
            subject_slugs,
            grades,
            fmt,
            location,
            minutes,
            pupils,
            price_model,
            price,
            weeks,
            on_request,
            description,
            goals,
            bring,
        ) in enumerate(demo.OFFERS):
            association = associations[association_slug]
            # The last offer waits for the consultant, so that screening has something to show.
            waiting = n == len(demo.OFFERS) - 1
            offer, _ = Offer.objects.update_or_create(
                slug=f"{association_slug}-{n}",
                defaults={
                    "association": association,
                    "title": title,
                    "summary": summary,
                    "description": description,
                    "domain": domain,
                    "grade_min": grades[0],
                    "grade_max": grades[1],
                    "format": fmt,
                    "location": location,
                    "location_address": association.address if location == "elsewhere" else "",
                    "duration_minutes": minutes,
                    "pupils_min": pupils[0],
                    "pupils_max": pupils[1],
                    "price_model": price_model,
                    "price_amount": price,
                    "season_start_week": weeks[0],
                    "season_end_week": weeks[1],
                    "on_request": on_request,
                    "learning_goals": goals,
                    "what_to_bring": bring,
                    "faelles_maal_url": "https://emu.dk/grundskole",
                    "state": ScreeningState.SUBMITTED if waiting else ScreeningState.APPROVED,
                    "submitted_at": now - timedelta(days=3 + n),
                    "approved_at": None if waiting else now - timedelta(days=30 - n),
                    "approval_expires_at": None if waiting else now + timedelta(days=335 + n),
                },
            )
            offer.subjects.set([subjects[s] for s in subject_slugs if s in subjects])
            offer.instructors.set(association.instructors.all())
            refresh_certificate_validity(offer)
            if not offer.photos.exists():
                OfferPhoto.objects.create(
                    offer=offer,
                    image=ContentFile(demo.illustration(domain), name="demo.jpg"),
                    alt_text=f"Tegning: {title}",
                )
            if not on_request and not offer.occasions.exists() and not waiting:
                demo_activity.make_occasions(offer, timezone.localdate())

        demo_activity.build(municipality, stdout=self.stdout)

    def grant_consultant_group(self, user):
        from django.contrib.auth.models import Group

        group, _ = Group.objects.get_or_create(name="Consultant")
        user.groups.add(group)

    def print_logins(self):
        rows = [
            ("Konsulent (consultant)", demo.CONSULTANT["email"]),
            *[(f"Skole: {role}", email) for email, _n, _s, role in demo.SCHOOL_STAFF],
            *[(f"Forening: {role}", email) for email, _n, _a, role in demo.ASSOCIATION_MEMBERS],
            ("Operatør (superuser)", "drift@aabenskole.example"),
        ]
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/login/")
        )
        for role, email in rows:
            self.stdout.write(f"  {role:<28} {email:<45} password: {demo.DEMO_PASSWORD}")
