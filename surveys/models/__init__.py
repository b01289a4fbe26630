from .instruments import Instrument
from .networks import Member, Network, NetworkRole, StakeholderGroup
from .users import User

__all__ = ["Instrument", "Member", "Network", "NetworkRole", "StakeholderGroup", "User"]
