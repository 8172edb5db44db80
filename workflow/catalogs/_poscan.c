/* The compiled route of catalogs/quick.py: quick.read's pattern (_ENTRY, entry after entry, then _TAIL)
 * walked over the catalog's UTF-8 bytes in one pass, with the decoding, unescaping and line counting that
 * quick.read does in Python. quick.read is the reference (tests/test_poscan.py compares the two routes);
 * quick.read_compiled wraps scan() with what stays in Python (the size limit, the header's check, parser's
 * joiner check, the header's choice).
 *
 * scan(data, Entry, previous) -> (entries, headers, suspects), or None where quick.read says None:
 *   entries   Entry(...) of each entry but the non-obsolete msgid "" ones;
 *   headers   (msgctxt, msgstr, line) of each non-obsolete msgid "";
 *   suspects  each value holding a joiner (ZWNJ, ZWJ), for parser.refused_character;
 *   previous  quick._previous, called with an entry's comment lines where one starts with "#|".
 * Every byte is checked as data.decode("utf-8") checks it (strict: no overlong form, surrogate or code point
 * over U+10FFFF) and against quick._UNSAFE: an answer other than None means that the pattern matched every
 * byte, so a file that decode() refuses (a BOM or UTF-16: a U+FEFF, a NUL or an invalid byte) is None.
 * Memory: every index is checked against the length; one scratch buffer of the data's size (an entry's
 * values never unescape to more bytes than they have), freed on every path; no recursion. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    const unsigned char *s;
    Py_ssize_t n;
    Py_ssize_t line;        /* the line of the position being read, from 1 */
    char *scratch;          /* the unescaped values of one entry (n bytes: they are disjoint parts of s) */
    Py_ssize_t used;        /* of scratch, by the entry being read */
} Scan;

typedef struct {
    Py_ssize_t start, len;  /* the value's UTF-8: s[start:start+len] if plain, else scratch[start:start+len] */
    int plain;              /* one literal without escapes: its body is the value's UTF-8 as it is */
    int joiner;             /* holds U+200C or U+200D */
    Py_ssize_t follow;      /* its UTF-8's continuation bytes (len - follow: its length in characters) */
    unsigned char top;      /* its greatest lead byte of a character over U+007F, 0 if none (its width) */
} Field;

typedef struct {            /* one entry as matched */
    Py_ssize_t comments, end;   /* its comment lines, s[comments:end] */
    int flag_rows, previous_rows;   /* whether one of them starts with "#," or "#|" */
    Field f[3];             /* msgctxt (start -1 when absent), msgid, msgstr */
    int obsolete;
    Py_ssize_t line;        /* the msgstr's */
} Matched;

static PyObject *FUZZY, *COMMA, *STRIP, *CRLF, *LF;
static unsigned char ASCII_TEXT[256];   /* 1 for the bytes _TEXT reads as they are: ASCII but controls, and \t */
static unsigned char ASCII_BODY[256];   /* the same less " and \ (_BODY) */

/* The length of the character at s[i], a byte over 0x7f, if Python's strict UTF-8 decoder accepts it and
 * it is not in quick._UNSAFE (C1 controls, U+200B, U+2028-U+202E, U+2060, U+2066-U+2069, U+FEFF), else 0.
 * *joiner is set for U+200C and U+200D. */
static int character(const unsigned char *s, Py_ssize_t n, Py_ssize_t i, int *joiner) {
    unsigned char b = s[i], lo = 0x80, hi = 0xbf;   /* the second byte's range */
    Py_UCS4 c;
    int len;
    if (b >= 0xc2 && b <= 0xdf) {   /* U+0080-U+07FF: C1 controls are C2 80-C2 9F */
        return n - i >= 2 && (s[i + 1] & 0xc0) == 0x80 && (b != 0xc2 || s[i + 1] >= 0xa0) ? 2 : 0;
    }
    if (b >= 0xe0 && b <= 0xef) {
        len = 3;
        if (b == 0xe0) lo = 0xa0;          /* overlong */
        else if (b == 0xed) hi = 0x9f;     /* surrogates */
    } else if (b >= 0xf0 && b <= 0xf4) {
        len = 4;
        if (b == 0xf0) lo = 0x90;          /* overlong */
        else if (b == 0xf4) hi = 0x8f;     /* over U+10FFFF */
    } else {
        return 0;
    }
    if (n - i < len || s[i + 1] < lo || s[i + 1] > hi) return 0;
    c = b & (len == 3 ? 0x0f : 0x07);
    for (int k = 1; k < len; k++) {
        if ((s[i + k] & 0xc0) != 0x80) return 0;
        c = (c << 6) | (s[i + k] & 0x3f);
    }
    if (c == 0x200b || (c >= 0x2028 && c <= 0x202e) || c == 0x2060 || (c >= 0x2066 && c <= 0x2069)
        || c == 0xfeff)
        return 0;
    *joiner |= c == 0x200c || c == 0x200d;
    return len;
}

