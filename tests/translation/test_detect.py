"""Language detection: short and long questions in many languages and scripts, repeatable."""

from __future__ import annotations

import pytest

from translation.detect import detect_language

SHORT = [
    ("en", "What is the NRM?"),
    ("en", "Who do I call?"),
    ("es", "¿Qué es el MND?"),
    ("es", "Niño sin pasaporte"),
    ("es", "trata de personas"),
    ("fr", "Qu’est-ce que le MNO ?"),
    ("fr", "Enfant sans papiers"),
    ("id", "Apa itu NRM?"),
    ("id", "Anak tanpa paspor"),
    ("vi", "NRM là gì?"),
    ("vi", "Trẻ em không có hộ chiếu"),
    ("th", "NRM คืออะไร"),
    ("th", "เด็กไม่มีหนังสือเดินทาง"),
    ("km", "តើ NRM ជាអ្វី?"),
    ("ru", "Что такое НМП?"),
    ("uk", "Дитина без паспорта і документів"),
    ("tl", "Ano ang NRM?"),
    ("tl", "Batang walang pasaporte"),
    ("ar", "ما هي آلية الإحالة؟"),
    ("zh", "什么是国家转介机制？"),
    ("ja", "国の紹介メカニズムとは何ですか？"),
    ("lo", "ເດັກນ້ອຍບໍ່ມີໜັງສືຜ່ານແດນ"),
    ("my", "ကလေးသည် နိုင်ငံကူးလက်မှတ် မရှိပါ"),
]

LONG = [
    (
        "en",
        "I found a fifteen-year-old girl hidden in a truck at the border crossing tonight. "
        "What should I do first to protect her, and who do I need to contact?",
    ),
    (
        "es",
        "Encontramos a una niña de catorce años escondida en un camión en el paso "
        "fronterizo. ¿Qué debemos hacer primero para protegerla y a quién tenemos que llamar?",
    ),
    (
        "fr",
        "Nous avons trouvé une jeune fille de quatorze ans cachée dans un camion au poste "
        "frontière. Que devons-nous faire d'abord pour la protéger et qui faut-il appeler ?",
    ),
    (
        "id",
        "Kami menemukan seorang anak perempuan berusia empat belas tahun yang bersembunyi "
        "di dalam truk di perbatasan. Apa yang harus kami lakukan pertama kali?",
    ),
    (
        "vi",
        "Chúng tôi phát hiện một bé gái mười bốn tuổi trốn trong xe tải ở cửa khẩu. "
        "Chúng tôi cần làm gì trước tiên để bảo vệ em và phải liên hệ với ai?",
    ),
    (
        "ru",
        "На пограничном пункте мы нашли четырнадцатилетнюю девочку, спрятанную в грузовике. "
        "Что нужно сделать в первую очередь, чтобы защитить её, и кому звонить?",
    ),
    ("th", "เราพบเด็กหญิงอายุสิบสี่ปีซ่อนอยู่ในรถบรรทุกที่ด่านชายแดน เราควรทำอะไรก่อนเพื่อคุ้มครองเธอ และต้องติดต่อใคร"),
    (
        "tl",
        "Nakakita kami ng isang batang babae na labing-apat na taong gulang na nakatago sa "
        "trak sa hangganan. Ano ang dapat naming gawin muna at sino ang dapat naming tawagan?",
    ),
    ("km", "យើងបានរកឃើញក្មេងស្រីអាយុដប់បួនឆ្នាំលាក់ខ្លួននៅក្នុងឡានដឹកទំនិញនៅព្រំដែន។"),
]


@pytest.mark.parametrize(("lang", "text"), SHORT + LONG)
def test_detects_language(lang: str, text: str) -> None:
    assert detect_language(text).lang == lang


def test_detection_is_repeatable() -> None:
    text = "la niña no quiere hablar"
    first = detect_language(text)
    assert all(detect_language(text) == first for _ in range(5))


def test_explicit_language_wins() -> None:
    found = detect_language("Necesito un intérprete", explicit="es-MX")
    assert (found.lang, found.method) == ("es", "explicit")


def test_nothing_to_go_on_falls_back_to_english() -> None:
    for text in ("", "12345", "NRM", "?!"):
        found = detect_language(text)
        assert found.lang == "en"
        assert found.confidence < 0.5


def test_acronyms_do_not_hide_the_script() -> None:
    assert detect_language("NRM และ BIC คืออะไร").lang == "th"
    assert detect_language("НМП и BIC").lang == "ru"


def test_clear_function_words_decide_without_langdetect(monkeypatch) -> None:
    import translation.detect as detect

    def fail(text: str) -> dict[str, float]:
        raise AssertionError("langdetect was not needed")

    monkeypatch.setattr(detect, "_langdetect", fail)
    assert detect_language("What should I do when I meet a child victim?").lang == "en"
    assert detect_language("Que dois-je faire avec un enfant sans papiers ?").lang == "fr"
