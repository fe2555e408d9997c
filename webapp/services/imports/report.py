"""What an import reports: per-file summaries and every refused row as FILE:LINE: COLUMN: message."""
from dataclasses import asdict, dataclass, field

from ..messages import Message, english, translated


@dataclass(frozen=True)
class RowError:
    """One error: where (file, line, column) and what (a msgid with its named parameters)."""
    file: str
    line: int
    column: str
    msgid: str
    params: dict = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        return english(self.msgid, self.params)

    def __str__(self) -> str:
        """The line the command line prints, in English: FILE:LINE: COLUMN: message."""
        return f"{self.file}:{self.line}: {self.column}: {self.message}"

    def translated(self) -> str:
        """The same line in the current request's language (file, line, column as they are)."""
        return f"{self.file}:{self.line}: {self.column}: {translated(self.msgid, self.params)}"

    def to_json(self) -> dict:
        return {"text": str(self), "file": self.file, "line": self.line, "column": self.column,
                "msgid": self.msgid, "params": self.params}


@dataclass
class FileSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)
    summaries: dict[str, FileSummary] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self, max_errors: int | None = None) -> dict:
        """The report as stored on an ImportRun: each error and warning as its English text
        ("text", the line the command line prints) with its msgid and parameters, to translate."""
        errors = self.errors[:max_errors] if max_errors else self.errors
        return {"ok": self.ok, "error_count": len(self.errors),
                "errors": [error.to_json() for error in errors],
                "warnings": [warning.to_json() for warning in self.warnings],
                "summaries": {name: asdict(s) for name, s in self.summaries.items()}}
