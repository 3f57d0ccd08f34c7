-- Schema version 9 on PostgreSQL: the audit trail as a hash chain (app/audit_chain.py says
-- what the hash covers; tests/app/store/test_migrations.py holds this file's bytes to
-- that module's). Run by the tables' owner (or a superuser) through db setup, after
-- version 8, in one transaction with the version's bump.
--
--   * seq: 1, 2, 3, ... across all projects, in the order events were appended;
--     hash = SHA-256(previous hash || canonical JSON of the event), in hex;
--     project_name: the project's name when the event happened (the hash covers it, so a
--     rename later changes nothing, and an event outlives its project).
--   * Written by a BEFORE INSERT trigger for every role, the owner included: whatever a
--     client sends for these columns is replaced (and no client role may name them in an
--     INSERT). Appends are serialised by the lock on control_state's row, which every
--     write transaction takes to move the change counter.
--   * project_id stops being a foreign key: deleting a project keeps its events (the
--     chain would break otherwise), readable by those who may read every project.
--   * Access changes (access_grant's rows) are audited by a trigger, whoever makes them;
--     a token changed without its event in the same transaction is refused at commit.
--   * Existing events are chained once, in the order they were written (id). The script
--     may be run again by hand (after access_control_v8.sql, which resets the policies):
--     it changes nothing then.

DO $setup$
DECLARE
    owner_name name := (SELECT pg_get_userbyid(relowner) FROM pg_class
                        WHERE oid = 'deployment_token'::regclass);
BEGIN
    IF current_user <> owner_name THEN
        EXECUTE format('SET LOCAL ROLE %I', owner_name);
    END IF;
    PERFORM set_config('search_path',
        format('%I, pg_catalog, pg_temp', (SELECT n.nspname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = 'deployment_token'::regclass)), true);
END
$setup$;

-- The event's hash, from the previous one: the bytes app.audit_chain.canonical_json makes
-- (keys sorted, no spaces, to_json's escapes, which are json.dumps's with
-- ensure_ascii=False). plpgsql, not sql: an SQL function with SET search_path is never
-- inlined and is planned again in every transaction (100 µs an append; this, 23 µs).
CREATE OR REPLACE FUNCTION dt_audit_hash(
    previous text, seq bigint, occurred_at timestamp, actor text, action text,
    project text, token_id bigint, preview text, detail text
) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT
AS $$
BEGIN
    RETURN encode(sha256(convert_to(previous
        || '{"action":' || to_json(action)::text
        || ',"actor":' || to_json(actor)::text
        || ',"at":"' || to_char(occurred_at, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '"'
        || ',"detail":' || to_json(coalesce(detail, ''))::text
        || ',"preview":' || coalesce(to_json(preview)::text, 'null')
        || ',"project":' || coalesce(to_json(project)::text, 'null')
        || ',"seq":' || seq::text
        || ',"token_id":' || coalesce(token_id::text, 'null')
        || '}', 'UTF8')), 'hex');
END
$$;

ALTER TABLE audit_event ADD COLUMN IF NOT EXISTS seq bigint;
ALTER TABLE audit_event ADD COLUMN IF NOT EXISTS hash varchar(64);
ALTER TABLE audit_event ADD COLUMN IF NOT EXISTS project_name varchar(100);
ALTER TABLE audit_event ALTER COLUMN project_id DROP NOT NULL;
-- The transaction that wrote the event (txid_current(): the top-level one, savepoints
-- included), for dt_require_audit below; PostgreSQL's alone, set by the trigger.
ALTER TABLE audit_event ADD COLUMN IF NOT EXISTS txid bigint;
CREATE INDEX IF NOT EXISTS audit_event_txid ON audit_event (txid);

DO $chain$
DECLARE
    fk name;
    event record;
    previous text;
    n bigint;
BEGIN
    FOR fk IN SELECT conname FROM pg_constraint
              WHERE conrelid = 'audit_event'::regclass AND contype = 'f' LOOP
        EXECUTE format('ALTER TABLE audit_event DROP CONSTRAINT %I', fk);
    END LOOP;
    -- The foreign key's own index: (project_id, occurred_at) serves its lookups.
    FOR fk IN SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
              WHERE x.indrelid = 'audit_event'::regclass AND x.indnatts = 1
                AND x.indkey[0] = (SELECT attnum FROM pg_attribute
                                   WHERE attrelid = 'audit_event'::regclass
                                     AND attname = 'project_id') LOOP
        EXECUTE format('DROP INDEX %I', fk);
    END LOOP;
    -- Only events never chained (all of them, the first time): run again, by hand, the
    -- script leaves the chain as it is (PostgreSQL's appends need not follow id order).
    SELECT a.seq, a.hash INTO n, previous FROM audit_event a
    WHERE a.seq IS NOT NULL ORDER BY a.seq DESC LIMIT 1;
    n := coalesce(n, 0);
    previous := coalesce(previous, repeat('0', 64));
    -- Version 8's append-only trigger refuses these updates, made once, here.
    ALTER TABLE audit_event DISABLE TRIGGER dt_append_only;
    FOR event IN SELECT a.id, a.occurred_at, a.actor, a.action, p.name AS project,
                        a.token_id, a.token_preview, a.detail
                 FROM audit_event a LEFT JOIN project p ON p.id = a.project_id
                 WHERE a.seq IS NULL ORDER BY a.id LOOP
        n := n + 1;
        previous := dt_audit_hash(previous, n, event.occurred_at, event.actor, event.action,
                                  event.project, event.token_id, event.token_preview,
                                  event.detail);
        UPDATE audit_event SET seq = n, hash = previous, project_name = event.project
        WHERE id = event.id;
    END LOOP;
    ALTER TABLE audit_event ENABLE TRIGGER dt_append_only;
END
$chain$;

ALTER TABLE audit_event ALTER COLUMN seq SET NOT NULL;
ALTER TABLE audit_event ALTER COLUMN hash SET NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS audit_event_seq ON audit_event (seq);

-- The chain's link, made by the database whatever the client sent. SECURITY DEFINER: the
-- head is the whole trail's, which row-level security hides in part from most roles.
CREATE OR REPLACE FUNCTION dt_audit_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    head record;
BEGIN
    -- One appender at a time, until its transaction ends: the next reads this one's
    -- head (READ COMMITTED takes a new snapshot for the query below, after the wait).
    -- The lock is the shared row's, which every write takes anyway to move the change
    -- counter (and the first one to claim the salt): with a lock of its own (an advisory
    -- one), two writers taking the two in opposite orders would deadlock.
    PERFORM 1 FROM control_state c WHERE c.id = 1 FOR UPDATE;
    -- seq IS NOT NULL: after the upgrade that chained the old events, and until a vacuum,
    -- the index on seq still holds each one's dead, unnumbered copy, which a descending
    -- scan would read first on every append.
    SELECT a.seq, a.hash INTO head FROM audit_event a
    WHERE a.seq IS NOT NULL ORDER BY a.seq DESC LIMIT 1;
    NEW.seq := coalesce(head.seq, 0) + 1;
    NEW.project_name := (SELECT p.name FROM project p WHERE p.id = NEW.project_id);
    NEW.detail := coalesce(NEW.detail, '');
    NEW.txid := txid_current();
    NEW.hash := dt_audit_hash(coalesce(head.hash, repeat('0', 64)), NEW.seq, NEW.occurred_at,
                              NEW.actor, NEW.action, NEW.project_name, NEW.token_id,
                              NEW.token_preview, NEW.detail);
    RETURN NEW;
END
$$;
-- After dt_actor (BEFORE triggers fire in name order): the hash covers the stamped actor.
CREATE OR REPLACE TRIGGER dt_chain BEFORE INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION dt_audit_chain();

-- Append-only, now with no exception: events no longer go with their project.
CREATE OR REPLACE FUNCTION dt_audit_append_only() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Who reads and appends what, now that an event may have no project (an all-projects
-- change) or a deleted one. Version 8's policies read "project_id = ANY (...)" as true
-- for a NULL project_id; these say what NULL means.
DO $policies$
DECLARE
    app_schema name := current_schema();
    u text := 'deployment_tokens_user';
    at_least text := 'coalesce(project_id = ANY ((SELECT CASE WHEN bool_or(g.project_id IS NULL) '
                     'THEN NULL ELSE coalesce(array_agg(g.project_id), ''{}'') END '
                     'FROM %1$I.dt_my_grants g WHERE g.rank >= %2$s)::integer[]), true)';
    everywhere text := 'EXISTS (SELECT 1 FROM %1$I.dt_my_grants g WHERE g.project_id IS NULL '
                       'AND g.rank >= %2$s)';
BEGIN
    DROP POLICY IF EXISTS read ON audit_event;
    DROP POLICY IF EXISTS append ON audit_event;
    EXECUTE format('CREATE POLICY read ON audit_event FOR SELECT TO %I USING '
                   '(CASE WHEN project_id IS NULL THEN %s ELSE %s END)', u,
                   format(everywhere, app_schema, 1), format(at_least, app_schema, 1));
    EXECUTE format('CREATE POLICY append ON audit_event FOR INSERT TO %I WITH CHECK '
                   '(CASE WHEN project_id IS NULL THEN %s ELSE %s END)', u,
                   format(everywhere, app_schema, 3), format(at_least, app_schema, 2));
END
$policies$;

REVOKE ALL ON FUNCTION dt_audit_hash(text, bigint, timestamp, text, text, text, bigint, text, text)
    FROM PUBLIC;
REVOKE ALL ON FUNCTION dt_audit_chain() FROM PUBLIC;

-- Access changes are audited by the database, whoever makes them (access grant, a DBA in
-- psql): a level given, changed or taken away is an event of its project (NULL: of every
-- project), by the session's user, on the server's clock. Grants that go with a deleted
-- project are not: the project's own "project deleted" event says it.
CREATE OR REPLACE FUNCTION dt_audit_access() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    changed access_grant := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    scope text := CASE WHEN changed.project_id IS NULL THEN ' on all projects' ELSE '' END;
    detail text;
BEGIN
    IF changed.project_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM project p WHERE p.id = changed.project_id) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.level = NEW.level THEN
        RETURN NULL;
    END IF;
    detail := CASE TG_OP
        WHEN 'INSERT' THEN format('%s as %s%s', NEW.role_id, NEW.level, scope)
        WHEN 'UPDATE' THEN format('%s as %s%s (was %s)', NEW.role_id, NEW.level, scope, OLD.level)
        ELSE format('%s, who was %s%s', OLD.role_id, OLD.level, scope) END;
    INSERT INTO audit_event (project_id, action, actor, occurred_at, detail)
    VALUES (changed.project_id,
            CASE WHEN TG_OP = 'DELETE' THEN 'access revoked' ELSE 'access granted' END,
            session_user, statement_timestamp() AT TIME ZONE 'UTC', detail);
    RETURN NULL;
END
$$;
CREATE OR REPLACE TRIGGER dt_access_audited AFTER INSERT OR UPDATE OR DELETE ON access_grant
    FOR EACH ROW EXECUTE FUNCTION dt_audit_access();
REVOKE ALL ON FUNCTION dt_audit_access() FROM PUBLIC;

-- No change to a token without its event: a token made, renamed, given another expiry or
-- deleted must be audited in the same transaction (by the app, or by whoever changes it
-- in psql: the owner and superusers included), or the transaction is refused when it
-- commits. What the event says is the writer's; that it exists, about that token, with
-- that action, by the session's user, is the database's.
CREATE OR REPLACE FUNCTION dt_require_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    token deployment_token := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    needed text;
BEGIN
    FOREACH needed IN ARRAY (CASE
        WHEN TG_OP = 'INSERT' THEN ARRAY['generated']
        WHEN TG_OP = 'DELETE' THEN ARRAY['revoked|rotated']
        ELSE array_remove(ARRAY[
            CASE WHEN NEW.name IS DISTINCT FROM OLD.name THEN 'renamed' END,
            CASE WHEN NEW.expires_at IS DISTINCT FROM OLD.expires_at
                 THEN 'expiry changed|rotated' END], NULL) END)
    LOOP
        IF NOT EXISTS (
            SELECT 1 FROM audit_event a
            WHERE a.txid = txid_current()
              AND ((a.token_id = token.id AND a.action = ANY (string_to_array(needed, '|')))
                   OR (TG_OP = 'DELETE' AND a.action = 'project deleted'
                       AND a.project_id = token.project_id))) THEN
            RAISE EXCEPTION 'token % was changed without its audit event (%): write the '
                'event in the same transaction', token.id, replace(needed, '|', ' or ')
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS dt_audited ON deployment_token;
CREATE CONSTRAINT TRIGGER dt_audited
    AFTER INSERT OR DELETE OR UPDATE OF name, expires_at ON deployment_token
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION dt_require_audit();
REVOKE ALL ON FUNCTION dt_require_audit() FROM PUBLIC;

-- As version 8 leaves every function of ours: the fixed search path, the owner's.
DO $functions$
DECLARE
    app_schema name := current_schema();
    f regprocedure;
BEGIN
    FOREACH f IN ARRAY ARRAY[
        'dt_audit_hash(text, bigint, timestamp, text, text, text, bigint, text, text)',
        'dt_audit_chain()', 'dt_audit_append_only()', 'dt_audit_access()',
        'dt_require_audit()']::regprocedure[] LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp',
                       f, app_schema);
    END LOOP;
END
$functions$;
