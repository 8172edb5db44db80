# Stand-in for redis:7-alpine (tests/test_compose.py): Debian's redis-server on the local base image.
# Like the official image: data in /data (a volume), run as the redis user, `redis-server ARGS` as the command.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends redis-server \
    && rm -rf /var/lib/apt/lists/* && mkdir -p /data && chown redis:redis /data
WORKDIR /data
VOLUME /data
USER redis
EXPOSE 6379
CMD ["redis-server"]
