#!/bin/sh
docker volume prune -f
