"""Move the generated models' function-level imports to the end of each module.

openapi-python-client imports related models inside from_dict and to_dict, so
that models that refer to each other do not import each other at load time.
Python runs such an import statement on every call, which cost about 40 % of
Track.from_dict for a 200-event history. An import at the end of the module,
after the class is defined, is as safe against import cycles and runs once.

Usage: python scripts/hoist_lazy_imports.py GENERATED_PACKAGE_DIR
scripts/regen.sh runs it after every generation, so the committed code and a
fresh generation stay identical.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# An import of a sibling model inside a method (two levels of indentation).
# The one-level imports under `if TYPE_CHECKING:` stay: they serve the
# annotations and never run.
_LAZY_IMPORT = re.compile(r"^ {8,}(from \.\.models\.\w+ import \w+)[ \t]*$")

_HEADER = (
    "# Related models are imported here, after the class, instead of inside\n"
    "# from_dict and to_dict (scripts/hoist_lazy_imports.py).\n"
)


def hoist(path: Path) -> bool:
    """Rewrite one module; return True if it had function-level imports."""
    lines = path.read_text().splitlines(keepends=True)
    remaining: list[str] = []
    hoisted: list[str] = []
    for line in lines:
        match = _LAZY_IMPORT.match(line.rstrip("\n"))
        if match is None:
            remaining.append(line)
        elif match.group(1) not in hoisted:
            hoisted.append(match.group(1))

    if not hoisted:
        return False

    footer = "".join(f"{statement}  # noqa: E402\n" for statement in sorted(hoisted))
    path.write_text("".join(remaining).rstrip("\n") + "\n\n\n" + _HEADER + footer)
    return True


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2

    models = Path(argv[1]) / "models"
    if not models.is_dir():
        print(f"hoist_lazy_imports: no models folder in {argv[1]}", file=sys.stderr)
        return 2

    for path in sorted(models.glob("*.py")):
        hoist(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
