"""Regenerate `bot/fake_telegram/botapi.json` from the full machine-readable Bot API description.

The fake Bot API checks every call against this file. It keeps only what a
check needs (names, types, required flags) so the project carries the facts
without the prose. Run after a Bot API upgrade:

    python tools/compact_botapi.py ../shared/telegram/botapi-10.1.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

TARGET = Path(__file__).resolve().parent.parent / "bot" / "fake_telegram" / "botapi.json"


def compact_fields(fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["name"]: {"types": f["types"], "required": f["required"]} for f in fields}


def main(source: str) -> None:
    full = json.loads(Path(source).read_text(encoding="utf-8"))
    out = {
        "version": full["version"],
        "release_date": full["release_date"],
        "methods": {
            name: {"params": compact_fields(m.get("fields", [])), "returns": m["returns"]}
            for name, m in full["methods"].items()
        },
        "types": {
            name: (
                {"subtypes": t["subtypes"]}
                if "subtypes" in t
                else {"fields": compact_fields(t.get("fields", []))}
            )
            for name, t in full["types"].items()
        },
    }
    TARGET.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {TARGET} ({TARGET.stat().st_size:,} bytes)")  # noqa: T201


if __name__ == "__main__":
    main(sys.argv[1])
