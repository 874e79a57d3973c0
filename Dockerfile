# Production image: gunicorn serves the app; the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY scripts/install-system-packages scripts/
RUN scripts/install-system-packages && rm -rf /var/lib/apt/lists/*

COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .
RUN DEBUG=false SECRET_KEY=build-only-not-secret python manage.py compilemessages --ignore=.venv -v0 \
 && DEBUG=false SECRET_KEY=build-only-not-secret python manage.py collectstatic --no-input -v0 \
 && useradd --system --home /app congdoan && mkdir -p /data/media && chown congdoan /data/media
USER congdoan
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
