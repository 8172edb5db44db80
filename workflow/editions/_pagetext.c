/* A rendered page's text, compiled: the per-character work of editions/pagetext.py's Python route, which stays
 * the reference the tests compare this with (tests/test_pagetext.py) and the route where no compiler was found.
 *
 *   strip_tags(html): _TAG.split as pagetext.strip_tags has it: each match of <(/?)([a-zA-Z0-9]+)[^>]*> is
 *                     removed for an inline tag name (any ASCII case), a space for any other; text kept as is
 *   flat(text):       " ".join(text.split()): whitespace as str.split has it (Py_UNICODE_ISSPACE)
 *   body_end(html, start): where the <div> at start closes: the first match of <(/?)div[\s>] from start
 *                     (on) where opened minus closed reaches 0, or len(html)
 *   body_tags(body):  the matches of <(h[1-6]|table|tr|li|th|td|p)[\s>], counted as (heading, table, tr,
 *                     li, cell, p)
 *   unescape_known(text): html.unescape(text) where its every '&' starts a reference the page's escapers
 *                     write, else None (pagetext.text then calls html.unescape)
 * (\s of a str pattern is Py_UNICODE_ISSPACE. Every match of these two patterns starts with '<' and holds no
 * other '<', so checking at each '<' finds what finditer finds.)
 *
 * Input is untrusted (pages render catalogs from pull requests): every index is checked against the length,
 * the output (never longer than the input) is one checked allocation, no recursion, every PyUnicode kind.
 * Results are built by PyUnicode_FromKindAndData, which narrows to the canonical kind, as Python's join does
 * (str equality compares kinds first). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

static int
is_alnum_ascii(Py_UCS4 c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* _INLINE_TAGS of pagetext.py: name[0..len) compared in ASCII lower case */
static inline Py_ALWAYS_INLINE int
is_inline(const void *data, int kind, Py_ssize_t at, Py_ssize_t len)
{
    static const char *const names[] = {"strong", "em", "a", "code", "span", "b", "i"};
    char lower[8];
    if (len > 6)
        return 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, at + i);  /* ASCII alnum: checked by the caller */
        lower[i] = (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    lower[len] = '\0';
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
        if (strcmp(lower, names[k]) == 0)
            return 1;
    return 0;
}

/* Py_UNICODE_ISSPACE of U+0000..U+3000, one byte each, filled from it when the module loads: past U+3000
 * Unicode has no whitespace (tests/test_pagetext.py holds this for every code point of the running Python), so
 * a character is looked up with one comparison and one load, never a call into the Unicode database. */
#define LAST_SPACE 0x3000
static unsigned char space_table[LAST_SPACE + 1];

static inline Py_ALWAYS_INLINE int
is_space(Py_UCS4 c)
{
    return c <= LAST_SPACE && space_table[c];
}

/* The first index >= from of ch (ASCII), or n */
static inline Py_ALWAYS_INLINE Py_ssize_t
find_char(const void *data, int kind, Py_ssize_t from, Py_ssize_t n, Py_UCS4 ch)
{
    if (from >= n)
        return n;
    if (kind == PyUnicode_1BYTE_KIND) {
        const Py_UCS1 *s = (const Py_UCS1 *)data;
        const void *hit = memchr(s + from, (int)ch, (size_t)(n - from));
        return hit ? (const Py_UCS1 *)hit - s : n;
    }
#if PY_LITTLE_ENDIAN
    if (kind == PyUnicode_2BYTE_KIND) {
        /* memchr of its byte (a character's low byte comes first), each hit checked whole: a loop over the
         * characters cost ~8 instructions a character of a page's text */
        const Py_UCS2 *s = (const Py_UCS2 *)data;
        const char *bytes = (const char *)data, *end = (const char *)(s + n), *at = (const char *)(s + from);
        while (at < end) {
            const char *hit = memchr(at, (int)ch, (size_t)(end - at));
            if (hit == NULL)
                return n;
            Py_ssize_t offset = hit - bytes;
            if (offset % 2 == 0 && s[offset / 2] == ch)
                return offset / 2;
            at = hit + 1;
        }
        return n;
    }
#endif
    for (Py_ssize_t i = from; i < n; i++)
        if (PyUnicode_READ(kind, data, i) == ch)
            return i;
    return n;
}

