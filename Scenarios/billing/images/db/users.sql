-- The application's account. root keeps logging in through the unix socket
-- (run `mysql` as root inside the db instance).
CREATE DATABASE IF NOT EXISTS billing CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'billing'@'%' IDENTIFIED BY 'billing-secret';
GRANT ALL PRIVILEGES ON billing.* TO 'billing'@'%';
FLUSH PRIVILEGES;
