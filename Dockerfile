# pictory-mcp: the MCP server for the Pictory video API, as a container image.
#
# stdio (the default; what desktop MCP clients launch):
#   docker build -t pictory-mcp .
#   docker run -i --rm -e PICTORY_API_KEY pictory-mcp
#   docker run -i --rm pictory-mcp --sandbox          # no Pictory account needed
#
# Streamable HTTP (publish on loopback only; set a bearer token, since the
# server inside the container listens on a non-loopback address):
#   docker run --rm -p 127.0.0.1:8000:8000 -e PICTORY_API_KEY -e PICTORY_MCP_AUTH_TOKEN \
#     pictory-mcp --transport streamable-http --host 0.0.0.0
#
# See manifests/deploy/docker-compose.yml for the HTTP deployment with a health check.
FROM python:3.12-slim

ARG VERSION=0.1.0

LABEL org.opencontainers.image.title="pictory-mcp" \
      org.opencontainers.image.description="MCP server that gives LLM agents the Pictory video API as tools, with a loopback Pictory sandbox." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.vendor="pictory-mcp developers"

# Unbuffered output: with stdio every protocol message must leave at once.
# Job history and downloaded videos go to /data, a volume the user can mount.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PICTORY_MCP_DB=/data/jobs.sqlite3 \
    PICTORY_MCP_OUTPUT_DIR=/data/videos

COPY pyproject.toml README.md /src/
COPY pictory_mcp /src/pictory_mcp

# With the hosted extra, the same image serves a team (--hosted; see the README);
# with the layout extra, storyboard text is measured with real font metrics.
# Dependency versions are bounded in pyproject.toml; the source tree is removed
# once installed so the image holds one copy of the package.
RUN pip install --no-cache-dir "/src[hosted,layout]" \
    && rm -rf /src \
    && groupadd --gid 10001 pictory \
    && useradd --uid 10001 --gid 10001 --create-home pictory \
    && mkdir -p /data/videos \
    && chown -R 10001:10001 /data

# Numeric, so runtimes that check for a non-root user can tell without /etc/passwd.
USER 10001:10001
WORKDIR /home/pictory
VOLUME ["/data"]

# Only used with --transport streamable-http or sse.
EXPOSE 8000

# No HEALTHCHECK: the default transport is stdio, where the server has no
# socket to probe and lives exactly as long as the client keeps stdin open.
# The HTTP deployment (manifests/deploy/docker-compose.yml) probes /healthz.
HEALTHCHECK NONE

ENTRYPOINT ["pictory-mcp"]
