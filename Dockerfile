# The workflow CLI and the Celery worker (docker-compose.yml runs both from this image).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# msgfmt (gettext) for strict catalog checks
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml ./
COPY workflow ./workflow
RUN pip install .
# the Celery entry point: `celery -A worker worker` runs from /app
COPY worker.py ./

RUN useradd --create-home --uid 1000 workflow
USER workflow
CMD ["celery", "-A", "worker", "worker", "-l", "info"]