static inline Py_ALWAYS_INLINE void
copy_chars(void *out, Py_ssize_t *len, const void *data, int kind, Py_ssize_t from, Py_ssize_t to)
{
    if (to > from) {
        memcpy((char *)out + *len * kind, (const char *)data + from * kind, (size_t)(to - from) * kind);
        *len += to - from;
    }
}

static PyObject *
from_buffer(int kind, void *out, Py_ssize_t len)
{
    PyObject *result = PyUnicode_FromKindAndData(kind, out, len);
    PyMem_Free(out);
    return result;
}

static int
read_str(PyObject *arg, const void **data, int *kind, Py_ssize_t *n)
{
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "a str is required");
        return -1;
    }
    if (PyUnicode_READY(arg) < 0)
        return -1;
    *data = PyUnicode_DATA(arg);
    *kind = PyUnicode_KIND(arg);
    *n = PyUnicode_GET_LENGTH(arg);
    return 0;
}

/* The loop of strip_tags for one kind (a constant in each of its three copies): the length written to out,
 * or -1 where no tag matched (the text is its own result). */
static inline Py_ALWAYS_INLINE Py_ssize_t
strip_kind(int kind, const void *data, Py_ssize_t n, void *out)
{
    Py_ssize_t len = 0, kept = 0;   /* kept: input up to here is in out */
    Py_ssize_t gt = -1;             /* a '>' at or after the last name's end, or n: each found once (linear) */
    Py_ssize_t at = find_char(data, kind, 0, n, '<');
    while (at < n) {
        Py_ssize_t name = at + 1;
        if (name < n && PyUnicode_READ(kind, data, name) == '/')
            name++;
        Py_ssize_t end = name;
        while (end < n && is_alnum_ascii(PyUnicode_READ(kind, data, end)))
            end++;
        if (end == name) {          /* no name: this '<' is text */
            at = find_char(data, kind, at + 1, n, '<');
            continue;
        }
        if (gt < end)
            gt = find_char(data, kind, end, n, '>');
        if (gt >= n)                /* no '>' after here: no tag matches from here on */
            break;
        copy_chars(out, &len, data, kind, kept, at);
        if (!is_inline(data, kind, name, end - name)) {
            PyUnicode_WRITE(kind, out, len, ' ');
            len++;
        }
        kept = gt + 1;
        at = find_char(data, kind, kept, n, '<');
    }
    if (kept == 0)
        return -1;
    copy_chars(out, &len, data, kind, kept, n);
    return len;
}

/* One kind's loop of a rewrite (strip_kind, flat_kind), its kind fixed so that it compiles per kind. */
typedef Py_ssize_t (*kind_loop)(const void *data, Py_ssize_t n, void *out);
#define PER_KIND(loop) \
    static Py_ssize_t loop##_1(const void *d, Py_ssize_t n, void *o) { return loop(PyUnicode_1BYTE_KIND, d, n, o); } \
    static Py_ssize_t loop##_2(const void *d, Py_ssize_t n, void *o) { return loop(PyUnicode_2BYTE_KIND, d, n, o); } \
    static Py_ssize_t loop##_4(const void *d, Py_ssize_t n, void *o) { return loop(PyUnicode_4BYTE_KIND, d, n, o); }

/* A str rewritten by a loop that never writes more characters than it reads: the loop's output, or the text
 * itself where the loop says it is unchanged (-1; an exact str of it for a str subclass, as "".join gives). */
static PyObject *
rewrite(PyObject *arg, kind_loop k1, kind_loop k2, kind_loop k4)
{
    const void *data;
    int kind;
    Py_ssize_t n, len;
    if (read_str(arg, &data, &kind, &n) < 0)
        return NULL;
    void *out = PyMem_Malloc(n > 0 ? (size_t)n * kind : 1);
    if (out == NULL)
        return PyErr_NoMemory();
    len = (kind == PyUnicode_1BYTE_KIND ? k1 : kind == PyUnicode_2BYTE_KIND ? k2 : k4)(data, n, out);
    if (len < 0 && PyUnicode_CheckExact(arg)) {
        PyMem_Free(out);
        Py_INCREF(arg);
        return arg;
    }
    if (len < 0) {
        len = n;
        memcpy(out, data, (size_t)n * kind);
    }
    return from_buffer(kind, out, len);
}

