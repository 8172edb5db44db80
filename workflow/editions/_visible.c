/* Compiled routes of editions.visible: numbers()' scan for number tokens (what _NUMBER.finditer finds) and
 * the values of plain digit tokens (_digit_values, _split_spaced), one pass in C; the characters of a text
 * worth screening (screen._Plain.others). visible.py stays the reference (tests/test_visible_routes.py
 * compares the two on every text) and the route taken without this module. A match the C route does not
 * read itself (a CJK numeral, a multiplier after the number) is read by the Python route (`fallback`), so
 * the rare cases have one implementation.
 *
 * Untrusted input: every index is checked against the length, every allocation and call checked, no
 * recursion, every PyUnicode kind read through PyUnicode_READ. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* set by configure() from visible.py: the Number class, the multiplier words in the regex's order, the
 * CJK numerals and the Python reading of one match */
static PyObject *number_type, *words, *fallback;
static Py_UCS4 *cjk, *cjk_mult, *cjk_digit;
static Py_ssize_t n_cjk, n_cjk_mult, n_cjk_digit;
static PyObject *s_text, *s_values, *s_money, *s_start, *s_end, *s_dict, *s_money_at, *s_decimal, *empty_tuple;
static PyObject *s_after_memo, *s_before_memo, *s_touch_after, *s_touch_before, *s_longest, *empty_str;

static int in_list(Py_UCS4 ch, const Py_UCS4 *list, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++)
        if (list[i] == ch) return 1;
    return 0;
}

static inline int is_ascii_digit(Py_UCS4 ch) { return ch >= '0' && ch <= '9'; }
static Py_UCS4 cjk_low, cjk_high;  /* the range of cjk: most text (Latin, Cyrillic, Hangul) is outside it */
static inline int is_cjk(Py_UCS4 ch) { return ch >= cjk_low && ch <= cjk_high && in_list(ch, cjk, n_cjk); }
static inline int is_sep(Py_UCS4 ch) {  /* _SEP */
    return ch == ',' || ch == '.' || ch == '\'' || ch == 0x2019 || ch == 0x66b || ch == 0x66c || ch == ' ';
}
static inline int is_word(Py_UCS4 ch) { return Py_UNICODE_ISALNUM(ch) || ch == '_'; }  /* sre's \w */

/* A character of a multiplier word against the text's, as re.IGNORECASE compares them: an uncased pattern
 * character exactly, a cased one by simple lowercase, or a lowercase with the same uppercase (sre's extra
 * equivalences, re._casefix: i/ı, s/ſ, and Cyrillic в/ᲀ, д/ᲁ, о/ᲂ, с/ᲃ, т/ᲄ/ᲅ of тыс, млрд, миллионов).
 * Where this says yes and sre no, numbers() only hands the match to the Python route, which reads it as the
 * reference does; a no where sre says yes would read "5 ᲄыс." as 5 (tests/test_redteam_r9.py). */
static int same_letter(Py_UCS4 text_ch, Py_UCS4 word_ch) {
    Py_UCS4 low = Py_UNICODE_TOLOWER(word_ch);
    if (low == word_ch && Py_UNICODE_TOUPPER(word_ch) == word_ch)
        return text_ch == word_ch;
    Py_UCS4 text_low = Py_UNICODE_TOLOWER(text_ch);
    return text_low == low || Py_UNICODE_TOUPPER(text_low) == Py_UNICODE_TOUPPER(low);
}

/* Whether some multiplier word's first letter is the character, as same_letter compares them, per character
 * below WORD_START_CHARS: 0 not yet known, 1 yes, 2 no (filled on first sight, emptied by configure) */
#define WORD_START_CHARS 0x10000
static unsigned char word_start[WORD_START_CHARS];

/* Whether _NUMBER's `mult` group matches at pos (just after the number): \+? ?, then a run of CJK
 * multipliers, or a word followed by an optional "." and no word character. */
static int has_multiplier(int kind, const void *data, Py_ssize_t n, Py_ssize_t pos) {
    if (pos < n && PyUnicode_READ(kind, data, pos) == '+') pos++;
    if (pos < n && PyUnicode_READ(kind, data, pos) == ' ') pos++;
    if (pos >= n) return 0;
    Py_UCS4 first = PyUnicode_READ(kind, data, pos);
    if (in_list(first, cjk_mult, n_cjk_mult)) return 1;
    Py_ssize_t n_words = PyTuple_GET_SIZE(words);
    /* most numbers are followed by a character no word starts with: one look-up, not a pass over the words */
    if (first < WORD_START_CHARS) {
        if (!word_start[first]) {
            word_start[first] = 2;
            for (Py_ssize_t w = 0; w < n_words; w++) {
                PyObject *word = PyTuple_GET_ITEM(words, w);
                if (same_letter(first, PyUnicode_READ(PyUnicode_KIND(word), PyUnicode_DATA(word), 0))) {
                    word_start[first] = 1;
                    break;
                }
            }
        }
        if (word_start[first] == 2) return 0;
    }
    for (Py_ssize_t w = 0; w < n_words; w++) {
        PyObject *word = PyTuple_GET_ITEM(words, w);
        Py_ssize_t len = PyUnicode_GET_LENGTH(word), i;
        int wkind = PyUnicode_KIND(word);
        const void *wdata = PyUnicode_DATA(word);
        if (len > n - pos) continue;
        for (i = 0; i < len; i++)
            if (!same_letter(PyUnicode_READ(kind, data, pos + i), PyUnicode_READ(wkind, wdata, i))) break;
        if (i < len) continue;
        Py_ssize_t after = pos + len;  /* "\.?(?!\w)": a "." always lets it match (without the "." if need be) */
        if (after >= n) return 1;
        Py_UCS4 next = PyUnicode_READ(kind, data, after);
        if (next == '.' || !is_word(next)) return 1;
    }
    return 0;
}

/* The currency look-up's shortcut. unit.money_at(text, start, end) looks at the text after the number's spaces
 * and before them (within unit.longest + 1): a currency sign first after it, else last before it, is its answer,
 * and it is "" when no code, name or unit may start there or end there. unit.touch_after(two characters) and
 * unit.touch_before(two characters) say which (2 a sign, 0 nothing, 1 maybe), kept in unit.after_memo and
 * unit.before_memo; money_at is asked only on a 1. Most numbers need no call: money_at (a Python call, slices,
 * lower(), look-ups) was 40 % of reading them. A unit without these (a caller's own) is asked every time. */
typedef struct { PyObject *memo[2], *kind[2]; Py_ssize_t longest; } touch_t;
#define MEMO_MOST 100000  /* answers kept: hostile text of every pair of characters stays bounded */

