<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <source>About %1</source>
        <translation>Über %1</translation>
    </message>
    <message>
        <source>Generate and revoke project tokens for external deployment automation.</source>
        <translation>Projektbezogene Tokens für externe Deployment-Automatisierung erzeugen und widerrufen.</translation>
    </message>
    <message>
        <source>not open yet</source>
        <translation>noch nicht geöffnet</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>(version unknown)</source>
        <translation>(Version unbekannt)</translation>
    </message>
</context>
<context>
    <name>Access</name>
    <message>
        <source>viewer</source>
        <translation>Betrachter</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>A viewer sees the project&apos;s tokens, environments, token policy and audit log, and changes nothing.</source>
        <translation>Ein Betrachter sieht die Tokens, Umgebungen, Token-Richtlinie und das Audit-Protokoll des Projekts und ändert nichts.</translation>
    </message>
    <message>
        <source>A manager also generates, rotates, renames and deletes its tokens.</source>
        <translation>Ein Manager erzeugt, rotiert, benennt und löscht außerdem seine Tokens.</translation>
    </message>
    <message>
        <source>An admin also changes its token policy, environments and members, and renames and deletes it.</source>
        <translation>Ein Admin ändert außerdem seine Token-Richtlinie, Umgebungen und Mitglieder und benennt das Projekt um oder löscht es.</translation>
    </message>
    <message>
        <source>Read-only: %1</source>
        <translation>Schreibgeschützt: %1</translation>
    </message>
    <message>
        <source>Needs %1 on all projects.</source>
        <translation>Erfordert %1 für alle Projekte.</translation>
    </message>
    <message>
        <source>Needs %1 on %2.</source>
        <translation>Erfordert %1 für %2.</translation>
    </message>
    <message>
        <source>Ask an admin: %1.</source>
        <translation>Fragen Sie einen Admin: %1.</translation>
    </message>
</context>
<context>
    <name>AddDeployerDialog</name>
    <message>
        <source>Add trusted deployer</source>
        <translation>Vertrauten Deployer hinzufügen</translation>
    </message>
    <message>
        <source>GitHub Actions</source>
        <translation>GitHub Actions</translation>
    </message>
    <message>
        <source>GitLab CI</source>
        <translation>GitLab CI</translation>
    </message>
    <message>
        <source>Another OIDC issuer</source>
        <translation>Ein anderer OIDC-Aussteller</translation>
    </message>
    <message>
        <source>Jobs of one repository, by its id and its owner&apos;s id: a deleted repository&apos;s name can be registered by someone else, its id cannot. Name the GitHub environment that guards deployments, so a pushed branch cannot deploy.</source>
        <translation>Jobs eines Repositorys, erkannt an seiner ID und der ID seines Besitzers: Den Namen eines gelöschten Repositorys kann jemand anderes registrieren, seine ID nicht. Nennen Sie die GitHub-Umgebung, die Deployments schützt, damit ein gepushter Branch nicht deployen kann.</translation>
    </message>
    <message>
        <source>Jobs of one project of a GitLab instance, by the project&apos;s id. Allow protected branches and tags only, or name an environment, so a pushed branch cannot deploy.</source>
        <translation>Jobs eines Projekts einer GitLab-Instanz, erkannt an der ID des Projekts. Erlauben Sie nur geschützte Branches und Tags oder nennen Sie eine Umgebung, damit ein gepushter Branch nicht deployen kann.</translation>
    </message>
    <message>
        <source>Any OIDC issuer: its ID token must carry every claim below exactly (no patterns). Bind immutable ids, and an environment or a protected ref.</source>
        <translation>Ein beliebiger OIDC-Aussteller: Sein ID-Token muss jeden Claim unten genau so tragen (keine Muster). Binden Sie unveränderliche IDs und eine Umgebung oder eine geschützte Ref.</translation>
    </message>
    <message>
        <source>CI jobs that prove who they are with an OIDC ID token get a short-lived token of %1. Nothing long-lived is stored in the CI system.</source>
        <translation>CI-Jobs, die mit einem OIDC-ID-Token beweisen, wer sie sind, erhalten ein kurzlebiges Token von %1. Im CI-System liegt nichts Langlebiges.</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>Repository</translation>
    </message>
    <message>
        <source>OWNER/REPO, such as acme/web</source>
        <translation>BESITZER/REPO, etwa acme/web</translation>
    </message>
    <message>
        <source>Repository id</source>
        <translation>Repository-ID</translation>
    </message>
    <message>
        <source>such as 123456789</source>
        <translation>etwa 123456789</translation>
    </message>
    <message>
        <source>Owner id</source>
        <translation>Besitzer-ID</translation>
    </message>
    <message>
        <source>such as 987654</source>
        <translation>etwa 987654</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Umgebung</translation>
    </message>
    <message>
        <source>optional, such as production</source>
        <translation>optional, etwa production</translation>
    </message>
    <message>
        <source>The job&apos;s GitHub environment; the tokens are limited to the project&apos;s environment of that name too.</source>
        <translation>Die GitHub-Umgebung des Jobs; die Tokens gelten dann auch nur für die gleichnamige Umgebung des Projekts.</translation>
    </message>
    <message>
        <source>&amp;Repository:</source>
        <translation>&amp;Repository:</translation>
    </message>
    <message>
        <source>Repository &amp;id:</source>
        <translation>Repository-&amp;ID:</translation>
    </message>
    <message>
        <source>&amp;Owner id:</source>
        <translation>&amp;Besitzer-ID:</translation>
    </message>
    <message>
        <source>E&amp;nvironment:</source>
        <translation>&amp;Umgebung:</translation>
    </message>
    <message>
        <source>&amp;Protected branches and tags only</source>
        <translation>Nur &amp;geschützte Branches und Tags</translation>
    </message>
    <message>
        <source>Instance URL</source>
        <translation>URL der Instanz</translation>
    </message>
    <message>
        <source>such as https://gitlab.example.com</source>
        <translation>etwa https://gitlab.example.com</translation>
    </message>
    <message>
        <source>Project id</source>
        <translation>Projekt-ID</translation>
    </message>
    <message>
        <source>such as 42</source>
        <translation>etwa 42</translation>
    </message>
    <message>
        <source>The job&apos;s environment; the tokens are limited to the project&apos;s environment of that name too.</source>
        <translation>Die Umgebung des Jobs; die Tokens gelten dann auch nur für die gleichnamige Umgebung des Projekts.</translation>
    </message>
    <message>
        <source>&amp;Instance URL:</source>
        <translation>URL der &amp;Instanz:</translation>
    </message>
    <message>
        <source>Project i&amp;d:</source>
        <translation>Projekt-I&amp;D:</translation>
    </message>
    <message>
        <source>Claims</source>
        <translation>Claims</translation>
    </message>
    <message>
        <source>One claim a line, KEY=VALUE, such as repository_id=123.</source>
        <translation>Ein Claim je Zeile, SCHLÜSSEL=WERT, etwa repository_id=123.</translation>
    </message>
    <message>
        <source>KEY=VALUE, one a line</source>
        <translation>SCHLÜSSEL=WERT, einer je Zeile</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>Aussteller</translation>
    </message>
    <message>
        <source>https://, such as https://oidc.example.com</source>
        <translation>https://, etwa https://oidc.example.com</translation>
    </message>
    <message>
        <source>Environments</source>
        <translation>Umgebungen</translation>
    </message>
    <message>
        <source>optional: every environment</source>
        <translation>optional: jede Umgebung</translation>
    </message>
    <message>
        <source>The project&apos;s environments the tokens are for, separated by commas.</source>
        <translation>Die Umgebungen des Projekts, für die die Tokens gelten, durch Kommas getrennt.</translation>
    </message>
    <message>
        <source>I&amp;ssuer:</source>
        <translation>A&amp;ussteller:</translation>
    </message>
    <message>
        <source>&amp;Claims:</source>
        <translation>&amp;Claims:</translation>
    </message>
    <message>
        <source>E&amp;nvironments:</source>
        <translation>U&amp;mgebungen:</translation>
    </message>
    <message>
        <source>Audience</source>
        <translation>Zielgruppe (aud)</translation>
    </message>
    <message>
        <source>such as deployment-tokens:deploy.example.com</source>
        <translation>etwa deployment-tokens:deploy.example.com</translation>
    </message>
    <message>
        <source>The aud the job asks its ID token for.</source>
        <translation>Das aud, für das der Job sein ID-Token anfordert.</translation>
    </message>
    <message>
        <source>Lifetime</source>
        <translation>Lebensdauer</translation>
    </message>
    <message>
        <source>How long each exchanged token lives: 15m by default, at most 1h.</source>
        <translation>Wie lange jedes eingetauschte Token gilt: 15m, wenn nichts anderes gesagt ist, höchstens 1h.</translation>
    </message>
    <message>
        <source>&amp;Audience:</source>
        <translation>&amp;Zielgruppe (aud):</translation>
    </message>
    <message>
        <source>&amp;Lifetime:</source>
        <translation>&amp;Lebensdauer:</translation>
    </message>
</context>
<context>
    <name>AddDestinationDialog</name>
    <message>
        <source>Add destination</source>
        <translation>Ablageort hinzufügen</translation>
    </message>
    <message>
        <source>OpenBao/Vault</source>
        <translation>Geheimnis in OpenBao/Vault</translation>
    </message>
    <message>
        <source>GitHub Actions secret</source>
        <translation>Geheimnis in GitHub Actions</translation>
    </message>
    <message>
        <source>GitLab CI/CD variable</source>
        <translation>CI/CD-Variable in GitLab</translation>
    </message>
    <message>
        <source>Reads its credential from VAULT_TOKEN (or BAO_TOKEN). Least privilege: a policy with create, read and update on this secret&apos;s data/ and metadata/ paths, and nothing else. KV version 2, written with check-and-set.</source>
        <translation>Liest seine Zugangsdaten aus VAULT_TOKEN (oder BAO_TOKEN). Geringste Rechte: eine Policy mit create, read und update auf den Pfaden data/ und metadata/ dieses Geheimnisses und sonst nichts. KV Version 2, geschrieben mit Check-and-Set.</translation>
    </message>
    <message>
        <source>Reads its credential from GITHUB_TOKEN (or GH_TOKEN). Least privilege: a fine-grained token for this one repository with “Secrets: write” (and “Environments: write” for an environment&apos;s secret).</source>
        <translation>Liest seine Zugangsdaten aus GITHUB_TOKEN (oder GH_TOKEN). Geringste Rechte: ein Fine-grained-Token nur für dieses eine Repository mit „Secrets: write“ (und „Environments: write“ für das Geheimnis einer Umgebung).</translation>
    </message>
    <message>
        <source>Reads its credential from GITLAB_TOKEN. Least privilege: a project access token of this project with the api scope and the Maintainer role.</source>
        <translation>Liest seine Zugangsdaten aus GITLAB_TOKEN. Geringste Rechte: ein Projekt-Zugriffstoken dieses Projekts mit dem Scope api und der Rolle Maintainer.</translation>
    </message>
    <message>
        <source>A place %1&apos;s tokens are pushed to, so they never pass through the clipboard. Only where is stored: the credential is read from this app&apos;s environment at each push.</source>
        <translation>Ein Ort, an den die Tokens von %1 gepusht werden, damit sie nie durch die Zwischenablage gehen. Gespeichert wird nur, wo er liegt: Die Zugangsdaten werden bei jedem Push aus der Umgebung dieser App gelesen.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>such as bao or github-prod</source>
        <translation>etwa bao oder github-prod</translation>
    </message>
    <message>
        <source>What Send to, Rotate and tokens generate --push call it.</source>
        <translation>So nennen ihn Senden an, Rotieren und tokens generate --push.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>Server-URL</translation>
    </message>
    <message>
        <source>such as https://bao.example.com</source>
        <translation>etwa https://bao.example.com</translation>
    </message>
    <message>
        <source>Secret path</source>
        <translation>Pfad des Geheimnisses</translation>
    </message>
    <message>
        <source>MOUNT/PATH, such as secret/ci/web</source>
        <translation>MOUNT/PFAD, etwa secret/ci/web</translation>
    </message>
    <message>
        <source>The KV version 2 mount, then the secret&apos;s path in it.</source>
        <translation>Der Mount von KV Version 2, dann der Pfad des Geheimnisses darin.</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>optional: token</source>
        <translation>optional: token (Standard)</translation>
    </message>
    <message>
        <source>The key in the secret that holds the token.</source>
        <translation>Der Schlüssel im Geheimnis, unter dem das Token steht.</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;Server-URL:</translation>
    </message>
    <message>
        <source>Secret &amp;path:</source>
        <translation>&amp;Pfad des Geheimnisses:</translation>
    </message>
    <message>
        <source>&amp;Field:</source>
        <translation>&amp;Feld:</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>Repository</translation>
    </message>
    <message>
        <source>OWNER/REPO, such as acme/web</source>
        <translation>BESITZER/REPO, etwa acme/web</translation>
    </message>
    <message>
        <source>Secret name</source>
        <translation>Name des Geheimnisses</translation>
    </message>
    <message>
        <source>such as DEPLOY_TOKEN</source>
        <translation>etwa DEPLOY_TOKEN</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Umgebung</translation>
    </message>
    <message>
        <source>optional, such as production</source>
        <translation>optional, etwa production</translation>
    </message>
    <message>
        <source>A secret of this GitHub environment rather than of the repository.</source>
        <translation>Ein Geheimnis dieser GitHub-Umgebung statt des Repositorys.</translation>
    </message>
    <message>
        <source>&amp;Repository:</source>
        <translation>&amp;Repository:</translation>
    </message>
    <message>
        <source>&amp;Secret name:</source>
        <translation>Name des &amp;Geheimnisses:</translation>
    </message>
    <message>
        <source>&amp;Environment:</source>
        <translation>U&amp;mgebung:</translation>
    </message>
    <message>
        <source>Instance URL</source>
        <translation>URL der Instanz</translation>
    </message>
    <message>
        <source>such as https://gitlab.com</source>
        <translation>etwa https://gitlab.com</translation>
    </message>
    <message>
        <source>Project id</source>
        <translation>Projekt-ID</translation>
    </message>
    <message>
        <source>such as 42, or group/project</source>
        <translation>etwa 42 oder gruppe/projekt</translation>
    </message>
    <message>
        <source>Variable key</source>
        <translation>Schlüssel der Variable</translation>
    </message>
    <message>
        <source>Environment scope</source>
        <translation>Umgebungsbereich</translation>
    </message>
    <message>
        <source>optional: * (every environment)</source>
        <translation>optional: * (jede Umgebung)</translation>
    </message>
    <message>
        <source>&amp;Instance URL:</source>
        <translation>URL der &amp;Instanz:</translation>
    </message>
    <message>
        <source>Project &amp;id:</source>
        <translation>Projekt-I&amp;D:</translation>
    </message>
    <message>
        <source>&amp;Variable key:</source>
        <translation>Schlüssel der &amp;Variable:</translation>
    </message>
    <message>
        <source>Environment &amp;scope:</source>
        <translation>Umgebungs&amp;bereich:</translation>
    </message>
