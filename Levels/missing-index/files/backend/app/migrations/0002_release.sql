-- Release 2026.11: tidy up the invoice indexes.
-- ${param.release.why}, and every index slows down inserts, so it goes.
ALTER TABLE invoices DROP INDEX ${param.release.index};
