"""Speech commands: `transcribe FILE`, `meetings list`, `meetings show ID`, `meetings transcribe ID`,
`meetings summarize ID`.

Thin edge over `engine.speech` and `engine.assistant.meeting_notes`: it builds a `Transcriber` from --model or
the settings, reports progress on stderr when it is a terminal, and prints through `ctx.emit` (so --json
works). A saved transcription is linked to the calendar event it overlaps (title and attendees adopted).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.context import AppContext
from engine.assistant.meeting_notes import MeetingNotes, MeetingNotesService, link_calendar_event
from engine.errors import StoreError
from engine.speech import Transcriber, Transcript, decode_audio, import_file, transcribe_meeting
from models import Meeting, TranscriptSegment


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("transcribe", help="transcribe an audio/video file (saved as a meeting unless --no-save)")
    p.add_argument("file", type=Path, help="wav, mp3, m4a, ogg, webm, mp4, ...")
    _model_options(p)
    p.add_argument("--title", default="", help="meeting title (default: the file name)")
    p.add_argument("--no-save", action="store_true", help="only print the transcript; store nothing")
    p.set_defaults(handler=run_transcribe)

    meetings = sub.add_parser("meetings", help="recorded and imported meetings")
    msub = meetings.add_subparsers(dest="meetings_command", metavar="ACTION")
    p = msub.add_parser("list", help="meetings, newest first")
    p.set_defaults(handler=run_list)
    p = msub.add_parser("show", help="a meeting's details, markers and transcript")
    p.add_argument("id", type=int)
    p.set_defaults(handler=run_show)
    p = msub.add_parser("transcribe", help="(re-)transcribe a meeting from its stored audio, e.g. with a bigger model")
    p.add_argument("id", type=int)
    _model_options(p)
    p.add_argument("--drop-audio", action="store_true", help="delete the meeting's audio once transcribed")
    p.set_defaults(handler=run_meeting_transcribe)
    p = msub.add_parser("summarize", help="summary, decisions, action items, open questions and a follow-up draft "
                                          "(action items become commitments; the draft waits for confirmation)")
    p.add_argument("id", type=int)
    p.add_argument("--no-model", action="store_true", help="rules and an extractive summary only; load no LLM")
    p.add_argument("--model", type=Path, default=None, help="GGUF chat model to use instead of the default")
    p.set_defaults(handler=run_summarize)


def _model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", type=Path, default=None,
                   help="CTranslate2 Whisper folder (default: settings, else the bundled tiny.en)")
    p.add_argument("--language", default=None, help="language code, e.g. 'de' (default: detect)")


def _transcriber(args: argparse.Namespace, ctx: AppContext) -> Transcriber:
    path = args.model or (ctx.settings.whisper_model_path or None)
    return Transcriber(path)


def _progress(fraction: float) -> None:
    if sys.stderr.isatty():
        print(f"\r{fraction:6.1%}", end="" if fraction < 1 else "\n", file=sys.stderr, flush=True)


def _require_store(ctx: AppContext) -> None:
    if not ctx.has_store:
        raise StoreError(f"There is no store at {ctx.db_path} yet.",
                         next_step="Run `reflex-assistant init` first, or use --no-save.")


def run_transcribe(args: argparse.Namespace, ctx: AppContext) -> int:
    transcriber = _transcriber(args, ctx)
    if args.no_save:
        audio = decode_audio(args.file)
        result: Transcript = transcriber.transcribe(audio, language=args.language, on_progress=_progress)
        ctx.emit({"file": str(args.file), "language": result.language, "duration": result.duration,
                  "segments": [_segment(s) for s in result.segments]},
                 "\n".join(_line(s) for s in result.segments) or "(no speech found)")
        return 0
    _require_store(ctx)
    meeting = import_file(ctx.store, transcriber, args.file, title=args.title, language=args.language,
                          on_progress=_progress)
    event = link_calendar_event(ctx.store, meeting)
    linked = f"\nLinked to the calendar event \"{event.title}\"." if event is not None else ""
    ctx.emit(_meeting(meeting), "\n".join(_line(s) for s in meeting.segments) + linked
             + f"\nSaved as meeting {meeting.id}: `reflex-assistant meetings show {meeting.id}`.")
    return 0


def run_list(args: argparse.Namespace, ctx: AppContext) -> int:
    _require_store(ctx)
    meetings = ctx.store.meetings.all()
    rows = [f"{m.id:>5}  {m.started_at.astimezone():%Y-%m-%d %H:%M}  {_duration(m):>8}  {m.status:<12} {m.title}" for m in meetings]
    ctx.emit([_meeting(m, with_segments=False) for m in meetings], "\n".join(rows) or "No meetings yet.")
    return 0


def run_show(args: argparse.Namespace, ctx: AppContext) -> int:
    _require_store(ctx)
    meeting = ctx.store.meetings.get(args.id)
    if meeting is None:
        raise StoreError(f"There is no meeting {args.id}.", next_step="`reflex-assistant meetings list` shows the ids.")
    markers = ctx.store.meetings.markers(args.id)
    data = _meeting(meeting) | {"markers": [{"at": at, "kind": kind, "note": note} for at, kind, note in markers]}
    lines = [f"{meeting.title} — {meeting.started_at.astimezone():%Y-%m-%d %H:%M}, {_duration(meeting)}, {meeting.status}"
             + (f", model {meeting.model}" if meeting.model else "")]
    if meeting.attendees:
        lines.append("Attendees: " + ", ".join(meeting.attendees))
    lines += [f"[{_clock(at)}] {kind.upper()}" + (f": {note}" if note else "") for at, kind, note in markers]
    lines += [_line(s) for s in meeting.segments] or ["(no transcript yet: `reflex-assistant meetings transcribe "
                                                      f"{meeting.id}`)"]
    ctx.emit(data, "\n".join(lines))
    return 0


def run_meeting_transcribe(args: argparse.Namespace, ctx: AppContext) -> int:
    _require_store(ctx)
    meeting = transcribe_meeting(ctx.store, _transcriber(args, ctx), args.id, drop_audio=args.drop_audio,
                                 language=args.language, on_progress=_progress)
    link_calendar_event(ctx.store, meeting)
    ctx.emit(_meeting(meeting), "\n".join(_line(s) for s in meeting.segments) or "(no speech found)")
    return 0


def run_summarize(args: argparse.Namespace, ctx: AppContext) -> int:
    _require_store(ctx)
    from app.commands.llm import build_service
    from app.services import Services

    from engine.llm.capability import Tier

    services = None if args.no_model else Services(ctx)
    # The default model rewrites the summary only when measured at the rephrase tier; --model PATH asks that one.
    wanted = services is not None and (bool(args.model) or services.engines.model_tier() >= Tier.REPHRASE)
    llm = build_service(services, model=args.model) if wanted else None
    try:
        from engine.usecases.verified_notes import sentence_verifier

        verify = sentence_verifier(services.retrieval.embedder) if services is not None else None
        notes = MeetingNotesService(ctx.store, llm=llm, verify=verify).summarize(args.id, on_progress=_progress)
    finally:
        if args.model and llm is not None and llm.runtime is not None:
            llm.runtime.close()  # a one-off runtime; the default one is closed with the services
        if services is not None:
            services.close()
    ctx.emit(notes.model_dump(mode="json"), _notes_text(notes))
    return 0


def _notes_text(notes: MeetingNotes) -> str:
    lines = [notes.title, "", f"Summary ({notes.summary_source}):", notes.summary or "-"]
    if notes.key_points:
        lines += ["", "Key points:"] + [f"  [{_mmss(k.at)}] {k.speaker + ': ' if k.speaker else ''}{k.text}"
                                        for k in notes.key_points]
    if notes.decisions:
        lines += ["", "Decisions:"] + [f"  [{_mmss(d.at)}] {d.text}" for d in notes.decisions]
    if notes.action_items:
        lines += ["", "Action items:"] + [
            f"  [{_mmss(a.at)}] {a.owner}: {a.what}" + (f" — due {a.due:%a %d %b %Y}" if a.due else "")
            for a in notes.action_items]
    if notes.open_questions:
        lines += ["", "Open questions:"] + [f"  [{_mmss(q.at)}] {q.text}" for q in notes.open_questions]
    draft = notes.follow_up
    pending = f" (pending action {draft.pending_action_id}, not sent)" if draft.pending_action_id else " (not sent)"
    lines += ["", f"Follow-up draft{pending}:", f"To: {', '.join(draft.to) or '-'}", f"Subject: {draft.subject}",
              "", draft.body]
    return "\n".join(lines)


def _mmss(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:02d}:{secs:02d}"


def _clock(seconds: float) -> str:
    minutes, secs = divmod(seconds, 60)
    hours, minutes = divmod(int(minutes), 60)
    return (f"{hours}:" if hours else "") + f"{minutes:02d}:{secs:04.1f}"


def _line(seg: TranscriptSegment) -> str:
    speaker = f"{seg.speaker}: " if seg.speaker else ""
    return f"[{_clock(seg.start)} -> {_clock(seg.end)}] {speaker}{seg.text}"


def _segment(seg: TranscriptSegment) -> dict:
    return {"start": seg.start, "end": seg.end, "speaker": seg.speaker, "text": seg.text}


def _duration(meeting: Meeting) -> str:
    if meeting.ended_at is None:
        return "-"
    return _clock((meeting.ended_at - meeting.started_at).total_seconds()).split(".")[0]


def _meeting(meeting: Meeting, *, with_segments: bool = True) -> dict:
    data = {"id": meeting.id, "title": meeting.title, "started_at": meeting.started_at.isoformat(),
            "ended_at": meeting.ended_at.isoformat() if meeting.ended_at else None, "status": meeting.status,
            "source": meeting.source, "model": meeting.model, "language": meeting.language,
            "attendees": meeting.attendees, "event_id": meeting.event_id}
    if with_segments:
        data["segments"] = [_segment(s) for s in meeting.segments]
    return data
