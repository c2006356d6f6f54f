/* page_script_paper.c: the printable paper version of a script version (A4 HTML), for the web page and `vertelpunt script paper`. */
#include "web/script_paper.h"

#include "http/server.h"
#include "model/script_store.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/pages.h"
#include "web/svg.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Staff type the filled-in form in later (channel "paper"), so the paper
 * asks exactly what the script asks, in the same order, with the same
 * option labels, and every question carries the number that show_if
 * conditions refer to. The teller's questions come first, section by
 * section (each section on a new page when printed); the professional's
 * questions follow in a part of their own. */

struct paper {
	buf *b;
	const struct script *s;
	const struct script_paper *o;
	const char *lang;
	int *num; /* printed number by question index */
};

static const char *tr(const struct paper *p, const char *msgid)
{
	return i18n_get(p->lang, msgid);
}

static const char *text(const struct paper *p, const struct ltext *t)
{
	return ltext_get(t, p->lang);
}

/* A translated template with the placeholders k1 and k2 ("{n}",
 * "{answer}"; k2 may be NULL) replaced by v1 and v2, as plain text
 * (escaped by the caller). Word order differs between languages, so the
 * placeholders stand where each translation wants them. Returns a
 * malloc'ed string. */
static char *fill(const char *tmpl, const char *k1, const char *v1, const char *k2, const char *v2)
{
	buf out;
	buf_init(&out);
	size_t n1 = strlen(k1), n2 = k2 ? strlen(k2) : 0;
	for (const char *c = tmpl; *c;) {
		if (strncmp(c, k1, n1) == 0) {
			buf_puts(&out, v1);
			c += n1;
		} else if (k2 && strncmp(c, k2, n2) == 0) {
			buf_puts(&out, v2);
			c += n2;
		} else {
			buf_putc(&out, *c++);
		}
	}
	char *s = strdup(out.data ? out.data : "");
	buf_free(&out);
	if (!s)
		abort();
	return s;
}

static void put_filled(const struct paper *p, const char *msgid, const char *k1, const char *v1,
                       const char *k2, const char *v2)
{
	char *s = fill(tr(p, msgid), k1, v1, k2, v2);
	html_text(p->b, s);
	free(s);
}

static void box(buf *b)
{
	html_lit(b, "<span class=\"vp-paper__box\" aria-hidden=\"true\"></span>");
}

/* n ruled lines to write on. */
static void lines(buf *b, int n)
{
	html_lit(b, "<div class=\"vp-paper__lines\" aria-hidden=\"true\">");
	for (int i = 0; i < n; i++)
		html_lit(b, "<span class=\"vp-paper__line\"></span>");
	html_lit(b, "</div>");
}

static void hint(const struct paper *p, const char *msgid)
{
	html_lit(p->b, "<p class=\"vp-paper__hint\">");
	html_text(p->b, tr(p, msgid));
	html_lit(p->b, "</p>");
}

/* "A", "B", ... "Z", "AA", ...: the letters of stones. */
static void letter(int i, char out[8])
{
	char tmp[8];
	int k = 0;
	i++;
	while (i > 0 && k < 7) {
		i--;
		tmp[k++] = (char)('A' + i % 26);
		i /= 26;
	}
	for (int j = 0; j < k; j++)
		out[j] = tmp[k - 1 - j];
	out[k] = 0;
}

static const struct q_option *option(const struct question *q, const char *id)
{
	for (int i = 0; i < q->noptions; i++)
		if (strcmp(q->options[i].id, id) == 0)
			return &q->options[i];
	return NULL;
}

/* "Only fill in if at question 4 you chose 'Yes' or 'No'." */
static void condition(const struct paper *p, const struct question *q)
{
	const struct question *on = script_question(p->s, q->show_if_question);
	if (!on)
		return;
	buf ans;
	buf_init(&ans);
	for (int i = 0; i < q->show_if_count; i++) {
		if (i) {
			buf_putc(&ans, ' ');
			buf_puts(&ans, tr(p, N_("or")));
			buf_putc(&ans, ' ');
		}
		const struct q_option *opt = option(on, q->show_if_values[i]);
		buf_puts(&ans, "\xe2\x80\x98"); /* quotes as on paper: ‘ ’ */
		buf_puts(&ans, opt ? text(p, &opt->label) : q->show_if_values[i]);
		buf_puts(&ans, "\xe2\x80\x99");
	}
	char n[16];
	snprintf(n, sizeof n, "%d", p->num[on->index]);
	html_lit(p->b, "<p class=\"vp-paper__if\">");
	put_filled(p,
	           q->perspective == PERSPECTIVE_PROFESSIONAL
	                   ? N_("Only fill in if at question {n} {answer} was chosen.")
	                   : N_("Only fill in if at question {n} you chose {answer}."),
	           "{n}", n, "{answer}", ans.data ? ans.data : "");
	html_lit(p->b, "</p>");
	buf_free(&ans);
}

