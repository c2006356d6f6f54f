/* export_html.c: the readable version of a data-subject export. */
#include "web/export_html.h"

#include "web/html.h"
#include "web/i18n.h"

#include <stdlib.h>
#include <string.h>

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void export_row(buf *b, const char *lang, const char *label, const char *value)
{
	html_lit(b, "<tr><th scope=\"row\">");
	html_text(b, i18n_get(lang, label));
	html_lit(b, "</th><td>");
	html_text(b, value);
	html_lit(b, "</td></tr>");
}

/* The access log's actions, as the export names them. */
static const char *const actions[] __attribute__((unused)) = {
        N_("view"), N_("export"), N_("create"), N_("update"), N_("delete")};

void export_html(buf *b, json_t *ex, const char *lang)
{
	json_t *p = json_object_get(ex, "participant");
	json_t *contact = json_object_get(p, "contact");
	html_lit(b, "<!DOCTYPE html>\n<html lang=\"");
	html_attr(b, strcmp(lang, "en") == 0 ? "en" : "nl");
	html_lit(b, "\"><head><meta charset=\"utf-8\"><title>");
	html_text(b, i18n_get(lang, "Your data in Vertelpunt"));
	html_lit(b, "</title></head><body><h1>");
	html_text(b, i18n_get(lang, "Your data in Vertelpunt"));
	html_lit(b, "</h1><p>");
	html_text(b, i18n_get(lang, "This is everything the municipality keeps about you in "
	                            "Vertelpunt, and who has looked at it."));
	html_lit(b, "</p><h2>");
	html_text(b, i18n_get(lang, "Your details"));
	html_lit(b, "</h2><table>");
	export_row(b, lang, "Your code", str(p, "code"));
	export_row(b, lang, "Registered on", str(p, "created_at"));
	if (json_is_object(contact)) {
		export_row(b, lang, "Name", str(contact, "name"));
		export_row(b, lang, "Address", str(contact, "address"));
		export_row(b, lang, "Phone", str(contact, "phone"));
		export_row(b, lang, "E-mail", str(contact, "email"));
	} else {
		export_row(b, lang, "Contact details",
		           i18n_get(lang, "These could not be opened. Ask the municipality."));
	}
	html_lit(b, "</table><h2>");
	html_text(b, i18n_get(lang, "Your consent"));
	html_lit(b, "</h2>");
	json_t *consents = json_object_get(ex, "consents");
	if (json_array_size(consents) == 0) {
		html_lit(b, "<p>");
		html_text(b, i18n_get(lang, "No consent was recorded."));
		html_lit(b, "</p>");
	}
	size_t i;
	json_t *c;
	json_array_foreach(consents, i, c)
	{
		html_lit(b, "<section><h3>");
		html_text(b, str(c, "purpose"));
		html_lit(b, "</h3><table>");
		export_row(b, lang, "Given on", str(c, "given_at"));
		export_row(b, lang, "How", str(c, "channel"));
		export_row(b, lang, "Text version", str(c, "text_version"));
		export_row(b, lang, "Withdrawn on",
		           json_is_string(json_object_get(c, "withdrawn_at"))
		                   ? str(c, "withdrawn_at")
		                   : i18n_get(lang, "not withdrawn"));
		html_lit(b, "</table><blockquote>");
		html_text(b, str(c, "text"));
		html_lit(b, "</blockquote></section>");
	}
	/* What the person told and said, and what was done with it. */
	json_t *stories = json_object_get(ex, "stories");
	if (json_array_size(stories) > 0) {
		html_lit(b, "<h2>");
		html_text(b, i18n_get(lang, "Your stories"));
		html_lit(b, "</h2>");
		json_array_foreach(stories, i, c)
		{
			html_lit(b, "<section><h3>");
			html_text(b, str(c, "collection"));
			html_lit(b, "</h3><table>");
			const char *k;
			json_t *a;
			json_object_foreach(json_object_get(c, "answers"), k, a)
			{
				/* a story's text, or any other answer as it is stored */
				json_t *text = json_object_get(a, "text");
				char *dump =
				        json_is_string(text)
				                ? NULL
				                : json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT);
				html_lit(b, "<tr><th scope=\"row\">");
				html_text(b, k);
				html_lit(b, "</th><td>");
				html_text(b, json_is_string(text) ? json_string_value(text)
				             : dump               ? dump
				                                  : "");
				html_lit(b, "</td></tr>");
				free(dump);
			}
			html_lit(b, "</table></section>");
		}
	}
	json_t *convs = json_object_get(ex, "conversations");
	if (json_array_size(convs) > 0) {
		html_lit(b, "<h2>");
		html_text(b, i18n_get(lang, "Your conversations"));
		html_lit(b, "</h2>");
		json_array_foreach(convs, i, c)
		{
			html_lit(b, "<section><h3>");
			html_text(b, str(c, "trajectory"));
			html_lit(b, ": ");
			html_text(b, str(c, "conversation"));
			html_lit(b, "</h3><ul>");
			size_t k;
			json_t *pt;
			json_array_foreach(json_object_get(c, "points"), k, pt)
			{
				html_lit(b, "<li>");
				html_text(b, str(pt, "text"));
				html_lit(b, " (");
				html_text(b,
				          i18n_get(lang,
				                   strcmp(str(pt, "decision"), "taken") == 0
				                           ? "taken along"
				                   : strcmp(str(pt, "decision"), "not_taken") == 0
				                           ? "not taken along"
				                           : "not decided yet"));
				if (*str(pt, "reason")) {
					html_lit(b, ": ");
					html_text(b, str(pt, "reason"));
				}
				html_lit(b, ")</li>");
			}
			html_lit(b, "</ul>");
			if (*str(c, "feedback")) {
				html_lit(b, "<blockquote>");
				html_text(b, str(c, "feedback"));
				html_lit(b, "</blockquote>");
			}
			html_lit(b, "</section>");
		}
	}
	json_t *requests = json_object_get(ex, "contact_requests");
	if (json_array_size(requests) > 0) {
		html_lit(b, "<h2>");
		html_text(b, i18n_get(lang, "Your messages"));
		html_lit(b, "</h2>");
		json_array_foreach(requests, i, c)
		{
			html_lit(b, "<section><h3>");
			html_text(b, str(c, "trajectory"));
			html_lit(b, "</h3><blockquote>");
			html_text(b, str(c, "message"));
			html_lit(b, "</blockquote></section>");
		}
	}
	html_lit(b, "<h2>");
	html_text(b, i18n_get(lang, "Who has seen or changed your data"));
	html_lit(b, "</h2><table><thead><tr><th scope=\"col\">");
	html_text(b, i18n_get(lang, "When"));
	html_lit(b, "</th><th scope=\"col\">");
	html_text(b, i18n_get(lang, "Who"));
	html_lit(b, "</th><th scope=\"col\">");
	html_text(b, i18n_get(lang, "What"));
	html_lit(b, "</th></tr></thead><tbody>");
	json_array_foreach(json_object_get(ex, "access_log"), i, c)
	{
		html_lit(b, "<tr><td>");
		json_t *at = json_object_get(c, "at");
		html_text(b, json_is_string(at) ? json_string_value(at) : "");
		if (json_is_integer(at))
			html_int(b, (long long)json_integer_value(at));
		html_lit(b, "</td><td>");
		html_text(b, str(c, "actor"));
		html_lit(b, "</td><td>");
		html_text(b, i18n_get(lang, str(c, "action")));
		html_lit(b, "</td></tr>");
	}
	html_lit(b, "</tbody></table></body></html>\n");
}
