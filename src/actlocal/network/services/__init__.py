"""Named actions that change the network map (imports, merges, dedupe, exports, edits)."""


class NetworkError(Exception):
    """A business rule refused the action; the message is for the user."""
