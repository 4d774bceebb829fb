"""Who may read what the product writes: the HR tier is private, the BI tier is readable.

The HR tier (the working warehouse with names, emails, pay and person-level scores, its WAL and spill
folder, the HR-only scorecards, the quality gates' Data Docs, the pseudonym key, scratch warehouses) is
readable by its owner only, or also by the group `DCW_HR_GROUP` names. The BI tier (the published
snapshot, the department scorecards) is readable by everyone who can reach it.

Private is the default, readable a decision: every process that writes the warehouse sets a private
umask first (`keep_new_files_private`), so that a file is private from the moment it exists, including
those DuckDB creates by itself (the WAL, the spill folder) and those dbt and the gates' process write
(they inherit the umask). `make_private` fixes what an earlier version left readable; the BI tier's
writers set their files readable before they rename them into place, so a reader never meets a file
it may not open.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

from connectors.settings import HR_GROUP_ENV, hr_group

PRIVATE_UMASK, GROUP_UMASK = 0o077, 0o027
PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700
# With a group, folders carry the set-group-id bit: what is created in them inherits the group.
GROUP_FILE, GROUP_DIR = 0o640, 0o2750
READABLE_FILE, READABLE_DIR = 0o644, 0o755
READ_AND_SEARCH = stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH


def keep_new_files_private() -> None:
    """From now on this process (and every process it starts) creates files private to the HR tier."""
    os.umask(GROUP_UMASK if hr_group() else PRIVATE_UMASK)


def private_modes() -> tuple[int, int]:
    """(file mode, folder mode) of the HR tier: owner only, or owner and `DCW_HR_GROUP`."""
    return (GROUP_FILE, GROUP_DIR) if hr_group() else (PRIVATE_FILE, PRIVATE_DIR)


def database_files(path: str | Path) -> list[Path]:
    """A DuckDB database and what DuckDB keeps beside it: the write-ahead log and the spill folder."""
    path = Path(path)
    return [path, path.with_name(f"{path.name}.wal"), path.with_name(f"{path.name}.tmp")]


def _walk(path: Path) -> list[Path]:
    """`path` and, for a folder, everything below it; symbolic links are left alone."""
    if path.is_symlink() or not path.exists():
        return []
    if not path.is_dir():
        return [path]
    return [path, *(p for p in path.rglob("*") if not p.is_symlink())]


def _set_modes(path: Path, file_mode: int, dir_mode: int, group: str | None = None) -> None:
    for item in _walk(path):
        if group is not None:
            _give_to_group(item, group)
        mode = dir_mode if item.is_dir() else file_mode
        if stat.S_IMODE(item.stat().st_mode) != mode:
            item.chmod(mode)


def _give_to_group(path: Path, group: str) -> None:
    try:
        shutil.chown(path, group=group)
    except (LookupError, PermissionError) as error:
        raise PermissionError(
            f"{HR_GROUP_ENV}={group}: {path} cannot be given to that group ({error}); name a group that "
            "exists and that the user running the pipeline belongs to, or unset it (owner only)"
        ) from None


def make_private(*paths: str | Path) -> None:
    """The HR tier's modes on each existing path, folders recursively (0600/0700, or with
    `DCW_HR_GROUP` 0640/2750 and that group)."""
    file_mode, dir_mode = private_modes()
    for path in paths:
        _set_modes(Path(path), file_mode, dir_mode, hr_group())


def make_readable(*paths: str | Path) -> None:
    """The BI tier's modes on each existing path, folders recursively (0644/0755)."""
    for path in paths:
        _set_modes(Path(path), READABLE_FILE, READABLE_DIR)


def make_folder(path: str | Path, *, readable: bool) -> Path:
    """Create `path` with the tier's folder mode. Missing parents are created passable (0755): a parent
    holds both tiers (the data folder holds the warehouse and the BI snapshot), and each private file or
    folder in it is private itself. Folders that exist keep their modes."""
    path = Path(path)
    created = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        created.append(folder)
    path.mkdir(parents=True, exist_ok=True)
    for folder in created[1:]:
        make_readable(folder)
    if created:
        (make_readable if readable else make_private)(path)
    return path


def make_passable(root: str | Path, folder: str | Path) -> None:
    """Let readers reach `folder` from `root` (the data folder): add read and search for group and others
    to every folder on the way, `root` included, and change nothing else. A process with a private umask
    (a test, an HR-tier step) may have created the data folder owner-only, which would hide the BI tier
    behind it."""
    root, folder = Path(root).resolve(), Path(folder).resolve()
    if root != folder and root not in folder.parents:
        raise ValueError(f"{folder} is not inside {root}")
    for item in (folder, *folder.parents):
        if item.is_dir():
            mode = stat.S_IMODE(item.stat().st_mode)
            wanted = mode | READ_AND_SEARCH
            if wanted != mode:
                item.chmod(wanted)
        if item == root:
            break


def write_atomically(path: str | Path, write: Callable[[Path], None], *, readable: bool) -> Path:
    """Write through `write(partial)` beside `path`, set the tier's mode, then rename over `path`: a
    reader opening it sees the old file or the whole new one, never a part, and may open either."""
    path = Path(path)
    make_folder(path.parent, readable=readable)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    write(partial)
    partial.chmod(READABLE_FILE if readable else private_modes()[0])
    os.replace(partial, path)
    return path


def remove_partial_files(folder: str | Path) -> list[Path]:
    """Remove what `write_atomically` left behind in `folder` when its process was killed (a writer
    still alive keeps its file)."""
    removed = []
    for partial in Path(folder).glob(".*.tmp"):
        pid = partial.name.rsplit(".", 2)[-2]
        if pid.isdigit() and not _alive(int(pid)):
            partial.unlink(missing_ok=True)
            removed.append(partial)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
