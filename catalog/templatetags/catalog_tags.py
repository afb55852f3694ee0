"""Small presentation helpers for catalog templates."""

import functools
from html import escape
from urllib.parse import urlencode

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, ngettext, pgettext_lazy

from catalog import cards
from catalog.filters import OfferFilter
from portal.formatting import money
from portal.templatetags.portal_format import local_date

register = template.Library()

#: Weekdays as written inside a sentence ("Week 3 to week 20, monday · tuesday"): Danish writes
#: them in lowercase, English capitalised. The context keeps them apart from the capitalised
#: labels of the weekday filter.
WEEKDAY_NAMES = {
    "1": pgettext_lazy("weekday in a sentence", "Monday"),
    "2": pgettext_lazy("weekday in a sentence", "Tuesday"),
    "3": pgettext_lazy("weekday in a sentence", "Wednesday"),
    "4": pgettext_lazy("weekday in a sentence", "Thursday"),
    "5": pgettext_lazy("weekday in a sentence", "Friday"),
}


@register.filter
def weekday_names(digits: str) -> list[str]:
    """'135' -> ['Monday', 'Wednesday', 'Friday'] (da: ['mandag', 'onsdag', 'fredag'])."""
    return [str(WEEKDAY_NAMES[d]) for d in sorted(set(digits or "")) if d in WEEKDAY_NAMES]


@register.simple_tag
def association_offer(offer, link_target: str = "") -> str:
    """One offer in the list on an association's page (catalog/_association_body.html):
    its title, linked to its page if it has one, its summary and its facts. A tag rather
    than template code, each value escaped once with the standard library: with a URL, four
    labels and a dozen variables per offer, the list was half of the page's rendering.
    Reads the fields of ``catalog.services.ASSOCIATION_OFFER_SHOWN``."""
    title = escape(offer.title)
    if offer.slug:
        url = escape(reverse("catalog:offer_detail", args=[offer.live.slug]))
        target = f' target="{escape(link_target)}" rel="noopener"' if link_target else ""
        title = f'<a href="{url}" class="fw-semibold"{target}>{title}</a>'
    else:
        title = f'<span class="fw-semibold">{title}</span>'
    grades = gettext("Grades")  # outside the f-string: xgettext reads no call inside one
    facts = (
        f"{offer.get_domain_display()} · {grades} {offer.grade_range_display} · "
        f"{offer.get_format_display()} · {offer.get_price_model_display()}"
    )
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every value escaped
        f"{title}\n      <br><span>{escape(offer.summary)}</span>\n      "
        f'<br><small class="text-body-secondary">{escape(facts)}</small>'
    )


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current GET query with some keys replaced (None or "" removes them)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(list(params.lists()), doseq=True) if params else "?"


