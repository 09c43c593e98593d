"""The edits a data scientist makes to a script project before it graduates (tests only).

``edit_script(project, framework)`` changes, in the generated ``train.py`` and ``submit.py``:

- a hyperparameter default (``NEW_DEFAULT``): in the model region's flags;
- a model option (``MODEL_OPTION``): one more argument to the estimator, in the model region;
- a helper function added outside any region (``add_charges_per_call``);
- a derived feature column (``DERIVED``): added by the helper, called from the dataset region's
  ``read_table`` (so the preprocessed splits hold it) and the features region's ``to_matrix``
  (so the endpoint computes it from raw rows);
- the training instance type in ``submit.py`` (``INSTANCE_TYPE``).

Each replacement must apply exactly once, so a template change that moves the code fails here
instead of silently testing nothing.
"""

from __future__ import annotations

from pathlib import Path

DERIVED = "charges_per_call"
INSTANCE_TYPE = "ml.c5.2xlarge"
# framework -> (hyperparameter, generated default, new default)
NEW_DEFAULT = {
    "sklearn": ("n-estimators", 150, 300),
    "xgboost": ("n-estimators", 100, 200),
    "pytorch": ("epochs", 20, 10),
}
# framework -> (generated line, edited line): a different model option
MODEL_OPTION = {
    "sklearn": (
        "        subsample=params.subsample,\n",
        '        subsample=params.subsample,\n        max_features="sqrt",\n',
    ),
    "xgboost": (
        "        max_depth=params.max_depth,\n",
        "        max_depth=params.max_depth,\n        min_child_weight=2,\n",
    ),
    "pytorch": ("            nn.ReLU(),\n", "            nn.GELU(),\n"),
}
HELPER = f'''def add_charges_per_call(frame: pd.DataFrame) -> pd.DataFrame:
    """Monthly charges per support call (plus one): a derived feature."""
    return frame.assign({DERIVED}=frame["monthly_charges"] / (frame["support_calls"] + 1))


'''


def replace_once(text: str, old: str, new: str, count: int = 1) -> str:
    """Replace ``old`` (which must occur exactly ``count`` times) with ``new``."""
    found = text.count(old)
    assert found == count, f"expected {count} x {old!r} in the generated code, found {found}"
    return text.replace(old, new)


def edit_script(project: Path, framework: str) -> None:
    """Make the edits listed in the module docstring."""
    train = project / "train.py"
    text = train.read_text()
    name, old, new = NEW_DEFAULT[framework]
    line = next(li for li in text.splitlines() if f'"--{name}"' in li or f'--{name}",' in li)
    if f"default={old}" in line:
        text = replace_once(text, line, line.replace(f"default={old}", f"default={new}"))
    else:  # the flag spans lines: its default is on a line of its own
        text = replace_once(text, f"default={old}, help", f"default={new}, help")
    if framework == "pytorch":
        text = replace_once(text, *MODEL_OPTION[framework], count=2)
    else:
        text = replace_once(text, *MODEL_OPTION[framework])
    text = replace_once(
        text,
        "    return pd.concat([pd.read_csv(f) for f in files], ignore_index=True)\n",
        "    frame = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)\n"
        "    return add_charges_per_call(frame)\n",
    )
    text = replace_once(
        text,
        "    return np.asarray(preprocessor.transform(features), dtype=np.float32)\n",
        "    features = add_charges_per_call(features)\n"
        "    return np.asarray(preprocessor.transform(features), dtype=np.float32)\n",
    )
    text = replace_once(text, "def parse_args(", HELPER + "def parse_args(")
    train.write_text(text)
    submit = project / "submit.py"
    submit.write_text(
        replace_once(submit.read_text(), 'default="ml.m5.large"', f'default="{INSTANCE_TYPE}"')
    )
