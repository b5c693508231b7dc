#!/bin/bash
set -e
DB_NAME=beauty_salon

if docker compose exec -T db psql -U beauty_user -lqt | cut -d '|' -f 1 | grep -qw "$DB_NAME"; then
  read -p "Database exists. Recreate? [y/N] " answer
  if [ "$answer" = "y" ]; then
    docker compose exec -T db psql -U beauty_user -d postgres -c "DROP DATABASE $DB_NAME;"
    docker compose exec -T db createdb -U beauty_user "$DB_NAME"
  fi
fi
docker compose exec -T db psql -U beauty_user -d "$DB_NAME" -f /docker-entrypoint-initdb.d/schema.sql