@register.simple_tag
def choice_inputs(
    bound_field, counts: dict | None = None, input_type: str = "checkbox", choices=None
) -> str:
    """A filter's options as Bootstrap check inputs, each with how many offers it leaves
    (``counts`` maps option to number): the same markup and ids (``id_domain_0``, ...) as
    iterating the bound field in the template. The catalog draws about forty on every
    search, so no widget is built per option and each value is escaped once with the
    standard library (Django's escaping costs ten calls a value). ``choices`` replaces the
    field's own (a model field's run a query each time)."""
    # As Django's ChoiceWidget.format_value: nothing chosen ticks a single choice's "" option.
    chosen = set(bound_field.field.widget.format_value(bound_field.value()))
    name, auto_id, kind = (
        escape(bound_field.html_name),
        escape(bound_field.auto_id),
        escape(input_type),
    )
    rows = []
    for i, (option, label) in enumerate(choices or bound_field.field.choices):
        option = str(getattr(option, "value", option))  # ModelChoiceIteratorValue
        n = counts.get(option) if counts else None
        number = "" if n is None else f' <span class="text-body-secondary">({int(n)})</span>'
        rows.append(
            f'<div class="form-check"><input class="form-check-input" type="{kind}" '
            f'name="{name}" value="{escape(option)}" id="{auto_id}_{i}"'
            f'{" checked" if option in chosen else ""}><label class="form-check-label" '
            f'for="{auto_id}_{i}">{escape(str(label))}{number}</label></div>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 # nosec B308 B703 - every value escaped


@register.simple_tag
def select_options(bound_field, *skip: str, choices=None) -> str:
    """A ``<select>``'s options for a filter, but those in ``skip``: the same markup as
    iterating the bound field in the template, without a widget object per option.
    ``choices`` replaces the field's own."""
    chosen = set(bound_field.field.widget.format_value(bound_field.value()))
    rows = []
    for option, label in choices or bound_field.field.choices:
        option = str(getattr(option, "value", option))  # ModelChoiceIteratorValue
        if option not in skip:
            selected = " selected" if option in chosen else ""
            rows.append(f'<option value="{escape(option)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(rows))  # noqa: S308 # nosec B308 B703 - every value escaped


@register.simple_tag
def municipality_options(municipalities, chosen) -> str:
    """The municipality picker's options (about a hundred on a national installation): each
    escaped once per process and list (``municipalities`` is the per-process list of
    ``services.municipality_list``, the same object until a municipality changes)."""
    options = _escaped_options(municipalities)
    slug = getattr(chosen, "slug", None)
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every value escaped
        "".join(
            [f"{start} selected{end}" if s == slug else start + end for s, start, end in options]
        )
    )


def _escaped_options(municipalities) -> list[tuple[str, str, str]]:
    """(slug, '<option value="slug"', '>name</option>') for each municipality, kept for the
    last list seen (a list built per request is escaped each time)."""
    last = _last_options
    if last and last[0] is municipalities:
        return last[1]
    options = [
        (m.slug, f'<option value="{escape(m.slug)}"', f">{escape(m.name)}</option>")
        for m in municipalities
    ]
    _last_options[:] = [municipalities, options]
    return options


_last_options: list = []


@register.simple_tag(takes_context=True)
def offer_card_body(context, offer) -> str:
    """What a card shows of ``offer`` when the view did not give it its card
    (``catalog.cards.render``): drawn by ``catalog.cards.catalog_card`` with the context's
    ``link_url``, ``link_target`` and ``has_origin``."""
    return cards.catalog_card(
        offer,
        link_url=context.get("link_url") or "",
        link_target=context.get("link_target") or "",
        has_origin=bool(context.get("has_origin")),
    )


@register.simple_tag
def card_items(offers) -> str:
    """The search page's list items of ``offers`` for a visitor without favourites, each
    ``catalog/_offer_card.html`` as it renders the card the view gave it (``card_html``):
    the same HTML without a template include per card (≈ 55 Python calls each)."""
    return mark_safe(  # noqa: S308 # nosec B308 B703 - card_html is escaped when drawn
        "".join(
            '<li class="col">\n<article class="card h-100 offer-card">\n'
            f"  {offer.card_html}\n    \n  </div>\n</article>\n</li>"
            for offer in offers
        )
    )


# The filter form ---------------------------------------------------------------------------
# Drawn here rather than by a template (Django's template engine took ≈ 2,000 Python calls for
# it on every catalog, calendar and map page): the labels are escaped once per language and
# process (``_labels``); only the values, counts and ticks are read per request.


@functools.cache
def _labels(language: str) -> dict[str, str]:
    """Each filter's label and the form's own texts, escaped, in ``language`` (the active
    one; the argument is the cache's key)."""
    labels = {name: escape(str(f.label)) for name, f in OfferFilter.base_filters.items()}
    labels["Filter offers"] = escape(gettext("Filter offers"))
    labels["Show offers"] = escape(gettext("Show offers"))
    labels["Clear filters"] = escape(gettext("Clear filters"))
    return labels


#: The filter form's fields whose options are fixed (the subjects come from the database).
FIXED_OPTIONS = ("domain", "format", "where", "weekday", "sort")


@functools.cache
def _options(form_class, language: str) -> dict[str, list[tuple[str, str]]]:
    """The options of the filter form's ``FIXED_OPTIONS`` fields as plain text in
    ``language`` (the active one; the argument is the cache's key): django-filter's choice
    iterator and the lazy labels cost ≈ 10 Python calls an option, forty on every search."""
    return {
        name: [(str(value), str(label)) for value, label in form_class.base_fields[name].choices]
        for name in FIXED_OPTIONS
    }


@functools.cache
def _no_errors() -> str:
    """What ``partials/_form_errors.html`` writes for a form without errors."""
    return render_to_string("partials/_form_errors.html", {"form": None})


def _value(form, name: str) -> str:
    value = form[name].value()
    return "" if value is None else escape(str(value))


def _input(form, name: str, labels: dict, attrs: str, indent: str = "", extra: str = "") -> str:
    """A labelled input, its value as the visitor sent it."""
    return (
        f'{indent}    <label for="id_{name}" class="form-label">{labels[name]}</label>\n'
        f'{indent}    <input {attrs} name="{name}" id="id_{name}" value="{_value(form, name)}" '
        f'class="form-control"{extra}>\n'
    )


def _column(form, name: str, labels: dict, attrs: str, extra: str = "") -> str:
    return (
        '    <div class="col-6">\n'
        + _input(form, name, labels, attrs, "  ", extra)
        + "    </div>\n"
    )


def _facet(
    form, name: str, labels: dict, counts: dict, options: dict, kind: str = "checkbox"
) -> str:
    return (
        '  <fieldset class="mb-3">\n'
        f'    <legend class="form-label fs-6 fw-semibold">{labels[name]}</legend>\n'
        f"    {choice_inputs(form[name], counts.get(name), kind, options[name])}\n"
        "  </fieldset>\n"
    )


def _select(name: str, labels: dict, options: str) -> str:
    return (
        '  <div class="mb-3">\n'
        f'    <label for="id_{name}" class="form-label">{labels[name]}</label>\n'
        f'    <select name="{name}" id="id_{name}" class="form-select">\n'
        f"      {options}\n"
        "    </select>\n"
        "  </div>\n"
    )


def _subjects(form, labels: dict, choices) -> str:
    label = labels["subject"]
    return (
        f'  <details class="mb-3"{" open" if form["subject"].value() else ""}>\n'
        f'    <summary class="form-label fw-semibold">{label}</summary>\n'
        '    <fieldset class="subject-list mt-1">\n'
        f'      <legend class="visually-hidden">{label}</legend>\n'
        f"      {choice_inputs(form['subject'], None, 'checkbox', choices)}\n"
        "    </fieldset>\n"
        "  </details>\n"
    )


def _free(form, labels: dict, counts: dict) -> str:
    checked = " checked" if form["free"].value() else ""
    free = counts.get("free")
    number = f' <span class="text-body-secondary">({free["true"]})</span>' if free else ""
    return (
        '  <div class="form-check mb-2">\n'
        '    <input class="form-check-input" type="checkbox" name="free" value="true" '
        f'id="id_free"{checked}>\n'
        f'    <label class="form-check-label" for="id_free">{labels["free"]}{number}</label>\n'
        "  </div>\n"
    )


def _distance(form, labels: dict, notice: str) -> str:
    """The postal code and distance, with the notice why a distance was not used."""
    described = ' aria-describedby="distance-notice"' if notice else ""
    if notice:
        notice = (
            '<p id="distance-notice" class="form-text text-warning-emphasis mb-0" '
            f'role="status">{escape(str(notice))}</p>'
        )
    return (
        '  <div class="row g-2 mb-3">\n'
        + _column(form, "postal_code", labels, 'type="text" inputmode="numeric" pattern="[0-9]{4}"')
        + _column(form, "distance", labels, 'type="number" min="1" max="200"', described)
        + f"    {notice}\n"
        "  </div>\n"
    )


@register.simple_tag(takes_context=True)
def filter_form(context) -> str:
    """The catalog filters as a GET form. Context: filter, counts (facet -> value -> n),
    has_origin, municipality, subject_choices (``services.subject_choices``: no query per
    page); optional keep: (name, value) pairs sent along (the calendar's period)."""
    filterset, counts = context["filter"], context.get("counts") or {}
    form, labels = filterset.form, _labels(get_language())
    municipality = context.get("municipality")
    slug = escape(municipality.slug) if municipality else ""
    keep = "".join(
        f'<input type="hidden" name="{escape(str(k))}" value="{escape(str(v))}">'
        for k, v in context.get("keep") or ()
    )
    errors = _no_errors()
    if form.errors:
        errors = render_to_string("partials/_form_errors.html", {"form": form})
    options = _options(type(form), get_language())
    skip = () if context.get("has_origin") else ("nearest",)
    sort = select_options(form["sort"], *skip, choices=options["sort"])
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every value escaped
        f'\n<form method="get" class="catalog-filters" aria-label="{labels["Filter offers"]}">\n'
        + (f'  <input type="hidden" name="municipality" value="{slug}">\n' if slug else "  \n")
        + f"  {keep}\n  \n  {errors}\n"
        + '  <div class="mb-3">\n'
        + _input(form, "q", labels, 'type="search"')
        + "  </div>\n"
        + _facet(form, "domain", labels, counts, options)
        + _subjects(form, labels, context.get("subject_choices"))
        + '  <div class="row g-2 mb-3">\n'
        + _column(form, "grade", labels, 'type="number" min="0" max="10"')
        + _column(form, "week", labels, 'type="number" min="1" max="53"')
        + "  </div>\n"
        + _facet(form, "format", labels, counts, options)
        + _facet(form, "where", labels, counts, options, "radio")
        + _select("weekday", labels, select_options(form["weekday"], choices=options["weekday"]))
        + _free(form, labels, counts)
        + '  <div class="mb-3">\n'
        + _input(form, "max_price", labels, 'type="number" min="0" step="50"')
        + "  </div>\n"
        + _distance(form, labels, filterset.distance_notice)
        + _select("sort", labels, sort)
        + f'  \n  <button type="submit" class="btn btn-primary">{labels["Show offers"]}</button>\n'
        + f'  <a href="?{"municipality=" + slug if slug else ""}" class="btn btn-link">'
        + f"{labels['Clear filters']}</a>\n</form>\n"
    )


