/* The .md edition's route, compiled: verify_markdown._compiled_body_py's decision (which body pyromark may
 * read, and the body it reads) in two passes over the body, the first over every character, the second only
 * at its line breaks. verify_markdown._compiled_body_py stays the reference tests/test_verify_prescan.py
 * compares this with, and the route where no compiler was found.
 *
 *   compiled_body(body, disputed): the body with U+0000 as U+FFFD, or None where verify_markdown._read_plain
 *                     sends it to the plain route. Each test is written after the regular expression it copies
 *                     (named below); disputed(ch) is verify_markdown._disputed, asked only for a non-ASCII
 *                     character touching a * or _. \d is any decimal digit, as the regular expressions read it
 *                     (sre: Py_UNICODE_ISDECIMAL).
 *
 * Input is untrusted (a translation's text is in it): every read past either end of the text gives a value no
 * test accepts, the line breaks are one checked, growing allocation, no recursion, every PyUnicode kind. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define MAX_DELIMITERS 10000
#define PAST 0xFFFFFFFFu  /* what lines() reads past either end: no class holds it */

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;         /* the body's length; lines() reads "\n" + body + "\n", n + 2 characters */
} Lines;

static Py_UCS4
lines(const Lines *t, Py_ssize_t k)
{
    if (k == 0 || k == t->n + 1)
        return '\n';
    if (k < 0 || k > t->n + 1)
        return PAST;
    return PyUnicode_READ(t->kind, t->data, k - 1);
}

