"""The report's PDF objects turned into bytes once, not twice (pydyf 0.13, under WeasyPrint 70).

A PDF/A file carries an identifier (/ID) in its trailer. pydyf makes it by serialising every object
of the file a second time once they are written — each page's content stream and font compressed
again, the structure tree's thousands of dictionaries (one per tagged table cell) turned into bytes
again — and hashing the result. `OnceWrittenPDF` keeps each object's bytes from the first time, so
the hash is taken over the very same bytes: the same file, the same identifier.

The bytes are made as pydyf makes them, by a serialiser that looks up each value's type once instead of
testing it against each kind in turn (a district's report has about 200,000 values to write).

WeasyPrint's own stream kind (each page's content, each group of a chart) is kept the same way: it
serialises as pydyf's stream.

WeasyPrint's tags ask the PDF for its list of page references once per tagged box (about 3,000 times for
a district's report), and pydyf builds the list afresh each time: `install()` keeps it while the number
of pages stays the same.

Streams are compressed at zlib's level 6 rather than pydyf's 9: on a district's report (fonts, page
streams, the object stream of the tags) level 9 costs about twice as much CPU for a file 1 % smaller.
"""

from __future__ import annotations

import functools
import zlib

import pydyf

# The pydyf whose PDF.write this relies on: it reads each object's `data` (or `indirect`) once to write
# it, then `data` again for the identifier, and adds the object stream and the cross-reference stream
# it makes through `add_object`. Another version is left to write the file its own way.
SUPPORTED_VERSION = "0.13.0"
LEVEL = 6


def _bytes(item) -> bytes:
    """pydyf's _to_bytes: the same bytes for every value (floats, strings and other objects are its own)."""
    serialise = SERIALISERS.get(type(item))
    return serialise(item) if serialise else pydyf._to_bytes(item)  # noqa: SLF001 - pydyf's own conversion


def _dictionary_data(dictionary: pydyf.Dictionary) -> bytes:
    return b"<<" + b"".join([b"/" + _bytes(key) + b" " + _bytes(value) for key, value in dictionary.items()]) + b">>"


def _array_data(array: pydyf.Array) -> bytes:
    return b"[" + b" ".join([_bytes(child) for child in array]) + b"]"


SERIALISERS = {
    bytes: lambda item: item,
    str: lambda item: item.encode("ascii"),
    int: lambda item: str(item).encode("ascii"),
    pydyf.Dictionary: _dictionary_data,
    pydyf.Array: _array_data,
}


def _stream_data(stream: pydyf.Stream) -> bytes:
    # pydyf's Stream.data, at LEVEL.
    content = b"\n".join([item if type(item) is bytes else _bytes(item) for item in stream.stream])
    extra = pydyf.Dictionary(stream.extra.copy())
    if stream.compress:
        extra["Filter"] = "/FlateDecode"
        compressor = zlib.compressobj(level=LEVEL)
        content = compressor.compress(content) + compressor.flush()
    extra["Length"] = len(content)
    return b"\n".join((extra.data, b"stream", content, b"endstream"))


# pydyf's way of serialising each kind of object, and ours for the same bytes.
SERIALISED = {pydyf.Stream.data: _stream_data, pydyf.Dictionary.data: _dictionary_data, pydyf.Array.data: _array_data}


@functools.cache
def _written_once(kind: type) -> type:
    """`kind` with its `data` kept after the first time it is read."""
    data = functools.cached_property(SERIALISED.get(kind.data, kind.data.fget))
    once = type(f"Once{kind.__name__}", (kind,), {"data": data})
    return once


# The object kinds WeasyPrint writes as objects of the file: pydyf's, and WeasyPrint's own stream
# (weasyprint.pdf.stream.Stream, each page's content and each drawn chart), which serialises as pydyf's.
KINDS = (pydyf.Dictionary, pydyf.Stream, pydyf.Array, pydyf.String)


def _keep_bytes(item) -> None:
    kind = type(item)
    if kind in KINDS or (isinstance(item, pydyf.Stream) and kind.data is pydyf.Stream.data):
        item.__class__ = _written_once(kind)


class OnceWrittenPDF(pydyf.PDF):
    """A pydyf PDF whose objects are serialised once. Nothing changes an object once the file is being
    written, so the bytes kept are the bytes pydyf would make again."""

    def add_object(self, object_):
        super().add_object(object_)
        if getattr(self, "_writing", False):  # the object stream and cross-reference stream of write()
            _keep_bytes(object_)

    def write(self, output, version=b"1.7", identifier=False, compress=False):
        for item in self.objects:
            _keep_bytes(item)
        self._writing = True
        try:
            return super().write(output, version, identifier, compress)
        finally:
            self._writing = False


def write_once(document, pdf: pydyf.PDF) -> None:
    """A `finisher` for WeasyPrint's `write_pdf`: the PDF it made is written by OnceWrittenPDF."""
    if pydyf.__version__ == SUPPORTED_VERSION and type(pdf) is pydyf.PDF:
        pdf.__class__ = OnceWrittenPDF


_pydyf_page_references = pydyf.PDF.page_references


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """pydyf's `page_references`, built again only when a page has been added since."""
    count = len(pdf.pages["Kids"])
    kept = pdf.__dict__.get("_kept_page_references")
    if kept is None or kept[0] != count:
        kept = pdf.__dict__["_kept_page_references"] = (count, _pydyf_page_references.fget(pdf))
    return kept[1]


def install() -> bool:
    """Keep the page references from now on, if this pydyf is the one it was written against."""
    if pydyf.__version__ != SUPPORTED_VERSION:
        return False
    pydyf.PDF.page_references = property(_page_references)
    return True


def uninstall() -> None:
    pydyf.PDF.page_references = _pydyf_page_references