# The offer's profile ----------------------------------------------------------------------
# Drawn here rather than by templates (``_offer_body.html``, the offer page's booking box): their
# translations, filters and conditions were most of the offer page's rendering. Values are
# escaped once with the standard library; fixed texts are translated once per language and
# process (``_texts``) and written as ``{% translate %}`` writes them, unescaped.


@functools.cache
def _texts(language: str) -> dict[str, str]:
    """The profile's fixed texts in ``language`` (the active one; the argument is the cache's
    key)."""
    return {
        "Domain": gettext("Domain"),
        "School subjects": gettext("School subjects"),
        "Grades": gettext("Grades"),
        "Format": gettext("Format"),
        "Where": gettext("Where"),
        "Duration": gettext("Duration"),
        "Pupils per session": gettext("Pupils per session"),
        "Sessions per week": gettext("Sessions per week"),
        "When": gettext("When"),
        "Price": gettext("Price"),
        "Week %(start)s to week %(end)s": gettext("Week %(start)s to week %(end)s"),
        "On request": gettext("On request: the school proposes dates."),
        "Fixed dates": gettext("Fixed dates, see below."),
        "%(amount)s DKK": gettext("%(amount)s DKK"),
        "By": gettext("By"),
        "Description": gettext("Description"),
        "Learning goals it supports": gettext("Learning goals it supports"),
        "See Fælles Mål": gettext("See Fælles Mål"),
        "What pupils bring": gettext("What pupils bring"),
        "Accessibility": gettext("Accessibility"),
        "Weather": gettext("Weather"),
        "Transport": gettext("Transport"),
        "instructor_experience": gettext("The instructors' experience with school life"),
        "Dates": gettext("Dates"),
        "Fully booked": gettext("Fully booked"),
        "confirmed on booking": gettext("confirmed on booking"),
        "No upcoming dates.": gettext("No upcoming dates."),
        "Contact": gettext("Contact"),
        "Price for one class": gettext("Price for one class"),
        "Price per pupil": gettext("Price per pupil"),
        "%(amount)s DKK per pupil": gettext("%(amount)s DKK per pupil"),
        "Free": gettext("Free"),
        "Ask the association": gettext("Ask the association"),
        "Next date": gettext("Next date"),
        "Confirmed on booking": gettext("Confirmed on booking: your booking is final at once."),
        "Only school staff can book.": gettext("Only school staff can book."),
        "Book / send request": gettext("Book / send request"),
        # Weekdays as ``weekday_names`` writes them.
        **{digit: str(name) for digit, name in WEEKDAY_NAMES.items()},
    }


