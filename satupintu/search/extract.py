"""Plain text out of uploaded documents, for the site-wide search.

PPID documents and attachments come from many OPD operators and must be treated as hostile.
Parsing therefore never happens in the calling (web or worker) process: a child interpreter
started as ``python -m satupintu.search.extract`` caps its own address space, CPU time, open
files and file writes before it touches the file, and the parent kills it after a wall-clock
timeout. Nothing is ever executed or converted: no macros, no LibreOffice, no external tools.

This module must stay importable without Django settings, because the child imports it.
"""

from __future__ import annotations

import codecs
import json
import math
import os
import re
import signal
import stat
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype

from satupintu.core.zipguard import too_inflated

MAX_TEXT_CHARS = 200_000

# Raw text collected before normalisation; generous because whitespace collapses, bounded
# because a document can hold far more text than the index will ever keep.
_RAW_BUDGET = MAX_TEXT_CHARS * 4
MAX_PDF_PAGES = 500
MAX_ZIP_MEMBERS = 10_000
MAX_MEMBER_BYTES = 100 * 1024 * 1024
# A whole XLSX is handed to openpyxl, which may read every part, so the sum counts too.
MAX_TOTAL_UNCOMPRESSED = 300 * 1024 * 1024
# Deflate tops out near 1:1032 (long runs of one byte, the classic bomb). Ordinary Office XML
# sits at 1:5 to 1:50, but generated exports that repeat one row can pass 1:300, and the
# member and memory caps already bound the damage, so only the bomb range is refused. Small
# members are exempt because a few kilobytes cannot hurt whatever their ratio.
MAX_COMPRESSION_RATIO = 500
_RATIO_EXEMPT_BYTES = 1024 * 1024
MAX_XLSX_CELLS = 5_000_000
CHILD_MEMORY_BYTES = 512 * 1024 * 1024
_CHILD_MAX_FILES = 64

STATUSES = frozenset({"ok", "kosong", "tidak_didukung", "terlalu_besar", "waktu_habis", "rusak"})
TEXT_EXTENSIONS = frozenset({".txt", ".csv"})
DOCUMENT_EXTENSIONS = frozenset({".pdf", ".docx", ".xlsx", ".odt", ".ods"})
_ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
_SNIFF_BYTES = 8192
_CHUNK = 64 * 1024
# The directory holding the ``satupintu`` package, so ``-m`` finds it from any working directory.
_IMPORT_ROOT = Path(__file__).resolve().parents[2]
_CHILD_MODULE = "satupintu.search.extract"


@dataclass(frozen=True)
class Extracted:
    text: str
    status: str
    detail: str = ""


def extract_text(
    path: str | os.PathLike,
    filename: str = "",
    *,
    timeout: float = 20.0,
    max_bytes: int = 50 * 1024 * 1024,
) -> Extracted:
    """Return the searchable text of one uploaded file; never raises for bad input.

    ``filename`` is the name the uploader gave (storage paths are often renamed); its extension
    only matters for plain text, which has no magic bytes, and to tell a lying name from an
    unsupported type.
    """
    try:
        fspath = os.path.abspath(os.fspath(path))
        st = os.stat(fspath)
    except (OSError, TypeError, ValueError):
        return Extracted("", "rusak", "file not found or unreadable")
    if not stat.S_ISREG(st.st_mode):
        return Extracted("", "rusak", "not a regular file")
    if st.st_size > max_bytes:
        return Extracted("", "terlalu_besar", f"file is {st.st_size} bytes, limit {max_bytes}")
    if st.st_size == 0:
        return Extracted("", "kosong", "empty file")
    try:
        with open(fspath, "rb") as fh:
            header = fh.read(_SNIFF_BYTES)
    except OSError:
        return Extracted("", "rusak", "file unreadable")

    ext = os.path.splitext(filename or fspath)[1].lower()
    kind, refusal = _sniff(header, ext)
    if refusal is not None:
        return refusal
    if timeout <= 0:
        return Extracted("", "waktu_habis", "no time allowed")
    return _run_child(kind, fspath, timeout=timeout, max_bytes=max_bytes)


