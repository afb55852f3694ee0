"""Authentication backend: Django's ModelBackend with the per-request user from the cache."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend

from .roles import cached_user


class CachedModelBackend(ModelBackend):
    """Log-in, passwords and permissions as ModelBackend. ``get_user``, which every signed-in
    request calls, reads the account and its roles from the cache (``accounts.roles``): any
    save of the account drops the cached copy, so a deactivation or a new password (the
    session's hash no longer matches) counts on the very next request."""

    def get_user(self, user_id):
        user = cached_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