/* The end of the line break at s[i] ("\n" or "\r\n": quick.read reads CRLF as LF), or -1 if none is there. */
static Py_ssize_t line_break(const Scan *sc, Py_ssize_t i) {
    if (i >= 0 && i < sc->n && sc->s[i] == '\n') return i + 1;
    if (i >= 0 && i + 1 < sc->n && sc->s[i] == '\r' && sc->s[i + 1] == '\n') return i + 2;
    return -1;
}

static int starts(const Scan *sc, Py_ssize_t i, const char *word) {
    Py_ssize_t len = (Py_ssize_t)strlen(word);
    return i >= 0 && sc->n - i >= len && memcmp(sc->s + i, word, (size_t)len) == 0;
}

/* _TEXT*+ up to the end of the line: where the line ends (at its break, or at the end of the data), or -1
 * if a character on the way is unsafe or not UTF-8 (a "\r" is, unless "\r\n" ends the line). */
static Py_ssize_t text(const Scan *sc, Py_ssize_t i) {
    int len, joiner = 0;
    while (i < sc->n) {
        if (ASCII_TEXT[sc->s[i]]) { i++; continue; }
        if (line_break(sc, i) > 0) return i;
        if (sc->s[i] < 0x80 || (len = character(sc->s, sc->n, i, &joiner)) == 0) return -1;
        i += len;
    }
    return i;
}

/* _COMMENT at s[i]: where its line ends (see text()), or -1 if the line is no comment line. */
static Py_ssize_t comment(const Scan *sc, Py_ssize_t i) {
    if (i == sc->n || line_break(sc, i) > 0) return i;                 /* a blank line */
    if (sc->s[i] != '#') return -1;
    if (i + 1 == sc->n || line_break(sc, i + 1) > 0) return i + 1;    /* `#` */
    switch (sc->s[i + 1]) {
    case '.': case ':': case ',':
        if (i + 2 == sc->n || line_break(sc, i + 2) > 0) return i + 2; /* bare `#.`, `#:`, `#,` */
        return sc->s[i + 2] == ' ' ? text(sc, i + 3) : -1;
    case ' ': case '#':
        return text(sc, i + 2);
    case '|':
        if (!starts(sc, i + 2, " ")) return -1;
        i += 3;
        if (starts(sc, i, "msgctxt ")) i += 8;
        else if (starts(sc, i, "msgid_plural ")) i += 13;
        else if (starts(sc, i, "msgid ")) i += 6;
        return starts(sc, i, "\"") ? text(sc, i + 1) : -1;
    }
    return -1;
}

/* The fast lane of literal(): a DFA over a body's bytes that reads, without a branch per character, what
 * most text is made of: _BODY's ASCII and the 2- and 3-byte characters that need no look at their code
 * point (not a C1 control, an unsafe character, a joiner, an overlong form or a surrogate). It stops at
 * any other byte, and literal() reads that character as before. A shift DFA: a state is a bit offset, and
 * FAST[b] >> state is the next one (six bits per state), so the loop's chain is a load and a shift a byte
 * (its branch mispredicted at every switch between ASCII and other text: ~40 % of a catalog's scan). */
enum { AT_START = 0, NEED1 = 6, NEED2 = 12, AFTER_E0 = 18, AFTER_ED = 24, AFTER_E2 = 30, STOPPED = 36 };
static uint64_t FAST[256];

