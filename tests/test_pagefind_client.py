"""The Pagefind client reads answers by their message id: the service may answer in any order."""

from __future__ import annotations

import base64
import io
import json

import pytest

from minutebook.pagefind_service import AnswerReader, Answers, PagefindError


def _stream(*answers: tuple[int | None, dict[str, object]]) -> io.BufferedReader:
    raw = b"".join(
        base64.b64encode(json.dumps({"message_id": mid, "payload": payload}).encode()) + b","
        for mid, payload in answers
    )
    return io.BufferedReader(io.BytesIO(raw))


def test_the_answer_to_write_files_is_awaited_even_after_late_record_answers() -> None:
    answers = Answers(
        AnswerReader(
            _stream((2, {"type": "IndexedFile"}), (1, {"type": "IndexedFile"}), (3, {"type": "WriteFiles"}))
        )
    )
    answers.start()
    answers.wait_until(lambda seen: {1, 2} <= seen, "indexing the records")
    answers.wait_until(lambda seen: 3 in seen, "writing the index")
    assert answers.seen == {1, 2, 3}


def test_a_failure_while_waiting_for_answers_is_reported() -> None:
    answers = Answers(AnswerReader(_stream((1, {"type": "Error", "message": "bad record"}))))
    answers.start()
    with pytest.raises(PagefindError, match="while indexing the records: .*bad record"):
        answers.wait_until(lambda seen: 1 in seen, "indexing the records")


def test_an_answer_out_of_order_is_not_taken_for_another() -> None:
    reader = AnswerReader(_stream((5, {"type": "IndexedFile"}), (9, {"type": "WriteFiles"})))
    assert reader.answer_to(9)["type"] == "WriteFiles"


def test_an_error_answer_and_a_closed_stream_are_reported() -> None:
    with pytest.raises(PagefindError, match="refused a request: bad record"):
        AnswerReader(_stream((1, {"type": "Error", "message": "bad record"}))).answer_to(1)
    with pytest.raises(PagefindError, match="stopped unexpectedly"):
        AnswerReader(_stream((1, {"type": "IndexedFile"}))).answer_to(2)
