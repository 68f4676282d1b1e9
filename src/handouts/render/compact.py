"""Write a ReportLab document with its small objects packed into one compressed object stream.

A tagged PDF holds hundreds of small dictionaries (one per structure element); written one by
one they add about half to the file. PDF 1.5 object streams (ISO 32000-1, 7.5.7) pack every
object that is not itself a stream into one Flate-compressed stream, found through a
cross-reference stream (7.5.8). Byte-identical for the same input, like ReportLab's own writer.
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

from reportlab.pdfbase import pdfdoc


def _is_stream(body: bytes) -> bool:
    return body.rstrip().endswith(b"endstream")


class CompactDocument(pdfdoc.PDFDocument):
    """A PDFDocument whose ``format`` writes an object stream and a cross-reference stream."""

    def format(self) -> bytes:
        if self.encrypt.info():  # ReportLab's own encryption: keep its classic writer
            return super().format()
        self.encrypt.prepare(self)
        cat, info = self.Catalog, self.info
        self.Reference(cat)
        self.Reference(info)
        numbertoid = self.numberToId
        self.__accum__ = out = pdfdoc.PDFFile(self._pdfVersion)  # objects may ask for it
        packed: list[tuple[int, bytes]] = []
        offsets: dict[int, int] = {}
        counter = 0
        while True:  # formatting may register new objects: run until none are left
            counter += 1
            if counter not in numbertoid:
                break
            obj = self.idToObject[numbertoid[counter]]
            self.encrypt.register(counter, 0)
            body = pdfdoc.format(obj, self, toplevel=1)
            if _is_stream(body):
                offsets[counter] = out.add(b"%d 0 obj\n" % counter + body.rstrip(b"\n")
                                           + b"\nendobj\n")
            else:
                packed.append((counter, body.strip()))
        del self.__accum__
        stream_no = counter  # the object stream, then the cross-reference stream
        xref_no = counter + 1
        parts, position, pairs = [], 0, []
        for n, body in packed:
            pairs.append(b"%d %d" % (n, position))
            parts.append(body)
            position += len(body) + 1
        header = b" ".join(pairs) + b"\n"
        data = zlib.compress(header + b"\n".join(parts) + b"\n", 9)
        offsets[stream_no] = out.add(
            b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n"
            b"stream\n" % (stream_no, len(packed), len(header), len(data))
            + data + b"\nendstream\nendobj\n")
        index = {n: i for i, (n, _) in enumerate(packed)}
        xref_at = out.offset
        rows = [struct.pack(">BIH", 0, 0, 65535)]
        for n in range(1, xref_no + 1):
            if n == xref_no:
                rows.append(struct.pack(">BIH", 1, xref_at, 0))
            elif n in index:
                rows.append(struct.pack(">BIH", 2, stream_no, index[n]))
            else:
                rows.append(struct.pack(">BIH", 1, offsets[n], 0))
        table = zlib.compress(b"".join(rows), 9)
        ids = self._file_id()
        trailer = (b"<< /Type /XRef /Size %d /W [1 4 2] /Root %s /Info %s /ID [%s %s] "
                   b"/Filter /FlateDecode /Length %d >>"
                   % (xref_no + 1, self.Reference(cat).format(self),
                      self.Reference(info).format(self), ids, ids, len(table)))
        out.add(b"%d 0 obj\n" % xref_no + trailer + b"\nstream\n" + table
                + b"\nendstream\nendobj\n")
        out.add(b"startxref\n%d\n%%%%EOF\n" % xref_at)
        return out.format(self)

    def _file_id(self) -> bytes:
        """The file identifier ReportLab would write (a digest of the document)."""
        return b"<" + self.signature.digest().hex().encode() + b">"


def use_compact_writer(canvas: Any) -> None:
    """Make a canvas's document write object streams (call before anything is drawn)."""
    doc = canvas._doc
    doc.__class__ = CompactDocument
