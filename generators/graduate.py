"""Carry the training code across a change of kind: script ⇄ pipeline (``update --kind``).

The script's ``train.py`` and the pipeline's step modules render the same partials
(``templates/_partials/``), and the templates put a marker comment pair around each partial's
code (``templates/_partials/regions.jinja``)::

    # ---- sm-advisor region model: becomes the pipeline's steps/model.py ----
    ...the model partial's code...
    # ---- end of sm-advisor region model ----

That pairing is the mapping: region ``dataset`` of ``train.py`` is region ``dataset`` of
``pipelines/<package>/steps/dataset.py``, and so on (``REGIONS``). On a change of kind each
region is merged three ways into its new home: base = the region as last generated in the old
file, ours = the region in the file now, theirs = the region in the new render. The result is
planned content (``{path: bytes}``) that replaces the new render's files before
``generators.update.reconcile`` runs, so it goes through the same plan and write path as the
rest of the update; nothing here touches the disk.

Also carried, script → pipeline:

- hyperparameter defaults changed in ``train.py`` (the model region's flags) or in
  ``submit.py``'s ``HYPERPARAMETERS`` become ``settings.HYPERPARAMETERS`` (the pipeline passes
  those as flags); with the tuning extra, each changed knob's range is centred on the new value;
- ``submit.py``'s ``--instance-type`` default becomes ``settings.TRAINING_INSTANCE_TYPE``;
- top-level functions and classes added to ``train.py`` outside any region go to
  ``steps/from_script.py``, which the step modules that use them import.

Pipeline → script carries the regions back, and ``settings.HYPERPARAMETERS`` and
``TRAINING_INSTANCE_TYPE`` back into ``submit.py``. Whatever cannot be carried (an edited
``main()``, a region whose markers were deleted) is reported, and the old file is kept.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from generators.errors import SpecError
from generators.imports_sort import import_block
from generators.merge import BaseEntry, Style, merge3

if TYPE_CHECKING:
    from generators.update import Change

Reader = Callable[[str], bytes | None]

# The four shared regions, in file order; each is a step module of the pipeline project.
REGIONS = ("dataset", "features", "model", "metrics")
SCRIPT = "train.py"
SUBMIT = "submit.py"
HELPERS = "from_script"
BEGIN = re.compile(r"^# ---- sm-advisor region (?P<name>\w+): [^\n]* ----\n", re.MULTILINE)
END = "# ---- end of sm-advisor region {name} ----\n"

Status = Literal["unchanged", "merged", "conflict", "missing"]


def step_path(package: str, name: str) -> str:
    """Return the pipeline project's path of a step module."""
    return f"pipelines/{package}/steps/{name}.py"


def region_paths(kind: str, package: str) -> dict[str, str]:
    """Return ``{region: path}`` of the file holding each region in a project of ``kind``."""
    if kind == "script":
        return dict.fromkeys(REGIONS, SCRIPT)
    return {name: step_path(package, name) for name in REGIONS}


def regions(text: str) -> dict[str, tuple[int, int]]:
    """Return ``{name: (start, end)}``: the character span of each region's body.

    A region whose end marker is missing is left out (so it counts as missing).
    """
    spans: dict[str, tuple[int, int]] = {}
    for match in BEGIN.finditer(text):
        name = match.group("name")
        end = text.find(END.format(name=name), match.end())
        if end != -1 and name not in spans:
            spans[name] = (match.end(), end)
    return spans


def body(text: str, name: str) -> str | None:
    """Return one region's body, or None when its markers are not both there."""
    span = regions(text).get(name)
    return None if span is None else text[span[0] : span[1]]


def replace(text: str, name: str, new_body: str) -> str:
    """Return ``text`` with one region's body replaced (the region must be there)."""
    start, end = regions(text)[name]
    return text[:start] + new_body + text[end:]


def outside(text: str) -> str:
    """Return ``text`` with every region's body removed (the markers stay)."""
    out, last = [], 0
    for start, end in sorted(regions(text).values()):
        out.append(text[last:start])
        last = end
    out.append(text[last:])
    return "".join(out)


