-- Deployment Tokens: access control on PostgreSQL, schema version 8 (frozen, as every
-- migration is: a later change is a later migration).
--
-- Run by app.store.migrations inside its transaction and advisory lock, by the database's
-- owner (or a superuser, who acts as the owner below), on a schema at version 7.
-- Idempotent: every object created with IF NOT EXISTS / OR REPLACE, every policy dropped
-- and made again, every grant revoked and given again. Safe to run twice, and on a
-- database where everyone used the owner role until now (the owner stays admin of
-- everything).
--
-- Design (ARCHITECTURE.md, "Access control on PostgreSQL"):
--   * access_grant (role, project or NULL = all projects, level): granted to nobody.
--     The policies read the session's own grants through dt_my_grants, a
--     security-barrier view owned by the owner, planned inline (cheaper than calling a
--     SECURITY DEFINER helper from each policy: 33 against 38 us a lookup, measured);
--     the app asks SECURITY DEFINER functions (dt_level, dt_whoami, dt_project_admins,
--     dt_access_list, dt_grant, dt_revoke).
--   * Levels follow session_user (the login), never current_user: SET ROLE can neither
--     gain nor shed a level. Grants to a role count for its members (pg_has_role).
--   * deployment_tokens_user (NOLOGIN): the table privileges every person needs;
--     access grant makes a login a member (and access revoke leaves it one: memberships
--     are the cluster's). deployment_tokens_verifier (NOLOGIN): what db grant-verifier's
--     role needs through RLS (reads, nothing else). Any login may SELECT, and RLS shows
--     it no row but control_state's: a login with no level finds every project unknown.
--   * ENABLE + FORCE RLS on every table; policies TO those groups and TO the owner
--     (and control_state's read policy TO PUBLIC).
--   * The actor (created_by, actor) is session_user, set by BEFORE INSERT triggers.
--   * audit_event: INSERT and SELECT only; UPDATE, DELETE and TRUNCATE refused by
--     privileges, by the absence of policies and by triggers (the owner included);
--     rows go only with their project (ON DELETE CASCADE).

-- 0. Preconditions, and the group roles (global objects: created once per cluster).
DO $setup$
DECLARE
    owner_name name;
    group_role text;
    -- What this role could not do itself, for the message below.
    to_create text[] := '{}';
    to_grant text[] := '{}';
BEGIN
    IF to_regclass('deployment_token') IS NULL OR to_regclass('schema_version') IS NULL THEN
        RAISE EXCEPTION 'no Deployment Tokens schema on the search path: run the app''s '
            'migrations (db setup) first' USING ERRCODE = 'undefined_table';
    END IF;
    -- Versions 1 to 7 ran before this, in the same transaction (schema_version says
    -- the old version until the end of it).
    SELECT pg_get_userbyid(relowner) INTO owner_name FROM pg_class
    WHERE oid = 'deployment_token'::regclass;
    IF current_user <> owner_name
       AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'run this as the tables'' owner (%) or a superuser, not %',
            owner_name, current_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOREACH group_role IN ARRAY ARRAY['deployment_tokens_user', 'deployment_tokens_verifier']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = group_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', group_role);
            EXCEPTION WHEN insufficient_privilege THEN
                to_create := to_create || group_role;
                to_grant := to_grant || group_role;
                CONTINUE;
            END;
        END IF;
        -- The owner grants membership from access grant (a SECURITY DEFINER function):
        -- on PostgreSQL 15 that takes ADMIN OPTION on the group (or CREATEROLE, which
        -- could grant any role: more than needed); on 16+ CREATEROLE alone no longer does.
        IF NOT pg_has_role(owner_name, group_role, 'MEMBER WITH ADMIN OPTION') THEN
            BEGIN
                EXECUTE format('GRANT %I TO %I WITH ADMIN OPTION', group_role, owner_name);
            EXCEPTION WHEN insufficient_privilege OR invalid_grant_operation THEN
                to_grant := to_grant || group_role;
            END;
        END IF;
    END LOOP;
    -- One message with every statement a superuser runs once (README, "Team set-up",
    -- step 1), on one line: the app shows the message alone, without a HINT. Not
    -- insufficient_privilege, which the app reads as a level this role lacks: the
    -- database is not ready yet (db setup exits 2, "cannot run").
    IF cardinality(to_grant) > 0 THEN
        RAISE EXCEPTION '% may not create or hand out the roles access control needs; a '
            'superuser runs once: %GRANT % TO % WITH ADMIN OPTION; then run db setup again',
            owner_name,
            coalesce((SELECT string_agg(format('CREATE ROLE %I NOLOGIN; ', r), '')
                      FROM unnest(to_create) r), ''),
            (SELECT string_agg(format('%I', r), ', ') FROM unnest(to_grant) r),
            quote_ident(owner_name)
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    -- Everything below is created by, and owned by, the tables' owner, even when a
    -- superuser runs the script: SECURITY DEFINER functions must run as the owner.
    IF current_user <> owner_name THEN
        EXECUTE format('SET LOCAL ROLE %I', owner_name);
    END IF;
    -- The app's schema first (where new objects go), then the catalogue, temp last.
    PERFORM set_config('search_path',
        format('%I, pg_catalog, pg_temp', (SELECT n.nspname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.oid = 'deployment_token'::regclass)), true);
END
$setup$;

-- A SECURITY DEFINER function's search path must hold no schema a client can write to.
DO $schema$
DECLARE app_schema name := current_schema();
BEGIN
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', app_schema);
END
$schema$;

-- 1. The grants table.
CREATE TABLE IF NOT EXISTS access_grant (
    id bigserial PRIMARY KEY,
    -- An OID: a role renamed keeps its grants; a role dropped and made again under the
    -- same name does not inherit them. pg_dump writes it out by name.
    role_id regrole NOT NULL,
    -- NULL: every project, present and future.
    project_id integer REFERENCES project (id) ON DELETE CASCADE,
    level text NOT NULL CHECK (level IN ('viewer', 'manager', 'admin')),
    -- The level as a number, for the helpers' comparisons (no function call per row).
    rank smallint NOT NULL GENERATED ALWAYS AS
        (CASE level WHEN 'viewer' THEN 1 WHEN 'manager' THEN 2 ELSE 3 END) STORED,
    granted_by text NOT NULL DEFAULT session_user,
    granted_at timestamp NOT NULL DEFAULT (statement_timestamp() AT TIME ZONE 'UTC')
);
CREATE UNIQUE INDEX IF NOT EXISTS access_grant_role_project
    ON access_grant (role_id, coalesce(project_id, 0));
CREATE INDEX IF NOT EXISTS access_grant_project ON access_grant (project_id);

-- 2. Helpers. Every one: SET search_path (fixed below to pg_catalog, <schema>, pg_temp),
-- and plpgsql rather than sql where it runs often: a non-inlined SQL function (and a
-- SECURITY DEFINER or SET one is never inlined) is parsed and planned on every call,
-- where plpgsql keeps its plans for the session. In a SECURITY DEFINER function
-- current_user is the function's owner, which this script makes the tables' owner: "is
-- the session the owner" is pg_has_role(session_user, current_user), with no query.
CREATE OR REPLACE FUNCTION dt_rank(level text) RETURNS integer
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT
AS $$ BEGIN RETURN CASE level WHEN 'viewer' THEN 1 WHEN 'manager' THEN 2
                              WHEN 'admin' THEN 3 ELSE 0 END; END $$;

CREATE OR REPLACE FUNCTION dt_level_name(rank integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path FROM CURRENT
AS $$ BEGIN RETURN CASE rank WHEN 1 THEN 'viewer' WHEN 2 THEN 'manager'
                             WHEN 3 THEN 'admin' END; END $$;

-- Whether the session's login is the tables' owner (or a member of it, or a superuser):
-- admin of everything.
CREATE OR REPLACE FUNCTION dt_session_is_owner() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
    RETURN pg_has_role(session_user, current_user, 'MEMBER');  -- current_user: the owner
END
$$;

-- The session's rank on every project (3 for the owner; 0: none).
CREATE OR REPLACE FUNCTION dt_global_rank() RETURNS integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
    IF pg_has_role(session_user, current_user, 'MEMBER') THEN  -- current_user: the owner
        RETURN 3;
    END IF;
    RETURN coalesce((SELECT max(g.rank) FROM access_grant g
                     WHERE g.project_id IS NULL
                       AND pg_has_role(session_user, g.role_id, 'MEMBER')), 0);
END
$$;

-- What the policies ask, once per statement (each call sits in a scalar subquery: an
-- InitPlan): the projects the session has min_rank or more on. NULL means every
-- project (an all-projects grant, or the owner); otherwise an array without NULLs, so
-- that "coalesce(project_id = ANY (scope), true)" is true exactly for those projects
-- (project_id is NOT NULL in every table it is used on).
CREATE OR REPLACE FUNCTION dt_scope(min_rank integer) RETURNS integer[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    global_rank integer := 0;
    projects integer[];
BEGIN
    IF pg_has_role(session_user, current_user, 'MEMBER') THEN  -- current_user: the owner
        RETURN NULL;
    END IF;
    SELECT coalesce(max(g.rank) FILTER (WHERE g.project_id IS NULL), 0),
           coalesce(array_agg(DISTINCT g.project_id)
                    FILTER (WHERE g.project_id IS NOT NULL AND g.rank >= min_rank), '{}')
      INTO global_rank, projects
      FROM access_grant g
     WHERE pg_has_role(session_user, g.role_id, 'MEMBER');
    IF global_rank >= min_rank THEN
        RETURN NULL;
    END IF;
    RETURN projects;
END
$$;

-- The project a token and an environment share, or NULL (a new token_environment row).
CREATE OR REPLACE FUNCTION dt_token_environment_project(token integer, environment integer)
RETURNS integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    its_project integer := (SELECT t.project_id FROM deployment_token t JOIN environment e
                            ON e.project_id = t.project_id
                            WHERE t.id = token AND e.id = environment);
BEGIN
    -- Nothing about a project the session may not change: the function runs as the
    -- owner, and would otherwise tell anyone which project a token id belongs to.
    IF its_project IS NULL OR dt_rank(dt_level(its_project)) < 2 THEN
        RETURN NULL;
    END IF;
    RETURN its_project;
END
$$;

-- The session's highest rank anywhere (control_state: who may move the change counter).
CREATE OR REPLACE FUNCTION dt_max_rank() RETURNS integer
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
    IF pg_has_role(session_user, current_user, 'MEMBER') THEN  -- current_user: the owner
        RETURN 3;
    END IF;
    RETURN coalesce((SELECT max(g.rank) FROM access_grant g
                     WHERE pg_has_role(session_user, g.role_id, 'MEMBER')), 0);
END
$$;

-- The session's effective level on a project: 'viewer', 'manager', 'admin' or NULL.
-- What the app asks before a write, to say "needs manager on project X".
CREATE OR REPLACE FUNCTION dt_level(project integer) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
    IF pg_has_role(session_user, current_user, 'MEMBER') THEN  -- current_user: the owner
        RETURN 'admin';
    END IF;
    RETURN dt_level_name((SELECT max(g.rank) FROM access_grant g
                          WHERE (g.project_id IS NULL OR g.project_id = project)
                            AND pg_has_role(session_user, g.role_id, 'MEMBER')));
END
$$;

-- The session's level on all projects, or NULL (whoami; who may add projects).
CREATE OR REPLACE FUNCTION dt_global_level() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
AS $$ BEGIN RETURN dt_level_name(dt_global_rank()); END $$;

-- The session's own grants (those of its login and of the roles it is a member of):
-- what the policies read, inline. A view owned by the owner, so access_grant itself is
-- granted to nobody; security_barrier, so that no function of the caller sees a row
-- before the filter does. Planned into each query (a hashed subplan or an InitPlan,
-- once per statement): no function call, no SPI, unlike a SECURITY DEFINER helper
-- (measured, server side: a verify lookup +23 µs through this view, +28 µs through
-- helpers; a generate's statements +240 µs and +570 µs).
CREATE OR REPLACE VIEW dt_my_grants WITH (security_barrier) AS
    SELECT g.project_id, g.rank, g.level FROM access_grant g
    WHERE pg_has_role(session_user, g.role_id, 'MEMBER');

-- whoami: the session's login and its level on every project it may see, by name
-- (project NULL: the all-projects level).
CREATE OR REPLACE FUNCTION dt_whoami()
RETURNS TABLE (role text, project_id integer, project text, level text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE global_level text := dt_global_level();
BEGIN
    IF global_level IS NOT NULL THEN
        RETURN QUERY SELECT session_user::text, NULL::integer, NULL::text, global_level;
    END IF;
    RETURN QUERY
        SELECT session_user::text, p.id, p.name::text, dt_level(p.id) FROM project p
        WHERE dt_level(p.id) IS NOT NULL AND dt_level(p.id) IS DISTINCT FROM global_level
        ORDER BY p.name_key;
END
$$;

-- Who the admins of a project are, for anyone who may see it (the GUI's tooltip):
-- named admins, all-projects admins, and the owner. Empty for a project the session
-- may not see: it reads as unknown.
CREATE OR REPLACE FUNCTION dt_project_admins(project integer)
RETURNS TABLE (role text, scope text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
    IF dt_level(project) IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT g.role_id::text, CASE WHEN g.project_id IS NULL THEN 'all projects'
                                     ELSE 'project' END
        FROM access_grant g JOIN pg_roles r ON r.oid = g.role_id
        WHERE g.level = 'admin' AND (g.project_id IS NULL OR g.project_id = project)
        UNION ALL
        SELECT pg_get_userbyid(relowner)::text, 'owner' FROM pg_class
        WHERE oid = 'access_grant'::regclass
        ORDER BY 2, 1;
END
$$;

-- access list: the grants the session may see: every grant on the projects it is admin
-- of (all of them for an all-projects admin), the all-projects grants (levels on those
-- projects too) to an admin of the project asked about, or of any project when none is,
-- and its own.
CREATE OR REPLACE FUNCTION dt_access_list(project integer DEFAULT NULL)
RETURNS TABLE (role text, project_id integer, project_name text, level text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE is_global_admin boolean := dt_global_rank() >= 3;
BEGIN
    RETURN QUERY
        SELECT g.role_id::text, g.project_id, p.name::text, g.level
        FROM access_grant g LEFT JOIN project p ON p.id = g.project_id
        WHERE (dt_access_list.project IS NULL OR g.project_id = dt_access_list.project
               OR g.project_id IS NULL)
          AND EXISTS (SELECT 1 FROM pg_roles r WHERE r.oid = g.role_id)
          AND (is_global_admin
               OR pg_has_role(session_user, g.role_id, 'MEMBER')
               OR (g.project_id IS NOT NULL AND dt_level(g.project_id) = 'admin')
               OR (g.project_id IS NULL AND CASE WHEN dt_access_list.project IS NULL
                                                 THEN dt_max_rank() >= 3
                                                 ELSE dt_level(dt_access_list.project) = 'admin'
                                            END))
        ORDER BY p.name_key NULLS FIRST, 1;
END
$$;

-- access grant ROLE (--project | --all-projects) --as LEVEL. The caller must be admin
-- of that project (of all projects for NULL). Makes the role a member of
-- deployment_tokens_user, which holds the table privileges.
CREATE OR REPLACE FUNCTION dt_grant(role_name text, project integer, level text)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    grantee oid;
    shown text;
BEGIN
    IF dt_rank(level) = 0 THEN
        RAISE EXCEPTION 'a level is viewer, manager or admin, not %', level
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM dt_require_admin(project);
    SELECT oid INTO grantee FROM pg_roles WHERE rolname = role_name;
    IF grantee IS NULL THEN
        RAISE EXCEPTION 'role "%" does not exist', role_name USING ERRCODE = 'undefined_object';
    END IF;
    IF role_name IN ('deployment_tokens_user', 'deployment_tokens_verifier')
       OR pg_has_role(grantee, (SELECT relowner FROM pg_class
                                WHERE oid = 'access_grant'::regclass), 'MEMBER') THEN
        RAISE EXCEPTION 'role "%" cannot be given a level (a group of this app, or the owner, '
            'who is admin of everything)', role_name USING ERRCODE = 'invalid_grant_operation';
    END IF;
    -- A verify-only role (db grant-verifier) reads every row to verify: a level would
    -- give the verification service's credential a person's writes as well.
    IF pg_has_role(grantee, 'deployment_tokens_verifier', 'MEMBER') THEN
        RAISE EXCEPTION 'role "%" is a verify-only role (db grant-verifier): give levels to '
            'people''s own login roles', role_name USING ERRCODE = 'invalid_grant_operation';
    END IF;
    INSERT INTO access_grant AS g (role_id, project_id, level)
    VALUES (grantee, project, level)
    ON CONFLICT (role_id, coalesce(project_id, 0))
    DO UPDATE SET level = excluded.level, granted_by = session_user,
                  granted_at = statement_timestamp() AT TIME ZONE 'UTC';
    IF NOT pg_has_role(grantee, 'deployment_tokens_user', 'MEMBER') THEN
        EXECUTE format('GRANT deployment_tokens_user TO %I', role_name);
    END IF;
END
$$;

-- access revoke ROLE (--project | --all-projects). The role stays a member of
-- deployment_tokens_user: a membership is the cluster's, and the role may hold levels in
-- another database of it (taking it away here would take those away too). A member
-- with no level sees no row and may change none, as a login that never had one.
CREATE OR REPLACE FUNCTION dt_revoke(role_name text, project integer)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    grantee oid;
    removed integer;
BEGIN
    PERFORM dt_require_admin(project);
    SELECT oid INTO grantee FROM pg_roles WHERE rolname = role_name;
    IF grantee IS NULL THEN
        RAISE EXCEPTION 'role "%" does not exist', role_name USING ERRCODE = 'undefined_object';
    END IF;
    DELETE FROM access_grant g WHERE g.role_id = grantee
        AND g.project_id IS NOT DISTINCT FROM project;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RETURN removed > 0;
END
$$;

-- Refuse unless the session is admin of the project (NULL: of all projects). A project
-- the session may not see reads as unknown.
CREATE OR REPLACE FUNCTION dt_require_admin(project integer) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    name_shown text;
BEGIN
    IF project IS NULL THEN
        IF dt_global_rank() < 3 THEN
            RAISE EXCEPTION 'needs admin on all projects' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN;
    END IF;
    SELECT p.name INTO name_shown FROM project p WHERE p.id = project;
    IF name_shown IS NULL OR dt_level(project) IS NULL THEN
        RAISE EXCEPTION 'no project with id %', project USING ERRCODE = 'no_data_found';
    END IF;
    IF dt_level(project) <> 'admin' THEN
        RAISE EXCEPTION 'needs admin on project "%"', name_shown
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

-- The use record (schema version 7's function, replaced with one check added). The
-- verify-only role and the owner record any token's use, as before; a person who
-- verifies (deployment-tokens verify with their own login) records the use of a token
-- of a project they may see, and of no other: the function runs as the owner, past RLS,
-- so it must not let anyone touch, or learn of, another project's token. The check
-- costs nothing on the verify path of the verifier role (it comes first), and runs only
-- when a use is recorded (at most once a minute a token).
CREATE OR REPLACE FUNCTION record_token_use(used_token_id bigint)
RETURNS boolean
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path FROM CURRENT
SET lock_timeout = '5s'
AS $body$
DECLARE
    moment timestamp := statement_timestamp() AT TIME ZONE 'UTC';
    scope integer[];
BEGIN
    IF NOT pg_has_role(session_user, 'deployment_tokens_verifier', 'MEMBER') THEN
        scope := dt_scope(1);
        IF scope IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deployment_token
                                             WHERE id = used_token_id
                                               AND project_id = ANY (scope)) THEN
            RETURN false;
        END IF;
    END IF;
    UPDATE deployment_token SET last_used_at = moment
    WHERE id = used_token_id
      AND (last_used_at IS NULL OR last_used_at <= moment - interval '1 minute');
    IF FOUND THEN
        UPDATE control_state SET revision = revision + 1 WHERE id = 1;
        RETURN true;
    END IF;
    -- False when the token is gone: revoked since the verifier read it.
    RETURN EXISTS (SELECT 1 FROM deployment_token WHERE id = used_token_id);
END
$body$;

-- Deletes, through these only: a table-level DELETE privilege would let any member, a
-- viewer too, LOCK the whole table (PostgreSQL asks LOCK for table-level UPDATE, DELETE
-- or TRUNCATE, where row-level security does not reach) and so stop every write. Each
-- checks the session's level on the row's project, as the policies did, and deletes as
-- the owner; false when there is nothing the session may delete (as row-level security
-- would touch no row), the app explaining why first (Context.require).
CREATE OR REPLACE FUNCTION dt_delete_token(token bigint) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    its_project integer := (SELECT project_id FROM deployment_token WHERE id = token);
BEGIN
    IF its_project IS NULL OR dt_rank(dt_level(its_project)) < 2 THEN
        RETURN false;
    END IF;
    DELETE FROM deployment_token WHERE id = token;
    RETURN FOUND;
END
$$;

CREATE OR REPLACE FUNCTION dt_clear_token_environments(token bigint) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    its_project integer := (SELECT project_id FROM deployment_token WHERE id = token);
BEGIN
    IF its_project IS NULL OR dt_rank(dt_level(its_project)) < 2 THEN
        RETURN false;
    END IF;
    DELETE FROM token_environment WHERE token_id = token;
    RETURN true;
END
$$;

CREATE OR REPLACE FUNCTION dt_delete_environment(environment integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    its_project integer := (SELECT e.project_id FROM environment e WHERE e.id = environment);
BEGIN
    IF its_project IS NULL OR dt_rank(dt_level(its_project)) < 3 THEN
        RETURN false;
    END IF;
    DELETE FROM environment e WHERE e.id = environment;
    RETURN FOUND;
END
$$;

-- Everything of the project goes with it, by its foreign keys' cascades: its tokens,
-- their environments, its environments, revoked tokens, grants and audit trail.
CREATE OR REPLACE FUNCTION dt_delete_project(project integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
    IF dt_rank(dt_level(project)) < 3 THEN
        RETURN false;
    END IF;
    DELETE FROM project p WHERE p.id = project;
    RETURN FOUND;
END
$$;

-- An introspection client or a revocation key: an all-projects admin's.
CREATE OR REPLACE FUNCTION dt_delete_holder(kind text, holder integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path FROM CURRENT
AS $$
DECLARE
    deleted integer;
BEGIN
    IF kind NOT IN ('introspection_client', 'revocation_key') OR dt_global_rank() < 3 THEN
        RETURN false;
    END IF;
    EXECUTE format('DELETE FROM %I WHERE id = $1', kind) USING holder;
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted > 0;
END
$$;

-- 3. Triggers: what the database fills in or refuses, whatever the client sends.
CREATE OR REPLACE FUNCTION dt_stamp_created_by() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT
AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        NEW.created_by := OLD.created_by;
    ELSE
        NEW.created_by := session_user;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION dt_stamp_actor() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT
AS $$
BEGIN
    NEW.actor := session_user;
    RETURN NEW;
END
$$;

-- The audit trail is append-only for everyone, the owner included; its rows go only
-- with their project (the ON DELETE CASCADE of a project's deletion, which runs after
-- the project's row is gone). SECURITY DEFINER so that the check sees every project.
CREATE OR REPLACE FUNCTION dt_audit_append_only() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT
AS $$
BEGIN
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM project WHERE id = OLD.project_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- A project's name and policy are admin's; the counter of default names is manager's
-- (generate moves it). RLS cannot tell columns apart, so this trigger does.
CREATE OR REPLACE FUNCTION dt_project_admin_columns() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT
AS $$
BEGIN
    IF (NEW.name, NEW.name_key, NEW.default_lifetime_hours, NEW.max_lifetime_hours,
        NEW.allow_no_expiry) IS DISTINCT FROM
       (OLD.name, OLD.name_key, OLD.default_lifetime_hours, OLD.max_lifetime_hours,
        OLD.allow_no_expiry)
       AND dt_level(OLD.id) IS DISTINCT FROM 'admin' THEN
        RAISE EXCEPTION 'needs admin on project "%"', OLD.name
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

-- The shared row: the salt's fingerprint is claimed once (changed later only by an
-- all-projects admin), and the change counter only goes up.
CREATE OR REPLACE FUNCTION dt_control_state_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT
AS $$
BEGIN
    -- One step at a time: a client that could set it anywhere could set it to the
    -- largest bigint, after which every write (which moves it) would fail.
    IF NEW.revision IS DISTINCT FROM OLD.revision AND NEW.revision <> OLD.revision + 1 THEN
        RAISE EXCEPTION 'the change counter only moves up by one'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.salt_fingerprint IS NOT NULL
       AND NEW.salt_fingerprint IS DISTINCT FROM OLD.salt_fingerprint
       AND dt_global_rank() < 3 THEN
        RAISE EXCEPTION 'needs admin on all projects to change the salt''s fingerprint'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER dt_created_by BEFORE INSERT ON deployment_token
    FOR EACH ROW EXECUTE FUNCTION dt_stamp_created_by();
CREATE OR REPLACE TRIGGER dt_created_by_kept BEFORE UPDATE OF created_by ON deployment_token
    FOR EACH ROW EXECUTE FUNCTION dt_stamp_created_by();
CREATE OR REPLACE TRIGGER dt_created_by BEFORE INSERT ON introspection_client
    FOR EACH ROW EXECUTE FUNCTION dt_stamp_created_by();
CREATE OR REPLACE TRIGGER dt_created_by_kept BEFORE UPDATE OF created_by ON introspection_client
    FOR EACH ROW EXECUTE FUNCTION dt_stamp_created_by();
CREATE OR REPLACE TRIGGER dt_created_by BEFORE INSERT ON revocation_key
    FOR EACH ROW EXECUTE FUNCTION dt_stamp_created_by();
CREATE OR REPLACE TRIGGER dt_created_by_kept BEFORE UPDATE OF created_by ON revocation_key
    FOR EACH ROW EXECUTE FUNCTION dt_stamp_created_by();
CREATE OR REPLACE TRIGGER dt_actor BEFORE INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION dt_stamp_actor();
CREATE OR REPLACE TRIGGER dt_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION dt_audit_append_only();
CREATE OR REPLACE TRIGGER dt_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION dt_audit_append_only();
CREATE OR REPLACE TRIGGER dt_admin_columns
    BEFORE UPDATE OF name, name_key, default_lifetime_hours, max_lifetime_hours,
                     allow_no_expiry ON project
    FOR EACH ROW EXECUTE FUNCTION dt_project_admin_columns();
CREATE OR REPLACE TRIGGER dt_guard BEFORE UPDATE ON control_state
    FOR EACH ROW EXECUTE FUNCTION dt_control_state_guard();

-- 4. Row-level security, forced on the owner too, and the policies.
DO $policies$
DECLARE
    owner_name name := (SELECT pg_get_userbyid(relowner) FROM pg_class
                        WHERE oid = 'deployment_token'::regclass);
    app_schema name := current_schema();
    tables text[] := ARRAY['project', 'deployment_token', 'environment', 'token_environment',
                           'audit_event', 'revoked_token', 'control_state',
                           'introspection_client', 'revocation_key', 'access_grant'];
    t text;
    existing record;
    -- "the session has at least rank R on the project in column C": one InitPlan (once
    -- per statement) makes the session's projects at that rank an array, or NULL for
    -- an all-projects grant; coalesce(col = ANY (array), true) is then true exactly for
    -- those projects (the columns are NOT NULL, and the array holds no NULL). The
    -- owner's own policy is a constant true, which the planner folds with these:
    -- nothing is evaluated for the owner.
    at_least text := 'coalesce(%3$s = ANY ((SELECT CASE WHEN bool_or(g.project_id IS NULL) '
                     'THEN NULL ELSE coalesce(array_agg(g.project_id), ''{}'') END '
                     'FROM %1$I.dt_my_grants g WHERE g.rank >= %2$s)::integer[]), true)';
    viewer text;
    manager text;
    admin text;
    everywhere text := 'EXISTS (SELECT 1 FROM %1$I.dt_my_grants g WHERE g.project_id IS NULL '
                       'AND g.rank >= %2$s)';
    u text := 'deployment_tokens_user';
    v text := 'deployment_tokens_verifier';
BEGIN
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        FOR existing IN SELECT policyname FROM pg_policies
                        WHERE schemaname = app_schema AND tablename = t LOOP
            EXECUTE format('DROP POLICY %I ON %I', existing.policyname, t);
        END LOOP;
        -- The owner: admin of everything (constant true: nothing to evaluate per row).
        IF t = 'audit_event' THEN
            EXECUTE format('CREATE POLICY owner_read ON %I FOR SELECT TO %I USING (true)',
                           t, owner_name);
            EXECUTE format('CREATE POLICY owner_append ON %I FOR INSERT TO %I '
                           'WITH CHECK (true)', t, owner_name);
        ELSE
            EXECUTE format('CREATE POLICY owner_all ON %I FOR ALL TO %I USING (true) '
                           'WITH CHECK (true)', t, owner_name);
        END IF;
    END LOOP;

    viewer := format(at_least, app_schema, 1, 'project_id');
    manager := format(at_least, app_schema, 2, 'project_id');
    admin := format(at_least, app_schema, 3, 'project_id');

    -- project: see it as a viewer; move its default-name counter as a manager (the
    -- admin's columns are the trigger's); add one as an all-projects admin. No client
    -- deletes a row of any table itself: dt_delete_* do, checking the level.
    EXECUTE format('CREATE POLICY read ON project FOR SELECT TO %I USING (%s)',
                   u, format(at_least, app_schema, 1, 'id'));
    EXECUTE format('CREATE POLICY add ON project FOR INSERT TO %I WITH CHECK (%s)',
                   u, format(everywhere, app_schema, 3));
    EXECUTE format('CREATE POLICY change ON project FOR UPDATE TO %I USING (%s) WITH CHECK (%s)',
                   u, format(at_least, app_schema, 2, 'id'), format(at_least, app_schema, 2, 'id'));

    -- Tokens: viewers read; managers generate, rotate, rename, change expiry, revoke.
    EXECUTE format('CREATE POLICY read ON deployment_token FOR SELECT TO %I USING (%s)', u, viewer);
    EXECUTE format('CREATE POLICY add ON deployment_token FOR INSERT TO %I WITH CHECK (%s)',
                   u, manager);
    EXECUTE format('CREATE POLICY change ON deployment_token FOR UPDATE TO %I USING (%s) '
                   'WITH CHECK (%s)', u, manager, manager);

    -- A token's environments, through the environment (whose own policy applies in the
    -- subquery): a token and its environments are of one project, checked on INSERT.
    -- No subquery on deployment_token: the planner may hash every visible token for it.
    EXECUTE format('CREATE POLICY read ON token_environment FOR SELECT TO %I USING '
                   '(environment_id = ANY (coalesce((SELECT array_agg(e.id) '
                   'FROM %I.environment e), ''{}'')))', u, app_schema);
    EXECUTE format('CREATE POLICY add ON token_environment FOR INSERT TO %I WITH CHECK '
                   '(%2$I.dt_token_environment_project(token_id, environment_id) IS NOT NULL '
                   'AND environment_id = ANY (coalesce((SELECT array_agg(e.id) '
                   'FROM %2$I.environment e WHERE %3$s), ''{}'')))',
                   u, app_schema, format(at_least, app_schema, 2, 'e.project_id'));

    -- Environments: viewers read, admins add and remove.
    EXECUTE format('CREATE POLICY read ON environment FOR SELECT TO %I USING (%s)', u, viewer);
    EXECUTE format('CREATE POLICY add ON environment FOR INSERT TO %I WITH CHECK (%s)', u, admin);

    -- The audit trail: viewers read; whoever may write (manager and up) appends. No
    -- UPDATE or DELETE policy for anyone.
    EXECUTE format('CREATE POLICY read ON audit_event FOR SELECT TO %I USING (%s)', u, viewer);
    EXECUTE format('CREATE POLICY append ON audit_event FOR INSERT TO %I WITH CHECK (%s)',
                   u, manager);

    -- Revoked tokens (by digest, for leak reports): managers add as they revoke; admins
    -- remove them with their project.
    EXECUTE format('CREATE POLICY read ON revoked_token FOR SELECT TO %I USING (%s)', u, viewer);
    EXECUTE format('CREATE POLICY add ON revoked_token FOR INSERT TO %I WITH CHECK (%s)',
                   u, manager);

    -- The shared row: everyone reads it (the salt check, the window's change watch), a
    -- login with no level too (without the row, the salt check would take the salt for
    -- unclaimed and try to claim it: "permission denied" where the project is unknown);
    -- anyone who may write somewhere moves the counter and claims the salt.
    EXECUTE 'CREATE POLICY read ON control_state FOR SELECT TO PUBLIC USING (true)';
    EXECUTE format('CREATE POLICY change ON control_state FOR UPDATE TO %I USING (%2$s) '
                   'WITH CHECK (%2$s)', u,
                   format('EXISTS (SELECT 1 FROM %I.dt_my_grants g WHERE g.rank >= 2)', app_schema));

    -- Global secrets holders: listed by anyone with a level on all projects, added and
    -- revoked by an all-projects admin.
    FOREACH t IN ARRAY ARRAY['introspection_client', 'revocation_key'] LOOP
        EXECUTE format('CREATE POLICY read ON %I FOR SELECT TO %I USING (%s)',
                       t, u, format(everywhere, app_schema, 1));
        EXECUTE format('CREATE POLICY add ON %I FOR INSERT TO %I WITH CHECK (%s)',
                       t, u, format(everywhere, app_schema, 3));
    END LOOP;

    -- The verify-only role: reads what verify, authorize, introspect and readiness read,
    -- every row (constant true: no helper on the verify path), and writes nothing; it
    -- records a use through record_token_use (SECURITY DEFINER, the owner's policy).
    FOREACH t IN ARRAY ARRAY['project', 'deployment_token', 'environment', 'token_environment',
                             'introspection_client', 'control_state'] LOOP
        EXECUTE format('CREATE POLICY verifier_read ON %I FOR SELECT TO %I USING (true)', t, v);
    END LOOP;
END
$policies$;

-- 5. Privileges. Revoked and given again, so that an upgrade narrows as well as widens.
DO $privileges$
DECLARE
    app_schema name := current_schema();
    u text := 'deployment_tokens_user';
    v text := 'deployment_tokens_verifier';
    t text;
    f regprocedure;
    verifier oid;
BEGIN
    FOREACH t IN ARRAY ARRAY['schema_version', 'project', 'deployment_token', 'environment',
                             'token_environment', 'audit_event', 'revoked_token',
                             'control_state', 'introspection_client', 'revocation_key',
                             'access_grant'] LOOP
        EXECUTE format('REVOKE ALL ON %I FROM PUBLIC, %I, %I', t, u, v);
    END LOOP;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I, %I', app_schema, u, v);
    EXECUTE format('REVOKE ALL ON dt_my_grants FROM PUBLIC, %I, %I', u, v);
    EXECUTE format('GRANT SELECT ON dt_my_grants TO %I', u);
    EXECUTE format('GRANT SELECT ON schema_version, project, deployment_token, environment, '
                   'token_environment, audit_event, revoked_token, control_state, '
                   'introspection_client, revocation_key TO %I', u);
    -- A login with no level at all (never given one, or its last one taken away, so
    -- not a member of the group) reads them too, and row-level security shows it no row
    -- (no policy is TO it): every project reads as unknown to it, as to a member without
    -- a level there, and whoami can tell it so, where "permission denied for table
    -- schema_version" would say nothing. Reads only; RLS is forced on every table
    -- (control_state's one row excepted: its read policy is everyone's, above).
    GRANT SELECT ON schema_version, project, deployment_token, environment, token_environment,
        audit_event, revoked_token, control_state, introspection_client, revocation_key
        TO PUBLIC;
    -- Columns: never an id (a sequence's, so a revoked token's id never comes back),
    -- never last_used_at (the verifier's function's), never a row's project or digest
    -- once written. created_by and actor are the triggers'.
    EXECUTE format('GRANT INSERT (name, name_key, created_at, default_lifetime_hours, '
                   'max_lifetime_hours, allow_no_expiry, default_names_given), '
                   'UPDATE (name, name_key, default_lifetime_hours, max_lifetime_hours, '
                   'allow_no_expiry, default_names_given) ON project TO %I', u);
    EXECUTE format('GRANT INSERT (project_id, name, digest, preview, created_at, created_by, '
                   'expires_at), UPDATE (name, expires_at, replaced_by) '
                   'ON deployment_token TO %I', u);
    EXECUTE format('GRANT INSERT (token_id, environment_id) ON token_environment TO %I', u);
    EXECUTE format('GRANT INSERT (project_id, name, name_key, created_at) '
                   'ON environment TO %I', u);
    EXECUTE format('GRANT INSERT (project_id, action, token_id, token_preview, actor, '
                   'occurred_at, detail) ON audit_event TO %I', u);
    EXECUTE format('GRANT INSERT (project_id, token_id, name, preview, digest, revoked_at) '
                   'ON revoked_token TO %I', u);
    EXECUTE format('GRANT UPDATE (revision, salt_fingerprint) ON control_state TO %I', u);
    EXECUTE format('GRANT INSERT (name, name_key, digest, created_at, created_by) '
                   'ON introspection_client, revocation_key TO %I', u);
    -- nextval needs USAGE; never UPDATE (setval) or SELECT (last_value of other
    -- sessions' rows).
    FOREACH t IN ARRAY ARRAY['project', 'deployment_token', 'environment', 'audit_event',
                             'revoked_token', 'introspection_client', 'revocation_key'] LOOP
        EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM PUBLIC, %I, %I',
                       pg_get_serial_sequence(t, 'id'), u, v);
        EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %I', pg_get_serial_sequence(t, 'id'), u);
    END LOOP;
    EXECUTE format('REVOKE ALL ON SEQUENCE %s FROM PUBLIC, %I, %I',
                   pg_get_serial_sequence('access_grant', 'id'), u, v);
    -- The verifier group: what db grant-verifier grants the role itself (kept there
    -- too, for roles granted before); reads, and the one function.
    EXECUTE format('GRANT SELECT ON schema_version, project, deployment_token, environment, '
                   'token_environment, introspection_client, control_state TO %I', v);
    EXECUTE format('GRANT EXECUTE ON FUNCTION record_token_use(bigint) TO %I, %I', v, u);

    -- Functions: nobody by default; the fixed search path; owned by the owner.
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = app_schema::regnamespace
               AND (p.proname LIKE 'dt\_%' OR p.proname = 'record_token_use') LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, %I, pg_temp',
                       f, app_schema);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        -- The helpers read current_user as the owner: keep them the owner's.
        EXECUTE format('ALTER FUNCTION %s OWNER TO %I', f,
                       (SELECT pg_get_userbyid(relowner) FROM pg_class
                        WHERE oid = 'deployment_token'::regclass));
    END LOOP;
    -- What the policies and triggers call (policies run as the querying role), and
    -- what the app calls.
    EXECUTE format('GRANT EXECUTE ON FUNCTION dt_rank(text), dt_level_name(integer), '
                   'dt_session_is_owner(), dt_global_rank(), dt_scope(integer), '
                   'dt_token_environment_project(integer, integer), '
                   'dt_max_rank(), dt_level(integer), dt_global_level(), dt_whoami(), '
                   'dt_project_admins(integer), dt_access_list(integer), '
                   'dt_grant(text, integer, text), dt_revoke(text, integer), '
                   'dt_delete_token(bigint), dt_clear_token_environments(bigint), '
                   'dt_delete_environment(integer), dt_delete_project(integer), '
                   'dt_delete_holder(text, integer) TO %I', u);
    -- A role's own level, asked by anyone who may log in: they say nothing about anyone
    -- else, and let the app tell a role with no level (a verifier, someone not yet
    -- granted) what a change needs instead of "permission denied for function".
    GRANT EXECUTE ON FUNCTION dt_level(integer), dt_global_level(), dt_whoami() TO PUBLIC;

    -- Verifiers granted before (db grant-verifier gave them EXECUTE on record_token_use)
    -- join the verifier group, so that RLS lets them read.
    FOR verifier IN
        SELECT DISTINCT a.grantee FROM pg_proc p, aclexplode(p.proacl) a
        WHERE p.oid = 'record_token_use(bigint)'::regprocedure AND a.privilege_type = 'EXECUTE'
          AND a.grantee NOT IN (0, p.proowner, v::regrole, u::regrole)
    LOOP
        IF NOT pg_has_role(verifier, v, 'MEMBER') THEN
            EXECUTE format('GRANT %I TO %I', v, pg_get_userbyid(verifier));
        END IF;
    END LOOP;
END
$privileges$;
