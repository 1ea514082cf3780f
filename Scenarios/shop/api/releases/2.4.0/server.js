// The shop's API: catalogue, cart, checkout and order history.
// Reads go to the replica (and the catalogue through the cache), writes to the primary; a
// checkout queues its order in Redis for the worker. One line per request on stdout
// (/var/log/shop/api.log), with the release that served it; errors on stderr (api-error.log).
'use strict';
const fs = require('fs');
const path = require('path');
const express = require('express');
const { Pool } = require('pg');
// The core client only: `redis` would also load the modules of Redis Stack (JSON, search...).
const { createClient } = require('@redis/client');

// Settings: the environment, which the supervisor program reads from /etc/shop/api.env.
const settings = process.env;
const release = JSON.parse(fs.readFileSync(path.join(__dirname, 'manifest.json'), 'utf8')).version;

const primary = new Pool({ connectionString: settings.DATABASE_URL, max: 5 });
const replica = new Pool({ connectionString: settings.REPLICA_URL, max: 5 });
const cache = createClient({ url: settings.REDIS_URL });
for (const [name, client] of [['db', primary], ['replica', replica], ['cache', cache]]) {
  client.on('error', (err) => console.error(`${new Date().toISOString()} ${name}: ${err.message}`));
}

const app = express();
app.use(express.json());

// One line per request, with the release that served it.
app.use((req, res, next) => {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`${new Date().toISOString()} release=${release} ${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms`);
  });
  next();
});

// The storefront is served from another origin.
app.use((req, res, next) => {
  const origin = settings.FRONTEND_ORIGIN;
  if (origin && req.headers.origin === origin) {
    res.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Headers': 'Content-Type',
              'Access-Control-Allow-Methods': 'GET, POST, DELETE', Vary: 'Origin' });
  }
  if (req.method === 'OPTIONS') return res.sendStatus(204);
  next();
});

const route = (handler) => (req, res, next) => handler(req, res).catch(next);

app.get('/api/health', route(async (req, res) => {
  const status = { db: null, replica: null, cache: null };
  const probe = async (name, check) => {
    try { await check(); status[name] = 'connected'; } catch (err) { status[name] = `down: ${err.message}`; }
  };
  await Promise.all([
    probe('db', () => primary.query('SELECT 1')),
    probe('replica', async () => {
      const { rows } = await replica.query('SELECT pg_is_in_recovery() AS standby');
      if (!rows[0].standby) throw new Error('not a standby');
    }),
    probe('cache', () => cache.ping()),
  ]);
  const ok = Object.values(status).every((state) => state === 'connected');
  res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', release, ...status });
}));

// The catalogue changes rarely: kept in the cache for 30 s.
app.get('/api/products', route(async (req, res) => {
  const cached = await cache.get('catalogue');
  if (cached) return res.type('json').send(cached);
  const { rows } = await replica.query('SELECT id, sku, name, price_cents, stock FROM products ORDER BY id');
  const body = JSON.stringify({ products: rows });
  await cache.set('catalogue', body, { EX: 30 });
  res.type('json').send(body);
}));

// A cart is a Redis hash, product id -> quantity, kept for a day.
app.get('/api/cart/:cart', route(async (req, res) => {
  res.json({ cart: req.params.cart, items: await cartItems(req.params.cart) });
}));

app.post('/api/cart/:cart/items', route(async (req, res) => {
  const product = Number(req.body.product), qty = Number(req.body.qty || 1);
  if (!Number.isInteger(product) || !Number.isInteger(qty) || qty < 1) return res.status(400).json({ error: 'product and qty are whole numbers' });
  const key = `cart:${req.params.cart}`;
  await cache.hIncrBy(key, String(product), qty);
  await cache.expire(key, 86400);
  res.status(201).json({ cart: req.params.cart, items: await cartItems(req.params.cart) });
}));

