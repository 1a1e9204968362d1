#!/bin/sh
# Starts a Leadflow service in its container.
#
# docker-compose.yml hands every variable of .env to the services that use it, including the ones left
# empty. An empty environment variable is not an unset one: Spring would bind "" and skip the service's
# own default (e.g. an empty LEADFLOW_SLACK_BASE_URL instead of https://slack.com/api). So empty
# LEADFLOW_* variables are removed here, and "empty in .env" means "the service's default".
set -eu

for name in $(env | sed -n 's/^\(LEADFLOW_[A-Za-z0-9_]*\)=$/\1/p'); do
  unset "$name"
done

exec java ${JAVA_OPTS:-} -jar /app/app.jar "$@"
