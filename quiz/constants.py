"""Limits and names of the quiz builder (kept here rather than in settings)."""

from __future__ import annotations

from typing import Literal

Kind = Literal["mcq", "true_false", "fill_blank", "scenario"]
KINDS: tuple[Kind, ...] = ("mcq", "true_false", "fill_blank", "scenario")
ExportFormat = Literal["gift", "moodle_xml", "csv", "md"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("gift", "moodle_xml", "csv", "md")

MAX_ITEMS = 50  # items one request may ask for
MAX_TOPIC_CHARS = 300
MAX_SECTIONS = 50
MAX_DOC_IDS = 100
MAX_TEXT_CHARS = 2000  # a question, option, answer or explanation a trainer may write
MAX_OPTIONS = 8
MAX_TITLE_CHARS = 200
TOPIC_PASSAGES = 60  # passages retrieved for a topic
DISTRACTORS = 3  # wrong options per multiple-choice or scenario item
MAX_OPTION_CHARS = 240  # handbook statements longer than this make poor options
BLANK = "_____"
QUIZ_FILE = "quizzes.sqlite"
TRUE = "True"
FALSE = "False"