PER_KIND(strip_kind)

/* each tag is >= 3 characters and leaves <= 1: the output is never longer than the input */
static PyObject *
strip_tags(PyObject *Py_UNUSED(module), PyObject *arg)
{
    return rewrite(arg, strip_kind_1, strip_kind_2, strip_kind_4);
}

/* The loop of flat for one kind: the length written to out, or -1 where the text is its own flat form
 * (no whitespace at either end, one ' ' between words). A word's characters are written one by one in a
 * loop of their own: a memcpy per word cost more than the word (a call of flat, 20.5 instructions a character of
 * the bench pages' text, now 16.3). */
static inline Py_ALWAYS_INLINE Py_ssize_t
flat_kind(int kind, const void *data, Py_ssize_t n, void *out)
{
    Py_ssize_t len = 0, i = 0;
    int odd = 0;    /* a whitespace character other than ' ' was read */
    Py_UCS4 c = 0;
    for (;;) {
        while (i < n && is_space(c = PyUnicode_READ(kind, data, i))) {
            odd |= c != ' ';
            i++;
        }
        if (i >= n)
            break;
        if (len > 0)
            PyUnicode_WRITE(kind, out, len++, ' ');
        do {    /* c: the word's first character, then each next one that is no whitespace */
            PyUnicode_WRITE(kind, out, len++, c);
            i++;
        } while (i < n && !is_space(c = PyUnicode_READ(kind, data, i)));
    }
    /* nothing dropped (each whitespace character became one ' ') and every one a ' ': the text itself */
    return len == n && !odd ? -1 : len;
}

PER_KIND(flat_kind)

static PyObject *
flat(PyObject *Py_UNUSED(module), PyObject *arg)
{
    return rewrite(arg, flat_kind_1, flat_kind_2, flat_kind_4);
}

/* s[at..) starts with the ASCII word (and is followed by whitespace or '>' where space_after) */
static inline Py_ALWAYS_INLINE int
starts_with(int kind, const void *data, Py_ssize_t n, Py_ssize_t at, const char *word, int space_after)
{
    Py_ssize_t i = 0;
    for (; word[i]; i++)
        if (at + i >= n || PyUnicode_READ(kind, data, at + i) != (Py_UCS4)(unsigned char)word[i])
            return 0;
    if (!space_after)
        return 1;
    if (at + i >= n)
        return 0;
    Py_UCS4 c = PyUnicode_READ(kind, data, at + i);
    return c == '>' || Py_UNICODE_ISSPACE(c);
}

static PyObject *
body_end(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *html;
    Py_ssize_t start;
    const void *data;
    int kind;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "Un", &html, &start) || read_str(html, &data, &kind, &n) < 0)
        return NULL;
    if (start < 0 || start > n) {
        PyErr_SetString(PyExc_ValueError, "start out of the text");
        return NULL;
    }
    Py_ssize_t depth = 0;
    for (Py_ssize_t at = find_char(data, kind, start, n, '<'); at < n; at = find_char(data, kind, at + 1, n, '<')) {
        int step = starts_with(kind, data, n, at + 1, "div", 1) ? 1
                   : starts_with(kind, data, n, at + 1, "/div", 1) ? -1 : 0;
        depth += step;              /* from a start that is no <div> it can reach 0 on an opening one, as finditer's */
        if (step != 0 && depth == 0)
            return PyLong_FromSsize_t(at);
    }
    return PyLong_FromSsize_t(n);
}

