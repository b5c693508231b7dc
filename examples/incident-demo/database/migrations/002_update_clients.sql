-- Update: simplify the clients table.
ALTER TABLE clients DROP COLUMN notes;
ALTER TABLE clients RENAME COLUMN full_name TO name;
ALTER TABLE clients ALTER COLUMN phone TYPE VARCHAR(12);
ALTER TABLE appointments ALTER COLUMN price TYPE NUMERIC(6, 0);
