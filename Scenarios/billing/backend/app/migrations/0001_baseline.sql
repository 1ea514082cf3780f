-- 0001_baseline: the billing schema as it ships in the database image.
-- Already applied there (recorded in schema_migrations); kept here as the
-- reference for what the tables and indexes look like.

CREATE TABLE IF NOT EXISTS invoices (
    id              BIGINT      NOT NULL AUTO_INCREMENT,
    customer_id     INT         NOT NULL,
    sequence_number VARCHAR(20) NOT NULL,
    amount_cents    INT         NOT NULL,
    status          VARCHAR(16) NOT NULL,
    created_at      DATETIME    NOT NULL,
    PRIMARY KEY (id),
    KEY idx_invoices_customer (customer_id),
    KEY idx_invoices_sequence (sequence_number),
    KEY idx_invoices_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS users (
    id         INT          NOT NULL AUTO_INCREMENT,
    name       VARCHAR(100) NOT NULL,
    email      VARCHAR(200) NOT NULL,
    created_at DATETIME     NOT NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS attachments (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    invoice_id  BIGINT       NULL,
    filename    VARCHAR(255) NOT NULL,
    size_bytes  BIGINT       NOT NULL,
    stored_path VARCHAR(512) NOT NULL,
    created_at  DATETIME     NOT NULL,
    PRIMARY KEY (id),
    KEY idx_attachments_invoice (invoice_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS schema_migrations (
    version    VARCHAR(64) NOT NULL,
    applied_at DATETIME    NOT NULL,
    PRIMARY KEY (version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
