-- The shop's schema, loaded at image build by bake.sh (as the app's account).
\c shop
SET ROLE shop;

CREATE TABLE products (
    id          serial PRIMARY KEY,
    sku         text NOT NULL UNIQUE,
    name        text NOT NULL,
    price_cents integer NOT NULL,
    stock       integer NOT NULL
);

CREATE TABLE customers (
    id         serial PRIMARY KEY,
    name       text NOT NULL,
    email      text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);

CREATE TABLE discounts (
    code        text PRIMARY KEY,
    percent_off integer NOT NULL CHECK (percent_off BETWEEN 1 AND 90),
    active      boolean NOT NULL DEFAULT true
);

CREATE TABLE orders (
    id            bigserial PRIMARY KEY,
    customer_id   integer NOT NULL REFERENCES customers,
    status        text NOT NULL,
    discount_code text REFERENCES discounts,
    total_cents   integer NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_created ON orders (customer_id, created_at DESC);

CREATE TABLE order_items (
    order_id    bigint NOT NULL REFERENCES orders ON DELETE CASCADE,
    product_id  integer NOT NULL REFERENCES products,
    qty         integer NOT NULL,
    price_cents integer NOT NULL,
    PRIMARY KEY (order_id, product_id)
);
