"""Training and measuring sourcing detection on the labelled corpus in moderation/corpus/.

`manage.py sourcing_train` and `manage.py sourcing_eval` are thin wrappers around this
module; the tests use it too. scikit-learn is imported only by the functions that fit a
model, so serving posts never loads it.

The training files (TRAIN_FILES) are the only data anything here is fitted or tuned on:
the model's weights, and the threshold that turns its score into a hold, chosen by
cross-validation (each training post scored by a model that never saw it, combined with
the rules as moderation.sourcing.check combines them). The held-out splits (HELDOUT) are
frozen: each was set aside before anything was tuned with its writers' posts, is read
only to report figures, when asked for explicitly, and has its SHA-256 checked.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from safety import text as texts
from safety.crisis_model import features

from . import sourcing, sourcing_model

CORPUS_DIR = Path(__file__).with_name("corpus")
# Two rounds of writers, each split into training posts and a frozen held-out split
# (moderation/corpus/README.md): the first two writers, then three new ones.
TRAIN_FILES = (CORPUS_DIR / "sourcing_train.jsonl", CORPUS_DIR / "sourcing_train_2.jsonl")
HELDOUT = {
    CORPUS_DIR / "sourcing_heldout.jsonl": "909c3c385d32da3e24a340018b801236227c11271af7cefea49841d790a3a411",
    CORPUS_DIR / "sourcing_heldout_2.jsonl": "3949aeb645a18138fd1a0247a9dbad48237ccfc5e56fc8323a2a023854ea8e7f",
}

SOURCING, OK = "sourcing", "ok"
LABELS = (SOURCING, OK)

# How the model is fitted. Changing any of these is a change to the model: retrain and
# commit the new sourcing_model.json with it.
SETTINGS = {
    "min_df": 2,  # a feature must occur in at least two training posts
    "C": 8.0,  # inverse regularisation of the sourcing model
    "kind_C": 8.0,  # and of the kind model
    "folds": 5,
    "seed": 20261130,
    # The thresholds: for each kind of post (those about care, harm reduction, a warning
    # or the past, and the others: sourcing.threshold_for), the lowest at which the model
    # alone, in cross-validation, holds posts that are sourcing at least this often. The
    # rules were written by reading the training posts, so their figures there estimate
    # nothing; the model's cross-validated precision does, and the rules add their own
    # false holds on top.
    "aim_precision": 0.97,
}


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    label: str
    kind: str
    lang: str
    hard: bool
    writer: str


def load(path: Path) -> list[Item]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row["label"] not in LABELS:
            raise ValueError(f"{path.name} line {number}: unknown label {row['label']!r}")
        if row["label"] == SOURCING and row["kind"] not in sourcing.KINDS:
            raise ValueError(f"{path.name} line {number}: unknown kind {row['kind']!r}")
        items.append(
            Item(id=row["id"], text=row["text"], label=row["label"], kind=row["kind"], lang=row["lang"],
                 hard=bool(row["hard"]), writer=row["writer"])
        )
    return items


def load_training() -> list[Item]:
    return [item for path in TRAIN_FILES for item in load(path)]


def heldout_splits() -> dict[Path, list[Item]]:
    """Each frozen held-out split's posts; refuses a split whose file has changed."""
    for path, digest in HELDOUT.items():
        actual = sha256(path)
        if actual != digest:
            raise ValueError(f"{path.name} has changed (SHA-256 {actual}); the held-out splits are frozen.")
    return {path: load(path) for path in HELDOUT}


def load_heldout() -> list[Item]:
    return [item for split in heldout_splits().values() for item in split]


def training_digest() -> str:
    """One SHA-256 over the training files, in order: what the model was fitted on."""
    digest = hashlib.sha256()
    for path in TRAIN_FILES:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def readings(items: list[Item]) -> list[str]:
    """Each post as check() reads it: rendered as the forum renders it, then read."""
    return [sourcing.read(texts.visible_text(item.text)) for item in items]


# --- Fitting ------------------------------------------------------------------------------

