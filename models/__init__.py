"""Plain domain types used across layers. Imports nothing of ours."""

from models.assistant import Conversation, StrategicContext, TeamMember, Turn
from models.calendar import Attendee, Event
from models.insights import Commitment, Decision, Evidence, Insight, Opportunity
from models.knowledge import Chunk, ChunkMeta, Document, IndexFilter, epoch, person_tokens
from models.mail import Attachment, Contact, Message, Thread
from models.meetings import Meeting, TranscriptSegment
from models.system import Account, AuditEntry, PendingAction, SyncCursor

__all__ = [
    "Account", "Attachment", "Attendee", "AuditEntry", "Chunk", "ChunkMeta", "Commitment", "Contact",
    "Conversation", "Decision", "Document", "Event", "Evidence", "IndexFilter", "Insight", "Meeting",
    "Message", "Opportunity", "PendingAction", "StrategicContext", "SyncCursor", "TeamMember", "Thread",
    "TranscriptSegment", "Turn", "epoch", "person_tokens",
]
