# Stand-in for mher/flower:2.0 (tests/test_compose.py): Flower from PyPI on the local base image.
# Like the official image: `celery flower` on PATH, run as an unprivileged user, data in /data.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PATH=/opt/flower/bin:$PATH
RUN python3 -m venv /opt/flower && pip install "flower==2.0.1" "celery[redis]>=5.3"
RUN useradd --create-home flower && mkdir -p /data && chown flower /data
WORKDIR /data
USER flower
EXPOSE 5555
CMD ["celery", "flower"]
