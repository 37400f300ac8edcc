/* SPDX-License-Identifier: GPL-2.0 */
/* A small strict JSON parser for the tests: an independent reader of the CLI's --json. */
#ifndef TEST_JSON_H
#define TEST_JSON_H
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum jt { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jt t;
	double num;
	char *str;			/* J_STR */
	struct jv **items;		/* J_ARR values, J_OBJ values */
	char **keys;			/* J_OBJ */
	size_t n;
};

struct jp {
	const char *p, *end;
	int err;
};

static void jws(struct jp *j)
{
	while (j->p < j->end && isspace((unsigned char)*j->p))
		j->p++;
}

static struct jv *jnew(enum jt t)
{
	struct jv *v = calloc(1, sizeof(*v));

	v->t = t;
	return v;
}

static char *jstring(struct jp *j)
{
	size_t cap = 16, n = 0;
	char *s = malloc(cap);

	j->p++;	/* opening quote */
	while (j->p < j->end && *j->p != '"') {
		char c = *j->p++;

		if ((unsigned char)c < 0x20) {
			j->err = 1;
			break;
		}
		if (c == '\\') {
			if (j->p >= j->end) {
				j->err = 1;
				break;
			}
			c = *j->p++;
			switch (c) {
			case '"': case '\\': case '/': break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u':
				if (j->end - j->p < 4) {
					j->err = 1;
					return s;
				}
				c = (char)strtol((char[5]){ j->p[0], j->p[1], j->p[2], j->p[3], 0 }, NULL, 16);
				j->p += 4;
				break;
			default:
				j->err = 1;
			}
		}
		if (n + 1 >= cap)
			s = realloc(s, cap *= 2);
		s[n++] = c;
	}
	if (j->p >= j->end)
		j->err = 1;
	else
		j->p++;
	s[n] = '\0';
	return s;
}

static struct jv *jvalue(struct jp *j, int depth)
{
	struct jv *v;

	jws(j);
	if (j->err || j->p >= j->end || depth > 64) {
		j->err = 1;
		return jnew(J_NULL);
	}
	if (*j->p == '{' || *j->p == '[') {
		int obj = *j->p == '{';
		char close = obj ? '}' : ']';

		v = jnew(obj ? J_OBJ : J_ARR);
		j->p++;
		jws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			return v;
		}
		for (;;) {
			jws(j);
			v->items = realloc(v->items, (v->n + 1) * sizeof(*v->items));
			if (obj) {
				v->keys = realloc(v->keys, (v->n + 1) * sizeof(*v->keys));
				if (j->p >= j->end || *j->p != '"') {
					j->err = 1;
					return v;
				}
				v->keys[v->n] = jstring(j);
				jws(j);
				if (j->p >= j->end || *j->p++ != ':') {
					j->err = 1;
					return v;
				}
			}
			v->items[v->n++] = jvalue(j, depth + 1);
			jws(j);
			if (j->err || j->p >= j->end) {
				j->err = 1;
				return v;
			}
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			if (*j->p++ != close)
				j->err = 1;
			return v;
		}
	}
	if (*j->p == '"') {
		v = jnew(J_STR);
		v->str = jstring(j);
		return v;
	}
	if (!strncmp(j->p, "true", 4) || !strncmp(j->p, "false", 5)) {
		v = jnew(J_BOOL);
		v->num = *j->p == 't';
		j->p += *j->p == 't' ? 4 : 5;
		return v;
	}
	if (!strncmp(j->p, "null", 4)) {
		j->p += 4;
		return jnew(J_NULL);
	}
	{
		char *e;

		v = jnew(J_NUM);
		v->num = strtod(j->p, &e);
		if (e == j->p)
			j->err = 1;
		j->p = e;
		return v;
	}
}

/* Parse a whole document; NULL if it is not valid JSON. */
static struct jv *jparse(const char *s, size_t n)
{
	struct jp j = { s, s + n, 0 };
	struct jv *v = jvalue(&j, 0);

	jws(&j);
	return j.err || j.p != j.end ? NULL : v;
}

static struct jv *jget(const struct jv *o, const char *key)
{
	for (size_t i = 0; o && o->t == J_OBJ && i < o->n; i++)
		if (!strcmp(o->keys[i], key))
			return o->items[i];
	return NULL;
}
#endif