@dataclass(frozen=True)
class Carried:
    """Where one region of the old kind's code went, and how."""

    region: str
    source: str
    target: str
    status: Status
    conflicts: int = 0


@dataclass
class Graduation:
    """The planned result of a change of kind.

    ``files`` replace the new render's contents (fed to ``reconcile`` as theirs); ``notes`` say,
    per path, what was carried into it; ``conflicts`` count the marker blocks per path;
    ``retired`` are old files whose edits all found a new home (removed even though you changed
    them); ``kept`` are old files with edits that could not be carried, and why.
    """

    files: dict[str, bytes] = field(default_factory=dict)
    carried: list[Carried] = field(default_factory=list)
    settings: list[str] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    conflicts: dict[str, int] = field(default_factory=dict)
    retired: dict[str, str] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)
    moved: set[str] = field(default_factory=set)

    def note(self, path: str, text: str) -> None:
        """Add a note to a path's line of the update report."""
        self.notes.setdefault(path, []).append(text)


def graduate(
    base: Mapping[str, BaseEntry],
    ours: Reader,
    theirs: Mapping[str, bytes],
    old_kind: str,
    new_kind: str,
    package: str,
    style: Style = "diff3",
) -> Graduation:
    """Plan the carrying of the training code from a project of ``old_kind`` to ``new_kind``.

    ``base`` is the snapshot of the last render (old kind), ``ours`` reads the files now and
    ``theirs`` is the new render. Returns an empty plan when the kind does not change.
    """
    g = Graduation()
    if old_kind == new_kind:
        return g
    sources = region_paths(old_kind, package)
    targets = region_paths(new_kind, package)
    texts = dict(theirs)
    for name in REGIONS:
        _carry_region(g, name, sources[name], targets[name], base, ours, texts, style)
    if old_kind == "script":
        _carry_helpers(g, base, ours, texts, package)
    _fix_imports(g, sorted(set(sources.values())), sorted(set(targets.values())), ours, texts)
    if old_kind == "script":
        _carry_script_settings(g, base, ours, texts, package)
    else:
        _carry_pipeline_settings(g, base, ours, texts, package)
    for source in set(sources.values()):
        _retire_or_keep(g, source, base, ours)
    for rel, data in texts.items():
        if data != theirs.get(rel):
            g.files[rel] = data
    return g


def _text(data: BaseEntry | bytes | None) -> str | None:
    if not isinstance(data, bytes):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _carry_region(
    g: Graduation,
    name: str,
    source: str,
    target: str,
    base: Mapping[str, BaseEntry],
    ours: Reader,
    texts: dict[str, bytes],
    style: Style,
) -> None:
    b_text, o_text, t_text = _text(base.get(source)), _text(ours(source)), _text(texts.get(target))
    if o_text is None or t_text is None or b_text is None:
        return  # the old file is gone (or binary): nothing of yours to carry
    b, o, t = body(b_text, name), body(o_text, name), body(t_text, name)
    if t is None:
        raise SpecError(f"the new render of {target} has no region {name!r}; report this bug")
    if o is None or b is None:
        g.carried.append(Carried(name, source, target, "missing"))
        g.kept[source] = f"its region {name!r} lost its marker comments; move your code by hand"
        return
    if o == b:
        g.carried.append(Carried(name, source, target, "unchanged"))
        return
    merged = merge3(b.encode(), o.encode(), t.encode(), style)
    texts[target] = replace(t_text, name, merged.data.decode("utf-8")).encode("utf-8")
    status: Status = "conflict" if merged.conflicts else "merged"
    g.carried.append(Carried(name, source, target, status, merged.conflicts))
    if merged.conflicts:
        g.conflicts[target] = g.conflicts.get(target, 0) + merged.conflicts
    g.note(target, f"your region {name} of {source}")


