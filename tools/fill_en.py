"""Fill untranslated entries of the English catalog with their source text.

English is the source language, so a new string's English "translation" starts
as the string itself; copy editors can then change the wording in
`locales/en/LC_MESSAGES/messages.po` without touching code. Run by
`python3 dev.py i18n` after merging a fresh messages.pot.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = Path(__file__).resolve().parent.parent / "locales" / "en" / "LC_MESSAGES" / "messages.po"


def main() -> None:
    with CATALOG.open("rb") as fp:
        catalog = read_po(fp, locale="en")
    filled = 0
    for message in catalog:
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        translated = all(strings)
        if not message.id or (translated and not message.fuzzy):
            continue
        message.string = message.id  # a (singular, plural) pair for plural entries
        message.flags.discard("fuzzy")
        filled += 1
    with CATALOG.open("wb") as fp:
        write_po(fp, catalog, width=76, omit_header=False, sort_output=True)
    print(f"{CATALOG}: filled {filled} entries")  # noqa: T201


if __name__ == "__main__":
    main()
