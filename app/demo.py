"""Load the demo workspace (`resources/demo/`) through the same ingestion code as real data.

Idempotent: loading twice upserts the same emails and events and skips meetings and context already there.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from app.importing import import_paths
from engine.ingest import IngestReport
from engine.store import Store
from models import Meeting, StrategicContext, TeamMember, TranscriptSegment

DEMO_ACCOUNT = "demo"


def demo_root() -> Path:
    return Path(str(resources.files("resources") / "demo"))


def _manifest(root: Path) -> dict:
    return json.loads((root / "manifest.json").read_text(encoding="utf-8"))


def reference_date(root: Path | None = None) -> date:
    """The demo's "today" (its mail and calendar are written around it)."""
    return date.fromisoformat(_manifest(root or demo_root())["reference_date"])


def demo_timezone(root: Path | None = None) -> str:
    return str(_manifest(root or demo_root())["timezone"])


def load_demo(store: Store, root: Path | None = None) -> IngestReport:
    root = root or demo_root()
    manifest = _manifest(root)
    tz = ZoneInfo(manifest["timezone"])
    bounds = manifest["calendar_window"]
    window = tuple(datetime.combine(date.fromisoformat(bounds[k]), datetime.min.time(), tz) for k in ("start", "end"))
    report = import_paths(store, [root / "mail", root / "calendar", root / "docs"], account=DEMO_ACCOUNT,
                          window=window, default_tz=tz)
    report.meetings += _load_transcripts(store, root / "transcripts")
    _load_context(store, root / "strategic_context.json")
    return report


def _load_transcripts(store: Store, folder: Path) -> int:
    existing = {(m.title, m.started_at) for m in store.meetings.all()}
    added = 0
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        started = datetime.fromisoformat(data["started_at"])
        if started.tzinfo is None:
            started = started.replace(tzinfo=timezone.utc)
        if (data["title"], started) in existing:
            continue
        segments = [TranscriptSegment(float(s["start"]), float(s["end"]), s["text"], s.get("speaker", "")) for s in data["segments"]]
        duration = segments[-1].end if segments else 0.0
        store.meetings.create(Meeting(
            title=data["title"], started_at=started, ended_at=started + timedelta(seconds=duration), source="demo",
            status="transcribed", attendees=list(data.get("attendees", [])), segments=segments,
        ))
        added += 1
    return added


def _load_context(store: Store, path: Path) -> None:
    if store.contexts.latest() is not None or not path.exists():
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    team = [TeamMember(**{k: v for k, v in m.items() if k in TeamMember.__dataclass_fields__}) for m in data.get("team", [])]
    store.contexts.save(StrategicContext(
        values=list(data.get("values", [])), goals=list(data.get("goals", [])),
        priorities=list(data.get("priorities", [])), key_accounts=list(data.get("key_accounts", [])), team=team,
    ))