def fit(documents: list[str], items: list[Item], settings: dict = SETTINGS) -> dict:
    """The model's JSON fitted on these posts, without its threshold."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    vectorizer = CountVectorizer(analyzer=features, min_df=settings["min_df"], dtype=float)
    tfidf = TfidfTransformer(sublinear_tf=True)
    matrix = tfidf.fit_transform(vectorizer.fit_transform(documents))
    names = list(vectorizer.get_feature_names_out())
    model = LogisticRegression(C=settings["C"], class_weight="balanced", solver="liblinear", max_iter=1000,
                               random_state=0)
    model.fit(matrix, [int(item.label == SOURCING) for item in items])
    rows = [row for row, item in enumerate(items) if item.label == SOURCING]
    kinds = list(sourcing.KINDS)
    kind_model = LogisticRegression(C=settings["kind_C"], solver="lbfgs", max_iter=2000, random_state=0)
    kind_model.fit(matrix[rows], [kinds.index(items[row].kind) for row in rows])
    kind_columns = [list(column) for column in kind_model.coef_.T]
    return {
        "format": sourcing_model.FORMAT,
        "kinds": [kinds[label] for label in kind_model.classes_],
        "intercept": round(float(model.intercept_[0]), 6),
        "kind_intercepts": [round(float(value), 6) for value in kind_model.intercept_],
        "features": names,
        "idf": [round(float(value), 6) for value in tfidf.idf_],
        "weights": [round(float(value), 6) for value in model.coef_[0]],
        "kind_weights": [[round(float(value), 5) for value in column] for column in kind_columns],
    }


def sklearn_probabilities(data: dict, documents: list[str]) -> list[float]:
    """What scikit-learn itself makes of a model's JSON: the tests check the plain-Python
    scoring against it."""
    import numpy
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    vectorizer = CountVectorizer(analyzer=features, vocabulary=data["features"], dtype=float)
    tfidf = TfidfTransformer(sublinear_tf=True)
    tfidf.idf_ = numpy.array(data["idf"])
    matrix = tfidf.transform(vectorizer.transform(documents))
    model = LogisticRegression()
    model.classes_ = numpy.array([0, 1])
    model.coef_ = numpy.array([data["weights"]])
    model.intercept_ = numpy.array([data["intercept"]])
    return [float(row[1]) for row in model.predict_proba(matrix)]


def out_of_fold_scores(documents: list[str], items: list[Item], settings: dict = SETTINGS) -> list[float]:
    """Each training post scored by a model fitted on the other folds."""
    from sklearn.model_selection import StratifiedKFold

    folds = StratifiedKFold(n_splits=settings["folds"], shuffle=True, random_state=settings["seed"])
    strata = [f"{item.kind}/{item.writer}" for item in items]
    scores: list[float] = [0.0] * len(items)
    for fit_rows, score_rows in folds.split(documents, strata):
        data = fit([documents[row] for row in fit_rows], [items[row] for row in fit_rows], settings)
        data["thresholds"] = {"plain": 1.0, "care": 1.0}
        data["trained_on"] = {}
        model = sourcing_model.Model(data)
        for row in score_rows:
            # The model is asked only about the posts check() asks it about.
            judged = sourcing.model_may_judge(documents[row])
            scores[row] = model.score(documents[row]).probability if judged else 0.0
    return scores


def choose_thresholds(items: list[Item], documents: list[str], scores: list[float], aim_precision: float) -> dict:
    """For each group of posts (sourcing.threshold_for), the lowest threshold at which the
    model alone, scored out of fold, is right about aim_precision of the posts it holds
    (the lowest finds the most sourcing posts)."""
    thresholds = {}
    groups = [sourcing.threshold_for(document) for document in documents]
    for group in ("plain", "care"):
        thresholds[group] = 0.99
        for step in range(5, 100):
            threshold = step / 100
            held = [
                item.label == SOURCING
                for item, score, its_group in zip(items, scores, groups, strict=True)
                if its_group == group and score >= threshold
            ]
            if held and sum(held) / len(held) >= aim_precision:
                thresholds[group] = threshold
                break
    return thresholds


def cross_validated(items: list[Item], settings: dict = SETTINGS) -> tuple[list["Report"], dict]:
    """How the model (each training post scored by a model that never saw it), the rules
    and both together do on the training posts, at the threshold chosen from those
    out-of-fold scores; and that threshold."""
    documents = readings(items)
    rules = [sourcing.rule_finding(document) for document in documents]
    scores = out_of_fold_scores(documents, items, settings)
    thresholds = choose_thresholds(items, documents, scores, settings["aim_precision"])
    named = ", ".join(f"{group} {value:.2f}" for group, value in thresholds.items())
    model_only = Report(name=f"Training, model alone, {settings['folds']}-fold cross-validated (thresholds {named})")
    rules_only = Report(name="Training, rules alone (written by reading these posts: not an estimate)")
    both = Report(name="Training, rules + cross-validated model")
    for item, document, rule, score in zip(items, documents, rules, scores, strict=True):
        model_kind = sourcing.MODEL_KIND if score >= thresholds[sourcing.threshold_for(document)] else None
        model_only.add(item, model_kind)
        rules_only.add(item, rule.kind if rule is not None else None)
        both.add(item, rule.kind if rule is not None else model_kind)
    return [model_only, rules_only, both], thresholds


def train(items: list[Item], settings: dict = SETTINGS) -> tuple[dict, list["Report"]]:
    """The model's JSON, fitted on all these posts, its threshold chosen by cross-validation."""
    reports, thresholds = cross_validated(items, settings)
    data = fit(readings(items), items, settings)
    data["thresholds"] = thresholds
    data["trained_on"] = {
        "files": [str(path.relative_to(CORPUS_DIR.parent.parent)) for path in TRAIN_FILES],
        "sha256": training_digest(),
        "items": len(items),
        "settings": settings,
        "cross_validated": {report.name: report.summary() for report in reports},
    }
    return data, reports


