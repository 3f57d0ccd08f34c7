<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AuditVerdict</name>
    <message numerus="yes">
        <source>Intact: %Ln event(s), head %1</source>
        <translation>
            <numerusform>Intact: %Ln event, head %1</numerusform>
            <numerusform>Intact: %Ln events, head %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n year</numerusform>
            <numerusform>%n years</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ExportAudit</name>
    <message numerus="yes">
        <source>Exporting the audit log of %1: %Ln event(s) so far…</source>
        <translation>
            <numerusform>Exporting the audit log of %1: %Ln event so far…</numerusform>
            <numerusform>Exporting the audit log of %1: %Ln events so far…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln event(s) to %1.</source>
        <translation>
            <numerusform>Exported %Ln event to %1.</numerusform>
            <numerusform>Exported %Ln events to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Revoked %n leaked token(s).</source>
        <translation>
            <numerusform>Revoked %n leaked token.</numerusform>
            <numerusform>Revoked %n leaked tokens.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>OneTimeSecret</name>
    <message numerus="yes">
        <source>Copied. The clipboard is cleared in %n second(s).</source>
        <translation>
            <numerusform>Copied. The clipboard is cleared in %n second.</numerusform>
            <numerusform>Copied. The clipboard is cleared in %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProjectActions</name>
    <message numerus="yes">
        <source>Its %n live deployment token(s) is revoked at once: every CI/CD pipeline or tool presenting one will be refused.</source>
        <translation>
            <numerusform>Its %n live deployment token is revoked at once: every CI/CD pipeline or tool presenting one will be refused.</numerusform>
            <numerusform>Its %n live deployment tokens are revoked at once: every CI/CD pipeline or tool presenting one will be refused.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted project “%1”; its %n token(s) is revoked.</source>
        <translation>
            <numerusform>Deleted project “%1”; its %n token is revoked.</numerusform>
            <numerusform>Deleted project “%1”; its %n tokens are revoked.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RelativeTime</name>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>%n minute ago</numerusform>
            <numerusform>%n minutes ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>%n hour ago</numerusform>
            <numerusform>%n hours ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>%n day ago</numerusform>
            <numerusform>%n days ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n week(s) ago</source>
        <translation>
            <numerusform>%n week ago</numerusform>
            <numerusform>%n weeks ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s) ago</source>
        <translation>
            <numerusform>%n month ago</numerusform>
            <numerusform>%n months ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s) ago</source>
        <translation>
            <numerusform>%n year ago</numerusform>
            <numerusform>%n years ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n minute(s)</source>
        <translation>
            <numerusform>in %n minute</numerusform>
            <numerusform>in %n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n hour(s)</source>
        <translation>
            <numerusform>in %n hour</numerusform>
            <numerusform>in %n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n day(s)</source>
        <translation>
            <numerusform>in %n day</numerusform>
            <numerusform>in %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n week(s)</source>
        <translation>
            <numerusform>in %n week</numerusform>
            <numerusform>in %n weeks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n month(s)</source>
        <translation>
            <numerusform>in %n month</numerusform>
            <numerusform>in %n months</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n year(s)</source>
        <translation>
            <numerusform>in %n year</numerusform>
            <numerusform>in %n years</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n week(s)</source>
        <translation>
            <numerusform>%n week</numerusform>
            <numerusform>%n weeks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s)</source>
        <translation>
            <numerusform>%n month</numerusform>
            <numerusform>%n months</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n year</numerusform>
            <numerusform>%n years</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReportLeakDialog</name>
    <message numerus="yes">
        <source>Revoke %n token(s) found in the text?</source>
        <translation>
            <numerusform>Revoke %n token found in the text?</numerusform>
            <numerusform>Revoke %n tokens found in the text?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Automation that uses it/them stops working at once. The audit log records it/them as leaked, with where it was/they were found. This cannot be undone.</source>
        <translation>
            <numerusform>Automation that uses it stops working at once. The audit log records it as leaked, with where it was found. This cannot be undone.</numerusform>
            <numerusform>Automation that uses them stops working at once. The audit log records them as leaked, with where them were found. This cannot be undone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Found %n token(s);</source>
        <translation>
            <numerusform>Found %n token;</numerusform>
            <numerusform>Found %n tokens;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n still work(s) and can be revoked.</source>
        <translation>
            <numerusform>%n still works and can be revoked.</numerusform>
            <numerusform>%n still work and can be revoked.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Revoked %n token(s). The audit log records where it was/they were found.</source>
        <translation>
            <numerusform>Revoked %n token. The audit log records where it was found.</numerusform>
            <numerusform>Revoked %n tokens. The audit log records where they were found.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Revoke %n token(s)…</source>
        <translation>
            <numerusform>Revoke %n token…</numerusform>
            <numerusform>Revoke %n tokens…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RevealTokenDialog</name>
    <message numerus="yes">
        <source>Token copied to the clipboard; it is cleared in %n second(s).</source>
        <translation>
            <numerusform>Token copied to the clipboard; it is cleared in %n second.</numerusform>
            <numerusform>Token copied to the clipboard; it is cleared in %n seconds.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsPane</name>
    <message numerus="yes">
        <source>%n live token(s)</source>
        <translation>
            <numerusform>%n live token</numerusform>
            <numerusform>%n live tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TokenBulkDelete</name>
    <message numerus="yes">
        <source>…and %n more token(s)</source>
        <translation>
            <numerusform>…and %n more token</numerusform>
            <numerusform>…and %n more tokens</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Used in the last 24 hours: %n token(s). A pipeline may still depend on them.</source>
        <translation>
            <numerusform>Used in the last 24 hours: %n token. A pipeline may still depend on them.</numerusform>
            <numerusform>Used in the last 24 hours: %n tokens. A pipeline may still depend on them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n deployment token(s)?</source>
        <translation>
            <numerusform>Delete %n deployment token?</numerusform>
            <numerusform>Delete %n deployment tokens?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Selected %n expired token(s).</source>
        <translation>
            <numerusform>Selected %n expired token.</numerusform>
            <numerusform>Selected %n expired tokens.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n deployment token(s).</source>
        <translation>
            <numerusform>Deleted %n deployment token.</numerusform>
            <numerusform>Deleted %n deployment tokens.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n had already been revoked elsewhere.</source>
        <translation>
            <numerusform>%n had already been revoked elsewhere.</numerusform>
            <numerusform>%n had already been revoked elsewhere.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TokenCountText</name>
    <message numerus="yes">
        <source>At least %n of %1 match %2</source>
        <translation>
            <numerusform>At least %n of %1 match %2</numerusform>
            <numerusform>At least %n of %1 match %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of %1 match %2</source>
        <translation>
            <numerusform>%n of %1 matches %2</numerusform>
            <numerusform>%n of %1 match %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Showing %1 of %n token(s)</source>
        <translation>
            <numerusform>Showing %1 of %n token</numerusform>
            <numerusform>Showing %1 of %n tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TokenTableText</name>
    <message numerus="yes">
        <source>Delete %n token(s)…</source>
        <translation>
            <numerusform>Delete %n token…</numerusform>
            <numerusform>Delete %n tokens…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TokensPane</name>
    <message numerus="yes">
        <source>Revoked %n leaked token(s).</source>
        <translation>
            <numerusform>Revoked %n leaked token.</numerusform>
            <numerusform>Revoked %n leaked tokens.</numerusform>
        </translation>
    </message>
</context>
</TS>
