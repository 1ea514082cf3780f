-- Release 2026.11 (BILL-640): invoices get a due date, shown on the invoice list
-- and used by the reminder job. Empty for existing invoices.
ALTER TABLE invoices ADD COLUMN due_date DATE NULL;
