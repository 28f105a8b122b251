"""What a role description is made of: the kinds of rows its edit page edits and its history shows.

Listed here, where both apps that hold them are in view, in the order the edit page shows them.
"""

from knowledge.history import HistoryTrack
from responsibilities.editing import DUTIES
from roles.editing import FACTS, LINES, QUALIFICATIONS, ItemKind, describe_line
from roles.models import Role, RoleTitle

ITEM_KINDS: list[ItemKind] = [DUTIES, QUALIFICATIONS, LINES, FACTS]

HISTORY_TRACKS: list[HistoryTrack] = [
    HistoryTrack("role", Role, ("id",)),
    HistoryTrack("titles", RoleTitle, ("role",)),
    *(
        HistoryTrack(kind.key, kind.model, kind.role_fields, describe=describe_line if kind is LINES else None)
        for kind in ITEM_KINDS
    ),
]


def history_track(key: str) -> HistoryTrack | None:
    return next((track for track in HISTORY_TRACKS if track.key == key), None)
