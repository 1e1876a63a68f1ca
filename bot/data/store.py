"""The only module that reads and writes assessments/.

Files (paths relative to the repository root):

- ``assessments/controls.yml``        the catalog of controls
- ``assessments/tiers.yml``           the tier policy
- ``assessments/openssf.yml``         the OpenSSF capabilities (optional)
- ``assessments/registries/<id>.yml`` one registry each

Every file is read strictly (``bot.data.strict_yaml.load``) and validated while it is
converted (``bot.data.codec``); all problems of all files are raised together as
one :class:`~bot.errors.DataError`. Writing always goes through
``bot.data.strict_yaml.dump``, so a file the store wrote reads back to the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from bot.data import codec, snapshot, strict_yaml
from bot.data.field_reader import with_lines
from bot.data.model import Catalog, Dataset, Registry, TierPolicy
from bot.data.parse_cache import ParseCache
from bot.data.principles import Principles
from bot.data.principles_codec import principles_from_data, principles_to_data
from bot.data.snapshot import Files
from bot.errors import DataError, Problem

CONTROLS = PurePosixPath("assessments/controls.yml")
TIERS = PurePosixPath("assessments/tiers.yml")
PRINCIPLES = PurePosixPath("assessments/openssf.yml")
REGISTRIES = PurePosixPath("assessments/registries")

T = TypeVar("T")


def registry_path(registry_id: str) -> PurePosixPath:
    """Where the file of one registry lives, relative to the root."""
    return REGISTRIES / f"{registry_id}.yml"


def load_dataset(root: Path, cache: ParseCache | None = None) -> Dataset:
    """Read and validate everything under ``root/assessments``."""
    return dataset_from(snapshot.from_directory(root), cache)


def dataset_from(files: Files, cache: ParseCache | None = None) -> Dataset:
    """Validate the data files of a snapshot; raise DataError listing every problem.

    With a ``cache``, a file whose text was parsed before is not parsed again (the result
    is the same: tests/test_parse_cache.py).
    """
    parse = cache.load if cache is not None else strict_yaml.load
    problems: list[Problem] = []

    def read(path: PurePosixPath, convert: Callable[[Any, str, list[Problem]], T]) -> T:
        return _read(files, path, problems, convert, parse)

    catalog = read(CONTROLS, codec.catalog_from_data)
    if problems:
        raise DataError(problems)
    policy = read(TIERS, lambda d, s, p: codec.policy_from_data(d, s, catalog, p))
    principles = (
        read(PRINCIPLES, lambda d, s, p: principles_from_data(d, s, catalog, p))
        if PRINCIPLES in files
        else Principles()
    )
    # By id, the order changes.apply keeps: by path, "go.yml" would sort after "go-modules.yml".
    paths = sorted(
        (p for p in files if p.parent == REGISTRIES and p.suffix == ".yml"), key=lambda p: p.stem
    )
    registries = tuple(
        read(p, lambda d, s, p: _registry(d, s, catalog, principles, p)) for p in paths
    )
    if not registries and not problems:
        problems.append(Problem(str(REGISTRIES), "no registry files found (*.yml)"))
    if problems:
        raise DataError(problems)
    return Dataset(catalog=catalog, policy=policy, registries=registries, principles=principles)


def _registry(
    data: Any, source: str, catalog: Catalog, principles: Principles, problems: list[Problem]
) -> Registry:
    registry = codec.registry_from_data(data, source, catalog, principles, problems)
    stem = PurePosixPath(source).stem
    if registry.id and registry.id != stem:
        problems.append(
            Problem(f"{source}: id", f"{registry.id!r} does not match the file name {stem!r}")
        )
    return registry


def _read(
    files: Files,
    path: PurePosixPath,
    problems: list[Problem],
    convert: Callable[[Any, str, list[Problem]], T],
    parse: Callable[[str, str], Any] = strict_yaml.load,
) -> T:
    """Read and convert one file; its problems are located as ``file:line: field``.

    When the file cannot be read at all, only that is reported: what the conversion would
    say about the missing data ("id: missing", ...) would be noise.
    """
    source = str(path)
    text = files.get(path)
    try:
        if path not in files or text is None:
            raise DataError(
                [
                    Problem(
                        source, "file is missing" if path not in files else "file is not UTF-8 text"
                    )
                ]
            )
        data = parse(text, source)
    except DataError as exc:
        problems.extend(exc.problems)
        return convert({}, source, [])
    found: list[Problem] = []
    result = convert(data, source, found)
    problems.extend(with_lines(found, source, strict_yaml.key_lines(text)) if found else ())
    return result


def _schema(name: str, depth: int) -> str:
    """The comment that points editors (yaml-language-server) at the file's JSON Schema."""
    return f"yaml-language-server: $schema={'../' * depth}schemas/{name}.schema.json"


def dump_registry(registry: Registry) -> str:
    """The canonical text of a registry file."""
    return strict_yaml.dump(codec.registry_to_data(registry), _schema("registry", 2))


def dump_catalog(catalog: Catalog) -> str:
    """The canonical text of the catalog."""
    return strict_yaml.dump(codec.catalog_to_data(catalog), _schema("controls", 1))


def dump_policy(policy: TierPolicy) -> str:
    """The canonical text of the tier policy."""
    return strict_yaml.dump(codec.policy_to_data(policy), _schema("tiers", 1))


def dump_principles(principles: Principles) -> str:
    """The canonical text of the OpenSSF capability catalog."""
    return strict_yaml.dump(principles_to_data(principles), _schema("openssf", 1))


def canonical_files(dataset: Dataset) -> dict[PurePosixPath, str]:
    """Every data file as the store writes it, keyed by path relative to the root."""
    files = {CONTROLS: dump_catalog(dataset.catalog), TIERS: dump_policy(dataset.policy)}
    if dataset.principles.capabilities:
        files[PRINCIPLES] = dump_principles(dataset.principles)
    files.update({registry_path(r.id): dump_registry(r) for r in dataset.registries})
    return files


def write_text(path: Path, text: str) -> None:
    """Write text atomically (a temporary file renamed into place), LF line endings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    temporary.replace(path)
