"""What changed on a screened item, field by field.

Two comparisons use it: an edit of an approved item against the approved row, and a
resubmission against the version the consultant asked to change (``snapshot`` is stored
with the "request changes" event, ``differences`` compares it with the row as it is now).
Values are kept as language-neutral text (choice codes, not labels), so that a snapshot taken
in one language compares equal in another; labels are looked up only to show them.
"""

from __future__ import annotations

#: Fields never copied between a revision and its live row (nor compared).
NOT_COPIED = {
    "id",
    "state",
    "revision_of",
    "submitted_at",
    "decided_at",
    "approved_at",
    "approval_expires_at",
    "created_at",
    "updated_at",
    "slug",
    "certificates_valid_until",
    "is_paused",
}
#: Fields that are not the association's text either.
_NOT_COMPARED = NOT_COPIED | {"updated_by"}

#: (field name, label, old value, new value)
Change = tuple[str, str, str, str]


def _compared_fields(model) -> list:
    concrete = [
        f for f in model._meta.concrete_fields if f.editable and f.name not in _NOT_COMPARED
    ]
    return concrete + list(model._meta.many_to_many)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _parts(item) -> dict:
    """What an item holds beyond its own fields, e.g. an action plan's goals and activities:
    ``item.compared_parts()`` where the model has it, as {name: (label, text)}; the text is
    language-neutral like the fields'."""
    parts = getattr(item, "compared_parts", None)
    return parts() if callable(parts) else {}


def snapshot(item) -> dict[str, str]:
    """The item's fields (and parts) as text, by name (JSON-safe, for ``ScreeningEvent.data``)."""
    values = {}
    for field in _compared_fields(type(item)):
        if field.many_to_many:
            values[field.name] = ", ".join(sorted(str(o) for o in getattr(item, field.name).all()))
        else:
            values[field.name] = _text(field.value_from_object(item))
    values.update({name: text for name, (_label, text) in _parts(item).items()})
    return values


def _shown(field, value: str) -> str:
    """A stored value as a person reads it: a choice's label, a related row's name."""
    if not value:
        return value
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.many_to_one:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else value
    return value


def differences(before: dict[str, str], item) -> list[Change]:
    """The fields whose value in ``before`` (a ``snapshot``) differs from the item's now."""
    after = snapshot(item)
    by_name = {f.name: f for f in _compared_fields(type(item))}
    changes = [
        (name, str(field.verbose_name), _shown(field, before[name]), _shown(field, after[name]))
        for name, field in by_name.items()
        if name in before and before[name] != after[name]
    ]
    for name, (label, text) in _parts(item).items():
        if name in before and before[name] != text:
            changes.append((name, str(label), before[name], text))
    return changes