static void options(const struct paper *p, const struct question *q)
{
	buf *b = p->b;
	html_lit(b, "<ul class=\"vp-paper__options\">");
	for (int i = 0; i < q->noptions; i++) {
		html_lit(b, "<li>");
		box(b);
		html_lit(b, " <span>");
		html_text(b, text(p, &q->options[i].label));
		html_lit(b, "</span></li>");
	}
	if (q->other.n) {
		html_lit(b, "<li class=\"vp-paper__other\">");
		box(b);
		html_lit(b, " <span>");
		/* The script's own label says it ("Iets anders, namelijk"). */
		html_text(b, text(p, &q->other));
		html_lit(b,
		         "</span><span class=\"vp-paper__fill\" aria-hidden=\"true\"></span></li>");
	}
	html_lit(b, "</ul>");
}

static void draw_story(const struct paper *p, const struct question *q)
{
	buf *b = p->b;
	if (q->noptions > 1) {
		hint(p, N_("Choose one of these questions and tick it. Then tell about it."));
		html_lit(b, "<ul class=\"vp-paper__options vp-paper__prompts\">");
		for (int i = 0; i < q->noptions; i++) {
			html_lit(b, "<li>");
			box(b);
			html_lit(b, " <span>");
			html_text(b, text(p, &q->options[i].label));
			html_lit(b, "</span></li>");
		}
		html_lit(b, "</ul>");
	} else if (q->noptions == 1) {
		html_lit(b, "<p class=\"vp-paper__prompt\">");
		html_text(b, text(p, &q->options[0].label));
		html_lit(b, "</p>");
	}
	if (q->ask_title) {
		html_lit(b, "<p class=\"vp-paper__label\">");
		html_text(b, tr(p, N_("A title for your story:")));
		html_lit(b, "</p>");
		lines(b, 1);
	}
	html_lit(b, "<p class=\"vp-paper__label\">");
	html_text(b, tr(p, N_("Your story (you may go on at the back of the page):")));
	html_lit(b, "</p>");
	lines(b, 16);
}

static void draw_multi_hint(const struct paper *p, const struct question *q)
{
	int all = q->noptions + (q->other.n ? 1 : 0);
	char n[16];
	if (q->max > 0 && q->max < all) {
		snprintf(n, sizeof n, "%d", q->max);
		html_lit(p->b, "<p class=\"vp-paper__hint\">");
		if (q->min > 1) {
			char m[16];
			snprintf(m, sizeof m, "%d", q->min);
			put_filled(p, N_("Tick at least {min} and at most {max} boxes."), "{min}",
			           m, "{max}", n);
		} else {
			put_filled(p, N_("Tick at most {n} boxes."), "{n}", n, NULL, NULL);
		}
		html_lit(p->b, "</p>");
	} else if (q->min > 1) {
		snprintf(n, sizeof n, "%d", q->min);
		html_lit(p->b, "<p class=\"vp-paper__hint\">");
		put_filled(p, N_("Tick at least {n} boxes."), "{n}", n, NULL, NULL);
		html_lit(p->b, "</p>");
	} else {
		hint(p, N_("Tick every box that fits."));
	}
}

static void draw_scale(const struct paper *p, const struct question *q)
{
	buf *b = p->b;
	hint(p, N_("Draw a circle around one number."));
	html_lit(b, "<div class=\"vp-paper__scale\"><span class=\"vp-paper__end\">");
	html_text(b, text(p, &q->low));
	html_lit(b, "</span><ol class=\"vp-paper__circles\">");
	for (int i = 1; i <= q->points; i++) {
		html_lit(b, "<li><span class=\"vp-paper__circle\">");
		html_int(b, i);
		html_lit(b, "</span></li>");
	}
	html_lit(b, "</ol><span class=\"vp-paper__end vp-paper__end--high\">");
	html_text(b, text(p, &q->high));
	html_lit(b, "</span></div>");
}

