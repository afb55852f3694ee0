"""An e-mail's context while it waits in the outbox: what may wait for the worker, as JSON.

``notify()`` stores the context on the row (``store``) and the worker loads it again just
before it writes the e-mail (``load``), in the recipient's language. So the context holds
only what means the same later and in any language:

- model instances, stored as ``{"model": label, "pk": pk}`` and loaded again when written
  (the e-mail shows the object as it is then; a deleted one stops the e-mail);
- lists of those and of the values below (a deleted object in a list is left out: a digest
  still goes out without it);
- dates, datetimes and decimals (tagged: ``{"date": "2026-06-05"}``);
- strings, numbers, booleans and None.

A lazy translation (a choice's label, a model's verbose name) would be turned into text in
the language of the request, not the recipient's: it is refused. Pass the raw value (a
state's code, the model's label) and look the label up in the template.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.db import models


def store(context: dict) -> dict:
    """``context`` as JSON for the outbox row; TypeError for what cannot wait."""
    return {name: _store(name, value) for name, value in context.items()}


def _store(name: str, value):
    if value is None or isinstance(value, bool | int | float | str):
        return str(value) if isinstance(value, str) else value  # a SafeString is text too
    if isinstance(value, models.Model):
        if value.pk is None:
            raise TypeError(f"{name!r} cannot wait for the worker: it is not saved")
        pk = value.pk if isinstance(value.pk, int) else str(value.pk)
        return {"model": value._meta.label_lower, "pk": pk}
    if isinstance(value, datetime):  # before date: a datetime is a date
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, list | tuple):
        return [_store(name, item) for item in value]
    # A lazy translation, say, would be written in the request's language.
    raise TypeError(f"{name!r} cannot wait for the worker: {type(value).__name__}")


def load(stored: dict) -> dict:
    """The context of a stored row with its objects loaded again; ObjectDoesNotExist when
    one of them (not in a list) has been deleted."""
    return {name: _load(value) for name, value in stored.items()}


def _load(value):
    if isinstance(value, list):
        return _load_list(value)
    if not isinstance(value, dict):
        return value
    if "model" in value:
        return apps.get_model(value["model"])._default_manager.get(pk=value["pk"])
    if "datetime" in value:
        return datetime.fromisoformat(value["datetime"])
    if "date" in value:
        return date.fromisoformat(value["date"])
    if "decimal" in value:
        return Decimal(value["decimal"])
    raise ValueError(f"not a stored context value: {value!r}")


def _load_list(values: list) -> list:
    """A list's objects are loaded with one query per model; deleted ones are left out."""
    wanted = defaultdict(list)
    for value in values:
        if isinstance(value, dict) and "model" in value:
            wanted[value["model"]].append(value["pk"])
    found = {}
    for label, pks in wanted.items():
        model = apps.get_model(label)
        for pk, obj in model._default_manager.in_bulk(pks).items():
            found[label, str(pk)] = obj
    loaded = []
    for value in values:
        if isinstance(value, dict) and "model" in value:
            obj = found.get((value["model"], str(value["pk"])))
            if obj is not None:
                loaded.append(obj)
        else:
            loaded.append(_load(value))
    return loaded
