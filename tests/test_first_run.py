"""A first run on the embedded default: `citywatch --help`, `check`, `demo --admin`, and
scripts/demo starting without reinstalling anything when the lock file is unchanged."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import run, scratch_env  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parent.parent


def test_help_lists_citywatch_commands_first_in_one_spelling(scratch_env):  # noqa: F811
    result = run(scratch_env, "--help")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    own = text.index("CityWatch commands:")
    django = text.index("Django and library commands:")
    assert own < django
    ours = text[own:django]
    for name in ["demo", "createadmin", "foi-check", "load-demo", "verify-archive", "check"]:
        assert re.search(rf"^  {re.escape(name)} ", ours, re.MULTILINE), name
    assert "foi_check" not in text  # one spelling
    assert "load_demo" not in text
    # Either spelling runs the command, and its usage line shows the hyphenated one.
    for spelling in ("foi-check", "foi_check"):
        usage = run(scratch_env, "help", spelling)
        assert usage.returncode == 0, usage.stderr
        assert usage.stdout.startswith("usage: citywatch foi-check ")


def test_check_says_which_mail_delivery_is_in_use(scratch_env):  # noqa: F811
    default = run(scratch_env, "check")
    assert default.returncode == 0, default.stderr
    assert "no issues" in default.stdout
    assert "Outgoing mail: kept in the outbox" in default.stdout
    assert str(Path(scratch_env["CITYWATCH_DATA_DIR"]).resolve() / "outbox") in default.stdout

    smtp = run(
        {
            **scratch_env,
            "CITYWATCH_EMAIL_URL": "smtp://desk%40example.org:pw@mail.example.org:587?tls=1",
        },
        "check",
    )
    assert "Outgoing mail: delivered by SMTP via mail.example.org:587 (STARTTLS)" in smtp.stdout
    assert "pw" not in smtp.stdout.split("Outgoing mail:")[1]

    production = run(
        {
            **scratch_env,
            "CITYWATCH_PRODUCTION": "1",
            "CITYWATCH_SECRET_KEY": "k" * 20 + "-a-long-random-secret-for-tests-0123456789",
            "CITYWATCH_ALLOWED_HOSTS": "citywatch.example.org",
        },
        "check",
        "--deploy",
    )
    assert "citywatch.W001" in production.stdout + production.stderr


def test_demo_admin_prints_a_password_that_logs_in_and_the_next_steps(scratch_env):  # noqa: F811
    result = run(scratch_env, "demo", "--no-serve", "--admin")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    password = re.search(r"Password \(shown only now\): (\S+)", out).group(1)
    assert len(password) >= 16
    assert "http://127.0.0.1:8000/accounts/login/ as admin@example.org" in out
    assert "Outgoing mail: kept in the outbox" in out
    assert "http://127.0.0.1:8000/outbox/" in out
    assert "authenticator app" in out
    # The password is stored only as a hash, and it is the administrator's password.
    check = run(
        scratch_env,
        "shell",
        "-c",
        "from django.contrib.auth import authenticate;"
        f"print(authenticate(username='admin@example.org', password='{password}').is_superuser)",
    )
    assert check.stdout.strip().splitlines()[-1] == "True", check.stderr
    # Running it again gives a new password; the old one no longer works.
    again = run(scratch_env, "demo", "--no-serve", "--admin")
    new_password = re.search(r"Password \(shown only now\): (\S+)", again.stdout).group(1)
    assert new_password != password
    assert "has a new password" in again.stdout


def test_demo_without_admin_says_how_to_create_one(scratch_env):  # noqa: F811
    result = run(scratch_env, "demo", "--no-serve")
    assert result.returncode == 0, result.stderr
    assert "citywatch demo --admin" in result.stdout
    assert "Password" not in result.stdout


def bash(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", f"source {ROOT / 'scripts' / 'lib.sh'}; {script}"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="coreutils sha256sum missing")
def test_demo_script_reinstalls_only_when_the_lock_file_changes(tmp_path):
    """scripts/demo calls ensure_venv, which skips pip when the stamp matches the lock."""
    (tmp_path / "requirements.lock").write_text("Django==5.2.19\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True
    )
    assert bash("venv_is_current requirements.lock", tmp_path).returncode == 1  # no stamp yet
    stamp = tmp_path / ".venv" / ".citywatch-requirements.lock.sha256"
    stamp.write_text(bash("lock_stamp requirements.lock", tmp_path).stdout)
    assert bash("venv_is_current requirements.lock", tmp_path).returncode == 0
    # ensure_venv returns at once (no pip in this venv: running pip would fail).
    assert bash("ensure_venv requirements.lock", tmp_path).returncode == 0
    (tmp_path / "requirements.lock").write_text("Django==5.2.20\n")
    assert bash("venv_is_current requirements.lock", tmp_path).returncode == 1
    (tmp_path / "requirements.lock").write_text("Django==5.2.19\n")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "y"\n')
    assert bash("venv_is_current requirements.lock", tmp_path).returncode == 1
    assert os.access(ROOT / "scripts" / "demo", os.X_OK)
    assert "ensure_venv requirements.lock" in (ROOT / "scripts" / "demo").read_text()
