-- Release 2026.11 (${param.release.ticket}): invoices get a ${param.release.column} column, shown on
-- the invoice list. Empty for existing invoices.
ALTER TABLE invoices ADD COLUMN ${param.release.column} ${param.release.type} NULL;