def write(data: dict, path: Path = sourcing_model.MODEL_FILE) -> None:
    """One feature per line, so a retrained model's diff stays readable."""
    lines = ["{"]
    columns = ("features", "idf", "weights", "kind_weights")
    for key, value in data.items():
        if key not in columns:
            lines.append(f"{json.dumps(key)}: {json.dumps(value, sort_keys=True)},")
    for position, key in enumerate(columns):
        lines.append(f"{json.dumps(key)}: [")
        lines.append(",\n".join(json.dumps(value, ensure_ascii=False) for value in data[key]))
        lines.append("]" + ("," if position < len(columns) - 1 else ""))
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- Measuring ----------------------------------------------------------------------------

@dataclass
class Report:
    name: str
    items: int = 0
    # (labelled kind or "none", found kind or None) -> count
    counts: Counter = field(default_factory=Counter)
    misses: list = field(default_factory=list)  # (item, found kind or None) for every error

    def add(self, item: Item, found: str | None) -> None:
        self.items += 1
        self.counts[item.kind if item.label == SOURCING else "none", found] += 1
        if (item.label == SOURCING) != (found is not None):
            self.misses.append((item, found))

    def _sum(self, test) -> int:
        return sum(count for key, count in self.counts.items() if test(*key))

    @property
    def true_positives(self) -> int:
        return self._sum(lambda label, found: label != "none" and found is not None)

    @property
    def recall(self) -> float:
        return _ratio(self.true_positives, self._sum(lambda label, found: label != "none"))

    @property
    def precision(self) -> float:
        return _ratio(self.true_positives, self._sum(lambda label, found: found is not None))

    @property
    def false_holds(self) -> int:
        return self._sum(lambda label, found: label == "none" and found is not None)

    def kind_recall(self, kind: str) -> float:
        return _ratio(self._sum(lambda label, found: label == kind and found is not None),
                      self._sum(lambda label, found: label == kind))

    def kind_precision(self, kind: str) -> float:
        """Of the posts held under this kind, the share labelled sourcing (of any kind)."""
        return _ratio(self._sum(lambda label, found: found == kind and label != "none"),
                      self._sum(lambda label, found: found == kind))

    def summary(self) -> str:
        return f"precision {self.precision:.3f}, recall {self.recall:.3f} ({self.items} posts)"

    def lines(self) -> list[str]:
        positives = self._sum(lambda label, found: label != "none")
        out = [
            f"{self.name}: {self.items} posts ({positives} sourcing, {self.items - positives} ok)",
            f"  recall     {self.recall:.3f}   (sourcing posts held)",
            f"  precision  {self.precision:.3f}   (held posts that were sourcing; {self.false_holds} ok posts held)",
            "  per kind                 recall  (held of)  precision (held under the kind)",
        ]
        for kind in (*sourcing.KINDS, sourcing.MODEL_KIND):
            labelled = self._sum(lambda label, found, kind=kind: label == kind)
            held_under = self._sum(lambda label, found, kind=kind: found == kind)
            if not labelled and not held_under:
                continue
            found = self._sum(lambda label, found, kind=kind: label == kind and found is not None)
            recall = f"{self.kind_recall(kind):.3f}  ({found:>3} of {labelled:>3})" if labelled else "   -" + " " * 12
            out.append(f"    {kind:<22} {recall}   {self.kind_precision(kind):.3f} ({held_under} held)")
        return out


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def evaluate(items: list[Item], name: str, check=None) -> Report:
    """How moderation.sourcing.check (or a stand-in with its signature) does on these posts."""
    check = check or sourcing.check
    report = Report(name=name)
    for item in items:
        found = check(item.text)
        report.add(item, found.kind if found is not None else None)
    return report
