"""How well crisis detection does on the labelled posts.

    python manage.py crisis_eval            # held-out and training figures (DEBUG=1 in development)
    python manage.py crisis_eval --misses   # and the training posts it gets wrong

The held-out figures are the honest ones: nothing was fitted or tuned on those posts.
Its misses are not listed, so that nobody tunes the rules on them by reading them.
"""

from django.core.management.base import BaseCommand, CommandError

from safety import crisis_training


class Command(BaseCommand):
    help = "Print the confusion matrix, recall and precision of crisis detection on the held-out and training posts."

    def add_arguments(self, parser):
        parser.add_argument("--misses", action="store_true", help="List the training posts assessed wrongly.")

    def handle(self, *args, **options):
        digest = crisis_training.sha256(crisis_training.HELDOUT_FILE)
        if digest != crisis_training.HELDOUT_SHA256:
            raise CommandError(
                f"{crisis_training.HELDOUT_FILE.name} has changed (SHA-256 {digest}); the held-out split is frozen."
            )
        heldout = crisis_training.evaluate(crisis_training.load(crisis_training.HELDOUT_FILE), "Held-out (frozen)")
        train = crisis_training.evaluate(crisis_training.load(crisis_training.TRAIN_FILE), "Training")
        for report in (heldout, train):
            self.stdout.write("\n".join(report.lines()) + "\n\n")
        if options["misses"]:
            self.stdout.write(f"Training posts assessed wrongly ({len(train.misses)}):")
            for item, result in train.misses:
                held = " held" if result.asks_for_method else ""
                self.stdout.write(f"\n{item.id} labelled {item.label}{' method' if item.method else ''}, "
                                  f"assessed {result.level}{held}: {item.text}")
                for reason in result.reasons:
                    self.stdout.write(f"    {reason}")
