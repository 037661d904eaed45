"""Plain domain types used across layers. Imports nothing of ours."""

from models.assistant import Conversation, StrategicContext, TeamMember, Turn
from models.calendar import Attendee, Event
from models.insights import Commitment, Decision, Evidence, Insight, Opportunity
from models.knowledge import Chunk, Document
from models.mail import Attachment, Contact, Message, Thread
from models.meetings import Meeting, TranscriptSegment
from models.system import Account, AuditEntry, SyncCursor

__all__ = [
    "Account", "Attachment", "Attendee", "AuditEntry", "Chunk", "Commitment", "Contact",
    "Conversation", "Decision", "Document", "Event", "Evidence", "Insight", "Meeting",
    "Message", "Opportunity", "StrategicContext", "SyncCursor", "TeamMember", "Thread",
    "TranscriptSegment", "Turn",
]
