from .assessments import Assessment, CustomQuestion, Invitation, ReminderSent
from .events import Event
from .instruments import Instrument
from .networks import Member, Network, NetworkRole, StakeholderGroup
from .responses import Answer, MatrixRating, Response, TextAnswer, Tie
from .retention import RetentionWarning
from .users import User

__all__ = [
    "Answer",
    "Assessment",
    "CustomQuestion",
    "Event",
    "Instrument",
    "Invitation",
    "MatrixRating",
    "Member",
    "Network",
    "NetworkRole",
    "ReminderSent",
    "Response",
    "RetentionWarning",
    "StakeholderGroup",
    "TextAnswer",
    "Tie",
    "User",
]
