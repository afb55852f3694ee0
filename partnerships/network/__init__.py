"""Network meetings, theme meetings, study trips and knowledge-sharing events (issue 21 point 5,
issue 22 point 6): one event model for both. The consultant invites partners (or opens the
event to every school and association of the municipality); the parties sign up with a number
of participants, a full room puts them on a waiting list, and afterwards the consultant
records attendance and a shared summary.

``models`` (imported by ``partnerships.models``), ``services`` (every change of a sign-up),
``access`` (who sees an event and for which parties one may sign up), ``views``, ``forms``,
``admin`` (imported by ``partnerships.admin``).
"""
