"""`broadcast voices install PATH` and the console's upload: a voice file a station brings on a USB
stick or from another PC — a piper voice (NAME.onnx beside NAME.onnx.json) or a korvatts model (its
folder, or a zip of it) — checked (format, size, a sentence voiced) and copied into voices/.
Nothing is ever fetched: what is not in the file is not installed."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from broadcast.errors import EngineError, InputError
from broadcast.i18n import _
from broadcast.speech import korvatts

MAX_MB = 1024                 # a korvatts model is about 400 MB; piper voices 20-120 MB
TEST_SENTENCE = "Kính thưa bà con nhân dân, đây là giọng đọc thử của đài truyền thanh xã."


@dataclass(frozen=True)
class Installed:
    engine: str                # piper | korvatts
    path: Path                 # in the station folder
    voices: tuple[str, ...]
    licence: str               # the licence text that came with it ("" for a piper voice without one)


def install(source: Path, station_root: Path, max_mb: float = MAX_MB) -> Installed:
    source = Path(source)
    if not source.exists():
        raise InputError(source, None, None, _("file not found"))
    if source.is_file() and source.suffix == ".onnx":
        from broadcast.speech.piper import install_voice

        _check_size(source, max_mb)
        installed = install_voice(source, station_root)
        notes = [p for p in (source.with_name("MODEL_CARD"), source.with_name("LICENSE")) if p.is_file()]
        return Installed("piper", installed, (installed.stem,), "\n".join(p.read_text("utf-8", "replace") for p in notes))
    if source.is_dir():
        return _install_korvatts(_model_root(source, source), station_root, max_mb)
    if source.suffix == ".zip":
        _check_size(source, max_mb)
        with tempfile.TemporaryDirectory(dir=_scratch(station_root)) as folder:
            _unzip(source, Path(folder), max_mb)
            return _install_korvatts(_model_root(Path(folder), source), station_root, max_mb)
    raise InputError(source, None, None, _("not a voice file"),
                     _("give a piper NAME.onnx (its NAME.onnx.json beside it), or a korvatts folder or .zip"))


def _scratch(root: Path) -> Path:
    folder = Path(root) / "voices"
    folder.mkdir(exist_ok=True)
    return folder


def _check_size(path: Path, max_mb: float) -> None:
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size
    if total > max_mb * 1024 * 1024:
        raise InputError(path, None, None, _("larger than {mb:.0f} MB").format(mb=max_mb),
                         _("a voice is at most {mb:.0f} MB: is this the right file?").format(mb=max_mb))


def _unzip(archive: Path, into: Path, max_mb: float) -> None:
    try:
        with zipfile.ZipFile(archive) as z:
            members = z.infolist()
            if sum(m.file_size for m in members) > max_mb * 1024 * 1024:
                raise InputError(archive, None, None, _("unpacks to more than {mb:.0f} MB").format(mb=max_mb))
            for member in members:
                name = PurePosixPath(member.filename)
                if name.is_absolute() or ".." in name.parts:
                    raise InputError(archive, None, member.filename, _("a path outside the archive"),
                                     _("the zip is damaged or not a voice"))
            z.extractall(into)
    except zipfile.BadZipFile:
        raise InputError(archive, None, None, _("not a zip file"), _("the file is damaged or not a voice")) from None


def _model_root(folder: Path, shown: Path) -> Path:
    """The folder holding onnx/ (the archive's top, or one folder down)."""
    for candidate in [folder, *sorted(p for p in folder.iterdir() if p.is_dir())]:
        if (candidate / "onnx").is_dir():
            return candidate
    raise InputError(shown, None, None, _("no onnx/ folder: not a korvatts model"),
                     _("a korvatts model holds onnx/ (four .onnx files, tts.json, unicode_indexer.json) and voice_styles/"))


def _install_korvatts(root: Path, station_root: Path, max_mb: float) -> Installed:
    _check_size(root, max_mb)
    missing = korvatts.missing_files(root)
    if missing:
        raise InputError(root, None, None, _("the model lacks {names}").format(names=", ".join(missing)),
                         _("copy the whole model folder (onnx/ and voice_styles/)"))
    licence = korvatts.licence_text(root)
    if not licence.strip():
        raise InputError(root, None, None, _("no licence text with the model"),
                         _("a voice aired on a public station must come with its licence (LICENSE or MODEL_LICENSE.md)"))
    voices = _scratch(station_root)
    target = voices / f"korvatts-{korvatts.digest(root)}"
    staging = Path(tempfile.mkdtemp(prefix=".dang-cai-", dir=voices))
    try:
        shutil.copytree(root / "onnx", staging / "onnx", dirs_exist_ok=True)
        shutil.copytree(root / "voice_styles", staging / "voice_styles", dirs_exist_ok=True)
        for name in korvatts.LICENCES:
            if (root / name).is_file():
                shutil.copy2(root / name, staging / name)
        for name in korvatts.speakers(staging):
            korvatts.read_style(staging / "voice_styles" / f"{name}.json")
        try:
            korvatts.KorvaEngine(staging).synthesize(TEST_SENTENCE)
        except EngineError as exc:
            raise InputError(root, None, None, exc.message, _("the model files are damaged or not korvatts'")) from exc
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return Installed("korvatts", target, tuple(korvatts.speakers(target)), licence)
