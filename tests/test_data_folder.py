"""One data folder: the store and the accounts live under it, found from any working folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cop_graph.config import default_data_folder, load_settings

PASSWORD = "a long enough secret"


def cop_graph(*args, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cop_graph", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def environment(**names) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COP_GRAPH_")}
    return {**env, **names}


def test_the_store_and_accounts_live_in_the_data_folder_unless_set_on_their_own(tmp_path):
    settings = load_settings({"COP_GRAPH_DATA": str(tmp_path)})
    assert settings.store == str(tmp_path / "store")
    assert settings.accounts == str(tmp_path / "accounts.sqlite3")
    explicit = load_settings({"COP_GRAPH_DATA": str(tmp_path)}, store="memory:")
    assert explicit.store == "memory:" and explicit.accounts == str(tmp_path / "accounts.sqlite3")
    by_name = load_settings({"COP_GRAPH_DATA": str(tmp_path), "COP_GRAPH_ACCOUNTS": "/a/b.db"})
    assert by_name.accounts == "/a/b.db"


def test_a_relative_data_folder_is_made_absolute_and_the_default_is_absolute(tmp_path):
    assert Path(load_settings({}, data="var").data) == Path.cwd() / "var"
    assert default_data_folder().is_absolute()
    assert load_settings({}).data == str(default_data_folder())


def test_the_accounts_file_is_found_from_any_working_folder(tmp_path):
    data, here, there = tmp_path / "data", tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    env = environment(COP_GRAPH_DATA=str(data))
    added = cop_graph("user", "add", "sam", "--password", PASSWORD, cwd=here, env=env)
    assert added.returncode == 0, added.stderr
    listed = cop_graph("user", "list", cwd=there, env=env)
    assert listed.returncode == 0 and listed.stdout.startswith("sam  coordinator")
    assert (data / "accounts.sqlite3").is_file()
    assert not (here / "var").exists() and not (there / "var").exists()


def test_the_default_data_folder_is_the_same_from_any_working_folder(tmp_path):
    """Without any setting, the user's data folder (moved for the tests by XDG_DATA_HOME)."""
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    env = environment(XDG_DATA_HOME=str(tmp_path / "xdg"))
    added = cop_graph("user", "add", "kim", "--password", PASSWORD, cwd=here, env=env)
    assert added.returncode == 0, added.stderr
    listed = cop_graph("user", "list", cwd=there, env=env)
    assert listed.stdout.startswith("kim  coordinator"), listed.stderr
    assert (tmp_path / "xdg" / "cop-graph" / "accounts.sqlite3").is_file()


def test_the_data_option_names_the_folder_for_one_command(tmp_path):
    env = environment(XDG_DATA_HOME=str(tmp_path / "xdg"))
    folder = tmp_path / "elsewhere"
    args = ("--data", str(folder), "user", "add", "ash", "--password", PASSWORD)
    added = cop_graph(*args, cwd=tmp_path, env=env)
    assert added.returncode == 0, added.stderr
    assert (folder / "accounts.sqlite3").is_file()
    assert not (tmp_path / "xdg").exists()


def test_a_store_left_in_the_old_default_place_is_pointed_to(tmp_path):
    (tmp_path / "var" / "store").mkdir(parents=True)
    env = environment(XDG_DATA_HOME=str(tmp_path / "xdg"))
    result = cop_graph("graphs", cwd=tmp_path, env=env)
    assert "there is one in " + str(tmp_path / "var" / "store") in result.stderr
    assert f"give --data {tmp_path / 'var'}" in result.stderr
    elsewhere = cop_graph("--data", str(tmp_path / "var"), "graphs", cwd=tmp_path, env=env)
    assert "Note:" not in elsewhere.stderr
