#!/bin/sh
docker compose down -v
