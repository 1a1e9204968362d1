# syntax=docker/dockerfile:1
#
# One image recipe for every Leadflow service; the module is a build argument:
#
#   docker build --build-arg MODULE=lead-intake -t leadflow/lead-intake .
#
# docker-compose.yml builds all five this way. The build stage compiles the module and the modules it
# needs with the Maven wrapper (Maven's local repository is a BuildKit cache, so dependencies are
# downloaded once per machine, not once per image); the runtime stage is a JRE, a non-root user and
# the executable jar.

ARG JAVA_VERSION=17

FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
ARG MODULE
RUN test -n "${MODULE}" || (echo "Set --build-arg MODULE=<lead-intake|routing-service|crm-sync|trial-tracker|rep-notifier>" >&2; exit 1)
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl "${MODULE}" -am package -DskipTests \
 && cp "${MODULE}"/target/"${MODULE}"-*-exec.jar /app.jar

FROM eclipse-temurin:${JAVA_VERSION}-jre
ARG MODULE
LABEL org.opencontainers.image.title="leadflow-${MODULE}"
# curl serves the container health check (GET /actuator/health).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 leadflow \
 && useradd --system --uid 10001 --gid leadflow --home-dir /app --shell /usr/sbin/nologin leadflow \
 && mkdir -p /app /var/lib/leadflow/state \
 && chown -R leadflow:leadflow /var/lib/leadflow
WORKDIR /app
COPY --from=build /app.jar /app/app.jar
COPY ops/docker/entrypoint.sh /app/entrypoint.sh
# Size the heap from the container's memory limit, and let the orchestrator restart a JVM that ran out.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
# Kafka Streams services keep their local state here (a volume in docker-compose.yml).
VOLUME ["/var/lib/leadflow/state"]
EXPOSE 8080 8082 8083 8084 8085
ENTRYPOINT ["/app/entrypoint.sh"]
