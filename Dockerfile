# A small image whose entrypoint is the scanner:
#   docker build -t dataloss-scan .
#   docker run --rm -v "$PWD:/src" dataloss-scan /src
# Paths in reports are relative to the scanned directory. The binary is static (musl), so the
# final image holds it and nothing else (no shell, no CA certificates: the scanner makes no
# network connection).
FROM rust:1.90-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /build
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY rules ./rules
COPY README.md CHANGELOG.md ./
# The manifest names these targets; only the binary is built.
COPY tests/main.rs ./tests/main.rs
COPY benches ./benches
RUN cargo build --release --locked --bin dataloss-scan \
 && strip target/release/dataloss-scan

FROM scratch
COPY --from=build /build/target/release/dataloss-scan /usr/local/bin/dataloss-scan
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/dataloss-scan"]
CMD ["."]
