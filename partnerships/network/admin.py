"""Network meetings and events in the admin: the consultant plans an event of their
municipality, invites all partners or a selection (each e-mailed once), follows the sign-ups
and the waiting list, and afterwards records attendance and writes the shared summary.

Tenancy as for partnerships (``municipalities.admin.TenantAdmin``: the consultant's
municipality, set, never chosen). Sign-ups change only through ``services`` (from the partners' pages); here only the
number who came is recorded.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from municipalities.admin import TenantAdmin
from portal.admin_display import person
from portal.forms import BoundedDateTimeField, BoundedModelMultipleChoiceField

from ..models import LeisureInstitution, Partnership
from . import services
from .models import MAX_PARTICIPANTS, NetworkEvent, Registration


class NetworkEventForm(forms.ModelForm):
    starts_at = BoundedDateTimeField(
        label=_("starts"),
        help_text=_(
            "A new time or place for a planned event is e-mailed to the invited partners and "
            "to everyone signed up when you save."
        ),
    )
    ends_at = BoundedDateTimeField(label=_("ends"))
    invite = BoundedModelMultipleChoiceField(
        label=_("Invite partners"),
        queryset=Partnership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each partner's resource person is e-mailed once, when you save."),
    )
    invite_all = forms.BooleanField(
        label=_("Invite every partner"),
        required=False,
        help_text=_("Every proposed and active partnership of the municipality."),
    )

    sign_up_institution = forms.ModelChoiceField(
        label=_("Sign up an invited leisure institution or club"),
        queryset=LeisureInstitution.objects.none(),
        required=False,
        help_text=_("An institution has no login: it answers you, and you sign it up here."),
    )
    sign_up_participants = forms.IntegerField(
        label=_("Its number of participants"),
        min_value=1,
        max_value=MAX_PARTICIPANTS,
        required=False,
    )

    class Meta:
        model = NetworkEvent
        fields = [
            "municipality",
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "audience",
            "summary",
        ]

    #: The partnerships the consultant may invite (set by the admin's ``get_form``).
    invite_choices = Partnership.objects.none()
    #: Whether the form gives the event a new time or place (``clean``).
    moves_event = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invite"].queryset = self.invite_choices
        event = self.instance
        if event.pk:
            self.fields["sign_up_institution"].queryset = LeisureInstitution.objects.filter(
                partnerships__event_invitations__event=event
            ).exclude(
                event_registrations__event=event,
                event_registrations__state__in=["confirmed", "waiting"],
            )

    def clean(self):
        data = super().clean()
        self._check_move(data)
        capacity = data.get("capacity")
        if self.instance.pk and capacity is not None and capacity < self.instance.taken():
            raise ValidationError(
                {
                    "capacity": _(
                        "%(n)d seats are taken already: ask parties to cancel before you choose "
                        "a smaller room."
                    )
                    % {"n": self.instance.taken()}
                }
            )
        institution = data.get("sign_up_institution")
        if institution is None:
            return data
        participants = data.get("sign_up_participants")
        if not participants:
            raise ValidationError({"sign_up_participants": _("How many come?")})
        if participants > (data.get("capacity") or 0):
            raise ValidationError({"sign_up_participants": _("More than the room holds.")})
        if self.instance.starts_at <= timezone.now():
            raise ValidationError(
                {"sign_up_institution": _("The event has begun: sign-up is closed.")}
            )
        return data

    def _check_move(self, data) -> None:
        """A new time or place (``services.moves``) is made and told to everyone concerned
        when the event is saved (``services.move``; ``moves_event``), if it may be
        (``services.check_move``)."""
        event = self.instance
        when_and_where = [data.get(name) for name in services.WHEN_AND_WHERE]
        if event.pk is None or None in when_and_where or not services.moves(event, *when_and_where):
            return
        services.check_move(event, data["starts_at"])
        self.moves_event = True


class RegistrationInline(admin.TabularInline):
    """The sign-ups and the waiting list; the consultant records how many came."""

    model = Registration
    extra = 0
    fields = ["party", "state", "participants", "registered_by_name", "created_at", "attended"]
    readonly_fields = ["party", "state", "participants", "registered_by_name", "created_at"]
    registered_by_name = person(
        "registered_by", Registration._meta.get_field("registered_by").verbose_name
    )
    ordering = ["state", "created_at", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("party"))
    def party(self, obj):
        return obj.party


@admin.register(NetworkEvent)
class NetworkEventAdmin(TenantAdmin):
    form = NetworkEventForm
    list_display = ["title", "kind", "starts_at", "place", "audience", "seats"]
    list_filter = ["kind", "audience"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    readonly_fields = ["invited", "seats", "cancelled_at"]
    inlines = [RegistrationInline]
    actions = ["cancel_events"]

    @admin.action(description=_("Cancel the chosen events (e-mails the invited and signed up)"))
    def cancel_events(self, request, queryset):
        cancelled = sent = 0
        for event in queryset.filter(cancelled_at__isnull=True):
            try:
                told = services.cancel_event(event)
            except ValidationError as error:
                self.message_user(request, f"{event}: {error.messages[0]}", messages.ERROR)
                continue
            # Who cancelled, in the event's history (the admin logs its own saves only).
            self.log_change(request, event, _("Cancelled."))
            cancelled += 1
            sent += told
        self.message_user(
            request,
            ngettext(
                "%(n)d event cancelled, %(m)d e-mails sent.",
                "%(n)d events cancelled, %(m)d e-mails sent.",
                cancelled,
            )
            % {"n": cancelled, "m": sent},
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        municipality = obj.municipality if obj else request.user.consultant_municipality
        if municipality is not None:
            choices = services.invitable(municipality)
        else:  # an operator's new event: the partnerships of every municipality
            choices = Partnership.objects.all()
        if obj is not None:
            choices = choices.exclude(event_invitations__event=obj)
        return type(
            form.__name__,
            (form,),
            {"invite_choices": choices.select_related("association", "institution")},
        )

    def has_change_permission(self, request, obj=None):
        # A cancelled event is kept as it was: nobody is invited or signed up to it again.
        if obj is not None and obj.is_cancelled:
            return False
        return super().has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:  # nobody is invited yet
            fields = [f for f in fields if not f.startswith("sign_up_")]
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            return
        if form.moves_event:
            # Before partners are invited (``save_related``): one invited now hears of the
            # new time only in the invitation. Decided against the row as it stands.
            time_and_place = {name: getattr(obj, name) for name in services.WHEN_AND_WHERE}
            sent = services.move(obj, **time_and_place)
            self.message_user(
                request,
                ngettext(
                    "The new time or place is e-mailed to %(n)d person.",
                    "The new time or place is e-mailed to %(n)d people.",
                    sent,
                )
                % {"n": sent},
            )
        # Only the other fields the form changed: a move or a cancellation made meanwhile by
        # another request is not undone by this form's older values.
        others = {f.name for f in NetworkEvent._meta.concrete_fields} - {*services.WHEN_AND_WHERE}
        changed = [name for name in form.changed_data if name in others]
        if changed:
            obj.save(update_fields=[*changed, "updated_at"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        event = form.instance
        services.invite(
            event, form.cleaned_data.get("invite"), everyone=form.cleaned_data.get("invite_all")
        )
        if change and "capacity" in form.changed_data:
            services.change_capacity(event)
        institution = form.cleaned_data.get("sign_up_institution")
        if institution is not None:
            services.register(
                event,
                institution,
                user=request.user,
                participants=form.cleaned_data["sign_up_participants"],
            )

    @admin.display(description=_("invited"))
    def invited(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        rows = [
            (
                str(i.partnership),
                timezone.localtime(i.emailed_at).strftime("%Y-%m-%d %H:%M") if i.emailed_at else "",
            )
            for i in obj.invitations.select_related(
                "partnership__association", "partnership__institution"
            )
        ]
        return format_html_join("\n", "<div>{} · {}</div>", rows) or "-"

    @admin.display(description=_("seats taken"))
    def seats(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        return f"{obj.taken()} / {obj.capacity}"
