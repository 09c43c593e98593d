"""The import sorter that merges the partials' imports (generators/imports_sort.py).

Its output is checked by ruff's own isort rule, run on the block, not only against strings.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generators.imports_sort import LINE_LENGTH, STDLIB, import_block, section_of

RUFF = Path(sys.executable).parent / "ruff"


def ruff_isort(text: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ruff's isort rule with its default settings on a module holding ``text``."""
    module = tmp_path / "module.py"
    module.write_text(text + "\n")
    command = [str(RUFF), "check", "--isolated", "--select", "I", str(module)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_sections_merge_and_order() -> None:
    lines = [
        "import pandas as pd",
        "from pathlib import Path",
        "from __future__ import annotations",
        "import sys",
        "from sklearn.metrics import roc_auc_score, accuracy_score",
        "import argparse",
        "from sklearn.metrics import f1_score",
        "import sys",
        "from typing import cast, TYPE_CHECKING, Any",
    ]
    assert import_block(lines) == (
        "from __future__ import annotations\n"
        "\n"
        "import argparse\n"
        "import sys\n"
        "from pathlib import Path\n"
        "from typing import TYPE_CHECKING, Any, cast\n"
        "\n"
        "import pandas as pd\n"
        "from sklearn.metrics import accuracy_score, f1_score, roc_auc_score"
    )


def test_long_from_import_is_wrapped_one_name_a_line() -> None:
    names = [f"a_rather_long_function_name_{i}" for i in range(4)]
    block = import_block([f"from package.module import {n}" for n in reversed(names)])
    assert block == "from package.module import (\n" + "".join(f"    {n},\n" for n in names) + ")"
    short = import_block(["from package.module import x"])
    assert "(" not in short and len(short) <= LINE_LENGTH


def test_an_unparsable_line_is_kept_and_fails_ruff(tmp_path: Path) -> None:
    block = import_block(["import os", "import os, sys"])
    assert block == "import os\n\nUNPARSED IMPORT: import os, sys"
    assert ruff_isort(block, tmp_path).returncode != 0


def test_aliased_names_get_their_own_lines(tmp_path: Path) -> None:
    lines = ["from numpy import ones as O, zeros", "from numpy import ndarray  as  Array, CONST"]
    block = import_block(lines)
    assert block == (
        "from numpy import CONST, zeros\n"
        "from numpy import ndarray as Array\n"
        "from numpy import ones as O"
    )
    assert ruff_isort(block, tmp_path).returncode == 0


def test_sections_of_modules() -> None:
    assert section_of("__future__") == 0
    assert section_of("os.path") == 1 and "os" in STDLIB
    assert section_of("sklearn.model_selection") == 2


LINES = [
    "from __future__ import annotations",
    "import argparse",
    "import json",
    "import numpy as np",
    "import pandas as pd",
    "import torch",
    "from collections import OrderedDict, defaultdict",
    "from pathlib import Path",
    "from sklearn.compose import ColumnTransformer",
    "from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score",
    "from sklearn.metrics import roc_auc_score",
    "from sklearn.preprocessing import OneHotEncoder, StandardScaler",
    "from torch import nn",
    "from typing import TYPE_CHECKING, Any",
    "from typing import cast as typing_cast",
    "import os.path as osp",
]


@pytest.mark.parametrize("seed", range(6))
def test_ruff_accepts_any_mix(seed: int, tmp_path: Path) -> None:
    import random

    picked = random.Random(seed).sample(LINES, 9)
    block = import_block(picked + picked[:3])
    result = ruff_isort(block, tmp_path)
    assert result.returncode == 0, result.stdout + block
