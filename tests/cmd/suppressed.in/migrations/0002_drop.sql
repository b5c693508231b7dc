-- dataloss-scan: ignore[drop-table] replaced by orders_v2 in 0001
DROP TABLE orders;
DROP TABLE carts; -- dataloss-scan: ignore[drop-column]