/* The accessible name of a drawing: its kind and its labels. */
static char *drawing_title(const struct paper *p, const char *kind, const struct question *q)
{
	buf t;
	buf_init(&t);
	buf_puts(&t, tr(p, kind));
	for (int i = 0; i < q->noptions; i++) {
		buf_puts(&t, i ? ", " : ": ");
		buf_puts(&t, text(p, &q->options[i].label));
	}
	char *s = strdup(t.data ? t.data : "");
	buf_free(&t);
	if (!s)
		abort();
	return s;
}

static void draw_dyad(const struct paper *p, const struct question *q)
{
	buf *b = p->b;
	hint(p, N_("Put a cross on the line."));
	char *title = drawing_title(p, N_("A line between two ends"), q);
	html_lit(b, "<div class=\"vp-paper__dyad\">");
	svg_begin(b, 600, 40, title, NULL);
	svg_line(b, 10, 20, 590, 20, "vp-paper__stroke");
	svg_line(b, 10, 6, 10, 34, "vp-paper__stroke");
	svg_line(b, 590, 6, 590, 34, "vp-paper__stroke");
	svg_end(b);
	free(title);
	html_lit(b, "<div class=\"vp-paper__poles\"><span>");
	html_text(b, q->noptions > 0 ? text(p, &q->options[0].label) : "");
	html_lit(b, "</span><span class=\"vp-paper__end--high\">");
	html_text(b, q->noptions > 1 ? text(p, &q->options[1].label) : "");
	html_lit(b, "</span></div></div>");
}

static void draw_triad(const struct paper *p, const struct question *q)
{
	buf *b = p->b;
	hint(p, N_("Put a dot in the triangle."));
	char *title = drawing_title(p, N_("A triangle with three corners"), q);
	html_lit(b, "<div class=\"vp-paper__triad\"><p class=\"vp-paper__corner "
	            "vp-paper__corner--top\">");
	html_text(b, q->noptions > 0 ? text(p, &q->options[0].label) : "");
	html_lit(b, "</p>");
	svg_begin(b, 320, 280, title, NULL);
	const double tri[] = {160, 10, 10, 270, 310, 270};
	svg_path(b, tri, 3, 1, "vp-paper__stroke");
	svg_end(b);
	free(title);
	html_lit(b, "<div class=\"vp-paper__poles\"><span>");
	html_text(b, q->noptions > 1 ? text(p, &q->options[1].label) : "");
	html_lit(b, "</span><span class=\"vp-paper__end--high\">");
	html_text(b, q->noptions > 2 ? text(p, &q->options[2].label) : "");
	html_lit(b, "</span></div></div>");
}

static void draw_stones(const struct paper *p, const struct question *q)
{
	buf *b = p->b;
	hint(p, N_("Write the letter of each stone in the box, at the place that fits."));
	html_lit(b, "<ul class=\"vp-paper__stones\">");
	for (int i = 0; i < q->noptions; i++) {
		char l[8];
		letter(i, l);
		html_lit(b, "<li><span class=\"vp-paper__letter\">");
		html_text(b, l);
		html_lit(b, "</span> ");
		html_text(b, text(p, &q->options[i].label));
		html_lit(b, "</li>");
	}
	html_lit(b, "</ul><div class=\"vp-paper__canvas\"><div class=\"vp-paper__yaxis\">"
	            "<span>");
	html_text(b, text(p, &q->y.high));
	html_lit(b, "</span><strong>");
	html_text(b, text(p, &q->y.label));
	html_lit(b, "</strong><span>");
	html_text(b, text(p, &q->y.low));
	html_lit(b, "</span></div>");
	buf t;
	buf_init(&t);
	buf_puts(&t, tr(p, N_("A box with two axes")));
	buf_puts(&t, ": ");
	buf_puts(&t, text(p, &q->x.label));
	buf_puts(&t, ", ");
	buf_puts(&t, text(p, &q->y.label));
	svg_begin(b, 480, 340, t.data, NULL);
	buf_free(&t);
	svg_rect(b, 2, 2, 476, 336, "vp-paper__stroke");
	svg_line(b, 240, 2, 240, 338, "vp-paper__guide");
	svg_line(b, 2, 170, 478, 170, "vp-paper__guide");
	svg_end(b);
	html_lit(b, "<div class=\"vp-paper__xaxis\"><span>");
	html_text(b, text(p, &q->x.low));
	html_lit(b, "</span><strong>");
	html_text(b, text(p, &q->x.label));
	html_lit(b, "</strong><span>");
	html_text(b, text(p, &q->x.high));
	html_lit(b, "</span></div></div>");
}

