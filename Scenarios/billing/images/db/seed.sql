-- Seed data of the billing database, generated at image build time by bake.sh.
-- Rows come from MariaDB's sequence engine (seq_1_to_N), so no data file is needed.
-- Dates are relative to the build: invoices cover about three years up to the day
-- before the build, users end two days before the build (nobody joined "today").

USE billing;

-- About 1,000,000 invoices. Nine in ten are spread evenly over 200,000 customers
-- (4 or 5 each); one in ten goes to customers 1..1000, who end up with about 100
-- invoices each (several pages in the app). Sequence numbers are unique numeric
-- strings '100001'..'1100000', in creation order. Amounts, statuses (70% paid,
-- 25% open, 5% void) and a few minutes of jitter on the dates come from CRC32 of
-- the row number, so every build produces the same rows (relative to its date).
INSERT INTO invoices (customer_id, sequence_number, amount_cents, status, created_at)
SELECT
    IF(seq % 10 = 0, 1 + (seq DIV 10) % 1000, 1 + (seq * 7919) % 200000),
    CAST(100000 + seq AS CHAR),
    500 + CRC32(CONCAT('amount', seq)) % 250000,
    ELT(1 + CRC32(CONCAT('status', seq)) % 20,
        'paid', 'paid', 'paid', 'paid', 'paid', 'paid', 'paid', 'paid', 'paid', 'paid',
        'paid', 'paid', 'paid', 'paid', 'open', 'open', 'open', 'open', 'open', 'void'),
    (NOW() - INTERVAL 1 DAY) - INTERVAL ((1000001 - seq) * 94 + CRC32(CONCAT('time', seq)) % 300) SECOND
FROM seq_1_to_1000000;

-- 5,000 users over the same three years.
INSERT INTO users (name, email, created_at)
SELECT
    CONCAT(f.first, ' ', f.last),
    LOWER(CONCAT(f.first, '.', f.last, '.', f.seq, '@example.com')),
    f.created_at
FROM (
    SELECT seq,
        ELT(1 + seq % 20, 'Ada', 'Boris', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Grace',
            'Hugo', 'Ines', 'Jonas', 'Kemal', 'Lea', 'Marta', 'Noor', 'Oscar', 'Priya',
            'Quentin', 'Rosa', 'Samir', 'Tove') AS first,
        ELT(1 + (seq DIV 20) % 25, 'Abbott', 'Becker', 'Costa', 'Dubois', 'Eriksen',
            'Fischer', 'Garcia', 'Haddad', 'Ivanova', 'Jensen', 'Kowalski', 'Lindqvist',
            'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quinn', 'Rossi', 'Schmidt',
            'Tanaka', 'Umarov', 'Varga', 'Weber', 'Xu', 'Young') AS last,
        (CURDATE() - INTERVAL 2 DAY) - INTERVAL ((5001 - seq) * 18900 + (seq * 131) % 3600) SECOND
            AS created_at
    FROM seq_1_to_5000
) AS f;

INSERT INTO schema_migrations (version, applied_at) VALUES ('0001_baseline', NOW());
