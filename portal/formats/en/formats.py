# English date formats: day before month, 24-hour clock, as the portal's users expect in
# Denmark. Django's own English formats apply to every name not set here.
DATE_FORMAT = "j F Y"  # 5 January 2027
DATETIME_FORMAT = "j F Y H:i"  # 5 January 2027 10:00
MONTH_DAY_FORMAT = "j F"  # 5 January
WEEKDAY_DATE_FORMAT = "l, j F Y"  # Tuesday, 5 January 2027
WEEKDAY_DATETIME_FORMAT = "l, j F Y H:i"  # Tuesday, 5 January 2027 10:00
DAY_MONTH_TIME_FORMAT = "j F H:i"  # 5 January 10:00
ABBR_DATE_FORMAT = "j M Y"  # 5 Jan 2027