</context>
<context>
    <name>AddNotificationDialog</name>
    <message>
        <source>Add notification</source>
        <translation>Benachrichtigung hinzufügen</translation>
    </message>
    <message>
        <source>Mailed one digest per run of notify: the project&apos;s tokens about to expire, and tokens revoked after a leak. Needs ML_DEPLOYMENT_SMTP_URL where notify runs.</source>
        <translation>Erhält pro Lauf von notify eine Sammel-E-Mail: die Tokens des Projekts, die bald ablaufen, und Tokens, die nach einem Leak widerrufen wurden. Braucht ML_DEPLOYMENT_SMTP_URL dort, wo notify läuft.</translation>
    </message>
    <message>
        <source>Sent every audit event and every expiry warning of the project, one signed JSON POST each. https:// only (http:// to this machine alone). Its signing secret is shown once, next.</source>
        <translation>Erhält jedes Audit-Ereignis und jede Ablaufwarnung des Projekts, je als signierten JSON-POST. Nur https:// (http:// nur zu diesem Rechner). Sein Signaturgeheimnis wird danach einmal angezeigt.</translation>
    </message>
    <message>
        <source>for example, ops@example.com</source>
        <translation>zum Beispiel ops@example.com</translation>
    </message>
    <message>
        <source>for example, https://hooks.example.com/deployment-tokens</source>
        <translation>zum Beispiel https://hooks.example.com/deployment-tokens</translation>
    </message>
    <message>
        <source>Who is told what happens to the tokens of %1, and how.</source>
        <translation>Wer erfährt, was mit den Tokens von %1 geschieht, und wie.</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Art:</translation>
    </message>
    <message>
        <source>A&amp;ddress:</source>
        <translation>A&amp;dresse:</translation>
    </message>
</context>
<context>
    <name>AddRecordDialog</name>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
</context>
<context>
    <name>Application</name>
    <message>
        <source>Something went wrong</source>
        <translation>Etwas ist schiefgegangen</translation>
    </message>
</context>
<context>
    <name>AuditDetails</name>
    <message>
        <source>Selected event</source>
        <translation>Ausgewähltes Ereignis</translation>
    </message>
    <message>
        <source>Select an event to see all of it here: its place in the chain, its hash, the exact time and its whole details.</source>
        <translation>Wählen Sie ein Ereignis, um es hier vollständig zu sehen: seinen Platz in der Kette, seinen Hashwert, die genaue Zeit und alle Details.</translation>
    </message>
    <message>
        <source>Event:</source>
        <translation>Ereignis:</translation>
    </message>
    <message>
        <source>When:</source>
        <translation>Wann:</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>Aktion:</translation>
    </message>
    <message>
        <source>By:</source>
        <translation>Von:</translation>
    </message>
    <message>
        <source>Token:</source>
        <translation>Token:</translation>
    </message>
    <message>
        <source>Details:</source>
        <translation>Details:</translation>
    </message>
    <message>
        <source>Hash:</source>
        <translation>Hashwert:</translation>
    </message>
    <message>
        <source>could not be read</source>
        <translation>konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>not found in the chain</source>
        <translation>nicht in der Kette gefunden</translation>
    </message>
    <message>
        <source>None: the project&apos;s own settings</source>
        <translation>Keines: die Einstellungen des Projekts selbst</translation>
    </message>
    <message>
        <source>%1 (id %2), named “%3”</source>
        <translation>%1 (ID %2), Name „%3“</translation>
    </message>
    <message>
        <source>%1 (id %2)</source>
        <translation>%1 (ID %2)</translation>
    </message>
</context>
<context>
    <name>AuditPane</name>
    <message>
        <source>Audit log</source>
        <translation>Audit-Protokoll</translation>
    </message>
    <message>
        <source>Every deployment token generated, renamed, rotated or revoked in this project, including tokens revoked because they leaked, and every change to their expiry, environments and the token policy; newest first, with who did it. Entries cannot be edited or deleted.</source>
        <translation>Jedes Deployment-Token, das in diesem Projekt erzeugt, umbenannt, rotiert oder widerrufen wurde, auch wegen eines Leaks widerrufene, und jede Änderung an Ablauf, Umgebungen und Token-Richtlinie; das Neueste zuerst, mit der Person, die es getan hat. Einträge können weder bearbeitet noch gelöscht werden.</translation>
    </message>
    <message>
        <source>&amp;Verify</source>
        <translation>&amp;Prüfen</translation>
    </message>
    <message>
        <source>Check the whole audit log, every project&apos;s events: that none was changed, removed, inserted or reordered since it was written</source>
        <translation>Das ganze Audit-Protokoll prüfen, die Ereignisse aller Projekte: dass keines geändert, entfernt, eingefügt oder umsortiert wurde, seit es geschrieben wurde</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren…</translation>
    </message>
    <message>
        <source>Save this project&apos;s events to a file: JSON Lines, or CSV for a spreadsheet</source>
        <translation>Die Ereignisse dieses Projekts in einer Datei speichern: JSON Lines oder CSV für eine Tabellenkalkulation</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Alle Aktionen</translation>
    </message>
    <message>
        <source>All people</source>
        <translation>Alle Personen</translation>
    </message>
    <message>
        <source>Nothing has happened in this project yet.</source>
        <translation>In diesem Projekt ist noch nichts geschehen.</translation>
    </message>
    <message>
        <source>No event matches the filter.</source>
        <translation>Kein Ereignis passt zum Filter.</translation>
    </message>
    <message>
        <source>Filter by action</source>
        <translation>Nach Aktion filtern</translation>
    </message>
    <message>
        <source>Filter by person</source>
        <translation>Nach Person filtern</translation>
    </message>
    <message>
        <source>&amp;Action:</source>
        <translation>&amp;Aktion:</translation>
    </message>
    <message>
        <source>&amp;Person:</source>
        <translation>Pe&amp;rson:</translation>
    </message>
    <message>
        <source>Could not verify the audit log</source>
        <translation>Das Audit-Protokoll konnte nicht geprüft werden</translation>
    </message>
</context>
<context>
    <name>AuditTableModel</name>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Generated</source>
        <translation>Erzeugt</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Renamed</source>
        <translation>Umbenannt</translation>
    </message>
    <message>
        <source>Rotated</source>
        <translation>Rotiert</translation>
    </message>
    <message>
        <source>Expiry changed</source>
        <translation>Ablauf geändert</translation>
    </message>
    <message>
        <source>Environments changed</source>
        <translation>Umgebungen geändert</translation>
    </message>
    <message>
        <source>Policy changed</source>
        <translation>Richtlinie geändert</translation>
    </message>
    <message>
        <source>Project renamed</source>
        <translation>Projekt umbenannt</translation>
    </message>
    <message>
        <source>Project deleted</source>
        <translation>Projekt gelöscht</translation>
    </message>
    <message>
        <source>Access granted</source>
        <translation>Zugriff erteilt</translation>
    </message>
    <message>
        <source>Access revoked</source>
        <translation>Zugriff entzogen</translation>
    </message>
    <message>
        <source>Notification added</source>
        <translation>Benachrichtigung hinzugefügt</translation>
    </message>
    <message>
        <source>Notification removed</source>
        <translation>Benachrichtigung entfernt</translation>
    </message>
    <message>
        <source>Warning days changed</source>
        <translation>Warntage geändert</translation>
    </message>
    <message>
        <source>Trusted deployer added</source>
        <translation>Vertrauter Deployer hinzugefügt</translation>
    </message>
    <message>
        <source>Trusted deployer removed</source>
        <translation>Vertrauter Deployer entfernt</translation>
    </message>
    <message>
        <source>Exchanged for an ID token</source>
        <translation>Gegen ein ID-Token eingetauscht</translation>
    </message>
    <message>
        <source>The audit chain breaks at this event: it, or the one before it, was changed, removed, inserted or moved.</source>
        <translation>Die Audit-Kette bricht bei diesem Ereignis: Es selbst oder das Ereignis davor wurde geändert, entfernt, eingefügt oder verschoben.</translation>
    </message>
    <message>
        <source>The project&apos;s own settings</source>
        <translation>Die Einstellungen des Projekts selbst</translation>
    </message>
    <message>
        <source>Token id %1</source>
        <translation>Token-ID %1</translation>
    </message>
</context>
<context>
    <name>AuditVerdict</name>
    <message>
        <source>Intact: the audit log holds no events yet.</source>
        <translation>Intakt: Das Audit-Protokoll enthält noch keine Ereignisse.</translation>
    </message>
    <message numerus="yes">
        <source>Intact: %Ln event(s), head %1</source>
        <translation>
            <numerusform>Intakt: %Ln Ereignis, Kettenkopf %1</numerusform>
            <numerusform>Intakt: %Ln Ereignisse, Kettenkopf %1</numerusform>
        </translation>
    </message>
    <message>
        <source>event %1 was changed: its content no longer matches its hash</source>
        <translation>Ereignis %1 wurde geändert: Sein Inhalt passt nicht mehr zu seinem Hashwert</translation>
    </message>
    <message>
        <source>events %1 and %2 were reordered</source>
        <translation>die Ereignisse %1 und %2 wurden vertauscht</translation>
    </message>
    <message>
        <source>event %1 does not follow from the one before it: it was changed or inserted there</source>
        <translation>Ereignis %1 folgt nicht aus dem Ereignis davor: Es wurde dort geändert oder eingefügt</translation>
    </message>
    <message>
        <source>event %1 was removed</source>
        <translation>Ereignis %1 wurde entfernt</translation>
    </message>
    <message>
        <source>events %1 to %2 were removed</source>
        <translation>die Ereignisse %1 bis %2 wurden entfernt</translation>
    </message>
    <message>
        <source>event %1 appears again where %2 belongs</source>
        <translation>Ereignis %1 steht ein zweites Mal, wo %2 hingehört</translation>
    </message>
    <message>
        <source>Broken at event %1: %2.</source>
        <translation>Gebrochen bei Ereignis %1: %2.</translation>
    </message>
    <message>
        <source>Its row is highlighted below; the filters were cleared to show it.</source>
        <translation>Seine Zeile ist unten hervorgehoben; die Filter wurden dafür zurückgesetzt.</translation>
    </message>
    <message>
        <source>Its row is highlighted below.</source>
        <translation>Seine Zeile ist unten hervorgehoben.</translation>
    </message>
    <message>
        <source>Event %1 is not in this project&apos;s log: it is another project&apos;s, or it was removed.</source>
        <translation>Ereignis %1 steht nicht im Protokoll dieses Projekts: Es gehört zu einem anderen Projekt oder wurde entfernt.</translation>
    </message>
</context>
<context>
    <name>ChangeWatcher</name>
    <message>
        <source>The database is reachable again.</source>
        <translation>Die Datenbank ist wieder erreichbar.</translation>
    </message>
    <message>
        <source>Cannot check for changes: %1. Checking again every %2 s.</source>
        <translation>Änderungen können nicht geprüft werden: %1. Erneuter Versuch alle %2 s.</translation>
    </message>
    <message>
        <source>The project “%1” was renamed to “%2” elsewhere.</source>
        <translation>Das Projekt „%1“ wurde anderswo in „%2“ umbenannt.</translation>
    </message>
    <message>
        <source>The project “%1” was deleted by another client.</source>
        <translation>Das Projekt „%1“ wurde von einem anderen Client gelöscht.</translation>
    </message>
    <message>
        <source>The project “%1” is gone: another client deleted it, or an admin revoked your access to it.</source>
        <translation>Das Projekt „%1“ ist nicht mehr da: Ein anderer Client hat es gelöscht, oder ein Admin hat Ihnen den Zugriff darauf entzogen.</translation>
    </message>
