"""Language codes: ISO 639-1 where one exists, normalised from what users and tools send."""

from __future__ import annotations

SOURCE_LANG = "en"  # the handbooks' language

# What every request field naming a language accepts: an ISO 639 code with optional subtags
# ("es", "es-MX", "zh_Hant_TW"), or empty for "detect it". Fields that must name a language
# add min_length=1.
LANG_PATTERN = r"^$|^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$"

NAMES: dict[str, str] = {
    "ar": "Arabic",
    "bn": "Bengali",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fa": "Persian",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hy": "Armenian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ka": "Georgian",
    "km": "Khmer",
    "ko": "Korean",
    "lo": "Lao",
    "ms": "Malay",
    "my": "Burmese",
    "ne": "Nepali",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "si": "Sinhala",
    "ta": "Tamil",
    "th": "Thai",
    "tl": "Tagalog",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "vi": "Vietnamese",
    "zh": "Chinese",
}

# Three-letter codes (Apertium's pair names) and aliases people type.
ALIASES: dict[str, str] = {
    "eng": "en",
    "spa": "es",
    "fra": "fr",
    "fre": "fr",
    "rus": "ru",
    "ind": "id",
    "vie": "vi",
    "tha": "th",
    "khm": "km",
    "tgl": "tl",
    "fil": "tl",
    "por": "pt",
    "cat": "ca",
    "ita": "it",
    "deu": "de",
    "ger": "de",
    "nld": "nl",
    "ukr": "uk",
    "ara": "ar",
    "zho": "zh",
    "chi": "zh",
    "msa": "ms",
    "may": "ms",
    "in": "id",  # the old ISO code, still sent by some Java and Android systems
    "iw": "he",
    "zh-cn": "zh",
    "zh-tw": "zh",
    "pb": "pt",  # Argos's Brazilian Portuguese
    "zt": "zh",  # Argos's traditional Chinese
}


def language_code(code: str | None) -> str | None:
    """'es-MX' → 'es', 'spa' → 'es', 'Fil' → 'tl'; None or blank stays None."""
    if code is None or not code.strip():
        return None
    lowered = code.strip().lower().replace("_", "-")
    if lowered in ALIASES:
        return ALIASES[lowered]
    base = lowered.split("-")[0]
    return ALIASES.get(base, base)


def name_of(code: str) -> str:
    return NAMES.get(code, code)
