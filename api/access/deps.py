"""Dependencies that guard routes: `ReadAccess` (open unless configured) and `WriteAccess`.

401 (with `WWW-Authenticate: Bearer`) when a key is missing, malformed or unknown; 403 when it
has been revoked. The key is looked up once per request: both guards share `key_check`, which
FastAPI caches for the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from access.keys import Principal
from api.deps import KeyStoreDep, SettingsDep
from api.errors import ApiError

BEARER = "Bearer"


def _unauthorized(detail: str) -> ApiError:
    return ApiError(
        401, "unauthorized", "API key required", detail, headers={"WWW-Authenticate": BEARER}
    )


def _revoked() -> ApiError:
    return ApiError(403, "key-revoked", "API key revoked", "This API key has been revoked.")


@dataclass(frozen=True)
class KeyCheck:
    """What a request's key turned out to be: no key, a principal, or the error to raise."""

    principal: Principal | None = None
    error: ApiError | None = None


def bearer_key(request: Request) -> str | None:
    """The bearer key, None when there is no Authorization header; raises when malformed."""
    header = request.headers.get("authorization", "")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != BEARER.lower() or not value.strip():
        raise _unauthorized("Send the key as 'Authorization: Bearer <key>'.")
    return value.strip()


def key_check(request: Request, store: KeyStoreDep) -> KeyCheck:
    try:
        key = bearer_key(request)
    except ApiError as exc:
        return KeyCheck(error=exc)
    if key is None:
        return KeyCheck()
    record, matches = store.check(key)
    if record is None or not matches:
        return KeyCheck(error=_unauthorized("The API key is not valid."))
    if not record.active:
        return KeyCheck(error=_revoked())
    principal = Principal(key_id=record.key_id, name=record.name)
    request.state.principal = principal
    return KeyCheck(principal=principal)


KeyCheckDep = Annotated[KeyCheck, Depends(key_check)]


def require_write(check: KeyCheckDep) -> Principal:
    if check.error is not None:
        raise check.error
    if check.principal is None:
        raise _unauthorized("This endpoint changes data: send 'Authorization: Bearer <key>'.")
    return check.principal


def require_read(check: KeyCheckDep, settings: SettingsDep) -> Principal | None:
    if not settings.access.require_key_for_reads:
        # Open reads: a key that does not check out is ignored rather than refused, because
        # OpenAI-style clients always send some key ("sk-no-key") even to open servers.
        return check.principal
    if check.error is not None:
        raise check.error
    if check.principal is None:
        raise _unauthorized("This server requires an API key: send 'Authorization: Bearer <key>'.")
    return check.principal


ReadAccess = Annotated[Principal | None, Depends(require_read)]
WriteAccess = Annotated[Principal, Depends(require_write)]