static void draw_pin(const struct paper *p, const struct question *q)
{
	buf *b = p->b;
	hint(p, N_("Put a cross on the picture."));
	if (q->image && q->image[0] && p->o->image_base) {
		buf src;
		buf_init(&src);
		buf_puts(&src, p->o->image_base);
		buf_puts(&src, q->image);
		html_lit(b, "<img class=\"vp-paper__image\" src=\"");
		html_url(b, src.data);
		html_lit(b, "\" alt=\"");
		html_attr(b, tr(p, N_("The picture for this question")));
		html_lit(b, "\">");
		buf_free(&src);
	} else {
		html_lit(b, "<div class=\"vp-paper__nopicture\"></div>");
	}
	if (q->ask_note) {
		html_lit(b, "<p class=\"vp-paper__label\">");
		html_text(b, tr(p, N_("Why did you choose this place? (You may skip this.)")));
		html_lit(b, "</p>");
		lines(b, 3);
	}
}

static void digits(buf *b, int n)
{
	html_lit(b, "<span class=\"vp-paper__digits\">");
	for (int i = 0; i < n; i++)
		html_lit(b, "<span class=\"vp-paper__digit\"></span>");
	html_lit(b, "</span>");
}

static void draw_date(const struct paper *p, const struct question *q)
{
	buf *b = p->b;
	html_lit(b, "<p class=\"vp-paper__date\" aria-hidden=\"true\">");
	digits(b, 2);
	html_lit(b, "<span class=\"vp-paper__dash\">-</span>");
	digits(b, 2);
	html_lit(b, "<span class=\"vp-paper__dash\">-</span>");
	digits(b, 4);
	html_lit(b, "</p><p class=\"vp-paper__hint\">");
	html_text(b, tr(p, N_("Day, month, year: DD-MM-YYYY")));
	html_lit(b, "</p>");
	(void)q;
}

static void number_text(double v, char out[32])
{
	snprintf(out, 32, "%.15g", v);
}

static void draw_number(const struct paper *p, const struct question *q)
{
	buf *b = p->b;
	html_lit(b, "<p class=\"vp-paper__number\"><span class=\"vp-paper__numbox\" "
	            "aria-hidden=\"true\"></span></p>");
	char lo[32], hi[32];
	number_text(q->num_min, lo);
	number_text(q->num_max, hi);
	if (q->has_min && q->has_max) {
		html_lit(b, "<p class=\"vp-paper__hint\">");
		put_filled(p, N_("A number from {min} to {max}."), "{min}", lo, "{max}", hi);
		html_lit(b, "</p>");
	} else if (q->has_min) {
		html_lit(b, "<p class=\"vp-paper__hint\">");
		put_filled(p, N_("A number of at least {n}."), "{n}", lo, NULL, NULL);
		html_lit(b, "</p>");
	} else if (q->has_max) {
		html_lit(b, "<p class=\"vp-paper__hint\">");
		put_filled(p, N_("A number of at most {n}."), "{n}", hi, NULL, NULL);
		html_lit(b, "</p>");
	}
	if (q->integer)
		hint(p, N_("A whole number."));
}

static void question(const struct paper *p, const struct question *q)
{
	buf *b = p->b;
	html_lit(b, "<div class=\"vp-paper__question vp-paper__question--");
	html_attr(b, q_type_name(q->type));
	html_lit(b, "\"><h3 class=\"vp-paper__qtitle\"><span class=\"vp-paper__num\">");
	html_int(b, p->num[q->index]);
	html_lit(b, ".</span> ");
	html_text(b, text(p, &q->text));
	html_lit(b, "</h3>");
	if (q->show_if_question)
		condition(p, q);
	if (q->help.n)
		script_paragraphs_buf(b, text(p, &q->help), "vp-paper__help");
	switch (q->type) {
	case Q_STORY: draw_story(p, q); break;
	case Q_TEXT: lines(b, q->long_text ? 8 : 2); break;
	case Q_CHOICE:
		hint(p, N_("Tick one box."));
		options(p, q);
		break;
	case Q_MULTI:
		draw_multi_hint(p, q);
		options(p, q);
		break;
	case Q_SCALE: draw_scale(p, q); break;
	case Q_DYAD: draw_dyad(p, q); break;
	case Q_TRIAD: draw_triad(p, q); break;
	case Q_STONES: draw_stones(p, q); break;
	case Q_PIN: draw_pin(p, q); break;
	case Q_DATE: draw_date(p, q); break;
	case Q_NUMBER: draw_number(p, q); break;
	case Q_TYPE_COUNT: abort();
	}
	if (q->not_applicable) {
		html_lit(b, "<p class=\"vp-paper__na\">");
		box(b);
		html_lit(b, " <span>");
		html_text(b, tr(p, N_("Not applicable")));
		html_lit(b, "</span></p>");
	}
	html_lit(b, "</div>");
}

