"""Sessions read from the shared cache (Redis) and kept in the database (Django's cached_db),
carrying on from the database alone while the cache does not answer: Django's own backend falls
back to the database when reading, but fails the request when it puts the session back into an
unreachable cache (Django 5.2)."""

import logging

from django.contrib.sessions.backends import cached_db

log = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except Exception:  # noqa: BLE001 - the cache is down, or the key is not one it takes
            data = None
        if data is not None:
            return data
        s = self._get_session_from_db()
        if not s:
            return {}
        data = self.decode(s.session_data)
        try:
            self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=s.expire_date))
        except Exception as err:  # noqa: BLE001
            log.warning("session cache not answering (%s); the session is read from the database", type(err).__name__)
        return data
