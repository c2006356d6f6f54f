/* conversation_page.h: what the page of a conversation (page_conversations.c) shares with the pages of other kinds of conversation (page_mirror.c), and the hooks by which it shows them. */
#ifndef VP_CONVERSATION_PAGE_H
#define VP_CONVERSATION_PAGE_H

#include "http/request.h"
#include "model/conversation_mail.h"

#include <jansson.h>
#include <stdint.h>

/* page_conversations.c: the conversation's path + tail, under the path the
 * request came to (".../gesprekken/ID" or ".../spiegelgesprekken/ID"), in
 * the request arena. */
const char *conv_page_path(struct req *r, long long tid, long long cid, const char *tail);
/* What was typed in a form that was refused (see page_conversations.c:
 * typed); the form pieces themselves are pages.h's page_form_open,
 * page_hidden, page_submit and page_select_field. */
const char *conv_page_typed(struct req *r, const char *tail, const char *action, const char *field);
/* The sections every conversation has: its people, the invitation, the
 * appointment, closing it. */
void conv_page_people(struct req *r, json_t *c, long long tid, long long cid, int open);
void conv_page_invitation(struct req *r, json_t *c, long long tid, long long cid);
void conv_page_appointment(struct req *r, json_t *c, long long tid, long long cid, int open);
void conv_page_close(struct req *r, long long tid, long long cid);
/* The message for ?ok=KEY of a conversation's change (NULL when none), and
 * for a refused change's result. */
const char *conv_page_ok_message(struct req *r);
const char *conv_page_result_message(struct req *r, int result);
/* The conversation's page again (its view logged), with an error and a
 * status when a change was refused. */
int conv_page_show(struct req *r, const char *error, int status);
/* page_mirror.c: adds "mirror" (model/mirror.h: mirror_get_json, with the
 * report's draft and the guide) to conversation c when it is a mirror
 * conversation, and its invitation draft; 0, or -1 on a database error. */
int page_mirror_context(struct req *r, json_t *c, int64_t tid, int64_t cid);
/* The page of a mirror conversation (c has "mirror"). Returns status. */
int page_mirror_render(struct req *r, json_t *c, long long tid, long long cid, const char *error,
                       int status);

#endif
