# syntax=docker/dockerfile:1
#
# The Sluice image: the runnable jar on a Temurin JRE, as a non-root user.
#
#   docker build -t sluice .
#   docker run --rm -p 8080:8080 --env-file sluice.env sluice            # sluice run --host 0.0.0.0
#   docker run --rm sluice check                                           # any other command
#
# Configuration comes from the environment (docs/operations.md lists the variables) or from a mounted file
# (`run --host 0.0.0.0 --config /config/sluice.yaml`). docker-compose.yml runs it against local emulators.
# CI does not build this image: its machines have no container engine (see docs/operations.md).

# --- build: the same Maven command as ./sluice, with the wrapper and a JDK ---------------------------------------
FROM eclipse-temurin:25-jdk-noble AS build
WORKDIR /src
COPY . .
# The cache keeps Maven and the dependencies between builds; the wrapper downloads Maven on the first one.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q package -DskipTests -pl sluice-cli -am

# --- runtime ------------------------------------------------------------------------------------------------------
FROM eclipse-temurin:25-jre-noble
RUN groupadd --system --gid 10001 sluice \
    && useradd --system --uid 10001 --gid sluice --home-dir /home/sluice --create-home \
       --shell /usr/sbin/nologin sluice
COPY --from=build /src/sluice-cli/target/sluice.jar /app/sluice.jar
USER 10001:10001
WORKDIR /home/sluice
EXPOSE 8080
# GET /health (liveness) through bash's /dev/tcp: the JRE image has no curl or wget and gets none for this. It
# assumes the default port; orchestrators should probe /health for liveness and /ready for readiness themselves.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# The flags ./sluice passes on JDK 24+ (the pom's jdk24-plus profile): libraries (Scala, Netty) use sun.misc.Unsafe
# and native access, which JDK 25 would warn about. The heap takes at most 75% of the container's memory;
# JAVA_TOOL_OPTIONS adds options (e.g. -Xmx) without rebuilding. Out of memory exits, so the orchestrator restarts it
# and what was in flight is redelivered (docs/operations.md).
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", \
            "-XX:MaxRAMPercentage=75", "-jar", "/app/sluice.jar"]
CMD ["run", "--host", "0.0.0.0"]
