"""A municipality's default focus areas, from the seeds (Danish, as the municipalities write
them; each municipality edits its own copy in the admin afterwards).

``create_defaults`` is idempotent: it adds what is missing by name and changes nothing the
municipality edited. The data migration (0004) calls it with the historical model for the
municipalities that existed; the demo calls it for its own.
"""

#: Copenhagen's social partnerships (seed 002): the six areas of an action plan.
PARTNERSHIP_AREAS = [
    "Intern organisering og struktur i foreningen",
    "Rekruttering og inddragelse af frivillige/trænere",
    "Indgåelse af lokale samarbejder om målgruppen",
    "Fastholdelse af udsatte børn og unge",
    "Rekruttering af udsatte børn og unge",
    "Inddragelse af forældre",
]

#: Copenhagen's school–leisure model, "Stærkt samarbejde" (seed 001): the six target areas.
SCHOOL_LEISURE_AREAS = [
    "Børn og unges kulturfællesskaber i centrum",
    "Udsatte børn og unge",
    "Overgange",
    "Fælles fokus og fælles sprog",
    "Ledelsesmæssig forankring af samarbejdet",
    "Forvaltningens implementeringsindsatser",
]

DEFAULTS = {"partnership": PARTNERSHIP_AREAS, "school_leisure": SCHOOL_LEISURE_AREAS}


def create_defaults(municipality, model=None) -> int:
    """Give ``municipality`` the default areas it lacks; returns how many were added."""
    if model is None:
        from .models import FocusArea as model
    have = set(model.objects.filter(municipality=municipality).values_list("kind", "name"))
    missing = [
        model(municipality=municipality, kind=kind, name=name, position=n)
        for kind, names in DEFAULTS.items()
        for n, name in enumerate(names, start=1)
        if (kind, name) not in have
    ]
    model.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
