"""How well sourcing detection does on the labelled posts.

    DEBUG=1 python manage.py sourcing_eval              # training posts, overall and per kind
    DEBUG=1 python manage.py sourcing_eval --cv         # and cross-validated figures (refits: a minute or two)
    DEBUG=1 python manage.py sourcing_eval --misses     # and the training posts it gets wrong
    DEBUG=1 python manage.py sourcing_eval --heldout    # the frozen held-out posts too

The held-out splits (moderation/corpus/sourcing_heldout*.jsonl) are read only with
--heldout, and their misses are never listed, so that nobody tunes the rules on them.
Look at them once, when the rules and the model are final, and write the figures down.
"""

from django.core.management.base import BaseCommand, CommandError

from moderation import sourcing_training


class Command(BaseCommand):
    help = "Print precision and recall of sourcing detection, overall and per kind, on the labelled posts."

    def add_arguments(self, parser):
        parser.add_argument("--heldout", action="store_true",
                            help="Also measure the frozen held-out posts (only when the rules and model are final).")
        parser.add_argument("--cv", action="store_true", help="Also print cross-validated training figures.")
        parser.add_argument("--misses", action="store_true", help="List the training posts judged wrongly.")

    def handle(self, *args, **options):
        train_items = sourcing_training.load_training()
        train = sourcing_training.evaluate(train_items, "Training (the rules were written by reading these)")
        self.stdout.write("\n".join(train.lines()) + "\n\n")
        if options["cv"]:
            reports, _ = sourcing_training.cross_validated(train_items)
            for report in reports:
                self.stdout.write("\n".join(report.lines()) + "\n\n")
        if options["heldout"]:
            try:
                splits = sourcing_training.heldout_splits()
            except ValueError as error:
                raise CommandError(str(error)) from error
            for path, items in splits.items():
                report = sourcing_training.evaluate(items, f"Held-out (frozen, {path.name})")
                self.stdout.write("\n".join(report.lines()) + "\n\n")
            every = [item for items in splits.values() for item in items]
            heldout = sourcing_training.evaluate(every, "Held-out (frozen, all splits)")
            self.stdout.write("\n".join(heldout.lines()) + "\n\n")
        if options["misses"]:
            self.stdout.write(f"Training posts judged wrongly ({len(train.misses)}):")
            for item, found in train.misses:
                self.stdout.write(f"\n{item.id} labelled {item.label}/{item.kind}, found {found}: {item.text}")
