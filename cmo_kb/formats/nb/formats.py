# The same way to write a date everywhere, in Norwegian: 5. desember 2026 kl. 09:30.
DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = r"j. F Y \k\l. H:i"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
