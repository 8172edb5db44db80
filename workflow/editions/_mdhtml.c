/* pyromark's (pulldown-cmark's) HTML of a link-free, HTML-free body read as verify_markdown._Reader reads
 * markdown-it-py's tokens of it, compiled: the per-character work of editions/mdhtml.py's Python route (read_html_py), which stays the
 * reference tests/test_verify_mdhtml.py compares this with and the route where no compiler was found.
 *
 *   read(html): (heading, p, li, table, tr, cell) counts and the visible text, or None wherever the Python
 *               route returns None (an unknown tag, attribute or entity, a tag closed out of order, a block
 *               where it cannot stand, text where a block must be, a raw < or >).
 *
 * Input is untrusted (a translation's text is in it): every index is checked against the length, the output
 * (never longer than the input) is one checked allocation, no recursion (the stack of open tags is an array
 * as deep as the input has tags), every PyUnicode kind. The text is built by PyUnicode_FromKindAndData. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

enum { EMPHASIS, CLOSE, BREAK, TEXT, BLOCK, RULE };
/* the elements (close-tag ids); NONE: the stack is empty */
enum { EM, STRONG, H1, H2, H3, H4, H5, H6, P, TH, TD, UL, OL, LI, BLOCKQUOTE, TABLE, THEAD, TBODY, TR, NONE };
enum { C_HEADING, C_P, C_LI, C_TABLE, C_TR, C_CELL, C_NOTHING };
#define BIT(x) (1u << (x))
#define ANYWHERE (BIT(NONE) | BIT(LI) | BIT(BLOCKQUOTE))

typedef struct {
    const char *tag;
    int kind, element, counted;   /* element: what it opens or closes */
    unsigned parents;             /* where it may be opened: the element on top of the stack */
} Entry;

#define CELL_TAGS(name, element) \
    {"<" name ">", TEXT, element, C_CELL, BIT(TR)}, \
    {"<" name " style=\"text-align: left\">", TEXT, element, C_CELL, BIT(TR)}, \
    {"<" name " style=\"text-align: center\">", TEXT, element, C_CELL, BIT(TR)}, \
    {"<" name " style=\"text-align: right\">", TEXT, element, C_CELL, BIT(TR)}

static Entry table[] = {
    {"<em>", EMPHASIS, EM, C_NOTHING, 0}, {"<strong>", EMPHASIS, STRONG, C_NOTHING, 0},
    {"</em>", CLOSE, EM, C_NOTHING, 0}, {"</strong>", CLOSE, STRONG, C_NOTHING, 0},
    {"<br />", BREAK, NONE, C_NOTHING, 0}, {"<hr />", RULE, NONE, C_NOTHING, ANYWHERE},
    {"<h1>", TEXT, H1, C_HEADING, ANYWHERE}, {"<h2>", TEXT, H2, C_HEADING, ANYWHERE},
    {"<h3>", TEXT, H3, C_HEADING, ANYWHERE}, {"<h4>", TEXT, H4, C_HEADING, ANYWHERE},
    {"<h5>", TEXT, H5, C_HEADING, ANYWHERE}, {"<h6>", TEXT, H6, C_HEADING, ANYWHERE},
    {"<p>", TEXT, P, C_P, ANYWHERE}, CELL_TAGS("th", TH), CELL_TAGS("td", TD),
    {"<ul>", BLOCK, UL, C_NOTHING, ANYWHERE}, {"<ol>", BLOCK, OL, C_NOTHING, ANYWHERE},
    {"<li>", BLOCK, LI, C_LI, BIT(UL) | BIT(OL)}, {"<blockquote>", BLOCK, BLOCKQUOTE, C_NOTHING, ANYWHERE},
    {"<table>", BLOCK, TABLE, C_TABLE, ANYWHERE}, {"<thead>", BLOCK, THEAD, C_NOTHING, BIT(TABLE)},
    {"<tbody>", BLOCK, TBODY, C_NOTHING, BIT(TABLE)}, {"<tr>", BLOCK, TR, C_TR, BIT(THEAD) | BIT(TBODY)},
    {"</h1>", CLOSE, H1, C_NOTHING, 0}, {"</h2>", CLOSE, H2, C_NOTHING, 0}, {"</h3>", CLOSE, H3, C_NOTHING, 0},
    {"</h4>", CLOSE, H4, C_NOTHING, 0}, {"</h5>", CLOSE, H5, C_NOTHING, 0}, {"</h6>", CLOSE, H6, C_NOTHING, 0},
    {"</p>", CLOSE, P, C_NOTHING, 0}, {"</th>", CLOSE, TH, C_NOTHING, 0}, {"</td>", CLOSE, TD, C_NOTHING, 0},
    {"</ul>", CLOSE, UL, C_NOTHING, 0}, {"</ol>", CLOSE, OL, C_NOTHING, 0}, {"</li>", CLOSE, LI, C_NOTHING, 0},
    {"</blockquote>", CLOSE, BLOCKQUOTE, C_NOTHING, 0}, {"</table>", CLOSE, TABLE, C_NOTHING, 0},
    {"</thead>", CLOSE, THEAD, C_NOTHING, 0}, {"</tbody>", CLOSE, TBODY, C_NOTHING, 0},
    {"</tr>", CLOSE, TR, C_NOTHING, 0},
};
#define N_TABLE ((int)(sizeof(table) / sizeof(table[0])))

