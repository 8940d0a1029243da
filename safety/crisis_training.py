"""Training and measuring crisis detection on the labelled corpus in safety/corpus/.

`manage.py crisis_train` and `manage.py crisis_eval` are thin wrappers around this
module; the tests use it too. scikit-learn is imported only by the functions that fit a
model, so serving posts never loads it.

The corpus has two files. crisis_train.jsonl is the only data anything here is fitted or
tuned on: the model's weights, its regularisation, and the thresholds that turn its
scores into levels are all chosen on it, the thresholds by cross-validation (each post
scored by a model that never saw it, combined with the rules as assess() combines them).
crisis_heldout.jsonl is frozen: it is read only to report figures (`evaluate`), and its
SHA-256 is checked so that nobody edits it by accident.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import crisis, crisis_model
from . import text as texts

CORPUS_DIR = Path(__file__).with_name("corpus")
TRAIN_FILE = CORPUS_DIR / "crisis_train.jsonl"
HELDOUT_FILE = CORPUS_DIR / "crisis_heldout.jsonl"
HELDOUT_SHA256 = "f797b8413dc2a7c8a11e989875a41ac22fac11441546cf30fff70ff404c903e8"

LABELS = (crisis.NONE, crisis.CONCERN, crisis.URGENT)

# How the model is fitted. Changing any of these is a change to the model: retrain and
# commit the new crisis_model.json with it.
SETTINGS = {
    "min_df": 2,  # a feature must occur in at least two training posts
    "C": {"flag": 8.0, "urgent": 8.0, "method": 8.0},  # inverse regularisation of each model
    "folds": 5,  # cross-validation folds for choosing the thresholds
    "seed": 20261130,
    # What the thresholds aim for in cross-validation on the training data, with a margin
    # over the targets on held-out posts (urgent recall 0.95, flagged recall 0.90, flag
    # precision 0.85): recall first, then as few false alarms as that allows. Method holds
    # keep a post from readers until a moderator looks, so they aim at being right.
    "aim": {"urgent_recall": 0.97, "flagged_recall": 0.95, "method_precision": 0.93},
}


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    label: str
    method: bool
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
        items.append(
            Item(
                id=row["id"], text=row["text"], label=row["label"], method=bool(row["method"]),
                lang=row["lang"], hard=bool(row["hard"]), writer=row["writer"],
            )
        )
    return items


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def normalised(items: list[Item]) -> list[str]:
    """Each post as assess() reads it: rendered as the forum renders it, then normalised."""
    return [texts.normalise(texts.visible_text(item.text)) for item in items]


def model_inputs(documents: list[str]) -> list[str]:
    """Each normalised post as the model reads it (crisis.model_input)."""
    return [crisis.model_input(document) for document in documents]


# --- Fitting ------------------------------------------------------------------------------

def _targets(items: list[Item]) -> dict[str, list[int]]:
    return {
        "flag": [int(item.label != crisis.NONE) for item in items],
        "urgent": [int(item.label == crisis.URGENT) for item in items],
        "method": [int(item.method) for item in items],
    }


def fit(documents: list[str], items: list[Item], settings: dict = SETTINGS) -> dict:
    """Fit the three linear models on these posts: the model's JSON, without thresholds."""
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    vectorizer = CountVectorizer(analyzer=crisis_model.features, min_df=settings["min_df"], dtype=float)
    counts = vectorizer.fit_transform(documents)
    tfidf = TfidfTransformer(sublinear_tf=True)
    matrix = tfidf.fit_transform(counts)
    names = list(vectorizer.get_feature_names_out())
    weights, intercepts = {}, {}
    for question, target in _targets(items).items():
        model = LogisticRegression(C=settings["C"][question], class_weight="balanced", solver="liblinear",
                                   max_iter=1000, random_state=0)
        model.fit(matrix, target)
        weights[question] = [round(float(value), 6) for value in model.coef_[0]]
        intercepts[question] = round(float(model.intercept_[0]), 6)
    return {
        "format": crisis_model.FORMAT,
        "features": names,
        "idf": [round(float(value), 6) for value in tfidf.idf_],
        "weights": weights,
        "intercepts": intercepts,
    }