static void fast_lane_table(void) {
    for (int b = 0; b < 256; b++) {
        uint64_t row = 0;
        int next[STOPPED / 6];   /* from each state but STOPPED, which moves to itself */
        for (int k = 0; k < STOPPED / 6; k++) next[k] = STOPPED;
        if (ASCII_BODY[b]) next[AT_START / 6] = AT_START;
        if (b >= 0xc3 && b <= 0xdf) next[AT_START / 6] = NEED1;             /* U+00C0-U+07FF */
        if ((b >= 0xe1 && b <= 0xec && b != 0xe2) || b == 0xee) next[AT_START / 6] = NEED2;
        if (b == 0xe0) next[AT_START / 6] = AFTER_E0;
        if (b == 0xed) next[AT_START / 6] = AFTER_ED;
        if (b == 0xe2) next[AT_START / 6] = AFTER_E2;
        if (b >= 0x80 && b <= 0xbf) {
            next[NEED1 / 6] = AT_START;
            next[NEED2 / 6] = NEED1;
            if (b >= 0xa0) next[AFTER_E0 / 6] = NEED1;   /* E0 80-9F: overlong */
            if (b <= 0x9f) next[AFTER_ED / 6] = NEED1;   /* ED A0-BF: surrogates */
            if (b >= 0x82) next[AFTER_E2 / 6] = NEED1;   /* E2 80-81: U+2000-U+207F, where the unsafe and joiners are */
        }
        for (int k = 0; k < STOPPED / 6; k++) row |= (uint64_t)next[k] << (k * 6);
        row |= (uint64_t)STOPPED << STOPPED;
        FAST[b] = row;
    }
}

/* Whether the eight bytes of w are all _BODY's ASCII (0x20-0x7E but " and \\; a tab is left to the DFA): no
 * high bit, no byte under 0x20, none equal to 0x7F, " or \\ (a byte under 0x80 is zero after x ^ c only
 * where it equals c; x - 0x01.. & ~x sets a byte's high bit where it is zero, or under a zero's borrow) */
#define BYTES(b) (0x0101010101010101ULL * (b))
static inline int has_zero(uint64_t x) { return ((x - BYTES(0x01)) & ~x & BYTES(0x80)) != 0; }
static inline int body_word(uint64_t w) {
    return (w & BYTES(0x80)) == 0 && ((w - BYTES(0x20)) & BYTES(0x80)) == 0 && !has_zero(w ^ BYTES(0x7f))
           && !has_zero(w ^ BYTES('"')) && !has_zero(w ^ BYTES('\\'));
}

/* One literal "..." at s[i] (_BODY between the quotes): the position after its closing quote, or -1.
 * *escaped tells whether the body has an escape; f->joiner is set if it has a joiner, f->follow and f->top
 * count its characters over U+007F (see Field). */
static Py_ssize_t literal(const Scan *sc, Py_ssize_t i, Field *f, int *escaped) {
    const unsigned char *s = sc->s;
    Py_ssize_t body, k;
    int len;
    *escaped = 0;
    if (!starts(sc, i, "\"")) return -1;
    body = ++i;
    while (i < sc->n) {
        uint64_t state = AT_START, before = AT_START;
        Py_ssize_t j = i;
        unsigned char b;
        /* eight bytes at a time: a word of _BODY's ASCII skipped at once between characters, else the
         * DFA over the eight without a test (STOPPED stays STOPPED); a block it stops in is read again
         * byte by byte below, which finds the byte and the state before it */
        while (sc->n - j >= 8) {
            uint64_t w, next = state;
            memcpy(&w, s + j, 8);
            if ((state & 63) == AT_START && body_word(w)) { j += 8; continue; }
            for (int k8 = 0; k8 < 8; k8++) next = FAST[s[j + k8]] >> (next & 63);
            if ((next & 63) == STOPPED) break;
            state = next;
            j += 8;
        }
        for (; j < sc->n; j++) {
            before = state;
            state = FAST[s[j]] >> (state & 63);
            if ((state & 63) == STOPPED) break;
        }
        if (j == sc->n) return -1;   /* unterminated, or a character cut by the end */
        /* where the character the lane stopped in starts: j, or its lead byte (at most two bytes back) */
        if ((before & 63) != AT_START) while ((s[--j] & 0xc0) == 0x80) {}
        i = j;
        b = s[i];
        if (b == '"') break;
        if (b == '\\') {
            if (i + 1 == sc->n || (s[i + 1] != '\\' && s[i + 1] != '"' && s[i + 1] != 'n' && s[i + 1] != 't'))
                return -1;
            *escaped = 1;
            i += 2;
        } else if (b < 0x80 || (len = character(s, sc->n, i, &f->joiner)) == 0) {
            return -1;   /* a line break, a control, an unsafe or invalid character */
        } else {
            i += len;
        }
    }
    if (i >= sc->n) return -1;   /* unterminated */
    /* the body is valid UTF-8 and ASCII escapes: its bytes 80-BF are the continuation bytes, and its greatest
     * byte, when over 7F, is the greatest lead byte (a lead byte is C2 or more) */
    {
        unsigned char top = 0;
        Py_ssize_t follow = 0;
        for (k = body; k < i; k++) {
            follow += (s[k] & 0xc0) == 0x80;
            top = s[k] > top ? s[k] : top;
        }
        f->follow += follow;
        if (top > f->top && top >= 0x80) f->top = top;
    }
    return i + 1;
}

