"""A missing or malformed setting stops startup with one clear line naming it."""

import sys

import pytest

from bot.cli import main
from bot.config import SettingsError, load_settings


def settings_from(monkeypatch: pytest.MonkeyPatch, **env: str):
    for name in ("BOT_TOKEN", "TIMEZONE", "ADMIN_IDS", "POLL_INTERVAL_SECONDS", "LOG_LEVEL", "TELEGRAM_API_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings(_env_file=None)


def test_defaults(monkeypatch):
    settings = settings_from(monkeypatch, BOT_TOKEN="123:abc")
    assert settings.bot_token.get_secret_value() == "123:abc"
    assert str(settings.database_path) == "data/bot.sqlite3"
    assert settings.ediary_provider == "demo"
    assert settings.timezone == "Europe/Moscow"
    assert settings.poll_interval_seconds == 300
    assert settings.admin_ids == frozenset()
    assert "abc" not in repr(settings)  # the token is a SecretStr


def test_admin_ids_are_a_comma_separated_list(monkeypatch):
    assert settings_from(monkeypatch, ADMIN_IDS="1, 22,333").admin_ids == {1, 22, 333}


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"BOT_TOKEN": "not-a-token"}, "BOT_TOKEN"),
        ({"TIMEZONE": "Mars/Olympus"}, "TIMEZONE"),
        ({"ADMIN_IDS": "12,abc"}, "ADMIN_IDS"),
        ({"POLL_INTERVAL_SECONDS": "often"}, "POLL_INTERVAL_SECONDS"),
        ({"POLL_INTERVAL_SECONDS": "1"}, "POLL_INTERVAL_SECONDS"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"),
        ({"EDIARY_PROVIDER": "unknown"}, "EDIARY_PROVIDER"),
    ],
)
def test_malformed_setting_is_named(monkeypatch, env, named):
    with pytest.raises(SettingsError) as error:
        settings_from(monkeypatch, **env)
    message = str(error.value)
    assert message.startswith(named) and "\n" not in message


def test_run_without_token_prints_one_line_and_exits_2(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)  # no .env here
    settings_from(monkeypatch)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err == "ediary-bot: error: BOT_TOKEN is not set (see .env.example)\n"


def test_env_file_is_read(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    settings_from(monkeypatch)
    (tmp_path / ".env").write_text("BOT_TOKEN=77:fromfile\nTIMEZONE=Asia/Yekaterinburg\n", encoding="utf-8")
    settings = load_settings()
    assert settings.require_token() == "77:fromfile"
    assert settings.timezone == "Asia/Yekaterinburg"


def test_no_settings_are_built_at_import():
    for name in list(sys.modules):
        if name.startswith(("bot", "handlers", "storage")) and not name.startswith("bot_"):
            module = sys.modules[name]
            assert not any(type(v).__name__ == "Settings" for v in vars(module).values()), name


def test_the_example_env_file_is_valid_once_a_token_is_filled_in(monkeypatch, tmp_path):
    from pathlib import Path

    example = (Path(__file__).parent.parent / ".env.example").read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings_from(monkeypatch)
    (tmp_path / ".env").write_text(example, encoding="utf-8")
    with pytest.raises(SettingsError, match=r"^BOT_TOKEN is not set"):
        load_settings().require_token()
    (tmp_path / ".env").write_text(example.replace("BOT_TOKEN=\n", "BOT_TOKEN=5:x\n"), encoding="utf-8")
    settings = load_settings()
    settings.require_token()
    names = {line.split("=")[0].lstrip("# ").strip() for line in example.splitlines() if "=" in line}
    assert {name.lower() for name in names} <= set(type(settings).model_fields), names
    assert set(type(settings).model_fields) <= {name.lower() for name in names}, "a setting is missing in .env.example"
