#!/bin/sh
# Free disk space on the server.
docker image prune -af
docker volume prune -f