/* A literal's body s[i:end] appended to the entry's scratch, unescaped. Never past n bytes in all: the
 * entry's bodies are disjoint parts of s, and none unescapes to more bytes than it has. */
static void append(Scan *sc, Py_ssize_t i, Py_ssize_t end, int escaped) {
    char *out = sc->scratch + sc->used;
    if (!escaped) {
        memcpy(out, sc->s + i, (size_t)(end - i));
        sc->used += end - i;
        return;
    }
    while (i < end) {
        unsigned char b = sc->s[i++];
        if (b == '\\' && i < end) {
            b = sc->s[i++];
            b = b == 'n' ? '\n' : b == 't' ? '\t' : b;
        }
        *out++ = (char)b;
    }
    sc->used = out - sc->scratch;
}

/* Whether the line after position i continues a field: a line break, the entry's prefix, a quote. */
static int continues(const Scan *sc, Py_ssize_t i, const char *prefix, Py_ssize_t skip) {
    Py_ssize_t next = line_break(sc, i);
    return next > 0 && starts(sc, next, prefix) && starts(sc, next + skip, "\"");
}

/* _FIELD at s[i]: a literal and its continuation lines. Once a line starts as a continuation, it is one or
 * the catalog is not quick (quick.read finds no entry at that line, nor a tail of comments). The end of
 * the field, or -1. */
static Py_ssize_t field(Scan *sc, Py_ssize_t i, const char *prefix, Field *f) {
    Py_ssize_t skip = (Py_ssize_t)strlen(prefix), end;
    int escaped;
    f->joiner = 0;
    f->follow = 0;
    f->top = 0;
    if ((end = literal(sc, i, f, &escaped)) < 0) return -1;
    f->plain = !escaped && !continues(sc, end, prefix, skip);
    if (f->plain) {
        f->start = i + 1;
        f->len = end - i - 2;
        return end;
    }
    f->start = sc->used;
    append(sc, i + 1, end - 1, escaped);
    while (continues(sc, end, prefix, skip)) {
        sc->line++;
        i = line_break(sc, end) + skip;
        if ((end = literal(sc, i, f, &escaped)) < 0) return -1;
        append(sc, i + 1, end - 1, escaped);
    }
    f->len = sc->used - f->start;
    return end;
}

/* A field's value, decoded. The scan checked its UTF-8 (well formed, no overlong form, surrogate or code point
 * over U+10FFFF) and counted it, so the str is made here at its length and width without checking it again
 * (the greatest lead byte says the widest character: C2-C3 Latin-1, C4-EF two bytes, F0-F4 four), then
 * filled (PyUnicode_DecodeUTF8 checked each character again and, in text that starts with a wide one,
 * widened its buffer as it went). An unescaped value's bytes are its literals' with one byte for each
 * escape's two: the same characters over 0x7f. */
static PyObject *value(const Scan *sc, const Field *f) {
    const unsigned char *p = f->plain ? sc->s + f->start : (const unsigned char *)sc->scratch + f->start;
    const unsigned char *end = p + f->len;
    Py_ssize_t k = 0;
    unsigned char top = f->top;
    PyObject *str;
    if (top == 0) {
        if ((str = PyUnicode_New(f->len, 0x7f)) != NULL) memcpy(PyUnicode_1BYTE_DATA(str), p, (size_t)f->len);
        return str;
    }
    if ((str = PyUnicode_New(f->len - f->follow, top < 0xc4 ? 0xff : top < 0xf0 ? 0xffff : 0x10ffff)) == NULL) return NULL;
    if (top < 0xc4) {
        Py_UCS1 *out = PyUnicode_1BYTE_DATA(str);
        while (p < end) {
            if (*p < 0x80) out[k++] = *p++;
            else { out[k++] = (Py_UCS1)(((p[0] & 0x1f) << 6) | (p[1] & 0x3f)); p += 2; }
        }
    } else if (top < 0xf0) {
        Py_UCS2 *out = PyUnicode_2BYTE_DATA(str);
        while (p < end) {
            if (*p < 0x80) out[k++] = *p++;
            else if (*p < 0xe0) { out[k++] = (Py_UCS2)(((p[0] & 0x1f) << 6) | (p[1] & 0x3f)); p += 2; }
            else { out[k++] = (Py_UCS2)(((p[0] & 0x0f) << 12) | ((p[1] & 0x3f) << 6) | (p[2] & 0x3f)); p += 3; }
        }
    } else {
        Py_UCS4 *out = PyUnicode_4BYTE_DATA(str);
        while (p < end) {
            if (*p < 0x80) out[k++] = *p++;
            else if (*p < 0xe0) { out[k++] = ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu); p += 2; }
            else if (*p < 0xf0) { out[k++] = ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu); p += 3; }
            else {
                out[k++] = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) | (p[3] & 0x3fu);
                p += 4;
            }
        }
    }
    return str;
}

