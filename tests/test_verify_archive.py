"""Tamper evidence: `citywatch verify-archive` re-hashes every stored file."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from citywatch.evidence import services
from citywatch.evidence.models import StoredFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    first = services.add_document(b"%PDF-1.4 first file", "a.pdf", title="A", kind="leak")
    second = services.add_document(b"Plain text reply.", "b.txt", title="B", kind="official")
    return first.document, second.document


def path_of(stored_file: StoredFile):
    return stored_file.file.path


def test_all_files_unchanged(stored, capsys):
    call_command("verify_archive")
    assert "2 files checked, 0 problems." in capsys.readouterr().out


def test_a_changed_byte_is_detected(stored, capsys):
    first, second = stored
    path = path_of(second)
    with open(path, "rb") as handle:
        data = bytearray(handle.read())
    data[3] ^= 0x01  # flip one bit of one byte: "Plain" becomes "Plahn"
    with open(path, "wb") as handle:
        handle.write(data)
    with pytest.raises(CommandError, match="1 stored file"):
        call_command("verify_archive")
    error = capsys.readouterr().err
    assert f"CHANGED  file #{second.pk}" in error
    assert f"recorded {second.sha256}" in error
    assert f"#{first.pk}" not in error


def test_a_missing_file_is_reported(stored, capsys):
    first, _second = stored
    import os

    os.remove(path_of(first))
    with pytest.raises(CommandError):
        call_command("verify_archive")
    assert f"MISSING  file #{first.pk}" in capsys.readouterr().err


def test_the_command_line_exits_non_zero(stored, settings, tmp_path):
    """As cron would run it: `citywatch verify-archive` with an exit status to act on."""
    first, _second = stored
    with open(path_of(first), "ab") as handle:
        handle.write(b"!")
    # The test database is not visible to another process: check the function it calls.
    checked, problems = services.verify_files()
    assert checked == 2
    assert [(p.stored.pk, p.problem) for p in problems] == [(first.pk, "changed")]
    result = subprocess.run(
        [sys.executable, "-m", "citywatch", "verify-archive", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "Re-hash every stored document" in result.stdout
