"""The audit trail as lines for a SIEM or a log shipper: JSON Lines in our own shape, or
OCSF (the Open Cybersecurity Schema Framework, schema.ocsf.io) events.

Our shape is the chain's own (``app.audit_chain``): each line is the event's canonical
fields plus its ``hash``, so anyone holding an export can recompute the chain without us.
Never a plaintext: events hold masked previews only.
"""

from __future__ import annotations

from app.audit_chain import ChainedEvent, chain_time

FORMATS = ("jsonl", "ocsf")

# OCSF 1.3: a token or a project created, changed or deleted is "Entity Management"
# (class 3004, in the Identity & Access Management category); its activities by our
# actions. type_uid = class_uid * 100 + activity_id.
OCSF_VERSION = "1.3.0"
ENTITY_MANAGEMENT = 3004
IDENTITY_AND_ACCESS_MANAGEMENT = 3
_ACTIVITIES = {
    "generated": (1, "Create"),
    "rotated": (3, "Update"),
    "expiry changed": (3, "Update"),
    "environments changed": (3, "Update"),
    "policy changed": (3, "Update"),
    "renamed": (5, "Move"),  # OCSF: "Move or rename an existing managed entity"
    "project renamed": (5, "Move"),
    "revoked": (4, "Delete"),
    "project deleted": (4, "Delete"),
}
_OTHER = (99, "Other")
_INFORMATIONAL, _MEDIUM = (1, "Informational"), (3, "Medium")


def jsonl_record(event: ChainedEvent) -> dict[str, object]:
    """The event as ``audit export`` writes it: ``seq``, ``hash``, ``at``, ``actor``,
    ``action``, ``project``, ``token_id``, ``preview`` and ``detail``."""
    return {
        "seq": event.seq,
        "hash": event.hash,
        "at": chain_time(event.at),
        "actor": event.actor,
        "action": event.action,
        "project": event.project,
        "token_id": event.token_id,
        "preview": event.preview,
        "detail": event.detail,
    }


def ocsf_record(event: ChainedEvent, product_version: str) -> dict[str, object]:
    """The event as an OCSF Entity Management event; our own fields under ``unmapped``."""
    activity_id, activity_name = _ACTIVITIES.get(event.action, _OTHER)
    leaked = event.action == "revoked" and event.detail.startswith("leaked")
    severity_id, severity = _MEDIUM if leaked else _INFORMATIONAL
    about_token = event.token_id is not None
    return {
        "class_uid": ENTITY_MANAGEMENT,
        "class_name": "Entity Management",
        "category_uid": IDENTITY_AND_ACCESS_MANAGEMENT,
        "category_name": "Identity & Access Management",
        "activity_id": activity_id,
        "activity_name": activity_name,
        "type_uid": ENTITY_MANAGEMENT * 100 + activity_id,
        "type_name": f"Entity Management: {activity_name}",
        "severity_id": severity_id,
        "severity": severity,
        "status_id": 1,
        "status": "Success",
        "time": _epoch_milliseconds(event),
        "message": _message(event),
        "actor": {"user": {"name": event.actor}},
        "entity": {
            "type": "deployment token" if about_token else "project",
            "uid": str(event.token_id) if about_token else event.project,
            "name": event.preview if about_token else event.project,
        },
        "metadata": {
            "version": OCSF_VERSION,
            "product": {
                "name": "Deployment Tokens",
                "vendor_name": "Deployment Tokens",
                "version": product_version,
            },
            "uid": event.hash,
            "sequence": event.seq,
            "log_name": "audit",
        },
        "unmapped": jsonl_record(event),
    }


def _epoch_milliseconds(event: ChainedEvent) -> int:
    from datetime import UTC

    moment = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def _message(event: ChainedEvent) -> str:
    what = event.action
    if event.token_id is not None:
        what += f" token {event.token_id} ({event.preview})"
    if event.project is not None:
        what += f" in {event.project}"
    if event.detail:
        what += f": {event.detail}"
    return f"{event.actor} {what}"