def _sniff(header: bytes, ext: str) -> tuple[str, Extracted | None]:
    """Decide the parser from the bytes; the name is trusted only for magic-less plain text."""
    if b"%PDF-" in header[:1024]:
        return "pdf", None
    if header[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return "zip", None
    if ext in TEXT_EXTENSIONS and b"\0" not in header:
        return "text", None
    guess = filetype.guess(header)
    claimed = ext in DOCUMENT_EXTENSIONS or ext in TEXT_EXTENSIONS
    if guess is not None:
        if claimed:
            return "", Extracted("", "rusak", f"content is {guess.mime}, name says {ext}")
        return "", Extracted("", "tidak_didukung", f"unsupported type {guess.mime}")
    if claimed:
        return "", Extracted("", "rusak", f"content does not match {ext}")
    return "", Extracted("", "tidak_didukung", "unrecognised file type")


def _child_command(kind: str, path: str, timeout: float, max_bytes: int) -> list[str]:
    # -E -s: the child ignores PYTHON* variables and the user site directory, so neither the
    # environment nor a stray file can change what code parses the document.
    return [
        sys.executable,
        "-E",
        "-s",
        "-m",
        _CHILD_MODULE,
        "--kind",
        kind,
        "--cpu",
        str(math.ceil(timeout) + 1),
        "--memory",
        str(CHILD_MEMORY_BYTES),
        "--max-bytes",
        str(max_bytes),
        "--",
        path,
    ]


def _child_env() -> dict[str, str]:
    # Deliberately not os.environ: the web process holds secrets the parser never needs.
    return {
        "PATH": os.defpath,
        "LC_ALL": "C.UTF-8",
        # Keep openpyxl on the stdlib parser wrapped by defusedxml even if lxml appears later.
        "OPENPYXL_LXML": "False",
        "OPENPYXL_DEFUSEDXML": "True",
    }


def _run_child(kind: str, path: str, *, timeout: float, max_bytes: int) -> Extracted:
    cmd = _child_command(kind, path, timeout, max_bytes)
    try:
        proc = subprocess.Popen(  # noqa: S603 - fixed argv, our own interpreter and module
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=_IMPORT_ROOT,
            env=_child_env(),
            close_fds=True,
            start_new_session=True,
        )
    except OSError as exc:
        return Extracted("", "rusak", f"could not start extractor ({type(exc).__name__})")
    try:
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return Extracted("", "waktu_habis", f"extraction exceeded {timeout:g} s")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return Extracted("", "waktu_habis", "extraction exceeded its CPU limit")
    if proc.returncode != 0:
        return Extracted("", "rusak", f"extractor failed (exit code {proc.returncode})")
    return _parse_child_output(out)


def _parse_child_output(out: bytes) -> Extracted:
    try:
        data = json.loads(out.decode("utf-8"))
        status, text, detail = data["status"], data["text"], data["detail"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        return Extracted("", "rusak", "extractor produced invalid output")
    if status not in STATUSES or not isinstance(text, str) or not isinstance(detail, str):
        return Extracted("", "rusak", "extractor produced invalid output")
    return Extracted(text[:MAX_TEXT_CHARS], status, detail[:200])


# --------------------------------------------------------------------------------------------
# Everything below runs only in the child process.


class _Refused(Exception):
    def __init__(self, status: str, detail: str):
        super().__init__(detail)
        self.status = status
        self.detail = detail


class _Collector:
    """Accumulates raw text and says when to stop reading, so huge documents end early."""

    def __init__(self, budget: int = _RAW_BUDGET):
        self.parts: list[str] = []
        self.size = 0
        self.budget = budget
        self.full = False

    def add(self, text: str) -> None:
        if self.full or not text:
            return
        room = self.budget - self.size
        if len(text) >= room:
            text = text[:room]
            self.full = True
        self.parts.append(text)
        self.size += len(text)

    def result(self) -> tuple[str, bool]:
        text = normalise("".join(self.parts))
        truncated = self.full or len(text) > MAX_TEXT_CHARS
        return text[:MAX_TEXT_CHARS].rstrip(), truncated


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
_HSPACE = re.compile(r"[^\S\n]+")
_SPACE_AROUND_NL = re.compile(r" ?\n ?")
_MANY_NL = re.compile(r"\n{3,}")


def normalise(text: str) -> str:
    """Collapse whitespace runs to one space and keep at most one blank line between blocks."""
    # Lone surrogates (possible from PDF font maps) cannot be encoded for the index.
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = _CONTROL.sub(" ", text)
    text = _HSPACE.sub(" ", text)
    text = _SPACE_AROUND_NL.sub("\n", text)
    text = _MANY_NL.sub("\n\n", text)
    return text.strip()


class _BoundedReader:
    """File-like wrapper that refuses to yield more than ``limit`` bytes, whatever headers say."""

    def __init__(self, raw, limit: int):
        self.raw = raw
        self.limit = limit
        self.count = 0

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = self.limit - self.count + 1
        data = self.raw.read(min(n, self.limit - self.count + 1))
        self.count += len(data)
        if self.count > self.limit:
            raise _Refused("rusak", "zip member larger than allowed (possible zip bomb)")
        return data


def _check_member(info: zipfile.ZipInfo) -> None:
    if info.flag_bits & 0x1:
        raise _Refused("rusak", "encrypted zip member")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _Refused("rusak", "unsupported zip compression method")
    if info.file_size > MAX_MEMBER_BYTES:
        raise _Refused("rusak", "zip member declares too large a size (possible zip bomb)")
    if too_inflated(info, MAX_COMPRESSION_RATIO, _RATIO_EXEMPT_BYTES):
        raise _Refused("rusak", "zip member compression ratio too high (possible zip bomb)")


def _open_member(zf: zipfile.ZipFile, name: str) -> _BoundedReader:
    info = zf.getinfo(name)
    _check_member(info)
    # zipfile already stops at the declared size and checks the CRC; the bound is belt and
    # braces should that ever change.
    return _BoundedReader(zf.open(info), info.file_size)


def _parse_xml(stream: _BoundedReader, handler, collector: _Collector | None) -> None:
    """Stream XML through expat via defusedxml: no DTD, no entities, no tree in memory."""
    from xml.sax import SAXException
    from xml.sax import handler as sax_handler

    from defusedxml import DefusedXmlException
    from defusedxml.expatreader import DefusedExpatParser

    parser = DefusedExpatParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    parser.setFeature(sax_handler.feature_namespaces, True)
    parser.setFeature(sax_handler.feature_external_ges, False)
    parser.setContentHandler(handler)
    try:
        while chunk := stream.read(_CHUNK):
            parser.feed(chunk)
            if collector is not None and collector.full:
                return
        parser.close()
    except DefusedXmlException as exc:
        raise _Refused("rusak", f"XML refused ({type(exc).__name__})") from None
    except SAXException:
        raise _Refused("rusak", "malformed XML") from None


def _sax_base():
    from xml.sax.handler import ContentHandler

    return ContentHandler


_W_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    }
)
_ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _docx_handler(collector: _Collector):
    class DocxHandler(_sax_base()):
        in_text = 0

        def startElementNS(self, name, qname, attrs):
            uri, local = name
            if uri not in _W_NAMESPACES:
                return
            if local == "t":
                self.in_text += 1
            elif local == "tab":
                collector.add("\t")
            elif local in ("br", "cr"):
                collector.add("\n")

        def endElementNS(self, name, qname):
            uri, local = name
            if uri not in _W_NAMESPACES:
                return
            if local == "t":
                self.in_text -= 1
            elif local == "p":
                collector.add("\n")

        def characters(self, content):
            if self.in_text:
                collector.add(content)

    return DocxHandler()


