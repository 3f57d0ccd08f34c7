-- Deployment Tokens: notifications on PostgreSQL, schema version 10 (frozen, as every
-- migration is). Run by app.store.migrations as the tables' owner (or a superuser, who
-- acts as the owner below), after version 9 made the tables themselves, in one
-- transaction with the version's bump. Idempotent, like version 8's script.
--
-- Who may do what (README, "Notifications"; ARCHITECTURE.md):
--   * notification_target (the e-mail recipients and webhooks): read by viewers of its
--     project (an all-projects target: by those with a level on all projects); added by
--     an admin of the project (of all projects, for an all-projects one); removed through
--     dt_delete_notification, which checks the same (no client holds DELETE: with it,
--     any member could LOCK the table).
--   * A webhook's secret_seed is readable by no client role directly: column privileges
--     leave it out. dt_notification_seed hands it to a role with a level on all projects
--     (the role notify runs as) and to nobody else: a project's viewers and managers see
--     its webhooks but cannot sign as them. The seed alone signs nothing either: the
--     secret is its HMAC under ML_DEPLOYMENT_TOKEN_SALT (app/notifications/webhooks.py).
--   * notify runs as a role with viewer on all projects: it must read every token and
--     every event, and write only its own bookkeeping: expiry_warning rows, the delivery
--     log, and the two cursors of each target (column privileges: nothing else of a
--     target). Cursors only move forward (a trigger), so no one re-sends old events
--     with them. Least privilege that works: a project-level role cannot run notify (it
--     cannot see what other projects' all-projects targets must be sent), and nothing
--     notify writes is readable by a role that may not read the project.
--   * notification_policy (a project's warning thresholds): viewers read, admins set.

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

-- 1. Functions.

-- A webhook's seed, for the role that sends (a level on all projects) and the owner;
-- NULL for anyone else.
CREATE OR REPLACE FUNCTION dt_notification_seed(target bigint) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
    IF dt_global_rank() < 1 THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT t.secret_seed FROM notification_target t WHERE t.id = target);
END
$$;

-- notifications remove: an admin of the target's project, or of all projects for an
-- all-projects target. False when there is nothing the session may delete. Its
-- delivery log goes with it (ON DELETE CASCADE).
CREATE OR REPLACE FUNCTION dt_delete_notification(target bigint) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    its_project integer;
BEGIN
    SELECT t.project_id INTO its_project FROM notification_target t WHERE t.id = target;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF its_project IS NULL AND dt_global_rank() < 3 THEN
        RETURN false;
    END IF;
    IF its_project IS NOT NULL AND dt_rank(dt_level(its_project)) < 3 THEN
        RETURN false;
    END IF;
    DELETE FROM notification_target t WHERE t.id = target;
    RETURN FOUND;
END
$$;

-- A target's cursors only move forward: whoever records deliveries cannot make notify
-- send everything again (or, for that matter, anything else of the row: the column
-- privileges allow only the cursors).
CREATE OR REPLACE FUNCTION dt_notification_cursors_forward() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT
AS $$
BEGIN
    IF NEW.audit_cursor < OLD.audit_cursor OR NEW.warning_cursor < OLD.warning_cursor THEN
        RAISE EXCEPTION 'a notification''s cursors only move forward'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER dt_created_by BEFORE INSERT ON notification_target
    FOR EACH ROW EXECUTE FUNCTION dt_stamp_created_by();
CREATE OR REPLACE TRIGGER dt_cursors_forward BEFORE UPDATE ON notification_target
    FOR EACH ROW EXECUTE FUNCTION dt_notification_cursors_forward();

-- 2. Row-level security, forced on the owner too, and the policies (version 8's forms).
DO $policies$
DECLARE
    owner_name name := (SELECT pg_get_userbyid(relowner) FROM pg_class
                        WHERE oid = 'deployment_token'::regclass);
    app_schema name := current_schema();
    tables text[] := ARRAY['notification_target', 'expiry_warning', 'notification_delivery',
                           'notification_policy'];
    t text;
    existing record;
    at_least text := 'coalesce(project_id = ANY ((SELECT CASE WHEN bool_or(g.project_id IS NULL) '
                     'THEN NULL ELSE coalesce(array_agg(g.project_id), ''{}'') END '
                     'FROM %1$I.dt_my_grants g WHERE g.rank >= %2$s)::integer[]), true)';
    everywhere text := 'EXISTS (SELECT 1 FROM %1$I.dt_my_grants g WHERE g.project_id IS NULL '
                       'AND g.rank >= %2$s)';
    -- A target's project, or all projects when it has none.
    scoped text := 'CASE WHEN project_id IS NULL THEN %1$s ELSE %2$s END';
    visible_target text := 'target_id = ANY (coalesce((SELECT array_agg(n.id) '
                           'FROM %1$I.notification_target n), ''{}''))';
    u text := 'deployment_tokens_user';
BEGIN
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        FOR existing IN SELECT policyname FROM pg_policies
                        WHERE schemaname = app_schema AND tablename = t LOOP
            EXECUTE format('DROP POLICY %I ON %I', existing.policyname, t);
        END LOOP;
        EXECUTE format('CREATE POLICY owner_all ON %I FOR ALL TO %I USING (true) '
                       'WITH CHECK (true)', t, owner_name);
    END LOOP;

    EXECUTE format('CREATE POLICY read ON notification_target FOR SELECT TO %I USING (%s)', u,
                   format(scoped, format(everywhere, app_schema, 1),
                          format(at_least, app_schema, 1)));
    EXECUTE format('CREATE POLICY add ON notification_target FOR INSERT TO %I WITH CHECK (%s)',
                   u, format(scoped, format(everywhere, app_schema, 3),
                             format(at_least, app_schema, 3)));
    EXECUTE format('CREATE POLICY advance ON notification_target FOR UPDATE TO %I '
                   'USING (%2$s) WITH CHECK (%2$s)', u, format(everywhere, app_schema, 1));

    EXECUTE format('CREATE POLICY read ON expiry_warning FOR SELECT TO %I USING (%s)', u,
                   format(at_least, app_schema, 1));
    EXECUTE format('CREATE POLICY add ON expiry_warning FOR INSERT TO %I WITH CHECK (%s)', u,
                   format(everywhere, app_schema, 1));

    EXECUTE format('CREATE POLICY read ON notification_delivery FOR SELECT TO %I USING (%s)',
                   u, format(visible_target, app_schema));
    EXECUTE format('CREATE POLICY add ON notification_delivery FOR INSERT TO %I '
                   'WITH CHECK (%s AND %s)', u, format(everywhere, app_schema, 1),
                   format(visible_target, app_schema));

    EXECUTE format('CREATE POLICY read ON notification_policy FOR SELECT TO %I USING (%s)', u,
                   format(at_least, app_schema, 1));
    EXECUTE format('CREATE POLICY add ON notification_policy FOR INSERT TO %I '
                   'WITH CHECK (%s)', u, format(at_least, app_schema, 3));
    EXECUTE format('CREATE POLICY change ON notification_policy FOR UPDATE TO %I '
                   'USING (%2$s) WITH CHECK (%2$s)', u, format(at_least, app_schema, 3));
END
$policies$;

-- 3. Privileges, revoked and given again (an upgrade narrows as well as widens).
DO $privileges$
DECLARE
    app_schema name := current_schema();
    u text := 'deployment_tokens_user';
    v text := 'deployment_tokens_verifier';
    t text;
    f regprocedure;
BEGIN
    FOREACH t IN ARRAY ARRAY['notification_target', 'expiry_warning', 'notification_delivery',
                             'notification_policy'] LOOP
        EXECUTE format('REVOKE ALL ON %I FROM PUBLIC, %I, %I', t, u, v);
    END LOOP;
    -- Never secret_seed (dt_notification_seed); never an id, a target's project or its
    -- address once written; created_by is the trigger's.
    EXECUTE format('GRANT SELECT (id, project_id, kind, address, address_key, created_at, '
                   'created_by, audit_cursor, warning_cursor) ON notification_target TO %I', u);
    EXECUTE format('GRANT INSERT (project_id, kind, address, address_key, secret_seed, '
                   'created_at, created_by, audit_cursor, warning_cursor) '
                   'ON notification_target TO %I', u);
    EXECUTE format('GRANT UPDATE (audit_cursor, warning_cursor) ON notification_target TO %I',
                   u);
    EXECUTE format('GRANT SELECT ON expiry_warning, notification_delivery, notification_policy '
                   'TO %I', u);
    EXECUTE format('GRANT INSERT (project_id, token_id, threshold_days, warned, recorded_at) '
                   'ON expiry_warning TO %I', u);
    EXECUTE format('GRANT INSERT (target_id, attempted_at, outcome, items, detail) '
                   'ON notification_delivery TO %I', u);
    EXECUTE format('GRANT INSERT (project_id, warning_days), UPDATE (warning_days) '
                   'ON notification_policy TO %I', u);
    FOREACH t IN ARRAY ARRAY['notification_target', 'expiry_warning', 'notification_delivery']
    LOOP
        EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM PUBLIC, %I, %I',
                       pg_get_serial_sequence(t, 'id'), u, v);
        EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I', pg_get_serial_sequence(t, 'id'), u);
    END LOOP;

    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = app_schema::regnamespace
               AND p.proname IN ('dt_notification_seed', 'dt_delete_notification',
                                 'dt_notification_cursors_forward') LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp',
                       f, app_schema);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('ALTER FUNCTION %s OWNER TO %I', f,
                       (SELECT pg_get_userbyid(relowner) FROM pg_class
                        WHERE oid = 'deployment_token'::regclass));
    END LOOP;
    EXECUTE format('GRANT EXECUTE ON FUNCTION dt_notification_seed(bigint), '
                   'dt_delete_notification(bigint) TO %I', u);
END
$privileges$;