/* An entry's keyword lines at s[i]: [#~ ][msgctxt FIELD\n PREFIX]msgid FIELD\n PREFIX msgstr FIELD, then
 * a line break or the end of the data. The end, or -1. */
static Py_ssize_t keywords(Scan *sc, Py_ssize_t i, Matched *m) {
    const char *prefix = starts(sc, i, "#~ ") ? "#~ " : "";
    Py_ssize_t skip = (Py_ssize_t)strlen(prefix);
    m->obsolete = skip > 0;
    i += skip;
    m->f[0].start = -1;
    if (starts(sc, i, "msgctxt ")) {
        if ((i = field(sc, i + 8, prefix, &m->f[0])) < 0 || (i = line_break(sc, i)) < 0 || !starts(sc, i, prefix))
            return -1;
        sc->line++;
        i += skip;
    }
    if (!starts(sc, i, "msgid ") || (i = field(sc, i + 6, prefix, &m->f[1])) < 0 || (i = line_break(sc, i)) < 0)
        return -1;
    sc->line++;
    if (!starts(sc, i, prefix) || !starts(sc, i + skip, "msgstr ")) return -1;
    m->line = sc->line;
    if ((i = field(sc, i + skip + 7, prefix, &m->f[2])) < 0) return -1;
    if (i == sc->n) return i;
    if ((i = line_break(sc, i)) < 0) return -1;
    sc->line++;
    return i;
}

/* The flags of a `#,` line s[row:end], as quick._flags reads them (str.strip, str.split: the same text). */
static int add_flags(const Scan *sc, Py_ssize_t row, Py_ssize_t end, PyObject *flags) {
    PyObject *content = PyUnicode_DecodeUTF8((const char *)sc->s + row + 2, end - row - 2, "strict");
    PyObject *stripped = NULL, *pieces = NULL;
    int result = -1;
    if (content == NULL || (stripped = PyObject_CallMethodNoArgs(content, STRIP)) == NULL) goto done;
    if (PyUnicode_GET_LENGTH(stripped) == 0) { result = 0; goto done; }   /* a bare `#,` has none */
    if ((pieces = PyUnicode_Split(content, COMMA, -1)) == NULL) goto done;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(pieces); k++) {
        PyObject *flag = PyObject_CallMethodNoArgs(PyList_GET_ITEM(pieces, k), STRIP);
        int failed = flag == NULL || PyList_Append(flags, flag) < 0;
        Py_XDECREF(flag);
        if (failed) goto done;
    }
    result = 0;
done:
    Py_XDECREF(content);
    Py_XDECREF(stripped);
    Py_XDECREF(pieces);
    return result;
}

/* The entry's flags, a tuple (most entries have none: the empty tuple, no object made). */
static PyObject *flags_of(const Scan *sc, const Matched *m) {
    PyObject *flags, *tuple;
    Py_ssize_t i = m->comments;
    if (!m->flag_rows) return PyTuple_New(0);
    if ((flags = PyList_New(0)) == NULL) return NULL;
    while (i < m->end) {   /* i: a row's start (the rows were checked) */
        Py_ssize_t row = i;
        while (i < m->end && sc->s[i] != '\n' && sc->s[i] != '\r') i++;
        if (starts(sc, row, "#,") && add_flags(sc, row, i, flags) < 0) { Py_DECREF(flags); return NULL; }
        while (i < m->end && (sc->s[i] == '\n' || sc->s[i] == '\r')) i++;
    }
    tuple = PyList_AsTuple(flags);
    Py_DECREF(flags);
    return tuple;
}