def _where(offer) -> str:
    where = escape(offer.get_location_display())
    if offer.location_address:
        where += f": {escape(offer.location_address)}"
        if offer.location_postal_code:
            where += f", {escape(offer.location_postal_code)}"
    return where


def _when(offer, texts: dict) -> str:
    weeks = texts["Week %(start)s to week %(end)s"] % {
        "start": offer.season_start_week,
        "end": offer.season_end_week,
    }
    days = " · ".join(texts[d] for d in sorted(set(offer.weekdays or "")) if d in WEEKDAY_NAMES)
    dates = texts["On request"] if offer.on_request else texts["Fixed dates"]
    return f"{escape(weeks)}{', ' + escape(days) if days else ''}<br>{escape(dates)}"


def _price(offer, texts: dict) -> str:
    price = escape(offer.get_price_model_display())
    if offer.price_amount is not None and offer.price_model != "free":
        unit = "%(amount)s DKK per pupil" if offer.priced_per_pupil else "%(amount)s DKK"
        price += ": " + escape(texts[unit] % {"amount": money(offer.price_amount)})
    return price


@register.simple_tag
def offer_facts(offer) -> str:
    """The facts of an offer's profile (``offer_body``), as the rows of a ``<dl>``: domain,
    school subjects, grades, format, place, duration, pupils, sessions, season and weekdays,
    price."""
    texts = _texts(get_language())
    names = getattr(offer, "subject_names", None)  # services.published_offer
    if names is None:  # a preview
        names = [str(subject) for subject in offer.subjects.all()]
    subjects = ", ".join(escape(name) for name in names)
    minutes = offer.duration_minutes
    duration = (
        ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % {"minutes": minutes}
        if minutes
        else "–"
    )
    rows = [
        ("Domain", escape(offer.get_domain_display())),
        ("School subjects", subjects) if subjects else None,
        ("Grades", escape(offer.grade_range_display)),
        ("Format", escape(offer.get_format_display())),
        ("Where", _where(offer)),
        ("Duration", escape(duration)),
        ("Pupils per session", f"{offer.pupils_min}–{offer.pupils_max}"),
        ("Sessions per week", str(offer.sessions_per_week)),
        ("When", _when(offer, texts)),
        ("Price", _price(offer, texts)),
    ]
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every value escaped
        "\n".join(
            f'    <dt class="col-sm-4">{escape(texts[label])}</dt><dd class="col-sm-8">{value}</dd>'
            for label, value in filter(None, rows)
        )
    )


