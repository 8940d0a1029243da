"""Train sourcing detection's model on the labelled training posts.

    DEBUG=1 python manage.py sourcing_train

Fits on the training files (moderation/corpus/sourcing_train*.jsonl) only, never the
frozen held-out splits, chooses the threshold by cross-validation on them, and writes
moderation/sourcing_model.json.
Training is deterministic: the same data, rules and settings give the same file. Commit
the file with the change that made you retrain.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from moderation import sourcing_model, sourcing_training


class Command(BaseCommand):
    help = "Train the sourcing model on the training posts; write moderation/sourcing_model.json."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(sourcing_model.MODEL_FILE), help="Where to write the model.")

    def handle(self, *args, **options):
        items = sourcing_training.load_training()
        self.stdout.write(f"Training on {len(items)} posts; cross-validating to choose the threshold...")
        data, reports = sourcing_training.train(items)
        output = Path(options["output"])
        sourcing_training.write(data, output)
        sourcing_model.model.cache_clear()
        thresholds = ", ".join(f"{group} {value:.2f}" for group, value in data["thresholds"].items())
        self.stdout.write(f"{len(data['features'])} features; thresholds {thresholds}")
        for report in reports:
            self.stdout.write("\n".join(report.lines()) + "\n")
        self.stdout.write(f"Wrote {output}")
