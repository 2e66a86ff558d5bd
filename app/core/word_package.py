"""The house-style Word package, prepared once and copied for each document.

python-docx opens and parses its whole template for every `Document()` (a 350 kB styles
part among others), and every save serializes and compresses all of it again: together
about a third of the time a PID took. The house style is the same for every document of
a given layout, so it is made once (`Template`), and each document is a copy of its
package in which the parts no document writes to (styles, numbering, settings, theme,
fonts …) are shared rather than copied. Saving writes those shared parts from bytes
compressed once, and every other part as python-docx would.

The shared parts are read-only: `app/core/word.py` sets styles only while it prepares the
template (tests/unit/test_word.py checks that building documents leaves them unchanged).
"""

from __future__ import annotations

import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from threading import Lock

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from docx.opc.part import Part
from docx.opc.pkgwriter import PackageWriter

# What each document writes to besides its body, header and footer: the core properties
# (title, author). Everything else in the template is shared.
_CORE_PROPERTIES = "/docProps/core.xml"


@dataclass(frozen=True)
class _Entry:
    """One zip member, compressed as `zipfile` would (raw deflate, default level)."""

    name: bytes
    crc: int
    size: int
    packed: bytes

    @classmethod
    def of(cls, name: str, data: bytes) -> _Entry:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        packed = compressor.compress(data) + compressor.flush()
        return cls(name.encode("ascii"), zlib.crc32(data), len(data), packed)


@dataclass
class Template:
    """A prepared house-style document, the parts it shares and their compressed bytes."""

    doc: DocxDocument
    shared: list[Part] = field(default_factory=list)
    packed: dict[str, _Entry] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: DocxDocument) -> Template:
        package = doc.part.package
        section = doc.sections[0]
        own = {id(doc.part), id(section.header.part), id(section.footer.part)}
        shared = [
            part
            for part in package.iter_parts()
            if id(part) not in own and part.partname != _CORE_PROPERTIES
        ]
        packed = {}
        for part in shared:
            packed[part.partname] = _Entry.of(part.partname.membername, part.blob)
            if len(part.rels):
                rels = part.partname.rels_uri
                packed[rels] = _Entry.of(rels.membername, part.rels.xml)
        return cls(doc, shared, packed)

    def copy(self) -> DocxDocument:
        """A new document: the template's own parts copied, the read-only ones shared."""
        memo: dict[int, object] = {id(part): part for part in self.shared}
        memo[id(self)] = self  # the copy's document part points to this template too
        package: OpcPackage = deepcopy(self.doc.part.package, memo)
        return package.part_related_by(RT.OFFICE_DOCUMENT).document


_templates: dict[object, Template] = {}
_lock = Lock()


def template(key: object, prepare: Callable[[], DocxDocument]) -> Template:
    """The template for `key` (a layout), prepared by `prepare` the first time it is asked for."""
    found = _templates.get(key)
    if found is None:
        with _lock:
            found = _templates.get(key)
            if found is None:
                found = _templates[key] = Template.of(prepare())
                # The document remembers its template, so saving it finds the packed parts.
                found.doc.part.__dict__["_house_template"] = found
    return found


class _ZipWriter:
    """A zip file of deflated members, some of them compressed beforehand.

    `zipfile` cannot take compressed bytes, so the archive is written here, member for
    member as `zipfile.ZipFile.writestr` would (same headers, time stamp and attributes)."""

    def __init__(self, packed: dict[str, _Entry]) -> None:
        self.packed = packed
        self.out = bytearray()
        self.central = bytearray()
        self.count = 0
        now = time.localtime(time.time())
        self.dos_time = now.tm_hour << 11 | now.tm_min << 5 | now.tm_sec // 2
        self.dos_date = (now.tm_year - 1980) << 9 | now.tm_mon << 5 | now.tm_mday

    def write(self, pack_uri: str, blob: bytes) -> None:
        self.add(_Entry.of(pack_uri.membername, blob))

    def add(self, entry: _Entry) -> None:
        offset = len(self.out)
        common = (0, zipfile.ZIP_DEFLATED, self.dos_time, self.dos_date, entry.crc,
                  len(entry.packed), entry.size, len(entry.name), 0)  # fmt: skip
        self.out += struct.pack(zipfile.structFileHeader, zipfile.stringFileHeader, 20, 0,
                                *common)  # fmt: skip
        self.out += entry.name
        self.out += entry.packed
        self.central += struct.pack(zipfile.structCentralDir, zipfile.stringCentralDir, 20, 3,
                                    20, 0, *common, 0, 0, 0, 0o600 << 16, offset)  # fmt: skip
        self.central += entry.name
        self.count += 1

    def close(self) -> bytes:
        start = len(self.out)
        self.out += self.central
        self.out += struct.pack(zipfile.structEndArchive, zipfile.stringEndArchive, 0, 0,
                                self.count, self.count, len(self.central), start, 0)  # fmt: skip
        return bytes(self.out)


def save(doc: DocxDocument) -> bytes:
    """The document as .docx bytes: python-docx's parts and order, the shared parts from
    their compressed bytes."""
    package = doc.part.package
    found: Template | None = doc.part.__dict__.get("_house_template")
    packed = found.packed if found is not None else {}
    shared = {id(part) for part in found.shared} if found is not None else set()
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    writer = _ZipWriter(packed)
    PackageWriter._write_content_types_stream(writer, parts)  # noqa: SLF001
    PackageWriter._write_pkg_rels(writer, package.rels)  # noqa: SLF001
    for part in parts:
        name = part.partname
        if id(part) in shared:
            writer.add(packed[name])
            if len(part.rels):
                writer.add(packed[name.rels_uri])
            continue
        writer.write(name, part.blob)
        if len(part.rels):
            writer.write(name.rels_uri, part.rels.xml)
    return writer.close()
