"""Admin columns shared by the apps."""

from django.contrib import admin


def person(field: str, description):
    """A read-only admin field that names the user in ``field``. Django shows a read-only
    foreign key as a link to the user's admin page, which a consultant may not open (403).
    Use it as a method: ``updated_by_name = person("updated_by", _("updated by"))``."""

    @admin.display(description=description)
    def show(model_admin, obj):
        user = getattr(obj, field)
        return str(user) if user is not None else "–"

    return show
