// The storefront: calls the API at window.SHOP_API (config.js), another origin.
const api = (path, options = {}) =>
  fetch(window.SHOP_API + path, { headers: { 'Content-Type': 'application/json' }, ...options })
    .then(async (res) => ({ status: res.status, body: await res.json().catch(() => ({})) }));
const $ = (id) => document.getElementById(id);
const euros = (cents) => (cents / 100).toFixed(2) + ' €';
const cartId = localStorage.cart || (localStorage.cart = Math.random().toString(36).slice(2));

async function showHealth() {
  const { status, body } = await api('/api/health').catch(() => ({ status: 0, body: {} }));
  $('api-status').textContent = status === 200 ? `API: ok (release ${body.release})` : 'API: unreachable';
}

async function showProducts() {
  const { body } = await api('/api/products');
  $('products').replaceChildren(...(body.products || []).map((p) => {
    const li = document.createElement('li');
    const add = document.createElement('button');
    add.textContent = 'Add';
    add.onclick = () => api(`/api/cart/${cartId}/items`, { method: 'POST', body: JSON.stringify({ product: p.id, qty: 1 }) }).then(showCart);
    li.append(`${p.name} — ${euros(p.price_cents)} `, add);
    return li;
  }));
}

async function showCart() {
  const { body } = await api(`/api/cart/${cartId}`);
  $('cart').replaceChildren(...(body.items || []).map((i) => {
    const li = document.createElement('li');
    li.textContent = `product ${i.product} × ${i.qty}`;
    return li;
  }));
}

$('checkout').onclick = async () => {
  const order = { customer: Number($('customer').value), cart: cartId };
  if ($('discount').value) order.discount = $('discount').value.trim();
  const { status, body } = await api('/api/checkout', { method: 'POST', body: JSON.stringify(order) });
  $('checkout-result').textContent = status === 201
    ? `Thank you! Order ${body.order}, ${euros(body.total_cents)}.`
    : `Checkout failed: ${body.error || 'the request failed'} (${status})`;
  showCart();
};

$('load-orders').onclick = async () => {
  const { status, body } = await api(`/api/orders?customer=${Number($('customer').value)}`);
  if (status !== 200) {
    $('orders').innerHTML = `<tr><td colspan="5">Could not load your orders (${status}).</td></tr>`;
    return;
  }
  $('orders').replaceChildren(...body.orders.map((o) => {
    const tr = document.createElement('tr');
    for (const cell of [o.id, o.created_at.slice(0, 10), o.items, euros(o.total_cents), o.status]) {
      tr.appendChild(document.createElement('td')).textContent = cell;
    }
    return tr;
  }));
};

showHealth();
showProducts();
showCart();
