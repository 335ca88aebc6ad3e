"""Prompt templates are data: loaded, validated, and loud about missing variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from answer.prompts import PromptError, load_prompt


def test_shipped_answer_prompt_loads_and_renders() -> None:
    prompt = load_prompt("answer")
    system, user = prompt.render(question="Q?", passages="[1] text", language="English")
    assert "numbered handbook passages" in system
    assert "Q?" in user and "[1] text" in user


def test_missing_variable_fails_loudly() -> None:
    with pytest.raises(PromptError, match="missing"):
        load_prompt("answer").render(question="Q?")


def test_undeclared_placeholder_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        'variables = ["a"]\nsystem = "hi {a}"\nuser = "{b}"\n', encoding="utf-8"
    )
    with pytest.raises(PromptError, match="differ"):
        load_prompt("bad", tmp_path)


def test_missing_template_file(tmp_path: Path) -> None:
    with pytest.raises(PromptError, match="no prompt template"):
        load_prompt("nothing", tmp_path)