static int optional_attr(PyObject *obj, PyObject *name, PyObject **out) {  /* 1 found, 0 absent, -1 error */
    if ((*out = PyObject_GetAttr(obj, name))) return 1;
    if (!PyErr_ExceptionMatches(PyExc_AttributeError)) return -1;
    PyErr_Clear();
    return 0;
}

static void touch_end(touch_t *t) {
    Py_CLEAR(t->memo[0]); Py_CLEAR(t->memo[1]); Py_CLEAR(t->kind[0]); Py_CLEAR(t->kind[1]);
}

static int touch_start(touch_t *t, PyObject *unit) {
    PyObject *longest = NULL;
    t->memo[0] = t->memo[1] = t->kind[0] = t->kind[1] = NULL;
    t->longest = 0;
    if (optional_attr(unit, s_after_memo, &t->memo[0]) < 0 || optional_attr(unit, s_before_memo, &t->memo[1]) < 0
        || optional_attr(unit, s_touch_after, &t->kind[0]) < 0 || optional_attr(unit, s_touch_before, &t->kind[1]) < 0
        || optional_attr(unit, s_longest, &longest) < 0)
        goto fail;
    if (t->memo[0] && PyDict_CheckExact(t->memo[0]) && t->memo[1] && PyDict_CheckExact(t->memo[1]) && t->kind[0]
        && t->kind[1] && longest && PyLong_CheckExact(longest)) {
        t->longest = PyLong_AsSsize_t(longest);
        if (t->longest == -1 && PyErr_Occurred()) goto fail;
        if (t->longest >= 0 && t->longest < PY_SSIZE_T_MAX / 4) {
            Py_DECREF(longest);
            return 0;
        }
    }
    Py_XDECREF(longest);  /* no shortcut: money_at is asked about every number */
    touch_end(t);
    return 0;
fail:
    Py_XDECREF(longest);
    touch_end(t);
    return -1;
}

/* unit.touch_after (side 0) or touch_before (side 1) of text[a:b] through its memo: 0, 1, 2, or -1 on error */
static int touch_kind(touch_t *t, int side, PyObject *text, Py_ssize_t a, Py_ssize_t b) {
    PyObject *key = PyUnicode_Substring(text, a, b), *answer;
    long r = -1;
    if (!key) return -1;
    if ((answer = PyDict_GetItemWithError(t->memo[side], key))) {  /* borrowed */
        r = PyLong_AsLong(answer);
    } else if (!PyErr_Occurred() && (answer = PyObject_CallOneArg(t->kind[side], key))) {
        r = PyLong_Check(answer) ? PyLong_AsLong(answer) : -1;
        if (r >= 0 && r <= 2 && PyDict_GET_SIZE(t->memo[side]) < MEMO_MOST
            && PyDict_SetItem(t->memo[side], key, answer) < 0)
            r = -1;
        Py_DECREF(answer);
    }
    Py_DECREF(key);
    if ((r < 0 || r > 2) && !PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "touch_after/before must give 0, 1 or 2");
    return r < 0 || r > 2 ? -1 : (int)r;
}

/* unit.money_at(text, start, end) */
static PyObject *money_at(touch_t *t, PyObject *unit, PyObject *text, Py_ssize_t start, Py_ssize_t end,
                          PyObject *py_start, PyObject *py_end) {
    if (!t->memo[0]) return PyObject_CallMethodObjArgs(unit, s_money_at, text, py_start, py_end, NULL);
    int kind = PyUnicode_KIND(text), after = 0, before = 0;
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), limit = end + 1 + t->longest, floor = start - 1 - t->longest;
    Py_ssize_t j = end, i = start - 1;
    if (limit > n) limit = n;
    if (floor < 0) floor = 0;
    while (j < limit && PyUnicode_READ(kind, data, j) == ' ') j++;   /* after.lstrip(" ") */
    while (i >= floor && PyUnicode_READ(kind, data, i) == ' ') i--;  /* before.rstrip(" ") */
    /* after[:2] and before[-2:] of money_at's windows */
    if (j < limit && (after = touch_kind(t, 0, text, j, j + 2 <= limit ? j + 2 : limit)) < 0) return NULL;
    if (after == 2) return PyUnicode_FromOrdinal(PyUnicode_READ(kind, data, j));
    if (i >= floor && (before = touch_kind(t, 1, text, i - 1 >= floor ? i - 1 : floor, i + 1)) < 0) return NULL;
    if (before == 2) return PyUnicode_FromOrdinal(PyUnicode_READ(kind, data, i));
    if (after == 0 && before == 0) return Py_NewRef(empty_str);
    return PyObject_CallMethodObjArgs(unit, s_money_at, text, py_start, py_end, NULL);
}

/* Number(text, values, money, start, end) as visible._number builds it */
static PyObject *new_number(PyObject *text, Py_ssize_t start, Py_ssize_t end, PyObject *values, PyObject *unit,
                            touch_t *t) {
    PyObject *piece = NULL, *money = NULL, *d = NULL, *num = NULL, *py_start = NULL, *py_end = NULL;
    piece = PyUnicode_Substring(text, start, end);
    py_start = PyLong_FromSsize_t(start);
    py_end = PyLong_FromSsize_t(end);
    if (!piece || !py_start || !py_end) goto done;
    money = money_at(t, unit, text, start, end, py_start, py_end);
    if (!money) goto done;
    d = PyDict_New();
    if (!d || PyDict_SetItem(d, s_text, piece) < 0 || PyDict_SetItem(d, s_values, values) < 0
        || PyDict_SetItem(d, s_money, money) < 0 || PyDict_SetItem(d, s_start, py_start) < 0
        || PyDict_SetItem(d, s_end, py_end) < 0)
        goto done;
    num = PyBaseObject_Type.tp_new((PyTypeObject *)number_type, empty_tuple, NULL);
    if (num && PyObject_GenericSetAttr(num, s_dict, d) < 0) Py_CLEAR(num);
done:
    Py_XDECREF(piece); Py_XDECREF(money); Py_XDECREF(d); Py_XDECREF(py_start); Py_XDECREF(py_end);
    return num;
}

/* Digit groups of parts [0, k) as a locale writes them (visible._grouped) */
static int grouped(const Py_ssize_t *lens, Py_ssize_t k) {
    if (lens[0] < 1 || lens[0] > 3) return 0;
    int all3 = 1, all2 = 1;
    for (Py_ssize_t i = 1; i < k; i++) all3 &= lens[i] == 3;
    if (all3) return 1;
    for (Py_ssize_t i = 1; i < k - 1; i++) all2 &= lens[i] == 2;
    return lens[k - 1] == 3 && all2;
}