def sklearn_probabilities(data: dict, documents: list[str]) -> dict[str, list[float]]:
    """What scikit-learn itself makes of a model's JSON for these (model input) texts:
    the tests check crisis_model's plain-Python scoring against it."""
    import numpy
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    vectorizer = CountVectorizer(analyzer=crisis_model.features, vocabulary=data["features"], dtype=float)
    tfidf = TfidfTransformer(sublinear_tf=True)
    tfidf.idf_ = numpy.array(data["idf"])
    matrix = tfidf.transform(vectorizer.transform(documents))
    out = {}
    for question in crisis_model.QUESTIONS:
        model = LogisticRegression()
        model.classes_ = numpy.array([0, 1])
        model.coef_ = numpy.array([data["weights"][question]])
        model.intercept_ = numpy.array([data["intercepts"][question]])
        out[question] = [float(row[1]) for row in model.predict_proba(matrix)]
    return out


def out_of_fold_scores(documents: list[str], items: list[Item], settings: dict = SETTINGS) -> list[dict]:
    """Each training post scored by a model fitted on the other folds."""
    from sklearn.model_selection import StratifiedKFold

    folds = StratifiedKFold(n_splits=settings["folds"], shuffle=True, random_state=settings["seed"])
    strata = [f"{item.label}/{item.writer}" for item in items]
    scores: list[dict | None] = [None] * len(items)
    for fit_rows, score_rows in folds.split(documents, strata):
        data = fit([documents[row] for row in fit_rows], [items[row] for row in fit_rows], settings)
        data["thresholds"] = dict.fromkeys(crisis_model.THRESHOLDS, 1.0)
        data["trained_on"] = {}
        model = crisis_model.Model(data)
        for row in score_rows:
            score = model.score(documents[row])
            scores[row] = {"flag": score.flag, "urgent": score.urgent, "method": score.method_score}
    return scores


@dataclass(frozen=True)
class RuleVerdict:
    level: str
    method: bool


def rule_verdicts(documents: list[str]) -> list[RuleVerdict]:
    """What the rules alone make of each (normalised) post."""
    verdicts = []
    for document in documents:
        found = crisis.find_cues(document)
        level, _ = crisis.combine(found)
        method = bool(found.get("method"))
        if method and level == crisis.NONE:
            level = crisis.CONCERN
        verdicts.append(RuleVerdict(level, method))
    return verdicts


def combined_level(rule: str, score: dict, thresholds: dict) -> str:
    """The level assess() gives: the rules' or the model's, whichever is more worried."""
    if rule == crisis.URGENT or crisis_model.model_level(score, thresholds) == crisis.URGENT:
        return crisis.URGENT
    if rule == crisis.CONCERN or crisis_model.model_level(score, thresholds) == crisis.CONCERN:
        return crisis.CONCERN
    return crisis.NONE


