/* pages.h: every page and API handler, and the shared page layout. */
#ifndef VP_PAGES_H
#define VP_PAGES_H

#include "http/request.h"
#include "model/upload.h"

#include <jansson.h>

/* Layout: page_begin writes everything up to the start of <main>'s content,
 * page_end closes it. title is plain text (escaped here). */
void page_begin(struct req *r, const char *title);
/* The start of every page up to the stylesheets and icon inside <head>
 * (left open): for pages with a frame of their own (the kiosk). */
void page_head_begin(struct req *r, const char *title);
void page_end(struct req *r);
/* Hidden CSRF field for a form of the current visitor or session. */
void page_csrf_field(struct req *r);
/* A labelled text input in the NL Design System form-field markup; help
 * (or NULL) is linked with aria-describedby; value (or NULL) prefilled. */
enum { FIELD_REQUIRED = 1, FIELD_AUTOFOCUS = 2 };
void page_text_field(struct req *r, const char *id, const char *label, const char *help,
                     const char *type, const char *autocomplete, const char *value, unsigned flags);
/* A labelled multi-line field like page_text_field; invalid sets
 * aria-invalid and links the error (id "ID-error") shown above it. */
void page_textarea_field(struct req *r, const char *id, const char *label, const char *help,
                         const char *value, int rows, const char *error);
/* Headings and a paragraph of escaped text (cls may be NULL). */
void page_h1(struct req *r, const char *text);
void page_h2(struct req *r, const char *id, const char *text);
void page_para(struct req *r, const char *cls, const char *text);
/* A paragraph with one link. */
void page_link_para(struct req *r, const char *href, const char *text);
/* path (starting with '/') as an absolute URL on the host the request
 * came to (https when served so), for links people take elsewhere: a
 * letter, an e-mail, a QR code. Just path when the Host header is odd. */
const char *page_absolute_url(struct req *r, const char *path);
/* The form field name without spaces and line ends around it; "" when
 * absent (request arena). */
const char *page_form_trimmed(struct req *r, const char *name);
/* The GOV.UK-style error summary with one problem: a link to #field
 * saying "label: message" (focus goes there first: role=alert). */
void page_error_summary(struct req *r, const char *field, const char *label, const char *message);
/* Opens the frame of a wide table: a region named label that scrolls
 * sideways on its own on a narrow screen (and takes keyboard focus, so it
 * can be scrolled without a mouse); closed with "</div>" after the table. */
