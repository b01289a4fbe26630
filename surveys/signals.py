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
