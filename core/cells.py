"""User text written into a spreadsheet as text, never as a formula (OWASP, CSV/formula injection): a value
that a spreadsheet would read as a formula or a command — starting with = + - @, a tab or a carriage return,
in half- or full-width — is prefixed with a single quote, and every export writes user text through here."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def cell_text(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