</context>
<context>
    <name>DeployersModel</name>
    <message>
        <source>Issuer</source>
        <translation>Aussteller</translation>
    </message>
    <message>
        <source>Trusted jobs</source>
        <translation>Vertraute Jobs</translation>
    </message>
    <message>
        <source>Tokens for</source>
        <translation>Tokens für</translation>
    </message>
    <message>
        <source>Lifetime</source>
        <translation>Lebensdauer</translation>
    </message>
    <message>
        <source>Last exchange</source>
        <translation>Letzter Tausch</translation>
    </message>
    <message>
        <source>GitHub Actions</source>
        <translation>GitHub Actions</translation>
    </message>
    <message>
        <source>GitLab %1</source>
        <translation>GitLab %1</translation>
    </message>
    <message>
        <source>repository id %1</source>
        <translation>Repository-ID %1</translation>
    </message>
    <message>
        <source>owner id %1</source>
        <translation>Besitzer-ID %1</translation>
    </message>
    <message>
        <source>project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>group id %1</source>
        <translation>Gruppen-ID %1</translation>
    </message>
    <message>
        <source>environment %1</source>
        <translation>Umgebung %1</translation>
    </message>
    <message>
        <source>ref %1</source>
        <translation>Ref %1</translation>
    </message>
    <message>
        <source>GitHub %1 (id %2)</source>
        <translation>GitHub %1 (ID %2)</translation>
    </message>
    <message>
        <source>protected refs only</source>
        <translation>nur geschützte Refs</translation>
    </message>
    <message>
        <source>every environment</source>
        <translation>jede Umgebung</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 Std.</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 Min.</translation>
    </message>
    <message>
        <source>A weak binding: see the warning above the table</source>
        <translation>Eine schwache Bindung: siehe die Warnung über der Tabelle</translation>
    </message>
    <message>
        <source>Audience: %1
Claims that must match: %2
Tokens named: %3</source>
        <translation>Zielgruppe: %1
Claims, die passen müssen: %2
Name der Tokens: %3</translation>
    </message>
    <message>
        <source>No CI job has exchanged an ID token for this binding yet.</source>
        <translation>Noch kein CI-Job hat über diese Bindung ein ID-Token eingetauscht.</translation>
    </message>
</context>
<context>
    <name>DeployersPane</name>
    <message>
        <source>Trusted deployers</source>
        <translation>Vertraute Deployer</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>Hin&amp;zufügen…</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Entfernen…</translation>
    </message>
    <message>
        <source>CI jobs trusted to deploy without a stored secret: a job presents its OIDC ID token to the verification service (POST /v1/exchange) and gets a deployment token that lives a few minutes. Bind immutable ids and an environment or protected ref.</source>
        <translation>CI-Jobs, denen das Deployen ohne gespeichertes Geheimnis vertraut wird: Ein Job legt dem Prüfdienst sein OIDC-ID-Token vor (POST /v1/exchange) und erhält ein Deployment-Token, das wenige Minuten gilt. Binden Sie unveränderliche IDs und eine Umgebung oder geschützte Ref.</translation>
    </message>
    <message>
        <source>No CI job is trusted to deploy this project by its ID token yet. Add a GitHub Actions repository, a GitLab CI project or another OIDC issuer: its jobs then need no stored token at all (see “Trusted deployers” in the user guide).</source>
        <translation>Noch keinem CI-Job wird vertraut, dieses Projekt mit seinem ID-Token zu deployen. Fügen Sie ein Repository von GitHub Actions, ein Projekt von GitLab CI oder einen anderen OIDC-Aussteller hinzu: Dessen Jobs brauchen dann gar kein gespeichertes Token (siehe „Vertraute Deployer“ im Benutzerhandbuch).</translation>
    </message>
    <message>
        <source>Weak bindings</source>
        <translation>Schwache Bindungen</translation>
    </message>
    <message>
        <source>You are %1 here: only the project&apos;s admins add and remove trusted deployers.</source>
        <translation>Sie sind hier %1: Nur die Admins des Projekts fügen vertraute Deployer hinzu und entfernen sie.</translation>
    </message>
    <message>
        <source>no member</source>
        <translation>kein Mitglied</translation>
    </message>
    <message>
        <source>Ask an admin: %1.</source>
        <translation>Fragen Sie einen Admin: %1.</translation>
    </message>
    <message>
        <source>%1 is weak: %2</source>
        <translation>%1 ist schwach: %2</translation>
    </message>
    <message>
        <source>Added the trusted deployer %1.</source>
        <translation>Vertrauter Deployer %1 hinzugefügt.</translation>
    </message>
    <message>
        <source>Weak trusted deployer</source>
        <translation>Schwacher vertrauter Deployer</translation>
    </message>
    <message>
        <source>Added %1, but the binding is weak:</source>
        <translation>%1 hinzugefügt, aber die Bindung ist schwach:</translation>
    </message>
    <message>
        <source>Remove trusted deployer</source>
        <translation>Vertrauten Deployer entfernen</translation>
    </message>
    <message>
        <source>Remove the trusted deployer %1 (%2)?</source>
        <translation>Den vertrauten Deployer %1 (%2) entfernen?</translation>
    </message>
    <message>
        <source>Last exchange: %1.</source>
        <translation>Letzter Tausch: %1.</translation>
    </message>
    <message>
        <source>Its CI jobs can no longer exchange their ID token for a token of this project: a pipeline that deploys with it stops working at once. Tokens already exchanged live out their few minutes. This cannot be undone.</source>
        <translation>Seine CI-Jobs können ihr ID-Token nicht mehr gegen ein Token dieses Projekts eintauschen: Eine Pipeline, die damit deployt, funktioniert sofort nicht mehr. Bereits eingetauschte Tokens gelten noch ihre wenigen Minuten. Dies lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Removed the trusted deployer %1.</source>
        <translation>Vertrauter Deployer %1 entfernt.</translation>
    </message>
    <message>
        <source>Could not remove the trusted deployer</source>
        <translation>Der vertraute Deployer konnte nicht entfernt werden</translation>
    </message>
    <message>
        <source>Could not read the trusted deployers</source>
        <translation>Die vertrauten Deployer konnten nicht gelesen werden</translation>
    </message>
</context>
<context>
    <name>DestinationsModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Wo</translation>
    </message>
    <message>
        <source>Last push</source>
        <translation>Letzter Push</translation>
    </message>
    <message>
        <source>pushed</source>
        <translation>gepusht</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>tested</source>
        <translation>getestet</translation>
    </message>
    <message>
        <source>test failed</source>
        <translation>Test fehlgeschlagen</translation>
    </message>
    <message>
        <source>OpenBao/Vault %1 %2 (field %3)</source>
        <translation>OpenBao/Vault %1 %2 (Feld %3)</translation>
    </message>
    <message>
        <source>GitHub %1, secret %2</source>
        <translation>GitHub %1, Geheimnis %2</translation>
    </message>
    <message>
        <source>GitHub %1, secret %2, environment %3</source>
        <translation>GitHub %1, Geheimnis %2, Umgebung %3</translation>
    </message>
    <message>
        <source>GitLab %1 project %2, variable %3, scope %4</source>
        <translation>GitLab %1 Projekt %2, Variable %3, Umgebungsbereich %4</translation>
    </message>
    <message>
        <source>read back, version %1</source>
        <translation>zurückgelesen, Version %1</translation>
    </message>
    <message>
        <source>listed</source>
        <translation>aufgeführt</translation>
    </message>
    <message>
        <source>listed by %1</source>
        <translation>von %1 aufgeführt</translation>
    </message>
    <message>
        <source>Set %1 (or %2) before pushing</source>
        <translation>Setzen Sie %1 (oder %2) vor dem Pushen</translation>
    </message>
    <message>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <source>Set %1 before pushing</source>
        <translation>Setzen Sie %1 vor dem Pushen</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Added by %1</source>
        <translation>Hinzugefügt von %1</translation>
    </message>
    <message>
        <source>%1
Credential from %2</source>
        <translation>%1
Zugangsdaten aus %2</translation>
    </message>
    <message>
        <source>Nothing was pushed or tested here yet.</source>
        <translation>Hier wurde noch nichts gepusht oder getestet.</translation>
    </message>
</context>
<context>
    <name>DestinationsPane</name>
    <message>
        <source>&amp;Add destination…</source>
        <translation>Ablageort hin&amp;zufügen…</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>&amp;Testen</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Entfernen…</translation>
    </message>
    <message>
        <source>Where this project&apos;s tokens are pushed, so they never pass through the clipboard: Send to in the reveal dialog, Rotate with a destination, and tokens generate --push. Credentials are never stored: each push reads them from this app&apos;s environment.</source>
        <translation>Wohin die Tokens dieses Projekts gepusht werden, damit sie nie durch die Zwischenablage gehen: Senden an im Dialog, der ein neues Token anzeigt, Rotieren mit einem Ablageort und tokens generate --push. Zugangsdaten werden nie gespeichert: Jeder Push liest sie aus der Umgebung dieser App.</translation>
    </message>
    <message>
        <source>This project has no destinations yet. Add an OpenBao/Vault secret, a GitHub Actions secret or a GitLab CI/CD variable: new and rotated tokens can then be pushed there directly (see “Destinations” in the user guide).</source>
        <translation>Dieses Projekt hat noch keine Ablageorte. Fügen Sie ein Geheimnis in OpenBao/Vault, ein Geheimnis in GitHub Actions oder eine CI/CD-Variable in GitLab hinzu: Neue und rotierte Tokens lassen sich dann direkt dorthin pushen (siehe „Ablageorte“ im Benutzerhandbuch).</translation>
    </message>
    <message>
        <source>Missing credentials</source>
        <translation>Fehlende Zugangsdaten</translation>
    </message>
    <message>
        <source>Write a harmless marker there and read it back</source>
        <translation>Dort eine harmlose Markierung schreiben und wieder lesen</translation>
    </message>
    <message>
        <source>Testing the destination</source>
        <translation>Der Ablageort wird getestet</translation>
    </message>
    <message>
        <source>You are %1 here: only the project&apos;s admins add and remove destinations, and its managers test them.</source>
        <translation>Sie sind hier %1: Nur die Admins des Projekts fügen Ablageorte hinzu und entfernen sie, und seine Manager testen sie.</translation>
    </message>
    <message>
        <source>no member</source>
        <translation>kein Mitglied</translation>
    </message>
    <message>
        <source>Ask an admin: %1.</source>
        <translation>Fragen Sie einen Admin: %1.</translation>
    </message>
    <message>
        <source>%1: %2.</source>
        <translation>Für %1: %2.</translation>
    </message>
    <message>
        <source>Added the destination %1.</source>
        <translation>Ablageort %1 hinzugefügt.</translation>
    </message>
    <message>
        <source>Testing %1…</source>
        <translation>%1 wird getestet…</translation>
    </message>
    <message>
        <source>%1 works: a test value was written there and read back.</source>
        <translation>%1 funktioniert: Ein Testwert wurde dort geschrieben und zurückgelesen.</translation>
    </message>
    <message>
        <source>Test of %1 failed: %2</source>
        <translation>Test von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Remove destination</source>
        <translation>Ablageort entfernen</translation>
    </message>
    <message>
        <source>Remove the destination %1 (%2)?</source>
        <translation>Den Ablageort %1 (%2) entfernen?</translation>
    </message>
    <message>
        <source>Last push: %1.</source>
        <translation>Letzter Push: %1.</translation>
    </message>
    <message>
        <source>Nothing more is pushed there: Send to and Rotate no longer offer it. What was pushed stays there, and the tokens stay valid until you delete them.</source>
        <translation>Dorthin wird nichts mehr gepusht: Senden an und Rotieren bieten ihn nicht mehr an. Was gepusht wurde, bleibt dort, und die Tokens bleiben gültig, bis Sie sie löschen.</translation>
    </message>
    <message>
        <source>Removed the destination %1.</source>
        <translation>Ablageort %1 entfernt.</translation>
    </message>
    <message>
        <source>Could not remove the destination</source>
        <translation>Der Ablageort konnte nicht entfernt werden</translation>
    </message>
    <message>
        <source>Could not read the destinations</source>
        <translation>Die Ablageorte konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Destinations</source>
        <translation>Ablageorte</translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n Stunde</numerusform>
            <numerusform>%n Stunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tage</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n Jahr</numerusform>
            <numerusform>%n Jahre</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 hours</source>
        <translation>%1 Stunden</translation>
    </message>
</context>
<context>
    <name>EnvironmentsPane</name>
    <message>
        <source>Environments</source>
        <translation>Umgebungen</translation>
    </message>
    <message>
        <source>Add environment</source>
        <translation>Umgebung hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>The places this project deploys to, such as staging and production. A token can be limited to some of them when it is generated; a token limited to none may deploy to all. Pipelines name the environment they deploy to, and a token outside its environments is refused. An environment a token is limited to cannot be removed.</source>
        <translation>Die Ziele, in die dieses Projekt ausgerollt wird, etwa staging und production. Ein Token kann beim Erzeugen auf einige davon beschränkt werden; ein Token ohne Beschränkung darf in alle ausrollen. Pipelines nennen die Umgebung, in die sie ausrollen, und ein Token außerhalb seiner Umgebungen wird abgewiesen. Eine Umgebung, auf die ein Token beschränkt ist, kann nicht entfernt werden.</translation>
    </message>
    <message>
        <source>New environment name</source>
        <translation>Name der neuen Umgebung</translation>
    </message>
    <message>
        <source>production</source>
        <comment>an example environment name</comment>
        <translation>production</translation>
    </message>
    <message>
        <source>Remove environment</source>
        <translation>Umgebung entfernen</translation>
    </message>
    <message>
        <source>Added environment %1.</source>
        <translation>Umgebung %1 hinzugefügt.</translation>
    </message>
    <message>
        <source>Could not add the environment</source>
        <translation>Die Umgebung konnte nicht hinzugefügt werden</translation>
    </message>
    <message>
        <source>Removed environment %1.</source>
        <translation>Umgebung %1 entfernt.</translation>
    </message>
    <message>
        <source>Could not remove the environment</source>
        <translation>Die Umgebung konnte nicht entfernt werden</translation>
    </message>
    <message>
        <source>Could not read the environments</source>
        <translation>Die Umgebungen konnten nicht gelesen werden</translation>
    </message>
