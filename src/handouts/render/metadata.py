"""PDF metadata: the Info dictionary and an XMP packet that agree, plus the provenance record.

One place writes both, so other parts (e.g. PDF/UA tagging) add their XMP properties with
``register_xmp``: a function taking the ``PdfMeta`` and returning more ``rdf:Description``
XML. The XMP stream is left uncompressed so the record can be read back without ReportLab
(``handouts.provenance.read_record``).
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Callable
from typing import Any

from reportlab.pdfbase import pdfdoc

from handouts.provenance import NAMESPACE, PREFIX, Record, attribute_name

XmpPart = Callable[[Any], str]
_EXTRA: list[XmpPart] = []


def register_xmp(part: XmpPart) -> XmpPart:
    """Add XMP properties to every PDF: ``part(meta)`` returns rdf:Description XML."""
    if part not in _EXTRA:
        _EXTRA.append(part)
    return part


def install(canvas: Any, meta: Any) -> None:
    """Give a canvas's document the XMP packet and the record's Info entries."""
    doc = canvas._doc
    record: Record | None = getattr(meta, "record", None)
    doc.info.__class__ = _RecordInfo
    doc.info.record = record
    xmp = pdfdoc.XMP(creator=lambda document: xmp_packet(meta, _info_date(document)).encode())
    xmp.filters = []  # uncompressed: readable by tools (and by make's up-to-date test)
    doc.Catalog.Metadata = xmp


def xmp_packet(meta: Any, created: str) -> str:
    """The XMP packet for ``meta`` (a render.document.PdfMeta), dated ``created`` (ISO)."""
    record: Record | None = getattr(meta, "record", None)
    parts = [
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{_alt(meta.title)}</dc:title>"
        f"<dc:creator><rdf:Seq><rdf:li>{_text(meta.author)}</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:description>{_alt(meta.subject)}</dc:description>"
        f"<dc:language><rdf:Bag><rdf:li>{_text(meta.lang)}</rdf:li></rdf:Bag></dc:language>"
        "<dc:format>application/pdf</dc:format></rdf:Description>",
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<pdf:Producer>{_text(pdfdoc.PDFInfo.producer)}</pdf:Producer>"
        f"<pdf:Keywords>{_text(meta.keywords)}</pdf:Keywords>"
        f"<xmp:CreatorTool>{_text(meta.creator)}</xmp:CreatorTool>"
        f"<xmp:CreateDate>{created}</xmp:CreateDate><xmp:ModifyDate>{created}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{created}</xmp:MetadataDate></rdf:Description>",
    ]
    if record is not None:
        attrs = " ".join(f"{PREFIX}:{attribute_name(k)}=\"{html.escape(v)}\""
                         for k, v in record.items())
        parts.append(f'<rdf:Description rdf:about="" xmlns:{PREFIX}="{NAMESPACE}" {attrs}/>')
    parts.extend(part(meta) for part in _EXTRA)
    body = "".join(parts)
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f"{body}</rdf:RDF></x:xmpmeta>"
            '<?xpacket end="w"?>')


def _alt(text: str) -> str:
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{_text(text)}</rdf:li></rdf:Alt>'


def _info_date(document: Any) -> str:
    """The Info dictionary's CreationDate as an XMP (ISO 8601) date, so the two agree."""
    raw = pdfdoc.PDFDate(ts=document._timeStamp,
                         dateFormatter=document.info._dateFormatter).format(document)
    found = re.search(rb"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)", raw)
    if not found:
        return datetime.date(2000, 1, 1).isoformat()
    y, mo, d, h, mi, s = (int(x) for x in found.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}Z"


class _RecordInfo(pdfdoc.PDFInfo):
    """The Info dictionary with the provenance record as /Handouts* entries."""

    record: Record | None = None

    def format(self, document: Any) -> bytes:
        date = pdfdoc.PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        entries: dict[str, Any] = {
            "Title": pdfdoc.PDFString(self.title), "Author": pdfdoc.PDFString(self.author),
            "CreationDate": date, "ModDate": date,
            "Producer": pdfdoc.PDFString(self.producer),
            "Creator": pdfdoc.PDFString(self.creator),
            "Subject": pdfdoc.PDFString(self.subject),
            "Keywords": pdfdoc.PDFString(self.keywords), "Trapped": pdfdoc.PDFName(self.trapped),
        }
        for name, value in self.record.items() if self.record is not None else ():
            attr = attribute_name(name)
            entries[f"Handouts{attr[:1].upper()}{attr[1:]}"] = pdfdoc.PDFString(value)
        return pdfdoc.PDFDictionary(entries).format(document)


def _text(value: str) -> str:
    """XML character data (html.escape: xml.sax.saxutils would import urllib and email)."""
    return html.escape(value, quote=False)