static int same_seps(const Py_UCS4 *seps, Py_ssize_t k) {
    for (Py_ssize_t i = 1; i < k; i++)
        if (seps[i] != seps[0]) return 0;
    return 1;
}

/* The digits of parts [0, k) joined into buf (ASCII), zeros in front dropped when strip ("0" if none left) */
static Py_ssize_t join_digits(char *buf, int kind, const void *data, const Py_ssize_t *starts,
                              const Py_ssize_t *lens, Py_ssize_t k, int strip) {
    Py_ssize_t n = 0;
    for (Py_ssize_t i = 0; i < k; i++)
        for (Py_ssize_t j = 0; j < lens[i]; j++) {
            char ch = (char)PyUnicode_READ(kind, data, starts[i] + j);
            if (strip && n == 0 && ch == '0') continue;
            buf[n++] = ch;
        }
    if (strip && n == 0) buf[n++] = '0';
    return n;
}

static int add_ascii(PyObject *set, const char *buf, Py_ssize_t n) {
    PyObject *s = PyUnicode_DecodeASCII(buf, n, NULL);
    if (!s) return -1;
    int r = PySet_Add(set, s);
    Py_DECREF(s);
    return r;
}

/* visible._digit_values of text[a:b], digits and separators (the token starts and ends with a digit, no two
 * separators touch); parts and seps are scratch arrays of b - a entries at least */
static PyObject *digit_values(PyObject *text, Py_ssize_t a, Py_ssize_t b, PyObject *decimal,
                              Py_ssize_t *starts, Py_ssize_t *lens, Py_UCS4 *seps, char *buf) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t k = 0;
    starts[0] = a;
    for (Py_ssize_t i = a; i < b; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (!is_ascii_digit(ch)) {
            lens[k] = i - starts[k];
            seps[k++] = ch;
            starts[k] = i + 1;
        }
    }
    lens[k] = b - starts[k];
    k++;
    PyObject *out = PyFrozenSet_New(NULL);  /* brand new: PySet_Add fills it before anyone sees it */
    if (!out) return NULL;
    if (k == 1) {
        if (add_ascii(out, buf, join_digits(buf, kind, data, starts, lens, 1, 1)) < 0) goto fail;
        goto done;
    }
    int is_grouped = grouped(lens, k) && same_seps(seps, k - 1);
    if (is_grouped && add_ascii(out, buf, join_digits(buf, kind, data, starts, lens, k, 1)) < 0) goto fail;
    Py_UCS4 last = seps[k - 2];
    int front_ok = k == 2 || (grouped(lens, k - 1) && same_seps(seps, k - 2));
    int last_seen = in_list(last, seps, k - 2);
    if (last != ' ' && front_ok && !last_seen) {
        int decimal_mark = 0;
        if (is_grouped) {
            PyObject *mark = PyUnicode_FromOrdinal(last);
            if (!mark) goto fail;
            decimal_mark = PySequence_Contains(decimal, mark);
            Py_DECREF(mark);
            if (decimal_mark < 0) goto fail;
        }
        if (decimal_mark || !is_grouped) {
            Py_ssize_t n = join_digits(buf, kind, data, starts, lens, k - 1, 1);
            buf[n++] = '.';
            for (Py_ssize_t j = 0; j < lens[k - 1]; j++)
                buf[n++] = (char)PyUnicode_READ(kind, data, starts[k - 1] + j);
            if (add_ascii(out, buf, n) < 0) goto fail;
        }
    }
    if (PySet_GET_SIZE(out) == 0 && add_ascii(out, buf, join_digits(buf, kind, data, starts, lens, k, 0)) < 0)
        goto fail;
done:
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static int append_number(PyObject *out, PyObject *text, Py_ssize_t a, Py_ssize_t b, PyObject *unit, touch_t *t,
                         PyObject **decimal, Py_ssize_t *starts, Py_ssize_t *lens, Py_UCS4 *seps, char *buf) {
    if (!*decimal && !(*decimal = PyObject_GetAttr(unit, s_decimal))) return -1;
    PyObject *values = digit_values(text, a, b, *decimal, starts, lens, seps, buf);
    if (!values) return -1;
    PyObject *num = new_number(text, a, b, values, unit, t);
    Py_DECREF(values);
    if (!num) return -1;
    int r = PyList_Append(out, num);
    Py_DECREF(num);
    return r;
}

/* The numbers of the digit token text[s:e] without a multiplier (visible._matched and _split_spaced): a
 * space joins groups only before a group of exactly three digits after a run of at most three */
static int digit_numbers(PyObject *out, PyObject *text, Py_ssize_t s, Py_ssize_t e, PyObject *unit, touch_t *t,
                         PyObject **decimal) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t size = e - s + 2, begin = s, run = s, r = -1;
    Py_ssize_t *starts = PyMem_New(Py_ssize_t, size), *lens = PyMem_New(Py_ssize_t, size);
    Py_UCS4 *seps = PyMem_New(Py_UCS4, size);
    char *buf = PyMem_Malloc((size_t)size + 1);
    if (!starts || !lens || !seps || !buf) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = s; i < e; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (is_ascii_digit(ch)) continue;
        if (ch == ' ') {
            Py_ssize_t next = i + 1;
            while (next < e && is_ascii_digit(PyUnicode_READ(kind, data, next))) next++;
            if (next - (i + 1) != 3 || i - run >= 4) {
                if (append_number(out, text, begin, i, unit, t, decimal, starts, lens, seps, buf) < 0) goto done;
                begin = i + 1;
            }
        }
        run = i + 1;
    }
    r = append_number(out, text, begin, e, unit, t, decimal, starts, lens, seps, buf);
done:
    PyMem_Free(starts); PyMem_Free(lens); PyMem_Free(seps); PyMem_Free(buf);
    return r;
}

/* The Python route's reading of the match at start: (its end, its numbers) */
static Py_ssize_t read_in_python(PyObject *out, PyObject *text, Py_ssize_t start, PyObject *unit) {
    PyObject *py_start = PyLong_FromSsize_t(start), *res = NULL;
    Py_ssize_t end = -1;
    if (!py_start) return -1;
    res = PyObject_CallFunctionObjArgs(fallback, text, py_start, unit, NULL);
    Py_DECREF(py_start);
    if (!res) return -1;
    if (!PyTuple_Check(res) || PyTuple_GET_SIZE(res) != 2 || !PyList_Check(PyTuple_GET_ITEM(res, 1))) {
        PyErr_SetString(PyExc_TypeError, "fallback must give (end, list)");
        goto done;
    }
    end = PyLong_AsSsize_t(PyTuple_GET_ITEM(res, 0));
    if (end == -1 && PyErr_Occurred()) goto done;
    if (end <= start || end > PyUnicode_GET_LENGTH(text)) {
        PyErr_SetString(PyExc_ValueError, "fallback's end outside the text");
        end = -1;
        goto done;
    }
    PyObject *found = PyTuple_GET_ITEM(res, 1);
    if (PyList_SetSlice(out, PY_SSIZE_T_MAX, PY_SSIZE_T_MAX, found) < 0) end = -1;
done:
    Py_DECREF(res);
    return end;
}

