# The dashboard as a container image, for hosts other than AWS Lambda (Fly.io, Cloud
# Run, a VPS): the server binary and the site it serves on a distroless base (glibc,
# CA certificates, a non-root user; no shell, no package manager). Listens on 8080;
# without DATABASE_URL it serves the zero-setup SQLite file in /data (demo data).
#
#   podman build -t tickerboard .          (or docker build)
#   podman run -p 8080:8080 -e DATABASE_URL=postgres://… tickerboard
#
# The build stage runs the project's own scripts (setup.sh, build-site.sh), as a
# newcomer's first command does. scripts/test-container.sh builds the runtime stage
# from this machine's build instead (PREBUILT, RUNTIME_IMAGE), where no registry can
# be reached, and runs it.
ARG RUST_IMAGE=docker.io/library/rust:1.99.1-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot
# The image holding /out (the build stage's, unless a prebuilt one is named).
ARG PREBUILT=build

FROM ${RUST_IMAGE} AS build
WORKDIR /src
COPY . .
RUN bash scripts/setup.sh \
 && bash scripts/build-site.sh \
 && mkdir -p /out/app /out/data \
 && cp target/release/server target/release/hash.txt Leptos.toml /out/app/ \
 && strip /out/app/server \
 && cp -R target/site /out/app/site

FROM ${PREBUILT} AS artifacts

FROM ${RUNTIME_IMAGE} AS runtime
COPY --from=artifacts /out/app/ /app/
# The working directory is the one place the server may write: the SQLite default.
COPY --from=artifacts --chown=65532:65532 /out/data/ /data/
WORKDIR /data
ENV LEPTOS_SITE_ADDR=0.0.0.0:8080 \
    LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_OUTPUT_NAME=tickerboard \
    LEPTOS_HASH_FILES=true \
    TICKERBOARD_SETTINGS=/app/Leptos.toml \
    RUST_LOG=info
USER 65532:65532
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/app/server", "healthcheck"]
ENTRYPOINT ["/app/server"]