static PyObject *
body_tags(PyObject *Py_UNUSED(module), PyObject *arg)
{
    /* _BODY_TAG's alternatives by their first letter, each with where it is counted (heading, table, tr, li,
     * cell, p); h[1-6] is its own case. At most one alternative can match: none is another's prefix. */
    static const char *const t_names[] = {"table", "tr", "th", "td"};
    static const int t_kinds[] = {1, 2, 4, 4};
    Py_ssize_t counts[6] = {0, 0, 0, 0, 0, 0};
    const void *data;
    int kind;
    Py_ssize_t n;
    if (read_str(arg, &data, &kind, &n) < 0)
        return NULL;
    for (Py_ssize_t at = find_char(data, kind, 0, n, '<'); at + 1 < n; at = find_char(data, kind, at + 1, n, '<')) {
        Py_UCS4 first = PyUnicode_READ(kind, data, at + 1);
        if (first == 'h') {
            for (char level = '1'; level <= '6'; level++) {
                char name[3] = {'h', level, '\0'};
                if (starts_with(kind, data, n, at + 1, name, 1)) {
                    counts[0]++;
                    break;
                }
            }
        }
        else if (first == 't') {
            for (size_t k = 0; k < sizeof(t_names) / sizeof(t_names[0]); k++)
                if (starts_with(kind, data, n, at + 1, t_names[k], 1)) {
                    counts[t_kinds[k]]++;
                    break;
                }
        }
        else if (first == 'l')
            counts[3] += starts_with(kind, data, n, at + 1, "li", 1);
        else if (first == 'p')
            counts[5] += starts_with(kind, data, n, at + 1, "p", 1);
    }
    return Py_BuildValue("(nnnnnn)", counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
}

/* html.unescape(text) where every '&' in it starts one of the references a rendered page's escapers write
 * (markupsafe's &amp; &lt; &gt; &#34; &#39;, markdown-it's &quot;, &#x27;): each is its one character, as
 * html.unescape's pattern reads it ("&#34;" whole: no digit or ';' follows that would make it another). The
 * text itself where it has no '&'; None where an '&' starts anything else (pagetext.text then calls
 * html.unescape): html.unescape's regular expression and a Python call per reference cost ~8 instructions a
 * character of a page's text. */
static const char *const references[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#34;", "&#39;", "&#x27;"};
static const char referenced[] = {'&', '<', '>', '"', '"', '\'', '\''};
#define N_REFERENCES ((int)(sizeof(referenced) / sizeof(referenced[0])))

static PyObject *
unescape_known(PyObject *Py_UNUSED(module), PyObject *arg)
{
    const void *data;
    int kind;
    Py_ssize_t n;
    if (read_str(arg, &data, &kind, &n) < 0)
        return NULL;
    Py_ssize_t at = find_char(data, kind, 0, n, '&');
    if (at >= n && PyUnicode_CheckExact(arg))
        return Py_NewRef(arg);
    void *out = PyMem_Malloc(n > 0 ? (size_t)n * kind : 1);
    if (out == NULL)
        return PyErr_NoMemory();
    Py_ssize_t len = 0, kept = 0;  /* kept: input up to here is in out */
    for (; at < n; at = find_char(data, kind, kept, n, '&')) {
        int r = 0;
        while (r < N_REFERENCES && !starts_with(kind, data, n, at, references[r], 0))
            r++;
        if (r == N_REFERENCES) {
            PyMem_Free(out);
            Py_RETURN_NONE;
        }
        copy_chars(out, &len, data, kind, kept, at);
        PyUnicode_WRITE(kind, out, len, (Py_UCS4)(unsigned char)referenced[r]);
        len++;
        kept = at + (Py_ssize_t)strlen(references[r]);
    }
    copy_chars(out, &len, data, kind, kept, n);
    return from_buffer(kind, out, len);
}

static PyMethodDef methods[] = {
    {"strip_tags", strip_tags, METH_O, "_TAG.split of a page: inline tags removed, other tags a space."},
    {"flat", flat, METH_O, "\" \".join(text.split())"},
    {"body_end", body_end, METH_VARARGS, "Where the <div> at start closes, or len(html)."},
    {"body_tags", body_tags, METH_O, "(heading, table, tr, li, cell, p) tags of a page's body."},
    {"unescape_known", unescape_known, METH_O, "html.unescape of a page's text of known references, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "workflow.editions._pagetext",
    "A rendered page's text, compiled (editions/pagetext.py is the reference).", -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__pagetext(void)
{
    for (Py_UCS4 c = 0; c <= LAST_SPACE; c++)
        space_table[c] = (unsigned char)Py_UNICODE_ISSPACE(c);
    return PyModule_Create(&module);
}
