"""Fixed messages that ship translated, so they reach the asker even with no backend installed.

Add a language by adding its line to each message. Languages without a line get the English
text (with the language's English name filled in).
"""

from __future__ import annotations

from translation.languages import name_of

NO_BACKEND: dict[str, str] = {
    "en": "No translation into {name} is installed on this system, so this answer is in English.",
    "es": "No hay ninguna traducción al español instalada en este sistema, así que esta "
    "respuesta está en inglés.",
    "fr": "Aucune traduction vers le français n’est installée sur ce système : cette réponse "
    "est donc en anglais.",
    "ru": "Перевод на русский язык в этой системе не установлен, поэтому ответ дан на английском.",
    "id": "Terjemahan ke bahasa Indonesia belum terpasang di sistem ini, jadi jawaban ini "
    "dalam bahasa Inggris.",
    "vi": "Hệ thống này chưa cài đặt bản dịch sang tiếng Việt, vì vậy câu trả lời này bằng "
    "tiếng Anh.",
    "th": "ระบบนี้ยังไม่ได้ติดตั้งการแปลเป็นภาษาไทย คำตอบนี้จึงเป็นภาษาอังกฤษ",
    "km": "ប្រព័ន្ធនេះមិនទាន់បានដំឡើងការបកប្រែជាភាសាខ្មែរទេ ដូច្នេះចម្លើយនេះជាភាសាអង់គ្លេស។",
    "tl": "Walang naka-install na pagsasalin sa Tagalog sa sistemang ito, kaya nasa Ingles "
    "ang sagot na ito.",
    "pt": "Nenhuma tradução para o português está instalada neste sistema, por isso esta "
    "resposta está em inglês.",
    "uk": "Переклад українською в цій системі не встановлено, тому відповідь англійською.",
    "ms": "Terjemahan ke bahasa Melayu tidak dipasang pada sistem ini, jadi jawapan ini "
    "dalam bahasa Inggeris.",
    "zh": "本系统未安装中文翻译，因此本回答为英文。",
    "ar": "لا توجد ترجمة إلى العربية مثبتة على هذا النظام، لذلك هذه الإجابة باللغة الإنجليزية.",
}

MACHINE_TRANSLATED: dict[str, str] = {
    "en": "Machine-translated from English ({backend}); each quote is shown in the "
    "handbook's original words with a translation beside it.",
    "es": "Traducción automática del inglés ({backend}); cada cita aparece con las palabras "
    "originales del manual y su traducción al lado.",
    "fr": "Traduction automatique de l’anglais ({backend}) ; chaque citation figure dans les "
    "mots d’origine du manuel, avec sa traduction à côté.",
    "ru": "Машинный перевод с английского ({backend}); каждая цитата приведена в оригинале "
    "руководства, рядом — перевод.",
    "id": "Terjemahan mesin dari bahasa Inggris ({backend}); setiap kutipan ditampilkan "
    "dengan kata-kata asli buku panduan beserta terjemahannya.",
    "vi": "Bản dịch máy từ tiếng Anh ({backend}); mỗi trích dẫn được giữ nguyên văn của "
    "sổ tay, kèm bản dịch bên cạnh.",
    "th": "แปลด้วยเครื่องจากภาษาอังกฤษ ({backend}) ข้อความอ้างอิงแต่ละข้อแสดงตามต้นฉบับของคู่มือ พร้อมคำแปลกำกับ",
    "km": "បកប្រែដោយម៉ាស៊ីនពីភាសាអង់គ្លេស ({backend}); សម្រង់នីមួយៗបង្ហាញជាពាក្យដើមនៃសៀវភៅ"
    "ណែនាំ ព្រមទាំងការបកប្រែនៅក្បែរ។",
    "tl": "Isinalin ng makina mula sa Ingles ({backend}); ang bawat sipi ay nasa orihinal na "
    "salita ng handbook, kasama ang salin nito.",
    "pt": "Tradução automática do inglês ({backend}); cada citação aparece nas palavras "
    "originais do manual, com a tradução ao lado.",
    "uk": "Машинний переклад з англійської ({backend}); кожну цитату наведено мовою "
    "оригіналу посібника, поруч — переклад.",
    "ms": "Terjemahan mesin daripada bahasa Inggeris ({backend}); setiap petikan dipaparkan "
    "dalam kata-kata asal buku panduan berserta terjemahannya.",
    "zh": "由英文机器翻译（{backend}）；每条引文均保留手册原文，并附译文。",
    "ar": "ترجمة آلية من الإنجليزية ({backend})؛ يظهر كل اقتباس بكلمات الدليل الأصلية مع "
    "ترجمته بجانبه.",
}

TRANSLATION_FAILED: dict[str, str] = {
    "en": "Translation into {name} failed, so this answer is in English.",
    "es": "La traducción al español falló, así que esta respuesta está en inglés.",
    "fr": "La traduction vers le français a échoué : cette réponse est donc en anglais.",
    "ru": "Не удалось перевести ответ на русский, поэтому он дан на английском.",
    "id": "Terjemahan ke bahasa Indonesia gagal, jadi jawaban ini dalam bahasa Inggris.",
    "vi": "Không dịch được sang tiếng Việt, vì vậy câu trả lời này bằng tiếng Anh.",
    "th": "การแปลเป็นภาษาไทยล้มเหลว คำตอบนี้จึงเป็นภาษาอังกฤษ",
    "km": "ការបកប្រែជាភាសាខ្មែរបានបរាជ័យ ដូច្នេះចម្លើយនេះជាភាសាអង់គ្លេស។",
    "tl": "Nabigo ang pagsasalin sa Tagalog, kaya nasa Ingles ang sagot na ito.",
    "pt": "A tradução para o português falhou, por isso esta resposta está em inglês.",
    "uk": "Не вдалося перекласти українською, тому відповідь англійською.",
    "ms": "Terjemahan ke bahasa Melayu gagal, jadi jawapan ini dalam bahasa Inggeris.",
    "zh": "中文翻译失败，因此本回答为英文。",
    "ar": "فشلت الترجمة إلى العربية، لذلك هذه الإجابة باللغة الإنجليزية.",
}


# Labels in the chat text the OpenAI-compatible API writes ("Note: …", "Sources:").
NOTE_LABEL: dict[str, str] = {
    "en": "Note",
    "es": "Nota",
    "fr": "Remarque",
    "ru": "Примечание",
    "id": "Catatan",
    "vi": "Lưu ý",
    "th": "หมายเหตุ",
    "km": "ចំណាំ",
    "tl": "Paalala",
    "pt": "Nota",
    "uk": "Примітка",
    "ms": "Nota",
    "zh": "注意",
    "ar": "ملاحظة",
}

SOURCES_LABEL: dict[str, str] = {
    "en": "Sources",
    "es": "Fuentes",
    "fr": "Sources",
    "ru": "Источники",
    "id": "Sumber",
    "vi": "Nguồn",
    "th": "แหล่งที่มา",
    "km": "ប្រភព",
    "tl": "Mga pinagkunan",
    "pt": "Fontes",
    "uk": "Джерела",
    "ms": "Sumber",
    "zh": "来源",
    "ar": "المصادر",
}


def message(table: dict[str, str], lang: str, **values: str) -> tuple[str, str]:
    """(text, language it is in): the fixed translation when one ships, else English."""
    values.setdefault("name", name_of(lang))
    if lang in table:
        return table[lang].format(**values), lang
    return table["en"].format(**values), "en"


def has_fixed(table: dict[str, str], lang: str) -> bool:
    return lang in table
