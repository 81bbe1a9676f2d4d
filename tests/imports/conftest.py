import pytest

from .files import write_xlsx


@pytest.fixture
def xlsx(tmp_path):
    """xlsx(kind, rows, name=..., headers=...) -> the path of a real .xlsx with those rows."""
    counter = iter(range(1, 10_000))

    def make(kind: str | None, rows: list[list], *, name: str | None = None, headers: list | None = None):
        return write_xlsx(tmp_path / (name or f"file{next(counter)}.xlsx"), rows, kind=kind, headers=headers)

    return make


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to the test's own folder, not to var/media."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def announced():
    """What organizations.registry_changed says after the commit: the refreshes an import queues."""
    from organizations.hooks import registry_changed

    payloads: list[dict] = []

    def listen(**payload):
        payloads.append(payload)

    registry_changed.register(listen)
    yield payloads
    registry_changed.unregister(listen)
