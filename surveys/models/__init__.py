from .assessments import (
    Answer,
    Assessment,
    CustomQuestion,
    Invitation,
    MatrixRating,
    ReminderSent,
    Response,
    TextAnswer,
    Tie,
)
from .events import Event
from .instruments import Instrument
from .networks import Member, Network, NetworkRole, StakeholderGroup
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
    "StakeholderGroup",
    "TextAnswer",
    "Tie",
    "User",
]
