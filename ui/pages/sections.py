"""The names of a project's sections that are built only when first opened: the sidebar
lists them before their panes' modules are loaded (each name keeps its pane's
translation context)."""

from __future__ import annotations

from ui.resources import QT_TRANSLATE_NOOP

AUDIT_LOG = QT_TRANSLATE_NOOP("AuditPane", "Audit log")
NOTIFICATIONS = QT_TRANSLATE_NOOP("NotificationsPane", "Notifications")
TRUSTED_DEPLOYERS = QT_TRANSLATE_NOOP("DeployersPane", "Trusted deployers")
DESTINATIONS = QT_TRANSLATE_NOOP("DestinationsPane", "Destinations")
