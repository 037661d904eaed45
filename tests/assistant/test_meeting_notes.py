"""Meeting notes (engine.assistant.meeting_notes + meeting_rules) over the demo transcripts: labelled action items (owner, due, segment), decisions, open questions,
commitments and the follow-up draft; calendar linking; the bundled model's summary and its fallbacks."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.demo import demo_root, load_demo
from engine.assistant.meeting_notes import (
    MeetingNotesError,
    MeetingNotesService,
    ModelItem,
    _People,
    link_calendar_event,
    merge_model_item,
)
from engine.assistant.meeting_rules import due_in_clause, grounded, spoken_dates
from engine.store import Store
from models import Meeting, TranscriptSegment

TRANSCRIPTS = {
    "2026-11-17-pinecrest-service-review.json": "Pinecrest Medical: service review",
    "2026-11-19-harborview-expansion.json": "Harborview Logistics: expansion discussion",
    "2026-11-23-leadership-weekly.json": "Weekly leadership meeting",
}


@pytest.fixture
def demo(store: Store) -> Store:
    load_demo(store)
    return store


def _meeting(store: Store, title: str) -> Meeting:
    meeting = next(m for m in store.meetings.all() if m.title == title)
    return store.meetings.get(meeting.id)


def _index(meeting: Meeting) -> dict[int, int]:
    return {seg.id: i for i, seg in enumerate(meeting.segments)}


def test_labelled_transcript_commitments_are_found_with_owner_due_and_segment(demo: Store) -> None:
    service = MeetingNotesService(demo)
    found = {}
    for file, title in TRANSCRIPTS.items():
        meeting = _meeting(demo, title)
        notes = service.summarize(meeting.id)
        found[file] = [(_index(meeting)[a.segment_id], a) for a in notes.action_items]
        for i, item in found[file]:
            seg = meeting.segments[i]
            assert item.at == seg.start and item.quote in seg.text and item.commitment_id is not None
    labels = json.loads((demo_root() / "labels.json").read_text())["commitments"]
    checked = 0
    for label in labels:
        sources = [s.split("/", 1)[1].split("#") for s in label["sources"] if s.startswith("transcripts/")]
        if not sources:
            continue
        due = date.fromisoformat(label["due"]) if label["due"] else None
        hits = [a for file, i in sources for j, a in found[file] if j == int(i)]
        assert any(a.owner == label["owner"] and a.due == due for a in hits), (label["id"], hits)
        checked += 1
    assert checked == 13


def test_decisions_open_questions_and_deferred_requests(demo: Store) -> None:
    service = MeetingNotesService(demo)
    expected = {  # title: (decision segment indexes, open question segment indexes)
        "Pinecrest Medical: service review": ({12}, {10}),
        "Harborview Logistics: expansion discussion": ({3, 14}, {9}),
        "Weekly leadership meeting": ({7, 14}, {17}),
    }
    for title, (decisions, questions) in expected.items():
        meeting = _meeting(demo, title)
        notes, _ = service.build(meeting.id)
        index = _index(meeting)
        assert decisions <= {index[d.segment_id] for d in notes.decisions}, title
        assert {index[q.segment_id] for q in notes.open_questions} == questions, title
        asked = {q.segment_id for q in notes.open_questions}
        assert not any(a.segment_id in asked for a in notes.action_items if a.quote.endswith("?")), title
    leadership, _ = service.build(_meeting(demo, "Weekly leadership meeting").id)
    assert leadership.open_questions[0].text.startswith("Do we delay the two SRE hires")
    assert any(d.text.startswith("We freeze 5.0 scope") for d in leadership.decisions)


def test_summarize_stores_notes_commitments_and_one_draft_idempotently(demo: Store) -> None:
    meeting = _meeting(demo, "Pinecrest Medical: service review")
    service = MeetingNotesService(demo)
    first = service.summarize(meeting.id)
    stored = demo.commitments.list()
    luis = next(c for c in stored if c.what == "replace the lidar modules on all twelve Tacoma units")
    assert luis.owner == "luis@northwind-robotics.example" and luis.due == date(2026, 11, 20)
    assert luis.evidence[0].source_type == "segment" and luis.evidence[0].source_id == meeting.segments[4].id
    drafts = [(i, p) for i, kind, p in demo.pending_actions.pending() if kind == "draft_email"]
    assert len(drafts) == 1 and drafts[0][1]["origin"] == "meeting" and drafts[0][1]["ref"] == str(meeting.id)
    assert "dana@northwind-robotics.example" not in drafts[0][1]["to"]
    assert "robert.haines@pinecrest-medical.example" in drafts[0][1]["to"]
    assert "Luis Ortega: replace the lidar modules" in drafts[0][1]["body"]
    assert first.follow_up.pending_action_id == drafts[0][0]

    again = service.summarize(meeting.id)
    assert again == first and service.saved(meeting.id) == first
    assert [c.id for c in demo.commitments.list()] == [c.id for c in stored]
    assert len(demo.pending_actions.pending()) == 1
    saved = demo.meetings.get(meeting.id, with_segments=False)
    assert saved.status == "summarized" and saved.summary == first.summary and first.summary_source == "extractive"


def test_linking_picks_the_event_by_overlap_and_attendees(demo: Store) -> None:
    # The Harborview call and a 1:1 start at the same minute; the shared attendees decide.
    meeting = _meeting(demo, "Harborview Logistics: expansion discussion")
    meeting.title = "Meeting 2026-11-19 10:00"
    event = link_calendar_event(demo, meeting)
    assert event is not None and event.provider_id == "harborview-call-1119@northwind-robotics.example"
    saved = demo.meetings.get(meeting.id, with_segments=False)
    assert saved.event_id == event.id and saved.title == "Harborview Logistics: expansion discussion"
    assert "Mark Delaney" in saved.attendees
    assert link_calendar_event(demo, saved) is None  # already linked: left alone
    alone = Meeting("Hallway chat", datetime(2026, 11, 21, 20, 0, tzinfo=timezone.utc), source="import")
    demo.meetings.create(alone)
    assert link_calendar_event(demo, alone) is None and demo.meetings.get(alone.id).event_id is None


def test_markers_owners_and_errors(store: Store) -> None:
    started = datetime(2026, 3, 4, 9, 0, tzinfo=timezone.utc)
    meeting = Meeting("Ops sync", started, attendees=["jo@acme.example"], segments=[
        TranscriptSegment(0.0, 4.0, "Jo, the vendor contract renewal by Friday, please.", "Casey Jones"),
        TranscriptSegment(5.0, 9.0, "Yes, final numbers by Friday.", "Jo Diaz"),
        TranscriptSegment(10.0, 14.0, "The warehouse label printers need new firmware.", "Casey Jones"),
        TranscriptSegment(15.0, 18.0, "Who owns the printer budget?", "Jo Diaz"),
    ])
    store.meetings.create(meeting)
    store.meetings.add_marker(meeting.id, 12.0, "action item")
    notes, _ = MeetingNotesService(store).build(meeting.id)
    items = {(a.owner, a.what, a.due) for a in notes.action_items}
    assert ("Jo Diaz", "the vendor contract renewal", date(2026, 3, 6)) in items
    assert ("Casey Jones", "The warehouse label printers need new firmware", None) in items
    assert not any(a.owner == "Yes" for a in notes.action_items)  # "Yes," is nobody
    assert [q.text for q in notes.open_questions] == ["Who owns the printer budget?"]  # nobody answered
    with pytest.raises(MeetingNotesError):
        MeetingNotesService(store).build(9999)
    empty = Meeting("Silent", started)
    store.meetings.create(empty)
    with pytest.raises(MeetingNotesError, match="no transcript"):
        MeetingNotesService(store).summarize(empty.id)


def test_spoken_dates_and_the_deliverable_clause() -> None:
    said = datetime(2026, 11, 19, 10, 0)
    sentence = "I'll send you the formal expansion proposal by Monday, November thirtieth, with pricing."
    assert spoken_dates(sentence) == "I'll send you the formal expansion proposal by November 30th, with pricing."
    assert due_in_clause(sentence, "send you the formal expansion proposal", said) == date(2026, 11, 30)
    monday = datetime(2026, 11, 23, 9, 0)
    assert due_in_clause("I'm talking to them tomorrow and I'll confirm capacity by Wednesday.", "confirm capacity",
                         monday) == date(2026, 11, 25)


_ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                  "eighteenth", "nineteenth", "twentieth"]


@given(st.integers(min_value=1, max_value=31), st.sampled_from(["", "Friday, ", "friday "]))
def test_spoken_ordinals_after_a_month_become_the_right_day(day: int, weekday: str) -> None:
    units = _ORDINAL_WORDS[:9]
    word = (_ORDINAL_WORDS[day - 1] if day <= 20 else "thirtieth" if day == 30 else
            f"twenty-{units[day - 21]}" if day < 30 else "thirty-first")
    text = spoken_dates(f"by {weekday}December {word}.")
    assert text == f"by December {day}th."
    assert due_in_clause(f"send it by {weekday}December {word}", "send it", datetime(2026, 11, 1)) == date(2026, 12, day)


def test_model_output_must_be_grounded_in_the_transcript(demo: Store) -> None:
    source = "Luis Ortega: I'll replace the lidar modules on all twelve Tacoma units by Friday."
    assert grounded("Luis will replace the lidar modules on the Tacoma units by Friday.", source)
    assert not grounded("Luis replaced the lidar modules in 2019.", source)  # a number the meeting never said
    assert not grounded("The board approved a new budget for marketing hires.", source)
    meeting = _meeting(demo, "Pinecrest Medical: service review")
    notes, _ = MeetingNotesService(demo).build(meeting.id)
    before = len(notes.action_items)
    points = [(meeting.segments[4], meeting.segments[4].text), (meeting.segments[7], meeting.segments[7].text)]
    people = _People(demo, meeting, None)
    assert not merge_model_item(notes, ModelItem(kind="action_item", line=5, text="replace the lidar"), points, people)
    assert not merge_model_item(notes, ModelItem(kind="decision", line=1, text="Hire ten new engineers"), points,
                                people)
    assert not merge_model_item(notes, ModelItem(kind="action_item", line=0, text="replace lidar modules"), points,
                                people)  # that segment already holds an action item
    assert merge_model_item(notes, ModelItem(kind="decision", line=1, text="Evaluate alternatives if uptime slips"),
                            points, people)
    assert notes.decisions[-1].origin == "model" and notes.decisions[-1].segment_id == meeting.segments[7].id
    assert len(notes.action_items) == before


def test_cli_summarize_json(tmp_path, capsys) -> None:  # noqa: ANN001
    from app.cli import main

    home = str(tmp_path / "h")
    assert main(["demo", "--home", home]) == 0
    capsys.readouterr()
    assert main(["meetings", "list", "--home", home, "--json"]) == 0
    ids = {m["title"]: m["id"] for m in json.loads(capsys.readouterr().out)}
    meeting_id = ids["Harborview Logistics: expansion discussion"]
    assert main(["meetings", "summarize", str(meeting_id), "--no-model", "--home", home, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["meeting_id"] == meeting_id and data["summary"] and data["follow_up"]["pending_action_id"]
    assert {"owner": "Ben Carter", "due": "2026-12-02"}.items() <= next(
        a for a in data["action_items"] if "site survey" in a["what"]).items()
    assert main(["meetings", "summarize", str(meeting_id), "--no-model", "--home", home]) == 0
    text = capsys.readouterr().out
    assert "Ben Carter: schedule the Tacoma site survey — due Wed 02 Dec 2026" in text and "[01:10]" in text
    assert "Open questions:" in text and "not sent" in text


@pytest.fixture(scope="module")
def smollm():
    from engine.llm import LLMService, LocalRuntime, bundled_model_path

    runtime = LocalRuntime(bundled_model_path(), n_ctx=2048, n_threads=1)
    runtime.load().result()
    yield lambda: LLMService(runtime=runtime, audit=lambda entry: None)
    runtime.close()


@pytest.mark.model
def test_bundled_model_summary_is_kept_only_when_grounded(demo: Store, smollm) -> None:  # noqa: ANN001
    meeting = _meeting(demo, "Weekly leadership meeting")
    rules, _ = MeetingNotesService(demo).build(meeting.id)
    notes = MeetingNotesService(demo, llm=smollm()).summarize(meeting.id)
    transcript = " ".join(s.text for s in meeting.segments) + " " + meeting.title
    assert notes.summary and notes.summary_source in ("model", "extractive")
    if notes.summary_source == "model":
        assert grounded(notes.summary, transcript) and notes.summary != rules.summary
    else:
        assert notes.summary == rules.summary
    assert notes.action_items[0].model_dump(exclude={"commitment_id"}) == rules.action_items[0].model_dump(
        exclude={"commitment_id"}) and len(notes.action_items) == len(rules.action_items)


@pytest.mark.model
def test_a_model_summary_keeps_only_sentences_the_verifier_passes(demo: Store) -> None:
    """With the retrieval embedder, each model sentence passes the answer engine's verifier against the key points:
    a faithful sentence stays, an invented figure and off-topic filler are dropped, nothing left -> extractive."""
    from engine.retrieval import load_embedder
    from engine.usecases.verified_notes import sentence_verifier

    class Scripted:  # a model that answers a fixed summary (the real verifier and embedder judge it)
        def __init__(self, summary: str) -> None:
            self.summary = summary

        def structured(self, parts, schema, **_):  # noqa: ANN001, ANN003, ANN201
            return schema(summary=self.summary)

    meeting = _meeting(demo, "Weekly leadership meeting")
    verify = sentence_verifier(load_embedder(""))
    faithful = "Raj will have the runbooks to Tom by December 4."
    invented = "Revenue grew 47 percent in the quarter."
    filler = "The answer to this question lies within the context of the data."
    kept = MeetingNotesService(demo, llm=Scripted(f"{faithful} {invented} {filler}"), verify=verify)
    notes, _ = kept.build(meeting.id)
    assert (notes.summary_source, notes.summary) == ("model", faithful)
    dropped, _ = MeetingNotesService(demo, llm=Scripted(f"{invented} {filler}"), verify=verify).build(meeting.id)
    assert dropped.summary_source == "extractive"


@pytest.mark.model
def test_invalid_model_output_falls_back_to_the_extractive_summary(demo: Store, smollm) -> None:  # noqa: ANN001
    meeting = _meeting(demo, "Pinecrest Medical: service review")
    # Four tokens cannot hold the JSON object: validation fails twice (with the retry), StructuredOutputError.
    notes = MeetingNotesService(demo, llm=smollm(), max_tokens=4).summarize(meeting.id)
    assert notes.summary_source == "extractive" and notes.summary
    assert all(s in {seg.id for seg in meeting.segments} for s in notes.summary_segment_ids)


def test_the_transcript_reaches_the_model_as_quoted_untrusted_data(demo: Store) -> None:
    """A participant saying "ignore your instructions" is transcript to summarize, not an order to the model."""
    from engine.llm.budget import assemble

    seen = []

    class Capture:  # the part of LLMService the notes use; records the prompt, then fails like an offline model
        def structured(self, parts, schema, **_):  # noqa: ANN001, ANN003, ANN201
            seen.append(parts)
            from engine.errors import EngineError

            raise EngineError("offline")

    meeting = _meeting(demo, "Weekly leadership meeting")
    notes = MeetingNotesService(demo, llm=Capture()).summarize(meeting.id)
    assert notes.summary_source == "extractive"  # a failed model call keeps the extractive summary
    [parts] = seen
    quoted = parts.context[0].text
    assert quoted and quoted.splitlines()[0].startswith("[0] ") and quoted not in parts.question
    user = assemble(parts, [], parts.context)[-1].content
    assert user.index("<<<DATA") < user.index(quoted) < user.index("DATA>>>") and "untrusted" in user


def test_key_points_are_transcript_sentences_with_their_time_across_topics(demo: Store) -> None:
    """Evidence first: each key point is a sentence said at its timestamp; small talk never makes the list; every
    topic of the meeting is represented (coverage figures: tests/eval/test_meeting_notes_eval.py)."""
    from engine.assistant.key_points import rank_key_points, topic_segments

    meeting = _meeting(demo, "Weekly leadership meeting")
    notes, _ = MeetingNotesService(demo).build(meeting.id)
    by_id = {s.id: s for s in meeting.segments}
    assert 4 <= len(notes.key_points) <= 14
    for point in notes.key_points:
        seg = by_id[point.segment_id]
        assert point.at == seg.start and point.speaker == seg.speaker and point.text.lower()[:-1] in seg.text.lower()
    topics = dict(zip((s.id for s in meeting.segments), topic_segments(meeting.segments)))
    assert {topics[p.segment_id] for p in notes.key_points} == set(topics.values())
    assert any(p.kind == "decision" for p in notes.key_points)
    chat = [TranscriptSegment(0, 2, "Thanks, everyone.", "A", id=1), TranscriptSegment(3, 5, "Will do.", "B", id=2),
            TranscriptSegment(6, 9, "Revenue grew 14 percent to 2.1 million dollars in Q3.", "A", id=3)]
    assert [p.text for p in rank_key_points(chat)] == ["Revenue grew 14 percent to 2.1 million dollars in Q3."]
