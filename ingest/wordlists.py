"""Fixed word lists: function words, sentence-internal abbreviations, common words by language."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that do not make a heading "title case" when left in lowercase.
FUNCTION_WORDS = words(
    "a an and as at by for from in into of on or the to with without via versus vs "
    "what when where who how why which is are does do its their our your"
)
# Words a wrapped heading line can end on only if the heading continues on the next line.
DANGLING = words("a an and as at by for from in into of on or the to with & versus and/or")
# A full stop after these does not end a sentence.
ABBREVIATIONS = words(
    "e.g i.e etc mr mrs ms dr no nos art arts para paras p pp vs cf vol fig st inc ltd co "
    "approx ed eds rev ibid al jr sr op sec ch"
)
# Common words per language; a chunk with few of them is probably in another language.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": words("the of and to in a is that for are be or with as by on not their this"),
    "fr": words("le la les de des et à en un une est que pour dans du sur par pas"),
    "es": words("el la los las de y en que un una es por para con del se no al"),
    "pt": words("o a os as de e em que um uma é para com do da não por se"),
    "de": words("der die das und in zu den von ist mit nicht für auf ein eine des"),
    "it": words("il la le di e che un una è per in con del della non si"),
    "nl": words("de het een en van in is dat op te voor met niet zijn"),
    "id": words("yang dan di ini itu dengan untuk dari dalam tidak ke pada"),
}
