FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir uv && uv pip install --system --no-cache -r requirements.lock
COPY . .
RUN python scripts/compilemessages.py \
 && DJANGO_SETTINGS_MODULE=portal.settings.prod SECRET_KEY=build-only-secret-key-not-used-at-runtime-xx \
    REDIS_URL=redis://build-only:6379/0 python manage.py collectstatic --no-input
RUN useradd --create-home portal && mkdir -p /data/media /data/private \
 && chown portal /data/media /data/private
USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