static PyObject *numbers(PyObject *self, PyObject *args) {
    PyObject *text, *unit, *decimal = NULL;
    (void)self;
    if (!PyArg_ParseTuple(args, "UO:numbers", &text, &unit)) return NULL;
    if (!number_type) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), pos = 0;
    touch_t touch;
    if (touch_start(&touch, unit) < 0) return NULL;
    PyObject *out = PyList_New(0);
    if (!out) {
        touch_end(&touch);
        return NULL;
    }
    while (pos < n) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, pos);
        if (!is_ascii_digit(ch) && !is_cjk(ch)) {
            pos++;
            continue;
        }
        Py_ssize_t s = pos, e = pos + 1;
        if (is_ascii_digit(ch)) {  /* [0-9]+(?:SEP[0-9]+)* */
            for (;;) {
                while (e < n && is_ascii_digit(PyUnicode_READ(kind, data, e))) e++;
                if (e + 1 < n && is_sep(PyUnicode_READ(kind, data, e)) && is_ascii_digit(PyUnicode_READ(kind, data, e + 1)))
                    e++;
                else
                    break;
            }
        } else {
            while (e < n && is_cjk(PyUnicode_READ(kind, data, e))) e++;
        }
        if (has_multiplier(kind, data, n, e)) {
            if ((pos = read_in_python(out, text, s, unit)) < 0) goto fail;
            continue;
        }
        pos = e;
        if (!is_ascii_digit(ch)) {
            /* a lone 一 or 十 is part of many words: read (in Python) only as visible._matched would */
            if ((e - s >= 2 && in_list(ch, cjk_digit, n_cjk_digit))
                || (s > 0 && Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, s - 1)))
                || (e < n && Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, e))))
                if ((pos = read_in_python(out, text, s, unit)) < 0) goto fail;
            continue;
        }
        if (digit_numbers(out, text, s, e, unit, &touch, &decimal) < 0) goto fail;
    }
    Py_XDECREF(decimal);
    touch_end(&touch);
    return out;
fail:
    Py_XDECREF(decimal);
    touch_end(&touch);
    Py_DECREF(out);
    return NULL;
}

/* --- the characters worth screening (screen._Plain.others) ------------------------------------------ */
/* A table of every code point, filled on first sight by visible.py's `is_plain` (kept by the screen, no ASCII
 * compatibility form): the answer depends on the code point alone. */
static unsigned char *plain_state;  /* 0 not seen, 1 plain, 2 not plain */
static PyObject *is_plain;
#define CODE_POINTS 0x110000

static PyObject *others(PyObject *self, PyObject *arg) {
    (void)self;
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "others() takes a str");
        return NULL;
    }
    if (!is_plain) {
        PyErr_SetString(PyExc_RuntimeError, "configure() first");
        return NULL;
    }
    if (!plain_state && !(plain_state = PyMem_Calloc(CODE_POINTS, 1))) return PyErr_NoMemory();
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    PyObject *out = PySet_New(NULL);
    if (!out) return NULL;
    if (PyUnicode_IS_ASCII(arg)) return out;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch < 0x80 || ch >= CODE_POINTS || plain_state[ch] == 1) continue;
        PyObject *str = PyUnicode_FromOrdinal(ch);
        if (!str) goto fail;
        if (plain_state[ch] == 0) {
            int plain = -1;
            PyObject *answer = PyObject_CallOneArg(is_plain, str);
            if (answer) {
                plain = PyObject_IsTrue(answer);
                Py_DECREF(answer);
            }
            if (plain < 0) {
                Py_DECREF(str);
                goto fail;
            }
            plain_state[ch] = plain ? 1 : 2;
        }
        int r = plain_state[ch] == 2 ? PySet_Add(out, str) : 0;
        Py_DECREF(str);
        if (r < 0) goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* --- where currency marks may stand (currency_marks._spots_py) --------------------------------------- */
/* Each BMP code point's part in a mark: a currency sign, or a capital of a code (A-Z and the lookalikes of
 * _CAPITALS); the astral ones are in short lists. Filled by mark_tables() from currency_marks.py's sets. */
#define MARK_SIGN 1
#define MARK_CAPITAL 2
#define MARK_DOT 3  /* '.': a dotted code's */
#define BMP 0x10000
static unsigned char *mark_class;
static Py_UCS4 *astral_signs, *astral_capitals;
static Py_ssize_t n_astral_signs, n_astral_capitals;

static inline int mark_kind(Py_UCS4 ch) {
    if (ch < BMP) return mark_class[ch];
    return in_list(ch, astral_signs, n_astral_signs) ? MARK_SIGN
        : in_list(ch, astral_capitals, n_astral_capitals) ? MARK_CAPITAL : 0;
}

static inline int alpha_at(int kind, const void *data, Py_ssize_t n, Py_ssize_t i) {  /* _letter_at */
    return i >= 0 && i < n && Py_UNICODE_ISALPHA(PyUnicode_READ(kind, data, i));
}

/* sre's [^\W\d_]: the BMP's answers in a bit table filled at import (two Unicode database look-ups a character
 * were most of the word scan's time) */
static unsigned char letter_bits[BMP / 8];
static inline int letter_slow(Py_UCS4 ch) { return ch != '_' && Py_UNICODE_ISALNUM(ch) && !Py_UNICODE_ISDECIMAL(ch); }
static inline int is_letter(Py_UCS4 ch) {
    return ch < BMP ? letter_bits[ch >> 3] >> (ch & 7) & 1 : letter_slow(ch);
}
/* currency_names.joins_word: a character no letter to sre that a word's letters go on across (a combining mark,
 * M*: தைவான் holds no வான; the Hebrew geresh and gershayim), from unicodedata.category on first sight of each BMP
 * code point (the boundaries of matches ask: few characters); an error is left set for spans_of */