static int section_has(const struct section *sec, enum perspective who)
{
	for (int k = 0; k < sec->nquestions; k++)
		if (sec->questions[k].perspective == who)
			return 1;
	return 0;
}

static void stylesheet(const struct paper *p)
{
	buf *b = p->b;
	if (p->o->css_href) {
		html_lit(b, "<link rel=\"stylesheet\" href=\"");
		html_url(b, p->o->css_href);
		html_lit(b, "\">");
		return;
	}
	/* assets/print.css holds no quote, no < > and no &, so escaping it
	 * changes nothing (its first line says so; the CLI test checks it). */
	const struct asset *css = asset_find("print.css");
	if (!css)
		return;
	html_lit(b, "<style>");
	html_textn(b, (const char *)css->data, css->len);
	html_lit(b, "</style>");
}

void script_paper_html(buf *b, const struct script *s, const struct script_paper *o)
{
	assert(b && s && o);
	struct paper p = {.b = b, .s = s, .o = o, .lang = o->lang ? o->lang : "nl"};
	p.num = calloc((size_t)s->nquestions + 1, sizeof *p.num);
	if (!p.num)
		abort();
	/* Numbers: the teller's questions in order, then the professional's. */
	int n = 0;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < s->nquestions; i++)
			if ((s->questions[i]->perspective == PERSPECTIVE_PROFESSIONAL) == pass)
				p.num[s->questions[i]->index] = ++n;

	const char *title = text(&p, &s->title);
	html_lit(b, "<!DOCTYPE html>\n<html lang=\"");
	html_attr(b, strcmp(p.lang, "en") == 0 ? "en" : "nl");
	html_lit(b, "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
	            "content=\"width=device-width, initial-scale=1\"><title>");
	html_text(b, title);
	html_lit(b, " - ");
	html_text(b, tr(&p, N_("Paper version")));
	html_lit(b, "</title>");
	stylesheet(&p);
	if (o->icon_href) {
		html_lit(b, "<link rel=\"icon\" type=\"image/svg+xml\" href=\"");
		html_url(b, o->icon_href);
		html_lit(b, "\">");
	}
	html_lit(b, "</head>\n<body class=\"vp-paper\">");
	if (o->back_href) {
		html_lit(b, "<header class=\"vp-paper__screen\"><p><a href=\"");
		html_url(b, o->back_href);
		html_lit(b, "\">");
		html_text(b, tr(&p, N_("Back to the interview script")));
		html_lit(b, "</a></p><p>");
		html_text(b,
		          tr(&p, N_("This page is made to print on A4 paper. Use Print in your "
		                    "browser (Ctrl+P). Staff type a filled-in form in later, with "
		                    "the channel paper.")));
		html_lit(b, "</p></header>");
	}
	html_lit(b, "<main class=\"vp-paper__doc\"><div class=\"vp-paper__head\">");
	if (o->org_name && o->org_name[0]) {
		html_lit(b, "<p class=\"vp-paper__org\">");
		html_text(b, o->org_name);
		html_lit(b, "</p>");
	}
	html_lit(b, "<h1 class=\"vp-paper__title\">");
	html_text(b, title);
	html_lit(b, "</h1><p class=\"vp-paper__meta\">");
	html_text(b, tr(&p, N_("Paper version")));
	if (o->version > 0) {
		html_lit(b, " \xc2\xb7 ");
		html_text(b, tr(&p, N_("version")));
		html_lit(b, " ");
		html_int(b, o->version);
	}
	html_lit(b, "</p>");
	const char *intro = text(&p, &s->introduction);
	if (*intro)
		script_paragraphs_buf(b, intro, "vp-paper__intro");
	html_lit(b, "<section class=\"vp-paper__privacy\" aria-labelledby=\"paper-privacy\">"
	            "<h2 id=\"paper-privacy\">");
	html_text(b, tr(&p, N_("Who can read your story?")));
	html_lit(b, "</h2>");
	script_paragraphs_buf(b, text(&p, &s->privacy), NULL);
	html_lit(b, "<p class=\"vp-paper__consent\">");
	box(b);
	html_lit(b, " <span>");
	html_text(b, tr(&p, N_("I have read who can read my story and what happens with it. I want "
	                       "to take part.")));
	html_lit(b, "</span></p></section><section class=\"vp-paper__how\" "
	            "aria-labelledby=\"paper-how\"><h2 id=\"paper-how\">");
	html_text(b, tr(&p, N_("How to fill in this form")));
	html_lit(b, "</h2><p class=\"vp-paper__p\">");
	html_text(b, tr(&p, N_("Write with a pen. Put a cross in a box like this one to choose. "
	                       "You may skip a question you do not want to answer.")));
	html_lit(b, "</p></section></div>");

	int part = 0;
	for (int i = 0; i < s->nsections; i++) {
		const struct section *sec = &s->sections[i];
		if (!section_has(sec, PERSPECTIVE_TELLER))
			continue;
		part++;
		html_lit(b, "<section class=\"vp-paper__section\"><h2 class=\"vp-paper__part\">");
		html_text(b, tr(&p, N_("Part")));
		html_lit(b, " ");
		html_int(b, part);
		if (sec->title.n) {
			html_lit(b, ": ");
			html_text(b, text(&p, &sec->title));
		}
		html_lit(b, "</h2>");
		for (int k = 0; k < sec->nquestions; k++)
			if (sec->questions[k].perspective == PERSPECTIVE_TELLER)
				question(&p, &sec->questions[k]);
		html_lit(b, "</section>");
	}
	/* The thanks end the teller's part. */
	const char *thanks = text(&p, &s->thanks);
	if (*thanks) {
		html_lit(b, "<div class=\"vp-paper__thanks\">");
		script_paragraphs_buf(b, thanks, NULL);
		html_lit(b, "</div>");
	}
	int pro = 0;
	for (int i = 0; i < s->nsections; i++)
		pro |= section_has(&s->sections[i], PERSPECTIVE_PROFESSIONAL);
	if (pro) {
		html_lit(b, "<section class=\"vp-paper__section vp-paper__pro\">"
		            "<h2 class=\"vp-paper__part\">");
		html_text(b, tr(&p, N_("To be filled in by the conversation lead")));
		html_lit(b, "</h2>");
		hint(&p, N_("The person who told the story does not fill in this part."));
		for (int i = 0; i < s->nsections; i++) {
			const struct section *sec = &s->sections[i];
			for (int k = 0; k < sec->nquestions; k++)
				if (sec->questions[k].perspective == PERSPECTIVE_PROFESSIONAL)
					question(&p, &sec->questions[k]);
		}
		html_lit(b, "</section>");
	}
	html_lit(b, "<div class=\"vp-paper__office\"><p class=\"vp-paper__p\">");
	html_text(b, tr(&p, N_("For the municipality: typed in on")));
	html_lit(b, " <span class=\"vp-paper__fill\" aria-hidden=\"true\"></span> ");
	html_text(b, tr(&p, N_("by")));
	html_lit(b, " <span class=\"vp-paper__fill\" aria-hidden=\"true\"></span></p></div>"
	            "</main></body></html>\n");
	free(p.num);
}

