"""Date formats for French pages (FORMAT_MODULE_PATH), Quebec usage (Office québécois de
la langue française): the hour written "09 h 52"."""

DATETIME_FORMAT = r"j F Y à H \h i"  # 30 novembre 2026 à 09 h 52 (as the catalog writes it)
SHORT_DATETIME_FORMAT = r"j N Y, H \h i"  # 30 nov. 2026, 09 h 52 (N: French abbreviations, lowercase)