def _odf_handler(collector: _Collector):
    class OdfHandler(_sax_base()):
        in_paragraph = 0
        in_cell = 0

        def startElementNS(self, name, qname, attrs):
            uri, local = name
            if uri == _ODF_TEXT:
                if local in ("p", "h"):
                    self.in_paragraph += 1
                elif local == "s":
                    # Repeat counts are ignored on purpose: one space survives normalisation.
                    collector.add(" ")
                elif local == "tab":
                    collector.add("\t")
                elif local == "line-break":
                    collector.add("\n")
            elif uri == _ODF_TABLE:
                if local == "table":
                    title = attrs.get((_ODF_TABLE, "name"), "")
                    collector.add(f"\n{title}\n")
                elif local in ("table-cell", "covered-table-cell"):
                    # number-columns-repeated is not expanded: that is how ODS bombs work.
                    self.in_cell += 1

        def endElementNS(self, name, qname):
            uri, local = name
            if uri == _ODF_TEXT and local in ("p", "h"):
                self.in_paragraph -= 1
                collector.add(" " if self.in_cell else "\n")
            elif uri == _ODF_TABLE:
                if local in ("table-cell", "covered-table-cell"):
                    self.in_cell -= 1
                    collector.add("\t")
                elif local == "table-row":
                    collector.add("\n")

        def characters(self, content):
            if self.in_paragraph:
                collector.add(content)

    return OdfHandler()