app.delete('/api/cart/:cart', route(async (req, res) => {
  await cache.del(`cart:${req.params.cart}`);
  res.sendStatus(204);
}));

// Checkout: the items given (or the cart's), priced from the primary, the discount code if
// any, one transaction; then the order goes on the queue for the worker to charge.
app.post('/api/checkout', route(async (req, res) => {
  const customer = Number(req.body.customer);
  let items = req.body.items;
  if (!items && req.body.cart) items = await cartItems(req.body.cart);
  if (!Number.isInteger(customer) || !Array.isArray(items) || items.length === 0) {
    return res.status(400).json({ error: 'a customer and at least one item' });
  }
  const client = await primary.connect();
  try {
    await client.query('BEGIN');
    const ids = items.map((item) => Number(item.product));
    const { rows: products } = await client.query('SELECT id, price_cents FROM products WHERE id = ANY($1)', [ids]);
    if (products.length !== new Set(ids).size) throw Object.assign(new Error('unknown product'), { status: 400 });
    const price = new Map(products.map((p) => [p.id, p.price_cents]));
    const subtotal = items.reduce((sum, item) => sum + price.get(Number(item.product)) * Number(item.qty || 1), 0);

    let discount = null;
    if (req.body.discount) {
      const { rows } = await client.query('SELECT code, percent_off FROM discounts WHERE code = $1 AND active', [req.body.discount]);
      if (rows.length === 0) throw Object.assign(new Error('unknown or expired discount code'), { status: 400 });
      discount = rows[0];
    }
    // Price the basket, then the discount if a code was given.
    const percentOff = discount ? discount.percent_off : 0;
    const total = Math.round(subtotal * (100 - percentOff) / 100);

    const { rows: [order] } = await client.query(
      `INSERT INTO orders (customer_id, status, discount_code, total_cents) VALUES ($1, 'pending', $2, $3) RETURNING id`,
      [customer, discount && discount.code, total]);
    for (const item of items) {
      await client.query('INSERT INTO order_items (order_id, product_id, qty, price_cents) VALUES ($1, $2, $3, $4)',
        [order.id, Number(item.product), Number(item.qty || 1), price.get(Number(item.product))]);
    }
    await client.query('COMMIT');
    await cache.lPush('orders:queue', JSON.stringify({ order: order.id, customer, total_cents: total }));
    if (req.body.cart) await cache.del(`cart:${req.body.cart}`);
    res.status(201).json({ order: Number(order.id), total_cents: total, status: 'pending' });
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}));

// A customer's order history, newest first, from the replica.
const HISTORY_SQL = `
  SELECT o.id, o.status, o.total_cents, o.discount_code, o.created_at, count(i.product_id)::int AS items
  FROM orders o LEFT JOIN order_items i ON i.order_id = o.id
  WHERE o.customer_id = $1
  GROUP BY o.id ORDER BY o.created_at DESC LIMIT 100`;

app.get('/api/orders', route(async (req, res) => {
  const customer = Number(req.query.customer);
  if (!Number.isInteger(customer)) return res.status(400).json({ error: 'customer is a number' });
  const { rows } = await replica.query(HISTORY_SQL, [customer]);
  res.json({ customer, orders: rows.map((o) => ({ ...o, id: Number(o.id) })) });
}));

app.use((err, req, res, next) => {
  if (err.status) return res.status(err.status).json({ error: err.message });
  console.error(`${new Date().toISOString()} release=${release} ${req.method} ${req.originalUrl}: ${err.stack}`);
  res.status(500).json({ error: 'internal error' });
});

async function cartItems(cart) {
  const items = await cache.hGetAll(`cart:${cart}`);
  return Object.entries(items).map(([product, qty]) => ({ product: Number(product), qty: Number(qty) }));
}


cache.connect().catch((err) => console.error(`cache: ${err.message}`));
const port = Number(settings.PORT || 3000);
app.listen(port, () => console.log(`${new Date().toISOString()} release=${release} listening on ${port}`));
