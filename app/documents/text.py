"""Text rules both documents share: safe characters, acronyms and the plain-English check."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from textstat.backend import metrics as readability

from app.core.cleantext import clean_text as clean
from app.toolkit import get_toolkit

# FLS, DXA, FLS-DB, 5IQ: two or more capitals or digits, starting with a letter or digit.
_ACRONYM = re.compile(
    r"(?<![\w-])(?=[A-Z0-9-]*[A-Z][A-Z0-9-]*[A-Z])([A-Z0-9]+(?:-[A-Z0-9]+)*)s?(?![\w-])"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
LONG_SENTENCE_WORDS = 25
# "en-GB" rather than textstat's default "en_US": British hyphenation rules count the
# syllables, and textstat skips its CMU dictionary, which it would try to download from
# the internet (servers here have none) for any language whose root is plain "en".
READING_LANG = "en-GB"
# Roman numerals and words people type in capitals that are not acronyms.
NOT_ACRONYMS = {"II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "OK", "AM", "PM"}


def acronyms_in(text: str) -> list[str]:
    """Acronyms in the order they first appear."""
    seen: dict[str, None] = {}
    for match in _ACRONYM.finditer(text or ""):
        word = match.group(1)  # "KPIs" counts as KPI
        if word not in NOT_ACRONYMS and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)


def spells(acronym: str, meaning: str) -> bool:
    """Could `meaning` be what `acronym` stands for? It starts with the acronym's first letter
    and holds its other letters in order: "ICB" / "integrated care board" yes, "UK" / "local
    branch" (as in "Age UK (local branch)") no."""
    letters = [c for c in acronym.lower() if c.isalpha()]
    text = meaning.lower().lstrip("\"'“‘ ")
    if not letters or not text.startswith(letters[0]):
        return False
    position = 1
    for letter in letters[1:]:
        position = text.find(letter, position) + 1
        if position == 0:
            return False
    return True


def local_definitions(text: str) -> dict[str, str]:
    """Meanings written in the text itself: 'integrated care board (ICB)' or 'ICB (integrated…)'.

    Brackets after an acronym are a meaning only if they could spell it out; otherwise they
    are just an aside, like "Age UK (local branch)"."""
    found: dict[str, str] = {}
    for acronym in acronyms_in(text):
        escaped = re.escape(acronym)
        for after in re.finditer(rf"(?<![\w-]){escaped}\s*\(([^()]{{3,120}})\)", text):
            meaning = after.group(1).strip()
            if not _ACRONYM.fullmatch(meaning) and spells(acronym, meaning):
                found[acronym] = meaning
                break
        if acronym in found:
            continue
        bracketed = rf"\(\s*{escaped}\s*\)"
        # The words before a bracketed acronym are searched for only where there is one: the
        # search backtracks over every run of words in the text (most of a PID's glossary).
        before = (
            re.search(rf"((?:[\w'-]+\s+){{1,8}}){bracketed}", text)
            if re.search(bracketed, text)
            else None
        )
        if before:
            letters = len(acronym.replace("-", ""))
            words = before.group(1).split()[-letters:]
            if spells(acronym, " ".join(words)):
                found[acronym] = " ".join(words)
    return found


def glossary_for(text: str) -> list[tuple[str, str]]:
    """(term, meaning) for every acronym in the text that has a meaning, alphabetical.

    Meanings may use acronyms of their own (FLS-DB's mentions KPIs): those are added too,
    so a reader never meets an unexplained abbreviation in the glossary itself.
    """
    known = get_toolkit().glossary_by_term
    local = local_definitions(text)
    entries: dict[str, str] = {}
    pending = acronyms_in(text)
    while pending:
        acronym = pending.pop(0)
        if acronym in entries:
            continue
        term = known.get(acronym.lower())
        if term is not None:
            entries[acronym] = term.meaning
            pending.extend(a for a in acronyms_in(term.meaning) if a not in entries)
        elif acronym in local:
            entries[acronym] = local[acronym]
    return sorted(entries.items())


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s.strip()]


def word_count(text: str) -> int:
    return len(re.findall(r"\S+", text or ""))


@dataclass
class FieldCheck:
    name: str
    label: str
    words: int
    long_sentences: list[tuple[int, str]] = field(default_factory=list)  # (words, sentence)
    unexplained: list[str] = field(default_factory=list)
    reading_ease: float | None = None

    @property
    def reading_label(self) -> str:
        """Flesch reading ease in words people know (60 and above is plain English)."""
        if self.reading_ease is None:
            return "Too short to score"
        if self.reading_ease >= 60:
            return "Plain English"
        if self.reading_ease >= 50:
            return "Fairly hard to read"
        if self.reading_ease >= 30:
            return "Hard to read"
        return "Very hard to read"

    @property
    def ok(self) -> bool:
        return (
            not self.long_sentences
            and not self.unexplained
            and (self.reading_ease is None or self.reading_ease >= 50)
        )


def check_field(name: str, label: str, text: str, whole_text: str) -> FieldCheck:
    """Long sentences, acronyms with no meaning anywhere, and a readability score for one field.

    An acronym counts as explained if the toolkit glossary has it or the team explained it
    anywhere in the narrative (`whole_text`), since the PID's glossary will carry it.
    """
    text = clean(text)
    result = FieldCheck(name=name, label=label, words=word_count(text))
    for sentence in sentences(text):
        words = word_count(sentence)
        if words > LONG_SENTENCE_WORDS:
            result.long_sentences.append((words, sentence))
    known = get_toolkit().glossary_by_term
    local = local_definitions(whole_text)
    result.unexplained = [a for a in acronyms_in(text) if a.lower() not in known and a not in local]
    # Scores on a sentence or two swing wildly; below 30 words the score is left out.
    if result.words >= 30:
        # Each line a sentence: a bullet list has no full stops but is not one long sentence.
        lines = " ".join(s if s[-1] in ".!?" else f"{s}." for s in sentences(text))
        result.reading_ease = round(float(readability.flesch_reading_ease(lines, READING_LANG)), 1)
    return result


@dataclass
class PlainEnglishReport:
    fields: list[FieldCheck]
    pages: int

    @property
    def issues(self) -> int:
        return sum(
            len(f.long_sentences) + len(f.unexplained) + (0 if f.ok else 1) for f in self.fields
        )
