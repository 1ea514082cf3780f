-- Release 2026.11: tidy up the invoice indexes.
-- idx_invoices_customer looked redundant next to idx_invoices_created, and every
-- index slows down inserts, so it goes.
ALTER TABLE invoices DROP INDEX idx_invoices_customer;
