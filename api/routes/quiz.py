"""The quiz builder for trainers: draft a quiz from the handbooks, then list, open, edit,
delete and export saved quizzes.

POST   /api/quiz                            draft and save a quiz
GET    /api/quiz                            saved quizzes, newest first
GET    /api/quiz/{id}                       one quiz
PUT    /api/quiz/{id}                       rename, reorder, edit or drop items
DELETE /api/quiz/{id}
GET    /api/quiz/{id}/items/{item_id}
PUT    /api/quiz/{id}/items/{item_id}       edit text, options, answer, explanation
DELETE /api/quiz/{id}/items/{item_id}
GET    /api/quiz/{id}/export?format=gift|moodle_xml|csv|md

Every route that changes data (POST, PUT, DELETE) needs an API key (`WriteAccess`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.access.deps import WriteAccess
from api.deps import QuizServiceDep, QuizStoreDep
from api.errors import ApiError
from quiz.constants import ExportFormat
from quiz.editing import EditError, apply_edit, apply_list
from quiz.export import render
from quiz.phrasing import doc_name
from quiz.schemas import ItemEdit, QuizItem, QuizList, QuizOut, QuizRequest, QuizUpdate
from quiz.selection import NoPassagesError
from quiz.service import QuizService, quiz_record
from quiz.store import QuizStore

router = APIRouter(prefix="/api/quiz", tags=["quiz"])


def _invalid(detail: str) -> ApiError:
    return ApiError(422, "invalid-request", "Invalid request", detail)


def _title(body: QuizRequest, service: QuizService) -> str:
    if body.title and body.title.strip():
        return body.title.strip()
    if body.topic and body.topic.strip():
        return f"Quiz: {body.topic.strip()}"
    if body.doc_ids and len(body.doc_ids) == 1:
        doc_id = body.doc_ids[0]
        name = doc_name(doc_id, service.pool.titles.get(doc_id, doc_id))
        return f"Quiz on {name}"
    return "Quiz on the handbooks"


def _load(store: QuizStore, quiz_id: str) -> QuizOut:
    quiz = store.get(quiz_id)
    if quiz is None:
        raise ApiError(404, "unknown-quiz", "Unknown quiz", f"No saved quiz {quiz_id!r}.")
    return quiz


def _item(quiz: QuizOut, item_id: str) -> QuizItem:
    for item in quiz.items:
        if item.id == item_id:
            return item
    raise ApiError(
        404, "unknown-item", "Unknown item", f"Quiz {quiz.quiz_id!r} has no item {item_id!r}."
    )


@router.post("", status_code=201, response_model=QuizOut)
def create_quiz(
    body: QuizRequest, service: QuizServiceDep, store: QuizStoreDep, principal: WriteAccess
) -> QuizOut:
    if body.sections is not None and any(not s.strip() or len(s) > 200 for s in body.sections):
        raise _invalid("sections: each heading is 1 to 200 characters.")
    try:
        drafted = service.draft(body)
    except NoPassagesError as exc:
        raise ApiError(422, "no-passages", "No passages to draw on", str(exc)) from exc
    if not drafted.items:
        raise ApiError(
            422,
            "no-items",
            "No items could be drafted",
            "None of the selected passages gives a statement a quiz item can be built on; "
            "try other handbooks, sections, kinds or a broader topic.",
        )
    quiz = quiz_record(
        body,
        drafted,
        title=_title(body, service),
        topic=body.topic.strip() if body.topic and body.topic.strip() else None,
    )
    store.save(quiz)
    return quiz


@router.get("", response_model=QuizList)
def list_quizzes(store: QuizStoreDep) -> QuizList:
    return QuizList(quizzes=store.list())


@router.get("/{quiz_id}", response_model=QuizOut)
def get_quiz(quiz_id: str, store: QuizStoreDep) -> QuizOut:
    return _load(store, quiz_id)


@router.put("/{quiz_id}", response_model=QuizOut)
def update_quiz(
    quiz_id: str, body: QuizUpdate, store: QuizStoreDep, principal: WriteAccess
) -> QuizOut:
    quiz = _load(store, quiz_id)
    try:
        items = apply_list(quiz.items, body.items) if body.items is not None else quiz.items
    except EditError as exc:
        raise _invalid(str(exc)) from exc
    title = body.title.strip() if body.title else quiz.title
    store.replace_items(quiz_id, title, items)
    return _load(store, quiz_id)


@router.delete("/{quiz_id}", status_code=204)
def delete_quiz(quiz_id: str, store: QuizStoreDep, principal: WriteAccess) -> Response:
    if not store.delete(quiz_id):
        raise ApiError(404, "unknown-quiz", "Unknown quiz", f"No saved quiz {quiz_id!r}.")
    return Response(status_code=204)


@router.get("/{quiz_id}/items/{item_id}", response_model=QuizItem)
def get_item(quiz_id: str, item_id: str, store: QuizStoreDep) -> QuizItem:
    return _item(_load(store, quiz_id), item_id)


@router.put("/{quiz_id}/items/{item_id}", response_model=QuizItem)
def edit_item(
    quiz_id: str, item_id: str, body: ItemEdit, store: QuizStoreDep, principal: WriteAccess
) -> QuizItem:
    item = _item(_load(store, quiz_id), item_id)
    try:
        updated = apply_edit(item, body)
    except EditError as exc:
        raise _invalid(str(exc)) from exc
    store.update_item(quiz_id, updated)
    return updated


@router.delete("/{quiz_id}/items/{item_id}", status_code=204)
def delete_item(
    quiz_id: str, item_id: str, store: QuizStoreDep, principal: WriteAccess
) -> Response:
    _item(_load(store, quiz_id), item_id)
    store.delete_item(quiz_id, item_id)
    return Response(status_code=204)


@router.get("/{quiz_id}/export")
def export_quiz(
    quiz_id: str,
    store: QuizStoreDep,
    format: Annotated[ExportFormat, Query(description="gift, moodle_xml, csv or md")] = "gift",
) -> Response:
    quiz = _load(store, quiz_id)
    if not quiz.items:
        raise ApiError(409, "empty-quiz", "Empty quiz", "The quiz has no items left to export.")
    export = render(quiz, format)
    return Response(
        export.content,
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )
