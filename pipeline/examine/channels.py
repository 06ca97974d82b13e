"""What a file carries beyond its last revision's page text (issue 15, DOMAIN.md §1): earlier
revisions, annotations and their appearances, form field values, the Info dictionary, XMP, the
outline, embedded files, active content, and pages whose text layer cannot carry what they show.

Found here, inside the sandboxed worker; judged by decide/channels.py. Marks are read with the very
detector of the page text (marks.py), metadata values as fields (`field_marks`). Everything a
hostile file could make large is bounded: objects visited (`Budget`), revisions (revisions.py),
nesting; going past a bound raises, and the file is refused as unreadable.

The revision scans run newest first, so a finding is named after the newest revision that holds
it; the last revision is scanned whole, earlier ones for what differs (revisions.py) and for the
marks and files they still carry. Active content and unread pages are the last revision's only:
an earlier revision's script never runs and its pages are not the ones shown.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Callable
from functools import partial
from itertools import islice
from typing import Any

from pipeline.examine.marks import detect_marks, field_marks, segment_mark
from pipeline.examine.pdf_objects import (
    Budget,
    BudgetExceeded,
    as_dict,
    as_list,
    is_stream,
    location,
    name_of,
    reference_key,
    resolve,
    text_of,
)
from pipeline.examine.revisions import PageFingerprints, UnchangedObjects, earlier_revisions, revision_ends
from pipeline.examine.text import (
    MAX_PAGES,
    content_operations,
    may_turn_text,
    page_text,
    turned_text,
    xobject_text,
)
from pipeline.records import ChannelMark, Channels, EmbeddedFile, PdfText

MAX_OBJECTS = 500_000  # objects visited for one file, all revisions together
MAX_XMP_BYTES = 4 << 20
_MAX_DEPTH = 32  # name trees, outlines, form field trees, action chains, nested forms
_Step = tuple[Any, Any, int]  # a reference to follow, what its parent passes on, its depth
_EVIDENCE = 120

# Actions that stay inside the document or open a web address; everything else (JavaScript,
# Launch, ImportData, SubmitForm, GoToR/GoToE to files, RichMediaExecute, Rendition, unknown) is
# active content the portal must not serve.
_SAFE_ACTIONS = frozenset({"/GoTo", "/URI", "/Named", "/Thread", "/SetOCGState", "/Trans", "/GoTo3DView"})
_ACTIVE_ANNOTATIONS = frozenset({"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})
_APPEARANCES = ("/N", "/R", "/D")

# An unread page: fewer letters than a mark and a line of a letter, and an image covering more than
# this share of the page or at least this many path-drawing operators (text drawn as outlines).
_LITTLE_TEXT = 32
_IMAGE_SHARE = 0.02
_MANY_PATHS = 50
_PATH_OPERATORS = frozenset({b"m", b"l", b"c", b"v", b"y", b"re"})
_NAME_SEPARATORS = re.compile(r"[\s._\-+,;()\[\]]+")
_TAGS = re.compile(r"<[^>]{0,2000}>")
_XMP_TEXT = re.compile(rb">([^<>]{1,100000})<")


def inspect_channels(data: bytes, reader: Any, text: PdfText) -> Channels:
    """Everything the file holds beyond `text`, the page text of its last revision (read from
    `reader`, pypdf's reader of `data`)."""
    ends = revision_ends(data)
    count = max(1, len(ends))
    finder = _Finder(Budget(MAX_OBJECTS), lambda value: False)
    finder.scan(reader, "", last=True)
    finder.unread_pages(reader, text)
    for index, page in enumerate(reader.pages):
        # Layout mode, which made `text`, leaves out turned text and the text of form XObjects.
        if may_turn_text(page):
            finder.page_marks(turned_text(page), f"page {index + 1}, text turned on the page", "turned-text")
        finder.form_marks(reader, page, f"page {index + 1}")
    fingerprints = PageFingerprints(reader, finder.budget)
    unchanged = UnchangedObjects(reader, finder.budget)
    read = set(text.pages)
    for revision in earlier_revisions(data, ends):
        label = f"revision {revision.number} of {count}"
        finder.known = partial(unchanged, revision.reader)
        finder.scan(revision.reader, f"{label}: ", last=False)
        pages = revision.reader.pages
        if len(pages) > MAX_PAGES:
            raise ValueError(f"{label} has {len(pages)} pages, more than the {MAX_PAGES} that can be read")
        for index, page in enumerate(pages):
            if fingerprints.same_as_last(revision.reader, index):
                continue
            shown = page_text(page)
            if shown not in read:  # the same text reads the same; its forms and turned text may not
                read.add(shown)
                finder.page_marks(shown, f"{label}, page {index + 1}")
            if may_turn_text(page):
                finder.page_marks(turned_text(page), f"{label}, page {index + 1}, text turned on the page")
            finder.form_marks(revision.reader, page, f"{label}, page {index + 1}")
    return Channels(revisions=count, marks=tuple(finder.marks), attachments=tuple(finder.attachments),
                    active_content=tuple(finder.active), unread_pages=tuple(finder.unread))


def _short(value: str) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= _EVIDENCE else flat[: _EVIDENCE - 1] + "…"


class _Finder:
    """The findings of one file, collected over its revisions, each once."""

    def __init__(self, budget: Budget, known: Callable[[Any], bool]) -> None:
        self.budget = budget
        # Whether an object of the revision being scanned was read already, in a newer revision.
        self.known = known
        self.marks: list[ChannelMark] = []
        self.attachments: list[EmbeddedFile] = []
        self.active: list[str] = []
        self.unread: list[int] = []
        self._said: set[tuple[str, str, str, str]] = set()  # (channel, kind, mark, evidence)
        self._files: set[tuple[str, str]] = set()  # (name, sha256)
        # Streams already read, by location in the file: the same bytes in every revision.
        self._stream_texts: dict[tuple[Any, ...], str] = {}
        self._file_digests: dict[tuple[Any, ...], tuple[str, int]] = {}
        self._value_marks: dict[str, list[tuple[str, str]]] = {}  # the same values recur in revisions

    # --- marks ------------------------------------------------------------------------------

    def _found(self, channel: str, where: str, kind: str, mark: str, evidence: str) -> None:
        if kind not in ("secrecy", "circulation"):
            return
        key = (channel, kind, mark, evidence)
        if key not in self._said:
            self._said.add(key)
            self.marks.append(ChannelMark(channel, where, kind, mark, evidence))

    def value_marks(self, channel: str, where: str, value: str | None) -> None:
        if not value or not value.strip():
            return
        found = self._value_marks.get(value)
        if found is None:
            found = self._value_marks[value] = field_marks(value)
        for kind, mark in found:
            self._found(channel, where, kind, mark, _short(value))

    def name_marks(self, channel: str, where: str, name: str) -> None:
        """A file name's words ("MẬT.docx", "Ke-hoach_TUYET-MAT.pdf"): separated by punctuation."""
        words = _bounded([w for w in _NAME_SEPARATORS.split(name) if w], 4096, "words in a file name")
        for i, word in enumerate(words):
            for candidate in (word, " ".join(words[i:i + 2])):
                found = segment_mark(candidate)
                if found is not None:
                    self._found(channel, where, found[0], found[1], _short(name))

    def form_marks(self, reader: Any, page: Any, where: str) -> None:
        """Marks in the text of the page's form XObjects (stamps, imported pages, watermarks)."""
        resources = as_dict(page.get("/Resources")) or {}
        xobjects = as_dict(resources.get("/XObject")) or {}
        for name, reference in _bounded(list(xobjects.items()), 10_000, "XObjects of a page"):
            form = resolve(reference)
            if is_stream(form) and name_of(form.get("/Subtype")) == "/Form":
                shown = self._appearance_text(reader, page, reference)
                self.page_marks(shown, f"{where}, form XObject {name}", "form-xobject")

    def page_marks(self, shown: str, where: str, channel: str = "revision") -> None:
        if not shown.strip():
            return
        marks = detect_marks(PdfText((shown,)))
        evidence = _short(" / ".join(marks.evidence))
        if marks.secrecy:
            self._found(channel, where, "secrecy", marks.secrecy, evidence)
        for mark in marks.circulation:
            self._found(channel, where, "circulation", mark, evidence)

    # --- one revision -----------------------------------------------------------------------

    def scan(self, reader: Any, label: str, *, last: bool) -> None:
        trailer = reader.trailer
        catalog = as_dict(trailer.get("/Root")) or {}
        if not self.known(trailer.get("/Info")):
            info = as_dict(trailer.get("/Info")) or {}
            for key, value in _bounded(list(info.items()), 4096, "Info entries"):
                self.budget.spend()
                self.value_marks("info", f"{label}Info {key}", text_of(value))
        if not self.known(catalog.get("/Metadata")):
            self._xmp(reader, catalog.get("/Metadata"), label)
        if not self.known(catalog.get("/Outlines")):
            self._outline(catalog.get("/Outlines"), label)
        if not self.known(catalog.get("/AcroForm")):
            self._form(catalog.get("/AcroForm"), label, last=last)
        names = {} if self.known(catalog.get("/Names")) else as_dict(catalog.get("/Names")) or {}
        where_files = "portfolio (EmbeddedFiles name tree)" if "/Collection" in catalog else "EmbeddedFiles name tree"
        for key, spec in self._name_tree(names.get("/EmbeddedFiles")):
            self._embedded(reader, spec, f"{label}{where_files}", key)
        if last:
            for key, _ in self._name_tree(names.get("/JavaScript")):
                self.active.append(f"document JavaScript (Names tree) {key!r}")
            self._action(catalog.get("/OpenAction"), "OpenAction")
            self._triggers(catalog.get("/AA"), "document /AA")
        for number, page in enumerate(reader.pages, start=1):
            self.budget.spend()
            if last:
                self._triggers(page.get("/AA"), f"page {number} /AA")
            for annotation in _bounded(as_list(page.get("/Annots")), 10_000, "annotations on a page"):
                if self.known(annotation):
                    continue
                self._annotation(reader, page, resolve(annotation), f"{label}page {number}", last=last)

    def _xmp(self, reader: Any, metadata: Any, label: str) -> None:
        stream = resolve(metadata)
        if not is_stream(stream):
            return
        key = reference_key(metadata)
        where = location(reader, key) if key else None
        if where is not None and ("xmp", *where) in self._stream_texts:
            return
        raw = stream.get_data()
        if len(raw) > MAX_XMP_BYTES:
            raise BudgetExceeded("XMP metadata larger than can be inspected")
        if where is not None:
            self._stream_texts[("xmp", *where)] = ""
        # Text nodes only: no XML parser (and no entity expansion) on hostile bytes.
        for node in _XMP_TEXT.findall(raw):
            self.budget.spend()
            value = html.unescape(node.decode("utf-8", errors="replace"))
            self.value_marks("xmp", f"{label}XMP", unicodedata.normalize("NFC", value))

    def _walk(self, starts: list[_Step], too_deep: str, visit: Callable[[dict[Any, Any], Any, int], list[_Step]],
              skip: Callable[[Any], bool] | None = None) -> None:
        """Every node reachable from `starts` (reference, what the parent passes on, depth), each once
        however the file links them back, no deeper than _MAX_DEPTH, each paid for from the budget:
        `visit` reads a node and returns its children. `skip`: references not to follow."""
        seen: set[int] = set()
        pending = list(starts)
        while pending:
            ref, carried, depth = pending.pop()
            if skip is not None and skip(ref):
                continue
            node = as_dict(ref)
            if node is None or id(node) in seen:
                continue
            if depth > _MAX_DEPTH:
                raise BudgetExceeded(too_deep)
            self.budget.spend()
            seen.add(id(node))
            pending.extend(visit(node, carried, depth))

    def _outline(self, outlines: Any, label: str) -> None:
        def visit(item: dict[Any, Any], _carried: Any, depth: int) -> list[_Step]:
            self.value_marks("outline", f"{label}outline item", text_of(item.get("/Title")))
            return [(item.get("/Next"), None, depth), (item.get("/First"), None, depth + 1)]

        self._walk([((as_dict(outlines) or {}).get("/First"), None, 0)], "outline nested too deeply", visit)

    def _form(self, acroform: Any, label: str, *, last: bool) -> None:
        form = as_dict(acroform)
        if form is None:
            return
        if last and form.get("/XFA") is not None:
            self.active.append("XFA form (/AcroForm /XFA)")

        def visit(field: dict[Any, Any], inherited_type: Any, depth: int) -> list[_Step]:
            field_type = name_of(field.get("/FT")) or inherited_type
            name = text_of(field.get("/T")) or "(unnamed)"
            if field_type != "/Sig":  # a signature field's value is the signature
                for key in ("/V", "/DV"):
                    for value in _bounded(as_list(field.get(key)), 10_000, "values of a form field"):
                        self.value_marks("form-field", f"{label}form field {name!r} {key}",
                                         text_of(value) or _name_text(value))
            if last:
                self._triggers(field.get("/AA"), f"form field {name!r} /AA")
            return [(kid, field_type, depth + 1)
                    for kid in _bounded(as_list(field.get("/Kids")), 10_000, "kids of a form field")]

        # A field known from a newer revision is skipped with its kids: it was read there.
        self._walk([(field, None, 0) for field in as_list(form.get("/Fields"))], "form fields nested too deeply",
                   visit, skip=self.known)

    def _annotation(self, reader: Any, page: Any, annotation: Any, where: str, *, last: bool) -> None:
        if not isinstance(annotation, dict):
            return
        self.budget.spend()
        subtype = name_of(annotation.get("/Subtype")) or "/Annot"
        owner = f"{where}, {subtype} annotation"
        self.value_marks("annotation", f"{owner} /Contents", text_of(annotation.get("/Contents")))
        self.value_marks("annotation", f"{owner} /Subj", text_of(annotation.get("/Subj")))
        rich = text_of(annotation.get("/RC"))
        if rich is None and is_stream(resolve(annotation.get("/RC"))):
            rich = resolve(annotation.get("/RC")).get_data().decode("utf-8", errors="replace")
        if rich:
            self.value_marks("annotation", f"{owner} /RC", html.unescape(_TAGS.sub(" ", rich)))
        appearances = as_dict(annotation.get("/AP")) or {}
        for state in _APPEARANCES:
            for stream_ref in _appearance_streams(appearances.get(state)):
                shown = self._appearance_text(reader, page, stream_ref)
                self.value_marks("annotation", f"{owner} appearance", shown)
        if subtype == "/FileAttachment":
            self._embedded(reader, annotation.get("/FS"), owner, None)
        if last:
            if subtype in _ACTIVE_ANNOTATIONS:
                self.active.append(f"{owner}")
            self._action(annotation.get("/A"), f"{owner} /A")
            self._triggers(annotation.get("/AA"), f"{owner} /AA")

    def _appearance_text(self, reader: Any, page: Any, stream_ref: Any) -> str:
        key = reference_key(stream_ref)
        where = location(reader, key) if key else None
        if where is not None and where in self._stream_texts:
            return ""  # read in a newer revision: the same bytes, already judged
        shown = xobject_text(page, resolve(stream_ref))
        if where is not None:
            self._stream_texts[where] = shown
        return shown

    # --- embedded files ---------------------------------------------------------------------

    def _name_tree(self, root: Any) -> list[tuple[str, Any]]:
        entries: list[tuple[str, Any]] = []

        def visit(node: dict[Any, Any], _carried: Any, depth: int) -> list[_Step]:
            names = as_list(node.get("/Names"))
            self.budget.spend(len(names))
            entries.extend((text_of(names[i]) or "", names[i + 1]) for i in range(0, len(names) - 1, 2))
            return [(kid, None, depth + 1) for kid in reversed(as_list(node.get("/Kids")))]

        self._walk([(root, None, 0)], "name tree nested too deeply", visit)
        return entries

    def _embedded(self, reader: Any, spec_ref: Any, where: str, key: str | None) -> None:
        spec = as_dict(spec_ref)
        if spec is None:
            return
        name = text_of(spec.get("/UF")) or text_of(spec.get("/F")) or key or "(unnamed)"
        self.value_marks("attachment-name", f"{where}: file name", name)
        self.name_marks("attachment-name", f"{where}: file name", name)
        self.value_marks("attachment-name", f"{where}: {name!r} /Desc", text_of(spec.get("/Desc")))
        streams = as_dict(spec.get("/EF")) or {}
        stream_ref = streams.get("/UF") if streams.get("/UF") is not None else streams.get("/F")
        stream = resolve(stream_ref)
        if not is_stream(stream):
            return  # a reference to a file outside the PDF: nothing is carried
        ref = reference_key(stream_ref)
        at = location(reader, ref) if ref else None
        known = self._file_digests.get(at) if at is not None else None
        if known is None:
            content = stream.get_data()
            known = (hashlib.sha256(content).hexdigest(), len(content))
            if at is not None:
                self._file_digests[at] = known
        name = unicodedata.normalize("NFC", name)
        if (name, known[0]) not in self._files:
            self._files.add((name, known[0]))
            self.attachments.append(EmbeddedFile(name, known[0], known[1], where))

    # --- active content ---------------------------------------------------------------------

    def _triggers(self, triggers: Any, where: str) -> None:
        for trigger, action in _bounded(list((as_dict(triggers) or {}).items()), 256, "triggers"):
            self._action(action, f"{where} {trigger}")

    def _action(self, action_ref: Any, where: str) -> None:
        def visit(action: dict[Any, Any], _carried: Any, depth: int) -> list[_Step]:
            kind = name_of(action.get("/S"))
            if kind not in _SAFE_ACTIONS or action.get("/JS") is not None:
                target = text_of(action.get("/F")) or text_of((as_dict(action.get("/F")) or {}).get("/F"))
                self.active.append(f"{where} {kind or 'action without /S'}" + (f" ({target})" if target else ""))
            return [(step, None, depth + 1) for step in _bounded(as_list(action.get("/Next")), 256, "next actions")]

        # (an OpenAction may be a destination array: not a dictionary, not followed)
        self._walk([(action_ref, None, 0)], "action chain too long", visit)

    # --- pages the text layer does not show -------------------------------------------------

    def unread_pages(self, reader: Any, text: PdfText) -> None:
        for index, page in enumerate(reader.pages):
            shown = text.pages[index] if index < len(text.pages) else ""
            if next(islice((c for c in shown if c.isalpha()), _LITTLE_TEXT - 1, None), None) is not None:
                continue  # at least _LITTLE_TEXT letters (counting stops there)
            if _draws_enough(reader, page, self.budget):
                self.unread.append(index + 1)


def _bounded(items: list[Any], limit: int, what: str) -> list[Any]:
    """`items`, when there are at most `limit` of them: beyond, the inspection fails (read whole or
    not at all, never in part)."""
    if len(items) > limit:
        raise BudgetExceeded(f"more {what} ({len(items)}) than can be inspected ({limit})")
    return items


def _name_text(value: Any) -> str | None:
    """A name's value as text ("/Mật" from a choice field), else None."""
    name = name_of(value)
    return name[1:] if name else None


def _appearance_streams(value: Any) -> list[Any]:
    """The streams of an appearance: one, or one per state (/On, /Off...)."""
    if is_stream(resolve(value)):
        return [value]
    states = as_dict(value) or {}
    return [state for state in _bounded(list(states.values()), 256, "appearance states")
            if is_stream(resolve(state))]


Matrix = tuple[float, float, float, float, float, float]


def _times(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention: m x n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _matrix(operands: Any) -> Matrix | None:
    try:
        values = tuple(float(resolve(v)) for v in operands)
    except (TypeError, ValueError):
        return None
    return values if len(values) == 6 else None  # type: ignore[return-value]


def _draws_enough(reader: Any, page: Any, budget: Budget) -> bool:
    """Whether a page draws an image or enough paths to hold a mark its text layer does not."""
    box = [float(resolve(v)) for v in as_list(page.get("/MediaBox"))[:4]] or [0.0, 0.0, 612.0, 792.0]
    page_area = abs((box[2] - box[0]) * (box[3] - box[1])) if len(box) == 4 else 0.0
    if page_area <= 0:
        return True  # no sensible page box: nothing can be said of what it shows
    totals = {"image": 0.0, "paths": 0}
    _walk_drawing(reader, page, page.get("/Resources"), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), totals, budget, 0)
    return totals["image"] > _IMAGE_SHARE * page_area or totals["paths"] >= _MANY_PATHS


def _walk_drawing(reader: Any, owner: Any, resources: Any, start: Matrix, totals: dict[str, Any],
                  budget: Budget, depth: int) -> None:
    if depth > 8:
        raise BudgetExceeded("form XObjects nested too deeply")
    xobjects = as_dict((as_dict(resources) or {}).get("/XObject")) or {}
    ctm = start
    stack: list[Matrix] = []
    operations = content_operations(owner, reader)
    budget.spend(len(operations))
    for operands, operator in operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop() if stack else start
        elif operator == b"cm":
            matrix = _matrix(operands)
            if matrix is not None:
                ctm = _times(matrix, ctm)
        elif operator in _PATH_OPERATORS:
            totals["paths"] += 1
        elif operator == b"INLINE IMAGE":
            totals["image"] += abs(ctm[0] * ctm[3] - ctm[1] * ctm[2])
        elif operator == b"Do" and operands:
            xobject = resolve(xobjects.get(operands[0]))
            if not is_stream(xobject):
                continue
            subtype = name_of(xobject.get("/Subtype"))
            if subtype == "/Image":
                totals["image"] += abs(ctm[0] * ctm[3] - ctm[1] * ctm[2])
            elif subtype == "/Form":
                form_matrix = _matrix(as_list(xobject.get("/Matrix"))) or (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
                _walk_drawing(reader, xobject, xobject.get("/Resources") or resources, _times(form_matrix, ctm),
                              totals, budget, depth + 1)
