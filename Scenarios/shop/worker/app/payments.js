// A stand-in for the payment provider, on 127.0.0.1:9090: POST /charges takes
// {reference, amount_cents} and answers {id, status}. Log: /var/log/shop/payments.log.
'use strict';
const http = require('http');
const crypto = require('crypto');

http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/charges') {
      res.writeHead(404).end();
      return;
    }
    const charge = JSON.parse(body || '{}');
    const id = `ch_${crypto.randomBytes(6).toString('hex')}`;
    console.log(`${new Date().toISOString()} charge ${id} ${charge.reference} ${charge.amount_cents} succeeded`);
    res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id, status: 'succeeded' }));
  });
}).listen(9090, '127.0.0.1');
