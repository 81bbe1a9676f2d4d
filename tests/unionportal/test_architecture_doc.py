"""docs/architecture.md draws the layers that lint-imports checks: every app and room of the contracts is in it."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def contracts() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return config | {"by_id": {contract["id"]: contract for contract in config["contracts"]}}


def layer_names(contract: dict) -> set[str]:
    return {name.strip(" ()") for layer in contract["layers"] for name in layer.split("|")}


def diagram() -> str:
    document = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = document.split("## 1. The layers", 1)[1]
    return section.split("```", 2)[1]


def drawn_apps() -> list[list[str]]:
    """The apps named at the start of each line of the diagram ("audit | demo   top: …" names two)."""
    return [[name.strip() for name in line.split("  ")[0].split("|")] for line in diagram().splitlines()]


def test_every_app_of_the_contracts_is_in_the_diagram():
    config = contracts()
    apps = set(config["root_packages"]) | layer_names(config["by_id"]["apps-layers"])
    drawn = {name for names in drawn_apps() for name in names}
    assert sorted(apps - drawn) == []


def test_every_room_of_indicators_is_in_the_diagram_in_the_contracts_order():
    rooms = [
        name.strip(" ()") for layer in contracts()["by_id"]["indicators-rooms"]["layers"] for name in layer.split("|")
    ]
    text = diagram()
    positions = [re.search(rf"\b{re.escape(room)}\b", text.split("indicators", 1)[1]) for room in rooms]
    assert all(positions), [room for room, found in zip(rooms, positions, strict=True) if not found]
    starts = [found.start() for found in positions]
    assert starts == sorted(starts)


def test_the_apps_are_drawn_in_the_order_of_their_layers():
    layers = [layer_names({"layers": [layer]}) for layer in contracts()["by_id"]["apps-layers"]["layers"]]
    drawn = [set(names) for names in drawn_apps() if any(names)]
    assert [names for names in drawn if names in layers] == layers