static int has_pair(const Scan *sc, Py_ssize_t i, Py_ssize_t end, char a, char b) {
    for (; i + 1 < end; i++)
        if (sc->s[i] == a && sc->s[i + 1] == b) return 1;
    return 0;
}

/* quick._previous on the comment lines (CRLF read as LF) where a row starts with "#|", else None (what
 * _previous answers without such a row). */
static PyObject *previous_of(const Scan *sc, const Matched *m, PyObject *previous) {
    PyObject *comments, *lf, *result;
    if (!m->previous_rows) Py_RETURN_NONE;
    comments = PyUnicode_DecodeUTF8((const char *)sc->s + m->comments, m->end - m->comments, "strict");
    if (comments == NULL) return NULL;
    lf = has_pair(sc, m->comments, m->end, '\r', '\n') ? PyUnicode_Replace(comments, CRLF, LF, -1)
                                                        : Py_NewRef(comments);
    Py_DECREF(comments);
    if (lf == NULL) return NULL;
    result = PyObject_CallOneArg(previous, lf);
    Py_DECREF(lf);
    return result;
}

typedef struct {
    PyObject *entries, *headers, *suspects;   /* scan()'s answer */
    PyObject *seen, *seen_ctx;                /* the msgids without a context, the (msgctxt, msgid) with one */
    PyObject *type, *previous;                /* scan()'s arguments */
} Out;

/* 1 the first time a non-obsolete (msgctxt, msgid) is met, 0 for a duplicate, -1 on error. */
static int first_time(Out *out, PyObject *msgctxt, PyObject *msgid) {
    PyObject *set = msgctxt == Py_None ? out->seen : out->seen_ctx;
    PyObject *key = msgctxt == Py_None ? Py_NewRef(msgid) : PyTuple_Pack(2, msgctxt, msgid);
    Py_ssize_t size = PySet_GET_SIZE(set);
    int added;
    if (key == NULL) return -1;
    /* one probe: an add that leaves the size as it was found the key there */
    added = PySet_Add(set, key) < 0 ? -1 : PySet_GET_SIZE(set) > size;
    Py_DECREF(key);
    return added;
}

/* Entry(msgid, msgstr, msgctxt, fuzzy, obsolete, line, flags, previous_msgid) appended to entries. */
static int append_entry(const Scan *sc, Out *out, const Matched *m, PyObject *v[3], PyObject *line,
                        PyObject *previous) {
    PyObject *flags = flags_of(sc, m), *entry = NULL;
    int fuzzy = flags == NULL ? -1 : PySequence_Contains(flags, FUZZY), result = -1;
    if (fuzzy >= 0) {
        PyObject *fields[8] = {v[1], v[2], v[0], fuzzy ? Py_True : Py_False, m->obsolete ? Py_True : Py_False,
                               line, flags, previous};
        entry = PyObject_Vectorcall(out->type, fields, 8, NULL);   /* the dataclass's own __init__ */
        /* Not watched by the cycle collector: an Entry holds strings, ints, bools, None and a tuple of
         * strings, so no reference cycle can pass through it (as CPython untracks a dict or a tuple of such
         * values). A build holds ~60,000 of them. Measured with the default collector thresholds (reading
         * 903 catalogs beside a live heap of 200,000 lists): 1.17 -> 0.58 s CPU with the tuple of flags; in
         * a build (parallel.tune_collector's young threshold) collections 441 -> 396, their time within
         * noise. Untracking is safe whatever is stored in it later: at worst a cycle made through an Entry
         * is not freed. */
        if (entry != NULL && PyObject_GC_IsTracked(entry)) PyObject_GC_UnTrack(entry);
        result = entry == NULL ? -1 : PyList_Append(out->entries, entry);
    }
    Py_XDECREF(flags);
    Py_XDECREF(entry);
    return result;
}

/* The matched entry added (to entries, or to headers for a non-obsolete msgid ""): 1, or 0 where quick.read
 * says None (a duplicate), -1 on error. */
