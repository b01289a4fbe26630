"""What surveys tells the rest of the project. Sent after commit only, so a receiver
that enqueues work never races the rows it reads."""

from django.dispatch import Signal

# Sent with assessment_id and response_id once a member's submission is committed.
response_submitted = Signal()

# Sent with assessment once, inside the transaction that makes a round's first
# invitations (the one signal sent before commit): receivers may store on the round
# what it must ask before anyone can open it, such as `follow_up_questions`.
assessment_opening = Signal()

# Sent with assessment_id once an assessment is closed (early or by a coordinator).
assessment_closed = Signal()

# Sent with assessment_id inside the transaction that deletes a round's raw data under
# the retention period (surveys.services.retention): receivers delete what they hold
# that was computed from it (scorecards: the internal snapshots). Releases stay.
assessment_raw_deleting = Signal()

# Sent with member_id, network_id and mentions (the member's name and address) inside
# the transaction that erases a member (surveys.services.erasure): receivers take the
# member out of what they hold (meetings: action owners; scorecards: names on released
# maps, comments).
member_erasing = Signal()

# Sent with member (the model instance) when a coordinator exports what is held about a
# member (subject access): each receiver returns a dict of sections it holds about them.
member_data_requested = Signal()