def choose_thresholds(items: list[Item], rules: list[RuleVerdict], scores: list[dict], aim: dict) -> dict:
    """The thresholds that meet the aims in cross-validation with the fewest false alarms.

    Searched together over a grid: the model's flag threshold, its urgent threshold, and
    the flag score an urgent verdict also needs. Kept: those at which rules-or-model find
    aim["urgent_recall"] of the urgent posts (overall and among French posts) and
    aim["flagged_recall"] of the posts labelled urgent or concern; chosen among them: the
    highest flag precision, then the highest urgent precision. Method: the lowest threshold
    whose holds, rules included, are at least aim["method_precision"] right (a hold keeps
    a post from readers until a moderator looks)."""
    import numpy

    rank = {crisis.NONE: 0, crisis.CONCERN: 1, crisis.URGENT: 2}
    labels = numpy.array([rank[item.label] for item in items])
    french = numpy.array([item.lang == "fr" for item in items])
    rule_levels = numpy.array([rank[rule.level] for rule in rules])
    flag = numpy.array([score["flag"] for score in scores])
    urgent = numpy.array([score["urgent"] for score in scores])
    at_risk, is_urgent = labels > 0, labels == 2
    best = None
    for urgent_flag in (0.0, 0.3, 0.4, 0.5):
        for urgent_threshold in numpy.arange(0.20, 0.805, 0.01):
            found_urgent = (rule_levels == 2) | ((urgent >= urgent_threshold) & (flag >= urgent_flag))
            if found_urgent[is_urgent].mean() < aim["urgent_recall"]:
                continue
            if found_urgent[is_urgent & french].mean() < aim["urgent_recall"]:
                continue
            for flag_threshold in numpy.arange(0.30, 0.905, 0.01):
                flagged = found_urgent | (rule_levels == 1) | (flag >= flag_threshold)
                if flagged[at_risk].mean() < aim["flagged_recall"]:
                    continue
                key = (flagged[at_risk].sum() / flagged.sum(), (found_urgent & is_urgent).sum() / found_urgent.sum())
                if best is None or key > best[0]:
                    best = (key, float(flag_threshold), float(urgent_threshold), urgent_flag)
    if best is None:
        raise ValueError("no thresholds meet the aims in cross-validation")
    _, flag_threshold, urgent_threshold, urgent_flag = best

    method = numpy.array([score["method"] for score in scores])
    rule_method = numpy.array([rule.method for rule in rules])
    labelled_method = numpy.array([item.method for item in items])
    method_threshold = 0.99
    for threshold in numpy.arange(0.05, 0.995, 0.005):
        held = rule_method | (method >= threshold)
        if held.any() and labelled_method[held].mean() >= aim["method_precision"]:
            method_threshold = float(threshold)
            break
    return {
        "flag": round(flag_threshold, 3),
        "urgent": round(urgent_threshold, 3),
        "urgent_flag": urgent_flag,
        "method": round(method_threshold, 3),
    }


def train(items: list[Item], settings: dict = SETTINGS) -> dict:
    """The model's JSON, fitted on all these posts, thresholds chosen by cross-validation."""
    documents = normalised(items)
    inputs = model_inputs(documents)
    scores = out_of_fold_scores(inputs, items, settings)
    rules = rule_verdicts(documents)
    thresholds = choose_thresholds(items, rules, scores, settings["aim"])
    report = Report(name="cross-validated on the training posts", items=len(items))
    french = [0, 0]
    for item, rule, score in zip(items, rules, scores, strict=True):
        level = combined_level(rule.level, score, thresholds)
        report.confusion[item.label, level] += 1
        report.method[item.method, rule.method or score["method"] >= thresholds["method"]] += 1
        if item.label == crisis.URGENT and item.lang == "fr":
            french = [french[0] + (level == crisis.URGENT), french[1] + 1]
    report.french_urgent = (french[0], french[1])
    data = fit(inputs, items, settings)
    data["thresholds"] = thresholds
    data["trained_on"] = {
        "file": str(TRAIN_FILE.relative_to(CORPUS_DIR.parent.parent)),
        "sha256": sha256(TRAIN_FILE),
        "items": len(items),
        "settings": settings,
        "rules_sha256": sha256(crisis.PATTERNS_FILE),
        "cross_validated": report.lines()[-6:],
    }
    return data


def write(data: dict, path: Path = crisis_model.MODEL_FILE) -> None:
    """One feature per line, so a retrained model's diff stays readable."""
    lines = ["{"]
    header = {key: value for key, value in data.items() if key not in ("features", "idf", "weights")}
    for key, value in header.items():
        lines.append(f"{json.dumps(key)}: {json.dumps(value, sort_keys=True)},")
    for key in ("features", "idf"):
        lines.append(f"{json.dumps(key)}: [")
        lines.append(",\n".join(json.dumps(value, ensure_ascii=False) for value in data[key]))
        lines.append("],")
    lines.append('"weights": {')
    questions = list(data["weights"])
    for position, question in enumerate(questions):
        lines.append(f"{json.dumps(question)}: [")
        lines.append(",\n".join(json.dumps(value) for value in data["weights"][question]))
        lines.append("]" + ("," if position < len(questions) - 1 else ""))
    lines.append("}")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- Measuring ----------------------------------------------------------------------------