typedef struct {
    const Py_UCS4 *u;  /* the input widened once: no switch on its kind at each character */
    Py_ssize_t n;
} Text;

/* whether html[at..) starts with the ASCII word */
static int
starts(const Text *h, Py_ssize_t at, const char *word)
{
    for (Py_ssize_t i = 0; word[i]; i++)
        if (at + i >= h->n || h->u[at + i] != (Py_UCS4)(unsigned char)word[i])
            return 0;
    return 1;
}

/* the length of the entity the renderer writes at html[at] ('&'), its character in *c; 0 if none of the four */
static Py_ssize_t
known_entity(const Text *h, Py_ssize_t at, Py_UCS4 *c)
{
    switch (at + 1 < h->n ? h->u[at + 1] : 0) {
    case 'a':
        *c = '&';
        return starts(h, at, "&amp;") ? 5 : 0;
    case 'l':
        *c = '<';
        return starts(h, at, "&lt;") ? 4 : 0;
    case 'g':
        *c = '>';
        return starts(h, at, "&gt;") ? 4 : 0;
    case 'q':
        *c = '"';
        return starts(h, at, "&quot;") ? 6 : 0;
    }
    return 0;
}

/* the characters the loops stop at: compared one by one, each test rarely true and so well predicted (a table
 * look-up behind "c < 128" costs fewer instructions but is mispredicted on text mixing ASCII and other scripts:
 * 2.5x the time) */
#define COPY_STOP(c) ((c) == '&' || (c) == '\n')
#define TEXT_STOP(c) ((c) == '&' || (c) == '<' || (c) == '>')

#define MAX_TAG 40                       /* longer than any tag of the table */
static int by_length[MAX_TAG][N_TABLE + 1];  /* the entries of each tag length, -1 after the last; set at import */
static int ordered_list = -1;                /* the entry of "<ol>" */

/* the table entry of the tag html[at..end] (end: its '>'), or -1: only the entries of its length are compared
 * (a linear search over all of them was a sixth of read()) */
static int
lookup(const Text *h, Py_ssize_t at, Py_ssize_t end)
{
    Py_ssize_t length = end - at + 1;
    if (length >= MAX_TAG)
        return -1;
    for (const int *e = by_length[length]; *e >= 0; e++)
        if (starts(h, at, table[*e].tag))
            return *e;
    return -1;
}