/* GET /vragenlijsten/{id}/versies/{n}/papier: the paper version in the
 * interface language, to print. Not inside the page frame: nothing of the
 * site is printed, and the sheet needs its own stylesheet (assets/print.css). */
int page_script_paper(struct req *r)
{
	int64_t id;
	int version;
	if (!script_route_ids(r, &id, &version))
		return web_error(r, 404, NULL);
	char err[256];
	struct script *sc = script_load(req_db(r), r->app->org_id, id, version, err, sizeof err);
	if (!sc)
		return web_error(r, 404, NULL);
	buf css, icon;
	buf_init(&css);
	buf_init(&icon);
	asset_href(&css, "print.css");
	asset_href(&icon, "favicon.svg");
	struct script_paper o = {.lang = r->lang,
	                         .version = version,
	                         .org_name = r->app->org_name,
	                         .image_base = "/uploads/",
	                         .css_href = arena_strdup(r->a, css.data ? css.data : ""),
	                         .back_href = script_page_path(r, id, version, NULL),
	                         .icon_href = arena_strdup(r->a, icon.data ? icon.data : "")};
	buf_free(&css);
	buf_free(&icon);
	buf_reset(&r->out);
	r->resp_type = "text/html; charset=utf-8";
	script_paper_html(&r->out, sc, &o);
	script_free(sc);
	return 200;
}
