#!/bin/bash
# Restore the database from a dump file.
set -euo pipefail
DUMP="${1:?usage: restore.sh DUMP_FILE}"

docker exec -i beauty-db-1 psql -U beauty_user -d postgres <<SQL
DROP DATABASE IF EXISTS beauty_salon;
CREATE DATABASE beauty_salon OWNER beauty_user;
SQL
docker exec -i beauty-db-1 psql -U beauty_user -d beauty_salon < "$DUMP"