/* <ol start="[0-9]{1,10}"> at html[at..end] */
static int
is_ordered(const Text *h, Py_ssize_t at, Py_ssize_t end)
{
    if (!starts(h, at, "<ol start=\""))
        return 0;
    Py_ssize_t i = at + 11, digits = 0;
    while (i < end && digits <= 10) {
        Py_UCS4 c = h->u[i];
        if (c < '0' || c > '9')
            break;
        i++, digits++;
    }
    return digits >= 1 && digits <= 10 && i + 1 == end && h->u[i] == '"';
}

/* A code block <pre><code( class="language-[^"<>]*")?>([^<]*)</code></pre>\n at html[at..): where its content
 * starts and ends, and where the block ends (after the line break); 0 if it is not one, -1 if it holds an '&'
 * that is none of the four entities */
static int
code_block(const Text *h, Py_ssize_t at, Py_ssize_t *start, Py_ssize_t *stop, Py_ssize_t *after)
{
    Py_ssize_t i = at + 10;
    if (!starts(h, at, "<pre><code"))
        return 0;
    if (starts(h, i, " class=\"language-")) {
        for (i += 17; i < h->n; i++) {
            Py_UCS4 c = h->u[i];
            if (c == '"' || c == '<' || c == '>')
                break;
            if (c == '&' && !known_entity(h, i, &c))
                return -1;
        }
        if (!starts(h, i, "\""))
            return 0;
        i++;
    }
    if (!starts(h, i, ">"))
        return 0;
    *start = ++i;
    for (; i < h->n && h->u[i] != '<'; i++) {
        Py_UCS4 c = h->u[i];
        if (c == '&' && !known_entity(h, i, &c))
            return -1;
    }
    *stop = i;
    if (!starts(h, i, "</code></pre>\n"))
        return 0;
    *after = i + 14;
    return 1;
}

typedef struct {
    Text h;
    Py_UCS4 *out;
    Py_ssize_t o;
    int *stack;
    Py_ssize_t sp;
    int text, run;                /* in a text block (or a hidden paragraph) / in a tight item's hidden paragraph */
    Py_ssize_t counts[6];
} Reading;

/* html[a..b) appended, the four entities the renderer writes decoded (every '&' was checked to be one), a line
 * break a space where asked (a soft break) */
static void
copy(Reading *r, Py_ssize_t a, Py_ssize_t b, int breaks_as_spaces)
{
    const Py_UCS4 *u = r->h.u;
    Py_UCS4 *out = r->out + r->o;
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS4 c = u[i];
        if (COPY_STOP(c)) {
            if (c == '&')
                i += known_entity(&r->h, i, &c) - 1;
            else if (breaks_as_spaces)
                c = ' ';
        }
        *out++ = c;
    }
    r->o = out - r->out;
}

static int
start_run(Reading *r)
{
    if (r->sp == 0 || r->stack[r->sp - 1] != LI)
        return -1;
    r->counts[C_P]++;  /* a tight list item's paragraph: hidden, as _Reader.blocks counts it */
    r->run = r->text = 1;
    return 0;
}

static void
end_run(Reading *r)
{
    if (r->run) {
        r->out[r->o++] = '\n';
        r->run = r->text = 0;
    }
}

