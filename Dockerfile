# The Baton operator image: the runnable jar on a Java 17 runtime.
#
# Not built in CI here (these machines have no Docker engine, and a build stage would need to pull a
# JDK image). Build the jar first, then the image:
#
#   ./mvnw -B -DskipTests package && docker build -t ghcr.io/baton-dev/baton:0.1.0 .
#
# The Helm chart runs it as `run ...` with uid 65532, a read-only root filesystem and a writable /tmp.
FROM eclipse-temurin:17-jre

LABEL org.opencontainers.image.title="baton" \
      org.opencontainers.image.description="Progressive delivery for Kubernetes services with long-lived connections"

# Owned by root: the runtime user can read the jar but not change it.
COPY cli/target/baton.jar /app/baton.jar

# The same non-root uid:gid the chart's securityContext names (Pod Security "restricted").
USER 65532:65532

ENTRYPOINT ["java", "-jar", "/app/baton.jar"]
CMD ["run"]
