-- Deployment Tokens: trusted deployers on PostgreSQL, schema version 11 (frozen, as every
-- migration is). Run by app.store.migrations as the tables' owner (or a superuser, who
-- acts as the owner below), after version 11 made the tables themselves, in one
-- transaction with the version's bump. Idempotent, like version 8's script.
--
-- Who may do what (README, "Trusted deployers (OIDC)"; ARCHITECTURE.md):
--   * trusted_deployer (the bindings): read by viewers of its project and by the
--     verification service's group; added by an admin of the project; removed through
--     dt_delete_deployer, which checks the same (no client holds DELETE: with it, any
--     member could LOCK the table). No client updates a binding: its last exchange is
--     dt_exchange's to write.
--   * exchanged_subject (the subject tokens' issuer and jti, until they expire): no
--     client reads or writes it; dt_exchange alone does.
--   * dt_exchange: the one way the verification service's role (which inserts nothing
--     itself, app/store/verifier_role.py) issues a token. SECURITY DEFINER with a fixed
--     search path. The service has checked the JWT (the database cannot); the function
--     issues only what the binding allows: the binding's project, name, environments and
--     lifetime on the server's clock, never the caller's; the claims the caller says
--     matched must include every claim the binding requires; a (issuer, jti) is taken
--     once until it expires, across every worker and instance; the token's row, its
--     "exchanged" event and the change counter in one transaction.
--   * dt_require_audit (version 9) accepts "exchanged" as the event of a token's INSERT.

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

-- 1. Version 9's check that a token is audited, with "exchanged" as an INSERT's event;
-- the rest as version 9 left it.
CREATE OR REPLACE FUNCTION dt_require_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    token deployment_token := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    needed text;
BEGIN
    FOREACH needed IN ARRAY (CASE
        WHEN TG_OP = 'INSERT' THEN ARRAY['generated|exchanged']
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

-- 2. Removing a binding: an admin of its project. False when there is nothing the
-- session may delete.
CREATE OR REPLACE FUNCTION dt_delete_deployer(deployer bigint) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    its_project integer;
BEGIN
    SELECT t.project_id INTO its_project FROM trusted_deployer t WHERE t.id = deployer;
    IF NOT FOUND OR dt_rank(dt_level(its_project)) < 3 THEN
        RETURN false;
    END IF;
    DELETE FROM trusted_deployer t WHERE t.id = deployer;
    RETURN FOUND;
END
$$;

-- 3. The exchange. outcome: 'issued' (with the token's id, end and environments),
-- 'no binding' (removed meanwhile), 'no match' (the claims do not include the
-- binding's), 'salt' (another salt made this database's tokens), 'replayed' (this
-- issuer's jti was exchanged before), 'environment gone' (one of the binding's
-- environments was removed since).
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
                                  expires_at)
    VALUES (binding.project_id, binding.name, token_digest, token_preview, moment,
            session_user, ends)
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

CREATE OR REPLACE TRIGGER dt_created_by BEFORE INSERT ON trusted_deployer
    FOR EACH ROW EXECUTE FUNCTION dt_stamp_created_by();

-- 4. Row-level security, forced on the owner too, and the policies (version 8's forms).
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
    v text := 'deployment_tokens_verifier';
BEGIN
    FOREACH t IN ARRAY ARRAY['trusted_deployer', 'exchanged_subject'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        FOR existing IN SELECT policyname FROM pg_policies
                        WHERE schemaname = app_schema AND tablename = t LOOP
            EXECUTE format('DROP POLICY %I ON %I', existing.policyname, t);
        END LOOP;
        EXECUTE format('CREATE POLICY owner_all ON %I FOR ALL TO %I USING (true) '
                       'WITH CHECK (true)', t, owner_name);
    END LOOP;
    EXECUTE format('CREATE POLICY read ON trusted_deployer FOR SELECT TO %I USING (%s)', u,
                   format(at_least, app_schema, 1));
    EXECUTE format('CREATE POLICY add ON trusted_deployer FOR INSERT TO %I WITH CHECK (%s)',
                   u, format(at_least, app_schema, 3));
    EXECUTE format('CREATE POLICY verify_read ON trusted_deployer FOR SELECT TO %I '
                   'USING (true)', v);
END
$policies$;

-- 5. Privileges, revoked and given again (an upgrade narrows as well as widens).
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
    FOREACH t IN ARRAY ARRAY['trusted_deployer', 'exchanged_subject'] LOOP
        EXECUTE format('REVOKE ALL ON %I FROM PUBLIC, %I, %I', t, u, v);
        EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM PUBLIC, %I, %I',
                       pg_get_serial_sequence(t, 'id'), u, v);
    END LOOP;
    EXECUTE format('GRANT SELECT ON trusted_deployer TO %I, %I', u, v);
    -- Never an id, a last exchange; created_by is the trigger's.
    EXECUTE format('GRANT INSERT (project_id, name, issuer, audience, claims, environments, '
                   'lifetime_seconds, created_at, created_by) ON trusted_deployer TO %I', u);
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I',
                   pg_get_serial_sequence('trusted_deployer', 'id'), u);

    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = app_schema::regnamespace
               AND p.proname IN ('dt_delete_deployer', 'dt_exchange', 'dt_require_audit') LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp',
                       f, app_schema);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('ALTER FUNCTION %s OWNER TO %I', f, owner_name);
    END LOOP;
    EXECUTE format('GRANT EXECUTE ON FUNCTION dt_delete_deployer(bigint) TO %I', u);
    EXECUTE format('GRANT EXECUTE ON FUNCTION dt_exchange(bigint, text, text, timestamp, text, '
                   'text, text) TO %I', v);
END
$privileges$;