static PyObject *category_of;
static unsigned char joiner_state[BMP];  /* 0 not asked yet, 1 a joiner, 2 not */
static int joins_slow(Py_UCS4 ch) {
    if (PyErr_Occurred()) return -1;  /* an earlier one failed: spans_of raises it */
    if (ch == 0x5f3 || ch == 0x5f4) return 1;
    if (!category_of) {
        PyObject *module = PyImport_ImportModule("unicodedata");
        category_of = module ? PyObject_GetAttrString(module, "category") : NULL;
        Py_XDECREF(module);
        if (!category_of) return -1;
    }
    PyObject *category = PyObject_CallFunction(category_of, "C", (int)ch);
    if (!category) return -1;
    int joins = PyUnicode_Check(category) && PyUnicode_GET_LENGTH(category) > 0 && PyUnicode_READ_CHAR(category, 0) == 'M';
    Py_DECREF(category);
    return joins;
}
static inline int joins_word(Py_UCS4 ch) {
    if (ch < 0x300) return 0;  /* the first combining mark */
    if (ch >= BMP) return joins_slow(ch) == 1;
    if (!joiner_state[ch]) {
        int joins = joins_slow(ch);
        if (joins < 0) return 0;
        joiner_state[ch] = joins ? 1 : 2;
    }
    return joiner_state[ch] == 1;
}
static inline int word_letter(Py_UCS4 ch) { return is_letter(ch) || joins_word(ch); }  /* currency_names.word_letter */
/* the geresh and gershayim go on with a word only before a letter (פייג׳ין); at a word's end they are no letter of
 * it (שקלים׳ is the shekels' word, as ׳ש״ח is after a space: before_is_word) */
#define IS_GERESH(ch) ((ch) == 0x5f3 || (ch) == 0x5f4)
/* is_letter of the character lowered (Py_UNICODE_TOLOWER), per BMP code point: word_spans_lower's skip */
static unsigned char lowered_letter_bits[BMP / 8];

static int append_index(PyObject *list, Py_ssize_t i) {
    PyObject *index = PyLong_FromSsize_t(i);
    int r = index ? PyList_Append(list, index) : -1;
    Py_XDECREF(index);
    return r;
}

#define SKIP_PLAIN(T) { \
        const T *chars = data; \
        while (i < n && (chars[i] < BMP ? !mark_class[chars[i]] : !mark_kind(chars[i]))) i++; \
    }

/* One pass over the text for what three regex scans found (_SIGN_SCAN, _CAPITALS, _DOT_LETTER_DOT): a page is
 * ~20,000 characters and most hold no mark. The capitals: _CAPITALS.finditer's matches (three of the class,
 * without overlap from the left of each run of them) with no letter either side. */
static PyObject *mark_spots(PyObject *self, PyObject *arg) {
    (void)self;
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "mark_spots() takes a str");
        return NULL;
    }
    if (!mark_class) {
        PyErr_SetString(PyExc_RuntimeError, "mark_tables() first");
        return NULL;
    }
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg), run = 0, dot_from = 0;  /* run: capitals just before i */
    PyObject *signs = PyList_New(0), *capitals = PyList_New(0), *dots = PyList_New(0);
    if (!signs || !capitals || !dots) goto fail;
    for (Py_ssize_t i = 0; i <= n; i++) {
        if (run == 0) {  /* most characters have no part: skipped in a loop of their own (~5x cheaper a page) */
            if (kind == PyUnicode_1BYTE_KIND) SKIP_PLAIN(Py_UCS1)
            else if (kind == PyUnicode_2BYTE_KIND) SKIP_PLAIN(Py_UCS2)
            else SKIP_PLAIN(Py_UCS4)
        }
        Py_UCS4 ch = i < n ? PyUnicode_READ(kind, data, i) : 0;
        int part = i < n ? mark_kind(ch) : 0;  /* i == n: the end closes the last run of capitals */
        if (part == MARK_CAPITAL) {
            run++;
            continue;
        }
        for (Py_ssize_t s = i - run; run >= 3 && s + 3 <= i; s += 3)
            if (!alpha_at(kind, data, n, s - 1) && !alpha_at(kind, data, n, s + 3) && append_index(capitals, s) < 0)
                goto fail;
        run = 0;
        if (part == MARK_SIGN) {
            PyObject *sign = PyUnicode_FromOrdinal(ch);
            int r = sign ? PyList_Append(signs, sign) : -1;
            Py_XDECREF(sign);
            if (r < 0) goto fail;
        } else if (part == MARK_DOT && i >= dot_from && i + 2 < n && PyUnicode_READ(kind, data, i + 2) == '.'
                   && is_letter(PyUnicode_READ(kind, data, i + 1))) {
            if (append_index(dots, i) < 0) goto fail;
            dot_from = i + 3;  /* finditer's matches do not overlap */
        }
    }
    return Py_BuildValue("(NNN)", signs, capitals, dots);
fail:
    Py_XDECREF(signs); Py_XDECREF(capitals); Py_XDECREF(dots);
    return NULL;
}

/* The word tree of currency_marks.Marks (currency_names.word_tree's arrays): each node's edges sorted by
 * their letter, how a spelling ending at the node ends (a bit per kind of currency_names._ENDS), the first
 * letters of the BMP in a bit table. word_spans() gives Marks.whole.finditer's spans: the regex is a tree of
 * literals, so at a node at most one edge takes the next character and the longest way down is tried first,
 * then the node's end (the regex's branches: letters before ends). */
#define END_WORD 1  /* _END: before a non-letter */
#define END_KANA 2  /* _KANA: before a non-katakana, the letters after taken */
#define END_DOTTED 4  /* _DOTTED_END: before no ".letter", and a non-letter */
#define END_STEM 8  /* _STEM: the letters after taken */
#define ROOT_TABLE 0x800
typedef struct {
    Py_ssize_t n_nodes, n_edges, longest;
    Py_UCS4 *labels;
    Py_ssize_t *first, *count, *target;
    unsigned char *ends, first_letters[BMP / 8];
    Py_ssize_t root[ROOT_TABLE];  /* the root's node for each letter of the first scripts (Latin to Arabic), or -1 */
    Py_ssize_t *path;  /* the nodes walked down from one start: longest + 1 */
    unsigned char foreign[BMP / 8];  /* Marks.foreign: lookalike letters of another script */
    /* for word_spans_lower: the characters whose lower case is a first letter, or foreign, or (in raw_foreign)
     * one that str.lower() and Marks._words do not lower alone (LOWERED_APART) */
    unsigned char raw_first[BMP / 8], raw_foreign[BMP / 8];
    Py_UCS4 *astral_foreign;
    Py_ssize_t n_astral_foreign;
} word_tree_t;

/* The characters str.lower() does not lower alone to Py_UNICODE_TOLOWER's one (İ: i + U+0307; Σ: σ or ς by its
 * neighbours), and those Marks._words drops from the lowered text (U+0307, tatweel): where a text holds one,
 * word_spans_lower gives None and the text is lowered in Python (tests/test_currency_marks_routes.py holds
 * every other code point lowered alone, to one character none of these) */
