"""Date formats for English pages (FORMAT_MODULE_PATH): 24-hour times, day before month,
the way the forum has always shown them (the site is Canadian and international).
forum's `{% when %}` tag and the templates' |date:"DATETIME_FORMAT" use these."""

DATETIME_FORMAT = "j F Y, H:i"  # 30 November 2026, 09:52
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 30 Nov 2026, 09:52
