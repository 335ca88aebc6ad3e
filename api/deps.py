"""Dependencies routes declare with Annotated[..., Depends(...)]."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request

from answer.service import AskService
from api.errors import ApiError
from core.settings import Settings
from index.retriever import HybridRetriever
from translation.service import TranslationService
from wiring.container import AppState

if TYPE_CHECKING:
    from quiz.service import QuizService
    from quiz.store import QuizStore


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.haven
    return state


def get_app_settings(state: Annotated[AppState, Depends(get_state)]) -> Settings:
    return state.settings


def get_retriever(state: Annotated[AppState, Depends(get_state)]) -> HybridRetriever:
    state.reload_if_changed()
    if state.retriever is None:
        raise ApiError(503, "not-ready", "Not ready", state.problem or "The index is loading.")
    return state.retriever


def get_ask_service(state: Annotated[AppState, Depends(get_state)]) -> AskService:
    state.reload_if_changed()
    if state.ask is None:
        raise ApiError(503, "not-ready", "Not ready", state.problem or "The index is loading.")
    return state.ask


def get_translator(state: Annotated[AppState, Depends(get_state)]) -> TranslationService:
    return state.translator or TranslationService([])


StateDep = Annotated[AppState, Depends(get_state)]
TranslatorDep = Annotated[TranslationService, Depends(get_translator)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
RetrieverDep = Annotated[HybridRetriever, Depends(get_retriever)]
AskDep = Annotated[AskService, Depends(get_ask_service)]


def get_quiz_service(state: StateDep, retriever: RetrieverDep) -> QuizService:
    from quiz.service import service_for

    generator = state.ask.generator if state.ask is not None else state.generator
    # The app's translation service puts items in the trainer's language (it meets the quiz's
    # Translator protocol).
    return service_for(retriever, generator, state.translator)


def get_quiz_store(settings: SettingsDep) -> QuizStore:
    from quiz.store import store_for

    return store_for(settings.data_dir)


QuizServiceDep = Annotated["QuizService", Depends(get_quiz_service)]
QuizStoreDep = Annotated["QuizStore", Depends(get_quiz_store)]