static int add(const Scan *sc, Out *out, const Matched *m) {
    PyObject *v[3] = {NULL, NULL, NULL};   /* msgctxt, msgid, msgstr */
    PyObject *previous = NULL, *line = NULL;
    int result = -1;
    for (int k = 0; k < 3; k++) {
        v[k] = m->f[k].start < 0 ? Py_NewRef(Py_None) : value(sc, &m->f[k]);
        if (v[k] == NULL || (m->f[k].joiner && PyList_Append(out->suspects, v[k]) < 0)) goto done;
    }
    if ((previous = previous_of(sc, m, out->previous)) == NULL || (line = PyLong_FromSsize_t(m->line)) == NULL)
        goto done;
    if (!m->obsolete && (result = first_time(out, v[0], v[1])) <= 0) goto done;
    if (!m->obsolete && PyUnicode_GET_LENGTH(v[1]) == 0) {   /* a header */
        PyObject *header = PyTuple_Pack(3, v[0], v[2], line);
        result = header == NULL || PyList_Append(out->headers, header) < 0 ? -1 : 1;
        Py_XDECREF(header);
    } else {
        result = append_entry(sc, out, m, v, line, previous) < 0 ? -1 : 1;
    }
done:
    for (int k = 0; k < 3; k++) Py_XDECREF(v[k]);
    Py_XDECREF(previous);
    Py_XDECREF(line);
    return result;
}

/* quick.read's loop: an entry matched where the last one ended, until only comment lines are left (the
 * tail, without "#|"). 1 when the whole catalog matched, 0 where quick.read says None, -1 on error. */
static int entries(Scan *sc, Out *out) {
    Py_ssize_t i = 0, end;
    for (;;) {
        Matched m = {i, i, 0, 0, {{0, 0, 1, 0}, {0, 0, 1, 0}, {0, 0, 1, 0}}, 0, 0};
        int added;
        while ((end = comment(sc, i)) >= 0) {
            if (end == sc->n) return !has_pair(sc, m.comments, end, '#', '|');
            m.flag_rows |= starts(sc, i, "#,");
            m.previous_rows |= starts(sc, i, "#|");
            i = line_break(sc, end);
            sc->line++;
        }
        m.end = i;
        sc->used = 0;
        if ((i = keywords(sc, i, &m)) < 0) return 0;
        if ((added = add(sc, out, &m)) <= 0) return added;
    }
}

static PyObject *scan(PyObject *Py_UNUSED(module), PyObject *args) {
    Py_buffer data;
    Scan sc = {NULL, 0, 1, NULL, 0};
    Out out = {NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    PyObject *result = NULL;
    int found = -1;
    if (!PyArg_ParseTuple(args, "y*OO:scan", &data, &out.type, &out.previous)) return NULL;
    sc.s = data.buf;
    sc.n = data.len;
    if ((sc.scratch = PyMem_Malloc((size_t)sc.n + 1)) == NULL) PyErr_NoMemory();
    else if ((out.entries = PyList_New(0)) && (out.headers = PyList_New(0)) && (out.suspects = PyList_New(0))
             && (out.seen = PySet_New(NULL)) && (out.seen_ctx = PySet_New(NULL)))
        found = entries(&sc, &out);
    if (found > 0)
        result = PyTuple_Pack(3, out.entries, out.headers, out.suspects);
    else if (found == 0)
        result = Py_NewRef(Py_None);
    Py_XDECREF(out.entries);
    Py_XDECREF(out.headers);
    Py_XDECREF(out.suspects);
    Py_XDECREF(out.seen);
    Py_XDECREF(out.seen_ctx);
    PyMem_Free(sc.scratch);
    PyBuffer_Release(&data);
    return result;
}

static PyMethodDef METHODS[] = {
    {"scan", scan, METH_VARARGS, "scan(data, Entry, previous) -> (entries, headers, suspects) or None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef MODULE = {PyModuleDef_HEAD_INIT, "_poscan", "quick.read's scan, compiled.", -1, METHODS,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__poscan(void) {
    for (int b = 0x20; b < 0x7f; b++) ASCII_TEXT[b] = ASCII_BODY[b] = 1;
    ASCII_TEXT['\t'] = ASCII_BODY['\t'] = 1;
    ASCII_BODY['"'] = ASCII_BODY['\\'] = 0;
    fast_lane_table();
    if (!(FUZZY = PyUnicode_FromString("fuzzy")) || !(COMMA = PyUnicode_FromString(","))
        || !(STRIP = PyUnicode_InternFromString("strip")) || !(CRLF = PyUnicode_FromString("\r\n"))
        || !(LF = PyUnicode_FromString("\n")))
        return NULL;
    return PyModule_Create(&MODULE);
}
