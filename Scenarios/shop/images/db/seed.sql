-- Seed rows, generated at image build by bake.sh: the same rows on every build, with dates
-- relative to it. Customers 1 to 200 are regulars with 21 to 60 orders each (more than a page
-- of history); the other 4,800 have 0 to 8.
\c shop
SET ROLE shop;

INSERT INTO products (sku, name, price_cents, stock)
SELECT 'SKU-' || lpad(n::text, 4, '0'),
       (ARRAY['Kettle', 'Teapot', 'Mug', 'Grinder', 'Scale', 'Filter', 'Tin', 'Spoon', 'Tray', 'Jar',
              'Whisk', 'Press'])[1 + n % 12] || ' ' ||
       (ARRAY['Classic', 'Nordic', 'Copper', 'Stone', 'Travel', 'Studio', 'Mini', 'Grand', 'Field', 'Harbor'])[1 + (n / 12) % 10],
       500 + (n * 7919) % 9500,
       (n * 31) % 200
FROM generate_series(1, 120) AS n;

INSERT INTO customers (name, email, created_at)
SELECT f || ' ' || l, lower(f || '.' || l || '.' || n || '@example.com'), now() - (n % 900) * interval '1 day' - interval '3 years' + n * interval '5 hours'
FROM generate_series(1, 5000) AS n,
     LATERAL (SELECT (ARRAY['Ada', 'Boris', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas',
                            'Kemal', 'Lea', 'Marta', 'Noor', 'Oscar', 'Priya', 'Rosa', 'Samir', 'Tove', 'Yara'])[1 + n % 20] AS f,
                     (ARRAY['Abbott', 'Becker', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ivanova',
                            'Jensen', 'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor'])[1 + (n / 20) % 15] AS l) AS names;

INSERT INTO discounts (code, percent_off, active) VALUES
    ('WELCOME5', 5, true), ('SPRING10', 10, true), ('WINTER15', 15, true), ('VIP20', 20, true),
    ('SUMMER25', 25, false), ('BLACKFRIDAY30', 30, false);

INSERT INTO orders (customer_id, status, discount_code, total_cents, created_at)
SELECT c, CASE WHEN k % 9 = 0 THEN 'shipped' ELSE 'delivered' END,
       CASE WHEN (c + k) % 7 = 0 THEN 'SPRING10' END, 0,
       now() - interval '1 day' - ((c * 131 + k * 977) % 700) * interval '1 day' - ((c * k) % 1440) * interval '1 minute'
FROM generate_series(1, 5000) AS c,
     LATERAL generate_series(1, CASE WHEN c <= 200 THEN 21 + (c * 37) % 40 ELSE (c * 13) % 9 END) AS k;

INSERT INTO order_items (order_id, product_id, qty, price_cents)
SELECT o.id, p.id, 1 + (o.id + i) % 3, p.price_cents
FROM orders o
CROSS JOIN LATERAL generate_series(1, 1 + (o.id % 3)::int) AS i
JOIN products p ON p.id = 1 + (o.id * 7 + i * 31) % 120;

UPDATE orders o SET total_cents = t.sum * (100 - coalesce(d.percent_off, 0)) / 100
FROM (SELECT order_id, sum(qty * price_cents) AS sum FROM order_items GROUP BY order_id) t, orders o2
LEFT JOIN discounts d ON d.code = o2.discount_code
WHERE t.order_id = o.id AND o2.id = o.id;

RESET ROLE;
ANALYZE;
