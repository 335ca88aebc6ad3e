"""Dependencies that guard routes: `ReadAccess` (open unless configured) and `WriteAccess`.

401 when a key is missing, malformed or unknown; 403 when it has been revoked.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.access.keys import KeyStore, Principal
from api.errors import ApiError


def _unauthorized(detail: str) -> ApiError:
    return ApiError(
        401, "unauthorized", "API key required", detail, headers={"WWW-Authenticate": "Bearer"}
    )


def bearer_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not value.strip():
        raise _unauthorized("Send the key as 'Authorization: Bearer <key>'.")
    return value.strip()


def get_key_store(request: Request) -> KeyStore:
    store: KeyStore = request.app.state.keys
    return store


def authenticate(request: Request, store: KeyStore) -> Principal | None:
    """The request's principal, or None when it carries no key; raises for a bad key."""
    key = bearer_key(request)
    if key is None:
        return None
    record, matches = store.check(key)
    if record is None or not matches:
        raise _unauthorized("The API key is not valid.")
    if not record.active:
        raise ApiError(403, "key-revoked", "API key revoked", "This API key has been revoked.")
    principal = Principal(key_id=record.key_id, name=record.name)
    request.state.principal = principal
    return principal


def require_write(
    request: Request, store: Annotated[KeyStore, Depends(get_key_store)]
) -> Principal:
    principal = authenticate(request, store)
    if principal is None:
        raise _unauthorized("This endpoint changes data: send 'Authorization: Bearer <key>'.")
    return principal


def require_read(
    request: Request, store: Annotated[KeyStore, Depends(get_key_store)]
) -> Principal | None:
    if not request.app.state.haven.settings.access.require_key_for_reads:
        # Open reads: a key that does not check out is ignored rather than refused, because
        # OpenAI-style clients always send some key ("sk-no-key") even to open servers.
        try:
            return authenticate(request, store)
        except ApiError:
            return None
    principal = authenticate(request, store)
    if principal is None:
        raise _unauthorized("This server requires an API key: send 'Authorization: Bearer <key>'.")
    return principal


ReadAccess = Annotated[Principal | None, Depends(require_read)]
WriteAccess = Annotated[Principal, Depends(require_write)]