static inline int lowered_apart(Py_UCS4 ch) { return ch == 0x130 || ch == 0x3a3 || ch == 0x307 || ch == 0x640; }

static void free_tree(PyObject *capsule) {
    word_tree_t *t = PyCapsule_GetPointer(capsule, "word_tree");
    if (!t) return;
    PyMem_Free(t->labels); PyMem_Free(t->first); PyMem_Free(t->count); PyMem_Free(t->target);
    PyMem_Free(t->ends); PyMem_Free(t->path); PyMem_Free(t->astral_foreign); PyMem_Free(t);
}

static int read_sizes(PyObject *seq, Py_ssize_t n, Py_ssize_t limit, Py_ssize_t **out) {
    if (!PyList_Check(seq) || PyList_GET_SIZE(seq) != n) {
        PyErr_SetString(PyExc_ValueError, "word_tree: a list of the wrong length");
        return -1;
    }
    if (!(*out = PyMem_New(Py_ssize_t, n + 1))) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t v = PyLong_AsSsize_t(PyList_GET_ITEM(seq, i));
        if (v == -1 && PyErr_Occurred()) return -1;
        if (v < 0 || v > limit) {
            PyErr_SetString(PyExc_ValueError, "word_tree: an index out of range");
            return -1;
        }
        (*out)[i] = v;
    }
    return 0;
}

/* word_tree(labels, first, count, target, ends, longest, foreign) -> a capsule for word_spans() */
static PyObject *word_tree(PyObject *self, PyObject *args) {
    PyObject *labels, *first, *count, *target, *ends, *foreign;
    Py_ssize_t longest;
    (void)self;
    if (!PyArg_ParseTuple(args, "UOOOOnU:word_tree", &labels, &first, &count, &target, &ends, &longest, &foreign))
        return NULL;
    word_tree_t *t = PyMem_Calloc(1, sizeof *t);
    if (!t) return PyErr_NoMemory();
    PyObject *capsule = PyCapsule_New(t, "word_tree", free_tree);
    if (!capsule) {
        PyMem_Free(t);
        return NULL;
    }
    t->n_edges = PyUnicode_GET_LENGTH(labels);
    t->n_nodes = PyList_Check(first) ? PyList_GET_SIZE(first) : 0;
    t->longest = longest;
    if (t->n_nodes < 1 || longest < 0 || longest > t->n_nodes) {
        PyErr_SetString(PyExc_ValueError, "word_tree: no root");
        goto fail;
    }
    if (!(t->labels = PyUnicode_AsUCS4Copy(labels))) goto fail;
    if (read_sizes(first, t->n_nodes, t->n_edges, &t->first) < 0
        || read_sizes(count, t->n_nodes, t->n_edges, &t->count) < 0
        || read_sizes(target, t->n_edges, t->n_nodes - 1, &t->target) < 0)
        goto fail;
    Py_ssize_t *end_bits = NULL;
    int r = read_sizes(ends, t->n_nodes, 15, &end_bits);
    if (r == 0 && !(t->ends = PyMem_Malloc(t->n_nodes))) r = -1, PyErr_NoMemory();
    for (Py_ssize_t i = 0; r == 0 && i < t->n_nodes; i++) t->ends[i] = (unsigned char)end_bits[i];
    PyMem_Free(end_bits);
    if (r < 0) goto fail;
    for (Py_ssize_t i = 0; i < t->n_nodes; i++)
        if (t->first[i] + t->count[i] > t->n_edges) {
            PyErr_SetString(PyExc_ValueError, "word_tree: edges out of range");
            goto fail;
        }
    for (Py_ssize_t ch = 0; ch < ROOT_TABLE; ch++) t->root[ch] = -1;
    for (Py_ssize_t e = t->first[0]; e < t->first[0] + t->count[0]; e++) {
        if (t->labels[e] < BMP) t->first_letters[t->labels[e] >> 3] |= (unsigned char)(1 << (t->labels[e] & 7));
        if (t->labels[e] < ROOT_TABLE) t->root[t->labels[e]] = t->target[e];
    }
    Py_ssize_t n_foreign = PyUnicode_GET_LENGTH(foreign);
    if (!(t->astral_foreign = PyMem_New(Py_UCS4, n_foreign + 1))) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t i = 0; i < n_foreign; i++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(foreign, i);
        if (ch < BMP) t->foreign[ch >> 3] |= (unsigned char)(1 << (ch & 7));
        else t->astral_foreign[t->n_astral_foreign++] = ch;
    }
    for (Py_UCS4 ch = 0; ch < BMP; ch++) {
        Py_UCS4 low = Py_UNICODE_TOLOWER(ch);
        if (low < BMP ? t->first_letters[low >> 3] >> (low & 7) & 1 : 1)
            t->raw_first[ch >> 3] |= (unsigned char)(1 << (ch & 7));
        if ((low < BMP ? t->foreign[low >> 3] >> (low & 7) & 1 : in_list(low, t->astral_foreign, t->n_astral_foreign))
            || lowered_apart(ch))
            t->raw_foreign[ch >> 3] |= (unsigned char)(1 << (ch & 7));
    }
    if (!(t->path = PyMem_New(Py_ssize_t, longest + 1))) {
        PyErr_NoMemory();
        goto fail;
    }
    return capsule;
fail:
    Py_DECREF(capsule);
    return NULL;
}

static Py_ssize_t edge_to(const word_tree_t *t, Py_ssize_t node, Py_UCS4 ch) {  /* the node, or -1 */
    if (node == 0 && ch < ROOT_TABLE) return t->root[ch];
    Py_ssize_t lo = t->first[node], hi = lo + t->count[node];
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (t->labels[mid] < ch) lo = mid + 1;
        else hi = mid;
    }
    return lo < t->first[node] + t->count[node] && t->labels[lo] == ch ? t->target[lo] : -1;
}

static inline int is_katakana(Py_UCS4 ch) {  /* currency_names._KATAKANA_CLASS */
    return (ch >= 0x30a1 && ch <= 0x30fa) || (ch >= 0x30fc && ch <= 0x30ff);
}

/* One scan per string kind (a page is read twice per edition): _match gives where the regex's match at
 * `start` ends, or -1 (down the tree as far as the text goes, then back up to the first node whose end holds:
 * the regex's backtracking); the scan skips to a first letter of the tree and goes on after each match.
 * RD reads a character: as it is (word_spans, of a lowered text) or lowered (word_spans_lower, of the text
 * itself: the same reading without the lowered copy); FIRST, FOREIGN: the bit tables of what RD gives; APART:
 * whether a character lowered apart stops the scan, SKIP: whether a word's letters are passed over at once
 * (word_spans_lower). */
