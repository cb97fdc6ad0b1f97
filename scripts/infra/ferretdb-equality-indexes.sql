-- Makes FerretDB's equality filters index-backed on the PostgreSQL backend (local default only).
--
-- FerretDB 1.24 stores a collection as a table of `_jsonb` documents and creates each MongoDB index
-- as a btree on `(_jsonb -> 'field')`, but it pushes an equality filter down as
-- `_jsonb -> 'field' @> '"value"'` (jsonb containment), which a btree cannot serve: every `_id`,
-- `idem` or `streamId` lookup scanned the whole table, so commands slowed as history grew
-- (3.4 ms at 1k documents, 49 ms at 50k). A GIN `jsonb_path_ops` index on the same expression
-- serves exactly that operator. This event trigger gives every btree FerretDB creates a GIN twin on
-- its first key — the equality a btree would have served (dotted keys use `#>`, as FerretDB's filter
-- does). FerretDB neither sees nor needs them; on MongoDB the application's own indexes serve these
-- lookups as they are. Idempotent: run at every start.
SET client_min_messages = warning;

CREATE OR REPLACE FUNCTION fulcrum_equality_index_for(idx oid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  ix record;
  expr text;
  path text[];
  target text;
  name text;
BEGIN
  SELECT i.indexrelid, i.indrelid, i.indnkeyatts, c.relname AS index_name, n.nspname AS schema_name,
         t.relname AS table_name, am.amname
    INTO ix
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_am am ON am.oid = c.relam
   WHERE i.indexrelid = idx;
  IF NOT FOUND OR ix.amname <> 'btree' THEN RETURN; END IF;
  expr := pg_get_indexdef(ix.indexrelid, 1, false);
  -- Only FerretDB's document expressions: _jsonb -> 'a' [-> 'b' ...].
  IF expr !~ '^\(*_jsonb( -> ''[^'']*''::text\)*)+$' THEN RETURN; END IF;
  SELECT array_agg(m[1] ORDER BY ord) INTO path
    FROM regexp_matches(expr, '-> ''([^'']*)''::text', 'g') WITH ORDINALITY AS r(m, ord);
  target := CASE WHEN array_length(path, 1) = 1
    THEN format('(_jsonb -> %L)', path[1])
    ELSE format('(_jsonb #> %L::text[])', path) END;
  name := left(ix.index_name, 56) || '_eq';
  -- fastupdate off: a GIN pending list is searched sequentially by every lookup until it is merged,
  -- which made lookups slow for a while after a burst of writes (measured at 10,000 items).
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin (%s jsonb_path_ops) WITH (fastupdate = off)',
                 name, ix.schema_name, ix.table_name, target);
END $$;

CREATE OR REPLACE FUNCTION fulcrum_equality_indexes_on_create() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  cmd record;
BEGIN
  FOR cmd IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    PERFORM fulcrum_equality_index_for(cmd.objid);
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS fulcrum_equality_indexes;
CREATE EVENT TRIGGER fulcrum_equality_indexes ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION fulcrum_equality_indexes_on_create();

-- Tables created before this trigger existed.
DO $$
BEGIN
  PERFORM fulcrum_equality_index_for(i.indexrelid)
     FROM pg_index i
     JOIN pg_class t ON t.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg_toast%';
END $$;