def _retire_or_keep(
    g: Graduation, source: str, base: Mapping[str, BaseEntry], ours: Reader
) -> None:
    """Decide the old file's fate: retired when every edit in it was carried, else kept."""
    b_text, o_text = _text(base.get(source)), _text(ours(source))
    if b_text is None or o_text is None or o_text == b_text or source in g.kept:
        return
    if _code(outside(o_text), g.moved) != _code(outside(b_text), g.moved):
        g.kept[source] = "edits outside its regions (e.g. in main) have no place in the new kind"
        return
    went = sorted({c.target for c in g.carried if c.source == source and c.status != "unchanged"})
    g.retired[source] = "your edits went to " + ", ".join(went) if went else "carried"


def _code(text: str, moved: set[str]) -> list[str] | None:
    """Return a module's top-level statements but imports and ``moved`` names, normalised."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    kept = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name in moved:
                continue
        kept.append(ast.dump(node))
    return kept


# ---- code added outside the regions (script → pipeline) ----------------------------------------


def _top_level(text: str) -> dict[str, tuple[ast.stmt, str]] | None:
    """Return the named top-level statements of a module: ``{name: (node, source)}``."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    found: dict[str, tuple[ast.stmt, str]] = {}
    for node in tree.body:
        names: list[str] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [node.name]
        elif isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        segment = ast.get_source_segment(text, node, padded=False) or ""
        for name in names:
            found[name] = (node, segment)
    return found


def _imports(text: str) -> dict[str, str]:
    """Return ``{bound name: import line}`` for a module's top-level imports."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return {}
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                found[bound] = ast.unparse(ast.Import(names=[alias]))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                line = ast.unparse(ast.ImportFrom(module=node.module, names=[alias], level=0))
                found[alias.asname or alias.name] = line
    return found


def _free_names(text: str) -> list[str] | None:
    """Return the names a module reads but never binds (None when it does not parse)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    loaded: list[str] = []
    bound = set(dir(builtins))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                loaded.append(node.id)
            else:
                bound.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.alias):
            bound.add(node.asname or node.name.split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return sorted({n for n in loaded if n not in bound})


def _add_imports(text: str, lines: list[str]) -> str:
    """Add import lines to a module, sorted the way ruff's isort rule wants.

    The module's top-level import block is re-sorted with ``imports_sort.import_block`` (the
    templates' own sorter) when it is one contiguous run of imports; lines from
    ``from_script`` follow as a first-party section. Otherwise the lines go after the last import.
    """
    local = [line for line in lines if line.startswith(f"from {HELPERS} ")]
    other = [line for line in lines if line not in local]
    tree = ast.parse(text)
    rows = text.splitlines(keepends=True)
    first = next((i for i, n in enumerate(tree.body) if isinstance(n, IMPORTS)), None)
    if first is None:
        after = tree.body[0].end_lineno if tree.body and isinstance(tree.body[0], ast.Expr) else 0
        block = [line + "\n" for line in other + local]
        return "".join(rows[: after or 0] + ["\n", *block] + rows[after or 0 :])
    last = first
    while last + 1 < len(tree.body) and isinstance(tree.body[last + 1], IMPORTS):
        last += 1
    nodes = tree.body[first : last + 1]
    start, end = nodes[0].lineno - 1, nodes[-1].end_lineno or nodes[-1].lineno
    existing = [ast.unparse(n) for n in nodes]
    if other:
        rendered = import_block(existing + other)
        rows[start:end] = [rendered.rstrip("\n") + "\n"]
        end = start + 1
    if local:
        rows[end:end] = ["\n", *(line + "\n" for line in local)]
    return "".join(rows)


IMPORTS = (ast.Import, ast.ImportFrom)


def _carry_helpers(
    g: Graduation,
    base: Mapping[str, BaseEntry],
    ours: Reader,
    texts: dict[str, bytes],
    package: str,
) -> None:
    """Move functions and classes added to train.py outside the regions to from_script.py."""
    b_text, o_text = _text(base.get(SCRIPT)), _text(ours(SCRIPT))
    if b_text is None or o_text is None:
        return
    before, now = _top_level(outside(b_text)), _top_level(outside(o_text))
    if before is None or now is None:
        return
    helpers = {
        name: segment
        for name, (node, segment) in now.items()
        if name not in before
        and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    }
    if not helpers:
        return
    imports = _imports(o_text)
    path = step_path(package, HELPERS)
    code = "\n\n\n".join(helpers.values())
    needed = sorted({imports[n] for n in _free_names(code) or [] if n in imports})
    head = '"""Code you added to the script\'s train.py outside its regions (sm-advisor)."""\n'
    text = head + ("\n" + "\n".join(needed) + "\n" if needed else "") + "\n\n" + code + "\n"
    texts[path] = text.encode("utf-8")
    g.moved.update(helpers)
    g.carried.append(Carried("helpers", SCRIPT, path, "merged"))
    g.note(path, "your functions from train.py: " + ", ".join(sorted(helpers)))
    _package_helpers(g, texts, package)


def _fix_imports(
    g: Graduation, sources: list[str], targets: list[str], ours: Reader, texts: dict[str, bytes]
) -> None:
    """Give each target the imports its carried code needs, taken from your old files."""
    imports: dict[str, str] = {}
    for source in sources:
        imports.update(_imports(_text(ours(source)) or ""))
    for name in g.moved:
        imports[name] = f"from {HELPERS} import {name}"
    for path in targets:
        text = _text(texts.get(path))
        if text is None or path not in g.notes:
            continue
        free = _free_names(text) or []
        lines = sorted({imports[n] for n in free if n in imports})
        if lines:
            texts[path] = _add_imports(text, lines).encode("utf-8")
            g.note(path, "imports added: " + "; ".join(lines))


def _package_helpers(g: Graduation, texts: dict[str, bytes], package: str) -> None:
    """Ship from_script.py with the model for the endpoint, beside features.py and model.py."""
    path = step_path(package, "train")
    text = _text(texts.get(path))
    old = '"features.py", "model.py")'
    if text is None or old not in text:
        return
    texts[path] = text.replace(old, f'"features.py", "model.py", "{HELPERS}.py")').encode()
    g.note(path, f"{HELPERS}.py packaged with the model")


# ---- settings ----------------------------------------------------------------------------------


def _flag_defaults(text: str | None) -> dict[str, object]:
    """Return ``{flag name: default}`` of every ``add_argument("--name", default=<literal>)``."""
    found: dict[str, object] = {}
    if text is None:
        return found
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return found
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr != "add_argument" or not node.args:
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and str(first.value).startswith("--")):
            continue
        for kw in node.keywords:
            if kw.arg == "default":
                try:
                    found[str(first.value)[2:]] = ast.literal_eval(kw.value)
                except ValueError:
                    pass
    return found


