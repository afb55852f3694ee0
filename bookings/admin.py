from django.contrib import admin

from .models import (
    Booking,
    BookingEvent,
    Occasion,
    OccasionSession,
    SubsidyPool,
    WaitingListEntry,
)


class TenantAdmin(admin.ModelAdmin):
    """Consultants see their own municipality's rows (the same queryset methods as the views)."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_consultant(request.user)


class ChangedByServicesOnly:
    """Shown, not changed, in the admin: dates and waiting lists change through the services
    (the dates' rules, the places under their row locks, the e-mails to the schools), from
    the association's and the school's pages. A cancellation ticked here would tell nobody
    and leave the bookings open. Operators may delete, as deleting a school, an offer or a
    user takes its dates and waiting-list entries along (a date with bookings is protected
    by ``Booking.occasion``)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class OccasionSessionInline(ChangedByServicesOnly, admin.TabularInline):
    model = OccasionSession
    extra = 0


@admin.register(Occasion)
class OccasionAdmin(ChangedByServicesOnly, TenantAdmin):
    list_display = [
        "offer",
        "starts_at",
        "capacity",
        "reserved",
        "confirm_on_booking",
        "is_cancelled",
    ]
    list_filter = ["is_cancelled", "confirm_on_booking"]
    inlines = [OccasionSessionInline]


class BookingEventInline(admin.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    readonly_fields = [
        "created_at",
        "actor",
        "actor_role",
        "transition",
        "from_state",
        "to_state",
        "note",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(TenantAdmin):
    """Read-only: state changes go through the services (lifecycle rules, locks, e-mail)."""

    list_display = ["offer", "school", "starts_at", "state", "answer_deadline"]
    list_filter = ["state"]
    search_fields = ["offer__title", "school__name"]
    inlines = [BookingEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(SubsidyPool)
class SubsidyPoolAdmin(TenantAdmin):
    list_display = ["municipality", "school_year", "amount", "reserved", "spent"]
    readonly_fields = ["reserved", "spent"]

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
        elif form.changed_data:
            # Only what the form changed: the totals are kept by the bookings under the
            # pool's row lock, and this form's copy of them may be a moment old.
            obj.save(update_fields=form.changed_data)


@admin.register(WaitingListEntry)
class WaitingListEntryAdmin(ChangedByServicesOnly, admin.ModelAdmin):
    list_display = ["occasion", "school", "places", "state", "created_at"]
    list_filter = ["state"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(school__municipality=request.user.consultant_municipality)