/* one tag (entry e; or a code block, e == -2, its content html[cs..ce)): -1 where unexpected */
static int
tag(Reading *r, int e, Py_ssize_t cs, Py_ssize_t ce)
{
    int kind = e >= 0 ? table[e].kind : BLOCK, element = e >= 0 ? table[e].element : NONE;
    if (kind == CLOSE) {
        if (r->sp == 0 || r->stack[--r->sp] != element)
            return -1;
        if (element >= H1 && element <= TD) {
            r->out[r->o++] = '\n';
            r->text = 0;
        }
        else if (element != EM && element != STRONG)
            end_run(r);
        return 0;
    }
    if (kind == EMPHASIS || kind == BREAK) {
        if (!r->text && start_run(r) < 0)
            return -1;
        if (kind == EMPHASIS)
            r->stack[r->sp++] = element;
        else
            r->out[r->o++] = ' ';
        return 0;
    }
    end_run(r);
    unsigned parents = e >= 0 ? table[e].parents : ANYWHERE;
    if (r->text || !(parents & BIT(r->sp ? r->stack[r->sp - 1] : NONE)))
        return -1;  /* a block inside text, a table's or list's part outside its parent */
    if (e == -2) {
        copy(r, cs, ce, 0);
        r->out[r->o++] = '\n';
        return 0;
    }
    if (table[e].counted != C_NOTHING)
        r->counts[table[e].counted]++;
    if (kind == TEXT || kind == BLOCK) {
        r->stack[r->sp++] = element;
        r->text = kind == TEXT;
    }
    return 0;
}

static int
next_is_inline(const Text *h, Py_ssize_t at)
{
    return starts(h, at, "<em>") || starts(h, at, "</em>") || starts(h, at, "<strong>") ||
           starts(h, at, "</strong>") || starts(h, at, "<br />");
}

/* the text html[fs..fe) after a tag of kind (the next tag at fe): -1 where unexpected */
static int
following(Reading *r, int kind, Py_ssize_t fs, Py_ssize_t fe)
{
    const Text *h = &r->h;
    if (fs == fe)
        return 0;
    if (kind == BREAK && h->u[fs] == '\n')
        fs++;  /* "<br />\n" */
    if (r->text && !r->run) {
        copy(r, fs, fe, 1);
        return 0;
    }
    if (fs == fe || (fe - fs == 1 && h->u[fs] == '\n' && !r->run))
        return 0;  /* in a tight item's text, "\n" before an inline tag is a soft break: read below */
    /* the renderer's line breaks around block tags, and a tight item's text standing between them */
    if (!r->run && h->u[fs] == '\n')
        fs++;
    if (fs < fe && h->u[fe - 1] == '\n' && !next_is_inline(h, fe))
        fe--;
    if (fs < fe && !r->run && h->u[fs] == '\n')
        return -1;
    if (fs < fe) {
        if (!r->run && start_run(r) < 0)
            return -1;
        copy(r, fs, fe, 1);
    }
    return 0;
}

/* where the text from at ends (the next '<' or the end); -1 if it holds a '>' or an '&' that is none of the four
 * entities the renderer writes (checked here, in the code blocks' scans, and nowhere else: every other part of
 * the HTML is a tag of the table or an ordered list's, which hold none) */
static Py_ssize_t
text_end(const Text *h, Py_ssize_t at)
{
    Py_UCS4 decoded;
    for (; at < h->n; at++) {
        Py_UCS4 c = h->u[at];
        if (TEXT_STOP(c)) {
            if (c == '<')
                return at;
            if (c == '>' || !known_entity(h, at, &decoded))
                return -1;
        }
    }
    return at;
}

/* the text of a text block from at appended as copy() appends it, in the scan that finds where it ends (the next
 * '<' or the end; -1 as text_end()): one pass over most of the HTML instead of two */
static Py_ssize_t
copy_text(Reading *r, Py_ssize_t at)
{
    const Py_UCS4 *u = r->h.u;
    Py_ssize_t n = r->h.n;
    Py_UCS4 *out = r->out + r->o;
    for (; at < n; at++) {
        Py_UCS4 c = u[at];
        if (COPY_STOP(c) || TEXT_STOP(c)) {
            if (c == '<')
                break;
            if (c == '\n')
                c = ' ';
            else if (c == '>')
                return -1;
            else {
                Py_ssize_t length = known_entity(&r->h, at, &c);
                if (!length)
                    return -1;
                at += length - 1;
            }
        }
        *out++ = c;
    }
    r->o = out - r->out;
    return at;
}

