"""Train crisis detection's model on the labelled training posts.

    python manage.py crisis_train          # DEBUG=1 in development (README)

Fits on safety/corpus/crisis_train.jsonl only (never the frozen held-out file), chooses
the thresholds by cross-validation on it, and writes safety/crisis_model.json. Training
is deterministic: the same data, rules and settings give the same file. Commit the file
with the change that made you retrain (new labelled posts, new rules, new settings).
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from safety import crisis_model, crisis_training


class Command(BaseCommand):
    help = "Train the crisis model on safety/corpus/crisis_train.jsonl and write safety/crisis_model.json."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(crisis_model.MODEL_FILE), help="Where to write the model.")

    def handle(self, *args, **options):
        items = crisis_training.load(crisis_training.TRAIN_FILE)
        self.stdout.write(f"Training on {len(items)} posts; cross-validating to choose the thresholds...")
        data = crisis_training.train(items)
        output = Path(options["output"])
        crisis_training.write(data, output)
        crisis_model.model.cache_clear()
        thresholds = ", ".join(f"{name} {value:.3f}" for name, value in data["thresholds"].items())
        self.stdout.write(f"{len(data['features'])} features; thresholds: {thresholds}")
        for line in data["trained_on"]["cross_validated"]:
            self.stdout.write(f"  {line}")
        self.stdout.write(f"Wrote {output}")
