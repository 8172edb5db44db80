# The workflow CLI and the Celery worker (docker-compose.yml runs both from this image).
# BASE_IMAGE: any Debian-based image with python3 (3.11+) and its venv module; the default is what
# users get. The compose test (tests/test_compose.py) passes a local stand-in built from Debian
# packages, because public images cannot be pulled where it runs.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:$PATH
# msgfmt (gettext) for strict catalog checks
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
# a virtual environment: the same install on python:3.11-slim and on Debian's own python3
RUN python3 -m venv /opt/venv

WORKDIR /app
# the exact versions and hashes of requirements.lock (as `make setup` installs them), in a layer of
# their own; then the project itself, adding no package (its build backend is in the lock too)
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml setup.py ./
COPY workflow ./workflow
RUN pip install --no-deps --no-build-isolation . && pip check
# the Celery entry point: `celery -A worker worker` runs from /app
COPY worker.py ./

RUN useradd --create-home --uid 1000 workflow
USER workflow
CMD ["celery", "-A", "worker", "worker", "-l", "info"]
