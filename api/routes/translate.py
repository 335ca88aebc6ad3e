"""POST /api/translate and GET /api/languages: the translation layer, for other tools."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.deps import TranslatorDep
from api.errors import ApiError
from translation.detect import detect_language
from translation.languages import LANG_PATTERN, SOURCE_LANG, language_code
from translation.translator import MissingPackageError, TranslationError

router = APIRouter(prefix="/api", tags=["translation"])


class TranslateRequest(BaseModel):
    text: str = Field(min_length=1, max_length=20_000, description="The text to translate.")
    source: str | None = Field(
        None, max_length=20, pattern=LANG_PATTERN, description="Its language; empty: detected."
    )
    target: str = Field(
        min_length=1, max_length=20, pattern=LANG_PATTERN, description="The language wanted."
    )


class TranslateResponse(BaseModel):
    text: str = Field(description="The translation (the text itself when source = target).")
    source: str = Field(description="The source language used (given or detected).")
    detected: bool = Field(description="True when the source language was detected.")
    target: str
    backend: str = Field(description="Backend(s) used, e.g. 'apertium' or 'argos + apertium'.")


class PairOut(BaseModel):
    source: str
    target: str


class BackendOut(BaseModel):
    name: str
    pairs: list[PairOut]


class LanguageOut(BaseModel):
    code: str
    name: str
    to_english: str | None = Field(description="Backend translating it into English, if any.")
    from_english: str | None = Field(description="Backend translating English into it, if any.")


class LanguagesResponse(BaseModel):
    backends: list[BackendOut] = Field(description="Installed backends and their direct pairs.")
    languages: list[LanguageOut] = Field(
        description="Every language an installed backend covers, and how it reaches English and "
        "back (directly or through English)."
    )


@router.post("/translate", response_model=TranslateResponse)
def translate(body: TranslateRequest, service: TranslatorDep) -> TranslateResponse:
    detected = body.source is None
    source = language_code(body.source) or detect_language(body.text).lang
    target = language_code(body.target) or SOURCE_LANG
    if source == target:
        return TranslateResponse(
            text=body.text, source=source, detected=detected, target=target, backend="none"
        )
    backend = service.backend_for(source, target)
    if backend is None:
        raise ApiError(
            422,
            "translation-unavailable",
            "No translation for this language pair",
            f"No installed backend translates {source} into {target} (see GET /api/languages).",
        )
    try:
        text = service.translate([body.text], target, source)[0]
    except MissingPackageError as exc:
        raise ApiError(
            422, "translation-unavailable", "No translation for this pair", str(exc)
        ) from exc
    except TranslationError as exc:
        raise ApiError(503, "translation-failed", "Translation failed", str(exc)) from exc
    return TranslateResponse(
        text=text, source=source, detected=detected, target=target, backend=backend
    )


@router.get("/languages", response_model=LanguagesResponse)
def languages(service: TranslatorDep) -> LanguagesResponse:
    return LanguagesResponse.model_validate(service.languages())
