"""The services routes reach, one `Annotated[..., Depends(...)]` alias each, all from the one
Container built at start-up (wiring/container.py). Routes declare what they use; none builds a
service itself."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from access.keys import KeyStore
from answer.service import AskService
from api.errors import ApiError
from core.settings import Settings
from documents.service import DocumentService
from feedback.store import FeedbackStore
from index.retriever import HybridRetriever
from quiz.service import QuizService
from quiz.store import QuizStore
from translation.service import TranslationService
from wiring.container import Container


def _not_ready(container: Container) -> ApiError:
    return ApiError(503, "not-ready", "Not ready", container.problem or "The index is loading.")


def get_container(request: Request) -> Container:
    container: Container = request.app.state.haven
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def get_app_settings(container: ContainerDep) -> Settings:
    return container.settings


def get_retriever(container: ContainerDep) -> HybridRetriever:
    container.reload_if_changed()
    if container.retriever is None:
        raise _not_ready(container)
    return container.retriever


def get_ask_service(container: ContainerDep) -> AskService:
    container.reload_if_changed()
    if container.ask is None:
        raise _not_ready(container)
    return container.ask


def get_translator(container: ContainerDep) -> TranslationService:
    return container.translator or TranslationService([])


def get_quiz_service(container: ContainerDep) -> QuizService:
    container.reload_if_changed()
    service = container.quiz_service()
    if service is None:
        raise _not_ready(container)
    return service


def get_quiz_store(container: ContainerDep) -> QuizStore:
    if container.quizzes is None:
        raise ApiError(503, "not-ready", "Not ready", "The quiz store is not open.")
    return container.quizzes


def get_document_service(container: ContainerDep) -> DocumentService:
    if container.documents is None:
        raise _not_ready(container)
    return container.documents


def get_feedback_store(container: ContainerDep) -> FeedbackStore:
    if container.feedback is None:
        raise ApiError(503, "not-ready", "Not ready", "The feedback store is not open.")
    return container.feedback


def get_key_store(container: ContainerDep) -> KeyStore:
    if container.keys is None:
        raise ApiError(503, "not-ready", "Not ready", "The key store is not open.")
    return container.keys


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
RetrieverDep = Annotated[HybridRetriever, Depends(get_retriever)]
AskDep = Annotated[AskService, Depends(get_ask_service)]
TranslatorDep = Annotated[TranslationService, Depends(get_translator)]
QuizServiceDep = Annotated[QuizService, Depends(get_quiz_service)]
QuizStoreDep = Annotated[QuizStore, Depends(get_quiz_store)]
DocumentsDep = Annotated[DocumentService, Depends(get_document_service)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback_store)]
KeyStoreDep = Annotated[KeyStore, Depends(get_key_store)]
