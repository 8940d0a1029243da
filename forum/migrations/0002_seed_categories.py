"""The starting categories, with their safety notices (see docs/safety-reference.md)."""

from django.db import migrations

from forum.markup import render

WITHDRAWAL_NOTICE = (
    "**Do not stop or change a medication without talking to your prescriber.** "
    "Some medications, like benzodiazepines, can cause seizures when stopped abruptly "
    "or reduced too quickly (FDA boxed warning, 2020). Share how your taper went; "
    "plan yours with your prescriber."
)
EXPERIENCES_NOTICE = (
    "Share experiences, not medical advice. **No sourcing, selling or prices**, and no "
    "dosing for non-medical use: such posts are held for a moderator."
)

CATEGORIES = [
    (
        "Ketamine & esketamine",
        "ketamine-esketamine",
        "Clinic IV ketamine, esketamine nasal spray, trials: what treatment was like and what came after.",
        EXPERIENCES_NOTICE,
    ),
    (
        "MDMA-assisted therapy",
        "mdma-assisted-therapy",
        "Trials, waiting lists, the sessions and the integration work around them.",
        EXPERIENCES_NOTICE
        + " MDMA-assisted therapy is not an approved treatment in most places.",
    ),
    (
        "Medication withdrawal & tapering",
        "medication-withdrawal-tapering",
        "Coming off benzodiazepines and antidepressants: slow tapers, symptoms, and getting through.",
        WITHDRAWAL_NOTICE,
    ),
    (
        "Treatment-resistant depression",
        "treatment-resistant-depression",
        "Living with depression that hasn't lifted after several treatments.",
        "",
    ),
    (
        "Recovery & sobriety",
        "recovery-sobriety",
        "Staying well, staying sober, and the days that are harder than others.",
        "",
    ),
    (
        "Introductions & general",
        "introductions-general",
        "Say hello, ask about the forum, or talk about anything else.",
        "",
    ),
]


def create_categories(apps, schema_editor):
    Category = apps.get_model("forum", "Category")
    for position, (name, slug, description, notice) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "safety_notice": notice,
                "safety_notice_html": render(notice) if notice else "",
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial")]
    operations = [migrations.RunPython(create_categories, migrations.RunPython.noop)]
