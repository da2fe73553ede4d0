"""`crmproof mapping suggest`: a mapping for an export in a layout nobody shipped one for."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import click

from .options import config_path, project_options, reports_errors


@click.group()
def mapping() -> None:
    """Mappings: how an export's files and columns become crmproof's tables.

    `crmproof mapping suggest DIR -o my.yml` writes one from the export itself; see
    "Your own mapping" in the README for the format.
    """


@mapping.command("suggest")
@click.argument("folder", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("-o", "--output-file", "output_file", type=click.Path(path_type=Path,
              dir_okay=False), default=None,
              help="Write the mapping to this file (default: print it).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@project_options
@reports_errors
def mapping_suggest(folder: Path | None, output_file: Path | None, force: bool,
                    config: Path | None, data: Path | None, fmt: str | None,
                    mapping: Path | None, as_of: dt.date | None) -> None:
    """Suggest a commented mapping YAML for the export in FOLDER (default: --data, else
    data.folder in the config) from its headers and a sample of its values.

    With --format or --mapping, only the files that format or mapping does not read yet
    are covered (to extend it). Read every `# check:` line, then pass the file to
    --mapping. --as-of is accepted like everywhere and does not change a suggestion.
    """
    from ..build import export_folder
    from ..config import load_config
    from ..errors import ConfigError
    from ..ingest import builtin_mapping, ensure_format_name, load_mapping, suggest_mapping

    settings = load_config(config_path(config))
    folder = folder or data or export_folder(settings, None)
    if folder is None:
        raise ConfigError("give the export folder: crmproof mapping suggest DIR (or --data, or "
                          "data.folder in crmproof.yml)")
    known = None
    chosen = str(mapping) if mapping else fmt
    if chosen and chosen != "auto":
        name = ensure_format_name(chosen)
        known = load_mapping(Path(name)) if name.endswith((".yml", ".yaml")) else (
            builtin_mapping(name))
    if output_file is not None and output_file.exists() and not force:
        raise ConfigError(f"{output_file} exists; pass --force to replace it, or choose "
                          "another -o file")
    with tempfile.TemporaryDirectory(prefix="crmproof-suggest-") as scratch:
        text = suggest_mapping(Path(folder), Path(scratch), known)
    if output_file is None:
        click.echo(text, nl=False)
        return
    output_file.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {output_file}; check its `# check:` lines, then run: crmproof validate "
               f"--data {folder} --mapping {output_file}")