void page_table_wrap(struct req *r, const char *label);
/* printf into the request's arena (at most 1023 bytes; longer is cut). */
const char *page_printf(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* One access-log entry by the signed-in user (or "anonymous") about a
 * record of a person (code may be NULL); inside the change's writer job. */
int page_audit_one(struct db *d, struct req *r, const char *action, const char *object_type,
                   int64_t id, const char *code);
/* Writes a "view" entry to the access log for each row of rows (objects
 * with "id" and "participant_code") as the signed-in user, inside a writer
 * job: personal data shown is logged before the page is sent. */
int page_audit_views(struct db *d, struct req *r, json_t *rows, const char *object_type);
/* A JSON object's string or integer member ("" and 0 when absent). */
const char *page_jstr(json_t *o, const char *key);
long long page_jint(json_t *o, const char *key);
/* An alert box (kind: "error", "ok", "info", "warning") with a text. */
void page_alert(struct req *r, const char *kind, const char *text);
/* The error response for status (HTML page, or problem+json for the API).
 * msg is an English message id or NULL for the status's standard text.
 * Returns status. */
int web_error(struct req *r, int status, const char *msg);

/* The role's name in the interface language ("beheerder" / "administrator"). */
const char *role_label(struct req *r, unsigned role);

/* Embedded static files. */
struct asset {
	const char *name;
	const unsigned char *data;
	size_t len;
	const char *type;
	const char *etag; /* quoted, strong */
};
const struct asset *asset_find(const char *name);
/* Appends "/static/NAME?v=HASH" (attribute-escaped), the versioned link
 * that may be cached for a year. */
void asset_href(buf *b, const char *name);

/* page_home.c */
int page_home(struct req *r);
int page_language(struct req *r);
int page_static(struct req *r);
int page_healthz(struct req *r);
int page_security_txt(struct req *r);
/* page_login.c */
int page_login_form(struct req *r);
int page_login(struct req *r);
int page_logout(struct req *r);
int page_account(struct req *r);
int page_password_form(struct req *r);
int page_password(struct req *r);
/* page_2fa.c */
int page_2fa_form(struct req *r);
int page_2fa(struct req *r);
int page_2fa_cancel(struct req *r);
int page_2fa_enrol_form(struct req *r);
int page_2fa_enrol(struct req *r);
int page_account_2fa(struct req *r);
int page_account_2fa_enrol(struct req *r);
int page_account_2fa_disable(struct req *r);
int page_account_2fa_recovery(struct req *r);
/* Where a visitor whose password was right but who still owes a code (or
 * must enrol) belongs: "/login/2fa", "/login/2fa/enrol", or NULL. */
const char *page_2fa_pending_path(struct req *r);
/* page_users.c */
int page_users(struct req *r);
int page_user_add(struct req *r);
int page_user_change(struct req *r);
/* page_people.c */
int page_people(struct req *r);
int page_people_search(struct req *r);
int page_person(struct req *r);
int page_person_export(struct req *r);
int page_person_correct(struct req *r);
int page_person_erase(struct req *r);
/* page_scripts.c: the interview-script pages (list, new, library, import,
 * preview) and what the editor shares with them. */
int page_scripts(struct req *r);
int page_script_create(struct req *r);
int page_script_library(struct req *r);
int page_script_import(struct req *r);
int page_script_latest(struct req *r);
int page_script_preview(struct req *r);
int page_script_preview_phone(struct req *r);
/* {id} and {n} of the route (version may be NULL); 0 when malformed. */
int script_route_ids(struct req *r, int64_t *id, int *version);
/* "/vragenlijsten/ID/versies/N" + tail (version 0: without the version),
 * in the request's arena. */
const char *script_page_path(struct req *r, int64_t id, int version, const char *tail);
/* 1 when the visitor's role may change scripts (the roles of the route
 * POST /vragenlijsten in routes.c). */
int script_may_edit(struct req *r);
const char *script_status_label(struct req *r, int status);
void script_status_badge(struct req *r, int status);
const char *script_type_label(struct req *r, int type);
/* A text with blank lines as paragraphs; cls (or NULL) is added. */
void script_paragraphs(struct req *r, const char *text, const char *cls);
/* The same into b (for documents made without a request: the paper form). */
void script_paragraphs_buf(buf *b, const char *text, const char *cls);
/* An alert with a text, an optional reader's message (detail) and an
 * optional link. */
void script_alert(struct req *r, const char *kind, const char *text, const char *detail,
                  const char *href, const char *link_text);
/* page_script_edit.c: the editor of one version. */
int page_script_version(struct req *r);
int page_script_texts(struct req *r);
int page_script_question_add(struct req *r);
int page_script_section_add(struct req *r);
int page_script_question_form(struct req *r);
int page_script_question_save(struct req *r);
int page_script_question_move(struct req *r);
int page_script_question_delete(struct req *r);
int page_script_status(struct req *r);
int page_script_copy(struct req *r);
/* page_script_paper.c: the printable paper version (script_paper.h). */
int page_script_paper(struct req *r);
/* page_collections.c: the staff pages of collections, and what the API
 * shares with them. */
int page_collections(struct req *r);
int page_collection_create(struct req *r);
int page_collection(struct req *r);
int page_collection_close(struct req *r);
int page_collection_poster(struct req *r);
int page_collection_flyer(struct req *r);
int page_collection_qr(struct req *r);
/* The public link /v/TOKEN in full (scheme and the request's Host header),
 * or relative when the Host header is missing or odd; in the arena. */
const char *collection_link(struct req *r, const char *token);
/* "K7M4Q2PX" as "K7M4-Q2PX", in the arena. */
const char *collection_code_text(struct req *r, const char *code);
/* "YYYY-MM-DD" as the start of that day in UTC; -1 when malformed. */
int64_t collection_parse_day(const char *s);
/* 1 when the visitor's role may make and close collections (the roles of
 * POST /verzamelingen in routes.c). */
int collection_may_edit(struct req *r);
/* api_users.c */
int api_openapi(struct req *r);
int api_me(struct req *r);
int api_users_list(struct req *r);
int api_users_add(struct req *r);
/* api_scripts.c */
int api_scripts_list(struct req *r);
int api_scripts_add(struct req *r);
int api_script_versions(struct req *r);
int api_script_version(struct req *r);
int api_script_version_put(struct req *r);
int api_script_version_new(struct req *r);
int api_script_status(struct req *r);
int api_script_lint(struct req *r);
int api_script_check(struct req *r);
/* api_collections.c */
int api_collections_list(struct req *r);
int api_collections_add(struct req *r);
int api_collection_close(struct req *r);
/* api_stories.c */
int api_story_add(struct req *r);
/* api_analysis.c */
/* The collection's (trajectory's) part of the index named by the route's
 * {id}, read-locked (aix_release); NULL after answering 404. */
struct aix_coll *api_analysis_part(struct req *r, int trajectory, int *status);
/* Runs measure fn with a (its part and database set here) on that part
 * and answers with its document, or with fn's status and message. */
struct measure_args;
int api_analysis_measure(struct req *r, int trajectory,
                         int (*fn)(const struct measure_args *a, json_t **out, char *err,
                                   size_t errlen),
                         struct measure_args *a);
/* api_search.c */
int api_search(struct req *r);
int api_trajectory_search(struct req *r);
/* api_keyness.c */
int api_keyness(struct req *r);
int api_trajectory_keyness(struct req *r);
int api_analysis_questions(struct req *r);
int api_analysis(struct req *r);
int api_analysis_q(struct req *r);
int api_analysis_q2(struct req *r);
int api_trajectory_analysis_questions(struct req *r);
int api_trajectory_analysis(struct req *r);
int api_trajectory_analysis_q(struct req *r);
int api_trajectory_analysis_q2(struct req *r);
/* api_themes.c: themes of a collection's or trajectory's stories */
int api_themes(struct req *r);
int api_trajectory_themes(struct req *r);
/* page_explore_themes.c: the explorer's themes page and stopping its computation */
int page_explore_themes(struct req *r);
int page_explore_themes_stop(struct req *r);
/* page_story.c: the resident's story form at a collection's link. */
int page_story_start_form(struct req *r);
int page_story_start(struct req *r);
int page_story_step(struct req *r);
int page_story_step_save(struct req *r);
int page_story_send(struct req *r);
int page_story_resume_form(struct req *r);
int page_story_resume(struct req *r);
/* page_story.c: the same form at a kiosk. */
int page_story_kiosk_form(struct req *r);
int page_story_kiosk_start(struct req *r);
int page_story_kiosk_step(struct req *r);
int page_story_kiosk_step_save(struct req *r);
int page_story_kiosk_send(struct req *r);
int page_story_kiosk_reset(struct req *r);
/* page_story.c: a story taken by a staff member with a client. */
int page_story_staff_form(struct req *r);
int page_story_staff_start(struct req *r);
int page_story_staff_step(struct req *r);
int page_story_staff_step_save(struct req *r);
int page_story_staff_send(struct req *r);
int page_story_staff_stop(struct req *r);
/* page_story_offline.c */
int page_story_offline(struct req *r);
int page_service_worker(struct req *r);
int page_manifest(struct req *r);
/* page_code.c */
int page_code_form(struct req *r);
int page_code(struct req *r);
/* api_uploads.c */
int api_uploads_add(struct req *r);
int page_upload(struct req *r);
/* page_explore.c */
int page_explore(struct req *r);
/* The explorer's URL for collection id narrowed by filter (NULL or "":
 * all stories), percent-encoded, in the arena. */
const char *explore_href(struct req *r, int64_t id, const char *filter);
/* page_explore_patterns.c: the pattern finder and the comparison of two groups */
int page_explore_patterns(struct req *r);
int page_explore_compare(struct req *r);
/* page_explore_words.c: the words a group's stories use more (keyness) */
int page_explore_words(struct req *r);
/* page_explore_stories.c: the stories behind a filter, as a list and as printable cards */
int page_explore_stories(struct req *r);
int page_explore_cards(struct req *r);
/* ... and analysts' tags on stories and named story sets */
int page_explore_sets(struct req *r);
int page_explore_set(struct req *r);
int page_explore_story_tags(struct req *r);
int page_explore_set_add(struct req *r);
int page_explore_set_remove(struct req *r);
/* page_explore_export.c: a view's figures as CSV, XLSX, JSON; a chart as SVG, PNG */
int page_explore_export_csv(struct req *r);
int page_explore_export_xlsx(struct req *r);
int page_explore_export_json(struct req *r);
int page_explore_chart_file(struct req *r);
/* page_explore_people.c: people over time, client against consultant */
int page_explore_people(struct req *r);
int page_explore_perspectives(struct req *r);
int page_explore_perspective_stories(struct req *r);
/* page_overview.c: the overview and the report of a collection and of a trajectory */
int page_explore_overview(struct req *r);
int page_explore_report(struct req *r);
int page_trajectory_overview(struct req *r);
int page_trajectory_report(struct req *r);

/* page_methods.c: the catalogue of methods (werkvormen) */
int page_methods(struct req *r);
int page_method(struct req *r);
int page_method_new_form(struct req *r);
int page_method_new(struct req *r);
int page_method_edit_form(struct req *r);
int page_method_edit(struct req *r);
/* 1 when the visitor's role may edit and add methods (the roles of the
 * route POST /werkvormen/nieuw in routes.c). */
int method_may_edit(struct req *r);
/* api_methods.c */
int api_methods_list(struct req *r);
int api_method(struct req *r);
/* page_outbox.c: outgoing e-mail (the outbox) */
int page_outbox(struct req *r);
int page_outbox_retry(struct req *r);

/* page_trajectories.c */
int page_trajectories(struct req *r);
int page_trajectory_create(struct req *r);
int page_trajectory(struct req *r);
int page_trajectory_edit_form(struct req *r);
int page_trajectory_save(struct req *r);
int page_trajectory_staff(struct req *r);
int page_trajectory_close(struct req *r);
int page_trajectory_contact(struct req *r);
int page_trajectory_contact_handled(struct req *r);
int page_participate(struct req *r);
int page_participate_contact(struct req *r);
/* page_conversations.c */
int page_conversation_create(struct req *r);
int page_conversation(struct req *r);
int page_conversation_person(struct req *r);
int page_conversation_invite(struct req *r);
int page_conversation_appointment(struct req *r);
int page_conversation_change(struct req *r);
int page_invitation(struct req *r);
int page_invitation_answer(struct req *r);
int page_conversations_todo(struct req *r);
/* A conversation's stored status name in words ("invited" -> "uitgenodigd"). */
const char *conversation_status_text(struct req *r, const char *status);
/* Form pieces the conversation pages made first, shared: <form method=post
 * action> with the CSRF field; a submit button (primary or secondary); a
 * hidden field; a labelled select of (value, label) pairs, labels
 * translated. */
void page_form_open(struct req *r, const char *action);
void page_submit(struct req *r, const char *text, int primary);
void page_hidden(struct req *r, const char *name, const char *value);
void page_select_field(struct req *r, const char *id, const char *label, const char *const *values,
                       const char *const *labels, int n, const char *selected);
/* What mail queued by a page needs: the vault, this host's address, the
 * organiser of calendar invitations (model/conversation_mail.h). */
struct conversation_mail;
void conversation_mail_for(struct req *r, struct conversation_mail *out);

/* page_dialogue.c: dialogue tables: the series of a trajectory, a session
 * with its registrations and placement, the facilitator's table view, and
 * the public registration form. */
int page_dialogue(struct req *r);
int page_dialogue_session_create(struct req *r);
int page_dialogue_session(struct req *r);
int page_dialogue_place(struct req *r);
int page_dialogue_registration(struct req *r);
int page_dialogue_facilitator(struct req *r);
int page_dialogue_table(struct req *r);
int page_dialogue_turn(struct req *r);
int page_dialogue_note(struct req *r);
int page_participate_dialogue(struct req *r);
int page_participate_dialogue_register(struct req *r);
/* page_dialogue_cancel.c: a resident cancels their own registration. */
int page_dialogue_cancel(struct req *r);
int page_dialogue_cancel_post(struct req *r);
int page_dialogue_agreements(struct req *r);
int page_dialogue_agreements_save(struct req *r);
int page_dialogue_agreements_status(struct req *r);
int page_dialogue_evaluation(struct req *r);
/* On a trajectory's public page (o: trajectory_public_json): the sessions
 * open for registration with a link to the form; nothing when none. */
void dialogue_public_section(struct req *r, json_t *o);

/* page_picture.c: a picture sent with a staff form. page_upload_dir is the
 * configured upload folder, or the default next to the database. */
const char *page_upload_dir(struct req *r);
struct page_picture {
	int has; /* a picture was sent and its file is stored */
	struct upload up;
	const char *dir;
};
/* Takes the picture of file field name: re-encoded (JPEG or PNG) and its
 * file stored under a new token, before its row commits. 1 when none was
 * sent, 0 when stored (p filled), -1 with *msg (an English message id)
 * when refused. */
int page_picture_take(struct req *r, const char *name, struct page_picture *p, const char **msg);
/* Inserts its row (in the writer job of the change); DB_OK when none. */
int page_picture_insert(db *d, struct page_picture *p);
/* Removes the stored file when the change did not happen (logged when it
 * cannot be removed). */
void page_picture_abandon(struct page_picture *p);
/* page_mirror.c: mirror conversations (the page of one is
 * page_conversation's, see web/conversation_page.h) */
int page_mirrors(struct req *r);
int page_mirror_create(struct req *r);
int page_mirror_change(struct req *r);
/* The part of the trajectory's page about its mirror conversations. */
void page_mirror_trajectory_section(struct req *r, long long tid);
/* page_initiatives.c: citizen initiatives */
int page_initiatives(struct req *r);
int page_initiative_create(struct req *r);
int page_initiative(struct req *r);
int page_initiative_person(struct req *r);
int page_initiative_talk(struct req *r);
int page_initiative_status(struct req *r);

#endif