static int
walk(Reading *r)
{
    const Text *h = &r->h;
    Py_ssize_t i = text_end(h, 0);
    if (i < 0)
        return -1;
    for (Py_ssize_t k = 0; k < i; k++)
        if (h->u[k] != '\n')
            return -1;
    while (i < h->n) {
        Py_ssize_t cs = 0, ce = 0, after, end = i + 1;
        int e, kind;
        int code = code_block(h, i, &cs, &ce, &after);
        if (code < 0)
            return -1;
        if (code)
            e = -2, kind = BLOCK;
        else {
            while (end < h->n && h->u[end] != '>' &&
                   h->u[end] != '<')
                end++;
            if (end >= h->n || h->u[end] != '>')
                return -1;
            e = lookup(h, i, end);
            if (e < 0 && is_ordered(h, i, end))
                e = ordered_list;  /* "<ol>": the same element */
            if (e < 0)
                return -1;
            kind = table[e].kind, after = end + 1;
        }
        if (tag(r, e, cs, ce) < 0)
            return -1;
        Py_ssize_t fe;
        if (r->text && !r->run) {  /* following()'s first case: the text read as it is scanned */
            if (kind == BREAK && after < h->n && h->u[after] == '\n')
                after++;  /* "<br />\n" */
            fe = copy_text(r, after);
        }
        else {
            fe = text_end(h, after);
            if (fe >= 0 && following(r, kind, after, fe) < 0)
                return -1;
        }
        if (fe < 0)
            return -1;
        i = fe;
    }
    return r->sp || r->run ? -1 : 0;
}

static PyObject *
md_read(PyObject *self, PyObject *arg)
{
    if (!PyUnicode_Check(arg) || PyUnicode_READY(arg) < 0) {
        PyErr_SetString(PyExc_TypeError, "read() takes a str");
        return NULL;
    }
    Py_UCS4 *wide = PyUnicode_AsUCS4Copy(arg);
    if (!wide)
        return NULL;
    Reading r = {{wide, PyUnicode_GET_LENGTH(arg)}, NULL, 0, NULL, 0, 0, 0, {0}};
    r.out = PyMem_Malloc((size_t)(r.h.n + 1) * sizeof(Py_UCS4));
    r.stack = PyMem_Malloc((size_t)(r.h.n / 3 + 1) * sizeof(int));  /* a tag is 3 characters at least */
    if (!r.out || !r.stack) {
        PyMem_Free(r.out), PyMem_Free(r.stack), PyMem_Free(wide);
        return PyErr_NoMemory();
    }
    PyObject *result = NULL;
    if (walk(&r) < 0)
        result = Py_NewRef(Py_None);
    else {
        PyObject *text = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, r.out, r.o);
        if (text)
            result = Py_BuildValue("((nnnnnn)N)", r.counts[0], r.counts[1], r.counts[2], r.counts[3], r.counts[4],
                                   r.counts[5], text);
    }
    PyMem_Free(r.out), PyMem_Free(r.stack), PyMem_Free(wide);
    return result;
}

static PyMethodDef methods[] = {
    {"read", md_read, METH_O, "((heading, p, li, table, tr, cell), visible text) of the HTML, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "workflow.editions._mdhtml",
    "pyromark's HTML read, compiled (editions/mdhtml.py is the reference).", -1, methods, NULL, NULL, NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__mdhtml(void)
{
    int count[MAX_TAG] = {0};
    for (int length = 0; length < MAX_TAG; length++)
        by_length[length][0] = -1;
    for (int e = 0; e < N_TABLE; e++) {
        size_t length = strlen(table[e].tag);
        if (length >= MAX_TAG) {
            PyErr_SetString(PyExc_SystemError, "_mdhtml: a tag longer than MAX_TAG");
            return NULL;
        }
        by_length[length][count[length]++] = e;
        by_length[length][count[length]] = -1;
        if (strcmp(table[e].tag, "<ol>") == 0)
            ordered_list = e;
    }
    return PyModule_Create(&module);
}
