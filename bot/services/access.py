"""Who may see what about whom: the one place the rule lives (handlers only ask it).

The rule follows the consent text the athlete agreed to (`bot.dialogue.texts.CONSENT`):

- an athlete sees everything of their own;
- a coach or teacher of a group the athlete belongs to sees everything *in private*
  (readiness, load, sentiment, flags, plan, free text, pain detail);
- in a group chat (``audience="group"``) and to teammates, only what the athlete allowed with
  /privacy (``Person.team_visibility``), and never free text or pain detail;
- anybody else (a coach of another team, a stranger) sees nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from sqlalchemy.orm import Session

from bot.i18n import _
from storage import groups
from storage.schema import Group, Person

WHAT = ("readiness", "load", "sentiment", "flags", "plan", "free_text", "pain")
SHAREABLE = ("readiness", "load", "sentiment", "flags", "plan")
"""Items an athlete may share with the team chat; free text and pain never are."""
DEFAULT_VISIBILITY: Mapping[str, bool] = {
    "readiness": True,
    "load": False,
    "sentiment": False,
    "flags": False,
    "plan": False,
}
Audience = Literal["private", "group"]


class AccessDenied(PermissionError):
    """The viewer may not see or change this person's or group's data."""


def require_staff(session: Session, viewer: Person | None, subject: Person) -> None:
    """Raise `AccessDenied` unless ``viewer`` coaches or teaches a group ``subject`` is in.

    Services call this themselves (roster, overrides), so no handler can forget the check.
    """
    if viewer is None or viewer.consent_at is None or viewer.id not in groups.staff_of(
            session, subject.id):
        raise AccessDenied(_("only the athlete's coach or teacher may do that"))


def require_group_staff(session: Session, viewer: Person | None, group: Group) -> None:
    """Raise `AccessDenied` unless ``viewer`` is the group's coach (team) or teacher (class)."""
    if viewer is None or viewer.consent_at is None or not groups.has_role(
            session, viewer.id, group.id, groups.KINDS[group.kind]):
        raise AccessDenied((_("only the teacher of '{title}' may do that") if group.kind == "class"
                            else _("only the coach of '{title}' may do that"))
                           .format(title=group.title))


def visibility(person: Person) -> dict[str, bool]:
    """The athlete's team-chat visibility, defaults filled in."""
    stored: Mapping[str, Any] = person.team_visibility or {}
    return {key: bool(stored.get(key, DEFAULT_VISIBILITY[key])) for key in SHAREABLE}


def set_visibility(person: Person, item: str, shown: bool) -> dict[str, bool]:
    """Change one item; free text and pain cannot be shared."""
    if item not in SHAREABLE:
        raise ValueError(_("'{item}' cannot be shared with the team").format(item=item))
    current = visibility(person)
    current[item] = shown
    person.team_visibility = dict(current)
    return current


def can_view(
    session: Session,
    viewer: Person | None,
    subject: Person,
    what: str,
    *,
    audience: Audience = "private",
) -> bool:
    """True when ``viewer`` may see ``what`` about ``subject`` in that audience."""
    if what not in WHAT:
        raise ValueError(f"unknown data item {what!r}")
    if viewer is None or viewer.consent_at is None:
        return False
    if viewer.id == subject.id and audience == "private":
        return True
    is_staff = viewer.id in groups.staff_of(session, subject.id)
    if is_staff and audience == "private":
        return True
    if what not in SHAREABLE:
        return False
    if not (is_staff or groups.shares_group(session, viewer.id, subject.id)
            or viewer.id == subject.id):
        return False
    return visibility(subject)[what]


def allowed(
    session: Session, viewer: Person | None, subject: Person, *, audience: Audience = "private"
) -> set[str]:
    """Every item ``viewer`` may see about ``subject``."""
    return {w for w in WHAT if can_view(session, viewer, subject, w, audience=audience)}
