from .networks import Member, Network, NetworkRole, StakeholderGroup
from .users import User

__all__ = ["Member", "Network", "NetworkRole", "StakeholderGroup", "User"]