def _dict_literal(text: str | None, name: str) -> dict[str, object]:
    """Return the literal dict assigned to a top-level ``name`` (empty if none or not literal)."""
    if text is None:
        return {}
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                return {}
            return value if isinstance(value, dict) else {}
    return {}


def _changed(before: Mapping[str, object], now: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in now.items() if k in before and before[k] != v}


def _set_entry(text: str, block: str, key: str, value: str) -> str | None:
    """Replace ``"key": <value>,`` inside the ``BLOCK = {...}`` literal of a settings module."""
    start = text.find(f"\n{block} = {{\n")
    if start == -1:
        return None
    end = text.find("\n}\n", start)
    entry = re.compile(rf'^(    "{re.escape(key)}": ).*,$', re.MULTILINE)
    section = text[start:end]
    new, count = entry.subn(lambda m: m.group(1) + value + ",", section, count=1)
    return text[:start] + new + text[end:] if count else None


def _set_constant(text: str, name: str, value: str) -> str | None:
    pattern = re.compile(rf"^{name} = .*$", re.MULTILINE)
    new, count = pattern.subn(f"{name} = {value}", text, count=1)
    return new if count else None


def centred(kind: str, low: float, high: float, value: float) -> tuple[float, float]:
    """Return a search range as wide as ``(low, high)``, centred on ``value`` (kept positive)."""
    half = (high - low) / 2
    lo, hi = value - half, value + half
    if lo < low and lo <= 0:  # a positive knob: shift up rather than search below zero
        lo, hi = low, max(high, 2 * value - low)
    if kind == "integer":
        return float(max(1, round(lo))), float(round(hi))
    return round(lo, 6), round(hi, 6)