def _photos(offer) -> str:
    """The offer's photos in order: those ``services.published_offer`` read for its page
    (``photo_list``), or the offer's own (a preview)."""
    photos = getattr(offer, "photo_list", None)
    if photos is None:
        photos = list(offer.photos.all())
    if not photos:
        return ""
    images = "".join(
        f'<img src="{escape(photo.image.url)}" alt="{escape(photo.alt_text)}" '
        'class="img-fluid rounded offer-photo" loading="lazy" width="320">'
        for photo in photos
    )
    return f'\n  <div class="offer-photos d-flex flex-wrap gap-2 mb-3">\n    {images}\n  </div>\n  '


def _paragraphs(text: str) -> str:
    """``text|linebreaks``: paragraphs and line breaks, escaped."""
    return linebreaks(text, autoescape=True)


def _association(offer, link_target: str) -> str:
    """The association's name, linked to its page when it has one (not a draft's)."""
    association = offer.association
    name = escape(association.name)
    if not association.slug:
        return name
    url = escape(reverse("catalog:association_detail", args=[association.live.slug]))
    target = f' target="{escape(link_target)}" rel="noopener"' if link_target else ""
    return f'<a href="{url}"{target}>{name}</a>'


def _learning_goals(offer, texts: dict) -> str:
    if not (offer.learning_goals or offer.faelles_maal_url):
        return ""
    goals = ""
    if offer.learning_goals:
        goals = f'<div class="mb-2">{_paragraphs(offer.learning_goals)}</div>'
    link = ""
    if offer.faelles_maal_url:
        link = (
            f'<p><a href="{escape(offer.faelles_maal_url)}" target="_blank" rel="noopener">'
            f"{texts['See Fælles Mål']}</a></p>"
        )
    heading = texts["Learning goals it supports"]
    return f'\n  <h2 class="h5">{heading}</h2>\n  {goals}\n  {link}\n  '


