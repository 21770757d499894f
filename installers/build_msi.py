"""Build ``dist/AcmePhone-<version>.msi`` from installers/windows/AcmePhone.wxs.

    python installers/build_msi.py [--source DIR] [--out FILE] [--toolset wixl|wix]

The source tree is the frozen one-folder Windows program (``dist/AcmePhone`` holding
``AcmePhone.exe``); without one (on Linux) a small staged tree stands in, which checks the
authoring but installs no working program: the installable MSI is built on Windows by CI.

The files of the tree, except AcmePhone.exe which the product source names, are harvested into
``files.wxs`` (component group ``AppFiles``, one component per file as WiX ``heat`` makes them).
With wixl (msitools, Linux) what WiX v3 does and wixl 0.101 does not is done here from the same
source, after the build, with ``msibuild``: component conditions (wixl reads ``<Condition>`` only
as a launch condition, so the source hides them from it), ``Secure="yes"`` properties, and the
custom action types (wixl marks immediate actions "no impersonate").
With ``--toolset wix`` (Windows, WiX v3 on PATH) candle and light build the same two files.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WXS = ROOT / "installers" / "windows" / "AcmePhone.wxs"
WIX_NS = "http://schemas.microsoft.com/wix/2006/wi"
MAIN_EXE = "AcmePhone.exe"
STAGED_NOTE = (
    "Staged tree for the MSI authoring check: no program inside.\n"
    "The installable MSI is built on Windows (.github/workflows/installers.yml).\n"
)


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return str(tomllib.load(handle)["project"]["version"])


def stage_placeholder(stage: Path) -> Path:
    """A small tree shaped like the one-folder build: the exe, a nested folder, a resource."""
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "_internal" / "resources" / "icons").mkdir(parents=True)
    (stage / MAIN_EXE).write_text(STAGED_NOTE, encoding="utf-8")
    (stage / "_internal" / "README.txt").write_text(STAGED_NOTE, encoding="utf-8")
    icon = ROOT / "resources" / "icons" / "phone.svg"
    shutil.copyfile(icon, stage / "_internal" / "resources" / "icons" / icon.name)
    return stage


def _ident(prefix: str, rel: str) -> str:
    return f"{prefix}_{hashlib.sha1(rel.encode('utf-8')).hexdigest()[:20]}"


def harvest(source: Path, out: Path) -> int:
    """Write the AppFiles fragment for every file under source but the main exe; the count."""
    wix = ET.Element("Wix", xmlns=WIX_NS)
    fragment = ET.SubElement(wix, "Fragment")
    root_ref = ET.SubElement(fragment, "DirectoryRef", Id="INSTALLDIR")
    group = ET.SubElement(ET.SubElement(wix, "Fragment"), "ComponentGroup", Id="AppFiles")
    folders: dict[Path, ET.Element] = {Path("."): root_ref}
    count = 0
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_dir() or rel == Path(MAIN_EXE):
            continue
        parent = Path(".")
        for part in rel.parent.parts:
            here = parent / part
            if here not in folders:
                folders[here] = ET.SubElement(
                    folders[parent], "Directory", Id=_ident("d", here.as_posix()), Name=part
                )
            parent = here
        key = rel.as_posix()
        component = ET.SubElement(
            folders[parent], "Component", Id=_ident("c", key), Guid="*", Win64="yes"
        )
        ET.SubElement(
            component, "File", Id=_ident("f", key), Name=path.name,
            Source=f"$(var.SourceDir)/{key}", KeyPath="yes",
        )  # fmt: skip
        ET.SubElement(group, "ComponentRef", Id=_ident("c", key))
        count += 1
    ET.indent(wix)
    ET.ElementTree(wix).write(out, encoding="utf-8", xml_declaration=True)
    return count


def _authoring(wxs: Path) -> tuple[dict[str, str], list[str]]:
    """Component conditions and secure properties as the WiX source states them."""
    tree = ET.parse(wxs)  # processing instructions (<?ifndef?>) are dropped: all elements seen
    ns = {"w": WIX_NS}
    conditions: dict[str, str] = {}
    for component in tree.iterfind(".//w:Component", ns):
        condition = component.find("w:Condition", ns)
        if condition is not None and condition.text:
            conditions[component.attrib["Id"]] = condition.text.strip()
    secure = [
        prop.attrib["Id"]
        for prop in tree.iterfind(".//w:Property", ns)
        if prop.attrib.get("Secure") == "yes"
    ]
    return conditions, secure


_CA_IN_SCRIPT = 0x400  # msidbCustomActionTypeInScript (deferred)
_CA_NO_IMPERSONATE = 0x800


def _sql_text(value: str) -> str:
    if "'" in value:
        raise ValueError(f"no single quotes in MSI authoring values: {value!r}")
    return f"'{value}'"


def _property(msi: Path, name: str) -> str | None:
    for row in _table(msi, "Property"):
        if row[0] == name:
            return row[1] if len(row) > 1 else ""
    return None


def _table(msi: Path, name: str) -> list[list[str]]:
    text = subprocess.run(  # binary columns would land in <cwd>/<table>/: beside the msi
        ["msiinfo", "export", str(msi), name], check=True, capture_output=True, text=True,
        cwd=msi.parent,
    ).stdout  # fmt: skip
    return [line.split("\t") for line in text.splitlines()[3:]]


def _apply_authoring(msi: Path, wxs: Path) -> None:
    conditions, secure = _authoring(wxs)
    queries = [
        f"UPDATE `Component` SET `Condition` = {_sql_text(text)} "
        f"WHERE `Component` = {_sql_text(component)}"
        for component, text in conditions.items()
    ]
    existing = _property(msi, "SecureCustomProperties")
    names = [n for n in (existing or "").split(";") if n]
    names += [n for n in secure if n not in names]
    value = _sql_text(";".join(names))
    if existing is None:
        row = f"('SecureCustomProperties', {value})"
        queries.append(f"INSERT INTO `Property` (`Property`, `Value`) VALUES {row}")
    else:
        queries.append(
            f"UPDATE `Property` SET `Value` = {value} WHERE `Property` = 'SecureCustomProperties'"
        )
    # wixl marks every custom action "no impersonate" unless told otherwise; WiX sets that bit
    # only for deferred ones (it means nothing for immediate actions, and ICE68 flags it)
    for action, kind, *_ in _table(msi, "CustomAction"):
        bits = int(kind)
        if bits & _CA_NO_IMPERSONATE and not bits & _CA_IN_SCRIPT:
            queries.append(
                f"UPDATE `CustomAction` SET `Type` = {bits & ~_CA_NO_IMPERSONATE} "
                f"WHERE `Action` = {_sql_text(action)}"
            )
    for query in queries:
        subprocess.run(["msibuild", str(msi), "-q", query], check=True)


# what wixl 0.101 says about WiX v3 authoring it does not model (handled in _apply_authoring)
_WIXL_NOISE = ("has no property named 'Secure'", "builder.vala:699: unimplemented")


def build_wixl(wxs: Path, files_wxs: Path, out: Path, defines: dict[str, str]) -> None:
    """wixl 0.101 finds files only by relative paths: it runs in the source tree, and finds the
    icon by name in the folder of files.wxs."""
    source = defines["SourceDir"]
    icon = Path(defines["IconFile"])
    if icon.parent != files_wxs.parent:
        raise ValueError(f"wixl finds the icon only next to {files_wxs.name}: {icon}")
    args = ["wixl", "--arch", "x64", "-o", str(out)]
    relative = {"SourceDir": ".", "IconFile": icon.name, "Wixl": "1"}
    for name, value in {**defines, **relative}.items():
        args += ["-D", f"{name}={value}"]
    run = subprocess.run(
        [*args, str(wxs), str(files_wxs)], cwd=source, capture_output=True, text=True
    )
    for line in run.stderr.splitlines():
        if line.strip() and not any(noise in line for noise in _WIXL_NOISE):
            print(line, file=sys.stderr)
    if run.returncode != 0:
        raise SystemExit(f"wixl failed ({run.returncode})")
    _apply_authoring(out, wxs)


def build_wix(wxs: Path, files_wxs: Path, out: Path, defines: dict[str, str]) -> None:
    """WiX v3 on Windows: candle + light (the CI workflow)."""
    obj = out.parent / "wixobj"
    obj.mkdir(parents=True, exist_ok=True)
    candle = ["candle", "-nologo", "-arch", "x64", "-out", f"{obj}{os.sep}"]
    candle += [f"-d{name}={value}" for name, value in defines.items()]
    subprocess.run([*candle, str(wxs), str(files_wxs)], check=True)
    objects = [str(obj / f"{p.stem}.wixobj") for p in (wxs, files_wxs)]
    subprocess.run(["light", "-nologo", "-sval", "-out", str(out), *objects], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="one-folder program (default: dist/AcmePhone)")
    parser.add_argument("--out", type=Path, help="default: dist/AcmePhone-<version>.msi")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "msi")
    parser.add_argument("--toolset", choices=("wixl", "wix"), default="wixl")
    args = parser.parse_args(argv)
    version = project_version()
    out = (args.out or ROOT / "dist" / f"AcmePhone-{version}.msi").resolve()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    source = args.source or ROOT / "dist" / "AcmePhone"
    defines = {"Version": version}
    if not (source / MAIN_EXE).is_file():
        if args.source is not None:
            parser.error(f"{source} holds no {MAIN_EXE}")
        print(f"no {source / MAIN_EXE}: staging a placeholder tree (authoring check only)")
        source = stage_placeholder(work / "stage")
        defines["Comments"] = "Authoring check: placeholder files, no program inside"
    source = source.resolve()
    files_wxs = work / "files.wxs"
    count = harvest(source, files_wxs)
    out.parent.mkdir(parents=True, exist_ok=True)
    defines["SourceDir"] = str(source)
    from make_icons import build as make_icons  # same folder; draws with Qt

    defines["IconFile"] = str(make_icons(work)["ico"])
    build = build_wixl if args.toolset == "wixl" else build_wix
    build(WXS, files_wxs, out, defines)
    print(f"{out} ({out.stat().st_size} bytes, {count + 1} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
