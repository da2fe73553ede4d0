"""`crmproof init`: a commented config generated from the schema, and editable content."""

from __future__ import annotations

import pytest
import yaml

from generator.config import config_text, defaults, iter_options, load_config

from .conftest import run_cli


def test_init_writes_config_with_every_option_and_its_help(tmp_path):
    result = run_cli("init", str(tmp_path))
    assert result.exit_code == 0, result.output
    text = (tmp_path / "crmproof.yml").read_text(encoding="utf-8")
    for dotted, option in iter_options():
        assert f"{dotted.split('.')[-1]}:" in text, dotted
        assert option.help.split()[0] in text, dotted
    assert load_config(tmp_path / "crmproof.yml").values == defaults()
    assert (tmp_path / "content" / "about.md").is_file()


def test_generated_yaml_is_the_schema_defaults():
    assert yaml.safe_load(config_text()) == defaults()


def test_init_prefills_the_data_folder(tmp_path):
    assert run_cli("init", str(tmp_path), "--data", "exports").exit_code == 0
    assert load_config(tmp_path / "crmproof.yml")["data"]["folder"] == "exports"


def test_init_refuses_to_overwrite_without_force(tmp_path):
    (tmp_path / "crmproof.yml").write_text("privacy: named\n", encoding="utf-8")
    result = run_cli("init", str(tmp_path))
    assert result.exit_code == 2
    assert result.output == (f"Error: {tmp_path / 'crmproof.yml'} already exists; edit it, "
                             f"or pass --force to replace it with a fresh one\n")
    assert (tmp_path / "crmproof.yml").read_text(encoding="utf-8") == "privacy: named\n"
    assert run_cli("init", str(tmp_path), "--force").exit_code == 0
    assert load_config(tmp_path / "crmproof.yml")["privacy"] == "anonymous"


def test_init_keeps_edited_content(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "about.md").write_text("# Ours\n", encoding="utf-8")
    assert run_cli("init", str(tmp_path)).exit_code == 0
    assert (tmp_path / "content" / "about.md").read_text(encoding="utf-8") == "# Ours\n"


@pytest.mark.slow
def test_init_then_build_in_an_empty_folder_builds_the_demo(tmp_path):
    assert run_cli("init", cwd=tmp_path).exit_code == 0
    (tmp_path / "content" / "about.md").write_text("# About us\n\nOur own words.\n",
                                                   encoding="utf-8")
    result = run_cli("build", "--quiet", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    about = (tmp_path / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert "Our own words." in about
