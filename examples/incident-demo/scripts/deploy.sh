#!/bin/bash
# Deploy the latest version to production.
set -euo pipefail
git pull --ff-only
docker compose build app
for f in database/migrations/*.sql; do
  docker compose exec -T db psql -U beauty_user -d beauty_salon -f "/migrations/$(basename "$f")"
done
docker compose up -d
