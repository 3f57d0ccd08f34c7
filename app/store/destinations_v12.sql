-- Deployment Tokens: destinations on PostgreSQL, schema version 12 (frozen, as every
-- migration is). Run by app.store.migrations as the tables' owner (or a superuser, who
-- acts as the owner below), after version 12 made the tables and columns themselves, in
-- one transaction with the version's bump. Idempotent, like version 8's script.
--
-- Who may do what (README, "Destinations"; ARCHITECTURE.md):
--   * destination (where a project's tokens are pushed; never a credential): read by
--     viewers of its project; added by an admin; its last push written by a manager
--     (who pushes); removed through dt_delete_destination, an admin's (no client holds
--     DELETE: with it, any member could LOCK the table), which also forgets it on the
--     tokens pushed there.
--   * rotation_policy (rotate-due's window and grace): read by viewers, set by admins.
--   * deployment_token.destination_id: written by managers (a push, a rotation);
--     deployment_token.deployer_id: dt_exchange's alone (the binding that issued it).
--   * dt_exchange: as version 11's, recording the binding on the token, and no longer
--     the verify-only group's: a stolen verifier credential could otherwise mint tokens
--     within what the bindings allow. db grant-exchanger gives it to a role.

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

-- 1. The exchange, as version 11's, with the token's binding (deployer_id).
CREATE OR REPLACE FUNCTION dt_exchange(
    deployer bigint, matched text, subject_jti text, subject_expires timestamp,
    token_digest text, token_preview text, fingerprint text
) RETURNS TABLE (outcome text, token_id bigint, expires_at timestamp, environments text[])
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
SET lock_timeout = '5s'
AS $$
#variable_conflict use_column
DECLARE
    moment timestamp := statement_timestamp() AT TIME ZONE 'UTC';
    binding trusted_deployer;
    wanted text[];
    ids integer[];
    names text[];
    stored text;
    ends timestamp;
    issued bigint;
BEGIN
    SELECT * INTO binding FROM trusted_deployer t WHERE t.id = deployer;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'no binding', NULL::bigint, NULL::timestamp, NULL::text[];
        RETURN;
    END IF;
    IF NOT (binding.claims::jsonb <@ matched::jsonb) THEN
        RETURN QUERY SELECT 'no match', NULL::bigint, NULL::timestamp, NULL::text[];
        RETURN;
    END IF;
    -- The row every write locks to move the change counter, first: the salt, then
    -- appends, one at a time (as version 9's chain trigger takes it).
    SELECT c.salt_fingerprint INTO stored FROM control_state c WHERE c.id = 1 FOR UPDATE;
    IF stored IS NULL THEN
        UPDATE control_state SET salt_fingerprint = fingerprint WHERE id = 1;
    ELSIF stored <> fingerprint THEN
        RETURN QUERY SELECT 'salt', NULL::bigint, NULL::timestamp, NULL::text[];
        RETURN;
    END IF;
    DELETE FROM exchanged_subject s WHERE s.expires_at < moment;
    INSERT INTO exchanged_subject (issuer, jti, expires_at)
    VALUES (binding.issuer, subject_jti, least(subject_expires, moment + interval '1 day'))
    ON CONFLICT (issuer, jti) DO NOTHING;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'replayed', NULL::bigint, NULL::timestamp, NULL::text[];
        RETURN;
    END IF;
    wanted := ARRAY(SELECT json_array_elements_text(binding.environments::json));
    SELECT coalesce(array_agg(e.id ORDER BY e.name_key), '{}'),
           coalesce(array_agg(e.name ORDER BY e.name_key), '{}')
    INTO ids, names
    FROM environment e WHERE e.project_id = binding.project_id AND e.name = ANY (wanted);
    IF cardinality(ids) <> cardinality(wanted) THEN
        RETURN QUERY SELECT 'environment gone', NULL::bigint, NULL::timestamp, NULL::text[];
        RETURN;
    END IF;
    ends := moment + make_interval(secs => binding.lifetime_seconds);
    INSERT INTO deployment_token (project_id, name, digest, preview, created_at, created_by,
                                  expires_at, deployer_id)
    VALUES (binding.project_id, binding.name, token_digest, token_preview, moment,
            session_user, ends, binding.id)
    RETURNING id INTO issued;
    INSERT INTO token_environment (token_id, environment_id)
    SELECT issued, unnest(ids);
    INSERT INTO audit_event (project_id, action, token_id, token_preview, actor, occurred_at,
                             detail)
    VALUES (binding.project_id, 'exchanged', issued, token_preview, session_user, moment,
            left(format('deployer %s (%s) matched %s; expires %s UTC; environments: %s',
                        binding.id, binding.name, binding.claims,
                        to_char(ends, 'YYYY-MM-DD HH24:MI'),
                        CASE WHEN cardinality(names) = 0 THEN 'all'
                             ELSE array_to_string(names, ', ') END), 1000));
    UPDATE trusted_deployer t SET last_exchanged_at = moment WHERE t.id = binding.id;
    UPDATE control_state SET revision = revision + 1 WHERE id = 1;
    RETURN QUERY SELECT 'issued', issued, ends, names;
END
$$;

-- 2. Removing a destination: an admin of its project. The tokens pushed there keep
-- living, no longer rotated there by rotate-due. False when there is nothing the session
-- may delete.
CREATE OR REPLACE FUNCTION dt_delete_destination(gone bigint) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    its_project integer;
BEGIN
    SELECT d.project_id INTO its_project FROM destination d WHERE d.id = gone;
    IF NOT FOUND OR dt_rank(dt_level(its_project)) < 3 THEN
        RETURN false;
    END IF;
    UPDATE deployment_token t SET destination_id = NULL
    WHERE t.project_id = its_project AND t.destination_id = gone;
    DELETE FROM destination d WHERE d.id = gone;
    RETURN FOUND;
END
$$;

CREATE OR REPLACE TRIGGER dt_created_by BEFORE INSERT ON destination
    FOR EACH ROW EXECUTE FUNCTION dt_stamp_created_by();

-- 3. Row-level security, forced on the owner too, and the policies (version 8's forms).
DO $policies$
DECLARE
    owner_name name := (SELECT pg_get_userbyid(relowner) FROM pg_class
                        WHERE oid = 'deployment_token'::regclass);
    app_schema name := current_schema();
    t text;
    existing record;
    at_least text := 'coalesce(project_id = ANY ((SELECT CASE WHEN bool_or(g.project_id IS NULL) '
                     'THEN NULL ELSE coalesce(array_agg(g.project_id), ''{}'') END '
                     'FROM %1$I.dt_my_grants g WHERE g.rank >= %2$s)::integer[]), true)';
    u text := 'deployment_tokens_user';
BEGIN
    FOREACH t IN ARRAY ARRAY['destination', 'rotation_policy'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        FOR existing IN SELECT policyname FROM pg_policies
                        WHERE schemaname = app_schema AND tablename = t LOOP
            EXECUTE format('DROP POLICY %I ON %I', existing.policyname, t);
        END LOOP;
        EXECUTE format('CREATE POLICY owner_all ON %I FOR ALL TO %I USING (true) '
                       'WITH CHECK (true)', t, owner_name);
        EXECUTE format('CREATE POLICY read ON %I FOR SELECT TO %I USING (%s)', t, u,
                       format(at_least, app_schema, 1));
        EXECUTE format('CREATE POLICY add ON %I FOR INSERT TO %I WITH CHECK (%s)', t, u,
                       format(at_least, app_schema, 3));
    END LOOP;
    EXECUTE format('CREATE POLICY pushed ON destination FOR UPDATE TO %I '
                   'USING (%2$s) WITH CHECK (%2$s)', u, format(at_least, app_schema, 2));
    EXECUTE format('CREATE POLICY change ON rotation_policy FOR UPDATE TO %I '
                   'USING (%2$s) WITH CHECK (%2$s)', u, format(at_least, app_schema, 3));
END
$policies$;

-- 4. Privileges, revoked and given again (an upgrade narrows as well as widens).
DO $privileges$
DECLARE
    app_schema name := current_schema();
    owner_name name := (SELECT pg_get_userbyid(relowner) FROM pg_class
                        WHERE oid = 'deployment_token'::regclass);
    u text := 'deployment_tokens_user';
    v text := 'deployment_tokens_verifier';
    t text;
    f regprocedure;
BEGIN
    FOREACH t IN ARRAY ARRAY['destination', 'rotation_policy'] LOOP
        EXECUTE format('REVOKE ALL ON %I FROM PUBLIC, %I, %I', t, u, v);
        EXECUTE format('GRANT SELECT ON %I TO %I', t, u);
    END LOOP;
    -- Never an id, a destination's project, name or place once written; created_by is
    -- the trigger's.
    -- (last_push_detail: its empty default, which peewee writes: the column has none.)
    EXECUTE format('GRANT INSERT (project_id, name, name_key, kind, target, created_at, '
                   'created_by, last_push_detail), UPDATE (last_push_at, last_push_outcome, '
                   'last_push_detail) ON destination TO %I', u);
    EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM PUBLIC, %I, %I',
                   pg_get_serial_sequence('destination', 'id'), u, v);
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I',
                   pg_get_serial_sequence('destination', 'id'), u);
    EXECUTE format('GRANT INSERT (project_id, rotate_before_days, grace_seconds), '
                   'UPDATE (rotate_before_days, grace_seconds) ON rotation_policy TO %I', u);
    -- Where a token was pushed: a manager's; which binding issued it: dt_exchange's.
    EXECUTE format('GRANT INSERT (destination_id), UPDATE (destination_id) '
                   'ON deployment_token TO %I', u);

    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = app_schema::regnamespace
               AND p.proname IN ('dt_delete_destination', 'dt_exchange') LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp',
                       f, app_schema);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('ALTER FUNCTION %s OWNER TO %I', f, owner_name);
    END LOOP;
    EXECUTE format('GRANT EXECUTE ON FUNCTION dt_delete_destination(bigint) TO %I', u);
    -- The exchange: no longer every verifier's (db grant-exchanger ROLE).
    EXECUTE format('REVOKE ALL ON FUNCTION dt_exchange(bigint, text, text, timestamp, text, '
                   'text, text) FROM %I', v);
END
$privileges$;
