"""The text rules behind the PID: safe characters, acronyms, glossary and the wording check."""

from app.documents import text


def test_clean_strips_characters_xml_cannot_hold() -> None:
    assert text.clean("Bone\x00 health\x0b\x1f check\ufffe\r\nnext") == "Bone health check\nnext"
    assert text.clean(None) == ""


def test_acronyms_found_once_in_order_without_roman_numerals() -> None:
    found = text.acronyms_in("The FLS sends DXA results to the FLS-DB; see part II and FLS again.")
    assert found == ["FLS", "DXA", "FLS-DB"]


def test_local_definitions_either_way_round() -> None:
    meanings = text.local_definitions(
        "Our integrated care board (ICB) agreed. The MDT (multidisciplinary team) meets weekly."
    )
    assert meanings["ICB"] == "integrated care board"
    assert meanings["MDT"] == "multidisciplinary team"


def test_glossary_uses_toolkit_and_local_meanings_only_for_acronyms_used() -> None:
    entries = dict(text.glossary_for("The FLS and the MDT (multidisciplinary team) use DXA."))
    assert set(entries) == {"DXA", "FLS", "MDT"}
    assert entries["DXA"].startswith("Dual-energy X-ray absorptiometry")


def test_check_field_flags_long_sentences_unexplained_acronyms_and_scores() -> None:
    long_sentence = " ".join(["word"] * 30) + "."
    body = f"The QRS team will help. {long_sentence} The FLS finds people who broke a bone."
    result = text.check_field("purpose", "Purpose", body, body)
    assert [words for words, _sentence in result.long_sentences] == [30]
    assert result.unexplained == ["QRS"]
    assert result.reading_ease is not None
    assert not result.ok


def test_acronym_explained_in_another_field_counts_as_explained() -> None:
    result = text.check_field("aims", "Aims", "Report to the QRS.", "quality review service (QRS)")
    assert result.unexplained == []
    assert result.reading_ease is None  # too short to score
    assert result.reading_label == "Too short to score"


def test_plurals_count_and_meanings_bring_their_own_acronyms() -> None:
    assert text.acronyms_in("Two KPIs and the PIDs.") == ["KPI", "PID"]
    entries = dict(text.glossary_for("We send data to the FLS-DB."))
    assert "KPI" in entries  # FLS-DB's meaning mentions KPIs
