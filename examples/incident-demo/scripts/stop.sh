#!/usr/bin/env bash
# Stop the stack. Pass -v (or --full) for a "clean" restart.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -v|--volumes|--full)
    echo "Stopping and removing volumes..."
    docker compose down -v
    docker volume rm beauty_postgres_data || true
    ;;
  *)
    docker compose down
    ;;
esac