def _extract_zip(fh, collector: _Collector) -> str:
    try:
        zf = zipfile.ZipFile(fh)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _Refused("rusak", "corrupt zip container") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise _Refused("rusak", f"zip has {len(infos)} members (possible zip bomb)")
        names = {info.filename for info in infos}
        if "word/document.xml" in names:
            _parse_xml(_open_member(zf, "word/document.xml"), _docx_handler(collector), collector)
            return "DOCX"
        if "xl/workbook.xml" in names:
            _extract_xlsx(fh, zf, infos, collector)
            return "XLSX"
        if "mimetype" in names:
            mime = _open_member(zf, "mimetype").read(200).decode("ascii", "replace").strip()
            if mime in _ODF_TYPES and "content.xml" in names:
                _parse_xml(_open_member(zf, "content.xml"), _odf_handler(collector), collector)
                return _ODF_TYPES[mime].upper()
            raise _Refused("tidak_didukung", "unsupported OpenDocument type")
        raise _Refused("tidak_didukung", "zip archive that is not a supported document")


def _extract_xlsx(fh, zf: zipfile.ZipFile, infos, collector: _Collector) -> None:
    # openpyxl reads whichever parts the workbook points to, so every part is vetted first:
    # sizes and ratios, then a DTD-refusing streaming parse of anything that looks like XML.
    total = 0
    for info in infos:
        _check_member(info)
        total += info.file_size
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise _Refused("rusak", "workbook too large when unpacked (possible zip bomb)")
    for info in infos:
        if info.is_dir():
            continue
        stream = _BoundedReader(zf.open(info), info.file_size)
        first = stream.read(_CHUNK)
        if first.lstrip()[:1] == b"<" or first[:2] in (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb"):
            _parse_xml(_Prefixed(first, stream), _sax_base()(), None)

    import warnings

    from openpyxl import load_workbook

    warnings.simplefilter("ignore")
    fh.seek(0)
    wb = load_workbook(fh, read_only=True, data_only=True, keep_links=False, keep_vba=False)
    cells = 0
    try:
        for ws in wb.worksheets:
            collector.add(f"\n{ws.title}\n")
            if hasattr(ws, "reset_dimensions"):
                # A forged <dimension ref="A1:XFD1048576"/> would otherwise pad every row.
                ws.reset_dimensions()
            for row in ws.iter_rows(values_only=True):
                values = []
                for value in row:
                    cells += 1
                    if value is not None:
                        values.append(_cell_text(value))
                if cells > MAX_XLSX_CELLS:
                    return
                if values:
                    collector.add("\t".join(values) + "\n")
                if collector.full:
                    return
    finally:
        wb.close()


class _Prefixed:
    """Gives back bytes already peeked at before continuing with the stream."""

    def __init__(self, first: bytes, rest: _BoundedReader):
        self.first = first
        self.rest = rest

    def read(self, n: int = -1) -> bytes:
        if self.first:
            data, self.first = self.first, b""
            return data
        return self.rest.read(n)


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _extract_pdf(fh, collector: _Collector) -> str:
    import logging

    from pypdf import PdfReader

    logging.disable(logging.CRITICAL)
    try:
        reader = PdfReader(fh, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _Refused("rusak", "PDF is password-protected")
        total = len(reader.pages)
    except _Refused:
        raise
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:
        raise _Refused("rusak", f"unreadable PDF ({type(exc).__name__})") from None

    attempted = failed = 0
    for index in range(min(total, MAX_PDF_PAGES)):
        attempted += 1
        try:
            text = reader.pages[index].extract_text()
        except MemoryError:
            raise
        except Exception:
            # One broken page (bad font, loop in resources) must not hide the rest.
            failed += 1
            continue
        collector.add(text)
        collector.add("\n\n")
        if collector.full:
            break
    if attempted and failed == attempted:
        raise _Refused("rusak", "no PDF page could be read")
    if total > MAX_PDF_PAGES:
        return f"PDF, first {MAX_PDF_PAGES} of {total} pages"
    return f"PDF, {total} pages"


def _extract_plain(fh, collector_factory) -> tuple[_Collector, str]:
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        fh.seek(0)
        collector = collector_factory()
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            while chunk := fh.read(1024 * 1024):
                if b"\0" in chunk:
                    raise _Refused("rusak", "binary data (NUL bytes) in a text file")
                text = decoder.decode(chunk)
                if not collector.full:
                    collector.add(text)
            collector.add(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            continue
        return collector, "text, " + encoding.removesuffix("-sig")
    raise _Refused("rusak", "undecodable text")  # latin-1 decodes anything; kept for safety


def _set_limits(cpu_seconds: int, memory: int) -> None:
    import resource

    def lower(which: int, value: int) -> None:
        _soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))

    # Soft CPU limit below the hard one: SIGXCPU first, SIGKILL a second later.
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    cpu_hard = cpu_seconds + 1 if hard == resource.RLIM_INFINITY else min(cpu_seconds + 1, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (min(cpu_seconds, cpu_hard), cpu_hard))
    lower(resource.RLIMIT_AS, memory)
    lower(resource.RLIMIT_FSIZE, 0)
    lower(resource.RLIMIT_CORE, 0)
    lower(resource.RLIMIT_NOFILE, _CHILD_MAX_FILES)


def _extract_in_child(kind: str, path: str, max_bytes: int) -> tuple[str, str, str]:
    try:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                return "", "terlalu_besar", f"file is {size} bytes, limit {max_bytes}"
            if kind == "pdf":
                collector = _Collector()
                label = _extract_pdf(fh, collector)
            elif kind == "zip":
                collector = _Collector()
                label = _extract_zip(fh, collector)
            elif kind == "text":
                collector, label = _extract_plain(fh, _Collector)
            else:
                return "", "tidak_didukung", "unknown kind"
    except _Refused as refused:
        return "", refused.status, refused.detail
    except MemoryError:
        return "", "terlalu_besar", "memory limit reached while parsing"
    except RecursionError:
        return "", "rusak", "structure nested too deeply"
    except Exception as exc:
        return "", "rusak", f"parse error ({type(exc).__name__})"

    text, truncated = collector.result()
    if not text:
        hint = " (scanned without a text layer?)" if kind == "pdf" else ""
        return "", "kosong", f"{label}: no text{hint}"
    detail = f"{label}, truncated to {MAX_TEXT_CHARS} characters" if truncated else label
    return text, "ok", detail


def _child_main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog=_CHILD_MODULE)
    parser.add_argument("--kind", required=True)
    parser.add_argument("--cpu", type=int, required=True)
    parser.add_argument("--memory", type=int, required=True)
    parser.add_argument("--max-bytes", type=int, required=True)
    parser.add_argument("path")
    args = parser.parse_args(argv)

    # Only the JSON answer may reach the parent; anything a library prints goes nowhere.
    answer = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)

    # With RLIMIT_FSIZE at 0 a write must fail with an error, not kill us via SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    sys.dont_write_bytecode = True
    _set_limits(args.cpu, args.memory)
    text, status, detail = _extract_in_child(args.kind, args.path, args.max_bytes)
    payload = {"status": status, "text": text, "detail": detail}
    answer.write(json.dumps(payload, ensure_ascii=False).encode("utf-8", "replace"))
    answer.close()
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
