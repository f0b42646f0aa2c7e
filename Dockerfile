# Builds and runs what scripts/run runs: Atrium on embedded defaults, data in the /data volume.
# PixelMed comes from Debian's libpixelmed-java, installed into the local Maven repository by
# scripts/bootstrap, so both stages are Debian-based.
FROM debian:bookworm AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends \
      openjdk-17-jdk-headless maven libpixelmed-java libpixelmed-imageio-java curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY scripts/ scripts/
RUN scripts/bootstrap
COPY pom.xml ./
COPY conf/ conf/
COPY src/ src/
RUN mvn -q -B -DskipTests package

FROM debian:bookworm-slim
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless curl \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /opt/atrium atrium
WORKDIR /opt/atrium
COPY --from=build /src/target/atrium.jar ./
COPY --from=build /src/target/lib/ lib/
COPY conf/ conf/
COPY scripts/java-opts scripts/
RUN mkdir /data && chown atrium /data
USER atrium
ENV ATRIUM_DATA_DIR=/data
# A container is reached through its published ports, never its loopback: listen on every
# interface. Turn security on (ATRIUM_SECURITY_ENABLED=true, issuer, audience) before exposing it.
ENV ATRIUM_HTTP_BIND_ADDRESS=0.0.0.0 ATRIUM_DIMSE_BIND_ADDRESS=0.0.0.0
VOLUME /data
EXPOSE 8080 11112
HEALTHCHECK --interval=30s --timeout=5s CMD curl -sf http://localhost:8080/health || exit 1
ENTRYPOINT ["sh", "-c", "exec java $(scripts/java-opts) -jar atrium.jar"]
