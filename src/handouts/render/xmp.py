"""XMP metadata packets (ISO 16684-1) for the PDF catalog's /Metadata stream.

One writer for every property the project records: the document's own (dc:title, dates,
producer) agreeing with the Info dictionary, pdfuaid:part for a tagged PDF, and anything
else a caller adds (provenance, say) under a namespace registered in ``NAMESPACES``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}
# Properties whose value is a language alternative, an ordered list or an unordered bag.
LANG_ALT = {"dc:title", "dc:description", "dc:rights"}
SEQ = {"dc:creator"}
BAG = {"dc:language", "dc:subject"}


def pdf_date_to_iso(value: str) -> str:
    """'D:20260501000000+00'00'' → '2026-05-01T00:00:00+00:00' (the Info date, in XMP form)."""
    m = re.match(r"\(?D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-Z])?(\d\d)?'?(\d\d)?", value)
    if not m:
        raise ValueError(f"not a PDF date: {value!r}")
    y, mo, d, h, mi, s, sign, tzh, tzm = m.groups()
    zone = "Z" if sign in (None, "Z") else f"{sign}{tzh or '00'}:{tzm or '00'}"
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}"


def _value(name: str, value: Any) -> str:
    if name in LANG_ALT:
        return (f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(str(value))}</rdf:li>'
                "</rdf:Alt>")
    if name in SEQ or name in BAG:
        kind = "Seq" if name in SEQ else "Bag"
        items = value if isinstance(value, (list, tuple)) else [value]
        return f"<rdf:{kind}>" + "".join(f"<rdf:li>{escape(str(i))}</rdf:li>"
                                          for i in items) + f"</rdf:{kind}>"
    return escape(str(value))


def packet(properties: Mapping[str, Any], namespaces: Mapping[str, str] | None = None) -> bytes:
    """An XMP packet holding ``properties`` ({"dc:title": "…", "pdfuaid:part": 1, …}).

    Empty values are left out; the order is the caller's, so the bytes are reproducible.
    """
    spaces = {**NAMESPACES, **(namespaces or {})}
    used = [p for p in dict.fromkeys(name.split(":", 1)[0] for name in properties)]
    unknown = [p for p in used if p not in spaces]
    if unknown:
        raise ValueError(f"XMP namespace prefix not registered: {', '.join(unknown)}")
    declared = " ".join(f'xmlns:{p}="{spaces[p]}"' for p in used)
    body = "".join(f"<{name}>{_value(name, value)}</{name}>"
                   for name, value in properties.items() if value not in (None, "", [], ()))
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description rdf:about="" {declared}>{body}</rdf:Description>'
            "</rdf:RDF></x:xmpmeta>\n"
            '<?xpacket end="w"?>').encode()


def metadata_stream(data: bytes) -> Any:
    """The catalog's /Metadata stream for ReportLab (uncompressed, as XMP readers expect)."""
    from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream

    stream = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                       data, filters=[])
    return stream
