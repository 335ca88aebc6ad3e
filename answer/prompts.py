"""Prompt templates are data (prompts/*.toml), validated when loaded and when rendered."""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"


class PromptError(Exception):
    pass


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    system: str
    user: str
    variables: frozenset[str]

    def render(self, **values: str) -> tuple[str, str]:
        missing = self.variables - values.keys()
        extra = values.keys() - self.variables
        if missing or extra:
            raise PromptError(
                f"prompt {self.name!r}: missing {sorted(missing)}, unexpected {sorted(extra)}"
            )
        return self.system.format(**values), self.user.format(**values)


def load_prompt(name: str, folder: Path = PROMPTS_DIR) -> PromptTemplate:
    path = folder / f"{name}.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise PromptError(f"no prompt template {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise PromptError(f"{path.name}: not valid TOML ({exc})") from exc
    for field in ("system", "user", "variables"):
        if field not in raw:
            raise PromptError(f"{path.name}: missing field {field!r}")
    declared = frozenset(raw["variables"])
    used = _placeholders(raw["system"]) | _placeholders(raw["user"])
    if used != declared:
        raise PromptError(
            f"{path.name}: placeholders {sorted(used)} differ from variables {sorted(declared)}"
        )
    return PromptTemplate(raw.get("name", name), raw["system"], raw["user"], declared)