</context>
<context>
    <name>ExportAudit</name>
    <message>
        <source>Export the audit log</source>
        <translation>Audit-Protokoll exportieren</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl)</source>
        <translation>JSON-Lines-Datei (*.jsonl)</translation>
    </message>
    <message>
        <source>CSV for spreadsheets (*.csv)</source>
        <translation>CSV für Tabellenkalkulationen (*.csv)</translation>
    </message>
    <message>
        <source>Could not export the audit log</source>
        <translation>Das Audit-Protokoll konnte nicht exportiert werden</translation>
    </message>
    <message numerus="yes">
        <source>Exporting the audit log of %1: %Ln event(s) so far…</source>
        <translation>
            <numerusform>Audit-Protokoll von %1 wird exportiert: bisher %Ln Ereignis…</numerusform>
            <numerusform>Audit-Protokoll von %1 wird exportiert: bisher %Ln Ereignisse…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %Ln event(s) to %1.</source>
        <translation>
            <numerusform>%Ln Ereignis nach %1 exportiert.</numerusform>
            <numerusform>%Ln Ereignisse nach %1 exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting the audit log of %1…</source>
        <translation>Audit-Protokoll von %1 wird exportiert…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Export cancelled: no file was written.</source>
        <translation>Export abgebrochen: Es wurde keine Datei geschrieben.</translation>
    </message>
    <message>
        <source>%1 could not be written: %2.</source>
        <translation>%1 konnte nicht geschrieben werden: %2.</translation>
    </message>
    <message>
        <source>Nothing was written.</source>
        <translation>Es wurde nichts geschrieben.</translation>
    </message>
</context>
<context>
    <name>GlobalSidebar</name>
    <message>
        <source>Projects</source>
        <translation>Projekte</translation>
    </message>
    <message>
        <source>Global sidebar</source>
        <translation>Globale Seitenleiste</translation>
    </message>
</context>
<context>
    <name>GrantAccessDialog</name>
    <message>
        <source>Grant access</source>
        <translation>Zugriff gewähren</translation>
    </message>
    <message>
        <source>Grant</source>
        <translation>Gewähren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Give a PostgreSQL login role a level on %1. It replaces the level the role holds there, and takes effect at once.</source>
        <translation>Geben Sie einer PostgreSQL-Login-Rolle eine Stufe für %1. Sie ersetzt die Stufe, die die Rolle dort hat, und gilt sofort.</translation>
    </message>
    <message>
        <source>Role name</source>
        <translation>Name der Rolle</translation>
    </message>
    <message>
        <source>a login role, as psql \du lists it</source>
        <translation>eine Login-Rolle, wie psql \du sie auflistet</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>&amp;Rolle:</translation>
    </message>
    <message>
        <source>&amp;Level:</source>
        <translation>&amp;Stufe:</translation>
    </message>
    <message>
        <source>The database has no login role named “%1”.</source>
        <translation>Die Datenbank hat keine Login-Rolle namens „%1“.</translation>
    </message>
</context>
<context>
    <name>Lifecycle</name>
    <message>
        <source>No expiry</source>
        <translation>Kein Ablauf</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Report a &amp;leaked token…</source>
        <translation>&amp;Geleaktes Token melden…</translation>
    </message>
    <message>
        <source>The clipboard was cleared of the deployment token.</source>
        <translation>Das Deployment-Token wurde aus der Zwischenablage entfernt.</translation>
    </message>
    <message>
        <source>Database: %1</source>
        <translation>Datenbank: %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;New project…</source>
        <translation>&amp;Neues Projekt…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>&amp;Benutzerhandbuch</translation>
    </message>
    <message>
        <source>Token &amp;salt…</source>
        <translation>Token-&amp;Salt…</translation>
    </message>
    <message>
        <source>&amp;About %1</source>
        <translation>&amp;Über %1</translation>
    </message>
    <message numerus="yes">
        <source>Revoked %n leaked token(s).</source>
        <translation>
            <numerusform>%n geleaktes Token widerrufen.</numerusform>
            <numerusform>%n geleakte Tokens widerrufen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation>Datenbank wird geöffnet…</translation>
    </message>
</context>
<context>
    <name>MembersModel</name>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Granted on</source>
        <translation>Gewährt für</translation>
    </message>
    <message>
        <source>All projects</source>
        <translation>Alle Projekte</translation>
    </message>
    <message>
        <source>Granted on all projects: it applies to this project and every other, present and future. It is revoked on the command line (access revoke ROLE --all-projects).</source>
        <translation>Für alle Projekte gewährt: Sie gilt für dieses und jedes andere Projekt, heutige und künftige. Sie wird auf der Kommandozeile entzogen (access revoke ROLLE --all-projects).</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (Sie)</translation>
    </message>
</context>
<context>
    <name>MembersPane</name>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>Grant…</source>
        <translation>Gewähren…</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>Entziehen…</translation>
    </message>
    <message>
        <source>Who may do what in this project. Each person connects as their own PostgreSQL login role, and the database enforces their level: a viewer reads the tokens, environments, token policy and audit log; a manager also generates, rotates and deletes tokens; an admin also changes the policy, the environments and the members.</source>
        <translation>Wer in diesem Projekt was darf. Jede Person verbindet sich als eigene PostgreSQL-Login-Rolle, und die Datenbank setzt ihre Stufe durch: Ein Betrachter liest die Tokens, Umgebungen, Token-Richtlinie und das Audit-Protokoll; ein Manager erzeugt, rotiert und löscht außerdem Tokens; ein Admin ändert außerdem die Richtlinie, die Umgebungen und die Mitglieder.</translation>
    </message>
    <message>
        <source>Access control needs PostgreSQL: an SQLite file has one user, you, who is admin of every project (see “Team set-up” in the README to share a database with a team).</source>
        <translation>Zugriffskontrolle erfordert PostgreSQL: Eine SQLite-Datei hat einen einzigen Benutzer, Sie, und Sie sind Admin jedes Projekts (wie ein Team eine Datenbank teilt, steht im README unter „Team set-up“).</translation>
    </message>
    <message>
        <source>You are %1 here: you see your own levels only, and only the project&apos;s admins see and change everyone&apos;s.</source>
        <translation>Sie sind hier %1: Sie sehen nur Ihre eigenen Stufen; die aller anderen sehen und ändern nur die Admins des Projekts.</translation>
    </message>
    <message>
        <source>Ask an admin: %1.</source>
        <translation>Fragen Sie einen Admin: %1.</translation>
    </message>
    <message>
        <source>Gave %1 the level %2 on %3.</source>
        <translation>%1 hat jetzt die Stufe %2 für %3.</translation>
    </message>
    <message>
        <source>Could not grant access</source>
        <translation>Der Zugriff konnte nicht gewährt werden</translation>
    </message>
    <message>
        <source>Revoke access</source>
        <translation>Zugriff entziehen</translation>
    </message>
    <message>
        <source>Take the level %1 on %2 away from %3?</source>
        <translation>Die Stufe %1 für %2 von %3 entziehen?</translation>
    </message>
    <message>
        <source>It takes effect at once, in every window and on the command line. A level the role holds on all projects stays.</source>
        <translation>Das gilt sofort, in jedem Fenster und auf der Kommandozeile. Eine Stufe, die die Rolle für alle Projekte hat, bleibt.</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Entziehen</translation>
    </message>
    <message>
        <source>Took the level %1 on %2 away from %3.</source>
        <translation>Die Stufe %1 für %2 wurde %3 entzogen.</translation>
    </message>
    <message>
        <source>Could not revoke access</source>
        <translation>Der Zugriff konnte nicht entzogen werden</translation>
    </message>
    <message>
        <source>Could not read the members</source>
        <translation>Die Mitglieder konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>This level is held on all projects: revoke it on the command line (access revoke ROLE --all-projects).</source>
        <translation>Diese Stufe gilt für alle Projekte: Entziehen Sie sie auf der Kommandozeile (access revoke ROLLE --all-projects).</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>Configuration error</source>
        <translation>Konfigurationsfehler</translation>
    </message>
    <message>
        <source>No token was generated and nothing was written. Set the variable in the environment the app starts from (for example in ~/.profile), then restart the app. Keep the same value for as long as the tokens made with it should verify.</source>
        <translation>Es wurde kein Token erzeugt und nichts geschrieben. Setzen Sie die Variable in der Umgebung, aus der die App startet (zum Beispiel in ~/.profile), und starten Sie die App neu. Behalten Sie denselben Wert, solange die damit erzeugten Tokens gültig bleiben sollen.</translation>
    </message>
    <message>
        <source>Nothing was changed. Start the database server or restore the network, then retry.</source>
        <translation>Es wurde nichts geändert. Starten Sie den Datenbankserver oder stellen Sie das Netzwerk wieder her und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>Nothing was changed. Check that the database is reachable, writable and not in use by another program, then try again.</source>
        <translation>Es wurde nichts geändert. Prüfen Sie, ob die Datenbank erreichbar und beschreibbar ist und von keinem anderen Programm verwendet wird, und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>Database error</source>
        <translation>Datenbankfehler</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>Unerwarteter Fehler</translation>
    </message>
    <message>
        <source>%1: an unexpected error occurred (%2).</source>
        <translation>%1: Ein unerwarteter Fehler ist aufgetreten (%2).</translation>
    </message>
    <message>
        <source>Nothing was changed. Please report this problem.</source>
        <translation>Es wurde nichts geändert. Bitte melden Sie dieses Problem.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Delete deployment token</source>
        <translation>Deployment-Token löschen</translation>
    </message>
    <message>
        <source>Never used.</source>
        <translation>Nie verwendet.</translation>
    </message>
    <message>
        <source>Something used this token %1: a pipeline may still depend on it.</source>
        <translation>Dieses Token wurde %1 verwendet: Eine Pipeline ist womöglich noch darauf angewiesen.</translation>
    </message>
    <message>
        <source>Last used %1.</source>
        <translation>Zuletzt verwendet %1.</translation>
    </message>
    <message>
        <source>Delete the token %1 (“%2”)?</source>
        <translation>Das Token %1 („%2“) löschen?</translation>
    </message>
    <message>
        <source>Automation that uses this token stops working at once: any CLI tool or CI/CD pipeline presenting it will be refused. This cannot be undone.</source>
        <translation>Automatisierung, die dieses Token verwendet, funktioniert sofort nicht mehr: Jedes CLI-Werkzeug und jede CI/CD-Pipeline, die es vorlegt, wird abgewiesen. Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
</context>
<context>
    <name>NewProjectDialog</name>
    <message>
        <source>New project</source>
        <translation>Neues Projekt</translation>
    </message>
    <message>
        <source>Projects scope deployment tokens: a token works for one project.</source>
        <translation>Projekte grenzen Deployment-Tokens ein: Ein Token gilt für genau ein Projekt.</translation>
    </message>
