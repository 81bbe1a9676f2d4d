"""axe-core in the browser tests: node_modules/axe-core/axe.min.js (package.json, `make setup`), never a CDN.

The script is evaluated through the DevTools protocol rather than added as a <script> tag, which the
portal's Content-Security-Policy (script-src 'self') would refuse and log as a console error.
"""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# What the tests fail on: axe's two highest impacts. "moderate" and "minor" are reported by axe but tolerated.
FAILING_IMPACTS = ("serious", "critical")


def axe_source() -> str:
    assert AXE.exists(), f"{AXE} is missing: run `make setup` (it installs axe-core with npm from package-lock.json)"
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, *, skip_rules: tuple[str, ...] = ()) -> list[dict]:
    """The serious and critical violations axe finds on the page as it is now (but for `skip_rules`)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    results = page.evaluate(
        """async (skip) => {
            const rules = Object.fromEntries(skip.map((id) => [id, {enabled: false}]));
            return await window.axe.run(document, {resultTypes: ["violations"], rules});
        }""",
        list(skip_rules),
    )
    return [v for v in results["violations"] if v.get("impact") in FAILING_IMPACTS]


def describe(violations: list[dict], where: str) -> str:
    """A readable list: each rule, what it asks, where it fails (the CSS target) and what to fix."""
    lines = [f"{len(violations)} serious/critical accessibility violation(s) on {where}:"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:8]:
            target = " ".join(str(part) for part in node["target"])
            fix = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {target}\n      {node['html'][:160]}\n      fix: {fix}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)