/* _ONE_SIDE_TRIM: markdown-it-py's MD_TRIM_CHARS less " \t\n\r" */
static int
one_side_trim(Py_UCS4 c)
{
    return c == 0x0B || c == 0x0C || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
           c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

static int
blank(Py_UCS4 c)
{
    return c == ' ' || c == '\t';
}

static int
decimal(Py_UCS4 c)
{
    return c != PAST && Py_UNICODE_ISDECIMAL(c);
}

/* \d{1,9}[.)] at k: where it ends (after the [.)]), or -1 */
static Py_ssize_t
ordinal(const Lines *t, Py_ssize_t k)
{
    Py_ssize_t r = 0;
    while (r < 10 && decimal(lines(t, k + r)))
        r++;
    if (r < 1 || r > 9)
        return -1;
    Py_UCS4 c = lines(t, k + r);
    return c == '.' || c == ')' ? k + r + 1 : -1;
}

/* (?:[*+-]|\d{1,9}[.)]) at k: where it ends, or -1 */
static Py_ssize_t
marker(const Lines *t, Py_ssize_t k)
{
    Py_UCS4 c = lines(t, k);
    if (c == '*' || c == '+' || c == '-')
        return k + 1;
    return ordinal(t, k);
}

static Py_ssize_t
skip_blanks(const Lines *t, Py_ssize_t k)
{
    while (blank(lines(t, k)))
        k++;
    return k;
}

/* _DEEP_BLOCK.match at the line break k: \n(?:[ \t>]|(?:[*+-]|\d{1,9}[.)])(?=[ \t]|$)){100}, re.M */
static int
deep_block(const Lines *t, Py_ssize_t k)
{
    Py_ssize_t p = k + 1;
    for (int units = 0; units < 100; units++) {
        Py_UCS4 c = lines(t, p);
        if (blank(c) || c == '>') {
            p++;
            continue;
        }
        Py_ssize_t q = marker(t, p);
        Py_UCS4 after = lines(t, q);
        if (q < 0 || !(blank(after) || after == '\n' || q == t->n + 2))
            return 0;
        p = q;
    }
    return 1;
}

/* _EDGE_SPACE.match at k: \n[ \t]*[_ONE_SIDE_TRIM] */
static int
edge_space(const Lines *t, Py_ssize_t k)
{
    return one_side_trim(lines(t, skip_blanks(t, k + 1)));
}

/* _LINE_END_SPACE.search in lines[start:k + 1] (the line ending at k): [_ONE_SIDE_TRIM][ \t]*\n */
static int
line_end_space(const Lines *t, Py_ssize_t start, Py_ssize_t k)
{
    Py_ssize_t j = k - 1;
    while (j >= start && blank(lines(t, j)))
        j--;
    return j >= start && one_side_trim(lines(t, j));
}

/* the "|" in lines[a..b) less those right after a backslash (str.count("|") - str.count("\\|")) */
static Py_ssize_t
unescaped_pipes(const Lines *t, Py_ssize_t a, Py_ssize_t b)
{
    Py_ssize_t pipes = 0;
    for (Py_ssize_t j = a; j < b; j++)
        if (lines(t, j) == '|' && !(j > a && lines(t, j - 1) == '\\'))
            pipes++;
    return pipes;
}

/* _table_start_disputed at k, the line before (from start) holding a "|" where header_pipe: _DELIMITER_ROW
 * (\n[ \t]*[-:|][-:| \t]*(?=\n)) matches with a "-", a "|" is in it or in the header line, and not both start
 * and end with "|", with as many unescaped pipes, after an empty line or at the start */
static int
table_start(const Lines *t, Py_ssize_t start, Py_ssize_t k, int header_pipe)
{
    Py_ssize_t p = skip_blanks(t, k + 1), pipes = 0;
    int dash = 0;
    Py_UCS4 c = lines(t, p);
    if (c != '-' && c != ':' && c != '|')
        return 0;
    for (; c == '-' || c == ':' || c == '|' || blank(c); c = lines(t, ++p)) {
        pipes += c == '|';
        dash |= c == '-';
    }
    if (c != '\n' || !dash || (!pipes && !header_pipe))
        return 0;
    int canonical = lines(t, k + 1) == '|' && lines(t, p - 1) == '|' && start < k && lines(t, start) == '|' &&
                    lines(t, k - 1) == '|' && (start == 1 || lines(t, start - 2) == '\n') &&
                    unescaped_pipes(t, start, k) == pipes;
    return !canonical;
}

/* _INDENTED.match at k: \n {4} (line_disputed asks it after a line that is not empty) */
static int
indented(const Lines *t, Py_ssize_t k)
{
    return lines(t, k + 1) == ' ' && lines(t, k + 2) == ' ' && lines(t, k + 3) == ' ' && lines(t, k + 4) == ' ';
}

/* _LONE_PIPE.match at k: \n *\| *(?=\n) */
static int
lone_pipe(const Lines *t, Py_ssize_t k)
{
    Py_ssize_t p = k + 1;
    while (lines(t, p) == ' ')
        p++;
    if (lines(t, p) != '|')
        return 0;
    while (lines(t, ++p) == ' ')
        ;
    return lines(t, p) == '\n';
}

/* _MAY_INTERRUPT.match at k:
 * \n[ \t]*(?:(?!0*1[.)])\d{1,9}[.)](?=[ \t\n])|(?:[*+-]|\d{1,9}[.)])[ \t]*(?=\n)) */
static int
may_interrupt(const Lines *t, Py_ssize_t k)
{
    Py_ssize_t p = skip_blanks(t, k + 1), q = ordinal(t, p);
    if (q >= 0) {
        Py_ssize_t z = p;
        while (lines(t, z) == '0')
            z++;
        Py_UCS4 after = lines(t, q);
        int one = lines(t, z) == '1' && z + 2 == q;  /* (?!0*1[.)]): its [.)] is the ordinal's */
        if (!one && (blank(after) || after == '\n'))
            return 1;
    }
    q = marker(t, p);
    return q >= 0 && lines(t, skip_blanks(t, q)) == '\n';
}

/* _LIST_ITEM_LINE.fullmatch(lines, start, k + 1): [ \t]*(?:[*+-]|\d{1,9}[.)])(?:[ \t][^|>\n]*)?\n */
static int
list_item_line(const Lines *t, Py_ssize_t start, Py_ssize_t k)
{
    Py_ssize_t q = marker(t, skip_blanks(t, start));
    if (q < 0 || q > k)
        return 0;
    if (q == k)
        return 1;
    if (!blank(lines(t, q)))
        return 0;
    for (Py_ssize_t j = q + 1; j < k; j++)
        if (lines(t, j) == '|' || lines(t, j) == '>')
            return 0;
    return 1;
}

/* verify_markdown._line_disputed over "\n" + body + "\n": each line break (breaks: its index in lines(), times 2,
 * plus 1 where the line it ends holds a "|") is asked every test; _LINE_CANDIDATE only finds the ones where a
 * test may hold (tests/test_verify_line_gates.py) */
static int
line_disputed(const Lines *t, const Py_ssize_t *breaks, Py_ssize_t count, int table, int interrupt)
{
    Py_ssize_t start = 0;  /* where the line ending at k starts */
    for (Py_ssize_t b = 0; b < count; b++) {
        Py_ssize_t k = breaks[b] >> 1;
        if (deep_block(t, k))
            return 1;
        if (table && (edge_space(t, k) || line_end_space(t, start, k) || lone_pipe(t, k) ||
                      table_start(t, start, k, breaks[b] & 1)))
            return 1;
        if (interrupt && start < k && (indented(t, k) || (may_interrupt(t, k) && !list_item_line(t, start, k))))
            return 1;
        start = k + 1;
    }
    return 0;
}

/* _disputed(ch) for a character touching a * or _ (U+0000 reads as U+FFFD): -1 on error */
static int
touches_disputed(PyObject *disputed, Py_UCS4 c)
{
    if (c == 0)
        c = 0xFFFD;
    if (c < 0x80)
        return 0;
    PyObject *ch = PyUnicode_FromOrdinal((int)c);
    if (!ch)
        return -1;
    PyObject *answer = PyObject_CallOneArg(disputed, ch);
    Py_DECREF(ch);
    if (!answer)
        return -1;
    int truth = PyObject_IsTrue(answer);
    Py_DECREF(answer);
    return truth;
}

typedef struct {
    int pipe, quote, nul;  /* the body holds a "|", a ">", a U+0000 */
    Py_ssize_t *breaks, count, size;
} Scan;

static int
add_break(Scan *s, Py_ssize_t entry)
{
    if (s->count == s->size) {
        Py_ssize_t size = s->size ? 2 * s->size : 256;
        Py_ssize_t *grown = PyMem_Realloc(s->breaks, (size_t)size * sizeof(Py_ssize_t));
        if (!grown) {
            PyErr_NoMemory();
            return -1;
        }
        s->breaks = grown, s->size = size;
    }
    s->breaks[s->count++] = entry;
    return 0;
}

/* the ASCII characters the character tests look at; LOOKED_AT one branch, rarely taken (a branch on c < 128 first
 * is mispredicted on text mixing ASCII and other scripts) */
static unsigned char looked_at[128];
#define LOOKED_AT(c) (((c) < 128) & looked_at[(c) & 127])

/* the character tests of _read_plain (_links_or_html, "`", _too_many_delimiters, _disputed_emphasis,
 * _CHARACTER_DISPUTES, _BACKSLASH_BREAK, "\||") in
 * one pass, the line breaks recorded for line_disputed (lines() index: the body's + 1): 1 where a test holds,
 * -1 on error. One copy per character width, so the common character is one table look-up. */
#define CHARACTER_TESTS(NAME, TYPE)                                                                              \
static int                                                                                                      \
NAME(const TYPE *u, Py_ssize_t n, PyObject *disputed, Scan *s)                                                  \
{                                                                                                               \
    Py_ssize_t stretch = 0;  /* * _ and [ since the last blank line ("\n\n", as str.split cuts) */              \
    int line_pipe = 0;                                                                                          \
    for (Py_ssize_t i = 0; i < n; i++) {                                                                        \
        Py_UCS4 c = u[i];                                                                                       \
        if (!LOOKED_AT(c)) {  /* the common character: a loop of its own */                                \
            while (++i < n && !LOOKED_AT(u[i]))                                                                 \
                ;                                                                                               \
            if (i == n)                                                                                         \
                break;                                                                                          \
            c = u[i];                                                                                           \
        }                                                                                                       \
        Py_UCS4 next = i + 1 < n ? u[i + 1] : 0;                                                                \
        switch (c) {                                                                                            \
        case 0:                                                                                                 \
            s->nul = 1;                                                                                         \
            break;                                                                                              \
        case '<':                                                                                               \
        case '`':                                                                                               \
        case '\t':                                                                                              \
        case '\r':                                                                                              \
        case 0x0B:                                                                                              \
        case 0x0C:                                                                                              \
            return 1;                                                                                           \
        case ']':                                                                                               \
            if (i + 1 < n && (next == '(' || next == ':'))                                                      \
                return 1;                                                                                       \
            break;                                                                                              \
        case '|':                                                                                               \
            s->pipe = line_pipe = 1;                                                                            \
            break;                                                                                              \
        case '>':                                                                                               \
            s->quote = 1;                                                                                       \
            break;                                                                                              \
        case '\\':  /* "\||", "\\|", and a backslash ending a line (spaces after it or not) */                  \
            if ((next == '|' || next == '\\') && i + 2 < n && u[i + 2] == '|')                                  \
                return 1;                                                                                       \
            if (next == ' ' || next == '\n' || i + 1 == n) {                                                    \
                Py_ssize_t j = i + 1;                                                                           \
                while (j < n && u[j] == ' ')                                                                    \
                    j++;                                                                                        \
                if (j == n || u[j] == '\n')                                                                     \
                    return 1;                                                                                   \
            }                                                                                                   \
            break;                                                                                              \
        case '\n':                                                                                              \
            if (add_break(s, 2 * (i + 1) + line_pipe) < 0)                                                      \
                return -1;                                                                                      \
            line_pipe = 0;                                                                                      \
            if (i + 1 < n && next == '\n') {                                                                    \
                stretch = 0, i++;                                                                               \
                if (add_break(s, 2 * (i + 1)) < 0)                                                              \
                    return -1;                                                                                  \
            }                                                                                                   \
            break;                                                                                              \
        case '[':                                                                                               \
            if (++stretch > MAX_DELIMITERS)                                                                     \
                return 1;                                                                                       \
            break;                                                                                              \
        case '*':                                                                                               \
        case '_': {                                                                                             \
            if (++stretch > MAX_DELIMITERS)                                                                     \
                return 1;                                                                                       \
            int before = i ? touches_disputed(disputed, u[i - 1]) : 0;                                          \
            int after = before == 0 && i + 1 < n ? touches_disputed(disputed, next) : 0;                        \
            if (before || after)                                                                                \
                return before < 0 || after < 0 ? -1 : 1;                                                        \
            break;                                                                                              \
        }                                                                                                       \
        }                                                                                                       \
    }                                                                                                           \
    return add_break(s, 2 * (n + 1) + line_pipe);  /* the line break after the body */                        \
}

CHARACTER_TESTS(characters_1, Py_UCS1)
CHARACTER_TESTS(characters_2, Py_UCS2)
CHARACTER_TESTS(characters_4, Py_UCS4)

static PyObject *
md_compiled_body(PyObject *self, PyObject *args)
{
    PyObject *body, *disputed;
    if (!PyArg_ParseTuple(args, "UO:compiled_body", &body, &disputed))
        return NULL;
    Lines t = {PyUnicode_KIND(body), PyUnicode_DATA(body), PyUnicode_GET_LENGTH(body)};
    Scan s = {0, 0, 0, NULL, 0, 0};
    int found = add_break(&s, 0);  /* the line break before the body */
    if (found == 0)
        found = t.kind == PyUnicode_1BYTE_KIND ? characters_1(t.data, t.n, disputed, &s)
              : t.kind == PyUnicode_2BYTE_KIND ? characters_2(t.data, t.n, disputed, &s)
              : characters_4(t.data, t.n, disputed, &s);
    if (found == 0)
        found = line_disputed(&t, s.breaks, s.count, s.pipe, s.pipe || s.quote);
    PyMem_Free(s.breaks);
    if (found < 0)
        return NULL;
    if (found)
        Py_RETURN_NONE;
    if (!s.nul)
        return Py_NewRef(body);
    PyObject *zero = PyUnicode_FromOrdinal(0), *replacement = PyUnicode_FromOrdinal(0xFFFD), *replaced = NULL;
    if (zero && replacement)
        replaced = PyUnicode_Replace(body, zero, replacement, -1);
    Py_XDECREF(zero), Py_XDECREF(replacement);
    return replaced;
}

static PyMethodDef methods[] = {
    {"compiled_body", md_compiled_body, METH_VARARGS,
     "compiled_body(body, disputed): the body as the compiled parser reads it, or None for the plain route."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "workflow.editions._mdroute",
    "The .md edition's route decided, compiled (verify_markdown._compiled_body_py is the reference).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__mdroute(void)
{
    for (const char *c = "<`]|>\\\n[*_\t\r\v\f"; *c; c++)
        looked_at[(unsigned char)*c] = 1;
    looked_at[0] = 1;
    return PyModule_Create(&module);
}
