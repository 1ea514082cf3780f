-- Release 2026.11: drop an index the database does not use.
-- The slow-query log is full of the invoice list (ORDER BY created_at DESC ... OFFSET n),
-- and EXPLAIN shows those queries reading the whole table and sorting it (type ALL,
-- Using filesort) with idx_invoices_created in place. An index nobody reads only slows
-- down every insert, so it goes.
ALTER TABLE invoices DROP INDEX idx_invoices_created;
