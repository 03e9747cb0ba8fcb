"""`make audit`: known vulnerabilities in the pinned Python and npm dependencies.

Fails (exit 1) when pip-audit or `npm audit --omit=dev` reports a known vulnerability.
When an advisory service cannot be reached (an offline CI machine, a registry mirror
without the audit endpoint), says so loudly and does not fail: that is not a finding.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pip_audit() -> int:
    result = subprocess.run(
        [str(ROOT / ".venv/bin/pip-audit"), "--progress-spinner", "off", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit could not run: {result.stderr.strip()[-300:]}", file=sys.stderr)
        return 0
    deps = report.get("dependencies", [])
    found = [(d["name"], v["id"]) for d in deps for v in d.get("vulns", [])]
    audited = [d for d in deps if "skip_reason" not in d]
    summary = f"{len(audited)} of {len(deps)} packages audited"
    print(f"pip-audit: {summary}, {len(found)} known vulnerabilities")
    if not audited:
        print("WARNING: the PyPI advisory service answered for no package", file=sys.stderr)
    for name, vuln in found:
        print(f"  {name}: {vuln}")
    return 1 if found else 0


def npm_audit() -> int:
    result = subprocess.run(
        ["npm", "audit", "--omit=dev", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        report = {}
    counts = report.get("metadata", {}).get("vulnerabilities")
    if counts is None:
        reason = report.get("message") or result.stderr.strip()[-300:]
        print(f"WARNING: npm audit could not reach its advisory service: {reason}", file=sys.stderr)
        return 0
    total = sum(counts.values())
    print(f"npm audit --omit=dev: {total} known vulnerabilities {counts}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(pip_audit() | npm_audit())