</context>
<context>
    <name>NotificationsModel</name>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>Hinzugefügt</translation>
    </message>
    <message>
        <source>Added by</source>
        <translation>Hinzugefügt von</translation>
    </message>
    <message>
        <source>Last delivery</source>
        <translation>Letzte Zustellung</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <source>%1, all projects</source>
        <translation>%1, alle Projekte</translation>
    </message>
    <message>
        <source>Of all projects: it hears of this project and every other, present and future. Only an admin of all projects removes it (notifications remove --all-projects ID).</source>
        <translation>Für alle Projekte: erfährt von diesem und jedem anderen Projekt, jetzigen und künftigen. Nur ein Admin aller Projekte entfernt es (notifications remove --all-projects ID).</translation>
    </message>
    <message>
        <source>Never</source>
        <comment>no delivery yet</comment>
        <translation>Nie</translation>
    </message>
    <message>
        <source>Delivered %1</source>
        <translation>Zugestellt %1</translation>
    </message>
    <message>
        <source>Failed %1</source>
        <translation>Fehlgeschlagen %1</translation>
    </message>
    <message>
        <source>Failed %1: %2</source>
        <translation>Fehlgeschlagen %1: %2</translation>
    </message>
    <message>
        <source>Nothing sent yet: deployment-tokens notify sends what there is at its next run.</source>
        <translation>Noch nichts gesendet: deployment-tokens notify sendet bei seinem nächsten Lauf, was anliegt.</translation>
    </message>
    <message>
        <source>The last delivery failed</source>
        <translation>Die letzte Zustellung ist fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>NotificationsPane</name>
    <message>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>Hin&amp;zufügen…</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Entfernen…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Who is told before this project&apos;s tokens expire, and what happens to them. E-mail recipients get one digest per run: tokens about to expire and tokens revoked after a leak. Webhooks get every audit event and expiry warning, each a signed POST. deployment-tokens notify, run by a timer, sends them.</source>
        <translation>Wer erfährt, bevor die Tokens dieses Projekts ablaufen, und was mit ihnen geschieht. E-Mail-Empfänger erhalten pro Lauf eine Sammel-E-Mail: bald ablaufende Tokens und Tokens, die nach einem Leak widerrufen wurden. Webhooks erhalten jedes Audit-Ereignis und jede Ablaufwarnung, je als signierten POST. deployment-tokens notify, von einem Timer gestartet, versendet sie.</translation>
    </message>
    <message>
        <source>No one is notified about this project yet. Add an e-mail recipient to hear of tokens about to expire and of leaked tokens revoked, or a webhook to receive every audit event. Nothing is sent from this window: deployment-tokens notify, run by a timer (see the user guide), sends them and records each delivery here.</source>
        <translation>Zu diesem Projekt wird noch niemand benachrichtigt. Fügen Sie einen E-Mail-Empfänger hinzu, um von bald ablaufenden und nach einem Leak widerrufenen Tokens zu erfahren, oder einen Webhook, der jedes Audit-Ereignis erhält. Dieses Fenster sendet nichts: deployment-tokens notify, von einem Timer gestartet (siehe Benutzerhandbuch), versendet sie und hält jede Zustellung hier fest.</translation>
    </message>
    <message>
        <source>Save the warning days</source>
        <translation>Die Warntage speichern</translation>
    </message>
    <message>
        <source>Days before expiry to warn</source>
        <translation>Tage vor dem Ablauf, an denen gewarnt wird</translation>
    </message>
    <message>
        <source>Whole days, separated by commas; empty for no expiry warnings.</source>
        <translation>Ganze Tage, durch Kommas getrennt; leer für keine Ablaufwarnungen.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>&amp;Warn</source>
        <translation>&amp;Warnen</translation>
    </message>
    <message>
        <source>days before a token expires</source>
        <translation>Tage bevor ein Token abläuft</translation>
    </message>
    <message>
        <source>You are %1 here: only the project&apos;s admins add and remove notifications and change the warning days.</source>
        <translation>Sie sind hier %1: Nur die Admins des Projekts fügen Benachrichtigungen hinzu, entfernen sie und ändern die Warntage.</translation>
    </message>
    <message>
        <source>no member</source>
        <translation>kein Mitglied</translation>
    </message>
    <message>
        <source>Ask an admin: %1.</source>
        <translation>Fragen Sie einen Admin: %1.</translation>
    </message>
    <message>
        <source>Added %1 %2.</source>
        <translation>%1 %2 hinzugefügt.</translation>
    </message>
    <message>
        <source>Remove notification</source>
        <translation>Benachrichtigung entfernen</translation>
    </message>
    <message>
        <source>Remove the %1 %2?</source>
        <translation>%1 %2 entfernen?</translation>
    </message>
    <message>
        <source>Nothing more is sent there, and its delivery log goes with it. Add it again to hear of what happens from then on (a webhook gets a new secret).</source>
        <translation>Dorthin wird nichts mehr gesendet, und sein Zustellprotokoll wird mit entfernt. Fügen Sie es erneut hinzu, um ab dann wieder zu erfahren, was geschieht (ein Webhook erhält ein neues Geheimnis).</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Removed %1 %2.</source>
        <translation>%1 %2 entfernt.</translation>
    </message>
    <message>
        <source>Could not remove the notification</source>
        <translation>Die Benachrichtigung konnte nicht entfernt werden</translation>
    </message>
    <message>
        <source>Warning days of %1: %2.</source>
        <translation>Warntage von %1: %2.</translation>
    </message>
    <message>
        <source>Could not save the warning days</source>
        <translation>Die Warntage konnten nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Could not read the notifications</source>
        <translation>Die Benachrichtigungen konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>This one is of all projects: %1 Or remove it on the command line (notifications remove --all-projects %2).</source>
        <translation>Diese gilt für alle Projekte: %1 Oder entfernen Sie sie auf der Kommandozeile (notifications remove --all-projects %2).</translation>
    </message>
</context>
<context>
    <name>OneTimeSecret</name>
    <message numerus="yes">
        <source>Copied. The clipboard is cleared in %n second(s).</source>
        <translation>
            <numerusform>Kopiert. Die Zwischenablage wird in %n Sekunde geleert.</numerusform>
            <numerusform>Kopiert. Die Zwischenablage wird in %n Sekunden geleert.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PagedTableModel</name>
    <message>
        <source>Could not load the audit log</source>
        <translation>Das Audit-Protokoll konnte nicht geladen werden</translation>
    </message>
    <message>
        <source>Could not load the rows</source>
        <translation>Die Zeilen konnten nicht geladen werden</translation>
    </message>
    <message>
        <source>Could not load the tokens</source>
        <translation>Die Tokens konnten nicht geladen werden</translation>
    </message>
</context>
<context>
    <name>ProjectActions</name>
    <message>
        <source>Rename project…</source>
        <translation>Projekt umbenennen…</translation>
    </message>
    <message>
        <source>Delete project…</source>
        <translation>Projekt löschen…</translation>
    </message>
    <message>
        <source>Could not rename the project</source>
        <translation>Das Projekt konnte nicht umbenannt werden</translation>
    </message>
    <message>
        <source>Renamed project “%1” to “%2”.</source>
        <translation>Projekt „%1“ in „%2“ umbenannt.</translation>
    </message>
    <message numerus="yes">
        <source>Its %n live deployment token(s) is revoked at once: every CI/CD pipeline or tool presenting one will be refused.</source>
        <translation>
            <numerusform>Sein %n aktives Deployment-Token wird sofort widerrufen: Jede CI/CD-Pipeline und jedes Werkzeug, das es vorlegt, wird abgewiesen.</numerusform>
            <numerusform>Seine %n aktiven Deployment-Tokens werden sofort widerrufen: Jede CI/CD-Pipeline und jedes Werkzeug, das eines davon vorlegt, wird abgewiesen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Its deployment tokens, if any, are revoked at once.</source>
        <translation>Seine Deployment-Tokens, falls vorhanden, werden sofort widerrufen.</translation>
    </message>
    <message>
        <source>It has no live deployment tokens.</source>
        <translation>Es hat keine aktiven Deployment-Tokens.</translation>
    </message>
    <message numerus="yes">
        <source>Deleted project “%1”; its %n token(s) is revoked.</source>
        <translation>
            <numerusform>Projekt „%1“ gelöscht; sein %n Token ist widerrufen.</numerusform>
            <numerusform>Projekt „%1“ gelöscht; seine %n Tokens sind widerrufen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Deleted project “%1”.</source>
        <translation>Projekt „%1“ gelöscht.</translation>
    </message>
    <message>
        <source>Could not delete the project</source>
        <translation>Das Projekt konnte nicht gelöscht werden</translation>
    </message>
    <message>
        <source>Delete project</source>
        <translation>Projekt löschen</translation>
    </message>
    <message>
        <source>Delete the project “%1”?</source>
        <translation>Das Projekt „%1“ löschen?</translation>
    </message>
    <message>
        <source>Its environments and token policy are deleted with it; its audit log stays in the audit trail, for export, but no longer shows here. This cannot be undone.</source>
        <translation>Seine Umgebungen und seine Token-Richtlinie werden mitgelöscht; sein Audit-Protokoll bleibt in der Audit-Kette erhalten und lässt sich exportieren, wird hier aber nicht mehr angezeigt. Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
</context>
<context>
    <name>ProjectNameDialog</name>
    <message>
        <source>Create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>for example, payments-api</source>
        <translation>zum Beispiel payments-api</translation>
    </message>
    <message>
        <source>Project name</source>
        <translation>Projektname</translation>
    </message>
    <message>
        <source>Project name error</source>
        <translation>Fehler im Projektnamen</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>A project name can be at most %1 characters (this one has %2).</source>
        <translation>Ein Projektname darf höchstens %1 Zeichen lang sein (dieser hat %2).</translation>
    </message>
    <message>
        <source>A project named “%1” already exists (names ignore case).</source>
        <translation>Ein Projekt namens „%1“ gibt es bereits (Groß- und Kleinschreibung zählt bei Namen nicht).</translation>
    </message>
</context>
<context>
    <name>ProjectPage</name>
    <message>
        <source>Project %1</source>
        <translation>Projekt %1</translation>
    </message>
    <message>
        <source>Could not read the token policy</source>
        <translation>Die Token-Richtlinie konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>Could not read the environments</source>
        <translation>Die Umgebungen konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Could not read the notifications</source>
        <translation>Die Benachrichtigungen konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Could not read the trusted deployers</source>
        <translation>Die vertrauten Deployer konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Could not read the destinations</source>
        <translation>Die Ablageorte konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>Could not read the members</source>
        <translation>Die Mitglieder konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>You are %1</source>
        <translation>Sie sind %1</translation>
    </message>
    <message>
        <source>You hold no level here</source>
        <translation>Sie haben hier keine Stufe</translation>
    </message>
</context>
<context>
    <name>ProjectSidebar</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Deployment Tokens</source>
        <translation>Deployment-Tokens</translation>
    </message>
    <message>
        <source>Token policy</source>
        <translation>Token-Richtlinie</translation>
    </message>
    <message>
        <source>Environments</source>
        <translation>Umgebungen</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Audit-Protokoll</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <source>Trusted deployers</source>
        <translation>Vertraute Deployer</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>Destinations</source>
        <translation>Ablageorte</translation>
    </message>
    <message>
        <source>Project sidebar</source>
        <translation>Projekt-Seitenleiste</translation>
    </message>
    <message>
        <source>in Settings</source>
        <translation>unter Einstellungen</translation>
    </message>
</context>
<context>
    <name>ProjectTableModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Need attention</source>
        <translation>Handlungsbedarf</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Tokens that have expired, or expire within 7 days</source>
        <translation>Tokens, die abgelaufen sind oder innerhalb von 7 Tagen ablaufen</translation>
    </message>
</context>
<context>
    <name>ProjectsPage</name>
    <message>
        <source>New project</source>
        <translation>Neues Projekt</translation>
    </message>
    <message>
        <source>There are no projects yet. Click New project to add the first one.</source>
        <translation>Es gibt noch keine Projekte. Klicken Sie auf Neues Projekt, um das erste anzulegen.</translation>
    </message>
    <message>
        <source>No project matches the filter.</source>
        <translation>Kein Projekt passt zum Filter.</translation>
    </message>
    <message>
        <source>Filter projects (Ctrl+F)</source>
        <translation>Projekte filtern (Strg+F)</translation>
    </message>
    <message>
        <source>Filter projects</source>
        <translation>Projekte filtern</translation>
    </message>
    <message>
        <source>Clear the filter</source>
        <translation>Filter leeren</translation>
    </message>
    <message>
        <source>New project (Ctrl+N)</source>
        <translation>Neues Projekt (Strg+N)</translation>
    </message>
    <message>
        <source>Projects</source>
        <translation>Projekte</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Could not list the projects</source>
        <translation>Die Projekte konnten nicht aufgelistet werden</translation>
    </message>
    <message>
        <source>Added project %1.</source>
        <translation>Projekt %1 angelegt.</translation>
    </message>
</context>
<context>
    <name>RelativeTime</name>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message>
        <source>in less than a minute</source>
        <translation>in weniger als einer Minute</translation>
    </message>
    <message>
        <source>less than a minute</source>
        <translation>weniger als eine Minute</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) ago</source>
        <translation>
            <numerusform>vor %n Minute</numerusform>
            <numerusform>vor %n Minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) ago</source>
        <translation>
            <numerusform>vor %n Stunde</numerusform>
            <numerusform>vor %n Stunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) ago</source>
        <translation>
            <numerusform>vor %n Tag</numerusform>
            <numerusform>vor %n Tagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n week(s) ago</source>
        <translation>
            <numerusform>vor %n Woche</numerusform>
            <numerusform>vor %n Wochen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s) ago</source>
        <translation>
            <numerusform>vor %n Monat</numerusform>
            <numerusform>vor %n Monaten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s) ago</source>
        <translation>
            <numerusform>vor %n Jahr</numerusform>
            <numerusform>vor %n Jahren</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n minute(s)</source>
        <translation>
            <numerusform>in %n Minute</numerusform>
            <numerusform>in %n Minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n hour(s)</source>
        <translation>
            <numerusform>in %n Stunde</numerusform>
            <numerusform>in %n Stunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n day(s)</source>
        <translation>
            <numerusform>in %n Tag</numerusform>
            <numerusform>in %n Tagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n week(s)</source>
        <translation>
            <numerusform>in %n Woche</numerusform>
            <numerusform>in %n Wochen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n month(s)</source>
        <translation>
            <numerusform>in %n Monat</numerusform>
            <numerusform>in %n Monaten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n year(s)</source>
        <translation>
            <numerusform>in %n Jahr</numerusform>
            <numerusform>in %n Jahren</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n Minute</numerusform>
            <numerusform>%n Minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n Stunde</numerusform>
            <numerusform>%n Stunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tage</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n week(s)</source>
        <translation>
            <numerusform>%n Woche</numerusform>
            <numerusform>%n Wochen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n month(s)</source>
        <translation>
            <numerusform>%n Monat</numerusform>
            <numerusform>%n Monate</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n Jahr</numerusform>
            <numerusform>%n Jahre</numerusform>
        </translation>
    </message>
    <message>
        <source>Never used</source>
        <translation>Nie verwendet</translation>
    </message>
</context>
<context>
    <name>RenameProjectDialog</name>
    <message>
        <source>Rename project</source>
        <translation>Projekt umbenennen</translation>
    </message>
    <message>
        <source>The project&apos;s tokens keep working. Pipelines that name the project when they verify a token (verify --project, the X-Deployment-Project header) must use the new name.</source>
        <translation>Die Tokens des Projekts funktionieren weiter. Pipelines, die beim Prüfen eines Tokens das Projekt nennen (verify --project, der Header X-Deployment-Project), müssen den neuen Namen verwenden.</translation>
    </message>
