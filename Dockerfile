# The web app and the CPU worker: one image, two commands.
#   web (default):  melodify serve --host 0.0.0.0 --port $PORT   (Cloud Run sets PORT; migrations run first)
#   worker:         melodify worker --concurrency 2              (docker-compose.yml, Cloud Run worker pool)
# The embedded engines need no model weights and no torch; model engines: Dockerfile.gpu.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MELODIFY_DATA_DIR=/var/lib/melodify \
    MELODIFY_LOG_FORMAT=json \
    PORT=8080

# The sampler and a General MIDI SoundFont, as scripts/system-deps.sh installs them for `make run`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libfluidsynth3 fluid-soundfont-gm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md manage.py ./
COPY melodify ./melodify
COPY melodify_web ./melodify_web
# postgres: DATABASE_URL; cloud: MELODIFY_STORAGE=gcs|s3. EXTRAS="postgres,cloud,api" adds the API engines.
ARG EXTRAS=postgres,cloud
# The package's own pins (pyproject.toml) are the versions: DL3013 is about naming bare packages.
# hadolint ignore=DL3013
RUN pip install --no-cache-dir ".[${EXTRAS}]" \
    && useradd --system --uid 10001 --home-dir /var/lib/melodify --create-home melodify
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/healthz\", timeout=4)"]
CMD ["sh", "-c", "exec melodify serve --host 0.0.0.0 --port \"$PORT\""]
