"""The pinned packages install on Debian 12's own Python (3.11.2), which the README's server
uses: a pin whose Requires-Python starts at a later 3.11 release (soupsieve 3.0.2 and newer ask
for 3.11.5) installs on a developer's newer 3.11 and fails `make install` on the server."""

from importlib import metadata

from packaging.specifiers import SpecifierSet

DEBIAN_12_PYTHON = "3.11.2"


def _pinned():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    names = set()
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (root / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if "==" in line:
                names.add(line.split("==")[0].split("[")[0].strip().lower())
    return names


def test_every_pinned_package_accepts_debian_12s_python():
    pinned = _pinned()
    assert "django" in pinned and "wagtail" in pinned
    refused = []
    for dist in metadata.distributions():
        name = (dist.metadata["Name"] or "").lower()
        needs = dist.metadata.get("Requires-Python")
        if name in pinned and needs and DEBIAN_12_PYTHON not in SpecifierSet(needs):
            refused.append(f"{name} {dist.version}: Requires-Python {needs}")
    assert not refused, refused
