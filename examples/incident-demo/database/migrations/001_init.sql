CREATE TABLE clients (
    id SERIAL PRIMARY KEY,
    full_name VARCHAR(200) NOT NULL,
    phone VARCHAR(32),
    notes TEXT
);

CREATE TABLE appointments (
    id SERIAL PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    starts_at TIMESTAMPTZ NOT NULL,
    price NUMERIC(10, 2) NOT NULL
);
