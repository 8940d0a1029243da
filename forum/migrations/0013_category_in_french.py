"""The categories in French, for readers reading in French (Category.display_name and the
others). The seeded categories (0002) get their French name, description and safety notice;
a category added since, or one whose French an admin already wrote, is left as it is.

The notices say what the English ones say, no more: the withdrawal notice's medical fact
is the FDA's 2020 boxed warning on benzodiazepines (docs/safety-reference.md). Canadian
French, Quebec typography: a non-breaking space before the colon.
"""

from django.db import migrations, models

from forum.markup import render

NBSP = "\u00a0"

EXPERIENCES_NOTICE_FR = (
    "Partagez des expériences, pas des conseils médicaux. **Pas d'approvisionnement, de vente ni de prix**, "
    f"et pas de doses pour un usage non médical{NBSP}: ces messages sont retenus jusqu'à ce que l'équipe de "
    "modération les examine."
)
WITHDRAWAL_NOTICE_FR = (
    "**N'arrêtez pas un médicament et n'en changez pas la dose sans en parler à votre prescripteur.** "
    "Certains médicaments, comme les benzodiazépines, peuvent causer des convulsions s'ils sont "
    "arrêtés brusquement ou diminués trop vite (mise en garde encadrée de la FDA, 2020). Racontez comment "
    "votre diminution s'est passée; planifiez la vôtre avec votre prescripteur."
)

# slug: (name, description, safety notice)
FRENCH = {
    "ketamine-esketamine": (
        "Kétamine et eskétamine",
        f"Kétamine par intraveineuse en clinique, eskétamine en vaporisateur nasal, essais cliniques{NBSP}: "
        "comment s'est passé le traitement et ce qui a suivi.",
        EXPERIENCES_NOTICE_FR,
    ),
    "mdma-assisted-therapy": (
        "Thérapie assistée par la MDMA",
        "Essais cliniques, listes d'attente, les séances et le travail d'intégration qui les entoure.",
        EXPERIENCES_NOTICE_FR
        + " La thérapie assistée par la MDMA n'est pas un traitement approuvé dans la plupart des pays.",
    ),
    "medication-withdrawal-tapering": (
        "Sevrage et diminution des médicaments",
        f"Arrêter les benzodiazépines et les antidépresseurs{NBSP}: diminutions lentes, symptômes, et comment "
        "passer au travers.",
        WITHDRAWAL_NOTICE_FR,
    ),
    "treatment-resistant-depression": (
        "Dépression résistante au traitement",
        "Vivre avec une dépression qui persiste malgré plusieurs traitements.",
        "",
    ),
    "recovery-sobriety": (
        "Rétablissement et sobriété",
        "Garder le cap, rester sobre, et les journées plus difficiles que les autres.",
        "",
    ),
    "introductions-general": (
        "Présentations et discussions générales",
        "Dites bonjour, posez vos questions sur le forum ou parlez de tout le reste.",
        "",
    ),
}


def add_french(apps, schema_editor):
    Category = apps.get_model("forum", "Category")
    for category in Category.objects.filter(slug__in=FRENCH, name_fr=""):
        name, description, notice = FRENCH[category.slug]
        category.name_fr, category.description_fr = name, description
        category.safety_notice_fr = notice
        category.safety_notice_fr_html = render(notice) if notice else ""
        category.save(update_fields=["name_fr", "description_fr", "safety_notice_fr", "safety_notice_fr_html"])

class Migration(migrations.Migration):

    dependencies = [
        ('forum', '0012_drafts_blocks_support'),
    ]

    operations = [
        migrations.AddField(
            model_name='category',
            name='description_fr',
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.AddField(
            model_name='category',
            name='name_fr',
            field=models.CharField(blank=True, max_length=80),
        ),
        migrations.AddField(
            model_name='category',
            name='safety_notice_fr',
            field=models.TextField(blank=True, help_text='The safety notice in French, in Markdown.'),
        ),
        migrations.AddField(
            model_name='category',
            name='safety_notice_fr_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(add_french, migrations.RunPython.noop),
    ]
