# Danish date formats. Django's own Danish formats apply to every name not set here; the
# extra names are read by the ``local_date`` filter (portal/templatetags/portal_format.py).
WEEKDAY_DATE_FORMAT = "l j. F Y"  # tirsdag 5. januar 2027
WEEKDAY_DATETIME_FORMAT = "l j. F Y H:i"  # tirsdag 5. januar 2027 10:00
DAY_MONTH_TIME_FORMAT = "j. F H:i"  # 5. januar 10:00
ABBR_DATE_FORMAT = "j. b Y"  # 5. jan 2027
