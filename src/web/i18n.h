/* i18n.h: translations from gettext catalogs (po/LANG.po compiled to .mo and embedded). */
#ifndef VP_I18N_H
#define VP_I18N_H

/* Source strings (msgids) are English; po/nl.po holds the Dutch texts and
 * po/en.po the English ones where they differ from the msgid. Dutch is the
 * default language; visitors switch with /taal/en and /taal/nl. */

/* The translation of msgid in lang, or msgid itself. Never NULL. */
const char *i18n_get(const char *lang, const char *msgid);
/* 1 when lang is a language of the interface ("nl", "en"). */
int i18n_has(const char *lang);
/* The interface language for a visitor without a choice: Dutch. The
 * Accept-Language header is not followed: the municipality speaks Dutch
 * first, and the switch is one click away on every page. */
const char *i18n_negotiate(const char *accept_language);

/* T translates for the request's language; N_ only marks a string for
 * extraction (xgettext --keyword=T:2 --keyword=N_). */
#define T(r, s) i18n_get((r)->lang, s)
#ifndef N_
#define N_(s) s
#endif

#endif
