"""Production settings: `citywatch check --deploy` is clean; secrets come from the environment."""

import os
import subprocess
import sys


def run_check(tmp_path, **env_overrides):
    env = {
        **os.environ,
        "CITYWATCH_DATA_DIR": str(tmp_path / "data"),
        "CITYWATCH_PRODUCTION": "1",
        "CITYWATCH_ALLOWED_HOSTS": "citywatch.example.org",
        "CITYWATCH_EMAIL_URL": "smtp://mail.example.org:587?tls=1",
        **env_overrides,
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    return subprocess.run(
        [sys.executable, "-m", "citywatch", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean(tmp_path):
    result = run_check(
        tmp_path, CITYWATCH_SECRET_KEY="k" * 20 + "-a-long-random-secret-for-tests-0123456789"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_check(tmp_path, CITYWATCH_SECRET_KEY="")
    assert result.returncode != 0
    assert "CITYWATCH_SECRET_KEY" in result.stderr
