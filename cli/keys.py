"""`haven keys create | list | revoke`: manage API keys from the command line.

The key is printed once, to stdout, so it can be piped into a secret store; only its hash is
kept. Registered on the main `haven` app by cli/main.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import Annotated

import typer

from access.keys import KeyStore, KeyStoreError
from core.settings import get_settings

keys_app = typer.Typer(help="API keys: create (shown once), list and revoke.")


@contextmanager
def _store() -> Iterator[KeyStore]:
    store = KeyStore(get_settings().keys_file)
    try:
        yield store
    except KeyStoreError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        store.close()


@keys_app.command("create")
def create(
    name: Annotated[str, typer.Argument(help="Who or what the key is for, e.g. 'trainer-anna'.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a key. It is printed once and cannot be shown again."""
    with _store() as store:
        record, key = store.create(name)
    if as_json:
        typer.echo(json.dumps({**asdict(record), "key": key}, indent=2))
    else:
        typer.echo(key)
    typer.echo(
        f"created key {record.key_id} ({record.name}). Store it now: it will not be shown again.",
        err=True,  # stdout carries only the key (or the JSON): KEY=$(haven keys create x)
    )


@keys_app.command("list")
def list_keys(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every key's id, name, creation and revocation time (never the key itself)."""
    with _store() as store:
        records = store.list()
    if as_json:
        typer.echo(json.dumps([asdict(r) for r in records], indent=2))
        return
    if not records:
        typer.echo("no API keys yet: haven keys create NAME")
        return
    typer.echo(f"{'ID':<10} {'NAME':<30} {'CREATED':<26} REVOKED")
    for r in records:
        typer.echo(f"{r.key_id:<10} {r.name:<30} {r.created_at:<26} {r.revoked_at or '-'}")


@keys_app.command("revoke")
def revoke(
    key_id: Annotated[str, typer.Argument(help="The key's id, from `haven keys list`.")],
) -> None:
    """Revoke a key at once, for every worker process."""
    with _store() as store:
        record = store.revoke(key_id)
    typer.echo(f"revoked key {record.key_id} ({record.name}) at {record.revoked_at}")