#define AS_IS(ch) ((Py_UCS4)(ch))
#define LOWERED(ch) ((ch) < 128 ? (Py_UCS4)((ch) >= 'A' && (ch) <= 'Z' ? (ch) + 32 : (ch)) : Py_UNICODE_TOLOWER(ch))
#define BIT(table, ch) ((table)[(ch) >> 3] & (1 << ((ch) & 7)))
#define WORD_SCAN(T, NAME, RD, FIRST, FOREIGN, APART, SKIP) \
    static int NAME##_continues(const T *c, Py_ssize_t n, Py_ssize_t i) {  /* c[i] goes on with a word (IS_GERESH) */ \
        return i < n && word_letter(RD(c[i])) && !(IS_GERESH(RD(c[i])) && !(i + 1 < n && is_letter(RD(c[i + 1])))); \
    } \
    static Py_ssize_t NAME##_letters(const T *c, Py_ssize_t n, Py_ssize_t i) {  /* word letters */ \
        while (NAME##_continues(c, n, i)) i++; \
        return i; \
    } \
    static int NAME##_in_word(const T *c, Py_ssize_t i) {  /* a letter before i, joiners between (before_is_word) */ \
        while (i > 0 && !is_letter(RD(c[i - 1])) && joins_word(RD(c[i - 1]))) i--; \
        return i > 0 && is_letter(RD(c[i - 1])); \
    } \
    static Py_ssize_t NAME##_match(word_tree_t *t, const T *c, Py_ssize_t n, Py_ssize_t start) { \
        Py_ssize_t depth = 0, node = 0; \
        while (depth < t->longest && start + depth < n && (node = edge_to(t, node, RD(c[start + depth]))) >= 0) \
            t->path[++depth] = node; \
        for (; depth > 0; depth--) { \
            int end = t->ends[t->path[depth]]; \
            Py_ssize_t i = start + depth; \
            if (!end) continue; \
            Py_UCS4 ch = i < n ? RD(c[i]) : 0; \
            int letter = NAME##_continues(c, n, i); \
            if (end & END_WORD && !letter) return i; \
            if (end & END_KANA && !(i < n && is_katakana(ch))) return NAME##_letters(c, n, i); \
            if (end & END_DOTTED && !letter && !(ch == '.' && i + 1 < n && is_letter(RD(c[i + 1])))) return i; \
            if (end & END_STEM) return NAME##_letters(c, n, i); \
        } \
        return -1; \
    } \
    static int NAME##_spans(word_tree_t *t, const T *c, Py_ssize_t n, PyObject *out) { \
        for (Py_ssize_t i = 0; i < n;) { \
            while (i < n && c[i] < BMP && !BIT(t->FIRST, c[i])) i++; \
            if (i >= n) break; \
            Py_UCS4 ch = RD(c[i]), prev = i ? RD(c[i - 1]) : 0; \
            if (i && (is_katakana(ch) ? is_katakana(prev) : is_letter(ch) && NAME##_in_word(c, i))) { \
                i++;  /* inside a word: passed over, so it hides nothing after it (currency_names.before_is_word) */ \
                if (SKIP)  /* and so is each letter after it that is no katakana: after a letter, inside the word */ \
                    while (i < n && c[i] < BMP && BIT(lowered_letter_bits, c[i]) && !is_katakana(c[i])) i++; \
                continue; \
            } \
            Py_ssize_t end = NAME##_match(t, c, n, i); \
            if (end < 0) { \
                i++; \
                continue; \
            } \
            if (append_index(out, i) < 0 || append_index(out, end) < 0) return -1; \
            i = end; \
        } \
        return 0; \
    } \
    /* 1 where a character is lowered apart (word_spans_lower's None) */ \
    static int NAME##_foreign(word_tree_t *t, const T *c, Py_ssize_t n, PyObject *out) { \
        for (Py_ssize_t i = 0; i < n; i++) \
            if (c[i] < BMP ? BIT(t->FOREIGN, c[i]) : in_list(RD(c[i]), t->astral_foreign, t->n_astral_foreign)) { \
                if (APART && lowered_apart(c[i])) return 1; \
                if (append_index(out, i) < 0) return -1; \
            } \
        return 0; \
    }
WORD_SCAN(Py_UCS1, ucs1, AS_IS, first_letters, foreign, 0, 0)
WORD_SCAN(Py_UCS2, ucs2, AS_IS, first_letters, foreign, 0, 0)
WORD_SCAN(Py_UCS4, ucs4, AS_IS, first_letters, foreign, 0, 0)
WORD_SCAN(Py_UCS1, low1, LOWERED, raw_first, raw_foreign, 1, 1)
WORD_SCAN(Py_UCS2, low2, LOWERED, raw_first, raw_foreign, 1, 1)
WORD_SCAN(Py_UCS4, low4, LOWERED, raw_first, raw_foreign, 1, 1)

static PyObject *spans_of(PyObject *args, const char *format, int lower) {
    PyObject *capsule, *text;
    if (!PyArg_ParseTuple(args, format, &capsule, &text)) return NULL;
    word_tree_t *t = PyCapsule_GetPointer(capsule, "word_tree");
    if (!t) return NULL;
    int kind = PyUnicode_KIND(text), r;
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *spans = PyList_New(0), *foreign = PyList_New(0);
    if (!spans || !foreign) goto fail;
    if (lower)  /* the foreign scan first: it reads every character, and stops at one lowered apart */
        r = kind == PyUnicode_1BYTE_KIND ? low1_foreign(t, data, n, foreign) || low1_spans(t, data, n, spans)
            : kind == PyUnicode_2BYTE_KIND ? low2_foreign(t, data, n, foreign) || low2_spans(t, data, n, spans)
            : low4_foreign(t, data, n, foreign) || low4_spans(t, data, n, spans);
    else
        r = kind == PyUnicode_1BYTE_KIND ? ucs1_spans(t, data, n, spans) || ucs1_foreign(t, data, n, foreign)
            : kind == PyUnicode_2BYTE_KIND ? ucs2_spans(t, data, n, spans) || ucs2_foreign(t, data, n, foreign)
            : ucs4_spans(t, data, n, spans) || ucs4_foreign(t, data, n, foreign);
    if (PyErr_Occurred()) goto fail;
    if (r) {  /* a character lowered apart */
        Py_DECREF(spans); Py_DECREF(foreign);
        Py_RETURN_NONE;
    }
    return Py_BuildValue("(NN)", spans, foreign);
fail:
    Py_XDECREF(spans); Py_XDECREF(foreign);
    return NULL;
}

