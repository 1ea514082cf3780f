// The order worker: takes orders from the Redis queue (orders:queue), charges them at the
// payment provider, marks them paid (or payment_failed) in the database and sends the
// customer a confirmation (appended to /var/spool/shop-mail/outbox). Log: /var/log/shop/worker.log.
'use strict';
const fs = require('fs');
const { Pool } = require('pg');
// The core client only: `redis` would also load the modules of Redis Stack (JSON, search...).
const { createClient } = require('@redis/client');

// Settings: the environment, which the supervisor program reads from /etc/shop/worker.env.
const settings = process.env;
const db = new Pool({ connectionString: settings.DATABASE_URL, max: 2 });
const queue = createClient({ url: settings.REDIS_URL });
db.on('error', (err) => log(`db: ${err.message}`));
queue.on('error', (err) => log(`cache: ${err.message}`));

async function charge(order) {
  const res = await fetch(`${settings.PAYMENTS_URL}/charges`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ reference: `order-${order.order}`, amount_cents: order.total_cents }),
  });
  if (!res.ok) throw new Error(`payment provider answered ${res.status}`);
  return res.json();
}

async function handle(message) {
  const order = JSON.parse(message);
  const payment = await charge(order);
  const status = payment.status === 'succeeded' ? 'paid' : 'payment_failed';
  const { rows: [customer] } = await db.query(
    `UPDATE orders o SET status = $2 FROM customers c WHERE o.id = $1 AND c.id = o.customer_id RETURNING c.name, c.email`,
    [order.order, status]);
  if (customer && status === 'paid') {
    fs.appendFileSync(settings.MAIL_OUTBOX, `${new Date().toISOString()} To: ${customer.name} <${customer.email}> ` +
      `Subject: Your order ${order.order} is confirmed (${(order.total_cents / 100).toFixed(2)} EUR, payment ${payment.id})\n`);
  }
  log(`order ${order.order} ${status} (payment ${payment.id})`);
}

async function main() {
  await queue.connect();
  log('waiting for orders on orders:queue');
  for (;;) {
    const item = await queue.brPop('orders:queue', 5);
    if (!item) continue;
    try {
      await handle(item.element);
    } catch (err) {
      log(`order ${item.element}: ${err.message}; back on the queue`);
      await queue.rPush('orders:queue', item.element);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function log(line) {
  console.log(`${new Date().toISOString()} ${line}`);
}

main().catch((err) => { log(`fatal: ${err.stack}`); process.exit(1); });
