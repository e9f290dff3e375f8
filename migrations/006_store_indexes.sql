-- Atlas PostgreSQL schema, migration 006: an index for paging one template's compositions by id.
--
-- Reconcile and `atlas verify` read every stored composition of a template in keyset pages
-- (WHERE template_id = $1 AND id > $2 ORDER BY id LIMIT n). With (template_id, id) each page is one index
-- range scan; without it PostgreSQL sorts the whole template (idx_compositions_template_id) or walks the
-- primary key over every template's rows, for every page.
-- Building it on a large table holds a write lock on compositions until done (no CONCURRENTLY inside a
-- migration transaction): run it when no export is running. Number 005 is kept for the pseudonym map.
-- Idempotent: IF NOT EXISTS; names unqualified (the migrator sets search_path).

BEGIN;

CREATE INDEX IF NOT EXISTS idx_compositions_template_id_id ON compositions (template_id, id);

COMMIT;