</context>
<context>
    <name>ReportLeakDialog</name>
    <message>
        <source>Report a leaked token</source>
        <translation>Geleaktes Token melden</translation>
    </message>
    <message>
        <source>Find tokens</source>
        <translation>Tokens suchen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <source>would be revoked</source>
        <translation>würde widerrufen</translation>
    </message>
    <message>
        <source>already revoked</source>
        <translation>bereits widerrufen</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>The clipboard held the pasted text: it has been cleared.</source>
        <translation>Die Zwischenablage enthielt den eingefügten Text: Sie wurde geleert.</translation>
    </message>
    <message>
        <source>Paste the text where a token was seen: a ticket, a log, a chat message, a scanner&apos;s report. It is searched here and kept nowhere.</source>
        <translation>Fügen Sie den Text ein, in dem ein Token gesehen wurde: ein Ticket, ein Log, eine Chat-Nachricht, den Bericht eines Scanners. Er wird hier durchsucht und nirgends gespeichert.</translation>
    </message>
    <message>
        <source>Text with the leaked token</source>
        <translation>Text mit dem geleakten Token</translation>
    </message>
    <message>
        <source>Where the token was found</source>
        <translation>Wo das Token gefunden wurde</translation>
    </message>
    <message>
        <source>for example, ticket OPS-123 (recorded in the audit log)</source>
        <translation>zum Beispiel Ticket OPS-123 (wird im Audit-Protokoll vermerkt)</translation>
    </message>
    <message>
        <source>&amp;Found in:</source>
        <translation>&amp;Gefunden in:</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>Widerrufen…</translation>
    </message>
    <message>
        <source>No deployment token was found in the text.</source>
        <translation>Im Text wurde kein Deployment-Token gefunden.</translation>
    </message>
    <message numerus="yes">
        <source>Revoke %n token(s) found in the text?</source>
        <translation>
            <numerusform>Das im Text gefundene Token widerrufen?</numerusform>
            <numerusform>Die %n im Text gefundenen Tokens widerrufen?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Automation that uses it/them stops working at once. The audit log records it/them as leaked, with where it was/they were found. This cannot be undone.</source>
        <translation>
            <numerusform>Automatisierung, die es verwendet, funktioniert sofort nicht mehr. Das Audit-Protokoll vermerkt es als geleakt, mit dem Fundort. Dies kann nicht rückgängig gemacht werden.</numerusform>
            <numerusform>Automatisierung, die sie verwendet, funktioniert sofort nicht mehr. Das Audit-Protokoll vermerkt sie als geleakt, mit dem Fundort. Dies kann nicht rückgängig gemacht werden.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was changed: %1</source>
        <translation>Es wurde nichts geändert: %1</translation>
    </message>
    <message numerus="yes">
        <source>Found %n token(s);</source>
        <translation>
            <numerusform>%n Token gefunden;</numerusform>
            <numerusform>%n Tokens gefunden;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n still work(s) and can be revoked.</source>
        <translation>
            <numerusform>%n ist noch gültig und kann widerrufen werden.</numerusform>
            <numerusform>%n sind noch gültig und können widerrufen werden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Revoked %n token(s). The audit log records where it was/they were found.</source>
        <translation>
            <numerusform>%n Token widerrufen. Das Audit-Protokoll vermerkt, wo es gefunden wurde.</numerusform>
            <numerusform>%n Tokens widerrufen. Das Audit-Protokoll vermerkt, wo sie gefunden wurden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Revoke %n token(s)…</source>
        <translation>
            <numerusform>%n Token widerrufen…</numerusform>
            <numerusform>%n Tokens widerrufen…</numerusform>
        </translation>
    </message>
    <message>
        <source>Searched and cleared. Paste more text to search again.</source>
        <translation>Durchsucht und geleert. Fügen Sie weiteren Text ein, um erneut zu suchen.</translation>
    </message>
    <message>
        <source>Tokens found</source>
        <translation>Gefundene Tokens</translation>
    </message>
</context>
<context>
    <name>RevealSecretDialog</name>
    <message>
        <source>Copy secret</source>
        <translation>Geheimnis kopieren</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Copy this secret to the receiver now. It signs every POST: the receiver computes HMAC-SHA256 of the X-Deployment-Tokens-Timestamp header, a full stop and the body with it, and compares the result with the X-Deployment-Tokens-Signature header. It cannot be shown again: for a new one, remove the webhook and add it again.</source>
        <translation>Kopieren Sie dieses Geheimnis jetzt zum Empfänger. Es signiert jeden POST: Der Empfänger berechnet damit HMAC-SHA256 über den Header X-Deployment-Tokens-Timestamp, einen Punkt und den Body und vergleicht das Ergebnis mit dem Header X-Deployment-Tokens-Signature. Es kann nicht noch einmal angezeigt werden: Für ein neues entfernen Sie den Webhook und fügen ihn erneut hinzu.</translation>
    </message>
    <message>
        <source>Webhook added</source>
        <translation>Webhook hinzugefügt</translation>
    </message>
    <message>
        <source>The signing secret of the webhook %1</source>
        <translation>Das Signaturgeheimnis des Webhooks %1</translation>
    </message>
    <message>
        <source>Signing secret</source>
        <translation>Signaturgeheimnis</translation>
    </message>
    <message>
        <source>Close without copying?</source>
        <translation>Schließen, ohne zu kopieren?</translation>
    </message>
    <message>
        <source>You have not copied the secret. It cannot be shown again.</source>
        <translation>Sie haben das Geheimnis nicht kopiert. Es kann nicht noch einmal angezeigt werden.</translation>
    </message>
    <message>
        <source>Without it the receiver cannot check that a POST came from here: remove the webhook and add it again for a new secret.</source>
        <translation>Ohne es kann der Empfänger nicht prüfen, ob ein POST von hier kam: Entfernen Sie den Webhook und fügen Sie ihn für ein neues Geheimnis erneut hinzu.</translation>
    </message>
    <message>
        <source>Close anyway</source>
        <translation>Trotzdem schließen</translation>
    </message>
    <message>
        <source>Go back</source>
        <translation>Zurück</translation>
    </message>
</context>
<context>
    <name>RevealTokenDialog</name>
    <message>
        <source>Copy token</source>
        <translation>Token kopieren</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Copy this token and store it in your secret manager now. It cannot be shown again: after you close this dialog, only its masked preview is kept.</source>
        <translation>Kopieren Sie dieses Token jetzt und legen Sie es in Ihrem Secret-Manager ab. Es kann nicht noch einmal angezeigt werden: Nach dem Schließen dieses Dialogs bleibt nur seine maskierte Vorschau erhalten.</translation>
    </message>
    <message>
        <source>Close without copying?</source>
        <translation>Schließen, ohne zu kopieren?</translation>
    </message>
    <message>
        <source>You have not copied the token. It cannot be shown again.</source>
        <translation>Sie haben das Token nicht kopiert. Es kann nicht noch einmal angezeigt werden.</translation>
    </message>
    <message>
        <source>Nobody else has it: delete it now, or close and keep it working (generate a new token when you need one).</source>
        <translation>Niemand sonst hat es: Löschen Sie es jetzt, oder schließen Sie und lassen Sie es gültig (erzeugen Sie ein neues Token, wenn Sie eines brauchen).</translation>
    </message>
    <message>
        <source>Delete token and close</source>
        <translation>Token löschen und schließen</translation>
    </message>
    <message>
        <source>Close anyway</source>
        <translation>Trotzdem schließen</translation>
    </message>
    <message>
        <source>Go back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>only %1</source>
        <translation>nur %1</translation>
    </message>
    <message>
        <source>any environment</source>
        <translation>jede Umgebung</translation>
    </message>
    <message>
        <source>Never expires; %1</source>
        <translation>Läuft nie ab; %1</translation>
    </message>
    <message>
        <source>d MMMM yyyy</source>
        <comment>the expiry date&apos;s format (QDate)</comment>
        <translation>d. MMMM yyyy</translation>
    </message>
    <message>
        <source>Expires %1 (%2); %3</source>
        <translation>Läuft am %1 ab (%2); %3</translation>
    </message>
    <message>
        <source>Deployment token generated</source>
        <translation>Deployment-Token erzeugt</translation>
    </message>
    <message>
        <source>Your new deployment token for %1</source>
        <translation>Ihr neues Deployment-Token für %1</translation>
    </message>
    <message>
        <source>Name: %1</source>
        <translation>Name: %1</translation>
    </message>
    <message>
        <source>In the table it will appear as %1.</source>
        <translation>In der Tabelle erscheint es als %1.</translation>
    </message>
    <message>
        <source>Deployment token</source>
        <translation>Deployment-Token</translation>
    </message>
    <message numerus="yes">
        <source>Token copied to the clipboard; it is cleared in %n second(s).</source>
        <translation>
            <numerusform>Kopiert; die Zwischenablage wird in %n Sekunde geleert.</numerusform>
            <numerusform>Kopiert; die Zwischenablage wird in %n Sekunden geleert.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RotateTokenDialog</name>
    <message>
        <source>Rotate deployment token</source>
        <translation>Deployment-Token rotieren</translation>
    </message>
    <message>
        <source>Rotate</source>
        <translation>Rotieren</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Immediately</source>
        <translation>Sofort</translation>
    </message>
    <message>
        <source>In 1 hour</source>
        <translation>In 1 Stunde</translation>
    </message>
    <message>
        <source>In 24 hours</source>
        <translation>In 24 Stunden</translation>
    </message>
    <message>
        <source>In 7 days</source>
        <translation>In 7 Tagen</translation>
    </message>
    <message>
        <source>If the token leaked, choose Immediately: pipelines using it fail until they have the new token.</source>
        <translation>Wurde das Token geleakt, wählen Sie Sofort: Pipelines, die es verwenden, schlagen fehl, bis sie das neue Token haben.</translation>
    </message>
    <message>
        <source>“%1” (%2) cannot be rotated. %3</source>
        <translation>„%1“ (%2) kann nicht rotiert werden. %3</translation>
    </message>
    <message>
        <source>A new token replaces “%1” (%2), with the same name, environments and lifetime. It is shown once, like any new token.</source>
        <translation>Ein neues Token ersetzt „%1“ (%2), mit demselben Namen, denselben Umgebungen und derselben Laufzeit. Es wird einmal angezeigt, wie jedes neue Token.</translation>
    </message>
    <message>
        <source>The old token never expires.</source>
        <translation>Das alte Token läuft nie ab.</translation>
    </message>
    <message>
        <source>The old token expires %1 (%2).</source>
        <translation>Das alte Token läuft am %1 ab (%2).</translation>
    </message>
    <message>
        <source>When should the old token stop working?</source>
        <translation>Wann soll das alte Token aufhören zu funktionieren?</translation>
    </message>
    <message>
        <source>No later than it expires anyway</source>
        <translation>Nicht später, als es ohnehin abläuft</translation>
    </message>
    <message>
        <source>&amp;New token:</source>
        <translation>&amp;Neues Token:</translation>
    </message>
    <message>
        <source>New token</source>
        <translation>Neues Token</translation>
    </message>
    <message>
        <source>Pushed to a destination, the new token is never shown</source>
        <translation>An einen Ablageort gepusht, wird das neue Token nie angezeigt</translation>
    </message>
    <message>
        <source>Show the new token here</source>
        <translation>Das neue Token hier anzeigen</translation>
    </message>
    <message>
        <source>Push to %1</source>
        <translation>An %1 pushen</translation>
    </message>
</context>
<context>
    <name>SaltStatus</name>
    <message>
        <source>Token salt</source>
        <translation>Token-Salt</translation>
    </message>
    <message>
        <source>Tokens cannot be generated: token salt</source>
        <translation>Tokens können nicht erzeugt werden: Token-Salt</translation>
    </message>
    <message>
        <source>Set ML_DEPLOYMENT_TOKEN_SALT to a random secret of at least 32 characters in the environment the app starts from (for example in ~/.profile), then restart the app. Make one with:

    python3 -c &apos;import secrets; print(secrets.token_urlsafe(48))&apos;

Every machine that generates or verifies tokens for this database needs the same value.</source>
        <translation>Setzen Sie ML_DEPLOYMENT_TOKEN_SALT in der Umgebung, aus der die App startet (zum Beispiel in ~/.profile), auf ein zufälliges Geheimnis von mindestens 32 Zeichen und starten Sie die App neu. Eines erzeugen Sie mit:

    python3 -c &apos;import secrets; print(secrets.token_urlsafe(48))&apos;

Jeder Rechner, der Tokens für diese Datenbank erzeugt oder prüft, braucht denselben Wert.</translation>
    </message>
    <message>
        <source>The token salt is set: tokens can be generated.</source>
        <translation>Das Token-Salt ist gesetzt: Tokens können erzeugt werden.</translation>
    </message>
    <message>
        <source>Every machine that generates or verifies tokens for this database needs the same ML_DEPLOYMENT_TOKEN_SALT. Keep it for as long as the tokens made with it should verify.</source>
        <translation>Jeder Rechner, der Tokens für diese Datenbank erzeugt oder prüft, braucht dasselbe ML_DEPLOYMENT_TOKEN_SALT. Behalten Sie es, solange die damit erzeugten Tokens gültig bleiben sollen.</translation>
    </message>
    <message>
        <source>%1 Click for how to fix it (also Help &gt; Token salt…).</source>
        <translation>%1 Klicken Sie, um zu erfahren, wie Sie das beheben (auch unter Hilfe &gt; Token-Salt…).</translation>
    </message>
