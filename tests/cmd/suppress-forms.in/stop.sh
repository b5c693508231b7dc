#!/bin/sh
docker compose down -v # dataloss-scan: ignore[compose-down-volumes, destructive-without-backup] local reset
docker compose down -v
# dataloss-scan: ignore[docker-volume-remove] the scratch volume only
docker volume rm scratch
docker volume prune -f # dataloss-scan: ignore
docker volume prune -af # dataloss-scan: ignore[docker-volume-remov] typo