def _number(value: float, kind: str) -> str:
    return str(int(value)) if kind == "integer" else repr(float(value))


def _changed_hyperparameters(
    base: Mapping[str, BaseEntry], ours: Reader, known: Mapping[str, object]
) -> dict[str, object]:
    """Hyperparameter defaults you changed: in train.py's model region, then submit.py (wins)."""
    b_train, o_train = _text(base.get(SCRIPT)), _text(ours(SCRIPT))
    b_submit, o_submit = _text(base.get(SUBMIT)), _text(ours(SUBMIT))
    changed = _changed(
        _flag_defaults(b_train and body(b_train, "model")),
        _flag_defaults(o_train and body(o_train, "model")),
    )
    changed.update(
        _changed(
            _dict_literal(b_submit, "HYPERPARAMETERS"), _dict_literal(o_submit, "HYPERPARAMETERS")
        )
    )
    return {k: v for k, v in changed.items() if k in known}


def _set_hyperparameters(g: Graduation, settings: str, changed: Mapping[str, object]) -> str:
    """Write changed defaults into settings.HYPERPARAMETERS; centre their tuning ranges."""
    ranges = _dict_literal(settings, "TUNING_RANGES")
    for key, value in sorted(changed.items()):
        new = _set_entry(settings, "HYPERPARAMETERS", key, repr(value))
        if new is None:
            continue
        settings = new
        g.settings.append(f"{key} = {value!r} (settings.HYPERPARAMETERS)")
        spec = ranges.get(key)
        if isinstance(spec, tuple) and len(spec) == 3 and isinstance(value, (int, float)):
            kind, low, high = str(spec[0]), float(spec[1]), float(spec[2])
            lo, hi = centred(kind, low, high, float(value))
            entry = f'("{kind}", {_number(lo, kind)}, {_number(hi, kind)})'
            moved = _set_entry(settings, "TUNING_RANGES", key, entry)
            if moved is not None and moved != settings:
                settings = moved
                g.settings.append(f"{key} searched in {entry[1:-1]} (settings.TUNING_RANGES)")
    return settings


def _carry_script_settings(
    g: Graduation,
    base: Mapping[str, BaseEntry],
    ours: Reader,
    texts: dict[str, bytes],
    package: str,
) -> None:
    """Changed hyperparameter defaults and the instance type → the pipeline's settings.py."""
    path = f"pipelines/{package}/settings.py"
    original = _text(texts.get(path))
    if original is None:
        return
    hps = _dict_literal(original, "HYPERPARAMETERS")
    settings = _set_hyperparameters(g, original, _changed_hyperparameters(base, ours, hps))
    b_submit, o_submit = _text(base.get(SUBMIT)), _text(ours(SUBMIT))
    flags = _changed(_flag_defaults(b_submit), _flag_defaults(o_submit))
    if "instance-type" in flags:
        value = '"' + str(flags["instance-type"]) + '"'
        new = _set_constant(settings, "TRAINING_INSTANCE_TYPE", value)
        if new is not None:
            settings = new
            g.settings.append(f"TRAINING_INSTANCE_TYPE = {value} (from submit.py)")
    if settings != original:
        texts[path] = settings.encode("utf-8")
        g.note(path, "your hyperparameters/instance type")
    if b_submit is None or o_submit is None or o_submit == b_submit:
        return
    uncarried = sorted(f"--{f}" for f in flags if f != "instance-type")
    if uncarried or not _only_settings_changed(
        b_submit, o_submit, "HYPERPARAMETERS", INSTANCE_FLAG
    ):
        why = f"the pipeline has no setting for {', '.join(uncarried)}; pass them to its upsert"
        g.kept[SUBMIT] = why if uncarried else "edits beyond its settings; move them by hand"
    else:
        g.retired[SUBMIT] = "its settings went to " + path


