"""English words of check-ins, for telling a short English message from its look-alikes.

English is read by its own rules (``nlu/extract.py``, ``nlu/pain.py``); this list only
serves ``nlu.detect`` when lingua is unsure between candidates ("rpe 7, 1h15 run, slept 6h"
has two words to tell): the language whose words a message uses wins.
"""

from __future__ import annotations

COMMON_WORDS = frozenset(
    (
        "a", "an", "the", "and", "or", "but", "so", "not", "no", "nothing", "all", "very",
        "really", "bit", "little", "too", "today", "yesterday", "tonight", "morning", "this",
        "that", "it", "its", "i", "im", "i'm", "my", "me", "we", "our", "was", "were", "is", "are",
        "am", "be", "been", "had", "have", "has", "did", "do", "does", "done", "got", "get",
        "felt", "feel", "feeling", "feels", "went", "go", "going", "with", "without", "for", "of",
        "in", "on", "at", "to", "from", "after", "before", "during", "then", "just", "still",
        "again", "only", "about", "around", "run", "ran", "running", "runs", "jog", "jogged",
        "ride", "rode", "riding", "bike", "cycling", "swim", "swam", "swimming", "walk", "walked",
        "hike", "row", "rowing", "lift", "lifting", "gym", "session", "sessions", "workout",
        "training", "trained", "train", "race", "match", "game", "practice", "class", "easy",
        "hard", "tempo", "long", "recovery", "interval", "intervals", "reps", "sets", "warmup",
        "cooldown", "pace", "effort", "legs", "leg", "knee", "knees", "back", "ankle", "foot",
        "calf", "shoulder", "hip", "hamstring", "pain", "hurts", "hurt", "sore", "tired", "fresh",
        "good", "great", "bad", "awful", "fine", "ok", "okay", "strong", "weak", "slept", "sleep",
        "night", "hours", "hour", "minutes", "mins", "miles", "km", "rest", "day", "week", "felt",
        "legs", "heavy", "crushed", "smashed", "killed", "struggled", "happy", "sad", "stressed",
        "motivated", "pb", "new", "best",
    )
)
