"""The crisis lines from docs/safety-reference.md (checked 2026-11), with their sources."""

from django.db import migrations

LINES = [
    # region, name, description, call, text number, keyword, chat, web, hours, languages, primary, emergency, source
    ("CA", "9-8-8 Suicide Crisis Helpline", "For anyone thinking about suicide", "988", "988", "", "", "https://988.ca",
     "24/7", "English and French", True, "911", "988.ca, launched 2023-11-30, run by CAMH"),
    ("CA", "Kids Help Phone", "For young people", "1-800-668-6868", "686868", "CONNECT", "",
     "https://kidshelpphone.ca", "24/7", "", False, "", "kidshelpphone.ca"),
    ("CA", "Hope for Wellness Help Line", "For Indigenous peoples", "1-855-242-3310", "", "",
     "https://hopeforwellness.ca", "https://hopeforwellness.ca", "24/7", "", False, "", "hopeforwellness.ca"),
    ("CA", "National Overdose Response Service", "Someone stays on the line while you use", "1-888-688-6677", "", "",
     "", "https://nors.ca", "24/7", "", False, "", "nors.ca"),
    ("US", "988 Suicide & Crisis Lifeline", "For anyone in crisis", "988", "988", "", "https://988lifeline.org",
     "https://988lifeline.org", "24/7", "", True, "911", "988lifeline.org"),
    ("US", "Crisis Text Line", "Support by text", "", "741741", "HOME", "", "https://www.crisistextline.org", "24/7",
     "", False, "", "crisistextline.org"),
    ("US", "SAMHSA National Helpline", "Treatment referral, not counselling", "1-800-662-4357", "", "", "",
     "https://www.samhsa.gov", "24/7", "", False, "", "samhsa.gov"),
    ("GB", "Samaritans", "For anyone struggling, free to call", "116 123", "", "", "", "https://www.samaritans.org",
     "24/7", "", True, "999 or 112", "samaritans.org"),
    ("GB", "Shout", "Support by text", "", "85258", "SHOUT", "", "https://giveusashout.org", "24/7", "", False, "",
     "giveusashout.org"),
    ("IE", "Samaritans", "For anyone struggling, free to call", "116 123", "", "", "", "https://www.samaritans.org",
     "24/7", "", True, "999 or 112", "samaritans.org"),
    ("IE", "50808", "Support by text", "", "50808", "TALK", "", "https://50808.ie", "24/7", "", False, "", "50808.ie"),
    ("AU", "Lifeline", "For anyone in crisis", "13 11 14", "0477 13 11 14", "", "", "https://www.lifeline.org.au",
     "24/7", "", True, "000", "lifeline.org.au"),
    ("international", "Find A Helpline", "Lines by country, worldwide", "", "", "", "", "https://findahelpline.com",
     "", "", True, "", "findahelpline.com"),
]


def load_lines(apps, schema_editor):
    CrisisResource = apps.get_model("moderation", "CrisisResource")
    for position, line in enumerate(LINES):
        (region, name, description, call, text, keyword, chat, web, hours, languages, primary, emergency, source) = line
        CrisisResource.objects.update_or_create(
            region=region,
            name=name,
            defaults=dict(
                description=description, call_number=call, text_number=text, text_keyword=keyword, chat_url=chat,
                web_url=web, hours=hours, languages=languages, is_primary=primary, emergency_number=emergency,
                position=position, source=source,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("moderation", "0003_crisisresource")]
    operations = [migrations.RunPython(load_lines, migrations.RunPython.noop)]
