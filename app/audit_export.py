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
# (class 3004, in the Identity & Access Management category); a level given or taken
# away is "User Access Management" (3005). Their activities by our actions; type_uid =
# class_uid * 100 + activity_id. A CI job's ID token exchanged for a token (a trusted
# deployer) is "Authentication" (3002), activity Logon: a workload proving its identity
# with OpenID Connect and given a session's credential, which is what a SIEM correlates
# sign-ins on; the token it was given is in the event too.
OCSF_VERSION = "1.3.0"
AUTHENTICATION = 3002
ENTITY_MANAGEMENT = 3004
USER_ACCESS_MANAGEMENT = 3005
IDENTITY_AND_ACCESS_MANAGEMENT = 3
_CLASS_NAMES = {
    AUTHENTICATION: "Authentication",
    ENTITY_MANAGEMENT: "Entity Management",
    USER_ACCESS_MANAGEMENT: "User Access Management",
}
_ACCESS_ACTIVITIES = {
    "access granted": (1, "Assign Privileges"),
    "access revoked": (2, "Revoke Privileges"),
}
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
    "deployer added": (1, "Create"),
    "deployer removed": (4, "Delete"),
}
_AUTHENTICATIONS = {"exchanged": (1, "Logon")}
# OCSF's auth_protocol_id for OpenID (Connect).
_OPENID = (4, "OpenID")
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
    """The event as an OCSF event (Entity Management, or User Access Management for a
    level given or taken away); our own fields under ``unmapped``."""
    class_uid, activity_id, activity_name = _ocsf_class(event.action)
    leaked = event.action == "revoked" and event.detail.startswith("leaked")
    severity_id, severity = _MEDIUM if leaked else _INFORMATIONAL
    about_token = event.token_id is not None
    record: dict[str, object] = {
        "class_uid": class_uid,
        "class_name": _CLASS_NAMES[class_uid],
        "category_uid": IDENTITY_AND_ACCESS_MANAGEMENT,
        "category_name": "Identity & Access Management",
        "activity_id": activity_id,
        "activity_name": activity_name,
        "type_uid": class_uid * 100 + activity_id,
        "type_name": f"{_CLASS_NAMES[class_uid]}: {activity_name}",
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
    if class_uid == USER_ACCESS_MANAGEMENT:
        # Who was given or lost the level: the detail's first word, the login role.
        record["user"] = {"name": event.detail.split(" ", 1)[0].rstrip(",")}
        record["privileges"] = [event.detail]
    if class_uid == AUTHENTICATION:
        # Who logged on: the trusted deployer the ID token matched ("deployer 3 (GitHub
        # acme/web)"); for what: the project.
        record["user"] = {"name": event.detail.split(" matched ", 1)[0], "type": "Other"}
        record["auth_protocol_id"], record["auth_protocol"] = _OPENID
        record["service"] = {"name": event.project}
        record["is_new_logon"] = True
        # Not an Entity Management event: the token it was given is in unmapped.
        del record["entity"]
    return record


def _ocsf_class(action: str) -> tuple[int, int, str]:
    """An action's OCSF class, activity id and activity name."""
    if action in _ACCESS_ACTIVITIES:
        return (USER_ACCESS_MANAGEMENT, *_ACCESS_ACTIVITIES[action])
    if action in _AUTHENTICATIONS:
        return (AUTHENTICATION, *_AUTHENTICATIONS[action])
    return (ENTITY_MANAGEMENT, *_ACTIVITIES.get(action, _OTHER))


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