/* word_spans(tree, text) -> ([start, end, ...], [i, ...]): the spans of Marks.whole.finditer(text), where
 * Marks.foreign_scan.finditer(text) matches */
static PyObject *word_spans(PyObject *self, PyObject *args) {
    (void)self;
    return spans_of(args, "OU:word_spans", 0);
}

/* word_spans_lower(tree, text) -> word_spans(tree, text.lower()), or None where text holds a character lowered
 * apart (lowered_apart): a page's lowered copy was a third of the words' reading */
static PyObject *word_spans_lower(PyObject *self, PyObject *args) {
    (void)self;
    return spans_of(args, "OU:word_spans_lower", 1);
}

static int astral_of(PyObject *str, Py_UCS4 **list, Py_ssize_t *n, int part) {
    Py_ssize_t len = PyUnicode_GET_LENGTH(str), k = 0;
    Py_UCS4 *out = PyMem_New(Py_UCS4, len + 1);
    if (!out) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 ch = PyUnicode_READ_CHAR(str, i);
        if (ch < BMP) mark_class[ch] = (unsigned char)part;
        else out[k++] = ch;
    }
    PyMem_Free(*list);
    *list = out;
    *n = k;
    return 0;
}

static PyObject *mark_tables(PyObject *self, PyObject *args) {
    PyObject *signs, *capitals;
    (void)self;
    if (!PyArg_ParseTuple(args, "UU:mark_tables", &signs, &capitals)) return NULL;
    if (!mark_class && !(mark_class = PyMem_Calloc(BMP, 1))) return PyErr_NoMemory();
    memset(mark_class, 0, BMP);
    if (astral_of(signs, &astral_signs, &n_astral_signs, MARK_SIGN) < 0
        || astral_of(capitals, &astral_capitals, &n_astral_capitals, MARK_CAPITAL) < 0)
        return NULL;
    mark_class['.'] = MARK_DOT;
    Py_RETURN_NONE;
}

static int code_points(PyObject *str, Py_UCS4 **list, Py_ssize_t *n) {
    Py_UCS4 *copy = PyUnicode_AsUCS4Copy(str);
    if (!copy) return -1;
    PyMem_Free(*list);
    *list = copy;
    *n = PyUnicode_GET_LENGTH(str);
    return 0;
}

static PyObject *configure(PyObject *self, PyObject *args) {
    PyObject *type, *word_tuple, *read, *all, *mult, *digit, *plain;
    (void)self;
    if (!PyArg_ParseTuple(args, "O!O!OUUUO:configure", &PyType_Type, &type, &PyTuple_Type, &word_tuple, &read,
                          &all, &mult, &digit, &plain))
        return NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(word_tuple); i++)
        if (!PyUnicode_Check(PyTuple_GET_ITEM(word_tuple, i)) || PyUnicode_GET_LENGTH(PyTuple_GET_ITEM(word_tuple, i)) == 0) {
            PyErr_SetString(PyExc_TypeError, "words must be non-empty strings");
            return NULL;
        }
    if (code_points(all, &cjk, &n_cjk) < 0 || code_points(mult, &cjk_mult, &n_cjk_mult) < 0
        || code_points(digit, &cjk_digit, &n_cjk_digit) < 0)
        return NULL;
    cjk_low = cjk_high = 0;
    for (Py_ssize_t i = 0; i < n_cjk; i++) {
        if (i == 0 || cjk[i] < cjk_low) cjk_low = cjk[i];
        if (i == 0 || cjk[i] > cjk_high) cjk_high = cjk[i];
    }
    if (n_cjk == 0) cjk_low = 1, cjk_high = 0;  /* nothing is CJK */
    Py_INCREF(type); Py_XSETREF(number_type, type);
    Py_INCREF(word_tuple); Py_XSETREF(words, word_tuple);
    Py_INCREF(read); Py_XSETREF(fallback, read);
    Py_INCREF(plain); Py_XSETREF(is_plain, plain);
    if (plain_state) memset(plain_state, 0, CODE_POINTS);  /* answers of an earlier is_plain */
    memset(word_start, 0, sizeof word_start);  /* answers for the earlier words */
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(Number, words, fallback, cjk, cjk_multipliers, cjk_digits, is_plain): visible.py's tables"},
    {"others", others, METH_O, "others(text): the characters of text screen._Plain.others() must give"},
    {"numbers", numbers, METH_VARARGS, "numbers(text, unit): visible.numbers() of text"},
    {"mark_tables", mark_tables, METH_VARARGS,
     "mark_tables(signs, capitals): currency_marks' currency signs and capitals of codes"},
    {"mark_spots", mark_spots, METH_O, "mark_spots(text): currency_marks._spots_py(text)"},
    {"word_tree", word_tree, METH_VARARGS,
     "word_tree(labels, first, count, target, ends, longest, foreign): currency_names.word_tree's arrays and "
     "Marks.foreign, for word_spans"},
    {"word_spans", word_spans, METH_VARARGS,
     "word_spans(tree, text): the spans of Marks.whole.finditer(text) and Marks.foreign_scan's places"},
    {"word_spans_lower", word_spans_lower, METH_VARARGS,
     "word_spans_lower(tree, text): word_spans(tree, text.lower()), or None for a text str.lower() lowers otherwise"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_visible", NULL, -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__visible(void) {
#define INTERN(var, s) if (!(var = PyUnicode_InternFromString(s))) return NULL
    INTERN(s_text, "text"); INTERN(s_values, "values"); INTERN(s_money, "money"); INTERN(s_start, "start");
    INTERN(s_end, "end"); INTERN(s_dict, "__dict__"); INTERN(s_money_at, "money_at"); INTERN(s_decimal, "decimal");
    INTERN(s_after_memo, "after_memo"); INTERN(s_before_memo, "before_memo"); INTERN(s_touch_after, "touch_after");
    INTERN(s_touch_before, "touch_before"); INTERN(s_longest, "longest");
    INTERN(empty_str, "");
#undef INTERN
    if (!(empty_tuple = PyTuple_New(0))) return NULL;
    for (Py_UCS4 ch = 0; ch < BMP; ch++)
        if (letter_slow(ch)) letter_bits[ch >> 3] |= (unsigned char)(1 << (ch & 7));
    for (Py_UCS4 ch = 0; ch < BMP; ch++)
        if (is_letter(Py_UNICODE_TOLOWER(ch))) lowered_letter_bits[ch >> 3] |= (unsigned char)(1 << (ch & 7));
    return PyModule_Create(&module);
}
