"""Text under an online service's limit: whole sentences packed; a longer sentence cut at its
clauses, a longer clause at spaces; sizes in characters or in UTF-8 bytes."""

from broadcast.speech.online import split_text, utf8_size


def test_sentences_are_packed_and_never_cut_when_they_fit():
    text = "Một hai ba. Bốn năm sáu! Bảy tám chín? Mười."
    assert split_text(text, 25) == ["Một hai ba. Bốn năm sáu!", "Bảy tám chín? Mười."]
    assert split_text(text, 1000) == [text]


def test_a_long_sentence_is_cut_at_its_clauses_then_at_spaces():
    sentence = "Thôn Bắc, thôn Nam, thôn Đông và thôn Tây họp lúc bảy giờ tối nay tại nhà văn hóa."
    pieces = split_text(sentence, 30)
    assert all(len(p) <= 30 for p in pieces) and " ".join(pieces).split() == sentence.split()
    assert pieces[0] == "Thôn Bắc, thôn Nam,"


def test_bytes_not_characters_when_asked():
    text = "Ủy ban nhân dân xã. " * 10
    by_bytes = split_text(text, 100, utf8_size)
    assert all(utf8_size(p) <= 100 for p in by_bytes) and any(len(p) <= 100 < utf8_size(p) + 30 for p in by_bytes)
    assert len(by_bytes) > len(split_text(text, 100))
