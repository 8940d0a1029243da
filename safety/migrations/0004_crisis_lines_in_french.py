from django.db import migrations, models

# The Canadian lines' own French names, and the languages each line answers in. Sources:
# 988.ca and jeunessejecoute.ca (9-8-8 answers in English and French); Kids Help Phone's
# French FAQ (org.kidshelpphone.ca/fr: "gratuit, bilingue et anonyme"); Health Canada's
# launch of the Hope for Wellness Help Line, 2016-10 (English and French, and on request
# Cree, Ojibway and Inuktut); CIHR and Radio-Canada on the National Overdose Response
# Service (English only so far) and CATIE (its French name).
FRENCH = {
    "9-8-8 Suicide Crisis Helpline": (
        "Ligne d'aide en cas de crise de suicide 9-8-8", "Pour toute personne qui pense au suicide", "en,fr"
    ),
    "Kids Help Phone": ("Jeunesse, J'écoute", "Pour les jeunes", "en,fr"),
    "Hope for Wellness Help Line": (
        "Ligne d'écoute d'espoir pour le mieux-être",
        "Pour les peuples autochtones; aussi en cri, en ojibwé et en inuktut sur demande",
        "en,fr",
    ),
    "National Overdose Response Service": (
        "Service national d'intervention en cas de surdose", "Quelqu'un reste au bout du fil pendant que vous consommez",
        "en",
    ),
}
INDIGENOUS_LANGUAGES = "; also in Cree, Ojibway and Inuktut on request"


def add_french(apps, schema_editor):
    CrisisResource = apps.get_model("safety", "CrisisResource")
    for line in CrisisResource.objects.all():
        if line.name in FRENCH:
            line.name_fr, line.description_fr, line.languages = FRENCH[line.name]
            if line.name == "Hope for Wellness Help Line" and INDIGENOUS_LANGUAGES not in line.description:
                line.description += INDIGENOUS_LANGUAGES
        elif line.languages == "English and French":
            line.languages = "en,fr"
        else:
            line.languages = ""  # free text before: only the codes above are known
        line.save(update_fields=["name_fr", "description_fr", "languages", "description"])


class Migration(migrations.Migration):

    dependencies = [
        ('safety', '0003_safety_plan'),
    ]

    operations = [
        migrations.AddField(
            model_name='crisisresource',
            name='description_fr',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='crisisresource',
            name='name_fr',
            field=models.CharField(blank=True, max_length=120),
        ),
        migrations.AlterField(
            model_name='crisisresource',
            name='languages',
            field=models.CharField(blank=True, help_text='Language codes the line answers in, comma-separated: "en,fr".', max_length=60),
        ),
        migrations.RunPython(add_french, migrations.RunPython.noop),
    ]
