from celery import shared_task

from . import services


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def run_retention() -> dict:
    """Daily: anonymise old records, warn and delete unused accounts."""
    result = services.anonymise_old_records()
    result.update(services.warn_and_delete_inactive())
    return result