</context>
<context>
    <name>SendToken</name>
    <message>
        <source>Send to…</source>
        <translation>Senden an…</translation>
    </message>
    <message>
        <source>Send to %1</source>
        <translation>An %1 senden</translation>
    </message>
    <message>
        <source>Push the token to a destination of the project, not the clipboard</source>
        <translation>Das Token an einen Ablageort des Projekts pushen, nicht in die Zwischenablage</translation>
    </message>
    <message>
        <source>Sending to %1…</source>
        <translation>Wird an %1 gesendet…</translation>
    </message>
    <message>
        <source>Sent to %1: %2 — %3</source>
        <translation>An %1 gesendet: %2 — %3</translation>
    </message>
    <message>
        <source>Token %1 sent to %2.</source>
        <translation>Token %1 an %2 gesendet.</translation>
    </message>
    <message>
        <source>Not sent: %1 The token still works; copy it instead.</source>
        <translation>Nicht gesendet: %1 Das Token funktioniert weiterhin; kopieren Sie es stattdessen.</translation>
    </message>
</context>
<context>
    <name>SettingsPane</name>
    <message>
        <source>Project:</source>
        <translation>Projekt:</translation>
    </message>
    <message>
        <source>Created:</source>
        <translation>Erstellt:</translation>
    </message>
    <message>
        <source>generate, rotate and delete the tokens pipelines deploy with</source>
        <translation>die Tokens erzeugen, rotieren und löschen, mit denen Pipelines ausrollen</translation>
    </message>
    <message>
        <source>how long new tokens live, at most and by default</source>
        <translation>wie lange neue Tokens gültig sind, höchstens und standardmäßig</translation>
    </message>
    <message>
        <source>where this project deploys, and which tokens may deploy where</source>
        <translation>wohin dieses Projekt ausrollt und welche Tokens wohin ausrollen dürfen</translation>
    </message>
    <message>
        <source>who generated, rotated and revoked which token, and when</source>
        <translation>wer welches Token wann erzeugt, rotiert und widerrufen hat</translation>
    </message>
    <message>
        <source>who is told before tokens expire, and of what happens to them</source>
        <translation>wer erfährt, bevor Tokens ablaufen, und was mit ihnen geschieht</translation>
    </message>
    <message>
        <source>the CI jobs that deploy with their OIDC ID token, no stored secret</source>
        <translation>die CI-Jobs, die mit ihrem OIDC-ID-Token deployen, ohne gespeichertes Geheimnis</translation>
    </message>
    <message>
        <source>who may do what in this project: their levels</source>
        <translation>wer in diesem Projekt was darf: die Stufen</translation>
    </message>
    <message>
        <source>where tokens are pushed: OpenBao/Vault, GitHub or GitLab secrets</source>
        <translation>wohin Tokens gepusht werden: Geheimnisse in OpenBao/Vault, GitHub oder GitLab</translation>
    </message>
    <message>
        <source>count unknown</source>
        <translation>Anzahl unbekannt</translation>
    </message>
    <message numerus="yes">
        <source>%n live token(s)</source>
        <translation>
            <numerusform>%n aktives Token</numerusform>
            <numerusform>%n aktive Tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StartUp</name>
    <message>
        <source>%1 cannot start: %2</source>
        <translation>%1 kann nicht starten: %2</translation>
    </message>
    <message>
        <source>Nothing was changed. Run this command, then retry:</source>
        <translation>Es wurde nichts geändert. Führen Sie diesen Befehl aus und versuchen Sie es dann erneut:</translation>
    </message>
    <message>
        <source>Nothing was changed. Check that the database server is running and reachable, then retry.</source>
        <translation>Es wurde nichts geändert. Prüfen Sie, ob der Datenbankserver läuft und erreichbar ist, und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <source>Nothing was changed. Fix the problem above, then retry.</source>
        <translation>Es wurde nichts geändert. Beheben Sie das obige Problem und versuchen Sie es dann erneut.</translation>
    </message>
</context>
<context>
    <name>TokenBulkDelete</name>
    <message>
        <source>never used</source>
        <translation>nie verwendet</translation>
    </message>
    <message>
        <source>last used %1</source>
        <translation>zuletzt verwendet %1</translation>
    </message>
    <message numerus="yes">
        <source>…and %n more token(s)</source>
        <translation>
            <numerusform>…und %n weiteres Token</numerusform>
            <numerusform>…und %n weitere Tokens</numerusform>
        </translation>
    </message>
    <message>
        <source>None of them was used in the last 24 hours.</source>
        <translation>Keines davon wurde in den letzten 24 Stunden verwendet.</translation>
    </message>
    <message numerus="yes">
        <source>Used in the last 24 hours: %n token(s). A pipeline may still depend on them.</source>
        <translation>
            <numerusform>In den letzten 24 Stunden verwendet: %n Token. Eine Pipeline ist womöglich noch darauf angewiesen.</numerusform>
            <numerusform>In den letzten 24 Stunden verwendet: %n Tokens. Eine Pipeline ist womöglich noch darauf angewiesen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete deployment tokens</source>
        <translation>Deployment-Tokens löschen</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n deployment token(s)?</source>
        <translation>
            <numerusform>%n Deployment-Token löschen?</numerusform>
            <numerusform>%n Deployment-Tokens löschen?</numerusform>
        </translation>
    </message>
    <message>
        <source>Automation that uses them stops working at once: any CLI tool or CI/CD pipeline presenting one will be refused. This cannot be undone.</source>
        <translation>Automatisierung, die sie verwendet, funktioniert sofort nicht mehr: Jedes CLI-Werkzeug und jede CI/CD-Pipeline, die eines davon vorlegt, wird abgewiesen. Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>An unexpected error occurred (%1).</source>
        <translation>Ein unerwarteter Fehler ist aufgetreten (%1).</translation>
    </message>
    <message>
        <source>Some tokens were not deleted</source>
        <translation>Einige Tokens wurden nicht gelöscht</translation>
    </message>
    <message>
        <source>Could not delete the tokens</source>
        <translation>Die Tokens konnten nicht gelöscht werden</translation>
    </message>
    <message>
        <source>Deleted %1 of %2 tokens. These are not deleted and still work:</source>
        <translation>%1 von %2 Tokens gelöscht. Diese sind nicht gelöscht und funktionieren weiterhin:</translation>
    </message>
    <message>
        <source>Select the expired tokens, to delete them together</source>
        <translation>Die abgelaufenen Tokens auswählen, um sie zusammen zu löschen</translation>
    </message>
    <message numerus="yes">
        <source>Selected %n expired token(s).</source>
        <translation>
            <numerusform>%n abgelaufenes Token ausgewählt.</numerusform>
            <numerusform>%n abgelaufene Tokens ausgewählt.</numerusform>
        </translation>
    </message>
    <message>
        <source>No token has expired.</source>
        <translation>Kein Token ist abgelaufen.</translation>
    </message>
    <message>
        <source>Deleting tokens: %1 of %2…</source>
        <translation>Tokens werden gelöscht: %1 von %2…</translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n deployment token(s).</source>
        <translation>
            <numerusform>%n Deployment-Token gelöscht.</numerusform>
            <numerusform>%n Deployment-Tokens gelöscht.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n had already been revoked elsewhere.</source>
        <translation>
            <numerusform>%n war bereits anderswo widerrufen worden.</numerusform>
            <numerusform>%n waren bereits anderswo widerrufen worden.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TokenColumns</name>
    <message>
        <source>Columns</source>
        <translation>Spalten</translation>
    </message>
    <message>
        <source>Always shown: tokens are found and deleted by it</source>
        <translation>Immer angezeigt: Daran werden Tokens gefunden und gelöscht</translation>
    </message>
</context>
<context>
    <name>TokenCountText</name>
    <message numerus="yes">
        <source>At least %n of %1 match %2</source>
        <translation>
            <numerusform>Mindestens %n von %1 passt zu %2</numerusform>
            <numerusform>Mindestens %n von %1 passen zu %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n of %1 match %2</source>
        <translation>
            <numerusform>%n von %1 passt zu %2</numerusform>
            <numerusform>%n von %1 passen zu %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Showing %1 of %n token(s)</source>
        <translation>
            <numerusform>%1 von %n Token angezeigt</numerusform>
            <numerusform>%1 von %n Tokens angezeigt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TokenFilter</name>
    <message>
        <source>Filter by name, or the last 4 characters of a token</source>
        <translation>Nach Name oder den letzten 4 Zeichen eines Tokens filtern</translation>
    </message>
    <message>
        <source>Filter tokens</source>
        <translation>Tokens filtern</translation>
    </message>
    <message>
        <source>&amp;Hide exchanged tokens</source>
        <translation>Eingetauschte Tokens &amp;ausblenden</translation>
    </message>
    <message>
        <source>Leave out the short-lived tokens trusted deployers&apos; CI jobs exchanged</source>
        <translation>Die kurzlebigen Tokens weglassen, die CI-Jobs vertrauter Deployer eingetauscht haben</translation>
    </message>
    <message>
        <source>Hide exchanged tokens</source>
        <translation>Eingetauschte Tokens ausblenden</translation>
    </message>
</context>
<context>
    <name>TokenOptions</name>
    <message>
        <source>Token name</source>
        <translation>Token-Name</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Ablauf</translation>
    </message>
    <message>
        <source>Environments</source>
        <translation>Umgebungen</translation>
    </message>
    <message>
        <source>All environments</source>
        <translation>Alle Umgebungen</translation>
    </message>
    <message>
        <source>A date…</source>
        <translation>Ein Datum…</translation>
    </message>
    <message>
        <source>Deployment token N</source>
        <translation>Deployment-Token N</translation>
    </message>
    <message>
        <source>A name to recognise the token by; empty for a numbered default</source>
        <translation>Ein Name, an dem Sie das Token wiedererkennen; leer für einen nummerierten Standardnamen</translation>
    </message>
    <message>
        <source>At most %1 characters; more is left out</source>
        <translation>Höchstens %1 Zeichen; mehr wird weggelassen</translation>
    </message>
    <message>
        <source>Expiry date</source>
        <translation>Ablaufdatum</translation>
    </message>
    <message>
        <source>The token stops working at the start of this day (UTC)</source>
        <translation>Das Token hört zu Beginn dieses Tages (UTC) auf zu funktionieren</translation>
    </message>
    <message>
        <source>Token name:</source>
        <translation>Token-Name:</translation>
    </message>
    <message>
        <source>Expires:</source>
        <translation>Ablauf:</translation>
    </message>
    <message>
        <source>Environments:</source>
        <translation>Umgebungen:</translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation>%1 (Standard)</translation>
    </message>
    <message>
        <source>Where the token may deploy: %1</source>
        <translation>Wohin das Token deployen darf: %1</translation>
    </message>
    <message>
        <source>This project has no environments: tokens may deploy wherever it deploys. Add them under Settings, Environments.</source>
        <translation>Dieses Projekt hat keine Umgebungen: Tokens dürfen überall dorthin ausrollen, wohin es ausrollt. Legen Sie sie unter Einstellungen, Umgebungen an.</translation>
    </message>
</context>
<context>
    <name>TokenPolicyPane</name>
    <message>
        <source>Token policy</source>
        <translation>Token-Richtlinie</translation>
    </message>
    <message>
        <source>Save policy</source>
        <translation>Richtlinie speichern</translation>
    </message>
    <message>
        <source>How long new deployment tokens of this project live. The default applies when Generate is clicked without choosing an expiry; a maximum refuses anything longer, and No expiry with it. Tokens already made keep their expiry.</source>
        <translation>Wie lange neue Deployment-Tokens dieses Projekts gültig sind. Der Standard gilt, wenn ohne gewählten Ablauf auf Erzeugen geklickt wird; ein Höchstwert weist alles Längere ab und damit auch Kein Ablauf. Bereits erzeugte Tokens behalten ihren Ablauf.</translation>
    </message>
    <message>
        <source>Allow tokens that never expire</source>
        <translation>Tokens ohne Ablauf erlauben</translation>
    </message>
    <message>
        <source>Default lifetime:</source>
        <translation>Standard-Laufzeit:</translation>
    </message>
    <message>
        <source>Maximum lifetime:</source>
        <translation>Höchste Laufzeit:</translation>
    </message>
    <message>
        <source>Pushed tokens:</source>
        <translation>Gepushte Tokens:</translation>
    </message>
    <message>
        <source>Old token stops:</source>
        <translation>Ende des alten Tokens:</translation>
    </message>
    <message>
        <source>&amp;Rotate automatically</source>
        <translation>&amp;Automatisch rotieren</translation>
    </message>
    <message>
        <source>Tokens pushed to a destination are rotated and the successor pushed there, this many days before they expire (rotate-due, run by a timer).</source>
        <translation>Tokens, die an einen Ablageort gepusht wurden, werden so viele Tage vor ihrem Ablauf rotiert, und ihr Nachfolger wird dorthin gepusht (rotate-due, von einem Timer gestartet).</translation>
    </message>
    <message>
        <source>Rotate pushed tokens automatically</source>
        <translation>Gepushte Tokens automatisch rotieren</translation>
    </message>
    <message>
        <source>Days before expiry</source>
        <translation>Tage vor dem Ablauf</translation>
    </message>
    <message>
        <source>Old token stops after an automatic rotation</source>
        <translation>Ende des alten Tokens nach einer automatischen Rotation</translation>
    </message>
    <message>
        <source>days before expiry</source>
        <translation>Tage vor dem Ablauf</translation>
    </message>
    <message>
        <source>Saved the token policy of %1.</source>
        <translation>Token-Richtlinie von %1 gespeichert.</translation>
    </message>
    <message>
        <source>Could not save the token policy</source>
        <translation>Die Token-Richtlinie konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <source>None</source>
        <comment>no maximum lifetime</comment>
        <translation>Keine</translation>
    </message>