def _only_settings_changed(before: str, now: str, block: str, pattern: re.Pattern[str]) -> bool:
    """Say whether ``now`` is ``before`` but for ``block``'s values and ``pattern``'s value."""
    old = _dict_literal(before, block)
    for key in _changed(old, _dict_literal(now, block)):
        now = _set_entry(now, block, key, repr(old[key])) or now
    found = pattern.search(before)
    if found:
        now = pattern.sub(lambda m: m.group(1) + found.group(2), now, count=1)
    return now == before


INSTANCE_FLAG = re.compile(r'("--instance-type", default=)("[\w.-]+")')
INSTANCE_SETTING = re.compile(r'^(TRAINING_INSTANCE_TYPE = )("[\w.-]+")$', re.MULTILINE)


def _carry_pipeline_settings(
    g: Graduation,
    base: Mapping[str, BaseEntry],
    ours: Reader,
    texts: dict[str, bytes],
    package: str,
) -> None:
    """The way back: settings.HYPERPARAMETERS and TRAINING_INSTANCE_TYPE → submit.py."""
    path = f"pipelines/{package}/settings.py"
    b_settings, o_settings = _text(base.get(path)), _text(ours(path))
    submit = _text(texts.get(SUBMIT))
    if b_settings is None or o_settings is None or submit is None:
        return
    changed = _changed(
        _dict_literal(b_settings, "HYPERPARAMETERS"), _dict_literal(o_settings, "HYPERPARAMETERS")
    )
    for key, value in sorted(changed.items()):
        new = _set_entry(submit, "HYPERPARAMETERS", key, repr(value))
        if new is not None:
            submit = new
            g.settings.append(f"{key} = {value!r} (submit.py HYPERPARAMETERS)")
    b_type, o_type = INSTANCE_SETTING.search(b_settings), INSTANCE_SETTING.search(o_settings)
    if b_type and o_type and b_type.group(2) != o_type.group(2) and INSTANCE_FLAG.search(submit):
        value = o_type.group(2)
        submit = INSTANCE_FLAG.sub(lambda m: m.group(1) + value, submit, count=1)
        g.settings.append(f"--instance-type default {value} (submit.py)")
    if submit != _text(texts.get(SUBMIT)):
        texts[SUBMIT] = submit.encode("utf-8")
        g.note(SUBMIT, "your hyperparameters/instance type from settings.py")
    if o_settings == b_settings:
        return
    if _only_settings_changed(b_settings, o_settings, "HYPERPARAMETERS", INSTANCE_SETTING):
        g.retired[path] = "its settings went to " + SUBMIT
    else:
        g.kept[path] = "edits beyond the hyperparameters and instance type; move them by hand"


def annotate(changes: list[Change], g: Graduation) -> list[Change]:
    """Fold a graduation into ``reconcile``'s changes: conflicts, notes and retired files."""
    from generators.update import Change

    out: list[Change] = []
    for c in changes:
        notes = [c.note] if c.note else []
        notes += g.notes.get(c.path, [])
        if c.path in g.conflicts and c.after is not None:
            c = Change(c.path, "conflict", c.before, c.after, conflicts=g.conflicts[c.path])
        elif c.path in g.retired and c.status == "kept":
            c, notes = Change(c.path, "removed", c.before, None), [g.retired[c.path]]
        elif c.path in g.kept and c.status == "kept":
            notes = [g.kept[c.path] + "; kept"]
        out.append(Change(c.path, c.status, c.before, c.after, "; ".join(notes), c.conflicts))
    return out


def summary(g: Graduation) -> list[str]:
    """Return the report's lines: where each region went, and the settings carried."""
    lines = []
    for c in g.carried:
        how = {"unchanged": "as generated", "merged": "your edits carried"}.get(c.status, c.status)
        if c.status == "conflict":
            how = f"CONFLICT ({c.conflicts} block{'s' if c.conflicts > 1 else ''})"
        elif c.status == "missing":
            how = "NOT carried: its markers are gone"
        lines.append(f"region {c.region:<9} {c.source} -> {c.target}: {how}")
    lines += [f"setting  {s}" for s in g.settings]
    return lines
