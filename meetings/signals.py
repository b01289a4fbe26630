"""What meetings tells the rest of the project. Sent after commit only, so a receiver
that enqueues work never races the rows it reads (meetings imports no results code)."""

from django.dispatch import Signal

# Sent with assessment_id once the levels agreed for that assessment may have changed:
# a meeting of it closed. Only a closed meeting's levels are shown, and they can no
# longer change, so closing is the one moment.
agreed_levels_changed = Signal()