@dataclass
class Report:
    name: str
    items: int = 0
    confusion: Counter = field(default_factory=Counter)  # (label, assessed level) -> count
    french_urgent: tuple[int, int] = (0, 0)  # found, of
    method: Counter = field(default_factory=Counter)  # (labelled method, held) -> count
    misses: list = field(default_factory=list)

    def _count(self, labels, levels) -> int:
        return sum(self.confusion[label, level] for label in labels for level in levels)

    @property
    def urgent_recall(self) -> float:
        return _ratio(self._count([crisis.URGENT], [crisis.URGENT]), self._count([crisis.URGENT], LABELS))

    @property
    def urgent_precision(self) -> float:
        return _ratio(self._count([crisis.URGENT], [crisis.URGENT]), self._count(LABELS, [crisis.URGENT]))

    @property
    def flagged_recall(self) -> float:
        risk, flagged = [crisis.CONCERN, crisis.URGENT], [crisis.CONCERN, crisis.URGENT]
        return _ratio(self._count(risk, flagged), self._count(risk, LABELS))

    @property
    def flag_precision(self) -> float:
        risk, flagged = [crisis.CONCERN, crisis.URGENT], [crisis.CONCERN, crisis.URGENT]
        return _ratio(self._count(risk, flagged), self._count(LABELS, flagged))

    @property
    def french_urgent_recall(self) -> float:
        return _ratio(*self.french_urgent)

    @property
    def method_precision(self) -> float:
        return _ratio(self.method[True, True], self.method[True, True] + self.method[False, True])

    @property
    def method_recall(self) -> float:
        return _ratio(self.method[True, True], self.method[True, True] + self.method[True, False])

    def lines(self) -> list[str]:
        width = max(len(level) for level in LABELS)
        header = "  labelled \\ assessed  " + "  ".join(f"{level:>{width}}" for level in LABELS)
        out = [f"{self.name}: {self.items} posts", "", header]
        for label in LABELS:
            out.append(f"  {label:<20}" + "  ".join(f"{self.confusion[label, level]:>{width}}" for level in LABELS))
        found, of = self.french_urgent
        held = self.method[True, True] + self.method[False, True]
        out += [
            "",
            f"  urgent recall                  {self.urgent_recall:.3f}   (urgent posts assessed urgent)",
            f"  urgent precision               {self.urgent_precision:.3f}",
            f"  urgent-or-concern recall       {self.flagged_recall:.3f}   (posts at risk that were flagged)",
            f"  flag precision                 {self.flag_precision:.3f}   (flagged posts that were at risk)",
            f"  French urgent recall           {self.french_urgent_recall:.3f}   ({found} of {of})",
            f"  method details held: precision {self.method_precision:.3f}, recall {self.method_recall:.3f}"
            f"   ({held} held, {self.method[True, True] + self.method[True, False]} with method details)",
        ]
        return out


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def evaluate(items: list[Item], name: str, assess=None) -> Report:
    """How assess() (or a stand-in with its signature) does on these labelled posts."""
    assess = assess or crisis.assess
    report = Report(name=name, items=len(items))
    french_found = french_of = 0
    for item in items:
        result = assess(item.text)
        report.confusion[item.label, result.level] += 1
        report.method[item.method, result.asks_for_method] += 1
        if item.label == crisis.URGENT and item.lang == "fr":
            french_of += 1
            french_found += result.level == crisis.URGENT
        if (item.label != crisis.NONE) != result.is_crisis or item.method != result.asks_for_method:
            report.misses.append((item, result))
    report.french_urgent = (french_found, french_of)
    return report