def _section(text: str, heading: str) -> str:
    if not text:
        return ""
    return f'<h2 class="h5">{heading}</h2><div class="mb-3">{_paragraphs(text)}</div>'


def _free_places(occasion, texts: dict) -> str:
    free = occasion.free
    if not free:
        return texts["Fully booked"]
    return ngettext("%(free)s free place", "%(free)s free places", free) % {"free": free}


def _occasion(occasion, texts: dict) -> str:
    # A line of its own: Danish writes the weekday small, so the line's first letter is raised.
    starts = capfirst(local_date(timezone.localtime(occasion.starts_at), "WEEKDAY_DATETIME_FORMAT"))
    ends = timezone.localtime(occasion.ends_at).strftime("%H:%M")
    place = f", {escape(occasion.place)}" if occasion.place else ""
    confirmed = " · " + texts["confirmed on booking"] if occasion.confirm_on_booking else ""
    return (
        f"\n    <li>{escape(starts)}–{escape(ends)}{place}:\n"
        f"      {_free_places(occasion, texts)}{confirmed}</li>\n    "
    )


def _dates(offer, occasions, texts: dict) -> str:
    if occasions is None or offer.on_request:
        return ""
    if occasions:
        items = "".join(_occasion(occasion, texts) for occasion in occasions)
        listed = f'\n  <ul class="list-unstyled offer-occasions">\n    {items}\n  </ul>\n  '
    else:
        listed = f"<p>{texts['No upcoming dates.']}</p>"
    return f'\n  <h2 class="h5">{texts["Dates"]}</h2>\n  {listed}\n  '


def _contact(association, texts: dict) -> str:
    role = f" ({escape(association.contact_role)})" if association.contact_role else ""
    email, phone = escape(association.contact_email), escape(association.contact_phone)
    return (
        f'\n  <h2 class="h5">{texts["Contact"]}</h2>\n'
        f'  <p class="offer-contact">{escape(association.contact_name)}{role}<br>\n'
        f'    <a href="mailto:{email}">{email}</a> · <a href="tel:{phone}">{phone}</a></p>\n  '
    )