</context>
<context>
    <name>TokenRowActions</name>
    <message>
        <source>Could not rotate the token</source>
        <translation>Das Token konnte nicht rotiert werden</translation>
    </message>
    <message>
        <source>Rotated deployment token %1: the new one is %2.</source>
        <translation>Deployment-Token %1 rotiert: Das neue ist %2.</translation>
    </message>
    <message>
        <source>The token %1 was not rotated: %2</source>
        <translation>Das Token %1 wurde nicht rotiert: %2</translation>
    </message>
    <message>
        <source>It still works as before; nothing was left at %1 or in the table.</source>
        <translation>Es funktioniert weiter wie bisher; weder bei %1 noch in der Tabelle ist etwas zurückgeblieben.</translation>
    </message>
    <message>
        <source>The old token %1 stops working now.</source>
        <translation>Das alte Token %1 funktioniert ab sofort nicht mehr.</translation>
    </message>
    <message>
        <source>The old token %1 stops working %2.</source>
        <translation>Das alte Token %1 funktioniert ab %2 nicht mehr.</translation>
    </message>
    <message>
        <source>The new token “%1” (%2) was pushed to %3. %4</source>
        <translation>Das neue Token „%1“ (%2) wurde an %3 gepusht. %4</translation>
    </message>
    <message>
        <source>Token rotated</source>
        <translation>Token rotiert</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Token already deleted</source>
        <translation>Token bereits gelöscht</translation>
    </message>
    <message>
        <source>The token %1 had already been revoked, perhaps from another workstation or the command line. Its row has been removed.</source>
        <translation>Das Token %1 war bereits widerrufen, vielleicht von einem anderen Arbeitsplatz oder über die Kommandozeile. Seine Zeile wurde entfernt.</translation>
    </message>
    <message>
        <source>Could not delete the token</source>
        <translation>Das Token konnte nicht gelöscht werden</translation>
    </message>
    <message>
        <source>Deleted deployment token %1: it is revoked and no longer verifies.</source>
        <translation>Deployment-Token %1 gelöscht: Es ist widerrufen und wird nicht mehr akzeptiert.</translation>
    </message>
    <message>
        <source>Could not rename the token</source>
        <translation>Das Token konnte nicht umbenannt werden</translation>
    </message>
    <message>
        <source>The name was not saved: another change to these tokens is still being saved. Try again in a moment.</source>
        <translation>Der Name wurde nicht gespeichert: Eine andere Änderung an diesen Tokens wird noch gespeichert. Versuchen Sie es gleich noch einmal.</translation>
    </message>
</context>
<context>
    <name>TokenTableModel</name>
    <message>
        <source>Delete token</source>
        <translation>Token löschen</translation>
    </message>
    <message>
        <source>Rotate token</source>
        <translation>Token rotieren</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>Abgelaufen</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Letzte Nutzung</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Ablauf</translation>
    </message>
    <message>
        <source>Expires on</source>
        <translation>Ablaufdatum</translation>
    </message>
    <message>
        <source>Environments</source>
        <translation>Umgebungen</translation>
    </message>
    <message>
        <source>Created by</source>
        <translation>Erstellt von</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Aktionen</translation>
    </message>
    <message>
        <source>Masked preview: the full token was shown once, when it was generated, and is not stored</source>
        <translation>Maskierte Vorschau: Das vollständige Token wurde einmal beim Erzeugen angezeigt und wird nicht gespeichert</translation>
    </message>
    <message>
        <source>via %1</source>
        <translation>über %1</translation>
    </message>
    <message>
        <source>Exchanged by %1 for a CI job&apos;s ID token: trusted deployer %2</source>
        <translation>Von %1 gegen das ID-Token eines CI-Jobs eingetauscht: vertrauter Deployer %2</translation>
    </message>
    <message>
        <source>all</source>
        <comment>environments</comment>
        <translation>alle</translation>
    </message>
    <message>
        <source>%1
Environments: %2</source>
        <translation>%1
Umgebungen: %2</translation>
    </message>
    <message>
        <source>Never used</source>
        <translation>Nie verwendet</translation>
    </message>
    <message>
        <source>via %1 (trusted deployer)</source>
        <translation>über %1 (vertrauter Deployer)</translation>
    </message>
    <message>
        <source>pushed to %1</source>
        <translation>an %1 gepusht</translation>
    </message>
    <message>
        <source>Already rotated: “%1” (%2) replaces it.</source>
        <translation>Bereits rotiert: „%1“ (%2) ersetzt es.</translation>
    </message>
    <message>
        <source>Already rotated: a newer token replaces it.</source>
        <translation>Bereits rotiert: Ein neueres Token ersetzt es.</translation>
    </message>
    <message>
        <source>Expired: generate a new token instead.</source>
        <translation>Abgelaufen: Erzeugen Sie stattdessen ein neues Token.</translation>
    </message>
    <message>
        <source>This token never expires</source>
        <translation>Dieses Token läuft nie ab</translation>
    </message>
    <message>
        <source>Expired %1 (%2)</source>
        <translation>Abgelaufen am %1 (%2)</translation>
    </message>
    <message>
        <source>Retiring after a rotation: stops working %1 (%2)</source>
        <translation>Läuft nach einer Rotation aus: funktioniert ab %1 nicht mehr (%2)</translation>
    </message>
    <message>
        <source>Expires soon: %1 (%2)</source>
        <translation>Läuft bald ab: am %1 (%2)</translation>
    </message>
    <message>
        <source>Expires %1 (%2)</source>
        <translation>Läuft am %1 ab (%2)</translation>
    </message>
    <message>
        <source>Retiring, %1 left</source>
        <translation>Läuft aus, noch %1</translation>
    </message>
    <message>
        <source>Expires %1</source>
        <comment>expires in some time</comment>
        <translation>Läuft %1 ab</translation>
    </message>
    <message>
        <source>All</source>
        <comment>environments</comment>
        <translation>Alle</translation>
    </message>
</context>
<context>
    <name>TokenTableText</name>
    <message numerus="yes">
        <source>Delete %n token(s)…</source>
        <translation>
            <numerusform>%n Token löschen…</numerusform>
            <numerusform>%n Tokens löschen…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TokenTableView</name>
    <message>
        <source>Select expired</source>
        <translation>Abgelaufene auswählen</translation>
    </message>
    <message>
        <source>Deployment tokens</source>
        <translation>Deployment-Tokens</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Umbenennen</translation>
    </message>
    <message>
        <source>Rotate…</source>
        <translation>Rotieren…</translation>
    </message>
    <message>
        <source>Delete token…</source>
        <translation>Token löschen…</translation>
    </message>
</context>
<context>
    <name>TokensPane</name>
    <message>
        <source>Generate deployment token</source>
        <translation>Deployment-Token erzeugen</translation>
    </message>
    <message>
        <source>Report a leaked token…</source>
        <translation>Geleaktes Token melden…</translation>
    </message>
    <message>
        <source>A deployment token is a project-scoped credential that lets external workflows, such as CLI tools and CI/CD pipelines, trigger deployments without a browser session. Each token is shown once, when it is generated; afterwards only its masked preview is kept.</source>
        <translation>Ein Deployment-Token ist ein projektbezogener Zugangsnachweis, mit dem externe Abläufe wie CLI-Werkzeuge und CI/CD-Pipelines Deployments ohne Browsersitzung auslösen. Jedes Token wird einmal angezeigt, beim Erzeugen; danach bleibt nur seine maskierte Vorschau erhalten.</translation>
    </message>
    <message>
        <source>This project has no deployment tokens yet.
Click Generate deployment token to create one for a pipeline or CLI tool.</source>
        <translation>Dieses Projekt hat noch keine Deployment-Tokens.
Klicken Sie auf Deployment-Token erzeugen, um eines für eine Pipeline oder ein CLI-Werkzeug anzulegen.</translation>
    </message>
    <message>
        <source>No token matches the filter.</source>
        <translation>Kein Token passt zum Filter.</translation>
    </message>
    <message>
        <source>This project has no deployment tokens yet.
A manager or admin of the project generates them.</source>
        <translation>Dieses Projekt hat noch keine Deployment-Tokens.
Ein Manager oder Admin des Projekts erzeugt sie.</translation>
    </message>
    <message>
        <source>This project has no deployment tokens yet.
Once the token salt is set (see above), generate one here for a pipeline or CLI tool.</source>
        <translation>Dieses Projekt hat noch keine Deployment-Tokens.
Sobald das Token-Salt gesetzt ist (siehe oben), erzeugen Sie hier eines für eine Pipeline oder ein CLI-Werkzeug.</translation>
    </message>
    <message>
        <source>Generate deployment token (Ctrl+G)</source>
        <translation>Deployment-Token erzeugen (Strg+G)</translation>
    </message>
    <message>
        <source>Deployment Tokens</source>
        <translation>Deployment-Tokens</translation>
    </message>
    <message>
        <source>Paste the text a token was seen in, and revoke the tokens found in it</source>
        <translation>Den Text einfügen, in dem ein Token gesehen wurde, und die darin gefundenen Tokens widerrufen</translation>
    </message>
    <message numerus="yes">
        <source>Revoked %n leaked token(s).</source>
        <translation>
            <numerusform>%n geleaktes Token widerrufen.</numerusform>
            <numerusform>%n geleakte Tokens widerrufen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not read the project&apos;s token settings</source>
        <translation>Die Token-Einstellungen des Projekts konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>%1 Generating tokens fails until it is fixed and the app is restarted.</source>
        <translation>%1 Das Erzeugen von Tokens schlägt fehl, bis das behoben und die App neu gestartet ist.</translation>
    </message>
    <message>
        <source>Could not generate a deployment token</source>
        <translation>Es konnte kein Deployment-Token erzeugt werden</translation>
    </message>
    <message>
        <source>Generated deployment token %1.</source>
        <translation>Deployment-Token %1 erzeugt.</translation>
    </message>
</context>
<context>
    <name>UserGuideDialog</name>
    <message>
        <source>Deployment Tokens user guide</source>
        <translation>Benutzerhandbuch von Deployment Tokens</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Vor</translation>
    </message>
    <message>
        <source>The user guide is not installed with this copy: %1 is missing.</source>
        <translation>Das Benutzerhandbuch ist in dieser Installation nicht enthalten: %1 fehlt.</translation>
    </message>
    <message>
        <source>This link leads nowhere in the guide: %1</source>
        <translation>Dieser Link führt im Handbuch nirgendwohin: %1</translation>
    </message>
    <message>
        <source>Opened outside the guide: %1</source>
        <translation>Außerhalb des Handbuchs geöffnet: %1</translation>
    </message>
</context>
<context>
    <name>VerdictBanner</name>
    <message>
        <source>Verification</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Audit head</source>
        <translation>Kettenkopf des Audit-Protokolls</translation>
    </message>
    <message>
        <source>The newest event of the whole log, as audit head prints it. Anchor it elsewhere (a ticket, a commit): audit verify --head then proves that no event was cut off since.</source>
        <translation>Das neueste Ereignis des ganzen Protokolls, wie audit head es ausgibt. Hinterlegen Sie es anderswo (in einem Ticket, einem Commit): audit verify --head beweist dann, dass seitdem kein Ereignis abgeschnitten wurde.</translation>
    </message>
    <message>
        <source>Hea&amp;d:</source>
        <translation>Ketten&amp;kopf:</translation>
    </message>
    <message>
        <source>Copy head</source>
        <translation>Kettenkopf kopieren</translation>
    </message>
    <message>
        <source>Verifying the whole audit log, across all projects…</source>
        <translation>Das ganze Audit-Protokoll wird geprüft, über alle Projekte…</translation>
    </message>
</context>
<context>
    <name>WarningBanner</name>
    <message>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
</context>
<context>
    <name>WindowAccess</name>
    <message>
        <source>Read-only: %1</source>
        <translation>Schreibgeschützt: %1</translation>
    </message>
    <message>
        <source>Read-only database</source>
        <translation>Schreibgeschützte Datenbank</translation>
    </message>
    <message>
        <source>User: %1</source>
        <translation>Benutzer: %1</translation>
    </message>
    <message>
        <source>You are %1, the one user of the SQLite file %2, and admin of every project. Access control needs PostgreSQL.</source>
        <translation>Sie sind %1, der einzige Benutzer der SQLite-Datei %2, und Admin jedes Projekts. Zugriffskontrolle erfordert PostgreSQL.</translation>
    </message>
    <message>
        <source>%1 on all projects</source>
        <translation>%1 für alle Projekte</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 für %2</translation>
    </message>
    <message>
        <source>Your levels: %1.</source>
        <translation>Ihre Stufen: %1.</translation>
    </message>
    <message>
        <source>You hold no level yet: ask an admin for one.</source>
        <translation>Sie haben noch keine Stufe: Bitten Sie einen Admin darum.</translation>
    </message>
    <message>
        <source>Role: %1</source>
        <translation>Rolle: %1</translation>
    </message>
    <message>
        <source>You are the PostgreSQL login role %1 on %2, and the database decides what you may do. %3</source>
        <translation>Sie sind die PostgreSQL-Login-Rolle %1 auf %2, und die Datenbank entscheidet, was Sie dürfen. %3</translation>
    </message>
</context>
</TS>
