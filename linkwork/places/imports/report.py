"""What an import did, per file: loaded, updated, unchanged, skipped and rejected."""

from collections import Counter
from dataclasses import dataclass, field

# Beyond this many, rejected rows are counted rather than listed.
LISTED_REJECTIONS = 50


@dataclass
class FileReport:
    """One input file's outcome. `rejected` holds (where, reason): nothing of a
    rejected record was written. `skipped` counts rows deliberately left out
    (terminated postcodes, LSOAs outside the deployment) by reason."""

    kind: str
    path: str
    loaded: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def read(self) -> int:
        return (
            self.loaded
            + self.updated
            + self.unchanged
            + sum(self.skipped.values())
            + len(self.rejected)
        )

    def reject(self, where: str, reason: str) -> None:
        self.rejected.append((where, reason))

    def __str__(self) -> str:
        lines = [
            f"{self.kind} from {self.path} ({self.seconds:.1f} s): loaded {self.loaded}, "
            f"updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {sum(self.skipped.values())}, rejected {len(self.rejected)}"
        ]
        lines += [f"  note: {note}" for note in self.notes]
        lines += [f"  skipped {count}: {reason}" for reason, count in sorted(self.skipped.items())]
        lines += [
            f"  rejected {where}: {reason}" for where, reason in self.rejected[:LISTED_REJECTIONS]
        ]
        if len(self.rejected) > LISTED_REJECTIONS:
            lines.append(f"  ... and {len(self.rejected) - LISTED_REJECTIONS} more rejected")
        return "\n".join(lines)


@dataclass
class GeographyReport:
    files: list[FileReport] = field(default_factory=list)
    dry_run: bool = False

    def __str__(self) -> str:
        lines = ["Dry run: nothing was saved. This is what the import would do."] * self.dry_run
        lines += [str(report) for report in self.files]
        return "\n".join(lines)