@register.simple_tag(takes_context=True)
def offer_body(context) -> str:
    """Everything a school sees of an offer profile (``_offer_body.html``). Context: offer;
    optional: occasions (upcoming, with ``.free``; None leaves the dates out), show_contact,
    link_target ("_blank" in the embed)."""
    offer, texts = context["offer"], _texts(get_language())
    sections = "\n  ".join(
        [
            _section(offer.what_to_bring, texts["What pupils bring"]),
            _section(offer.accessibility, texts["Accessibility"]),
            _section(offer.weather, texts["Weather"]),
            _section(offer.transport, texts["Transport"]),
            _section(offer.instructor_experience, texts["instructor_experience"]),
        ]
    )
    contact = _contact(offer.association, texts) if context.get("show_contact") else ""
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every value escaped
        '\n<article class="offer-body">\n'
        f'  <p class="lead mb-2">{escape(offer.summary)}</p>\n'
        '  <p class="text-body-secondary mb-3">\n'
        f"    {texts['By']}\n"
        f"    {_association(offer, context.get('link_target') or '')}\n"
        f"  </p>\n  {_photos(offer)}\n"
        f'  <dl class="row offer-facts">\n{offer_facts(offer)}\n  </dl>\n'
        f'  <h2 class="h5">{texts["Description"]}</h2>\n'
        f'  <div class="mb-3">{_paragraphs(offer.description)}</div>\n'
        f"  {_learning_goals(offer, texts)}\n"
        f"  {sections}\n"
        f"  {_dates(offer, context.get('occasions'), texts)}\n"
        f"  {contact}\n"
        "</article>"
    )


def _class_price(class_price, texts: dict) -> str:
    if class_price == 0:
        return texts["Free"]
    if class_price is None:
        return texts["Ask the association"]
    return texts["%(amount)s DKK"] % {"amount": escape(money(class_price))}


def _next_date(occasions, texts: dict) -> str:
    """The first of ``occasions``: when, its free places, whether booking it is final."""
    if not occasions:
        return texts["No upcoming dates."]
    first = occasions[0]
    when = timezone.localtime(first.starts_at)
    confirmed = ""
    if first.confirm_on_booking:
        confirmed = f'<br><span class="small">{texts["Confirmed on booking"]}</span>'
    return (
        f'<time datetime="{escape(when.isoformat())}">'
        f"{escape(capfirst(local_date(when, 'WEEKDAY_DATETIME_FORMAT')))}</time><br>"
        f"{_free_places(first, texts)}{confirmed}"
    )


@register.simple_tag(takes_context=True)
def offer_booking(context) -> str:
    """The offer page's booking box (``offer_detail.html``) up to the favourite button: the
    price for one class, the next date (not for an offer on request), and the link to book
    or why the visitor cannot. Context: offer, class_price, occasions, book_url, user."""
    offer, texts = context["offer"], _texts(get_language())
    next_date = ""
    if not offer.on_request:
        next_date = (
            f'\n      <p class="h5">{texts["Next date"]}</p>\n'
            f'      <p class="offer-next-date">{_next_date(context["occasions"], texts)}</p>\n      '
        )
    user = context["user"]
    if user.is_authenticated and not user.is_school_staff:
        book = f'\n      <p class="small">{texts["Only school staff can book."]}</p>\n      '
    else:
        book = (
            f'\n      <a class="btn btn-primary btn-lg w-100 mb-2" href="{escape(context["book_url"])}">'
            f"{texts['Book / send request']}</a>\n      "
        )
    if offer.priced_per_pupil and offer.price_amount is not None:
        # Paid per pupil: a class's price depends on its size (the booking form computes it).
        heading = texts["Price per pupil"]
        price = texts["%(amount)s DKK"] % {"amount": escape(money(offer.price_amount))}
    else:
        heading, price = texts["Price for one class"], _class_price(context["class_price"], texts)
    return mark_safe(  # noqa: S308 # nosec B308 B703 - every value escaped
        f'<p class="h5">{heading}</p>\n'
        f'      <p class="offer-class-price">{price}</p>\n'
        f"      {next_date}\n      {book}"
    )
